"""The school's release: every school-level survey figure of a term, for every breakdown at once, zCDP ρ = 1/2
in all (``dp.SCHOOL_TERM_BUDGET``; a pure ε = 1 release also satisfies it; about (ε, δ) = (5.2, 10⁻⁶)).

The figures are computed by age band (a student is in one class, so in one band: the bands' sums are one
vector query whose sensitivity is one student's whole contribution) and the whole school is the sum of the
bands, so no two breakdowns can be subtracted from each other. Admins see class figures only as the classes'
own releases (already public to the teacher, so showing them costs nothing more).

Three queries share the budget (``releases.SCHOOL_SHARES``, ``releases.SCHOOL_ITEMS_RHO``):
- ``knowledge`` (ε 0.5): per band and phase, right knowledge answers of the students who submitted both
  phases this term (pairs; their number is public). Gives the pre and post scores and the normalized gain.
- ``knowledge_change_squares`` (ε 0.25): per band, the sum of each pair's squared change in right answers;
  with the first, the SD of the change and Cohen's d_z.
- ``item_options`` (discrete Gaussian, zCDP ρ 0.34375): per band, phase, Likert item and option, how many
  answers chose it (clipped to the survey's scale; L2 sensitivity: one answer per item and phase moves from one
  cell to another). Gives the per-item answer distributions (shares), per-item means and, for items identical
  in both phases, their change ("what to teach again").
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select

from edu.domain import SURVEY_ID
from edu.extensions import db
from edu.insights import dp
from edu.insights.releases import (
    SCHOOL_ITEMS_RHO,
    SCHOOL_SHARES,
    BudgetSpent,
    current_term,
    find,
    school_scope,
    store,
)
from edu.insights.stats import effect_size_band, normalized_gain
from edu.models import (
    AGE_BANDS,
    AnonymousSurveyAnswer,
    Classroom,
    School,
    Student,
    SurveyAnswer,
    SurveyRelease,
    SurveySubmission,
    utcnow,
)

GROUPS = AGE_BANDS
ALL = "all"


def item_scales(survey) -> list[dp.Scale]:
    """Each Likert or rating item of every declared scale as a one-item scale (clipped like its scale)."""
    return [dp.Scale(item_id, (item_id,), scale.top, reverse=scale.reverse & {item_id}, step=scale.step)
            for scale in dp.survey_scales(survey) if not scale.is_knowledge for item_id in scale.item_ids]


def queries(knowledge_items: int, items: list[dp.Scale]) -> dict[str, dp.NoisyQuery]:
    """The school's three queries. A student adds to one band: at most K right answers in each phase, one
    squared change of at most K², and per phase and item one answer on one option (L2)."""
    groups = len(GROUPS)
    cells = sum(s.top + 1 for s in items)
    return {
        "knowledge": dp.NoisyQuery("knowledge", 2 * knowledge_items, SCHOOL_SHARES["knowledge"], groups * 2),
        "knowledge_change_squares": dp.NoisyQuery("knowledge_change_squares", knowledge_items ** 2,
                                                  SCHOOL_SHARES["knowledge_change_squares"], groups),
        "item_options": dp.NoisyQuery("item_options", dp.options_l2_sensitivity(len(items)), SCHOOL_ITEMS_RHO,
                                      groups * 2 * cells, dp.GAUSSIAN),
    }


def knowledge_values(pairs: list[tuple[str, int, int]]) -> tuple[list[int], list[int]]:
    """From (band, right answers pre, right answers post) per pair: [pre, post per band], [squares per band]."""
    sums, squares = [0] * (len(GROUPS) * 2), [0] * len(GROUPS)
    for group, pre, post in pairs:
        index = GROUPS.index(group)
        sums[2 * index] += pre
        sums[2 * index + 1] += post
        squares[index] += (post - pre) ** 2
    return sums, squares


def item_values(counts: dict, items: list[dp.Scale]) -> list[int]:
    """From {band: {phase: {item: {value: count}}}}: answers per band, phase, item and option."""
    values = []
    for group in GROUPS:
        for phase in dp.PHASES:
            per_item = counts.get(group, {}).get(phase, {})
            for scale in items:
                values.extend(dp.option_counts(scale, per_item))
    return values


def school_rho(qs: dict[str, dp.NoisyQuery], spent: list[str]) -> float:
    """zCDP rho of a school release: the sum of OpenDP's privacy maps of the queries released (the Laplace ones
    through OpenDP's pure-DP to zCDP conversion)."""
    return sum(dp.rho(qs[name]) for name in spent)


