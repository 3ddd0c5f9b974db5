"""A student's "My data": everything stored about them, and deleting their reflections."""

from __future__ import annotations

from sqlalchemy import select

from edu.extensions import db
from edu.learn.assignments import progress_by_lesson
from edu.learn.pin_reset import last_reset, shown_to_student
from edu.learn.quizzes import saved_answers
from edu.models import BlockResponse, QuizAttempt, Reflection, Student, SurveyAnswer


def everything_stored(student: Student) -> dict:
    """Everything stored about the student (their `identity: none` answers cannot be found: not even by us), but
    for what a PIN reset hid from their own pages: step-outs and linked survey answers from before it (they still
    count in the class totals; edu/learn/pin_reset.py)."""
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
