"""The scope and sequence file: read with line numbers, checked against the lessons (unknown ids, lessons for the
wrong band, a lesson in two years, a module split across years, under 6 hours of class time), and planned."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from edu.content.minutes import class_minutes
from edu.content.model import Lesson, Module
from edu.content.sequence import (
    MIN_CLASS_MINUTES,
    BandSequence,
    Sequence,
    SequenceYear,
    check_sequence,
    plan_year,
)

from .conftest import Tree


def _lesson(lesson_id: str, module: str, locale: str = "en", minutes: int = 20, bands=("middle", "high", "university"),
            region: str | None = None, status: str = "published") -> Lesson:
    return Lesson(id=lesson_id, locale=locale, module=module, order=1, title=lesson_id, summary="", age_bands=bands,
                  minutes=minutes, region=region, sensitivity=(), content_note=None, objectives=(), sources=(),
                  status=status, updated=date(2026, 12, 1), version="v", path=f"{lesson_id}.md", steps=())


class FakeCatalog:
    """The three catalog methods the sequence uses, over lessons made here (the same region rule as Catalog)."""

    def __init__(self, lessons: list[Lesson]) -> None:
        self.lessons = lessons
        ids: dict[str, list[str]] = {}
        for lesson in lessons:
            ids.setdefault(lesson.module, [])
            if lesson.id not in ids[lesson.module]:
                ids[lesson.module].append(lesson.id)
        self.modules = [Module(m, i, {"en": m, "ko": m}, {}, tuple(ls), None) for i, (m, ls) in enumerate(ids.items())]

    def module(self, module_id: str) -> Module | None:
        return next((m for m in self.modules if m.id == module_id), None)

    def lessons_for(self, module_id: str, locale: str, region: str | None = "KR") -> list[Lesson]:
        wanted = None if region is None else ("KR" if region == "KR" else "INTL")
        return [ls for ls in self.lessons if ls.module == module_id and ls.locale == locale and not ls.is_draft
                and (wanted is None or ls.region in (None, wanted))]


def _both(lesson_id: str, module: str, **kwargs) -> list[Lesson]:
    return [_lesson(lesson_id, module, locale=loc, **kwargs) for loc in ("ko", "en")]


def _curriculum(modules: int = 10, per_module: int = 2) -> FakeCatalog:
    return FakeCatalog([lesson for m in range(modules) for n in range(per_module)
                        for lesson in _both(f"m{m}-l{n}", f"m{m}")])


def _sequence(band: str, *years: list[str], period: int = 45) -> Sequence:
    return Sequence((BandSequence(band, period, tuple(
        SequenceYear(n, {"en": "", "ko": ""}, tuple(items), line=10 * n, item_lines=tuple(10 * n + i + 1
                                                                                        for i in range(len(items))))
        for n, items in enumerate(years, start=1))),), "content/sequence.yaml")


def _messages(sequence: Sequence, catalog) -> list[str]:
    return [issue.message for issue in check_sequence(sequence, catalog)]


def test_a_good_sequence_has_no_issues_and_counts_periods():
    catalog = _curriculum()
    sequence = _sequence("middle", ["m0", "m1", "m2", "m3"], ["m4", "m5", "m6", "m7"])
    assert _messages(sequence, catalog) == []
    year = plan_year(catalog, sequence.bands[0], sequence.bands[0].years[0], "en", "KR")
    assert [m.module.id for m in year.modules] == ["m0", "m1", "m2", "m3"]
    assert year.class_minutes == 8 * 45 and year.screen_minutes == 8 * 20 and len(year.lessons) == 8


def test_unknown_ids_are_errors_on_their_line():
    issues = check_sequence(_sequence("middle", ["m0", "m1", "m2", "nope"], ["m4", "m5", "m6", "m7"]), _curriculum())
    assert [(i.line, i.message) for i in issues if "nope" in i.message] == [
        (14, "unknown module or lesson 'nope' in year 1 of band 'middle' (not in modules.yaml)")]


def test_a_lesson_in_both_years_is_an_error():
    messages = _messages(_sequence("high", ["m0", "m1", "m2", "m3"], ["m3", "m4", "m5", "m6"]), _curriculum())
    assert "lessons 'm3-l0', 'm3-l1' are in both year 1 and year 2 of band 'high': a lesson is taught in one " \
           "year only" in messages


def test_a_module_split_across_years_is_an_error():
    messages = _messages(_sequence("middle", ["m0", "m1", "m2", "m3", "m8-l0"], ["m4", "m5", "m6", "m7", "m8-l1"]),
                         _curriculum())
    assert messages == ["module 'm8' is split across year 1 and year 2 of band 'middle': classes are assigned whole "
                        "modules"]


def test_a_lesson_alone_must_not_hide_the_rest_of_its_module():
    catalog = _curriculum()
    messages = _messages(_sequence("middle", ["m0", "m1", "m2", "m3-l0"], ["m4", "m5", "m6", "m7"]), catalog)
    assert any("a class is assigned the whole module 'm3', whose other lessons for this band (m3-l1)" in m
               for m in messages)
    # a lesson only one band is taught (e.g. a university-only lesson) can stand alone for that band
    catalog = FakeCatalog(catalog.lessons + _both("uni-law", "adult", bands=("university",)))
    year = ["m0", "m1", "m2", "m3", "uni-law"]
    assert _messages(_sequence("university", year), catalog) == []
    assert "lesson 'uni-law' in year 1 of band 'middle' has no published lesson for the middle band" in \
        _messages(_sequence("middle", year, ["m4", "m5", "m6", "m7"]), catalog)


def test_too_few_minutes_names_the_region_and_language():
    catalog = FakeCatalog(_curriculum().lessons + _both("law-kr", "law", region="KR") + _both("law-kr2", "law", region="KR")
                          + _both("law-intl", "law", region="INTL", status="draft"))
    messages = _messages(_sequence("middle", ["m0", "m1", "m2", "law"], ["m4", "m5", "m6", "m7"]), catalog)
    assert messages == [
        f"year 1 of band 'middle' has {6 * 45} minutes of class time for a INTL class in '{loc}' (6 lessons of "
        f"45-minute periods); it needs at least {MIN_CLASS_MINUTES} (6 hours): add a module" for loc in ("ko", "en")]


def test_a_lesson_longer_than_a_period_takes_two():
    lessons = [_lesson("long", "m", minutes=50), _lesson("short", "m", minutes=10), _lesson("draft", "m", status="draft"),
               _lesson("other-band", "m", bands=("high",))]
    assert class_minutes(lessons, "middle", 45) == 3 * 45
    assert class_minutes(lessons + lessons, "middle", 45) == 3 * 45  # a lesson counts once


@settings(max_examples=60, deadline=None)
@given(years=st.lists(st.sampled_from([1, 2, None]), min_size=10, max_size=10),
       period=st.integers(min_value=30, max_value=120))
def test_the_check_agrees_with_the_rules_for_any_split(years, period):
    """Modules dealt into year 1, year 2 or neither: an error for a year exactly when it is under 6 hours; a
    module dealt into both years (added to year 2 again) always reports the repeat."""
    catalog = _curriculum()
    first = [f"m{i}" for i, y in enumerate(years) if y == 1]
    second = [f"m{i}" for i, y in enumerate(years) if y == 2]
    messages = _messages(_sequence("middle", first, second, period=period), catalog)
    for number, items in ((1, first), (2, second)):
        short = [m for m in messages if m.startswith(f"year {number} of band 'middle' has")]
        if not items:
            assert short == []
        else:
            assert bool(short) == (2 * len(items) * period < MIN_CLASS_MINUTES)
    assert not any("both year" in m for m in messages)
    if first and second:
        again = _messages(_sequence("middle", first, [*second, first[0]], period=period), catalog)
        assert any(f"'{first[0]}-l0'" in m and "both year 1 and year 2" in m for m in again)


SEQUENCE = """\
bands:
  middle:
    period: 45
    years:
      - year: 1
        focus: {en: "Foundations", ko: "기초"}
        items: [consent]
      - year: 2
        focus: {en: "Depth", ko: "심화"}
        items: [consent-basics, nope]
  high:
    period: 500
    years:
      - year: 1
        focus: {en: "Foundations", ko: "기초"}
        items: [consent]
  university:
    period: 50
    years:
      - year: 1
        focus: {en: "Adults"}
        items: [consent]
      - year: 2
        focus: {en: "More", ko: "더"}
        items: []
