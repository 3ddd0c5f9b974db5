"""The survey file: declared scales and sources, parallel knowledge forms, 0-100 rating items, back-translations
in the Korean file, and the answer-cue rules held to chance on each form."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from edu.content.answer_cues import chance, form_cues
from edu.content.model import Option

from .conftest import Tree, messages

EN = "surveys/en/prepost.yaml"
KO = "surveys/ko/prepost.yaml"

POST_ITEM = """  - id: k2
    type: knowledge
    scale: knowledge
    identity: linked
    module: consent
    form: post
    pair: viewing
    prompt: "Someone only keeps a sexual deepfake on their phone in Korea. Is that a crime?"
    options: [{id: a, text: "No"}, {id: b, text: "Yes", correct: true}]
"""
RATING_ITEM = """  - id: e1
    type: rating
    scale: efficacy
    identity: linked
    source: flynn
    prompt: "Telling a trusted adult: how confident are you?"
"""


def with_forms(tree: Tree, path: str = EN) -> None:
    tree.edit(path, "    module: consent\n", "    module: consent\n    form: pre\n    pair: viewing\n")
    tree.edit(path, "  - id: a1\n", POST_ITEM + "  - id: a1\n")
    if path == KO:
        tree.edit(path, '    prompt: "Someone only', '    back_translation: "Someone only keeps it."\n    prompt: "Someone only')


def test_each_phase_shows_its_own_knowledge_form_and_every_other_item(tree: Tree) -> None:
    with_forms(tree)
    survey = tree.load().survey("prepost", "en")
    assert [i.id for i in survey.items_for("pre")] == ["k1", "a1"]
    assert [i.id for i in survey.items_for("post")] == ["k2", "a1"]
    assert (survey.items[1].form, survey.items[1].pair) == ("post", "viewing")
    assert [s.id for s in survey.scales] == ["knowledge", "attitudes"] and survey.scales[0].class_page


def test_a_pre_item_without_its_post_pair_is_an_error(tree: Tree) -> None:
    tree.edit(EN, "    module: consent\n", "    module: consent\n    form: pre\n    pair: viewing\n")
    assert any("pair 'viewing' needs one 'form: pre' and one 'form: post' item" in m
               for m in messages(tree.load(), EN))


def test_a_form_without_a_pair_and_a_pair_in_both_forms_are_errors(tree: Tree) -> None:
    tree.edit(EN, "    module: consent\n", "    module: consent\n    form: pre\n")
    assert any("give it a 'pair' id" in m for m in messages(tree.load(), EN))
    tree.edit(EN, "    form: pre\n", "    pair: viewing\n")
    assert any("has a pair but is in both forms" in m for m in messages(tree.load(), EN))


def test_paired_items_must_share_their_module(tree: Tree) -> None:
    with_forms(tree)
    tree.edit(EN, "    module: consent\n    form: post", "    module: law\n    form: post")
    assert any("must have the same module and scale" in m for m in messages(tree.load(), EN))


def test_only_knowledge_items_have_forms(tree: Tree) -> None:
    tree.edit(EN, "    source: flynn\n", "    source: flynn\n    form: pre\n")
    assert any("unknown key 'form' in item 'a1'" in m for m in messages(tree.load(), EN))


def test_a_rating_item_needs_a_rating_scale_and_the_rating_labels(tree: Tree) -> None:
    tree.edit(EN, "  - id: a1\n", RATING_ITEM + "  - id: a1\n")
    found = messages(tree.load(), EN)
    assert any("unknown scale 'efficacy' in item 'e1'" in m for m in found)
    tree.edit(EN, "sources:", '  - {id: efficacy, type: likert, label: "Confidence"}\nsources:')
    assert any("scale 'efficacy' holds likert items, this is rating" in m for m in messages(tree.load(), EN))
    tree.edit(EN, "type: likert, label: \"Confidence\"", "type: rating, label: \"Confidence\"")
    assert any("rating items need the survey's 'rating' labels" in m for m in messages(tree.load(), EN))
    tree.edit(EN, "prefer_not:", 'rating: ["0: not at all", "100: completely"]\nprefer_not:')
    catalog = tree.load()
    assert messages(catalog, EN) == []
    survey = catalog.survey("prepost", "en")
    assert survey.rating == ("0: not at all", "100: completely") and survey.items[1].type == "rating"


def test_sources_are_required_and_every_opinion_item_names_a_listed_one(tree: Tree) -> None:
    tree.edit(EN, "    source: flynn\n", "")
    assert any("missing key 'source' in item 'a1'" in m for m in messages(tree.load(), EN))
    tree.edit(EN, "    reverse: true\n", "    reverse: true\n    source: nobody\n")
    assert any("unknown source 'nobody' in item 'a1'" in m for m in messages(tree.load(), EN))
    tree.edit(EN, "sources:\n", "nothing:\n")
    assert any("missing key 'sources'" in m for m in messages(tree.load(), EN))


def test_a_scale_must_be_declared_and_used(tree: Tree) -> None:
    tree.edit(EN, "sources:", '  - {id: unused, type: likert, label: "Unused"}\nsources:')
    assert any("scale 'unused' has no items" in m for m in messages(tree.load(), EN))


def test_the_korean_file_needs_back_translations_and_the_english_file_has_none(tree: Tree) -> None:
    tree.edit(KO, '    back_translation: "In Korea, is viewing a sexual deepfake a crime?"\n', "")
    assert any("missing key 'back_translation' in item 'k1'" in m for m in messages(tree.load(), KO))
    tree.edit(EN, "    source: flynn\n", "    source: flynn\n    back_translation: \"x\"\n")
    assert any("a back-translation belongs in the Korean file only" in m for m in messages(tree.load(), EN))


def test_back_translations_are_never_shown(tree: Tree) -> None:
    survey = tree.load().survey("prepost", "ko")
    assert "In Korea" not in repr(survey)


def item(correct_at: int, lengths: list[int]) -> tuple[str, tuple[Option, ...]]:
    return "item", tuple(Option(f"o{i}", "x" * n, i == correct_at) for i, n in enumerate(lengths))


def test_a_form_is_held_to_chance():
    ten = [item(i % 4, [5, 5, 5, 5]) for i in range(10)]
    assert chance(ten) == 3 and form_cues(ten) == (None, None)
    clustered = [item(0, [5, 5, 5, 5])] * 5 + [item(1, [5, 5, 5, 5])] * 5
    assert form_cues(clustered)[0] == (1, 5)  # 5 > 3 + 1
    long_right = [item(i % 4, [9 if j == i % 4 else 5 for j in range(4)]) for i in range(4)] + ten[:6]
    assert form_cues(long_right)[1] == 4


@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=1, max_size=12))
def test_a_balanced_form_never_warns(picks):
    """Correct answers placed round-robin, every option the same length: never a cue, whatever the count."""
    items = [item(n % 4, [5, 5, 5, 5]) for n in range(len(picks))]
    assert form_cues(items) == (None, None)


def test_the_content_check_reports_a_cued_form(tree: Tree) -> None:
    with_forms(tree)
    extra = "".join(
        f"""  - id: k{n}
    type: knowledge
    scale: knowledge
    identity: linked
    module: consent
    form: post
    pair: p{n}
    prompt: "Question {n}?"
    options: [{{id: a, text: "The right answer, and a long one", correct: true}}, {{id: b, text: "No"}}]
  - id: k{n}b
    type: knowledge
    scale: knowledge
    identity: linked
    module: consent
    form: pre
    pair: p{n}
    prompt: "Question {n}, asked another way?"
    options: [{{id: a, text: "No."}}, {{id: b, text: "Yes", correct: true}}]
""" for n in range(3, 7))
    tree.edit(EN, "  - id: a1\n", extra + "  - id: a1\n")
    warnings = messages(tree.load(), EN, "warning")
    assert any("post-survey knowledge items" in w and "longest" in w for w in warnings), warnings
    assert not any("pre-survey knowledge items" in w and "longest" in w for w in warnings), warnings
