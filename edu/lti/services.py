"""LTI 1.3 work: registrations, the values an LMS admin enters, what a validated launch means for Boundaries
(which course, which user, which role, which module), mapping courses to classes and LMS users to pseudonyms.
Services flush, never commit."""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass
from urllib.parse import urlsplit

from flask import current_app, url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from edu.auth.services import add_student, needs_guardian_consent
from edu.extensions import db
from edu.lti import adapters
from edu.lti.identity import context_key, subject_key
from edu.models import Account, Classroom, LtiCourse, LtiPlatform, LtiStudent, School, Student
from edu.teach.services import is_teacher_of

TICKET_SECONDS = 600
TICKET_COOKIE = "lti_ticket"
CONTEXT_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/context"
DEPLOYMENT_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/deployment_id"
CUSTOM_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/custom"
ROLES_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/roles"
# A student is a Learner of the course (a context role): not an institution "Student" or "User" role alone,
# which a parent (Mentor) or an LMS-wide account may also have.
LEARNER_ROLES = ("http://purl.imsglobal.org/vocab/lis/v2/membership#Learner", "Learner")


class Refused(Exception):
    """A launch Boundaries will not carry out; ``reason`` says which page to show."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class InvalidRegistration(Exception):
    pass


# ---- the values an LMS admin registers --------------------------------------------------------------------


def public_base(school: School | None = None) -> str | None:
    """The school's own address (its admin's setting), else EDU_PUBLIC_URL, without its trailing slash, if it is
    an http(s) address."""
    configured = ((school.public_url if school is not None else None) or current_app.config.get("EDU_PUBLIC_URL")
                  or "").strip().rstrip("/")
    return configured if urlsplit(configured).scheme in ("http", "https") else None


def tool_urls(school: School | None = None) -> dict[str, str] | None:
    base = public_base(school)
    if base is None:
        return None
    return {"login": base + url_for("lti.login"), "launch": base + url_for("lti.launch"),
            "jwks": base + url_for("lti.jwks"), "deep_link": base + url_for("lti.launch")}


def launch_url(school: School | None = None) -> str:
    urls = tool_urls(school)
    return urls["launch"] if urls else url_for("lti.launch", _external=True)


# ---- registrations ----------------------------------------------------------------------------------------


def platforms_of(school: School) -> list[LtiPlatform]:
    return list(db.session.scalars(select(LtiPlatform).where(LtiPlatform.school_id == school.id)
                                   .order_by(LtiPlatform.id)))


def add_platform(school: School, issuer: str, client_id: str, deployment_ids: str, auth_login_url: str,
                 auth_token_url: str, key_set_url: str) -> LtiPlatform:
    if adapters.find_platform(issuer, client_id) is not None:
        raise InvalidRegistration("taken")
    deployments = "\n".join(line.strip() for line in deployment_ids.splitlines() if line.strip())
    platform = LtiPlatform(school_id=school.id, issuer=issuer, client_id=client_id, deployment_ids=deployments,
                           auth_login_url=auth_login_url, auth_token_url=auth_token_url, key_set_url=key_set_url)
    db.session.add(platform)
    db.session.flush()
    return platform


def school_platform(school: School, platform_id: int) -> LtiPlatform | None:
    platform = db.session.get(LtiPlatform, platform_id)
    return platform if platform is not None and platform.school_id == school.id else None


# ---- a validated launch -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LaunchFacts:
    """All Boundaries keeps of a launch (for the ten minutes of a ticket): no name, email or LMS id."""

    platform_id: int
    deep_link: bool
    instructor: bool
    learner: bool
    context_key: str
    subject_key: str
    module: str
    launch_id: str


def facts_of(launch) -> LaunchFacts:
    """What a validated `adapters.LtiLaunch` means here. Refused("no_course") without a course context."""
    data = launch.get_launch_data()
    issuer, deployment = data["iss"], data[DEPLOYMENT_CLAIM]
    platform = adapters.find_platform(issuer, launch.get_client_id())
    context = data.get(CONTEXT_CLAIM) or {}
    if platform is None or not context.get("id") or not data.get("sub"):
        raise Refused("no_course")
    custom = data.get(CUSTOM_CLAIM) or {}
    return LaunchFacts(
        platform_id=platform.id, deep_link=launch.is_deep_link_launch(),
        instructor=launch.check_teacher_access(), learner=any(role in LEARNER_ROLES for role in data.get(ROLES_CLAIM) or []),
        context_key=context_key(issuer, deployment, str(context["id"])),
        subject_key=subject_key(issuer, str(data["sub"])),
        module=str(custom.get("module", ""))[:64], launch_id=launch.get_launch_id())


def issue_ticket(facts: LaunchFacts) -> str:
    ticket = secrets.token_urlsafe(32)
    adapters.put_value("ticket-" + ticket, asdict(facts), TICKET_SECONDS)
    return ticket


def read_ticket(ticket: str | None) -> LaunchFacts | None:
    value = adapters.get_value("ticket-" + ticket) if ticket else None
    return LaunchFacts(**value) if value else None


def spend_ticket(ticket: str) -> bool:
    return adapters.take_value("ticket-" + ticket)


# ---- courses and students ---------------------------------------------------------------------------------


def course_for(facts: LaunchFacts) -> LtiCourse | None:
    return db.session.scalar(select(LtiCourse).where(LtiCourse.context_key == facts.context_key))


def may_map(teacher: Account, facts: LaunchFacts) -> bool:
    """A teacher of the school that registered the platform."""
    platform = db.session.get(LtiPlatform, facts.platform_id)
    return platform is not None and teacher.role == "teacher" and teacher.school_id == platform.school_id


def map_course(teacher: Account, facts: LaunchFacts, classroom: Classroom) -> LtiCourse:
    """Link the LMS course to one of the teacher's classes (once: a course already linked stays as it is)."""
    if not is_teacher_of(teacher, classroom) or classroom.archived_at is not None or not may_map(teacher, facts):
        raise Refused("not_yours")
    course = course_for(facts)
    if course is None:
        try:
            with db.session.begin_nested():  # linked twice at once: the first link stands
                course = LtiCourse(platform_id=facts.platform_id, context_key=facts.context_key,
                                   classroom_id=classroom.id)
                db.session.add(course)
                db.session.flush()
        except IntegrityError:
            course = course_for(facts)
    return course


def student_for(facts: LaunchFacts) -> Student:
    """The pseudonymous student this LMS user is in the course's class, created on their first launch under the
    same rule as joining with a code: a class that may have under-14s needs the school's guardian consent first."""
    course = course_for(facts)
    if course is None:
        raise Refused("not_set_up")
    classroom = course.classroom
    if classroom.archived_at is not None:
        raise Refused("not_set_up")
    link = _link(course, facts)
    if link is not None:
        return db.session.get(Student, link.student_id)
    if needs_guardian_consent(classroom):
        raise Refused("consent")
    try:
        with db.session.begin_nested():  # two first launches at once: the first one's student stands
            student, _pin = add_student(classroom)  # the PIN is never shown: this student signs in from the LMS
            db.session.add(LtiStudent(course_id=course.id, subject_key=facts.subject_key, student_id=student.id))
            db.session.flush()
    except IntegrityError:
        return db.session.get(Student, _link(course, facts).student_id)
    return student


def _link(course: LtiCourse, facts: LaunchFacts) -> LtiStudent | None:
    return db.session.scalar(select(LtiStudent).where(LtiStudent.course_id == course.id,
                                                      LtiStudent.subject_key == facts.subject_key))
