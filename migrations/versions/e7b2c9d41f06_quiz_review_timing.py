"""quiz review timing: classrooms.quiz_review ("now" or "after_due")

Revision ID: e7b2c9d41f06
Revises: c4e1d7a93b25
Create Date: 2026-12-07 00:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e7b2c9d41f06'
down_revision = 'c4e1d7a93b25'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('classrooms', schema=None) as batch_op:
        batch_op.add_column(sa.Column('quiz_review', sa.String(length=12), server_default='now', nullable=False))


def downgrade():
    with op.batch_alter_table('classrooms', schema=None) as batch_op:
        batch_op.drop_column('quiz_review')
