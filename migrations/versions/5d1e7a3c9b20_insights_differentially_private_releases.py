"""insights: differentially private, frozen survey releases

Adds survey_releases: one row per class, phase and term (or per school and term) holding the noisy sums of a
release, the public number of respondents and each query's declared sensitivity and epsilon (JSON). Rows go
with their class or school (ON DELETE CASCADE).

Drops survey_scale_scores: it only sped up the exact pooled pre/post figures the releases replace. Nothing in
it is lost (it was derived from survey_answers); a downgrade re-creates it empty, and the earlier figures then
fall back to the answers, as they did when it was stale.

Revision ID: 5d1e7a3c9b20
Revises: 3c1d2e4f5a6b
Create Date: 2026-12-06 21:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5d1e7a3c9b20'
down_revision = '3c1d2e4f5a6b'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('survey_releases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('classroom_id', sa.Integer(), nullable=True),
    sa.Column('scope', sa.String(length=40), nullable=False),
    sa.Column('phase', sa.String(length=8), nullable=True),
    sa.Column('term', sa.String(length=16), nullable=False),
    sa.Column('epsilon', sa.Float(), nullable=False),
    sa.Column('figures', sa.Text(), nullable=False),
    sa.Column('released_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['classroom_id'], ['classrooms.id'], name=op.f('fk_survey_releases_classroom_id_classrooms'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_survey_releases_school_id_schools'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_releases')),
    sa.UniqueConstraint('scope', 'term', name=op.f('uq_survey_releases_scope_term'))
    )
    with op.batch_alter_table('survey_releases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_releases_classroom_id'), ['classroom_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_releases_school_id'), ['school_id'], unique=False)

    with op.batch_alter_table('survey_scale_scores', schema=None) as batch_op:
        batch_op.drop_index('ix_survey_scale_scores_scoring')
        batch_op.drop_index('ix_survey_scale_scores_aggregates')
    op.drop_table('survey_scale_scores')


def downgrade():
    op.create_table('survey_scale_scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('student_id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.String(length=64), nullable=False),
    sa.Column('phase', sa.String(length=8), nullable=False),
    sa.Column('scale', sa.String(length=64), nullable=False),
    sa.Column('scoring', sa.String(length=16), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('answered', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['student_id'], ['students.id'], name=op.f('fk_survey_scale_scores_student_id_students'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_scale_scores')),
    sa.UniqueConstraint('student_id', 'survey_id', 'phase', 'scale', name=op.f('uq_survey_scale_scores_student_id_survey_id_phase_scale'))
    )
    with op.batch_alter_table('survey_scale_scores', schema=None) as batch_op:
        batch_op.create_index('ix_survey_scale_scores_aggregates', ['survey_id', 'student_id', 'scale', 'phase', 'points', 'answered'], unique=False)
        batch_op.create_index('ix_survey_scale_scores_scoring', ['survey_id', 'scale', 'scoring'], unique=False)

    with op.batch_alter_table('survey_releases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_releases_school_id'))
        batch_op.drop_index(batch_op.f('ix_survey_releases_classroom_id'))
    op.drop_table('survey_releases')
