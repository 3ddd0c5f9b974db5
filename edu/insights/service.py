"""Every figure shown to anyone but the student: the SQL aggregates of queries.py handed to the pure rules of
stats.py and suppression.py.

The teacher's class outcomes, the school admin's insights and the weekly quiz results. Counting, pairing and
summing happen in the database (GROUP BY, see queries.py), never by loading every answer: a figure costs a
few queries whatever the size of the school.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select

from edu.extensions import db
from edu.insights import stats
from edu.insights.queries import (
    Scope,
    assigned_modules,
    completion_counts,
    paired_sums,
    phase_item_counts,
    quiz_attempt_scores,
)
from edu.insights.suppression import TeacherItemSummary, suppress_table, teacher_item_summary
from edu.models import Assignment, Classroom, School

SURVEY_ID = "prepost"
PHASES = ("pre", "post")
LIKERT = ("1", "2", "3", "4", "5")


def item_options(item) -> list[str]:
    return [o.id for o in item.options] if item.type == "knowledge" else list(LIKERT)


# ---- the teacher's class outcomes --------------------------------------------------------------------------


@dataclass
class ItemView:
    item: object
    pre: TeacherItemSummary
    post: TeacherItemSummary


@dataclass
class ClassOutcomes:
    outcomes: dict[str, stats.ScaleOutcome]
    items: list[ItemView] = field(default_factory=list)
    anonymous_means: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)


def item_mean(item, counts: dict[str, int], min_n: int) -> float | None:
    """Mean of a Likert item's answers (reverse-keyed items reversed), only with at least min_n answers."""
    n = sum(counts.values())
    if item.type != "likert" or n < min_n:
        return None
    total = sum((stats.reverse_score(int(v)) if item.reverse else int(v)) * c for v, c in counts.items())
    return total / n


def class_outcomes(classroom: Classroom, survey, min_n: int) -> ClassOutcomes:
    scope = Scope.of_class(classroom.id)
    sums = {scale: value for (_group, scale), value in paired_sums(scope, survey).items()}
    result = ClassOutcomes(outcomes=stats.class_outcomes_from_sums(sums, min_n=min_n))
    counts = phase_item_counts(scope)
    for item in survey.items:
        per_phase = {phase: {o: counts[phase].get(item.id, {}).get(o, 0) for o in item_options(item)}
                     for phase in PHASES}
        result.items.append(ItemView(item,
                                     teacher_item_summary(per_phase["pre"], item.sensitive, min_n),
                                     teacher_item_summary(per_phase["post"], item.sensitive, min_n)))
        if item.identity == "none" and item.type == "likert":
            result.anonymous_means[item.id] = (item_mean(item, per_phase["pre"], min_n),
                                               item_mean(item, per_phase["post"], min_n))
    return result


# ---- the school admin's insights ---------------------------------------------------------------------------


BREAKDOWNS = ("classroom", "age_band")


def _label(breakdown: str, name: str, age_band: str) -> str:
    return name if breakdown == "classroom" else age_band


def completion_table(school: School, catalog, breakdown: str, k: int, scope: Scope | None = None):
    """Students who finished each assigned module, by one breakdown (class or age band), suppressed at k.
    Classes not archived only; ``scope`` (benchmarks) replaces the school's classes."""
    cells = completion_cells(school, catalog, breakdown, scope)
    return suppress_table(cells, k=k) if cells else None


def completion_cells(school: School, catalog, breakdown: str, scope: Scope | None = None) -> dict[tuple[str, str], int]:
    """{(group, module id): students who finished it}, before suppression (never shown as such)."""
    scope = scope or Scope.of_school(school.id, active_only=True)
    assigned = assigned_modules(scope)
    lesson_sets: dict[tuple[str, str, str], tuple[str, ...]] = {}
    cells: dict[tuple[str, str], int] = {}
    for _id, name, age_band, locale, region, module_id in assigned:
        key = (locale, region, module_id)
        if key not in lesson_sets:
            lesson_sets[key] = tuple(ls.id for ls in catalog.lessons_for(module_id, locale, region=region))
        if lesson_sets[key]:
            cells.setdefault((_label(breakdown, name, age_band), module_id), 0)
    labels = {classroom_id: _label(breakdown, name, age_band) for classroom_id, name, age_band, *_ in assigned}
    for (classroom_id, module_id), count in completion_counts(scope, lesson_sets).items():
        cells[(labels[classroom_id], module_id)] += count
    return cells


def school_outcomes(school: School, survey, breakdown: str, k: int,
                    scope: Scope | None = None) -> dict[str, dict[str, stats.ScaleOutcome]]:
    """Pooled outcomes per group of the breakdown (class or age band); a group below k pairs shows nothing.
    Every class of the school, archived ones too; ``scope`` (benchmarks) replaces the school's classes."""
    scope = scope or Scope.of_school(school.id)
    column = Classroom.name if breakdown == "classroom" else Classroom.age_band
    groups = list(dict.fromkeys(db.session.scalars(
        select(column).where(*scope.classroom_filter()).order_by(Classroom.id))))
    sums: dict[str, dict[str, stats.PairedSums]] = defaultdict(dict)
    for (group, scale), value in paired_sums(scope, survey, group=column).items():
        sums[group][scale] = value
    return {group: stats.class_outcomes_from_sums(sums.get(group, {}), min_n=k) for group in groups}


def least_changed_items(school: School, survey, k: int, limit: int = 5,
                        scope: Scope | None = None) -> list[tuple[object, float, float]]:
    """Attitude and bystander items whose school mean moved least from pre to post (what to teach again)."""
    scope = scope or Scope.of_school(school.id)
    counts = phase_item_counts(scope, [item.id for item in survey.items if item.type == "likert"])
    rows = []
    for item in survey.items:
        if item.type != "likert":
            continue
        pre = item_mean(item, counts["pre"].get(item.id, {}), k)
        post = item_mean(item, counts["post"].get(item.id, {}), k)
        if pre is not None and post is not None:
            rows.append((item, pre, post))
    return sorted(rows, key=lambda row: row[2] - row[1])[:limit]


def quiz_results_over_time(classroom: Classroom, catalog, locale: str) -> list[tuple[str, list[tuple[str, int, float]]]]:
    """Per assigned quiz: (ISO week, submitted attempts, average score %) in week order."""
    from edu.learn.services import module_quizzes

    modules = db.session.scalars(select(Assignment.target_id).where(
        Assignment.classroom_id == classroom.id, Assignment.kind == "module").order_by(Assignment.position))
    quizzes = [quiz for module_id in modules for quiz in module_quizzes(catalog, module_id, locale, classroom.region)]
    weeks: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for quiz_id, submitted_at, score, max_score in quiz_attempt_scores(classroom.id, [q.id for q in quizzes]):
        year, week, _ = submitted_at.isocalendar()
        weeks[quiz_id][f"{year}-W{week:02d}"].append(100.0 * (score or 0) / max_score if max_score else 0.0)
    return [(quiz.title, [(week, len(v), sum(v) / len(v)) for week, v in sorted(weeks[quiz.id].items())])
            for quiz in quizzes if weeks.get(quiz.id)]