# ---- reading the term's answers ----------------------------------------------------------------------------


def _weeks(term, timezone: str) -> list[str]:
    day, weeks = term.starts, []
    while day <= term.ends:
        year, week, _ = day.isocalendar()
        weeks.append(f"{year}-W{week:02d}")
        day += timedelta(days=1)
    return list(dict.fromkeys(weeks))


def _pairs(school: School, forms: dict[str, dp.Scale], start, end) -> list[tuple[str, int, int]]:
    """(band, right answers on the pre form, right answers on the post form) of each student who submitted both
    phases; an answer to an item of the other form (given before the forms existed) counts nowhere."""
    if not forms:
        return []
    phases: dict[int, set[str]] = defaultdict(set)
    band: dict[int, str] = {}
    for student_id, phase, age_band in db.session.execute(
            select(SurveySubmission.student_id, SurveySubmission.phase, Classroom.age_band)
            .join(Student, Student.id == SurveySubmission.student_id)
            .join(Classroom, Classroom.id == Student.classroom_id)
            .where(Classroom.school_id == school.id, SurveySubmission.survey_id == SURVEY_ID,
                   SurveySubmission.submitted_at >= start, SurveySubmission.submitted_at < end)):
        phases[student_id].add(phase)
        band[student_id] = age_band
    paired = {s for s, p in phases.items() if set(dp.PHASES) <= p and band[s] in GROUPS}
    right: dict[tuple[int, str], int] = defaultdict(int)
    for student_id, phase, item_id, value in db.session.execute(
            select(SurveyAnswer.student_id, SurveyAnswer.phase, SurveyAnswer.item_id, SurveyAnswer.value)
            .join(Student, Student.id == SurveyAnswer.student_id)
            .join(Classroom, Classroom.id == Student.classroom_id)
            .where(Classroom.school_id == school.id, SurveyAnswer.survey_id == SURVEY_ID,
                   SurveyAnswer.item_id.in_([i for s in forms.values() for i in s.item_ids]),
                   SurveyAnswer.value.is_not(None))):
        if student_id in paired and phase in forms:
            right[(student_id, phase)] += forms[phase].points(item_id, value) or 0
    return [(band[s], right[(s, "pre")], right[(s, "post")]) for s in sorted(paired)]


def _item_counts(school: School, items: list[dp.Scale], term, start, end) -> dict:
    counts: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(dict)))
    ids = [s.item_ids[0] for s in items]
    linked = (select(Classroom.age_band, SurveyAnswer.phase, SurveyAnswer.item_id, SurveyAnswer.value)
              .join(Student, Student.id == SurveyAnswer.student_id)
              .join(Classroom, Classroom.id == Student.classroom_id)
              .join(SurveySubmission, (SurveySubmission.student_id == SurveyAnswer.student_id)
                    & (SurveySubmission.survey_id == SurveyAnswer.survey_id)
                    & (SurveySubmission.phase == SurveyAnswer.phase))
              .where(Classroom.school_id == school.id, SurveyAnswer.survey_id == SURVEY_ID,
                     SurveyAnswer.item_id.in_(ids), SurveySubmission.submitted_at >= start,
                     SurveySubmission.submitted_at < end))
    anonymous = (select(Classroom.age_band, AnonymousSurveyAnswer.phase, AnonymousSurveyAnswer.item_id,
                        AnonymousSurveyAnswer.value)
                 .join(Classroom, Classroom.id == AnonymousSurveyAnswer.classroom_id)
                 .where(Classroom.school_id == school.id, AnonymousSurveyAnswer.survey_id == SURVEY_ID,
                        AnonymousSurveyAnswer.item_id.in_(ids),
                        AnonymousSurveyAnswer.week.in_(_weeks(term, school.timezone))))
    for query in (linked, anonymous):
        for group, phase, item_id, value in db.session.execute(query):
            cell = counts[group][phase][item_id]
            cell[value] = cell.get(value, 0) + 1
    return counts


