"""A student's own work: assignments, lesson progress, in-lesson answers, reflections, quizzes, surveys.

Every function takes the signed-in student and touches only that student's rows. Services flush, never commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import String, bindparam, case, cast, literal, literal_column, select, union_all, update
from sqlalchemy.exc import IntegrityError

from edu.content.grading import grade_quiz
from edu.database import built_once, core_execute, dialect_insert, get_or_create, upsert
from edu.extensions import db
from edu.insights import completions
from edu.models import (
    AnonymousSurveyAnswer,
    Assignment,
    BlockResponse,
    LessonProgress,
    ModulePause,
    QuizAnswer,
    QuizAttempt,
    Reflection,
    Student,
    SurveyAnswer,
    SurveySubmission,
    utcnow,
)
from edu.safeguarding.services import paused_modules
from edu.segment_view import REFLECTION_MAX

SURVEY_ID = "prepost"
LIKERT_VALUES = ("1", "2", "3", "4", "5")


class NotFound(Exception):
    """Not assigned to this student's class, not open yet, or does not exist: shown as 404."""


class InvalidInput(Exception):
    """A tampered or impossible value: refused with a clear message, never stored."""


class AlreadySubmitted(Exception):
    pass


class Paused(Exception):
    """The module is paused for this class (incident mode): students see a neutral message and help."""


# ---- what is assigned ------------------------------------------------------------------------------------


@dataclass
class LessonStatus:
    lesson: object
    progress: LessonProgress | None

    @property
    def state(self) -> str:
        if self.progress is None:
            return "not_started"
        return "done" if self.progress.completed_at else "in_progress"

    @property
    def step_fraction(self) -> tuple[int, int]:
        total = len(self.lesson.steps)
        if self.progress is None:
            return 0, total
        if self.progress.completed_at:
            return total, total
        return min(self.progress.furthest_step + 1, total), total


@dataclass
class QuizStatus:
    quiz: object
    counted: QuizAttempt | None
    attempts: int  # submitted ones
    draft: QuizAttempt | None  # the unsubmitted attempt, always the newest
    next_attempt_no: int

    @property
    def has_draft(self) -> bool:
        return self.draft is not None

    @property
    def form_attempt_no(self) -> int:
        """The attempt the quiz form names: the draft, or the one a submit would open."""
        return self.draft.attempt_no if self.draft is not None else self.next_attempt_no


@dataclass
class ModuleCard:
    assignment: Assignment
    module: object
    title: str
    summary: str
    lessons: list[LessonStatus] = field(default_factory=list)
    quizzes: list[QuizStatus] = field(default_factory=list)
    paused: bool = False

    def is_open(self, now: datetime) -> bool:
        return self.assignment.opens_at is None or self.assignment.opens_at <= now

    def is_overdue(self, now: datetime) -> bool:
        return bool(self.assignment.due_at and self.assignment.due_at < now and not self.is_done)

    @property
    def is_done(self) -> bool:
        lessons_done = all(ls.state == "done" for ls in self.lessons)
        return lessons_done and all(q.counted is not None for q in self.quizzes)

    @property
    def done_count(self) -> tuple[int, int]:
        done = sum(ls.state == "done" for ls in self.lessons) + sum(q.counted is not None for q in self.quizzes)
        return done, len(self.lessons) + len(self.quizzes)


def module_lessons(catalog, module_id: str, locale: str, region: str) -> list:
    return catalog.lessons_for(module_id, locale, region=region)


def module_quizzes(catalog, module_id: str, locale: str, region: str) -> list:
    """The module's quiz for the class's region, as a list (empty when the module has none)."""
    quiz = catalog.quiz_for(module_id, locale, region)
    return [quiz] if quiz is not None else []


# The queries of the student's home page, built once with bound parameters (building costs more than running).
_ASSIGNMENTS = (select(Assignment).where(Assignment.classroom_id == bindparam("classroom_id"))
                .order_by(Assignment.position, Assignment.id))
