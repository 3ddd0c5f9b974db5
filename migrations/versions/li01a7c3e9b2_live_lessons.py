"""live lessons: the class's current step, open questions, per-option counters and who answered (never what)

Revision ID: li01a7c3e9b2
Revises: sa01c7e5b9d2
Create Date: 2026-12-07 03:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'li01a7c3e9b2'
down_revision = 'sa01c7e5b9d2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('live_lessons',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('classroom_id', sa.Integer(), nullable=False),
    sa.Column('lesson_id', sa.String(length=64), nullable=False),
    sa.Column('step', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['classroom_id'], ['classrooms.id'], name=op.f('fk_live_lessons_classroom_id_classrooms'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_lessons'))
    )
    with op.batch_alter_table('live_lessons', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_lessons_classroom_id'), ['classroom_id'], unique=False)
    op.create_table('live_questions',
    sa.Column('live_id', sa.Integer(), nullable=False),
    sa.Column('block_id', sa.String(length=64), nullable=False),
    sa.Column('revealed_at', sa.DateTime(), nullable=True),
    sa.Column('totals', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['live_id'], ['live_lessons.id'], name=op.f('fk_live_questions_live_id_live_lessons'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('live_id', 'block_id', name=op.f('pk_live_questions'))
    )
    op.create_table('live_tallies',
    sa.Column('live_id', sa.Integer(), nullable=False),
    sa.Column('block_id', sa.String(length=64), nullable=False),
    sa.Column('option_id', sa.String(length=64), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['live_id'], ['live_lessons.id'], name=op.f('fk_live_tallies_live_id_live_lessons'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('live_id', 'block_id', 'option_id', name=op.f('pk_live_tallies'))
    )
    op.create_table('live_answerers',
    sa.Column('live_id', sa.Integer(), nullable=False),
    sa.Column('block_id', sa.String(length=64), nullable=False),
    sa.Column('student_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['live_id'], ['live_lessons.id'], name=op.f('fk_live_answerers_live_id_live_lessons'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['student_id'], ['students.id'], name=op.f('fk_live_answerers_student_id_students'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('live_id', 'block_id', 'student_id', name=op.f('pk_live_answerers'))
    )
    with op.batch_alter_table('live_answerers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_answerers_student_id'), ['student_id'], unique=False)


def downgrade():
    with op.batch_alter_table('live_answerers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_live_answerers_student_id'))
    op.drop_table('live_answerers')
    op.drop_table('live_tallies')
    op.drop_table('live_questions')
    with op.batch_alter_table('live_lessons', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_live_lessons_classroom_id'))
    op.drop_table('live_lessons')
