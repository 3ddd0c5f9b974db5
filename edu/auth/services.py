"""Accounts, students and signing in. Services flush, never commit."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from edu import audit
from edu.auth.codes import new_pin, new_pseudonym, normalise_join_code, normalise_pseudonym
from edu.auth.secrets import (
    hash_password,
    hash_pin,
    password_needs_rehash,
    pin_needs_rehash,
    verify_password,
    verify_pin,
)
from edu.database import built_once, core_execute
from edu.extensions import db
from edu.models import Account, Classroom, School, Student, utcnow
from edu.models.classes import pseudonym_key
from edu.teach.joining import joining_is_open


class EmailTaken(Exception):
    pass


class JoinRefused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "unknown" (no such class, or not taking students) | "consent"


def find_account(email: str) -> Account | None:
    return db.session.scalar(select(Account).where(func.lower(Account.email) == email.strip().lower()))


def create_account(role: str, email: str, password: str, school: School | None, locale: str | None = None) -> Account:
    if find_account(email) is not None:
        raise EmailTaken(email)
    account = Account(role=role, email=email.strip().lower(), password_hash=hash_password(password), locale=locale)
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


def take_signup_notice(account: Account):
    """The day someone last tried to sign up with this account's address, once (then forgotten), or None."""
    day = account.signup_attempt_on
    if day is not None:
        account.signup_attempt_on = None
        db.session.flush()
    return day


def authenticate_staff(email: str, password: str) -> Account | None:
    account = find_account(email)
    if account is None:
        hash_password(password)  # same work either way, so timing does not reveal which emails exist
        return None
    if not verify_password(account.password_hash, password) or account.removed_at is not None:
        return None  # removed by the school's admin: the same answer as a wrong password
    if password_needs_rehash(account.password_hash):
        account.password_hash = hash_password(password)
    return account


def new_password_hash(account: Account, current_password: str, new_password: str) -> str | None:
    """The hash of the new password, or None when the current password is wrong. Reads only and is slow (two
    argon2 runs): call it outside SQLite's write lock, then store the result with `store_new_password`."""
    if not verify_password(account.password_hash, current_password):
        return None
    return hash_password(new_password)


def store_new_password(account: Account, password_hash: str) -> None:
    """Save a hash made by `new_password_hash`; every earlier session ends (the caller signs the current
    browser in again) and the change goes into the school's audit log, as ids only. An account without a school
    (a curriculum author) is not recorded there: events without a school show in every school's log. The request
    log still has it (endpoint and account id)."""
    account.password_hash = password_hash
    end_all_sessions(account)
    if account.school_id is not None:
        audit.record(account, "change_password", f"account:{account.id}")
    db.session.flush()


def _has_join_code(code: str):
    """The condition for the class with this join code as typed (any case, spaces around it)."""
    return Classroom.join_code == normalise_join_code(code)


def classroom_by_code(code: str) -> Classroom | None:
    return db.session.scalar(select(Classroom).where(_has_join_code(code)))


def add_student(classroom: Classroom) -> tuple[Student, str]:
    """Create a student with a fresh pseudonym (no near-duplicate of another in the class: edu/auth/codes.py) and
    PIN; returns the PIN once."""
    # The class row is locked first (PostgreSQL; SQLite writes one at a time anyway), so two students joining at
    # the same moment read each other's pseudonyms and cannot get near-duplicates.
    db.session.execute(select(Classroom.id).where(Classroom.id == classroom.id).with_for_update())
    taken = db.session.scalars(select(Student.pseudonym).where(Student.classroom_id == classroom.id)).all()
    pseudonym = new_pseudonym(classroom.locale, taken)
    pin = new_pin()
    student = Student(classroom=classroom, pseudonym=pseudonym, pin_hash=hash_pin(pin))
    db.session.add(student)
    db.session.flush()
    return student, pin


