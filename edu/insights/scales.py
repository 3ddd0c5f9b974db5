"""The survey's scales as the differentially private queries see them (edu/insights/dp.py): which items each
scale holds in a phase (its knowledge form), how an answer is clipped to points, and which scales the class page
shows. Pure: no database, no Flask. The scales are the ones the survey file declares, never a fixed list."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

CLASS_FIGURES_PER_PHASE = 4  # a survey file that declares no scales: the knowledge score and three scale means


@dataclass(frozen=True)
class Scale:
    """One scale of the survey as clipped for the queries: its items, and each item's top score. A rating scale
    (0-100 in steps of ``step``) scores value / step, so its top is 100 / step."""

    name: str
    item_ids: tuple[str, ...]
    top: int  # knowledge 1, Likert number of labels - 1, rating 100 / step
    reverse: frozenset[str] = frozenset()
    right: Mapping[str, str] | None = None  # knowledge: item id -> the right option id
    step: int = 0  # rating: the step of its 0..100 values; 0 for Likert (1-based labels) and knowledge

    @property
    def is_knowledge(self) -> bool:
        return self.right is not None

    def points(self, item_id: str, value: str | None) -> int | None:
        """The clipped score of one answer, or None when it is skipped or not on the scale."""
        if value is None or item_id not in self.item_ids:
            return None
        if self.right is not None:
            return 1 if value == self.right.get(item_id) else 0
        try:
            number = int(value)
        except ValueError:
            return None
        if self.step:
            if number % self.step:
                return None
            score = number // self.step
        else:
            score = number - 1
        if not 0 <= score <= self.top:
            return None
        return self.top - score if item_id in self.reverse else score

    def shown(self, points: float) -> float:
        """A mean of points as the page shows it: 1..top+1 for Likert, 0..100 for a rating."""
        return points * self.step if self.step else points + 1


RATING_STEP = 10  # a rating item's answers: 0, 10, .., 100


def _scale(name: str, kind: str, items: list, labels: int) -> Scale:
    ids = tuple(i.id for i in items)
    if kind == "knowledge":
        return Scale(name, ids, 1, right={i.id: next(o.id for o in i.options if o.correct) for i in items})
    reverse = frozenset(i.id for i in items if i.reverse)
    if kind == "rating":
        return Scale(name, ids, 100 // RATING_STEP, reverse, step=RATING_STEP)
    return Scale(name, ids, labels - 1, reverse)


def survey_scales(survey, phase: str | None = None) -> list[Scale]:
    """Every scale the survey file declares, knowledge first, with the items ``phase`` shows (its knowledge form;
    every phase's items when None). A file without declared scales: each item's scale, its type inferred."""
    items = survey.items_for(phase) if phase else survey.items
    declared = [(s.id, s.type) for s in survey.scales] or list(dict.fromkeys(
        (i.scale, "knowledge" if i.type == "knowledge" else i.type) for i in items))
    scales = [_scale(name, kind, members, len(survey.likert)) for name, kind in declared
              if (members := [i for i in items if i.scale == name])]
    return sorted(scales, key=lambda s: not s.is_knowledge)


def class_page_scales(survey, phase: str | None = None) -> list[Scale]:
    """The scales a class page shows: those the file declares ``class_page: true`` (a file without declared
    scales: the first CLASS_FIGURES_PER_PHASE), the knowledge score first."""
    scales = survey_scales(survey, phase)
    if not survey.scales:
        return scales[:CLASS_FIGURES_PER_PHASE]
    shown = {s.id for s in survey.scales if s.class_page}
    return [s for s in scales if s.name in shown]
