"""Recording sensitive actions for the school admin's audit log."""

from __future__ import annotations

from sqlalchemy import or_, select

from edu.extensions import db
from edu.models import Account, AuditEvent

ACTIONS = ("view_student", "export_class", "delete_student", "delete_class", "archive_class", "reset_pins",
           "pause_module", "resume_module", "destroy_key", "research_export", "safeguarding_lead",
           "change_password", "two_step_on", "two_step_off", "reset_two_step", "survey_release",
           "view_case", "case_state", "safeguarding_settings", "case_reply", "assign_sequence",
           "incident_open", "incident_view", "incident_pause", "incident_resume", "incident_tick", "incident_log",
           "incident_follow_up", "incident_close", "incident_delete",
           "sso_provider_add", "sso_provider_remove", "sso_required_on", "sso_required_off", "sso_link", "sso_unlink",
           "lti_platform_add", "lti_platform_remove", "school_settings", "invite_staff", "withdraw_invitation",
           "join_school", "change_role", "remove_staff", "class_moved", "add_co_teacher", "remove_co_teacher",
           "family_contact", "family_school_link", "family_notice", "participation_export", "roster_import")


def record(account: Account | None, action: str, target: str, school_id: int | None = None) -> None:
    if action not in ACTIONS:
        raise ValueError(action)
    db.session.add(AuditEvent(
        school_id=school_id if school_id is not None else (account.school_id if account else None),
        account_id=account.id if account else None, action=action, target=target[:120],
    ))


def events_for_school(school_id: int, limit: int = 200) -> list[AuditEvent]:
    """The school's events, and instance-wide ones such as destroying the research link key."""
    return list(db.session.scalars(select(AuditEvent).where(or_(AuditEvent.school_id == school_id,
                                                                AuditEvent.school_id.is_(None)))
                                   .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc()).limit(limit)))
