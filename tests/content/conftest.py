"""A copy of the tiny valid content tree in a temporary folder, with helpers to add broken files."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from edu.content import Catalog, load_catalog

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = date(2026, 12, 1)


class Tree:
    def __init__(self, base: Path) -> None:
        self.base = base
        self.root = base / "content"
        shutil.copytree(FIXTURES / "valid" / "content", self.root)

    def add(self, dest: str, fixture: str | None = None, text: str | None = None) -> Path:
        """Write ``content/<dest>`` from ``fixtures/broken/<fixture>`` or from ``text``."""
        path = self.root / dest
        path.parent.mkdir(parents=True, exist_ok=True)
        body = (FIXTURES / "broken" / fixture).read_text("utf-8") if fixture else text
        path.write_text(body or "", "utf-8")
        return path

    def edit(self, dest: str, old: str, new: str) -> None:
        path = self.root / dest
        text = path.read_text("utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), "utf-8")

    def load(self, today: date = TODAY) -> Catalog:
        return load_catalog(Path("content"), today=today)


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Tree:
    monkeypatch.chdir(tmp_path)
    return Tree(tmp_path)


def messages(catalog: Catalog, path: str, severity: str = "error") -> list[str]:
    """Every issue of one severity in one file, as ``path:line: message``, in line order."""
    found = [i for i in catalog.issues if i.path == f"content/{path}" and i.severity == severity]
    return [str(i) for i in sorted(found, key=lambda i: (i.line, i.message))]
