"""Disclosure cues: does a question's text match the per-language word list? Pure functions.

An entry is a phrase ("blackmail") or phrases joined by " + " that must all occur ("my + leaked"). Matching
ignores case and curly apostrophes. A Latin-script phrase matches whole words ("me" is not in "meet"), or
words starting with it when it ends with "*" ("threaten*"); a phrase in another script (Korean) matches
anywhere, ignoring spaces (Korean students space words freely)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

Cue = tuple[str, ...]  # the parts of one entry, all of which must occur


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip().casefold()


def parse(entry: str) -> Cue:
    return tuple(normalise(part) for part in str(entry).split(" + ") if part.strip())


def load_cues(path: Path) -> dict[str, tuple[str, ...]]:
    """{locale: entries} from content/safeguarding/disclosure-cues.yaml; empty if the file is missing."""
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {locale: tuple(normalise(str(p)) for p in phrases or ()) for locale, phrases in data.items()}


def _occurs(part: str, clean: str, squeezed: str) -> bool:
    if not part.isascii():
        return part.replace(" ", "") in squeezed
    stem = part.removesuffix("*")
    end = "" if part.endswith("*") else r"(?![\w'])"
    return re.search(r"(?<![\w'])" + re.escape(stem) + end, clean) is not None


def matches(text: str, cues: dict[str, tuple[str, ...]]) -> bool:
    """True if the text matches an entry of any language (students may write in either)."""
    clean = normalise(text)
    squeezed = clean.replace(" ", "")
    for entries in cues.values():
        for entry in entries:
            parts = parse(entry)
            if parts and all(_occurs(part, clean, squeezed) for part in parts):
                return True
    return False
