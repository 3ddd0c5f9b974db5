"""A student in a lesson: where they are, their answers in its blocks, reflections, finishing it. Services
flush, never commit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import (
    String,
    bindparam,
    case,
    cast,
    literal,
    literal_column,
    select,
    union_all,
    update,
)

from edu.content.activities import FLIP_ANSWERS
from edu.database import built_once, core_execute, dialect_insert, get_or_create
from edu.extensions import db
from edu.insights import completions
from edu.learn.assignments import (
    PRE_SURVEY_PENDING,
    find_assigned,
    module_lessons,
    open_modules_from,
    select_open_modules,
)
from edu.learn.errors import IncompleteSort, InvalidInput
from edu.models import (
    Assignment,
    BlockResponse,
    LessonProgress,
    ModulePause,
    Reflection,
    Student,
    utcnow,
)
from edu.segment_view import REFLECTION_MAX

# Where the student is in a lesson and their answers in it, in one round trip: rows of (kind, block id, value).
_LESSON_STATE_PARTS = (
    select(literal("step").label("kind"), literal("").label("block_id"),
           cast(LessonProgress.last_step, String).label("value")).where(
        LessonProgress.student_id == bindparam("student_id"), LessonProgress.lesson_id == bindparam("lesson_id")),
    select(literal("choice"), BlockResponse.block_id, BlockResponse.choice).where(
        BlockResponse.student_id == bindparam("student_id"), BlockResponse.lesson_id == bindparam("lesson_id")),
    select(literal("text"), Reflection.block_id, Reflection.text).where(
        Reflection.student_id == bindparam("student_id"), Reflection.lesson_id == bindparam("lesson_id")),
)
_LESSON_STATE = union_all(*_LESSON_STATE_PARTS)
# The lesson page's reads in one round trip (each query is a round trip and SQLAlchemy work per page): the class's
# open modules as rows ("module", module id, pause id or NULL), in the class's order, then the student's state.
_NO_ORDER = literal_column("0")
_LESSON_PAGE = union_all(
    select_open_modules(literal("module"), Assignment.target_id, cast(ModulePause.id, String),
                         Assignment.position.label("position"), Assignment.id.label("assignment_id")),
    PRE_SURVEY_PENDING,
    *(part.add_columns(_NO_ORDER, _NO_ORDER) for part in _LESSON_STATE_PARTS),
).order_by(literal_column("position"), literal_column("assignment_id"))


@dataclass
class LessonState:
    """A student's place in a lesson and their answers in its blocks (block id -> value)."""

    last_step: int | None = None  # the index of the step last opened; None before the first
    responses: dict[str, str] = field(default_factory=dict)  # scenario, check, flip, sort answers, step-outs
    reflections: dict[str, str] = field(default_factory=dict)


def _state_from(rows) -> LessonState:
    state = LessonState()
    for kind, block_id, value, *_order in rows:
        if kind == "step":
            state.last_step = int(value)
        elif kind == "choice":
            state.responses[block_id] = value
        elif kind == "text":
            state.reflections[block_id] = value
    return state


def lesson_state(student: Student, lesson_id: str) -> LessonState:
    """Where the student is in a lesson and what they answered in it: one query."""
    return _state_from(core_execute(_LESSON_STATE, {"student_id": student.id, "lesson_id": lesson_id}))


def open_lesson(student: Student, catalog, lesson_id: str, locale: str) -> tuple[object, LessonState]:
    """The lesson, as `edu.learn.assignments.find_assigned_lesson` finds it (NotFound, Paused; SurveyFirst while
    the class's open pre-survey waits), and the student's state in it: one query for all, the page's only read."""
    rows = core_execute(_LESSON_PAGE, {"classroom_id": student.classroom_id, "now": utcnow(),
                                       "student_id": student.id, "lesson_id": lesson_id}).all()
    lesson = find_assigned(student, catalog, lesson_id, locale, module_lessons, open_modules_from(rows))
    return lesson, _state_from(rows)


def _build_record_step():
    statement = dialect_insert(LessonProgress).values(
        student_id=bindparam("student_id"), lesson_id=bindparam("lesson_id"), content_version=bindparam("version"),
        last_step=bindparam("step"), furthest_step=bindparam("furthest"), updated_at=bindparam("now"))
    new, furthest = statement.excluded, LessonProgress.__table__.c.furthest_step
    return statement.on_conflict_do_update(index_elements=["student_id", "lesson_id"], set_={
        "last_step": new.last_step, "content_version": new.content_version, "updated_at": new.updated_at,
        "furthest_step": case((furthest > new.furthest_step, furthest), else_=new.furthest_step)})


_MARK_ACTIVE = update(Student.__table__).where(Student.__table__.c.id == bindparam("student_id")).values(
    last_active_at=bindparam("now"))
# How fresh "last active" is kept (teachers see it as "3 minutes ago"): a student stepping through a lesson
# writes it at most once a minute, not at every step (``record_step``'s ``once_a_minute``).
ACTIVITY_RESOLUTION = timedelta(minutes=1)


