"""safeguarding cases and the anonymous two-way channel

Cases: possible disclosures for the class teacher and the safeguarding lead.

Adds safeguarding_cases (one per flagged anonymous question; no student column; times rounded to the hour),
safeguarding_case_events (who moved a case to which state, when, to the hour) and
schools.safeguarding_escalation_hours (when a case still "new" sends a reminder).
The channel: anonymous_questions.receipt_hash (a keyed hash of the code the student was shown once),
anonymous_questions.public_text (the question as published to the class) and question_messages (the private
thread: no student column, the day only).

Revision ID: sa01c7e5b9d2
Revises: te02b6d8f0a3
Create Date: 2026-12-07 03:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'sa01c7e5b9d2'
down_revision = 'te02b6d8f0a3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('anonymous_questions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public_text', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('receipt_hash', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_anonymous_questions_receipt_hash'), ['receipt_hash'])
    op.create_table('question_messages',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('question_id', sa.String(length=32), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('author', sa.String(length=8), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_question_messages_account_id_accounts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['question_id'], ['anonymous_questions.id'], name=op.f('fk_question_messages_question_id_anonymous_questions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question_messages'))
    )
    with op.batch_alter_table('question_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_question_messages_question_id'), ['question_id'], unique=False)
    with op.batch_alter_table('schools', schema=None) as batch_op:
        batch_op.add_column(sa.Column('safeguarding_escalation_hours', sa.Integer(), server_default='24',
                                      nullable=False))
    op.create_table('safeguarding_cases',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('classroom_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.String(length=32), nullable=True),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('notified_at', sa.DateTime(), nullable=True),
    sa.Column('reminded_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['classroom_id'], ['classrooms.id'], name=op.f('fk_safeguarding_cases_classroom_id_classrooms'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['anonymous_questions.id'], name=op.f('fk_safeguarding_cases_question_id_anonymous_questions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_safeguarding_cases')),
    sa.UniqueConstraint('question_id', name=op.f('uq_safeguarding_cases_question_id'))
    )
    with op.batch_alter_table('safeguarding_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_safeguarding_cases_classroom_id'), ['classroom_id'], unique=False)
    op.create_table('safeguarding_case_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.String(length=32), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_safeguarding_case_events_account_id_accounts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['case_id'], ['safeguarding_cases.id'], name=op.f('fk_safeguarding_case_events_case_id_safeguarding_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_safeguarding_case_events'))
    )
    with op.batch_alter_table('safeguarding_case_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_safeguarding_case_events_case_id'), ['case_id'], unique=False)


def downgrade():
    with op.batch_alter_table('safeguarding_case_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_safeguarding_case_events_case_id'))
    op.drop_table('safeguarding_case_events')
    with op.batch_alter_table('safeguarding_cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_safeguarding_cases_classroom_id'))
    op.drop_table('safeguarding_cases')
    with op.batch_alter_table('schools', schema=None) as batch_op:
        batch_op.drop_column('safeguarding_escalation_hours')
    with op.batch_alter_table('question_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_question_messages_question_id'))
    op.drop_table('question_messages')
    with op.batch_alter_table('anonymous_questions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_anonymous_questions_receipt_hash'), type_='unique')
        batch_op.drop_column('receipt_hash')
        batch_op.drop_column('public_text')
