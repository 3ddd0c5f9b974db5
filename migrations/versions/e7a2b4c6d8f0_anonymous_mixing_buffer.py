"""anonymous mixing buffer: identity-none survey answers and poll votes wait in anonymous_pending

Adds anonymous_pending (edu/mixing.py): one row per student submission of `identity: none` answers or per poll
vote, with no student column, a random id and the ISO week only, deleted when its class's batch is written.

Revision ID: e7a2b4c6d8f0
Revises: e7b2c9d41f06
Create Date: 2026-12-07 00:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e7a2b4c6d8f0'
down_revision = 'e7b2c9d41f06'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('anonymous_pending',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('classroom_id', sa.Integer(), nullable=False),
    sa.Column('group_key', sa.String(length=80), nullable=False),
    sa.Column('week', sa.String(length=8), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['classroom_id'], ['classrooms.id'], name=op.f('fk_anonymous_pending_classroom_id_classrooms'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_anonymous_pending'))
    )
    with op.batch_alter_table('anonymous_pending', schema=None) as batch_op:
        batch_op.create_index('ix_anonymous_pending_group', ['classroom_id', 'group_key'], unique=False)


def downgrade():
    with op.batch_alter_table('anonymous_pending', schema=None) as batch_op:
        batch_op.drop_index('ix_anonymous_pending_group')
    op.drop_table('anonymous_pending')
