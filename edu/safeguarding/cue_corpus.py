"""The cue corpus (content/safeguarding/cue_corpus/{locale}.yaml): labelled, written student questions that
measure the disclosure cues. Split 50/50 at a fixed seed: the cue lists are tuned on the tuning half only and
measured on the held-out half (docs/privacy.md "Disclosure cues, measured"). Pure functions."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import yaml

from edu.safeguarding import cues

SEED = 37
LABELS = ("disclosure", "question")


@dataclass(frozen=True)
class Item:
    label: str
    text: str


@dataclass(frozen=True)
class Score:
    disclosures: int
    questions: int
    recall: float  # flagged disclosures / disclosures
    false_alarms: float  # flagged ordinary questions / ordinary questions


def load(path: Path) -> list[Item]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    items = [Item(row["label"], row["text"]) for row in data.get("items", ())]
    unknown = {item.label for item in items} - set(LABELS)
    if unknown:
        raise ValueError(f"unknown labels {sorted(unknown)} in {path}")
    return items


def split(items: list[Item], seed: int = SEED) -> tuple[list[Item], list[Item]]:
    """(tuning half, held-out half): the same for the same file, whatever the order of the labels."""
    order = list(range(len(items)))
    random.Random(seed).shuffle(order)
    half = len(items) // 2
    return [items[i] for i in order[:half]], [items[i] for i in order[half:]]


def score(items: list[Item], cue_lists: dict[str, tuple[str, ...]]) -> Score:
    disclosures = [item for item in items if item.label == "disclosure"]
    questions = [item for item in items if item.label == "question"]
    hits = sum(cues.matches(item.text, cue_lists) for item in disclosures)
    alarms = sum(cues.matches(item.text, cue_lists) for item in questions)
    return Score(len(disclosures), len(questions), hits / max(1, len(disclosures)), alarms / max(1, len(questions)))
