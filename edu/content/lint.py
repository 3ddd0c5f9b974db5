"""Authoring lint (warnings): victim-blaming phrases in answer keys and feedback, missing content notes,
and the house style of lint/<locale>.yaml (terms, register, step-out labels: see terms.py)."""

from __future__ import annotations

from . import terms
from .fields import FileResult
from .model import Issue
from .reference import LintLists

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


def _normal(text: str) -> str:
    return " ".join(text.translate(_QUOTES).lower().split())


def lint(results: list[FileResult], lists: dict[str, LintLists]) -> list[Issue]:
    warnings: list[Issue] = []
    for res in results:
        phrases = [(p, _normal(p)) for p in (lists[res.locale].victim_blaming if res.locale in lists else ())]
        for text in res.lint_texts:
            normal = _normal(text.text)
            for phrase, needle in phrases:
                if needle and needle in normal:
                    warnings.append(
                        Issue(
                            res.path,
                            text.line,
                            f'victim-blaming phrase "{phrase}" in {text.where}: '
                            "put the responsibility on whoever made, shared or viewed it",
                            "warning",
                        )
                    )
        if res.locale in lists:
            warnings.extend(terms.check(res, lists[res.locale].style))
        lesson = res.obj if res.kind == "lesson" else None
        if lesson is not None and lesson.sensitivity and not lesson.content_note:
            warnings.append(
                Issue(
                    res.path,
                    res.line_of("sensitivity"),
                    f"lesson is marked sensitive ({', '.join(lesson.sensitivity)}) but has no content_note",
                    "warning",
                )
            )
    return warnings
