"""Parallel knowledge forms: the pre-survey shows the ``form: pre`` items, the post-survey the ``form: post`` items,
and items of ``form: both`` in each. Each pre item has one post item of the same ``pair`` (the same fact asked in
other words, about the same module), so the two forms have as many knowledge items and a score on either is a
share of the same number of questions (decisions.md "Parallel survey forms")."""

from __future__ import annotations

from collections import defaultdict

from .fields import FileResult
from .model import SurveyItem

PHASES = ("pre", "post")


def check_forms(res: FileResult, items: list[SurveyItem], lines: dict[str, int]) -> None:
    pairs: dict[str, list[SurveyItem]] = defaultdict(list)
    for item in items:
        if item.form in PHASES and item.pair is None:
            res.error(lines[item.id], f"item '{item.id}' is in the {item.form} form only: give it a 'pair' id "
                                      "shared with its parallel item")
        elif item.form == "both" and item.pair is not None:
            res.error(lines[item.id], f"item '{item.id}' has a pair but is in both forms: say 'form: pre' or "
                                      "'form: post'")
        elif item.pair is not None:
            pairs[item.pair].append(item)
    for pair, members in pairs.items():
        forms = sorted(i.form for i in members)
        line = lines[members[0].id]
        if forms != sorted(PHASES):
            res.error(line, f"pair '{pair}' needs one 'form: pre' and one 'form: post' item, it has: "
                            f"{', '.join(f'{i.id} ({i.form})' for i in members)}")
        elif members[0].module != members[1].module or members[0].scale != members[1].scale:
            res.error(line, f"the items of pair '{pair}' must have the same module and scale")


def form_items(items: list[SurveyItem] | tuple[SurveyItem, ...], phase: str) -> list[SurveyItem]:
    return [item for item in items if item.shown_in(phase)]