_ASSIGNMENTS_OF_KIND = _ASSIGNMENTS.where(Assignment.kind == bindparam("kind"))
_PROGRESS = select(LessonProgress).where(LessonProgress.student_id == bindparam("student_id"))


def assignments_of(student: Student, kind: str | None = None) -> list[Assignment]:
    if kind:
        return list(db.session.scalars(_ASSIGNMENTS_OF_KIND, {"classroom_id": student.classroom_id, "kind": kind}))
    return list(db.session.scalars(_ASSIGNMENTS, {"classroom_id": student.classroom_id}))


def progress_by_lesson(student: Student) -> dict[str, LessonProgress]:
    rows = db.session.scalars(_PROGRESS, {"student_id": student.id})
    return {row.lesson_id: row for row in rows}


def module_cards(student: Student, catalog, locale: str, assignments: list[Assignment]) -> list[ModuleCard]:
    """A card per module among the class's ``assignments`` (``assignments_of``), with lesson and quiz states."""
    classroom = student.classroom
    progress = progress_by_lesson(student)
    paused = paused_modules(classroom.id)
    cards = []
    for assignment in (a for a in assignments if a.kind == "module"):
        module = catalog.module(assignment.target_id)
        if module is None:
            continue
        card = ModuleCard(assignment, module, module.title.get(locale, module.id), module.summary.get(locale, ""),
                          paused=module.id in paused)
        for lesson in module_lessons(catalog, module.id, locale, classroom.region):
            card.lessons.append(LessonStatus(lesson, progress.get(lesson.id)))
        card.quizzes.extend(module_quizzes(catalog, module.id, locale, classroom.region))
        cards.append(card)
    quizzes = [quiz for card in cards for quiz in card.quizzes]
    statuses = quiz_statuses(student, quizzes)
    for card in cards:
        card.quizzes = [statuses[quiz.id] for quiz in card.quizzes]
    return cards


def continue_target(cards: list[ModuleCard], now: datetime) -> LessonStatus | None:
    """The lesson last worked on and not finished; else the first lesson not started in an open module."""
    available = [card for card in cards if card.is_open(now) and not card.paused]
    in_progress = [ls for card in available for ls in card.lessons if ls.state == "in_progress"]
    if in_progress:
        return max(in_progress, key=lambda ls: ls.progress.updated_at)
    return next((ls for card in available for ls in card.lessons if ls.state == "not_started"), None)


# The queries of every lesson page are built once: building a statement costs SQLAlchemy more than running it.
def _select_open_modules(*columns):
    """``columns`` of each module assigned to a class (``classroom_id``) and open at ``now``, joined to its pause
    for the class if it is paused."""
    return (select(*columns).select_from(Assignment)
            .outerjoin(ModulePause, (ModulePause.classroom_id == Assignment.classroom_id)
                       & (ModulePause.module_id == Assignment.target_id))
            .where(Assignment.classroom_id == bindparam("classroom_id"), Assignment.kind == "module",
                   (Assignment.opens_at.is_(None)) | (Assignment.opens_at <= bindparam("now"))))


_OPEN_MODULES = _select_open_modules(Assignment.target_id, ModulePause.id).order_by(Assignment.position, Assignment.id)
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
# The lesson page's reads in one round trip (each query cost the page a tenth of its instructions): the class's
# open modules as rows ("module", module id, pause id or NULL), in the class's order, then the student's state.
_NO_ORDER = literal_column("0")
_LESSON_PAGE = union_all(
    _select_open_modules(literal("module"), Assignment.target_id, cast(ModulePause.id, String),
                         Assignment.position.label("position"), Assignment.id.label("assignment_id")),
    *(part.add_columns(_NO_ORDER, _NO_ORDER) for part in _LESSON_STATE_PARTS),
).order_by(literal_column("position"), literal_column("assignment_id"))


def _open_modules(student: Student) -> list[tuple[str, bool]]:
    """(module id, paused) of each module assigned to the student's class and open now, in the class's order:
    one query."""
    rows = core_execute(_OPEN_MODULES, {"classroom_id": student.classroom_id, "now": utcnow()})
    return [(module_id, pause_id is not None) for module_id, pause_id in rows]


