"""pin sheets: one-time PINs kept encrypted for 10 minutes (edu/teach/pin_sheets.py)

Revision ID: te01a5c7e9b2
Revises: e7a2b4c6d8f0
Create Date: 2026-12-07 03:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'te01a5c7e9b2'
down_revision = 'e7a2b4c6d8f0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('pin_sheets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lookup', sa.String(length=64), nullable=False),
    sa.Column('classroom_id', sa.Integer(), nullable=False),
    sa.Column('teacher_id', sa.Integer(), nullable=False),
    sa.Column('sealed', sa.LargeBinary(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['classroom_id'], ['classrooms.id'], name=op.f('fk_pin_sheets_classroom_id_classrooms'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['teacher_id'], ['accounts.id'], name=op.f('fk_pin_sheets_teacher_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pin_sheets')),
    sa.UniqueConstraint('lookup', name=op.f('uq_pin_sheets_lookup'))
    )
    with op.batch_alter_table('pin_sheets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pin_sheets_classroom_id'), ['classroom_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pin_sheets_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_pin_sheets_teacher_id'), ['teacher_id'], unique=False)


def downgrade():
    with op.batch_alter_table('pin_sheets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pin_sheets_teacher_id'))
        batch_op.drop_index(batch_op.f('ix_pin_sheets_expires_at'))
        batch_op.drop_index(batch_op.f('ix_pin_sheets_classroom_id'))
    op.drop_table('pin_sheets')
