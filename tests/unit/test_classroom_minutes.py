"""Total classroom minutes per age band: published lessons only, each counted once for every band it lists."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from edu.content.minutes import minutes_per_band
from edu.content.model import AGE_BANDS


@dataclass(frozen=True)
class FakeLesson:
    minutes: int
    age_bands: tuple[str, ...]
    status: str = "published"

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"


def test_sums_published_lessons_per_band_and_skips_drafts():
    lessons = [
        FakeLesson(20, ("middle", "high", "university")),
        FakeLesson(15, ("middle",)),
        FakeLesson(25, ("high", "university")),
        FakeLesson(40, ("middle", "high"), status="draft"),
    ]
    assert minutes_per_band(lessons) == {"middle": 35, "high": 45, "university": 45}


def test_every_band_is_present_and_a_repeated_band_counts_once():
    assert minutes_per_band([]) == {"middle": 0, "high": 0, "university": 0}
    assert minutes_per_band([FakeLesson(10, ("high", "high"))]) == {"middle": 0, "high": 10, "university": 0}


lessons_strategy = st.lists(st.builds(
    FakeLesson,
    minutes=st.integers(min_value=1, max_value=60),
    age_bands=st.lists(st.sampled_from(AGE_BANDS), min_size=1, max_size=3, unique=True).map(tuple),
    status=st.sampled_from(["published", "draft"]),
), max_size=30)


@given(lessons_strategy)
def test_each_band_total_is_the_sum_over_the_lessons_that_list_it(lessons):
    totals = minutes_per_band(lessons)
    for band in AGE_BANDS:
        assert totals[band] == sum(x.minutes for x in lessons if band in x.age_bands and not x.is_draft)
    assert sum(totals.values()) <= 3 * sum(x.minutes for x in lessons)