def _find_assigned(student: Student, catalog, item_id: str, locale: str, items_of, open_modules):
    """The lesson or quiz, if it belongs to one of ``open_modules`` (as `_open_modules` gives them).

    NotFound otherwise; Paused if its module is paused for the class (incident mode).
    """
    region = student.classroom.region
    for module_id, paused in open_modules:
        for item in items_of(catalog, module_id, locale, region):
            if item.id == item_id:
                if paused:
                    raise Paused(module_id)
                return item
    raise NotFound(item_id)


def find_assigned_lesson(student: Student, catalog, lesson_id: str, locale: str):
    return _find_assigned(student, catalog, lesson_id, locale, module_lessons, _open_modules(student))


def find_assigned_quiz(student: Student, catalog, quiz_id: str, locale: str):
    return _find_assigned(student, catalog, quiz_id, locale, module_quizzes, _open_modules(student))


# ---- lessons ---------------------------------------------------------------------------------------------


@dataclass
class LessonState:
    """A student's place in a lesson and their answers in its blocks (block id -> value)."""

    last_step: int | None = None  # the index of the step last opened; None before the first
    responses: dict[str, str] = field(default_factory=dict)  # scenario choices, check answers, step-outs
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
    """The lesson, as `find_assigned_lesson` finds it (NotFound, Paused), and the student's state in it: one
    query for both, the lesson page's only read."""
    rows = core_execute(_LESSON_PAGE, {"classroom_id": student.classroom_id, "now": utcnow(),
                                       "student_id": student.id, "lesson_id": lesson_id}).all()
    open_modules = [(module_id, pause_id is not None) for kind, module_id, pause_id, *_order in rows
                    if kind == "module"]
    lesson = _find_assigned(student, catalog, lesson_id, locale, module_lessons, open_modules)
    return lesson, _state_from(rows)


def _build_record_step():
    statement = dialect_insert(LessonProgress).values(
        student_id=bindparam("student_id"), lesson_id=bindparam("lesson_id"), content_version=bindparam("version"),
        last_step=bindparam("step"), furthest_step=bindparam("step"), updated_at=bindparam("now"))
    new, furthest = statement.excluded, LessonProgress.__table__.c.furthest_step
    return statement.on_conflict_do_update(index_elements=["student_id", "lesson_id"], set_={
        "last_step": new.last_step, "content_version": new.content_version, "updated_at": new.updated_at,
        "furthest_step": case((furthest > new.furthest_step, furthest), else_=new.furthest_step)})


_MARK_ACTIVE = update(Student.__table__).where(Student.__table__.c.id == bindparam("student_id")).values(
    last_active_at=bindparam("now"))


def record_step(student: Student, lesson, step_index: int) -> None:
    """Remember the step the student is on (where they resume) and the furthest they reached, and that they
    were active: one upsert and one update, whether or not the progress row exists yet."""
    if not 0 <= step_index < len(lesson.steps):
        raise InvalidInput("step out of range")
    now = utcnow()
    core_execute(built_once(("record_step",), _build_record_step), {
        "student_id": student.id, "lesson_id": lesson.id, "version": lesson.version, "step": step_index,
        "now": now})
    core_execute(_MARK_ACTIVE, {"student_id": student.id, "now": now})


def block_state(student: Student, lesson_id: str) -> tuple[dict[str, str], dict[str, str]]:
    """The student's choices and reflections in a lesson's blocks (block id -> value): one query."""
    state = lesson_state(student, lesson_id)
    return state.responses, state.reflections


def _find_block(lesson, block_id: str):
    for step_index, step in enumerate(lesson.steps):
        for segment in step.segments:
            if getattr(segment, "id", None) == block_id and segment.kind in (
                    "scenario", "check", "reflection", "stepout"):
                return step_index, segment
    raise InvalidInput("unknown block")


def _valid_choices(segment) -> set[str]:
    if segment.kind == "scenario":
        return {c.id for c in segment.choices}
    if segment.kind == "check":
        return {o.id for o in segment.options}
    if segment.kind == "stepout":
        return {"out", "return"}
    return set()


