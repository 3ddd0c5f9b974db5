"""The share of lesson text written for one band: its own audience blocks against all the text it reads."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from edu.content.band_text import band_share, segment_text
from edu.content.model import Audience, Choice, HelpBox, Html, Lesson, Scenario, Step

BANDS = ("middle", "high", "university")


def _lesson(*segments, locale: str = "en", bands=BANDS, status: str = "published", lesson_id: str = "a") -> Lesson:
    return Lesson(id=lesson_id, locale=locale, module="m", order=1, title="t", summary="", age_bands=bands,
                  minutes=20, region=None, sensitivity=(), content_note=None, objectives=(), sources=(),
                  status=status, updated=date(2026, 12, 1), version="v", path="a.md",
                  steps=(Step("s", "Step", tuple(segments)),))


def test_counts_the_bands_own_blocks_against_all_it_reads():
    lesson = _lesson(
        Html("<p>one two three four</p>"),
        Audience(("middle",), "<p>middle only words</p>"),
        Audience(("high", "university"), "<p>older students</p>"),
        Audience(BANDS, "<p>every band here</p>"),  # written for everyone: not band-specific
        Scenario("sc", "<p>a b</p>", "What now?", (Choice("x", "Go", "<p>fine</p>"),)),
        HelpBox(("removal",)),  # drawn from the help file: no text of the lesson's own
    )
    assert segment_text(lesson.steps[0].segments[4]) == " a b  What now? Go  fine "
    shared = 4 + 3 + 2 + 2 + 1 + 1  # prose, every-band block, scenario (situation, question, choice, feedback)
    assert band_share([lesson], "middle", "en") == band_share([lesson, lesson], "middle", "en")
    middle = band_share([lesson], "middle", "en")
    assert (middle.specific, middle.total, middle.percent) == (3, shared + 3, round(300 / (shared + 3)))
    high = band_share([lesson], "high", "en")
    assert (high.specific, high.total) == (2, shared + 2)


def test_korean_counts_characters_and_drafts_other_languages_and_bands_do_not_count():
    korean = _lesson(Html("<p>모두 읽어요</p>"), Audience(("middle",), "<p>중학생</p>"), locale="ko")
    assert (band_share([korean], "middle", "ko").specific, band_share([korean], "middle", "ko").total) == (3, 8)
    assert band_share([korean], "middle", "en").total == 0
    assert band_share([replace(korean, status="draft")], "middle", "ko").total == 0
    assert band_share([replace(korean, age_bands=("high",))], "middle", "ko").total == 0
    assert band_share([], "middle", "ko").percent == 0


WORDS = st.lists(st.sampled_from(["word", "말", "<b>bold</b>", "a&amp;b"]), min_size=0, max_size=6).map(" ".join)
BLOCKS = st.lists(st.tuples(st.sets(st.sampled_from(BANDS), min_size=1), WORDS), max_size=6)


@given(prose=WORDS, blocks=BLOCKS, extra=WORDS, band=st.sampled_from(BANDS))
def test_the_share_is_a_fraction_and_only_the_bands_own_blocks_move_it(prose, blocks, extra, band):
    segments = [Html(prose)] + [Audience(tuple(sorted(bands)), text) for bands, text in blocks]
    before = {b: band_share([_lesson(*segments)], b, "en") for b in BANDS}
    for share in before.values():
        assert 0 <= share.specific <= share.total and 0 <= share.percent <= 100
    added = Audience((band,), extra)
    after = {b: band_share([_lesson(*segments, added)], b, "en") for b in BANDS}
    grew = len(extra.replace("<b>", " ").replace("</b>", " ").replace("&amp;", "&").split())
    for b in BANDS:
        if b == band:
            assert (after[b].specific, after[b].total) == (before[b].specific + grew, before[b].total + grew)
        else:
            assert after[b] == before[b]
