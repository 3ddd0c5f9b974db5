"""Question analysis, the class export, and one student's quiz answers."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from edu.csv_export import csv_bytes
from edu.extensions import db
from edu.insights.charts import share_chart
from edu.insights.item_analysis import ItemStats, Response, analyse
from edu.learn.assignments import module_quizzes
from edu.learn.quizzes import counted_attempt, saved_answers
from edu.models import Classroom, QuizAttempt
from edu.teach.labels import module_title
from edu.teach.progress import progress_grid


@dataclass
class QuestionRow:
    number: int
    question: object
    stats: ItemStats
    wrong_option_text: str | None


def counted_responses(classroom: Classroom, quiz_id: str) -> list[Response]:
    """Each student's counted attempt (the class's best/latest policy), as analysis records."""
    ids = [s.id for s in classroom.students]
    if not ids:
        return []
    by_student: dict[int, list[QuizAttempt]] = {}
    for attempt in db.session.scalars(select(QuizAttempt).where(
            QuizAttempt.student_id.in_(ids), QuizAttempt.quiz_id == quiz_id)):
        by_student.setdefault(attempt.student_id, []).append(attempt)
    responses = []
    for attempts in by_student.values():
        counted = counted_attempt(attempts, classroom.quiz_policy)
        if counted is not None:
            answers = {q: frozenset(v) for q, v in saved_answers(counted).items()}
            responses.append(Response(answers, counted.score or 0))
    return responses


def question_analysis(classroom: Classroom, quiz) -> tuple[list[QuestionRow], int]:
    responses = counted_responses(classroom, quiz.id)
    numbers = {q.id: index + 1 for index, q in enumerate(quiz.questions)}
    stats = analyse([(q.id, q.correct_ids) for q in quiz.questions], responses)
    rows = []
    for item in stats:
        question = quiz.question(item.question_id)
        wrong = next((o.text for o in question.options if o.id == item.top_wrong_option), None)
        rows.append(QuestionRow(numbers[item.question_id], question, item, wrong))
    return rows, len(responses)


def analysis_chart(rows: list[QuestionRow]) -> str:
    """The share answering each question correctly, labelled, with a sentence that says it in words."""
    bars = [(_("Question %(num)d", num=r.number), r.stats.facility or 0.0,
             f"{round((r.stats.facility or 0.0) * 100)}% ({r.stats.correct}/{r.stats.answered})") for r in rows]
    described = "; ".join(f"{label}: {text}" for label, _share, text in bars)
    return share_chart(bars, title=_("Share of students answering each question correctly"),
                       description=described, chart_id="chart-analysis")


def most_missed(classroom: Classroom, catalog, locale: str) -> tuple[str, QuestionRow] | None:
    """The question answered correctly least often across the class's assigned quizzes: what to reteach first."""
    worst = None
    for assignment in classroom.assignments:
        if assignment.kind != "module":
            continue
        for quiz in module_quizzes(catalog, assignment.target_id, locale, classroom.region):
            rows, _responders = question_analysis(classroom, quiz)
            for row in rows:
                if row.stats.facility is not None and (worst is None or row.stats.facility < worst[1].stats.facility):
                    worst = (quiz.title, row)
    return worst


EXPORT_COLUMNS = ("pseudonym", "module", "kind", "item_id", "title", "status", "score", "max_score")
NUMERIC_COLUMNS = frozenset({"score", "max_score"})


def export_rows(classroom: Classroom, catalog, locale: str) -> list[dict]:
    """One row per student × lesson/quiz of the assigned modules. Pseudonyms only, nothing else."""
    grid = progress_grid(classroom, catalog, locale)
    rows = []
    for student, cells in grid.rows:
        for column, cell in zip(grid.columns, cells, strict=True):
            score, max_score = (_numbers(cell.score) if cell.score else ("", ""))
            rows.append({
                "pseudonym": student.pseudonym, "module": column.module_id, "kind": column.kind,
                "item_id": column.id, "title": column.title, "status": cell.state,
                "score": score, "max_score": max_score,
            })
    return rows


def _numbers(score: str) -> tuple[int | str, int | str]:
    got, out_of = score.split("/")
    return (int(got) if got.lstrip("-").isdigit() else "", int(out_of) if out_of.isdigit() else "")


def export_csv(rows: list[dict], catalog, locale: str) -> bytes:
    """The export for a spreadsheet, in the teacher's language: headers, module names, kinds and statuses in words
    (the JSON export keeps the codes). UTF-8 with a byte-order mark, so Excel opens Korean text correctly; no
    text cell can run as a formula (edu/csv_export.py), the scores stay numbers."""
    labels = state_labels()
    kinds = {"lesson": _("Lesson"), "quiz": _("Quiz")}
    words = [{**row, "module": module_title(catalog, row["module"], locale), "kind": kinds[row["kind"]],
              "status": labels[row["status"]]} for row in rows]
    headers = {"pseudonym": _("Pseudonym"), "module": _("Module"), "kind": _("Lesson or quiz"),
               "item_id": _("Item code"), "title": _("Title"), "status": _("Status"), "score": _("Score"),
               "max_score": _("Out of")}
    return csv_bytes(words, EXPORT_COLUMNS, NUMERIC_COLUMNS, headers)


def state_labels() -> dict[str, str]:
    """The progress states in words, as the progress grid shows them."""
    return {"done": _("Done"), "in_progress": _("In progress"), "not_started": _("Not started"),
            "overdue": _("Overdue"), "not_assigned": _("Not assigned")}


@dataclass
class AnsweredQuestion:
    number: int
    prompt_html: str
    chosen: list[str]
    correct: bool | None


@dataclass
class AttemptView:
    quiz_title: str
    attempt_no: int
    score: int | None
    max_score: int | None
    submitted: bool
    answers: list[AnsweredQuestion]


def student_quiz_answers(student, catalog, locale: str) -> list[AttemptView]:
    """The student's quiz attempts with the option texts they chose (in the teacher's language)."""
    views = []
    for attempt in db.session.scalars(select(QuizAttempt).where(QuizAttempt.student_id == student.id)
                                      .order_by(QuizAttempt.quiz_id, QuizAttempt.attempt_no)):
        quiz = catalog.quiz(attempt.quiz_id, locale)
        if quiz is None:
            continue
        chosen = saved_answers(attempt)
        answers = []
        for number, question in enumerate(quiz.questions, start=1):
            picked = chosen.get(question.id, set())
            texts = [o.text for o in question.options if o.id in picked]
            verdict = (picked == set(question.correct_ids)) if picked else None
            answers.append(AnsweredQuestion(number, question.prompt_html, texts, verdict))
        views.append(AttemptView(quiz.title, attempt.attempt_no, attempt.score, attempt.max_score,
                                 attempt.submitted_at is not None, answers))
    return views