def record_block_choice(student: Student, lesson, block_id: str, choice: str) -> int:
    """Save a scenario choice, a check answer or a step-out; returns the step index the block is on."""
    step_index, segment = _find_block(lesson, block_id)
    if choice not in _valid_choices(segment):
        raise InvalidInput("unknown choice")
    row = get_or_create(BlockResponse, {"kind": segment.kind, "choice": choice, "content_version": lesson.version},
                        student_id=student.id, lesson_id=lesson.id, block_id=block_id)
    if segment.kind == "stepout" and choice == "return":
        row.choice = "returned"  # the step-out still counts (anonymously); the student sees the step again
    else:
        row.choice = choice
    row.content_version = lesson.version
    record_step(student, lesson, step_index)
    return step_index


def save_reflection(student: Student, lesson, block_id: str, text: str) -> int:
    step_index, segment = _find_block(lesson, block_id)
    if segment.kind != "reflection":
        raise InvalidInput("not a reflection")
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


def counted_attempt(attempts: list[QuizAttempt], policy: str) -> QuizAttempt | None:
    submitted = [a for a in attempts if a.submitted_at is not None]
    if not submitted:
        return None
    if policy == "latest":
        return max(submitted, key=lambda a: a.attempt_no)
    return max(submitted, key=lambda a: (a.score or 0, -a.attempt_no))


def _status(quiz, attempts: list[QuizAttempt], policy: str) -> QuizStatus:
    """From the student's attempts at the quiz, ordered by number."""
    drafts = [a for a in attempts if a.submitted_at is None]
    return QuizStatus(
        quiz=quiz,
        counted=counted_attempt(attempts, policy),
        attempts=len(attempts) - len(drafts),
        draft=drafts[-1] if drafts else None,
        next_attempt_no=(attempts[-1].attempt_no if attempts else 0) + 1,
    )


def quiz_status(student: Student, quiz) -> QuizStatus:
    return quiz_statuses(student, [quiz])[quiz.id]


_ATTEMPTS_OF_QUIZZES = (
    select(QuizAttempt)
    .where(QuizAttempt.student_id == bindparam("student_id"),
           QuizAttempt.quiz_id.in_(bindparam("quiz_ids", expanding=True)))
    .order_by(QuizAttempt.attempt_no)
)


def quiz_statuses(student: Student, quizzes: list) -> dict[str, QuizStatus]:
    """{quiz id: status} for several quizzes: one query."""
    if not quizzes:
        return {}
    by_quiz: dict[str, list[QuizAttempt]] = {quiz.id: [] for quiz in quizzes}
    for attempt in db.session.scalars(_ATTEMPTS_OF_QUIZZES, {"student_id": student.id, "quiz_ids": list(by_quiz)}):
        by_quiz[attempt.quiz_id].append(attempt)
    policy = student.classroom.quiz_policy
    return {quiz.id: _status(quiz, by_quiz[quiz.id], policy) for quiz in quizzes}


_LATEST_ATTEMPT_FOR_UPDATE = (
    select(QuizAttempt)
    .where(QuizAttempt.student_id == bindparam("student_id"), QuizAttempt.quiz_id == bindparam("quiz_id"))
    .order_by(QuizAttempt.attempt_no.desc())
    .limit(1)
    .with_for_update()
)
_NEW_ATTEMPTS = "edu_new_attempts"  # ids of attempts created in this session: nothing saved in them yet


