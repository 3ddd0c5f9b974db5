"""Co-teachers: a class taught by several teachers of its school (a homeroom teacher and a counsellor), each with
the same rights. Any of them adds or removes another; a class always keeps at least one."""

from __future__ import annotations

from sqlalchemy import select

from edu import audit
from edu.extensions import db
from edu.models import Account, Classroom, ClassTeacher


class Refused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "unknown" (not a teacher of this school) | "last" (the class's only teacher)


def candidates(classroom: Classroom) -> list[Account]:
    """Teachers of the class's school who do not teach it yet."""
    teaching = {t.id for t in classroom.teachers}
    return [a for a in db.session.scalars(select(Account).where(
        Account.school_id == classroom.school_id, Account.role == "teacher", Account.removed_at.is_(None))
        .order_by(Account.email)) if a.id not in teaching]


def add(actor: Account, classroom: Classroom, account_id: int) -> Account:
    account = next((a for a in candidates(classroom) if a.id == account_id), None)
    if account is None:
        raise Refused("unknown")
    db.session.add(ClassTeacher(classroom_id=classroom.id, account_id=account.id))
    db.session.flush()
    db.session.expire(classroom, ["teachers"])
    audit.record(actor, "add_co_teacher", f"teaching:{classroom.id}:{account.id}")
    return account


def remove(actor: Account, classroom: Classroom, account_id: int) -> None:
    link = db.session.get(ClassTeacher, (classroom.id, account_id))
    if link is None:
        raise Refused("unknown")
    if len(classroom.teachers) <= 1:
        raise Refused("last")
    db.session.delete(link)
    db.session.flush()
    db.session.expire(classroom, ["teachers"])
    audit.record(actor, "remove_co_teacher", f"teaching:{classroom.id}:{account_id}")
