"""How much of the lesson text a band reads was written for that band: the text of its ``:::audience`` blocks
(those not listing every band) against all the text a student of the band reads.

A student of a band reads every segment of a lesson except the audience blocks of other bands. Text is counted
as readers see it (tags dropped) and as the step rules count it (``steps.size``): words in English, characters
without whitespace in Korean. Help and legal boxes are drawn from the data files, not written in the lesson, so
they count for neither side. Pure: no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields, is_dataclass

from .model import AGE_BANDS, Lesson
from .steps import plain_text, size

# The fields of a segment (and of its choices, options, groups, cards) that readers see.
_TEXT_FIELDS = frozenset({"html", "situation_html", "question", "text", "feedback_html", "explanation_html",
                          "prompt", "myth", "fact_html", "label", "alternative_html", "statement"})


@dataclass(frozen=True)
class BandShare:
    band: str
    specific: int  # size of the band's own text
    total: int  # size of all the text the band reads

    @property
    def percent(self) -> int:
        return round(100 * self.specific / self.total) if self.total else 0


def segment_text(segment) -> str:
    """Every piece of text a reader sees in a segment, joined."""
    parts: list[str] = []
    for field in fields(segment):
        value = getattr(segment, field.name)
        if field.name in _TEXT_FIELDS and isinstance(value, str):
            parts.append(plain_text(value))
        elif isinstance(value, tuple):
            parts.extend(segment_text(item) for item in value if is_dataclass(item))
    return " ".join(parts)


def _is_specific(segment, band: str) -> bool:
    return segment.kind == "audience" and band in segment.bands and not set(AGE_BANDS) <= set(segment.bands)


def band_share(lessons: Iterable[Lesson], band: str, locale: str) -> BandShare:
    """The band's own text and all its text, over the published lessons in ``locale`` that list the band."""
    specific = total = 0
    for lesson in {les.id: les for les in lessons}.values():
        if lesson.is_draft or lesson.locale != locale or band not in lesson.age_bands:
            continue
        for step in lesson.steps:
            for segment in step.segments:
                if segment.kind == "audience" and band not in segment.bands:
                    continue  # another band's text: this band never reads it
                n = size(segment_text(segment), locale)
                total += n
                specific += n if _is_specific(segment, band) else 0
    return BandShare(band, specific, total)


def band_shares(catalog, locale: str) -> dict[str, BandShare]:
    """{band: share} over every published lesson in ``locale`` (both regions' law lessons included)."""
    lessons = [lesson for module in catalog.modules for lesson in catalog.lessons_for(module.id, locale, region=None)]
    return {band: band_share(lessons, band, locale) for band in AGE_BANDS}
