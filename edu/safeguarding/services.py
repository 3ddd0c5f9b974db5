"""Anonymous questions, "talk to someone" requests, live polls, step-out counts and incident mode.

Services flush, never commit. Nothing here logs or returns free text outside its own path.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, distinct, func, select
from sqlalchemy.exc import IntegrityError

from edu import mixing
from edu.extensions import db
from edu.models import (
    Account,
    AnonymousQuestion,
    BlockResponse,
    Classroom,
    HelpRequest,
    LivePoll,
    ModulePause,
    PollVote,
    PollVoter,
    Student,
    taught_by,
    utcnow,
)
from edu.safeguarding import cases

QUESTION_MAX = 1000
ANSWER_MAX = 2000
POLL_MIN_VOTES = 5


class InvalidInput(Exception):
    pass


class NotFound(Exception):
    pass


class AlreadyVoted(Exception):
    pass


# ---- anonymous questions ---------------------------------------------------------------------------------


def school_today(classroom: Classroom) -> date:
    """Today in the school's time zone (the inbox shows days as the school counts them)."""
    return datetime.now(ZoneInfo(classroom.school.timezone)).date()


def ask(classroom: Classroom, text: str, flagged: bool) -> AnonymousQuestion:
    """Store a question with the class only: no student, no session, no IP, and only the day it was sent.
    A flagged question also opens a safeguarding case for the class teacher and the school's lead."""
    text = (text or "").strip()
    if not text or len(text) > QUESTION_MAX:
        raise InvalidInput("length")
    question = AnonymousQuestion(classroom_id=classroom.id, text=text, flagged=flagged,
                                 created_on=school_today(classroom), status="new")
    db.session.add(question)
    db.session.flush()
    if flagged:
        cases.open_case(question)
    return question


def inbox(classroom: Classroom) -> dict[str, list[AnonymousQuestion]]:
    rows = db.session.scalars(select(AnonymousQuestion).where(AnonymousQuestion.classroom_id == classroom.id)
                              .order_by(AnonymousQuestion.flagged.desc(), AnonymousQuestion.created_on.desc()))
    grouped: dict[str, list[AnonymousQuestion]] = {"new": [], "answered": [], "dismissed": []}
    for row in rows:
        grouped[row.status].append(row)
    return grouped


def answered_questions(classroom: Classroom) -> list[AnonymousQuestion]:
    return list(db.session.scalars(select(AnonymousQuestion).where(
        AnonymousQuestion.classroom_id == classroom.id, AnonymousQuestion.status == "answered")
        .order_by(AnonymousQuestion.answered_at.desc())))


_ANSWERED_COUNT = select(func.count()).select_from(AnonymousQuestion).where(
    AnonymousQuestion.classroom_id == bindparam("classroom_id"), AnonymousQuestion.status == "answered")


def answered_question_count(classroom: Classroom) -> int:
    return db.session.scalar(_ANSWERED_COUNT, {"classroom_id": classroom.id})


def _question(classroom: Classroom, question_id: str) -> AnonymousQuestion:
    row = db.session.get(AnonymousQuestion, question_id)
    if row is None or row.classroom_id != classroom.id:
        raise NotFound(question_id)
    return row


def question_in(classroom: Classroom, question_id: str) -> AnonymousQuestion:
    """One of the class's questions (NotFound for another class's)."""
    return _question(classroom, question_id)


def answer(classroom: Classroom, question_id: str, text: str, public_text: str | None = None) -> None:
    """Publish an answer to the class with ``public_text``, the teacher's general rewording of the question;
    without one, the student's own words are published (the teacher page asks the teacher to choose so)."""
    text, public_text = (text or "").strip(), (public_text or "").strip()
    if not text or len(text) > ANSWER_MAX or len(public_text) > QUESTION_MAX:
        raise InvalidInput("length")
    row = _question(classroom, question_id)
    row.answer, row.status, row.answered_at = text, "answered", utcnow()
    row.public_text = public_text or row.text
    db.session.flush()


def dismiss(classroom: Classroom, question_id: str) -> None:
    _question(classroom, question_id).status = "dismissed"
    db.session.flush()


def new_question_count(classroom: Classroom) -> int:
    return db.session.scalar(select(func.count()).select_from(AnonymousQuestion).where(
        AnonymousQuestion.classroom_id == classroom.id, AnonymousQuestion.status == "new")) or 0


# ---- "I want to talk to someone" -------------------------------------------------------------------------


def request_talk(student: Student) -> HelpRequest:
    """One open request per student at a time; asking again while one is open changes nothing."""
    open_request = db.session.scalar(select(HelpRequest).where(
        HelpRequest.student_id == student.id, HelpRequest.handled_at.is_(None)))
    if open_request is not None:
        return open_request
    request = HelpRequest(student_id=student.id, classroom_id=student.classroom_id)
    db.session.add(request)
    db.session.flush()
    return request


def open_talk_request(student: Student) -> HelpRequest | None:
    return db.session.scalar(select(HelpRequest).where(
        HelpRequest.student_id == student.id, HelpRequest.handled_at.is_(None)))


def talk_requests_for(account: Account) -> list[HelpRequest]:
    """A teacher sees their classes' open requests; the school's safeguarding lead sees the whole school's."""
    query = select(HelpRequest).join(Classroom, HelpRequest.classroom_id == Classroom.id).where(
        HelpRequest.handled_at.is_(None))
    if account.is_safeguarding_lead and account.school_id is not None:
        query = query.where(Classroom.school_id == account.school_id)
    else:
        query = query.where(taught_by(account.id))
    return list(db.session.scalars(query.order_by(HelpRequest.created_at)))


