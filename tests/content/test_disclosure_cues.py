"""The disclosure cues measured on the held-out half of the cue corpus (docs/privacy.md "Disclosure cues, measured")."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from edu.safeguarding import cue_corpus, cues

ROOT = Path(__file__).resolve().parents[2] / "content" / "safeguarding"
CUES = cues.load_cues(ROOT / "disclosure-cues.yaml")


def _halves(locale: str):
    return cue_corpus.split(cue_corpus.load(ROOT / "cue_corpus" / f"{locale}.yaml"))


@pytest.mark.parametrize("locale", ["ko", "en"])
def test_corpus_is_large_enough_and_balanced(locale):
    items = cue_corpus.load(ROOT / "cue_corpus" / f"{locale}.yaml")
    assert len(items) >= 100
    assert len({item.text for item in items}) == len(items)  # no duplicate inflates a figure
    disclosures = sum(item.label == "disclosure" for item in items)
    assert 0.4 <= disclosures / len(items) <= 0.6


@pytest.mark.parametrize("locale", ["ko", "en"])
def test_held_out_recall_and_false_alarms(locale):
    _tuning, held_out = _halves(locale)
    score = cue_corpus.score(held_out, CUES)
    assert score.disclosures >= 20 and score.questions >= 20
    assert score.recall >= 0.9, score
    assert score.false_alarms <= 0.2, score


@pytest.mark.parametrize("locale", ["ko", "en"])
def test_split_is_fixed_and_disjoint(locale):
    tuning, held_out = _halves(locale)
    again_tuning, again_held_out = _halves(locale)
    assert (tuning, held_out) == (again_tuning, again_held_out)
    assert not {i.text for i in tuning} & {i.text for i in held_out}
    assert abs(len(tuning) - len(held_out)) <= 1


def test_the_issue_example_is_flagged():
    assert cues.matches("단톡방에 누가 제 친구 사진을 합성해서 올렸어요. 저도 캡처해 뒀는데 어떻게 해야 하나요?", CUES)


def test_latin_phrases_match_whole_words_and_star_matches_word_starts():
    lists = {"en": ("me + threaten*", "of me")}
    assert cues.matches("They keep THREATENING me", lists)
    assert not cues.matches("they threatened to meet", lists)  # "me" is not in "meet"
    assert cues.matches("there's a fake of me", lists)
    assert not cues.matches("a fake of meat", lists)


def test_korean_phrases_ignore_spacing():
    lists = {"ko": ("제 사진", "누가 + 올렸")}
    assert cues.matches("제사진이 돌아요", lists)
    assert cues.matches("누가   단톡에 올 렸어요", lists)
    assert not cues.matches("누가 봤어요", lists)


def test_a_student_may_write_in_either_language():
    assert cues.matches("someone is threatening me 어떡해요", {"ko": ("어떡해",), "en": ()})
    assert cues.matches("걔가 blackmailing me", {"ko": (), "en": ("blackmailing",)})


@given(st.text(max_size=200))
def test_matching_never_fails_and_empty_lists_match_nothing(text):
    assert cues.matches(text, {}) is False
    cues.matches(text, CUES)
