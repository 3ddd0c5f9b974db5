"""family pages: a school's public key and contact line, a class's notice key

Revision ID: fa01c3d5e7a9
Revises: sc01d4f8a2c6
Create Date: 2026-12-07 06:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'fa01c3d5e7a9'
down_revision = 'sc01d4f8a2c6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('school_family_settings',
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('public_key', sa.String(length=32), nullable=False),
    sa.Column('contact_line', sa.String(length=200), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_school_family_settings_school_id_schools'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('school_id', name=op.f('pk_school_family_settings')),
    sa.UniqueConstraint('public_key', name=op.f('uq_school_family_settings_public_key'))
    )
    op.create_table('class_notices',
    sa.Column('classroom_id', sa.Integer(), nullable=False),
    sa.Column('notice_key', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['classroom_id'], ['classrooms.id'], name=op.f('fk_class_notices_classroom_id_classrooms'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('classroom_id', name=op.f('pk_class_notices')),
    sa.UniqueConstraint('notice_key', name=op.f('uq_class_notices_notice_key'))
    )


def downgrade():
    op.drop_table('class_notices')
    op.drop_table('school_family_settings')
