"""security review: poll voters, step-out releases, PIN reset and sign-up notices, joining that closes itself

Adds poll_voters (one row per student and poll they voted in, apart from the votes), stepout_releases (the
step-out count per class and lesson as first shown to the teacher, frozen), students.pin_reset_at,
accounts.signup_attempt_on and classrooms.joining_opened_at. Existing classes count their 14 days of open
joining from this migration.

Revision ID: c4e1d7a93b25
Revises: 5d1e7a3c9b20
Create Date: 2026-12-06 21:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4e1d7a93b25'
down_revision = '5d1e7a3c9b20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('poll_voters',
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('student_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['poll_id'], ['live_polls.id'], name=op.f('fk_poll_voters_poll_id_live_polls'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['student_id'], ['students.id'], name=op.f('fk_poll_voters_student_id_students'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('poll_id', 'student_id', name=op.f('pk_poll_voters'))
    )
    with op.batch_alter_table('poll_voters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_poll_voters_student_id'), ['student_id'], unique=False)

    op.create_table('stepout_releases',
    sa.Column('classroom_id', sa.Integer(), nullable=False),
    sa.Column('lesson_id', sa.String(length=64), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('released_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['classroom_id'], ['classrooms.id'], name=op.f('fk_stepout_releases_classroom_id_classrooms'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('classroom_id', 'lesson_id', name=op.f('pk_stepout_releases'))
    )
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signup_attempt_on', sa.Date(), nullable=True))
    with op.batch_alter_table('students', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pin_reset_at', sa.DateTime(), nullable=True))
    # Existing classes count from now (the server's clock, in UTC like every time here).
    with op.batch_alter_table('classrooms', schema=None) as batch_op:
        batch_op.add_column(sa.Column('joining_opened_at', sa.DateTime(), nullable=True))
    op.execute(sa.text("UPDATE classrooms SET joining_opened_at = :now").bindparams(now=_utcnow()))
    with op.batch_alter_table('classrooms', schema=None) as batch_op:
        batch_op.alter_column('joining_opened_at', existing_type=sa.DateTime(), nullable=False)


def _utcnow():
    from datetime import UTC, datetime

    return datetime.now(UTC).replace(tzinfo=None)


def downgrade():
    with op.batch_alter_table('classrooms', schema=None) as batch_op:
        batch_op.drop_column('joining_opened_at')
    with op.batch_alter_table('students', schema=None) as batch_op:
        batch_op.drop_column('pin_reset_at')
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.drop_column('signup_attempt_on')
    op.drop_table('stepout_releases')
    with op.batch_alter_table('poll_voters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_poll_voters_student_id'))
    op.drop_table('poll_voters')
