"""A school run by its admin: a new school at sign-up, its settings, its staff (roles, removal, where a removed
teacher's classes go). Services flush, never commit; the caller audits and commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from edu import audit
from edu.auth.secrets import hash_password
from edu.auth.services import find_account
from edu.extensions import db
from edu.models import Account, Classroom, ClassTeacher, School, taught_by, utcnow
from edu.school.rules import join_languages

STAFF_ROLES = ("teacher", "admin")


class Refused(Exception):
    """The change would break a rule; ``reason`` says which (the view words it)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class NotFound(Exception):
    pass


@dataclass(frozen=True)
class SchoolSetup:
    """What a school is created with, or its admin changes."""

    name: str
    country: str
    timezone: str
    languages: tuple[str, ...]
    retention_days: int


def apply_setup(school: School, setup: SchoolSetup) -> None:
    school.name = setup.name.strip()[:200]
    school.country = setup.country
    school.timezone = setup.timezone
    school.languages = join_languages(setup.languages) or "ko,en"
    school.retention_days = setup.retention_days


def sign_up_admin(setup: SchoolSetup, email: str, password: str, locale: str | None) -> bool:
    """A new school with the signer as its admin, if no account has this address (True). For a taken address
    nothing about the account changes and no school is made (False); the owner is told at their next sign-in.
    The password is hashed first, before any database work, so the answer, its timing and the write lock held
    look the same either way; the caller shows the same page in both cases."""
    password_hash = hash_password(password)
    account = find_account(email)
    if account is None:
        try:
            with db.session.begin_nested():  # school and account together: a clash drops both
                school = School(name=setup.name)
                apply_setup(school, setup)
                db.session.add(school)
                db.session.add(Account(role="admin", email=email.strip().lower(), password_hash=password_hash,
                                       locale=locale, school=school))
                db.session.flush()
            return True
        except IntegrityError:
            account = find_account(email)
    if account is not None:
        account.signup_attempt_on = utcnow().date()
        db.session.flush()
    return False


@dataclass(frozen=True)
class Policies:
    """The rest of the admin's settings."""

    guardian_consent_required: bool
    guardian_consent_on: date | None
    guardian_consent_method: str
    term_starts: tuple[int, int] | None  # None: the country's usual terms
    public_url: str | None  # None: the operator's EDU_PUBLIC_URL


def update_settings(school: School, setup: SchoolSetup, policies: Policies) -> None:
    apply_setup(school, setup)
    school.guardian_consent_required = policies.guardian_consent_required
    method = policies.guardian_consent_method.strip()[:200]
    if policies.guardian_consent_on is not None and method:
        school.guardian_consent_on, school.guardian_consent_method = policies.guardian_consent_on, method
    elif policies.guardian_consent_on is None and not method:
        school.guardian_consent_on, school.guardian_consent_method = None, None
    school.term_starts = f"{policies.term_starts[0]},{policies.term_starts[1]}" if policies.term_starts else None
    school.public_url = policies.public_url or None
    db.session.flush()


# ---- staff ---------------------------------------------------------------------------------------------------


def staff_of(school: School) -> list[Account]:
    """The school's current teachers and admins (removed accounts are not staff any more)."""
    return list(db.session.scalars(select(Account).where(
        Account.school_id == school.id, Account.role.in_(STAFF_ROLES), Account.removed_at.is_(None))
        .order_by(Account.role.desc(), Account.email)))


def staff_member(school: School, account_id: int) -> Account:
    account = db.session.get(Account, account_id)
    if account is None or account.school_id != school.id or account.removed_at is not None \
            or account.role not in STAFF_ROLES:
        raise NotFound(account_id)
    return account


def classes_taught(account: Account) -> list[Classroom]:
    return list(db.session.scalars(select(Classroom).where(taught_by(account.id)).order_by(Classroom.name)))


def sole_teacher_of(account: Account) -> list[Classroom]:
    """The classes nobody but this account teaches."""
    return [c for c in classes_taught(account) if [t.id for t in c.teachers] == [account.id]]


def change_role(admin: Account, account_id: int, role: str) -> Account:
    """Teacher to admin or back. Not one's own role (a school always keeps an admin: the one acting). A teacher who
    is the only teacher of a class cannot become an admin (admins do not teach): move the class first. The
    account signs in again (an admin must set up two-step sign-in)."""
    if role not in STAFF_ROLES:
        raise Refused("role")
    account = staff_member(admin.school, account_id)
    if account.id == admin.id:
        raise Refused("self")
    if role == account.role:
        return account
    if role == "admin":
        if sole_teacher_of(account):
            raise Refused("sole_teacher")
        for link in db.session.scalars(select(ClassTeacher).where(ClassTeacher.account_id == account.id)):
            db.session.delete(link)
    account.role = role
    account.session_version += 1
    db.session.flush()
    audit.record(admin, "change_role", f"account:{account.id}")
    return account


def remove_staff(admin: Account, account_id: int, successor_id: int | None) -> list[Classroom]:
    """Take an account out of the school: it no longer signs in (every session ends), and each class it teaches
    gets the successor as a teacher (a teacher of the same school) unless they teach it already, so nothing is
    lost. Returns the classes moved. The account's row stays for the audit log."""
    account = staff_member(admin.school, account_id)
    if account.id == admin.id:
        raise Refused("self")
    moved = classes_taught(account)
    successor = None
    if moved:
        if successor_id is None:
            raise Refused("successor")
        try:
            successor = staff_member(admin.school, successor_id)
        except NotFound as error:  # not staff of this school
            raise Refused("successor") from error
        if successor.role != "teacher" or successor.id == account.id:
            raise Refused("successor")
    for classroom in moved:
        db.session.delete(db.session.get(ClassTeacher, (classroom.id, account.id)))
        if db.session.get(ClassTeacher, (classroom.id, successor.id)) is None:
            db.session.add(ClassTeacher(classroom_id=classroom.id, account_id=successor.id))
        audit.record(admin, "class_moved", f"teaching:{classroom.id}:{successor.id}")
    account.removed_at = utcnow()
    account.is_safeguarding_lead = False
    account.session_version += 1
    db.session.flush()
    audit.record(admin, "remove_staff", f"account:{account.id}")
    return moved
