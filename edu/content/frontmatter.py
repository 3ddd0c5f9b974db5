"""Split a Markdown file into its YAML front matter and its body, keeping line numbers."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Split:
    front_matter: str | None  # None: the file has no front matter
    front_matter_line: int  # file line of the first front-matter line
    body: list[str]  # body lines without line endings
    body_line: int  # file line of body[0]
    error: tuple[int, str] | None = None


def split(text: str) -> Split:
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != "---":
        return Split(None, 1, lines, 1, (1, "missing front matter: the file must start with a line '---'"))
    for i in range(1, len(lines)):
        if lines[i].strip() == "---":
            return Split("\n".join(lines[1:i]), 2, lines[i + 1 :], i + 2)
    return Split(None, 1, [], len(lines) + 1, (1, "front matter is not closed: add a line '---' after it"))
