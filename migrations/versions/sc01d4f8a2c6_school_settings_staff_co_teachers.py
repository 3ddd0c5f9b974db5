"""school settings, staff invitations, removed staff, co-teachers (class_teachers replaces classrooms.teacher_id)

Revision ID: sc01d4f8a2c6
Revises: lt01b4d8e2f6a1
Create Date: 2026-12-07 07:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'sc01d4f8a2c6'
down_revision = 'lt01b4d8e2f6a1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('schools', schema=None) as batch_op:
        batch_op.add_column(sa.Column('languages', sa.String(length=40), server_default='ko,en', nullable=False))
        batch_op.add_column(sa.Column('guardian_consent_required', sa.Boolean(), server_default='1',
                                      nullable=False))
        batch_op.add_column(sa.Column('term_starts', sa.String(length=5), nullable=True))
        batch_op.add_column(sa.Column('public_url', sa.String(length=200), nullable=True))
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('removed_at', sa.DateTime(), nullable=True))
    op.create_table('staff_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('invited_by', sa.Integer(), nullable=True),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['invited_by'], ['accounts.id'], name=op.f('fk_staff_invitations_invited_by_accounts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_staff_invitations_school_id_schools'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_invitations')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_staff_invitations_key_hash'))
    )
    with op.batch_alter_table('staff_invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_invitations_school_id'), ['school_id'], unique=False)
    op.create_table('class_teachers',
    sa.Column('classroom_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_class_teachers_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['classroom_id'], ['classrooms.id'], name=op.f('fk_class_teachers_classroom_id_classrooms'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('classroom_id', 'account_id', name=op.f('pk_class_teachers'))
    )
    with op.batch_alter_table('class_teachers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_class_teachers_account_id'), ['account_id'], unique=False)
    # Every class keeps its teacher: the owner becomes the class's first teacher.
    op.execute("INSERT INTO class_teachers (classroom_id, account_id, added_at) "
               "SELECT id, teacher_id, created_at FROM classrooms")
    with op.batch_alter_table('classrooms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_classrooms_teacher_id'))
        batch_op.drop_constraint(batch_op.f('fk_classrooms_teacher_id_accounts'), type_='foreignkey')
        batch_op.drop_column('teacher_id')


def downgrade():
    with op.batch_alter_table('classrooms', schema=None) as batch_op:
        batch_op.add_column(sa.Column('teacher_id', sa.Integer(), nullable=True))
    # The longest-serving teacher of each class becomes its owner again.
    op.execute("UPDATE classrooms SET teacher_id = (SELECT account_id FROM class_teachers "
               "WHERE class_teachers.classroom_id = classrooms.id ORDER BY added_at, account_id LIMIT 1)")
    with op.batch_alter_table('classrooms', schema=None) as batch_op:
        batch_op.alter_column('teacher_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(batch_op.f('fk_classrooms_teacher_id_accounts'), 'accounts', ['teacher_id'],
                                    ['id'], ondelete='CASCADE')
        batch_op.create_index(batch_op.f('ix_classrooms_teacher_id'), ['teacher_id'], unique=False)
    with op.batch_alter_table('class_teachers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_class_teachers_account_id'))
    op.drop_table('class_teachers')
    with op.batch_alter_table('staff_invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_invitations_school_id'))
    op.drop_table('staff_invitations')
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.drop_column('removed_at')
    with op.batch_alter_table('schools', schema=None) as batch_op:
        batch_op.drop_column('public_url')
        batch_op.drop_column('term_starts')
        batch_op.drop_column('guardian_consent_required')
        batch_op.drop_column('languages')