def open_draft(student: Student, quiz, attempt_no: int | None = None) -> QuizAttempt:
    """The attempt answers go into: the unsubmitted one, or a new one.

    A student has at most one unsubmitted attempt, always their newest: it is read and held until the commit
    (PostgreSQL ``FOR UPDATE``; SQLite's write lock does it there), so twin requests (a double click, two tabs)
    run one after the other. Forms carry the number of the attempt they were opened for, so twins all name the
    same attempt and the unique constraint makes them share it. The returned attempt may already be submitted
    by such a twin (or be an older one a stale tab names): callers check ``submitted_at``.
    """
    latest = db.session.scalar(_LATEST_ATTEMPT_FOR_UPDATE, {"student_id": student.id, "quiz_id": quiz.id},
                               execution_options={"populate_existing": True})
    if latest is not None and latest.submitted_at is None and attempt_no in (None, latest.attempt_no):
        return latest
    number = (latest.attempt_no if latest is not None else 0) + 1
    if attempt_no is not None and attempt_no <= number:
        number = attempt_no
    if latest is not None and latest.attempt_no == number:
        return latest
    return _new_attempt(student, quiz, number)  # or the existing one with that number


def _build_new_attempt():
    keys = ("student_id", "quiz_id", "attempt_no")
    return (dialect_insert(QuizAttempt)
            .values(**{key: bindparam(key) for key in keys}, content_version=bindparam("version"),
                    started_at=bindparam("now"))
            .on_conflict_do_nothing(index_elements=list(keys)).returning(QuizAttempt))


def _new_attempt(student: Student, quiz, number: int) -> QuizAttempt:
    """Insert the attempt, or read the one a twin request inserted a moment ago (and may have submitted): one
    ``INSERT ... ON CONFLICT DO NOTHING RETURNING`` statement in the usual case."""
    keys = {"student_id": student.id, "quiz_id": quiz.id, "attempt_no": number}
    attempt = db.session.scalar(built_once(("new attempt",), _build_new_attempt),
                                {**keys, "version": quiz.version, "now": utcnow()})
    if attempt is None:
        return db.session.scalar(select(QuizAttempt).filter_by(**keys))
    db.session.info.setdefault(_NEW_ATTEMPTS, set()).add(attempt.id)
    return attempt


def validate_answer(quiz, question_id: str, option_ids: list[str]) -> tuple[str, list[str]]:
    question = quiz.question(question_id)
    if question is None:
        raise InvalidInput("unknown question")
    valid = {o.id for o in question.options}
    chosen = sorted(set(option_ids))
    if not chosen or not set(chosen) <= valid:
        raise InvalidInput("unknown option")
    if question.type != "multiple" and len(chosen) != 1:
        raise InvalidInput("one answer only")
    return question_id, chosen


def validate_answers(quiz, answers: dict[str, list[str]]) -> tuple[dict[str, list[str]], list[str]]:
    """The valid answers (question id -> sorted option ids) and the ids of the questions refused."""
    valid, refused = {}, []
    for question_id, option_ids in answers.items():
        try:
            question_id, chosen = validate_answer(quiz, question_id, option_ids)
        except InvalidInput:
            refused.append(question_id)
        else:
            valid[question_id] = chosen
    return valid, refused


def _write_answers(attempt: QuizAttempt, answers: dict[str, list[str] | set[str]],
                   correct: dict[str, bool] | None = None) -> None:
    """All of the attempt's answers in one upsert (SQLite and PostgreSQL), with ``correct`` when grading."""
    now = utcnow()
    rows = [{"attempt_id": attempt.id, "question_id": question_id, "option_ids": ",".join(sorted(options)),
             "correct": (correct or {}).get(question_id), "updated_at": now}
            for question_id, options in answers.items()]
    columns = ("option_ids", "updated_at") + (("correct",) if correct is not None else ())
    upsert(QuizAnswer, rows, keys=("attempt_id", "question_id"), update=columns)


def save_answers(attempt: QuizAttempt, answers: dict[str, list[str]]) -> None:
    """Save (or change) validated answers in an unsubmitted attempt; saving the same answer twice changes
    nothing a reader can see."""
    if attempt.submitted_at is not None:
        raise AlreadySubmitted(attempt.id)
    db.session.info.get(_NEW_ATTEMPTS, set()).discard(attempt.id)  # it holds answers now
    _write_answers(attempt, answers)


def save_answer(attempt: QuizAttempt, quiz, question_id: str, option_ids: list[str]) -> None:
    """Save one answer (saving as you go); InvalidInput for a question or option not in the quiz."""
    question_id, chosen = validate_answer(quiz, question_id, option_ids)
    save_answers(attempt, {question_id: chosen})


