"""Accounts, students and signing in. Services flush, never commit."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from edu.auth.codes import new_pin, new_pseudonym, normalise_join_code, normalise_pseudonym
from edu.auth.secrets import hash_secret, needs_rehash, verify_secret
from edu.extensions import db
from edu.models import Account, Classroom, School, Student, utcnow


class EmailTaken(Exception):
    pass


class JoinRefused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "unknown" | "closed"


def find_account(email: str) -> Account | None:
    return db.session.scalar(select(Account).where(func.lower(Account.email) == email.strip().lower()))


def create_account(role: str, email: str, password: str, school: School | None, locale: str | None = None) -> Account:
    if find_account(email) is not None:
        raise EmailTaken(email)
    account = Account(role=role, email=email.strip().lower(), password_hash=hash_secret(password), locale=locale)
    try:
        with db.session.begin_nested():  # the row is added inside the savepoint, so a clash discards it
            db.session.add(account)
            account.school = school
            db.session.flush()
    except IntegrityError as error:
        raise EmailTaken(email) from error
    return account


def register_teacher(school_name: str, email: str, password: str, locale: str | None) -> Account:
    school = School(name=school_name)
    db.session.add(school)
    return create_account("teacher", email, password, school, locale)


def authenticate_staff(email: str, password: str) -> Account | None:
    account = find_account(email)
    if account is None:
        hash_secret(password)  # same work either way, so timing does not reveal which emails exist
        return None
    if not verify_secret(account.password_hash, password):
        return None
    if needs_rehash(account.password_hash):
        account.password_hash = hash_secret(password)
    return account


def classroom_by_code(code: str) -> Classroom | None:
    return db.session.scalar(select(Classroom).where(Classroom.join_code == normalise_join_code(code)))


def add_student(classroom: Classroom) -> tuple[Student, str]:
    """Create a student with a fresh pseudonym (unique in the class) and PIN; returns the PIN once."""
    taken = {normalise_pseudonym(s.pseudonym) for s in classroom.students}
    for _ in range(50):
        pseudonym = new_pseudonym(classroom.locale)
        if normalise_pseudonym(pseudonym) not in taken:
            break
    else:  # pragma: no cover - 51,840 names per language make this practically impossible
        raise RuntimeError("no free pseudonym")
    pin = new_pin()
    student = Student(classroom=classroom, pseudonym=pseudonym, pin_hash=hash_secret(pin))
    db.session.add(student)
    db.session.flush()
    return student, pin


def join_class(code: str) -> tuple[Student, str]:
    classroom = classroom_by_code(code)
    if classroom is None:
        raise JoinRefused("unknown")
    if not classroom.joining_open or classroom.archived_at is not None:
        raise JoinRefused("closed")
    if needs_guardian_consent(classroom):
        raise JoinRefused("consent")
    return add_student(classroom)


def needs_guardian_consent(classroom: Classroom) -> bool:
    """Middle-school classes may have students under 14: they open only once the school has recorded
    guardian consent (date and method)."""
    return classroom.age_band == "middle" and classroom.school.guardian_consent_on is None


def authenticate_student(code: str, pseudonym: str, pin: str) -> Student | None:
    """The student with these details, or None. Reads only: the caller records the sign-in afterwards, so the
    slow PIN hash never runs while SQLite's write lock is held."""
    classroom = classroom_by_code(code)
    wanted = normalise_pseudonym(pseudonym)
    student = None
    if classroom is not None and classroom.archived_at is None:
        student = next((s for s in classroom.students if normalise_pseudonym(s.pseudonym) == wanted), None)
    if student is None:
        hash_secret(pin)
        return None
    if not verify_secret(student.pin_hash, pin.strip()):
        return None
    return student


def record_student_sign_in(student: Student) -> None:
    student.last_active_at = utcnow()
    db.session.flush()


def end_all_sessions(user: Account | Student) -> None:
    """Every cookie issued before this stops working (the session version is part of the user id)."""
    user.session_version += 1
    db.session.flush()
