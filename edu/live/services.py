"""Live lessons: starting, moving from step to step, answers counted without a name, the one reveal rule, the end.

Answers are stored as design.md's insider model asks (edu/models/live.py): who answered, apart from per-option
counters that were all created before anyone answered; revealing freezes the totals and deletes the counters.
Services flush, never commit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.exc import IntegrityError

from edu.content.activities import FLIP_ANSWERS
from edu.extensions import db
from edu.models import (
    Classroom,
    LiveAnswerer,
    LiveLesson,
    LiveQuestion,
    LiveTally,
    utcnow,
)
from edu.safeguarding.services import paused_modules
from edu.teach.services import assignments

REVEAL_MIN = 5  # design.md: the one reveal rule for live totals
ANSWERED_KINDS = ("check", "scenario", "poll", "flip", "chat")


class NotFound(Exception):
    pass


class InvalidInput(Exception):
    pass


class AlreadyAnswered(Exception):
    pass


class Closed(Exception):
    """The question was revealed (or the lesson moved on or ended): it takes no more answers."""


class TooFew(Exception):
    """Fewer than REVEAL_MIN answered: the totals stay hidden."""


@dataclass(frozen=True)
class QuestionState:
    block_id: str
    answered: int
    totals: dict[str, int] | None  # frozen at the reveal; None before it
    can_reveal: bool
    segment: object = None
    decision: object = None  # a group chat's decision: each is a question of its own


@dataclass(frozen=True)
class Question:
    """One question the class answers: a block, or one decision of a group chat (id ``<chat id>.<decision id>``,
    which no block id can be: ids have no dots)."""

    id: str
    segment: object
    decision: object = None

    @property
    def options(self) -> list[str]:
        return [c.id for c in self.decision.choices] if self.decision is not None else option_ids(self.segment)


def option_ids(segment) -> list[str]:
    if segment.kind == "chat":
        return []  # its decisions are the questions
    if segment.kind == "check":
        return [o.id for o in segment.options]
    if segment.kind == "scenario":
        return [c.id for c in segment.choices]
    if segment.kind == "poll":
        return [o.id for o in segment.options]
    return list(FLIP_ANSWERS)


def questions(step) -> list:
    """The blocks of a step the class answers on phones."""
    return [seg for seg in step.segments if seg.kind in ANSWERED_KINDS]


def step_questions(step) -> list[Question]:
    """The questions of a step, a group chat's decisions each on its own, in order."""
    found: list[Question] = []
    for seg in questions(step):
        if seg.kind == "chat":
            found.extend(Question(f"{seg.id}.{d.id}", seg, d) for d in seg.decisions)
        else:
            found.append(Question(seg.id, seg))
    return found


def chat_question(segment, path: str) -> tuple[str, str]:
    """The question a group chat's answer ``path`` answers (its last decision) and the move chosen there."""
    moves = path.split(".")
    if segment.kind != "chat" or not segment.accepts(path):
        raise InvalidInput("not a way through this chat")
    return f"{segment.id}.{segment.decisions[len(moves) - 1].id}", moves[-1]


# ---- which lessons, which live lesson ---------------------------------------------------------------------------

_RUNNING = (select(LiveLesson).where(LiveLesson.classroom_id == bindparam("classroom_id"),
                                     LiveLesson.ended_at.is_(None)).order_by(LiveLesson.id.desc()).limit(1))


def running(classroom_id: int) -> LiveLesson | None:
    """The class's live lesson, if one is running (read on every poll: the query is built once)."""
    return db.session.scalar(_RUNNING, {"classroom_id": classroom_id})


def runnable_lessons(classroom: Classroom, catalog) -> list[tuple[object, list]]:
    """(module, its lessons) for each module assigned to the class and not paused, in the class's language."""
    paused = paused_modules(classroom.id)
    found = []
    for assignment in assignments(classroom):
        module = catalog.module(assignment.target_id) if assignment.kind == "module" else None
        if module is None or assignment.target_id in paused:
            continue
        lessons = catalog.lessons_for(assignment.target_id, classroom.locale, region=classroom.region,
                                      band=classroom.age_band)
        if lessons:
            found.append((module, lessons))
    return found


def runnable_lesson(classroom: Classroom, catalog, lesson_id: str):
    for _module, lessons in runnable_lessons(classroom, catalog):
        for lesson in lessons:
            if lesson.id == lesson_id:
                return lesson
    raise NotFound(lesson_id)


# ---- the teacher ------------------------------------------------------------------------------------------------


def start(classroom: Classroom, lesson) -> LiveLesson:
    """Start ``lesson`` live at its first step; a lesson already running in the class ends first."""
    current = running(classroom.id)
    if current is not None:
        end(current)
    live = LiveLesson(classroom_id=classroom.id, lesson_id=lesson.id, step=0, version=1, started_at=utcnow())
    db.session.add(live)
    db.session.flush()
    _open_step(live, lesson.steps[0])
    return live


def _open_step(live: LiveLesson, step) -> None:
    """Create the step's questions and every option's counter at zero, before anyone can answer."""
    for question in step_questions(step):
        if db.session.get(LiveQuestion, (live.id, question.id)) is not None:
            continue  # opened before (the teacher went back): its counters or frozen totals stand
        db.session.add(LiveQuestion(live_id=live.id, block_id=question.id))
        for option in question.options:
            db.session.add(LiveTally(live_id=live.id, block_id=question.id, option_id=option, count=0))
    db.session.flush()


