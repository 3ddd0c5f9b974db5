"""incident playbook: incidents, the pauses they made, checklist ticks and the evidence log (roles, never names)

Revision ID: in01c4a8e2f6
Revises: li01a7c3e9b2
Create Date: 2026-12-07 06:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'in01c4a8e2f6'
down_revision = 'li01a7c3e9b2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('incidents',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=80), nullable=False),
    sa.Column('happened_on', sa.Date(), nullable=False),
    sa.Column('opened_by', sa.Integer(), nullable=True),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['opened_by'], ['accounts.id'], name=op.f('fk_incidents_opened_by_accounts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_incidents_school_id_schools'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incidents'))
    )
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incidents_closed_at'), ['closed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_incidents_school_id'), ['school_id'], unique=False)
    op.create_table('incident_pauses',
    sa.Column('incident_id', sa.String(length=32), nullable=False),
    sa.Column('classroom_id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['classroom_id'], ['classrooms.id'], name=op.f('fk_incident_pauses_classroom_id_classrooms'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_incident_pauses_incident_id_incidents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('incident_id', 'classroom_id', 'module_id', name=op.f('pk_incident_pauses'))
    )
    with op.batch_alter_table('incident_pauses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incident_pauses_classroom_id'), ['classroom_id'], unique=False)
    op.create_table('incident_ticks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.String(length=32), nullable=False),
    sa.Column('step_key', sa.String(length=64), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_incident_ticks_account_id_accounts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_incident_ticks_incident_id_incidents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident_ticks')),
    sa.UniqueConstraint('incident_id', 'step_key', name=op.f('uq_incident_ticks_incident_id_step_key'))
    )
    with op.batch_alter_table('incident_ticks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incident_ticks_incident_id'), ['incident_id'], unique=False)
    op.create_table('incident_log_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.String(length=32), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('role_number', sa.Integer(), nullable=True),
    sa.Column('room', sa.String(length=200), nullable=False),
    sa.Column('handles', sa.String(length=300), nullable=False),
    sa.Column('links', sa.Text(), nullable=False),
    sa.Column('seen_at', sa.String(length=40), nullable=False),
    sa.Column('action', sa.Text(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_incident_log_entries_account_id_accounts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_incident_log_entries_incident_id_incidents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident_log_entries'))
    )
    with op.batch_alter_table('incident_log_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incident_log_entries_incident_id'), ['incident_id'], unique=False)


def downgrade():
    op.drop_table('incident_log_entries')
    op.drop_table('incident_ticks')
    op.drop_table('incident_pauses')
    op.drop_table('incidents')