def handle_talk_request(account: Account, request_id: int) -> None:
    request = next((r for r in talk_requests_for(account) if r.id == request_id), None)
    if request is None:
        raise NotFound(request_id)
    request.handled_at = utcnow()
    db.session.flush()


# ---- live polls ------------------------------------------------------------------------------------------


_CURRENT_POLL = (select(LivePoll)
                 .where(LivePoll.classroom_id == bindparam("classroom_id"), LivePoll.closed_at.is_(None))
                 .order_by(LivePoll.id.desc()).limit(1))


def current_poll(classroom: Classroom) -> LivePoll | None:
    """The class's open live poll, if any (read on every student home page: the query is built once)."""
    return db.session.scalar(_CURRENT_POLL, {"classroom_id": classroom.id})


def open_poll(classroom: Classroom, lesson_id: str, block_id: str) -> LivePoll:
    """One poll open at a time in a class: opening a new one closes the previous one."""
    for poll in db.session.scalars(select(LivePoll).where(LivePoll.classroom_id == classroom.id,
                                                          LivePoll.closed_at.is_(None))):
        poll.closed_at = utcnow()
    poll = LivePoll(classroom_id=classroom.id, lesson_id=lesson_id, block_id=block_id)
    db.session.add(poll)
    db.session.flush()
    return poll


def owned_poll(classroom: Classroom, poll_id: int) -> LivePoll:
    poll = db.session.get(LivePoll, poll_id)
    if poll is None or poll.classroom_id != classroom.id:
        raise NotFound(poll_id)
    return poll


def close_poll(poll: LivePoll) -> None:
    if poll.closed_at is None:
        poll.closed_at = utcnow()
    db.session.flush()


_HAS_VOTED = select(PollVoter.poll_id).where(PollVoter.poll_id == bindparam("poll_id"),
                                             PollVoter.student_id == bindparam("student_id"))


def has_voted(poll: LivePoll, student_id: int) -> bool:
    return db.session.scalar(_HAS_VOTED, {"poll_id": poll.id, "student_id": student_id}) is not None


def vote(poll: LivePoll, student_id: int, option_id: str, valid_options: set[str]) -> None:
    """One vote per student and poll, whatever the browser sends: the (poll, student) "has voted" row is the lock
    (its primary key refuses a second one, even from two requests at once). It is kept apart from the vote, which
    names no student."""
    if poll.closed_at is not None:
        raise InvalidInput("closed")
    if option_id not in valid_options:
        raise InvalidInput("option")
    try:
        with db.session.begin_nested():  # a second vote (replayed cookie, another tab) adds nothing
            db.session.add(PollVoter(poll_id=poll.id, student_id=student_id))
            db.session.flush()
    except IntegrityError as error:
        raise AlreadyVoted(poll.id) from error
    mixing.hold_poll_vote(poll, option_id, mixing.iso_week(utcnow()))  # written with the poll's batch (edu/mixing.py)
    db.session.flush()


def poll_counts(poll: LivePoll) -> tuple[int, dict[str, int] | None]:
    """(number of votes, counts per option) — the counts only once at least five have voted."""
    options = Counter(db.session.scalars(select(PollVote.option_id).where(PollVote.poll_id == poll.id)))
    options.update(mixing.pending_poll_votes(poll))  # votes waiting for their batch count at once
    total = sum(options.values())
    return total, (dict(options) if total >= POLL_MIN_VOTES else None)


# ---- step out and incident mode --------------------------------------------------------------------------


def stepout_counts(classroom: Classroom) -> dict[str, int]:
    """How many students stepped out of each lesson's sensitive part: counts only, never who."""
    rows = db.session.execute(
        select(BlockResponse.lesson_id, func.count(distinct(BlockResponse.student_id)))
        .join(Student, Student.id == BlockResponse.student_id)
        .where(Student.classroom_id == classroom.id, BlockResponse.kind == "stepout")
        .group_by(BlockResponse.lesson_id)
    ).all()
    return {lesson_id: count for lesson_id, count in rows}


_PAUSED_MODULES = select(ModulePause.module_id).where(ModulePause.classroom_id == bindparam("classroom_id"))


def paused_modules(classroom_id: int) -> set[str]:
    return set(db.session.scalars(_PAUSED_MODULES, {"classroom_id": classroom_id}))


def is_paused(classroom: Classroom, module_id: str) -> bool:
    """Whether ``module_id`` is paused for the class (incident mode, by its teacher, an admin or an incident of the
    incident playbook). A page for families shows such a module as rescheduled, never why."""
    return module_id in paused_modules(classroom.id)


def pause_module(classroom: Classroom, module_id: str) -> None:
    if module_id in paused_modules(classroom.id):
        return
    try:
        with db.session.begin_nested():  # paused twice at once: the first one stands
            db.session.add(ModulePause(classroom_id=classroom.id, module_id=module_id))
            db.session.flush()
    except IntegrityError:
        pass


def resume_module(classroom: Classroom, module_id: str) -> None:
    for row in db.session.scalars(select(ModulePause).where(ModulePause.classroom_id == classroom.id,
                                                            ModulePause.module_id == module_id)):
        db.session.delete(row)
    db.session.flush()
