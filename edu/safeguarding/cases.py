"""Safeguarding cases: a possible disclosure for the class teacher and the school's safeguarding lead.

A case opens when an anonymous question matches a disclosure cue. It names no student, and its times are
rounded down to the hour, so it adds nothing that could tie the question to who sent it. Its state moves
forward only (new → acknowledged → referred → closed; a step may be skipped), each move recorded with who and
when. Only the class teacher, the school's safeguarding leads and the school's admins see a case.
Services flush, never commit.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select

from edu import audit
from edu.extensions import db
from edu.models import (
    Account,
    AnonymousQuestion,
    CaseEvent,
    Classroom,
    SafeguardingCase,
    School,
    taught_by,
    utcnow,
)

STATES = ("new", "acknowledged", "referred", "closed")
OPEN_STATES = STATES[:-1]
ESCALATION_HOURS = range(1, 169)  # what a school may set: 1 hour to a week
# What the "what to do now" panel cites from content/legal/{country}.yaml, in order.
LEGAL_KEYS = {"KR": ("art34-duty", "school-violence", "art14-2-deepfake")}


class NotFound(Exception):
    pass


class InvalidMove(Exception):
    pass


def to_hour(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def open_case(question: AnonymousQuestion, now: datetime | None = None) -> SafeguardingCase:
    case = SafeguardingCase(classroom_id=question.classroom_id, question_id=question.id, state="new",
                            opened_at=to_hour(now or utcnow()))
    db.session.add(case)
    db.session.flush()
    return case


def _visible_query(account: Account):
    """The cases an account may see: its own classes' as teacher; the whole school's as lead or admin."""
    query = select(SafeguardingCase).join(Classroom, SafeguardingCase.classroom_id == Classroom.id)
    if account.school_id is not None and (account.role == "admin" or account.is_safeguarding_lead):
        return query.where(or_(Classroom.school_id == account.school_id, taught_by(account.id)))
    if account.role == "teacher":
        return query.where(taught_by(account.id))
    return query.where(False)


def cases_for(account: Account, include_closed: bool = False) -> list[SafeguardingCase]:
    query = _visible_query(account)
    if not include_closed:
        query = query.where(SafeguardingCase.state.in_(OPEN_STATES))
    return list(db.session.scalars(query.order_by(SafeguardingCase.opened_at.desc(), SafeguardingCase.id)))


def open_case_count(account: Account) -> int:
    return len(cases_for(account))


def case_for(account: Account, case_id: str) -> SafeguardingCase:
    case = db.session.scalar(_visible_query(account).where(SafeguardingCase.id == case_id))
    if case is None:
        raise NotFound(case_id)
    return case


def reads_text(account: Account) -> bool:
    """The class teacher and the leads read the question and its thread; a school admin sees the case (class,
    state, record) but never free text (design.md §4)."""
    return account.role == "teacher"


def case_of_question(question_id: str) -> SafeguardingCase | None:
    return db.session.scalar(select(SafeguardingCase).where(SafeguardingCase.question_id == question_id))


def case_ids(classroom_id: int) -> dict[str, str]:
    """{question id: case id} for a class's flagged questions (the inbox links each to its case)."""
    return dict(db.session.execute(select(SafeguardingCase.question_id, SafeguardingCase.id)
                                   .where(SafeguardingCase.classroom_id == classroom_id)).all())


def move(account: Account, case_id: str, state: str, now: datetime | None = None) -> SafeguardingCase:
    case = case_for(account, case_id)
    if state not in STATES or STATES.index(state) <= STATES.index(case.state):
        raise InvalidMove(state)
    case.state = state
    case.events.append(CaseEvent(state=state, account_id=account.id, at=to_hour(now or utcnow())))
    audit.record(account, "case_state", f"case:{case.id}:{state}", case.classroom.school_id)
    db.session.flush()
    return case


def overdue(case: SafeguardingCase, now: datetime | None = None) -> bool:
    hours = case.classroom.school.safeguarding_escalation_hours
    return case.state == "new" and (now or utcnow()) >= case.opened_at + timedelta(hours=hours)


def legal_keys(country: str) -> tuple[str, ...]:
    return LEGAL_KEYS.get((country or "").upper(), ())


def set_escalation_hours(school: School, hours: int) -> None:
    if hours not in ESCALATION_HOURS:
        raise InvalidMove(hours)
    school.safeguarding_escalation_hours = hours
    db.session.flush()


# ---- who is told -----------------------------------------------------------------------------------------


def leads(school_id: int) -> list[Account]:
    return list(db.session.scalars(select(Account).where(Account.school_id == school_id, Account.removed_at.is_(None),
                                                         Account.is_safeguarding_lead.is_(True))))


def admins(school_id: int) -> list[Account]:
    return list(db.session.scalars(select(Account).where(Account.school_id == school_id, Account.role == "admin",
                                                         Account.removed_at.is_(None))))


def staff_to_tell(case: SafeguardingCase, escalation: bool = False) -> list[Account]:
    """The class's teachers and the school's leads; an escalation reminder also goes to the school's admins."""
    people = {teacher.id: teacher for teacher in case.classroom.teachers if teacher.removed_at is None}
    for account in leads(case.classroom.school_id) + (admins(case.classroom.school_id) if escalation else []):
        people.setdefault(account.id, account)
    return [account for account in people.values() if account is not None and account.email]


def to_notify() -> list[SafeguardingCase]:
    return list(db.session.scalars(select(SafeguardingCase).where(SafeguardingCase.notified_at.is_(None))
                                   .order_by(SafeguardingCase.id)))


def to_remind(now: datetime | None = None) -> list[SafeguardingCase]:
    now = now or utcnow()
    rows = db.session.scalars(select(SafeguardingCase).where(SafeguardingCase.state == "new",
                                                             SafeguardingCase.reminded_at.is_(None))
                              .order_by(SafeguardingCase.id))
    return [case for case in rows if overdue(case, now)]