_SAVED_ANSWERS = select(QuizAnswer.question_id, QuizAnswer.option_ids).where(
    QuizAnswer.attempt_id == bindparam("attempt_id"))


def saved_answers(attempt: QuizAttempt | None) -> dict[str, set[str]]:
    if attempt is None:
        return {}
    rows = db.session.execute(_SAVED_ANSWERS, {"attempt_id": attempt.id})
    return {question_id: set(option_ids.split(",")) for question_id, option_ids in rows}


_CLOSE_ATTEMPT = (
    update(QuizAttempt)
    .where(QuizAttempt.id == bindparam("attempt_id"), QuizAttempt.submitted_at.is_(None))
    .values(submitted_at=bindparam("now"), score=bindparam("new_score"), max_score=bindparam("new_max_score"),
            content_version=bindparam("version"))
)


def submit_attempt(attempt: QuizAttempt, quiz, answers: dict[str, list[str]] | None = None) -> bool:
    """Grade and close the attempt, with ``answers`` (validated) added to those saved before.

    Three statements whatever the number of questions: read the saved answers (not for an attempt opened in
    this request), upsert every answer with its verdict, close the attempt only if still open. Returns False if
    it was already submitted (a double click): one attempt.
    """
    if attempt.submitted_at is not None:
        return False
    fresh = attempt.id in db.session.info.get(_NEW_ATTEMPTS, ())
    merged: dict[str, set[str] | list[str]] = {} if fresh else saved_answers(attempt)
    merged.update(answers or {})
    result = grade_quiz(quiz, {question_id: set(options) for question_id, options in merged.items()})
    _write_answers(attempt, merged, correct=result.per_question)
    closed = core_execute(_CLOSE_ATTEMPT, {
        "attempt_id": attempt.id, "now": utcnow(), "new_score": result.score, "new_max_score": result.max_score,
        "version": quiz.version})
    db.session.expire(attempt)
    return closed.rowcount == 1


_ATTEMPT = select(QuizAttempt).where(QuizAttempt.student_id == bindparam("student_id"),
                                     QuizAttempt.quiz_id == bindparam("quiz_id"),
                                     QuizAttempt.attempt_no == bindparam("attempt_no"))


def attempt_of(student: Student, quiz_id: str, attempt_no: int) -> QuizAttempt:
    attempt = db.session.scalar(_ATTEMPT, {"student_id": student.id, "quiz_id": quiz_id, "attempt_no": attempt_no})
    if attempt is None:
        raise NotFound(attempt_no)
    return attempt


# ---- survey ----------------------------------------------------------------------------------------------


_SURVEY_SUBMISSIONS = select(SurveySubmission).where(
    SurveySubmission.student_id == bindparam("student_id"), SurveySubmission.survey_id == bindparam("survey_id"))


def survey_phases(student: Student, assignments: list[Assignment] | None = None
                  ) -> list[tuple[Assignment, str, SurveySubmission | None]]:
    surveys = [a for a in (assignments if assignments is not None else assignments_of(student))
               if a.kind in ("pre_survey", "post_survey")]
    if not surveys:
        return []
    submissions = {s.phase: s for s in db.session.scalars(
        _SURVEY_SUBMISSIONS, {"student_id": student.id, "survey_id": SURVEY_ID})}
    phases = [(a, a.kind.removesuffix("_survey")) for a in surveys]
    return [(a, phase, submissions.get(phase)) for a, phase in phases]


def survey_is_assigned(student: Student, phase: str) -> bool:
    now = utcnow()
    return any(a.kind == f"{phase}_survey" and (a.opens_at is None or a.opens_at <= now)
               for a in assignments_of(student))


