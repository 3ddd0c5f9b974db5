"""A student's quizzes: the status of each, the draft attempt answers go into, saving as they go, grading on
submit. Services flush, never commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func, select, update

from edu.content.grading import grade_quiz
from edu.database import built_once, core_execute, dialect_insert, upsert
from edu.extensions import db
from edu.learn.errors import AlreadySubmitted, InvalidInput, NotFound
from edu.models import Assignment, AssignmentExtension, QuizAnswer, QuizAttempt, Student, utcnow


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


# The module's due date for the student: their extension if they have one, else the class's.
_MODULE_DUE = select(func.coalesce(AssignmentExtension.due_at, Assignment.due_at)).select_from(Assignment).outerjoin(
    AssignmentExtension, (AssignmentExtension.assignment_id == Assignment.id)
    & (AssignmentExtension.student_id == bindparam("student_id"))).where(
    Assignment.classroom_id == bindparam("classroom_id"), Assignment.kind == "module",
    Assignment.target_id == bindparam("module_id"))


def review_opens_at(student: Student, quiz) -> datetime | None:
    """When the student may see which answers were right and why: None for now. A class whose teacher chose
    "after the due date" sees only the score until the quiz's module is due."""
    if student.classroom.quiz_review != "after_due":
        return None
    due = db.session.scalar(_MODULE_DUE, {"classroom_id": student.classroom_id, "module_id": quiz.module,
                                          "student_id": student.id})
    return due if due is not None and due > utcnow() else None
