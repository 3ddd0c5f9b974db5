"""Walk a content tree, read every file (cached by path and content hash), check it, build the Catalog."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path, PurePosixPath

from . import checklists, facts, lessons, quizzes, reference, sequence, surveys
from .answer_cues import answer_cues
from .catalog import Catalog
from .fields import FileResult
from .lint import lint
from .model import LOCALES, Issue
from .validate import CrossCheck, cross_check, index
from .versioning import digest

# display path -> (content hash, result): an unchanged file is not parsed or rendered again
_CACHE: dict[str, tuple[str, FileResult]] = {}

_LAYOUT = {  # top folder -> (kind, number of path parts, extension, where such files go)
    "lessons": ("lesson", 4, ".md", "lessons/<locale>/<module>/<slug>.md"),
    "quizzes": ("quiz", 4, ".yaml", "quizzes/<locale>/<module>/<slug>.yaml"),
    "surveys": ("survey", 3, ".yaml", "surveys/<locale>/<slug>.yaml"),
    "guides": ("guide", 3, ".md", "guides/<locale>/<module>.md"),
    "family": ("family", 3, ".md", "family/<locale>/<module>.md"),
    "worksheets": ("worksheet", 3, ".md", "worksheets/<locale>/<module>.md"),
    "pages": ("page", 3, ".md", "pages/<locale>/<slug>.md"),
    "help": ("help", 2, ".yaml", "help/<COUNTRY>.yaml"),
    "legal": ("legal", 2, ".yaml", "legal/<COUNTRY>.yaml"),
    "facts": ("facts", 2, ".yaml", "facts/<COUNTRY>.yaml"),
    "lint": ("lint", 2, ".yaml", "lint/<locale>.yaml"),
    "checklists": ("checklist", 2, ".yaml", "checklists/<COUNTRY>.yaml"),
    "playbook": ("playbook", 3, ".md", "playbook/<locale>/<slug>.md"),
}


def _files(root: Path) -> list[PurePosixPath]:
    found = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        rel = PurePosixPath(Path(folder).relative_to(root).as_posix())
        found.extend(
            rel / n for n in names if not n.startswith((".", "_")) and not n.lower().startswith("readme")
        )
    return sorted(found)


def tree_fingerprint(root: Path) -> str:
    """Cheap: names, sizes and modification times only. Changes whenever a file is added, removed or saved."""
    parts = []
    for rel in _files(root):
        st = (root / rel).stat()
        parts.append(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}")
    return digest("\n".join(parts).encode())[:16]


def _read(res: FileResult, rel: PurePosixPath, text: str) -> None:
    parts = rel.parts
    if res.kind == "modules":
        reference.parse_modules(res, text)
    elif res.kind == "sequence":
        sequence.parse_sequence(res, text)
    elif res.kind == "lesson":
        lessons.parse_lesson(res, text, parts[1], parts[2])
    elif res.kind == "quiz":
        quizzes.parse_quiz(res, text, parts[1], parts[2])
    elif res.kind == "survey":
        surveys.parse_survey(res, text, parts[1], rel.stem)
    elif res.kind in ("guide", "family", "worksheet", "page", "playbook"):
        lessons.parse_document(res, text, parts[1], rel.stem)
    elif res.kind == "help":
        reference.parse_help(res, text, rel.stem)
    elif res.kind == "legal":
        reference.parse_legal(res, text, rel.stem)
    elif res.kind == "facts":
        facts.parse_facts(res, text, rel.stem)
    elif res.kind == "lint":
        reference.parse_lint(res, text)
    elif res.kind == "checklist":
        checklists.parse_checklist(res, text, rel.stem)


def _classify(rel: PurePosixPath, path: str) -> FileResult | None:
    if rel.parts == ("modules.yaml",):
        return FileResult("modules", path)
    if rel.parts == ("sequence.yaml",):
        return FileResult("sequence", path)
    layout = _LAYOUT.get(rel.parts[0]) if len(rel.parts) > 1 else None
    if layout is None:
        return None  # not part of the curriculum (e.g. a README)
    kind, depth, ext, where = layout
    res = FileResult(kind, path)
    if len(rel.parts) != depth or rel.suffix != ext:
        res.error(1, f"unexpected file: {rel.parts[0]} files go in {where}")
    elif kind == "lint" and rel.stem not in LOCALES:
        res.error(1, f"unknown language '{rel.stem}' (use: {', '.join(LOCALES)})")
    elif depth > 2 and rel.parts[1] not in LOCALES:
        res.error(1, f"unknown language folder '{rel.parts[1]}' (use: {', '.join(LOCALES)})")
    else:
        res.locale = rel.stem if kind == "lint" else rel.parts[1] if depth > 2 else None
        return res
    res.kind = "other"
    return res


def _load_file(
    root: Path, rel: PurePosixPath, path: str, registry: facts.Registry | None
) -> tuple[FileResult | None, str]:
    raw = (root / rel).read_bytes()
    content_hash = digest(raw)
    # citations are resolved while reading, so a file is read again when the registry changes
    cache_key = content_hash + (registry.digest if registry is not None else "")
    cached = _CACHE.get(path)
    if cached and cached[0] == cache_key:
        return cached[1], content_hash
    res = _classify(rel, path)
    if res is not None:
        res.facts = registry
    if res is not None and res.kind != "other":
        try:
            _read(res, rel, raw.decode("utf-8"))
        except UnicodeDecodeError:
            res.error(1, "the file is not UTF-8 text")
        except Exception as exc:  # noqa: BLE001 - a bad file must never take the catalog down
            res.error(1, f"could not read this file ({type(exc).__name__}: {exc})")
            res.obj = None
    _CACHE[path] = (cache_key, res)  # type: ignore[assignment]
    return res, content_hash


def load_catalog(root: Path, today: date | None = None) -> Catalog:
    """Load and check the tree under ``root``. Never raises on bad content: problems are in ``errors``."""
    root = Path(root)
    shown = root.as_posix().rstrip("/") or "."
    today = today or date.today()
    results: list[FileResult] = []
    hashes: list[str] = []
    issues: list[Issue] = []
    if not root.is_dir():
        issues.append(Issue(shown, 0, "content folder not found"))
    files = _files(root) if root.is_dir() else []
    # the facts registry first: every other file's citations are resolved against it
    fact_files = [rel for rel in files if rel.parts[0] == "facts"]
    for rel in fact_files:
        res, content_hash = _load_file(root, rel, f"{shown}/{rel}", None)
        hashes.append(f"{rel}\0{content_hash}")
        if res is not None:
            results.append(res)
    registry = facts.Registry.of([r.obj for r in results if r.kind == "facts" and r.obj is not None])
    for rel in files:
        if rel in fact_files:
            continue
        res, content_hash = _load_file(root, rel, f"{shown}/{rel}", registry)
        hashes.append(f"{rel}\0{content_hash}")
        if res is not None:
            results.append(res)
    for res in results:
        issues.extend(res.issues)
    try:
        check, found = cross_check(results, shown, today)
        issues.extend(check.issues)
        lists = {
            res.locale: res.obj
            for res in results
            if res.kind == "lint" and res.obj is not None and res.locale
        }
        issues.extend(lint(results, lists))
        issues.extend(answer_cues(results))
        issues.extend(facts.check_numbers(results))
        issues.extend(facts.check_registry(results, today))
        issues.extend(checklists.check_references(results))
    except Exception as exc:  # noqa: BLE001 - never take the app down; the checker shows this as an error
        check = CrossCheck()
        found = index(results, check)
        issues.append(
            Issue(shown, 0, f"internal error while cross-checking files ({type(exc).__name__}: {exc})")
        )
    counts: dict[str, dict[str, int]] = {loc: {} for loc in LOCALES}
    for kind, _oid, loc in found:
        counts.setdefault(loc, {})[kind] = counts.get(loc, {}).get(kind, 0) + 1
    modules_res = next((r for r in results if r.kind == "modules"), None)
    sequence_res = next((r for r in results if r.kind == "sequence"), None)
    catalog = Catalog(
        root=shown,
        issues=issues,
        modules=list(modules_res.obj or []) if modules_res else [],
        found=found,
        invalid={r.path for r in results if r.has_errors} | check.invalid,
        stale=check.stale,
        help_files={r.obj.country: r.obj for r in results if r.kind == "help" and r.obj is not None},
        legal={r.obj.country: r.obj for r in results if r.kind == "legal" and r.obj is not None},
        checklists={r.obj.country: r.obj for r in results if r.kind == "checklist" and r.obj is not None
                    and not r.has_errors},
        facts=registry,
        version=digest("\n".join(hashes).encode())[:16],
        fingerprint=tree_fingerprint(root) if root.is_dir() else "",
        counts=counts,
        sequence=sequence_res.obj if sequence_res else None,
    )
    if catalog.sequence is not None:  # checked against the lessons as the app serves them
        catalog.add_issues(sequence.check_sequence(catalog.sequence, catalog))
    return catalog
