"""The light lesson blocks of issue 30 (``:::law``, ``:::sort``, ``:::reveal``, ``:::flip``) and the worksheet's
``:::write``: pure data, like the other segments in ``model.py``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .model import Source

FLIP_ANSWERS: tuple[str, ...] = ("myth", "fact")
SORT_GROUPS = (2, 3)  # at least, at most
SORT_ITEMS = (3, 6)
WRITE_LINES = (1, 20)  # ruled lines of a :::write block: at least, at most


@dataclass(frozen=True)
class Law:
    """"The law, exactly": article numbers, fines, exact wording, shown collapsed."""

    kind: ClassVar[str] = "law"
    html: str


@dataclass(frozen=True)
class SortGroup:
    id: str
    text: str


@dataclass(frozen=True)
class SortItem:
    id: str
    text: str
    group: str  # the id of the group it belongs in


@dataclass(frozen=True)
class Sort:
    """A card sort: the student puts each item in a group, then sees which were right and the explanation.

    A student's answer is stored as one character per item, in item order: the index of the group chosen
    (``"01"``: the first item in the first group, the second in the second)."""

    kind: ClassVar[str] = "sort"
    id: str
    question: str
    groups: tuple[SortGroup, ...]
    items: tuple[SortItem, ...]
    explanation_html: str

    def encode(self, placed: dict[str, str]) -> str | None:
        """The stored answer for ``placed`` (item id -> group id), or None unless every item is in a group."""
        index = {g.id: str(i) for i, g in enumerate(self.groups)}
        if set(placed) != {i.id for i in self.items} or any(g not in index for g in placed.values()):
            return None
        return "".join(index[placed[item.id]] for item in self.items)

    def decode(self, answer: str | None) -> dict[str, str]:
        """item id -> group id of a stored answer; empty when it does not fit this sort (e.g. older content)."""
        if not answer or len(answer) != len(self.items) or not answer.isdigit():
            return {}
        if any(int(c) >= len(self.groups) for c in answer):
            return {}
        return {item.id: self.groups[int(c)].id for item, c in zip(self.items, answer, strict=True)}

    def right(self, answer: str | None) -> int:
        """How many items of a stored answer are in their group."""
        placed = self.decode(answer)
        return sum(placed.get(item.id) == item.group for item in self.items)


@dataclass(frozen=True)
class Reveal:
    """A prompt to guess, then tap to see: authored text, or a facts-registry figure with its source."""

    kind: ClassVar[str] = "reveal"
    id: str
    prompt: str
    html: str
    source: Source | None = None  # the registry entry's source, for a figure
    fact: str | None = None  # the registry id, for a figure


@dataclass(frozen=True)
class Flip:
    """A statement the student calls "myth" or "fact", then sees the answer and the explanation."""

    kind: ClassVar[str] = "flip"
    id: str
    statement: str
    answer: str  # myth | fact
    explanation_html: str
    source: Source | None = None


@dataclass(frozen=True)
class Write:
    """Worksheets only: room to write by hand, printed as ``lines`` ruled lines under an optional label."""

    kind: ClassVar[str] = "write"
    lines: int
    label: str = ""