def _same_survey_in_both_phases(school: School, start, end) -> bool:
    """Whether the pre and post answers of the term were given to the same survey files (the content versions
    of the submissions, one per language). The answers do not record each item's wording, so when a file changed
    between the phases no item counts as identical in both and no per-item change is shown."""
    versions: dict[str, set[str]] = {phase: set() for phase in dp.PHASES}
    for phase, version in db.session.execute(
            select(SurveySubmission.phase, SurveySubmission.content_version).distinct()
            .join(Student, Student.id == SurveySubmission.student_id)
            .join(Classroom, Classroom.id == Student.classroom_id)
            .where(Classroom.school_id == school.id, SurveySubmission.survey_id == SURVEY_ID,
                   SurveySubmission.submitted_at >= start, SurveySubmission.submitted_at < end)):
        versions.setdefault(phase, set()).add(version)
    return versions["pre"] == versions["post"]


def release_school(school: School, survey, now=None) -> SurveyRelease:
    """Compute, store and return the school's release for the current term (BudgetSpent if it exists)."""
    now = now or utcnow()
    term = current_term(school, now)
    if find(school_scope(school.id), term.key) is not None:
        raise BudgetSpent("released")
    start, end = term.bounds_utc(school.timezone)
    forms = {phase: scale for phase in dp.PHASES
             for scale in dp.survey_scales(survey, phase) if scale.is_knowledge}
    k = max((len(s.item_ids) for s in forms.values()), default=0)  # the forms are as long as each other
    items = item_scales(survey)
    qs = queries(k, items)
    pairs = _pairs(school, forms, start, end)
    sums, squares = knowledge_values(pairs)
    body = {
        "groups": list(GROUPS), "knowledge_items": k,
        "items": [{"id": s.name, "top": s.top, "reverse": bool(s.reverse), "step": s.step} for s in items],
        "pairs": {g: sum(1 for band, *_ in pairs if band == g) for g in GROUPS},
        "items_identical": _same_survey_in_both_phases(school, start, end),
        "queries": {name: q.as_dict() for name, q in qs.items()},
        "noisy": {"knowledge": dp.release(qs["knowledge"], sums) if k else None,
                  "knowledge_change_squares": dp.release(qs["knowledge_change_squares"], squares) if k else None,
                  "item_options": dp.release(qs["item_options"],
                                             item_values(_item_counts(school, items, term, start, end), items))
                  if items else None},
    }
    spent = [name for name, noisy in body["noisy"].items() if noisy is not None]
    epsilon = school_rho(qs, spent)  # the column holds the school release's zCDP rho
    if epsilon > dp.SCHOOL_TERM_BUDGET + 1e-9:
        raise BudgetSpent("budget")
    return store(SurveyRelease(school_id=school.id, classroom_id=None, scope=school_scope(school.id), phase=None,
                                term=term.key, epsilon=epsilon, figures=json.dumps(body), released_at=now))


# ---- what the admin sees ----------------------------------------------------------------------------------


@dataclass
class GroupFigures:
    group: str
    pairs: int
    pre: dp.Figure | None = None
    post: dp.Figure | None = None
    gain: float | None = None
    effect: object = None
    items: list[tuple[str, dp.Figure, dp.Figure, float | None]] = field(default_factory=list)
    items_identical: bool = True
    distributions: list[tuple[str, dp.Distribution, dp.Distribution]] = field(default_factory=list)

    @property
    def effect_band(self) -> str | None:
        return effect_size_band(self.effect.value) if self.effect else None

    def least_changed(self, limit: int = 5) -> list[tuple[str, dp.Figure, dp.Figure, float]]:
        """Items whose change is shown, the smallest change first ("what to teach again")."""
        return sorted((row for row in self.items if row[3] is not None), key=lambda row: row[3])[:limit]


def _summed(noisy: list[int], index_of, groups: list[str]) -> int:
    return sum(noisy[index_of(GROUPS.index(g))] for g in groups)


