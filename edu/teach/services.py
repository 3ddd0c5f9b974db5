"""Classes and their rosters, seen only by the class's teachers."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from edu import audit
from edu.auth.codes import new_join_code, new_pin
from edu.auth.secrets import hash_pin
from edu.auth.services import add_student, needs_guardian_consent
from edu.extensions import db
from edu.learn.pin_reset import forget_before_reset
from edu.models import Account, Assignment, Classroom, ClassTeacher, Student, taught_by, utcnow


class NotFound(Exception):
    """The object does not exist or belongs to someone else (shown as 404 either way)."""


def is_teacher_of(account: Account, classroom: Classroom) -> bool:
    return db.session.get(ClassTeacher, (classroom.id, account.id)) is not None


def classes_of(teacher: Account, archived: bool = False) -> list[Classroom]:
    query = select(Classroom).where(taught_by(teacher.id))
    query = query.where(Classroom.archived_at.is_not(None) if archived else Classroom.archived_at.is_(None))
    return list(db.session.scalars(query.order_by(Classroom.created_at.desc(), Classroom.id.desc())))


def owned_classroom(teacher: Account, classroom_id: int) -> Classroom:
    classroom = db.session.get(Classroom, classroom_id)
    if classroom is None or not is_teacher_of(teacher, classroom):
        raise NotFound(classroom_id)
    return classroom


def create_classroom(teacher: Account, name: str, locale: str, age_band: str, country: str) -> Classroom:
    for _ in range(20):
        classroom = Classroom(
            school_id=teacher.school_id, name=name, locale=locale,
            age_band=age_band, country=country, join_code=new_join_code(),
        )
        try:
            with db.session.begin_nested():  # the row is added inside the savepoint, so a clash discards it
                db.session.add(classroom)
                db.session.flush()
                db.session.add(ClassTeacher(classroom_id=classroom.id, account_id=teacher.id))
                db.session.flush()
        except IntegrityError:  # join code collision: 887 million codes, but be sure
            continue
        return classroom
    raise RuntimeError("could not allocate a join code")


# ---- assignments -----------------------------------------------------------------------------------------

SURVEY_KINDS = ("pre_survey", "post_survey")


class InvalidAssignment(Exception):
    pass


def local_day_bounds(day, timezone: str) -> tuple[datetime, datetime]:
    """Start and end of a calendar day in the school's time zone, as naive UTC."""
    zone = ZoneInfo(timezone)
    start = datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC).replace(tzinfo=None)
    end = datetime.combine(day, time(23, 59), tzinfo=zone).astimezone(UTC).replace(tzinfo=None)
    return start, end


def local_day(moment: datetime | None, timezone: str):
    """The calendar day of a naive UTC time in the school's time zone (what a date field shows)."""
    return moment.replace(tzinfo=UTC).astimezone(ZoneInfo(timezone)).date() if moment else None


def assignments(classroom: Classroom) -> list[Assignment]:
    return list(db.session.scalars(select(Assignment).where(Assignment.classroom_id == classroom.id)
                                   .order_by(Assignment.position, Assignment.id)))


def assign(classroom: Classroom, kind: str, target_id: str, opens_on=None, due_on=None) -> Assignment:
    if kind not in ("module", *SURVEY_KINDS):
        raise InvalidAssignment(kind)
    if opens_on and due_on and due_on < opens_on:
        raise InvalidAssignment("due before open")
    existing = db.session.scalar(select(Assignment).where(
        Assignment.classroom_id == classroom.id, Assignment.kind == kind, Assignment.target_id == target_id))
    timezone = classroom.school.timezone
    row = existing or Assignment(classroom_id=classroom.id, kind=kind, target_id=target_id)
    row.opens_at = local_day_bounds(opens_on, timezone)[0] if opens_on else None
    row.due_at = local_day_bounds(due_on, timezone)[1] if due_on else None
    if existing is None:
        current = assignments(classroom)
        if kind == "pre_survey":
            row.position = min((a.position for a in current), default=0) - 1
        else:
            row.position = max((a.position for a in current), default=0) + 1
        try:
            with db.session.begin_nested():  # the row is added inside the savepoint, so a clash discards it
                db.session.add(row)
                db.session.flush()
        except IntegrityError:  # assigned twice at once: the first one stands
            row = db.session.scalar(select(Assignment).where(
                Assignment.classroom_id == classroom.id, Assignment.kind == kind,
                Assignment.target_id == target_id))
    _renumber(classroom)
    return row


def _renumber(classroom: Classroom) -> None:
    """Keep the pre-survey first and the post-survey last; modules in the teacher's order between them."""
    rows = assignments(classroom)
    rank = {"pre_survey": 0, "module": 1, "post_survey": 2}
    rows.sort(key=lambda a: (rank[a.kind], a.position, a.id))
    for position, row in enumerate(rows):
        row.position = position
    db.session.flush()