"""


def test_the_file_is_read_and_checked_with_line_numbers(tree: Tree):
    tree.add("sequence.yaml", text=SEQUENCE)
    catalog = tree.load()
    found = {(i.line, i.message) for i in catalog.errors if i.path.endswith("sequence.yaml")}
    assert (10, "unknown module or lesson 'nope' in year 2 of band 'middle' (not in modules.yaml)") in found
    assert (10, "lesson 'consent-basics' is in both year 1 and year 2 of band 'middle': a lesson is taught in one "
                "year only") in found
    assert (12, "'period' must be the minutes of one class period, 30 to 120 in band 'high'") in found
    assert (14, "no year 2 in band 'high' (it needs years 1 and 2)") in found
    assert (21, "'focus' has no 'ko' text in band 'university'") in found
    assert (23, "unknown year 2 in band 'university' (it needs years 1)") in found
    assert (25, "year 2 in band 'university' lists nothing") in found
    assert any(line == 5 and "year 1 of band 'middle' has 45 minutes of class time for a KR class" in message
               for line, message in found)
    assert catalog.sequence is not None and [b.band for b in catalog.sequence.bands] == ["middle", "high",
                                                                                         "university"]


def test_a_missing_band_is_an_error(tree: Tree):
    tree.add("sequence.yaml", text="bands:\n  middle:\n    period: 45\n    years: []\n")
    messages = {i.message for i in tree.load().errors}
    assert {"no sequence for age band 'high'", "no sequence for age band 'university'",
            "no year 1 in band 'middle' (it needs years 1 and 2)"} <= messages


def test_a_tree_without_a_sequence_has_none(tree: Tree):
    catalog = tree.load()
    assert catalog.sequence is None and catalog.errors == []


def test_the_real_sequence_gives_every_band_at_least_six_hours_a_year_everywhere():
    from pathlib import Path

    from edu.content import load_catalog
    from edu.content.sequence import YEARS, plan_band

    catalog = load_catalog(Path(__file__).resolve().parents[2] / "content", today=date.today())
    assert catalog.sequence is not None
    assert [str(i) for i in catalog.issues if i.path.endswith("sequence.yaml")] == []
    for band, numbers in YEARS.items():
        for region in ("KR", "INTL"):
            for locale in ("ko", "en"):
                years = plan_band(catalog, catalog.sequence, band, locale, region)
                assert [y.year for y in years] == list(numbers)
                for year in years:
                    assert year.class_minutes >= 6 * 60, (band, region, locale, year.year)
                    assert year.left_out == () and year.focus[locale]
                    law = [ls.region for ls in year.lessons if ls.module == "law"]
                    assert set(law) <= {None, region if region == "KR" else "INTL"}
                taught = [lesson.id for year in years for lesson in year.lessons]
                assert len(taught) == len(set(taught)), (band, region, locale)  # no lesson in two years