def join_class(code: str) -> tuple[Student, str]:
    """A new student in the class with this code. An unknown code and a class not taking students (joining closed
    by the teacher or by itself, or the class archived) are refused alike: the answer does not tell a guesser
    that a code exists."""

    classroom = classroom_by_code(code)
    if classroom is None or not joining_is_open(classroom, utcnow()):
        raise JoinRefused("unknown")
    if needs_guardian_consent(classroom):
        raise JoinRefused("consent")
    return add_student(classroom)


def needs_guardian_consent(classroom: Classroom) -> bool:
    """Middle-school classes may have students under 14: they open only once the school has recorded
    guardian consent (date and method), unless the school's admin set that its law does not ask for it."""
    school = classroom.school
    return classroom.age_band == "middle" and school.guardian_consent_required and school.guardian_consent_on is None


@dataclass(frozen=True)
class StudentSignIn:
    student: Student
    verified_pin_hash: str  # the stored hash the PIN was checked against
    new_pin_hash: str | None = None  # the PIN hashed with the current parameters, when the stored hash is older


def find_student(classroom_id: int, pseudonym: str) -> Student | None:
    """The one student of the class with this pseudonym, as typed (any case, with or without spaces), without
    loading the rest of the class. Pseudonyms are generated with single spaces from ASCII or Hangul words, for which
    SQL's lower() is the same as casefold(); the final check in Python keeps the match exact."""
    wanted = normalise_pseudonym(pseudonym)
    candidates = db.session.scalars(select(Student).where(
        Student.classroom_id == classroom_id, pseudonym_key == wanted,  # through its index
    ))
    return next((s for s in candidates if normalise_pseudonym(s.pseudonym) == wanted), None)


def authenticate_student(code: str, pseudonym: str, pin: str) -> StudentSignIn | None:
    """The student with these details, or None. Reads only: the caller records the sign-in afterwards (with
    `record_student_sign_in`, which also stores a rehashed PIN), so the slow PIN hash never runs while SQLite's
    write lock is held."""
    classroom = db.session.execute(select(Classroom.id, Classroom.archived_at).where(
        _has_join_code(code))).first()  # the two columns a sign-in needs
    student = None
    if classroom is not None and classroom.archived_at is None:
        student = find_student(classroom.id, pseudonym)
    pin = pin.strip()
    if student is None:
        hash_pin(pin)  # same work either way, so timing does not reveal which pseudonyms exist
        return None
    if not verify_pin(student.pin_hash, pin):
        return None
    new_pin_hash = hash_pin(pin) if pin_needs_rehash(student.pin_hash) else None
    return StudentSignIn(student, student.pin_hash, new_pin_hash)


def record_student_sign_in(sign_in: StudentSignIn) -> bool:
    """Record a sign-in checked by `authenticate_student` (in the short write step), and store the rehashed PIN.
    False when the teacher reset the PIN in between: the old PIN no longer signs in, and is not stored again.
    One UPDATE that matches only while the stored hash is still the one the PIN was checked against."""
    student, rehashed = sign_in.student, sign_in.new_pin_hash is not None
    values = {"last_active_at": utcnow(), **({"pin_hash": sign_in.new_pin_hash} if rehashed else {})}
    recorded = core_execute(built_once(("record_student_sign_in", rehashed), lambda: _build_sign_in_update(rehashed)),
                            {**{f"new_{name}": value for name, value in values.items()},
                             "student_id": student.id, "checked_pin_hash": sign_in.verified_pin_hash})
    if recorded.rowcount != 1:
        return False
    for name, value in values.items():  # the loaded student matches what was written, without reading it again
        set_committed_value(student, name, value)
    return True


def _build_sign_in_update(rehashed: bool):
    table = Student.__table__
    columns = ("last_active_at", "pin_hash") if rehashed else ("last_active_at",)
    return update(table).where(table.c.id == bindparam("student_id"),
                               table.c.pin_hash == bindparam("checked_pin_hash")).values(
        {name: bindparam(f"new_{name}") for name in columns})


def end_all_sessions(user: Account | Student) -> None:
    """Every cookie issued before this stops working (the session version is part of the user id)."""
    user.session_version += 1
    db.session.flush()