def next_due(classroom: Classroom, now: datetime) -> Assignment | None:
    upcoming = [a for a in assignments(classroom) if a.due_at is not None and a.due_at >= now]
    return min(upcoming, key=lambda a: a.due_at, default=None)


def owned_assignment(classroom: Classroom, assignment_id: int) -> Assignment:
    row = db.session.get(Assignment, assignment_id)
    if row is None or row.classroom_id != classroom.id:
        raise NotFound(assignment_id)
    return row


def unassign(classroom: Classroom, assignment_id: int) -> None:
    db.session.delete(owned_assignment(classroom, assignment_id))
    db.session.flush()
    _renumber(classroom)


def move(classroom: Classroom, assignment_id: int, direction: int) -> None:
    row = owned_assignment(classroom, assignment_id)
    modules = [a for a in assignments(classroom) if a.kind == "module"]
    if row.kind != "module":
        return
    index = modules.index(row)
    other = index + direction
    if 0 <= other < len(modules):
        modules[index].position, modules[other].position = modules[other].position, modules[index].position
        db.session.flush()
        _renumber(classroom)


# ---- class settings, archive, roster ---------------------------------------------------------------------


class ArchivedClass(Exception):
    """Archived classes are read-only until restored."""


def ensure_active(classroom: Classroom) -> None:
    if classroom.archived_at is not None:
        raise ArchivedClass(classroom.id)


def update_settings(classroom: Classroom, name: str, locale: str, age_band: str, country: str,
                    quiz_policy: str, quiz_review: str = "now") -> None:
    ensure_active(classroom)
    classroom.name, classroom.locale, classroom.age_band = name, locale, age_band
    classroom.country, classroom.quiz_policy, classroom.quiz_review = country, quiz_policy, quiz_review
    db.session.flush()


def archive(classroom: Classroom) -> None:
    if classroom.archived_at is None:
        classroom.archived_at = utcnow()
        for student in classroom.students:  # signed-in students are signed out
            student.session_version += 1
    db.session.flush()


def restore(classroom: Classroom) -> None:
    if classroom.archived_at is not None and not retention_passed(classroom):
        classroom.archived_at = None
    db.session.flush()


def retention_passed(classroom: Classroom, now: datetime | None = None) -> bool:
    if classroom.archived_at is None:
        return False
    now = now or utcnow()
    return classroom.archived_at + timedelta(days=classroom.school.retention_days) <= now


def purge_expired_classes(now: datetime | None = None) -> list[int]:
    """Delete archived classes past their school's retention period, with everything of their students."""
    expired = [c for c in db.session.scalars(select(Classroom).where(Classroom.archived_at.is_not(None)))
               if retention_passed(c, now)]
    ids = [c.id for c in expired]

    for classroom in expired:
        audit.record(None, "delete_class", f"classroom:{classroom.id}", classroom.school_id)
        db.session.delete(classroom)
    db.session.flush()
    return ids


def set_joining(classroom: Classroom, open_: bool) -> None:
    """Open (or reopen) joining by code for another JOINING_OPEN_DAYS, or close it."""
    ensure_active(classroom)
    classroom.joining_open = open_
    if open_:
        classroom.joining_opened_at = utcnow()
    db.session.flush()


class ConsentMissing(Exception):
    """Students under 14 can be added only after the school records guardian consent."""


def add_students(classroom: Classroom, count: int) -> list[tuple[Student, str]]:
    ensure_active(classroom)

    if needs_guardian_consent(classroom):
        raise ConsentMissing(classroom.id)
    return [add_student(classroom) for _ in range(count)]


def owned_student(classroom: Classroom, student_id: int) -> Student:
    student = db.session.get(Student, student_id)
    if student is None or student.classroom_id != classroom.id:
        raise NotFound(student_id)
    return student


def reset_pins(classroom: Classroom, students: list[Student]) -> list[tuple[Student, str]]:
    """New PINs (shown once, on new login cards); earlier sessions of those students end, and nothing private from
    before the reset shows to whoever signs in with the new PIN (edu/learn/pin_reset.py)."""
    ensure_active(classroom)

    forget_before_reset(students, utcnow())

    cards = []
    for student in students:
        pin = new_pin()
        student.pin_hash = hash_pin(pin)
        student.session_version += 1
        cards.append((student, pin))
    db.session.flush()
    return cards


def remove_student(classroom: Classroom, student: Student) -> None:
    """Delete the student and every row of theirs (the foreign keys cascade)."""
    ensure_active(classroom)
    db.session.delete(student)
    db.session.flush()


def record_guardian_consent(school, on, method: str) -> None:
    school.guardian_consent_on = on
    school.guardian_consent_method = method.strip()[:200]
    db.session.flush()
