"""roster links: a keyed hash of a OneRoster sourcedId per imported student, so a re-import matches

Revision ID: fa02d4e6f8b1
Revises: fa01c3d5e7a9
Create Date: 2026-12-07 07:05:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'fa02d4e6f8b1'
down_revision = 'fa01c3d5e7a9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('roster_links',
    sa.Column('student_id', sa.Integer(), nullable=False),
    sa.Column('classroom_id', sa.Integer(), nullable=False),
    sa.Column('source_hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['classroom_id'], ['classrooms.id'], name=op.f('fk_roster_links_classroom_id_classrooms'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['student_id'], ['students.id'], name=op.f('fk_roster_links_student_id_students'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('student_id', name=op.f('pk_roster_links')),
    sa.UniqueConstraint('classroom_id', 'source_hash', name=op.f('uq_roster_links_classroom_id_source_hash'))
    )
    with op.batch_alter_table('roster_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_roster_links_classroom_id'), ['classroom_id'], unique=False)


def downgrade():
    with op.batch_alter_table('roster_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_roster_links_classroom_id'))
    op.drop_table('roster_links')
