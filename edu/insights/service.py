"""Figures that are not survey answers: participation (module completion, exact, for admins) and the weekly
quiz results (assessment, for the teacher). Counting happens in the database (GROUP BY, see queries.py).
Everything derived from survey answers goes through the differentially private releases (releases.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select

from edu.extensions import db
from edu.insights.queries import Scope, assigned_modules, completion_counts, quiz_attempt_scores
from edu.learn.assignments import module_quizzes
from edu.models import Assignment, Classroom, School

# ---- participation: an administrative record, exact --------------------------------------------------------


BREAKDOWNS = ("classroom", "age_band")


@dataclass
class CompletionTable:
    """Students who finished each assigned module, per group (a class by id, or an age band), with totals.
    Exact: which students completed which lesson is a participation record, not a survey answer."""

    rows: list[tuple[object, str]]  # (group key, label)
    cols: list[str]
    cells: dict[tuple[object, str], int]
    row_totals: dict[object, int] = field(default_factory=dict)
    col_totals: dict[str, int] = field(default_factory=dict)


def completion_table(school: School, catalog, breakdown: str, scope: Scope | None = None) -> CompletionTable | None:
    """Classes not archived only; ``scope`` (benchmarks) replaces the school's classes. Classes are grouped by
    id (two classes may share a name), labelled with their name."""
    scope = scope or Scope.of_school(school.id, active_only=True)
    cells = completion_cells(school, catalog, breakdown, scope)
    if not cells:
        return None
    labels = ({cid: name for cid, name, *_ in assigned_modules(scope)} if breakdown == "classroom" else {})
    rows = list(dict.fromkeys(group for group, _m in cells))
    cols = list(dict.fromkeys(module for _g, module in cells))
    return CompletionTable(
        rows=[(group, labels.get(group, str(group))) for group in rows], cols=cols, cells=cells,
        row_totals={r: sum(cells.get((r, c), 0) for c in cols) for r in rows},
        col_totals={c: sum(cells.get((r, c), 0) for r in rows) for c in cols})


def completion_cells(school: School, catalog, breakdown: str, scope: Scope | None = None) -> dict[tuple[object, str], int]:
    """{(group, module id): students who finished it}; the group is the class id or the age band."""
    scope = scope or Scope.of_school(school.id, active_only=True)
    assigned = assigned_modules(scope)
    lesson_sets: dict[tuple[str, str, str, str], tuple[str, ...]] = {}
    cells: dict[tuple[object, str], int] = {}
    groups = {classroom_id: classroom_id if breakdown == "classroom" else age_band
              for classroom_id, _name, age_band, *_ in assigned}
    for classroom_id, _name, age_band, locale, region, module_id in assigned:
        key = (locale, region, age_band, module_id)
        if key not in lesson_sets:
            lesson_sets[key] = tuple(ls.id for ls in catalog.lessons_for(module_id, locale, region=region,
                                                                         band=age_band))
        if lesson_sets[key]:
            cells.setdefault((groups[classroom_id], module_id), 0)
    for (classroom_id, module_id), count in completion_counts(scope, lesson_sets).items():
        cells[(groups[classroom_id], module_id)] += count
    return cells


def quiz_results_over_time(classroom: Classroom, catalog, locale: str) -> list[tuple[str, list[tuple[str, int, float]]]]:
    """Per assigned quiz: (ISO week, submitted attempts, average score %) in week order."""

    modules = db.session.scalars(select(Assignment.target_id).where(
        Assignment.classroom_id == classroom.id, Assignment.kind == "module").order_by(Assignment.position))
    quizzes = [quiz for module_id in modules for quiz in module_quizzes(catalog, module_id, locale, classroom.region)]
    weeks: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for quiz_id, submitted_at, score, max_score in quiz_attempt_scores(classroom.id, [q.id for q in quizzes]):
        year, week, _ = submitted_at.isocalendar()
        weeks[quiz_id][f"{year}-W{week:02d}"].append(100.0 * (score or 0) / max_score if max_score else 0.0)
    return [(quiz.title, [(week, len(v), sum(v) / len(v)) for week, v in sorted(weeks[quiz.id].items())])
            for quiz in quizzes if weeks.get(quiz.id)]