def record_step(student: Student, lesson, step_index: int, furthest_index: int | None = None, *,
                once_a_minute: bool = False) -> None:
    """Remember the step the student is on (where they resume) and the furthest they reached (``furthest_index``
    when the page went further than the step it is on, as a lesson shown step by step without page loads does),
    and that they were active: one upsert whether or not the progress row exists yet, and an update of "last
    active". The furthest step never goes back.

    ``once_a_minute`` (a step opened or a place sent, whose transaction writes nothing else) skips the update
    while the stored time is younger than ``ACTIVITY_RESOLUTION``. Answers and finishing always write it: the
    update locks the student's row before anything else in the transaction, so the same student's concurrent
    finishes queue there instead of deadlocking on PostgreSQL over their progress rows and the completion check's
    lock of that row (tests/integration/test_insights_completions.py, two tabs finishing at once)."""
    furthest_index = step_index if furthest_index is None else furthest_index
    if not 0 <= step_index <= furthest_index < len(lesson.steps):
        raise InvalidInput("step out of range")
    now = utcnow()
    core_execute(built_once(("record_step",), _build_record_step), {
        "student_id": student.id, "lesson_id": lesson.id, "version": lesson.version, "step": step_index,
        "furthest": furthest_index, "now": now})
    recent = student.last_active_at is not None and now - student.last_active_at < ACTIVITY_RESOLUTION
    if not (once_a_minute and recent):
        core_execute(_MARK_ACTIVE, {"student_id": student.id, "now": now})


def block_state(student: Student, lesson_id: str) -> tuple[dict[str, str], dict[str, str]]:
    """The student's choices and reflections in a lesson's blocks (block id -> value): one query."""
    state = lesson_state(student, lesson_id)
    return state.responses, state.reflections


def _find_block(lesson, block_id: str):
    for step_index, step in enumerate(lesson.steps):
        for segment in step.segments:
            if getattr(segment, "id", None) == block_id and segment.kind in (
                    "scenario", "check", "reflection", "stepout", "flip", "sort", "chat"):
                return step_index, segment
    raise InvalidInput("unknown block")


def _valid_choices(segment) -> set[str]:
    if segment.kind == "scenario":
        return {c.id for c in segment.choices}
    if segment.kind == "check":
        return {o.id for o in segment.options}
    if segment.kind == "stepout":
        return {"out", "return"}
    if segment.kind == "flip":
        return set(FLIP_ANSWERS)
    return set()


def record_block_choice(student: Student, lesson, block_id: str, choice: str) -> int:
    """Save a scenario choice, a check answer, a flip's "myth" or "fact", a step-out, or the way through a group
    chat so far (its moves joined by dots: choosing again at an earlier decision starts from there); returns the
    step index the block is on."""
    step_index, segment = _find_block(lesson, block_id)
    if segment.kind == "chat" and segment.accepts(choice):
        return _store_choice(student, lesson, step_index, segment, choice)
    if choice not in _valid_choices(segment):
        raise InvalidInput("unknown choice")
    return _store_choice(student, lesson, step_index, segment, choice)


def record_sort(student: Student, lesson, block_id: str, placed: dict[str, str]) -> int:
    """Save a card sort (item id -> group id, every item placed), stored as a check answer is; returns the step
    index. Raises IncompleteSort when an item is in no group, InvalidInput for anything else that does not fit."""
    step_index, segment = _find_block(lesson, block_id)
    if segment.kind != "sort":
        raise InvalidInput("not a sort")
    if any(group not in {g.id for g in segment.groups} for group in placed.values()) or \
            not set(placed) <= {i.id for i in segment.items}:
        raise InvalidInput("unknown item or group")
    answer = segment.encode(placed)
    if answer is None:
        raise IncompleteSort(step_index)
    return _store_choice(student, lesson, step_index, segment, answer)


def _store_choice(student: Student, lesson, step_index: int, segment, choice: str) -> int:
    row = get_or_create(BlockResponse, {"kind": segment.kind, "choice": choice, "content_version": lesson.version},
                        student_id=student.id, lesson_id=lesson.id, block_id=segment.id)
    if segment.kind == "stepout" and choice == "return":
        row.choice = "returned"  # the step-out still counts (anonymously); the student sees the step again
    else:
        row.choice = choice
    row.content_version = lesson.version
    record_step(student, lesson, step_index)
    return step_index


def save_reflection(student: Student, lesson, block_id: str, text: str) -> int:
    step_index, segment = _find_block(lesson, block_id)
    if segment.kind not in ("reflection", "stepout"):  # a step-out's other activity has a private box too
        raise InvalidInput("not a private text box")
    text = (text or "").replace("\r\n", "\n")
    if len(text) > REFLECTION_MAX:
        raise InvalidInput("too long")
    row = db.session.scalar(select(Reflection).where(
        Reflection.student_id == student.id, Reflection.lesson_id == lesson.id, Reflection.block_id == block_id))
    if not text.strip():
        if row is not None:
            db.session.delete(row)
        return step_index
    if row is None:
        row = get_or_create(Reflection, {"text": text}, student_id=student.id, lesson_id=lesson.id,
                            block_id=block_id)
    row.text = text
    record_step(student, lesson, step_index)
    return step_index


def unanswered_checks(student: Student, lesson) -> list[tuple[int, object]]:
    responses, _ = block_state(student, lesson.id)
    missing = []
    for step_index, step in enumerate(lesson.steps):
        for segment in step.segments:
            if segment.kind == "check" and segment.id not in responses:
                missing.append((step_index, segment))
    return missing


def finish_lesson(student: Student, lesson, catalog) -> list[tuple[int, object]]:
    """Mark the lesson complete if every check is answered; returns the unanswered checks otherwise. When that
    completes the module for the student's class, its module_completions row is written in the same
    transaction (edu/insights/completions.py)."""
    record_step(student, lesson, len(lesson.steps) - 1)
    row = db.session.scalar(select(LessonProgress).filter_by(student_id=student.id, lesson_id=lesson.id),
                            execution_options={"populate_existing": True})  # as the upsert left it
    missing = unanswered_checks(student, lesson)
    if not missing and row.completed_at is None:
        row.completed_at = utcnow()
        db.session.flush()
        completions.record_if_complete(catalog, student, lesson.module)
    return missing


# ---- quizzes ---------------------------------------------------------------------------------------------
