"""Disclosure cues: does a question's text match the per-language word list? Pure functions."""

from __future__ import annotations

import re
from pathlib import Path

import yaml


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip().casefold()


def load_cues(path: Path) -> dict[str, tuple[str, ...]]:
    """{locale: phrases} from content/safeguarding/disclosure-cues.yaml; empty if the file is missing."""
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {locale: tuple(normalise(p) for p in phrases or ()) for locale, phrases in data.items()}


def matches(text: str, cues: dict[str, tuple[str, ...]]) -> bool:
    """True if the text contains a cue of any language (students may write in either)."""
    clean = normalise(text)
    squeezed = clean.replace(" ", "")
    for phrases in cues.values():
        for phrase in phrases:
            if phrase in clean or phrase.replace(" ", "") in squeezed:
                return True
    return False
