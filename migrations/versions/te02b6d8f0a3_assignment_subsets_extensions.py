"""assignments for some students only, and one student's extension

Revision ID: te02b6d8f0a3
Revises: te01a5c7e9b2
Create Date: 2026-12-07 03:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'te02b6d8f0a3'
down_revision = 'te01a5c7e9b2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('assignment_students',
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('student_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignments.id'], name=op.f('fk_assignment_students_assignment_id_assignments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['student_id'], ['students.id'], name=op.f('fk_assignment_students_student_id_students'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('assignment_id', 'student_id', name=op.f('pk_assignment_students'))
    )
    with op.batch_alter_table('assignment_students', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignment_students_student_id'), ['student_id'], unique=False)
    op.create_table('assignment_extensions',
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('student_id', sa.Integer(), nullable=False),
    sa.Column('due_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignments.id'], name=op.f('fk_assignment_extensions_assignment_id_assignments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['student_id'], ['students.id'], name=op.f('fk_assignment_extensions_student_id_students'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('assignment_id', 'student_id', name=op.f('pk_assignment_extensions'))
    )
    with op.batch_alter_table('assignment_extensions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignment_extensions_student_id'), ['student_id'], unique=False)


def downgrade():
    with op.batch_alter_table('assignment_extensions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignment_extensions_student_id'))
    op.drop_table('assignment_extensions')
    with op.batch_alter_table('assignment_students', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignment_students_student_id'))
    op.drop_table('assignment_students')