def move(live: LiveLesson, lesson, index: int) -> None:
    if live.ended_at is not None:
        raise Closed(live.id)
    if not 0 <= index < len(lesson.steps):
        raise InvalidInput("step out of range")
    if index != live.step:
        live.step = index
        live.version += 1
        _open_step(live, lesson.steps[index])
    db.session.flush()


def end(live: LiveLesson) -> None:
    """End the lesson: totals never revealed are deleted unseen, and so is the record of who answered."""
    if live.ended_at is None:
        live.ended_at = utcnow()
        live.version += 1
    db.session.execute(delete(LiveTally).where(LiveTally.live_id == live.id))
    db.session.execute(delete(LiveAnswerer).where(LiveAnswerer.live_id == live.id))
    db.session.flush()


def reveal(live: LiveLesson, block_id: str) -> None:
    """The one reveal rule: only once REVEAL_MIN have answered; it closes the question and freezes its totals."""
    question = db.session.get(LiveQuestion, (live.id, block_id), with_for_update=True)
    if question is None or live.ended_at is not None:
        raise NotFound(block_id)
    if question.revealed_at is not None:
        return
    if answered_counts(live).get(block_id, 0) < REVEAL_MIN:
        raise TooFew(block_id)
    tallies = db.session.execute(select(LiveTally.option_id, LiveTally.count).where(
        LiveTally.live_id == live.id, LiveTally.block_id == block_id)).all()
    question.totals = json.dumps({option: count for option, count in tallies}, sort_keys=True)
    question.revealed_at = utcnow()
    db.session.execute(delete(LiveTally).where(LiveTally.live_id == live.id, LiveTally.block_id == block_id))
    live.version += 1
    db.session.flush()


# ---- students ---------------------------------------------------------------------------------------------------


def answer(live: LiveLesson, lesson, student_id: int, block_id: str, option_id: str) -> None:
    """Count one answer to a question of the current step, once per student, with no link between the two rows:
    the answerer row names the student and no option; the counter names the option and no one. ``block_id`` is a
    question's id (a group chat's decision: ``<chat id>.<decision id>``)."""
    found = next((q for q in step_questions(lesson.steps[live.step]) if q.id == block_id), None)
    if found is None or option_id not in found.options:
        raise InvalidInput("not a question of this step, or not one of its options")
    # A shared lock on the question: a reveal (which takes it for update) waits for answers under way, and an
    # answer after the reveal sees it closed.
    question = db.session.get(LiveQuestion, (live.id, block_id), with_for_update={"read": True})
    if question is None or question.revealed_at is not None or live.ended_at is not None:
        raise Closed(block_id)
    try:
        with db.session.begin_nested():  # a second answer (another tab, a replayed form) adds nothing
            db.session.add(LiveAnswerer(live_id=live.id, block_id=block_id, student_id=student_id))
            db.session.flush()
    except IntegrityError as error:
        raise AlreadyAnswered(block_id) from error
    db.session.execute(update(LiveTally).where(
        LiveTally.live_id == live.id, LiveTally.block_id == block_id, LiveTally.option_id == option_id)
        .values(count=LiveTally.count + 1))
    db.session.flush()


def answered_blocks(live: LiveLesson, student_id: int) -> set[str]:
    return set(db.session.scalars(select(LiveAnswerer.block_id).where(
        LiveAnswerer.live_id == live.id, LiveAnswerer.student_id == student_id)))


# ---- what the projector and the phones show ---------------------------------------------------------------------


def answered_counts(live: LiveLesson) -> dict[str, int]:
    rows = db.session.execute(select(LiveAnswerer.block_id, func.count()).where(LiveAnswerer.live_id == live.id)
                              .group_by(LiveAnswerer.block_id)).all()
    return {block_id: int(n) for block_id, n in rows}


def step_states(live: LiveLesson, step) -> list[QuestionState]:
    """Each question of a step: how many answered, and its totals once revealed (never before)."""
    asked = step_questions(step)
    blocks = [q.id for q in asked]
    if not blocks:
        return []
    counts = answered_counts(live)
    frozen = {q.block_id: q for q in db.session.scalars(select(LiveQuestion).where(
        LiveQuestion.live_id == live.id, LiveQuestion.block_id.in_(blocks)))}
    states = []
    for asked_question in asked:
        block_id = asked_question.id
        question = frozen.get(block_id)
        totals = json.loads(question.totals) if question is not None and question.totals else None
        answered = sum(totals.values()) if totals is not None else counts.get(block_id, 0)
        states.append(QuestionState(block_id, answered, totals, totals is None and live.ended_at is None
                                    and answered >= REVEAL_MIN, asked_question.segment, asked_question.decision))
    return states


def student_token(live: LiveLesson | None) -> str:
    """What a phone's page depends on: the lesson, its step, reveals and the end (the ETag of its poll)."""
    return f"{live.id}-{live.version}" if live is not None else "none"


def projector_token(live: LiveLesson, states: list[QuestionState]) -> str:
    return f"{student_token(live)}-" + "-".join(str(s.answered) for s in states)
