"""students: an index on the pseudonym as typed (lower case, no spaces) per class, so a sign-in finds the student
without reading the whole class

Revision ID: pb01c5e9a3d7
Revises: fa02d4e6f8b1
Create Date: 2026-12-07 10:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'pb01c5e9a3d7'
down_revision = 'fa02d4e6f8b1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_students_classroom_pseudonym_key', 'students',
                    ['classroom_id', sa.text("replace(lower(pseudonym), ' ', '')")], unique=False)


def downgrade():
    op.drop_index('ix_students_classroom_pseudonym_key', table_name='students')
