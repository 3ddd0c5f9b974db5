"""The light blocks of issue 30 (:::law, :::sort, :::reveal, :::flip): what they parse to, every mistake with its
exact ``path:line: message``, and translations that must agree on their answers."""

from __future__ import annotations

from edu.content.activities import Sort, SortGroup, SortItem

from .conftest import Tree, messages
from .test_facts import FACTS

L = "lessons/en/consent"

GOOD = """\
---
id: consent-light
module: consent
order: 9
title: Light blocks
summary: One of each.
age_bands: [middle, high]
minutes: 5
status: draft
updated: 2026-11-24
---

## The law {#the-law}

Viewing one is a crime.

:::law
Article 14-2: [[fact:moe-crime]] of *students* said so.
:::

:::flip
id: flip-viewing
statement: "Only the person who made a deepfake commits a crime."
answer: myth
explanation: |
  Viewing one is a crime **too**.
source: {title: "CNA, Sept 2024", url: "https://example.org/cna"}
:::

## Sort it {#sort-it}

:::sort
id: consent-sort
question: "Which of these are consent?"
groups:
  - id: yes
    text: "Consent"
  - id: no
    text: "Not consent"
items:
  - id: asked-first
    text: "Mina asks before posting a photo of Jun, and he says yes."
    group: yes
  - id: silence
    text: "Nobody said no."
    group: no
  - id: pressure
    text: "He said yes after being asked ten times."
    group: no
explanation: |
  Consent is a **free** yes.
:::

:::reveal
id: peers-think
prompt: "What do most students your age think? Guess, then tap."
text: |
  Most think it is **serious**.
:::

:::reveal
id: peers-figure
prompt: "How many students think it is a crime?"
fact: moe-crime
:::
"""


def test_each_light_block_parses_to_what_the_player_shows(tree: Tree) -> None:
    tree.add("facts/KR.yaml", text=FACTS)
    tree.add(f"{L}/light.md", text=GOOD)
    catalog = tree.load()
    assert messages(catalog, f"{L}/light.md") == []
    lesson = catalog.lesson("consent-light", "en", include_invalid=True)
    law, flip = lesson.steps[0].blocks("law")[0], lesson.steps[0].blocks("flip")[0]
    assert "<em>students</em>" in law.html and "89.4%" in law.html and "[[fact:" not in law.html
    assert (flip.id, flip.answer, flip.source.title) == ("flip-viewing", "myth", "CNA, Sept 2024")
    assert "<strong>too</strong>" in flip.explanation_html
    sort = lesson.steps[1].blocks("sort")[0]
    assert [g.id for g in sort.groups] == ["yes", "no"]
    assert [(i.id, i.group) for i in sort.items] == [("asked-first", "yes"), ("silence", "no"), ("pressure", "no")]
    text, figure = lesson.steps[1].blocks("reveal")
    assert "<strong>serious</strong>" in text.html and text.source is None
    assert figure.html == "<p>89.4%</p>" and figure.fact == "moe-crime"
    assert figure.source.url == "https://mobile.newsis.com/view/NISX20241211_0002992344"
    assert lesson.check_ids == ()  # a sort or a flip is not a check


def test_every_mistake_in_the_light_blocks_is_reported_with_its_line(tree: Tree) -> None:
    tree.add(f"{L}/light.md", "light-blocks.md")
    catalog = tree.load()
    path = "content/lessons/en/consent/light.md"
    assert messages(catalog, f"{L}/light.md") == [
        f"{path}:16: missing key 'id' in ':::sort' block",
        f"{path}:17: 'groups' needs at least 2 in ':::sort' block",
        f"{path}:26: item 'silence' is in group 'maybe', which is not one of the groups (yes) in ':::sort' block",
        f"{path}:27: missing key 'group' in item 'nothing' in ':::sort' block",
        f"{path}:35: give either 'text' (Markdown) or 'fact' (a facts-registry id), not both in ':::reveal' block",
        f"{path}:42: missing key 'text' or 'fact' in ':::reveal' block",
        f"{path}:49: unknown fact 'no-such-fact' in citation '[[fact:no-such-fact]]' (not in facts/) "
        "in ':::reveal' block",
        f"{path}:57: 'answer' must be myth or fact, not 'maybe' in ':::flip' block",
        f"{path}:61: block ':::law' is empty",
        f"{path}:64: block ':::law' takes no arguments after its name",
    ]


def test_a_sort_with_too_many_groups_or_items_is_an_error(tree: Tree) -> None:
    groups = "".join(f"  - id: g{n}\n    text: G{n}\n" for n in range(4))
    items = "".join(f"  - id: i{n}\n    text: I{n}\n    group: g0\n" for n in range(7))
    body = GOOD.split("## Sort it")[0] + (
        f"## Sort {{#sort}}\n\n:::sort\nid: big\nquestion: Q?\ngroups:\n{groups}items:\n{items}explanation: E.\n:::\n")
    tree.add("facts/KR.yaml", text=FACTS)
    tree.add(f"{L}/light.md", text=body)
    found = messages(tree.load(), f"{L}/light.md")
    assert any("'groups' has 4: use at most 3 in ':::sort' block" in m for m in found), found
    assert any("'items' has 7: use at most 6 in ':::sort' block" in m for m in found), found


def test_translations_must_agree_on_sort_groups_and_flip_answers(tree: Tree) -> None:
    tree.add("facts/KR.yaml", text=FACTS)
    tree.add(f"{L}/light.md", text=GOOD)
    ko = GOOD.replace("answer: myth", "answer: fact").replace("    group: yes\n", "    group: no\n")
    tree.add("lessons/ko/consent/light.md", text=ko.replace("status: draft", "status: draft\ntranslated_from: en"))
    found = messages(tree.load(), "lessons/ko/consent/light.md")
    assert any("answer of flip 'flip-viewing' differ from" in m for m in found), found
    assert any("items of sort 'consent-sort' differ from" in m for m in found), found


def test_a_sort_answer_round_trips_and_counts_what_is_right() -> None:
    sort = Sort("s", "Q?", (SortGroup("yes", "Y"), SortGroup("no", "N")),
                (SortItem("a", "A", "yes"), SortItem("b", "B", "no"), SortItem("c", "C", "no")), "")
    answer = sort.encode({"a": "yes", "b": "yes", "c": "no"})
    assert answer == "001"
    assert sort.decode(answer) == {"a": "yes", "b": "yes", "c": "no"}
    assert sort.right(answer) == 2
    assert sort.encode({"a": "yes", "b": "no"}) is None  # an item left out
    assert sort.encode({"a": "yes", "b": "no", "c": "maybe"}) is None
    for stale in ("", "01", "0123", "0x1", "092", None):
        assert sort.decode(stale) == {} and sort.right(stale) == 0
