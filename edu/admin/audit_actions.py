"""What each audited action is called on the admin's audit log (edu/admin/audit_labels.py says what it acted on).
An action the app records without a name here shows as its code."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ACTION_NAMES = {
    "view_student": _l("Viewed a student's answers"),
    "export_class": _l("Exported a class"),
    "delete_student": _l("Deleted a student"),
    "delete_class": _l("Deleted an archived class"),
    "archive_class": _l("Archived a class"),
    "reset_pins": _l("Gave new PINs"),
    "pause_module": _l("Paused a module"),
    "resume_module": _l("Resumed a module"),
    "destroy_key": _l("Destroyed the pre/post link key"),
    "research_export": _l("Made a research export"),
    "safeguarding_lead": _l("Changed the safeguarding lead"),
    "change_password": _l("Changed their password"),
    "two_step_on": _l("Set up two-step sign-in"),
    "two_step_off": _l("Turned off two-step sign-in"),
    "survey_release": _l("Released survey figures"),
    "reset_two_step": _l("Two-step sign-in reset by the operator"),
    "view_case": _l("Opened a safeguarding case"),
    "case_state": _l("Updated a safeguarding case"),
    "safeguarding_settings": _l("Changed the safeguarding reminder time"),
    "assign_sequence": _l("Assigned a year of the scope and sequence"),
    "incident_open": _l("Opened an incident"),
    "incident_view": _l("Looked at an incident"),
    "incident_pause": _l("Paused a module for an incident"),
    "incident_resume": _l("Resumed a module paused for an incident"),
    "incident_tick": _l("Marked an incident's checklist step done"),
    "incident_log": _l("Added to an incident's evidence log"),
    "incident_follow_up": _l("Assigned a follow-up module after an incident"),
    "incident_close": _l("Closed an incident"),
    "incident_delete": _l("Deleted a closed incident after the retention period"),
    "sso_provider_add": _l("Added a school-account sign-in provider"),
    "sso_provider_remove": _l("Removed a school-account sign-in provider"),
    "sso_required_on": _l("Required school accounts for teachers' sign-in"),
    "sso_required_off": _l("Let teachers sign in with passwords again"),
    "sso_link": _l("Linked a school account for sign-in"),
    "sso_unlink": _l("Unlinked a school account"),
    "lti_platform_add": _l("Registered an LMS (LTI 1.3)"),
    "lti_platform_remove": _l("Removed an LMS registration"),
    "case_reply": _l("Replied to a safeguarding case"),
    "school_settings": _l("Changed the school's settings"),
    "invite_staff": _l("Made an invitation link"),
    "withdraw_invitation": _l("Withdrew an invitation link"),
    "join_school": _l("Joined the school with an invitation link"),
    "change_role": _l("Changed a staff member's role"),
    "remove_staff": _l("Removed a staff member from the school"),
    "class_moved": _l("Moved a class to another teacher"),
    "add_co_teacher": _l("Added a teacher to a class"),
    "remove_co_teacher": _l("Took a teacher off a class"),
    "family_contact": _l("Changed the contact line for families"),
    "family_school_link": _l("Made a new school link for family sheets"),
    "family_notice": _l("Changed the link of a class notice for families"),
    "participation_export": _l("Exported the participation figures"),
    "roster_import": _l("Imported a class list"),
}


def action_name(action: str) -> str:
    return str(ACTION_NAMES.get(action, action))
