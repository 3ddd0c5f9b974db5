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

