"""Total classroom minutes per age band: the sum of ``minutes`` of the published lessons that list the band.

A Korean class and an international class see different lessons (``region``), so the figure is given for
each region; drafts are never counted, and a lesson counts once however many bands it lists.
"""

from __future__ import annotations

from collections.abc import Iterable

from .model import AGE_BANDS, REGIONS, Lesson


def minutes_per_band(lessons: Iterable[Lesson], bands: tuple[str, ...] = AGE_BANDS) -> dict[str, int]:
    """{band: total minutes} over the published lessons that list the band (every band present, 0 if none)."""
    totals = dict.fromkeys(bands, 0)
    for lesson in lessons:
        if lesson.is_draft:
            continue
        for band in set(lesson.age_bands):
            if band in totals:
                totals[band] += lesson.minutes
    return totals


def classroom_minutes(catalog, locale: str = "ko") -> dict[str, dict[str, int]]:
    """{region: {band: minutes}} for the curriculum a class of that region sees in ``locale``."""
    return {
        region: minutes_per_band(lesson for module in catalog.modules
                                 for lesson in catalog.lessons_for(module.id, locale, region=region))
        for region in REGIONS
    }


def periods_for(lesson: Lesson, period: int) -> int:
    """Whole class periods a lesson takes: one, or more for a lesson longer than a period."""
    return max(1, -(-lesson.minutes // period)) if period > 0 else 0


def class_minutes(lessons: Iterable[Lesson], band: str, period: int) -> int:
    """Class time of the published lessons that list the band, each taught in whole periods of ``period`` minutes
    (the lesson with its discussion, group activity and quiz, as the teacher guides plan it)."""
    return sum(periods_for(lesson, period) * period for lesson in {les.id: les for les in lessons}.values()
               if not lesson.is_draft and band in lesson.age_bands)