def iso_week(moment: datetime) -> str:
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def validate_survey_answers(survey, raw: dict[str, str | None]) -> dict[str, str | None]:
    """Every item gets a value or None (prefer not to answer); anything not on the form is refused."""
    clean: dict[str, str | None] = {}
    for item in survey.items:
        value = raw.get(item.id)
        if value in (None, "", "skip"):
            clean[item.id] = None
            continue
        allowed = {o.id for o in item.options} if item.type == "knowledge" else set(LIKERT_VALUES)
        if value not in allowed:
            raise InvalidInput(item.id)
        clean[item.id] = value
    return clean


def submit_survey(student: Student, survey, phase: str, raw: dict[str, str | None]) -> None:
    answers = validate_survey_answers(survey, raw)
    submission = SurveySubmission(student_id=student.id, survey_id=survey.id, phase=phase,
                                  content_version=survey.version, submitted_at=utcnow())
    try:
        with db.session.begin_nested():  # the row is added inside the savepoint, so a clash discards it
            db.session.add(submission)
            db.session.flush()
    except IntegrityError as error:
        raise AlreadySubmitted(phase) from error
    week = iso_week(utcnow())
    for item in survey.items:
        value = answers[item.id]
        if item.identity == "linked":
            db.session.add(SurveyAnswer(student_id=student.id, survey_id=survey.id, phase=phase,
                                        item_id=item.id, value=value))
        else:
            db.session.add(AnonymousSurveyAnswer(classroom_id=student.classroom_id, survey_id=survey.id,
                                                 phase=phase, item_id=item.id, value=value, week=week))
    db.session.flush()


# ---- my data ---------------------------------------------------------------------------------------------


def my_data(student: Student) -> dict:
    """Everything stored about the student (their `identity: none` answers cannot be found: not even by us), but
    for what a PIN reset hid from their own pages: step-outs and linked survey answers from before it (they still
    count in the class totals; edu/learn/pin_reset.py)."""
    from edu.learn.pin_reset import last_reset, shown_to_student

    reset_at = last_reset(student.id)
    progress = progress_by_lesson(student)
    attempts = list(db.session.scalars(select(QuizAttempt).where(QuizAttempt.student_id == student.id)
                                       .order_by(QuizAttempt.quiz_id, QuizAttempt.attempt_no)))
    return {
        "pseudonym": student.pseudonym,
        "class": student.classroom.name,
        "joined": student.created_at.isoformat(timespec="minutes"),
        "lessons": [
            {"lesson": lesson_id, "last_step": row.last_step + 1,
             "completed": row.completed_at.isoformat(timespec="minutes") if row.completed_at else None}
            for lesson_id, row in sorted(progress.items())
        ],
        "lesson_answers": [
            {"lesson": r.lesson_id, "block": r.block_id, "kind": r.kind, "choice": r.choice}
            for r in db.session.scalars(select(BlockResponse).where(BlockResponse.student_id == student.id)
                                        .order_by(BlockResponse.lesson_id, BlockResponse.block_id))
            if r.kind != "stepout" or shown_to_student(r, reset_at)
        ],
        "reflections": [
            {"lesson": r.lesson_id, "block": r.block_id, "text": r.text}
            for r in db.session.scalars(select(Reflection).where(Reflection.student_id == student.id)
                                        .order_by(Reflection.lesson_id, Reflection.block_id))
        ],
        "quiz_attempts": [
            {"quiz": a.quiz_id, "attempt": a.attempt_no, "score": a.score, "max_score": a.max_score,
             "submitted": a.submitted_at.isoformat(timespec="minutes") if a.submitted_at else None,
             "answers": {q: sorted(opts) for q, opts in sorted(saved_answers(a).items())}}
            for a in attempts
        ],
        "survey_answers_linked_to_you": [
            {"phase": s.phase, "item": s.item_id, "value": s.value}
            for s in db.session.scalars(select(SurveyAnswer).where(SurveyAnswer.student_id == student.id)
                                        .order_by(SurveyAnswer.phase, SurveyAnswer.item_id))
            if shown_to_student(s, reset_at)
        ],
    }


def delete_reflections(student: Student) -> int:
    rows = list(db.session.scalars(select(Reflection).where(Reflection.student_id == student.id)))
    for row in rows:
        db.session.delete(row)
    db.session.flush()
    return len(rows)