def school_figures(release: SurveyRelease) -> list[GroupFigures]:
    """Figures per band and for the whole school ("all": the bands' sums; its error adds theirs)."""
    body = json.loads(release.figures)
    qs = {name: dp.NoisyQuery.from_dict(q) for name, q in body["queries"].items()}
    noisy, k, items = body["noisy"], body["knowledge_items"], body["items"]
    out = []
    for group in [*GROUPS, ALL]:
        members = list(GROUPS) if group == ALL else [group]
        parts = len(members)  # union bound: each part within its share of alpha
        view = GroupFigures(group, sum(body["pairs"][g] for g in members),
                            items_identical=bool(body.get("items_identical")))
        if noisy["knowledge"] is not None:
            acc = parts * dp.accuracy(qs["knowledge"], dp.ALPHA / parts)
            pre = _summed(noisy["knowledge"], lambda i: 2 * i, members)
            post = _summed(noisy["knowledge"], lambda i: 2 * i + 1, members)
            view.pre = dp.knowledge_figure("knowledge", pre, view.pairs, k, acc)
            view.post = dp.knowledge_figure("knowledge", post, view.pairs, k, acc)
            if view.pre.shown and view.post.shown:
                view.gain = normalized_gain(view.pre.value, view.post.value)
            squares = _summed(noisy["knowledge_change_squares"], lambda i: i, members)
            view.effect = dp.effect_from_noisy(
                view.pairs, pre, post, squares, k, parts * dp.accuracy(qs["knowledge"], dp.ALPHA / (2 * parts)),
                parts * dp.accuracy(qs["knowledge_change_squares"], dp.ALPHA / (2 * parts)))
        if noisy.get("items") is not None:  # a release made before December 2026: (points, answers), Laplace
            acc95 = parts * dp.accuracy(qs["items"], dp.ALPHA / (2 * parts))
            width = 2 * len(items)  # values per band and phase

            def pair_at(phase_index: int, j: int, members=members, width=width) -> tuple[int, int]:
                base = [GROUPS.index(g) * 2 * width + phase_index * width + 2 * j for g in members]
                return sum(noisy["items"][b] for b in base), sum(noisy["items"][b + 1] for b in base)

            for j, item in enumerate(items):
                before = dp.mean_figure(item["id"], *pair_at(0, j), item["top"], acc95)
                after = dp.mean_figure(item["id"], *pair_at(1, j), item["top"], acc95)
                change = None
                if (body.get("items_identical") and before.shown and after.shown
                        and before.error90 + after.error90 <= dp.MAX_SCALE_ERROR):
                    change = after.value - before.value
                view.items.append((item["id"], before, after, change))
        if noisy.get("item_options") is not None:
            query = qs["item_options"]
            sigma = query.scale * math.sqrt(parts)  # independent noise per band: variances add
            width = sum(item["top"] + 1 for item in items)  # cells per band and phase
            offsets = [sum(item["top"] + 1 for item in items[:j]) for j in range(len(items))]

            def cells(phase_index: int, j: int, members=members, width=width, offsets=offsets) -> list[int]:
                top = items[j]["top"]
                bases = [GROUPS.index(g) * 2 * width + phase_index * width + offsets[j] for g in members]
                return [sum(noisy["item_options"][b + k] for b in bases) for k in range(top + 1)]

            identical = body.get("identical_items")
            for j, item in enumerate(items):
                step = item.get("step", 0)
                before = dp.distribution_of(item["id"], cells(0, j), sigma, item["top"], item.get("reverse", False),
                                            step)
                after = dp.distribution_of(item["id"], cells(1, j), sigma, item["top"], item.get("reverse", False),
                                           step)
                same = item["id"] in identical if identical is not None else bool(body.get("items_identical"))
                change = None
                if (same and before.mean.shown and after.mean.shown and before.mean.error90 + after.mean.error90
                        <= (dp.MAX_KNOWLEDGE_ERROR if step else dp.MAX_SCALE_ERROR)):
                    change = after.mean.value - before.mean.value
                view.items.append((item["id"], before.mean, after.mean, change))
                if not step:  # the answer table has the Likert labels as columns; a rating item shows its mean
                    view.distributions.append((item["id"], before, after))
        out.append(view)
    return out
