"""``flask content check``: load a tree, list every problem as ``path:line: message``, summarise."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from .loader import load_catalog
from .model import LOCALES, Issue

_KINDS = (
    ("lesson", "lessons"),
    ("quiz", "quizzes"),
    ("survey", "surveys"),
    ("guide", "guides"),
    ("family", "family sheets"),
    ("worksheet", "worksheets"),
    ("page", "pages"),
    ("playbook", "incident playbook templates"),
)
_ONLY_WHEN_PRESENT = {"playbook"}  # a curriculum tree need not have the incident playbook's templates


def _line(issue: Issue) -> str:
    if issue.severity == "error":
        return str(issue)
    label = "warning" if issue.severity == "warning" else "unverified"
    return f"{issue.path}:{issue.line}: {label}: {issue.message}"


def check_tree(path: Path, today: date | None = None, strict: bool = False) -> tuple[int, str]:
    """(exit code, report). Exit 1 when there is any error. ``strict``: warnings in published files fail too;
    warnings in drafts never do."""
    catalog = load_catalog(Path(path), today=today)
    issues = sorted(catalog.issues, key=lambda i: (i.path, i.line, i.severity, i.message))
    lines = [_line(i) for i in issues if i.severity == "error"]
    lines += [_line(i) for i in issues if i.severity == "warning"]
    notes = [i for i in issues if i.severity == "note"]  # unverified entries: for the author, never fatal
    lines += [_line(i) for i in notes]
    fatal_warnings = [w for w in catalog.warnings if w.path not in catalog.draft_paths()] if strict else []
    if lines:
        lines.append("")
    for loc in LOCALES:
        counts = catalog.counts.get(loc, {})
        lines.append(f"{loc}: " + ", ".join(f"{counts.get(kind, 0)} {label}" for kind, label in _KINDS
                                            if kind not in _ONLY_WHEN_PRESENT or counts.get(kind)))
    if notes:
        lines.append(f"unverified: {len(notes)} entries kept off students' pages until a person checks them")
    failed = bool(catalog.errors) or bool(fatal_warnings)
    verdict = "FAILED" if failed else "OK"
    lines.append(
        f"{verdict}: {len(catalog.errors)} errors, {len(catalog.warnings)} warnings"
        + (f" ({len(fatal_warnings)} in published files, fatal with --strict)" if fatal_warnings else "")
    )
    return (1 if failed else 0), "\n".join(lines)
