"""Checks that need more than one file: ids, modules, translations, links, help/legal references, dates."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from .fields import FileResult
from .model import HELP_TOPICS, LOCALES, Issue
from .reference import HelpFile, LegalFile
from .yamlio import LDict, LList

TRANSLATED_KINDS = ("lesson", "quiz", "survey", "guide", "family", "worksheet", "page", "playbook")
MODULE_DOCUMENTS = ("guide", "family", "worksheet")  # named after their module (front matter key `module`)
REVIEW_SOON = timedelta(days=30)


@dataclass
class CrossCheck:
    issues: list[Issue] = field(default_factory=list)
    invalid: set[str] = field(default_factory=set)  # paths whose objects must not be served
    stale: set[str] = field(default_factory=set)  # translations older than their source

    def add(self, res: FileResult, line: int, message: str, severity: str = "error") -> None:
        self.issues.append(Issue(res.path, line, message, severity))  # type: ignore[arg-type]


def _list(data: object, key: str) -> list:
    value = data.get(key) if isinstance(data, LDict) else None
    return value if isinstance(value, list) else []


def _id_line(res: FileResult) -> int:
    key = "module" if res.kind in MODULE_DOCUMENTS else "id"
    return res.line_of(key)


def index(results: list[FileResult], check: CrossCheck) -> dict[tuple[str, str, str], FileResult]:
    """(kind, id, locale) -> the first file with that id; later ones are duplicates."""
    found: dict[tuple[str, str, str], FileResult] = {}
    for res in results:
        if res.kind not in TRANSLATED_KINDS or res.obj is None or not res.obj.id:
            continue
        key = (res.kind, res.obj.id, res.locale or "")
        if key in found:
            check.add(
                res, _id_line(res), f"duplicate {res.kind} id '{res.obj.id}' (also in {found[key].path})"
            )
            check.invalid.add(res.path)
            continue
        found[key] = res
    return found


def _modules(
    found: dict[tuple[str, str, str], FileResult], modules: FileResult | None, root: str, check: CrossCheck
) -> None:
    if modules is None or modules.obj is None:
        if modules is None:
            check.issues.append(Issue(f"{root}/modules.yaml", 1, "modules.yaml is missing"))
        return
    known = {m.id: m for m in modules.obj}
    have = {(kind, oid) for kind, oid, _ in found}
    entries = {str(m.get("id")): m for m in _list(modules.data, "modules") if isinstance(m, LDict)}
    for mod in modules.obj:
        entry = entries.get(mod.id)
        lessons = entry.get("lessons") if entry else None
        for i, lesson_id in enumerate(mod.lesson_ids):
            if ("lesson", lesson_id) not in have:
                line = lessons.line_of(i) if isinstance(lessons, LList) else modules.line_of("modules")
                check.add(
                    modules, line, f"module '{mod.id}' lists lesson '{lesson_id}' but there is no such lesson"
                )
        for quiz_id in mod.quiz_ids:
            if ("quiz", quiz_id) not in have:
                line = entry.line_of("quiz") if entry else 1
                check.add(
                    modules, line, f"module '{mod.id}' names quiz '{quiz_id}' but there is no such quiz"
                )
    for (kind, _oid, _loc), res in found.items():
        module = res.obj.id if kind in MODULE_DOCUMENTS else getattr(res.obj, "module", None)
        if kind in ("lesson", "quiz", *MODULE_DOCUMENTS) and module and module not in known:
            check.add(res, res.line_of("module"), f"unknown module '{module}' (not in modules.yaml)")
        elif kind == "lesson" and module and res.obj.id not in known[module].lesson_ids:
            check.add(
                res,
                res.line_of("id"),
                f"lesson '{res.obj.id}' is not listed under module '{module}' in modules.yaml",
                "warning",
            )
        if kind == "survey":
            items = [raw for raw in _list(res.data, "items") if isinstance(raw, LDict)]
            for item, raw in zip(res.obj.items, items, strict=False):
                if item.module and item.module not in known and isinstance(raw, LDict):
                    check.add(
                        res, raw.line_of("module"), f"unknown module '{item.module}' in item '{item.id}'"
                    )


def _difference(label: str, mine: list[str], theirs: list[str], ref: str) -> str:
    missing = [v for v in theirs if v not in mine]
    extra = [v for v in mine if v not in theirs]
    if not missing and not extra:
        return f"{label} differ from {ref}: same ids in another order (there: {', '.join(theirs)})"
    parts = ([f"missing {', '.join(missing)}"] if missing else []) + (
        [f"extra {', '.join(extra)}"] if extra else []
    )
    return f"{label} differ from {ref}: {'; '.join(parts)}"


def _translations(found: dict[tuple[str, str, str], FileResult], check: CrossCheck) -> None:
    groups: dict[tuple[str, str], dict[str, FileResult]] = defaultdict(dict)
    for (kind, oid, loc), res in found.items():
        groups[(kind, oid)][loc] = res
    for versions in groups.values():
        sources = {getattr(r.obj, "translated_from", None) for r in versions.values()}
        primary = next(
            (loc for loc in ("en", *LOCALES) if loc in sources and loc in versions),
            next((loc for loc in ("en", *LOCALES) if loc in versions), None),
        )
        for res in versions.values():
            source_loc = getattr(res.obj, "translated_from", None)
            if source_loc and source_loc not in versions:
                check.add(
                    res,
                    res.line_of("translated_from"),
                    f"translated_from is '{source_loc}' but there is no '{source_loc}' version",
                    "warning",
                )
            ref = versions.get(source_loc or primary or "")
            if ref is None or ref is res:
                continue
            for label, (mine, line) in res.signature.items():
                theirs = ref.signature.get(label)
                if theirs is not None and theirs[0] != mine:
                    first_extra = next((v for v in mine if v not in theirs[0]), None)
                    line = res.item_lines.get((label, first_extra or ""), line)
                    check.add(res, line, _difference(label, mine, theirs[0], ref.path))
                    check.invalid.add(res.path)
            mine_date, ref_date = getattr(res.obj, "updated", None), getattr(ref.obj, "updated", None)
            if (
                source_loc
                and isinstance(mine_date, date)
                and isinstance(ref_date, date)
                and mine_date < ref_date
            ):
                check.stale.add(res.path)
                check.add(
                    res,
                    res.line_of("updated"),
                    f"translation is older than its source {ref.path} "
                    f"(updated {mine_date}, source updated {ref_date})",
                    "warning",
                )


def _links(
    results: list[FileResult], found: dict[tuple[str, str, str], FileResult], check: CrossCheck
) -> None:
    def target(kind: str, oid: str, locale: str | None) -> FileResult | None:
        return found.get((kind, oid, locale or "")) or next(
            (found[(kind, oid, loc)] for loc in LOCALES if (kind, oid, loc) in found), None
        )

    for res in results:
        for link in res.links:
            hit = target(link.kind, link.target, res.locale)
            if hit is None:
                check.add(
                    res, link.line, f"broken link '{link.href}': there is no {link.kind} '{link.target}'"
                )
                continue
            parts = getattr(hit.obj, "steps", None) or getattr(hit.obj, "sections", ())
            if link.anchor and link.anchor not in {p.id for p in parts}:
                noun = "step" if link.kind == "lesson" else "section"
                check.add(
                    res,
                    link.line,
                    f"broken link '{link.href}': {link.kind} '{link.target}' has no {noun} '{link.anchor}'",
                )


def _help_and_legal(
    results: list[FileResult], help_files: dict[str, HelpFile], legal: dict[str, LegalFile], check: CrossCheck
) -> None:
    legal_keys = {key for f in legal.values() for key in f.facts.get("en", {})}
    for res in results:
        region = getattr(res.obj, "region", None)
        countries = [region] if region else ["KR", "INTL"]
        available = [help_files[c] for c in countries if c in help_files]
        names = " or ".join(f"help/{c}.yaml" for c in countries)
        for ref in res.help_refs:
            keys = {r.key for f in available for r in f.resources.get("en", ())}
            topics = {t for f in available for r in f.resources.get("en", ()) for t in r.topics}
            for key in ref.keys:
                if key not in keys:
                    check.add(res, ref.keys_line, f"unknown help resource key '{key}' (not in {names})")
            for topic in ref.topics:
                if topic in HELP_TOPICS and topic not in topics:  # unknown topics are reported with the block
                    check.add(res, ref.topics_line, f"no help resource has topic '{topic}' (in {names})")
        for ref in res.legal_refs:
            for key in ref.keys:
                if key not in legal_keys:
                    check.add(
                        res,
                        ref.line,
                        f"unknown legal fact key '{key}' (not in "
                        f"{' or '.join(f'legal/{c}.yaml' for c in sorted(legal)) or 'legal/'})",
                    )


def _review(res: FileResult, entry: LDict, what: str, how: str, today: date, check: CrossCheck) -> None:
    review_by = entry.get("review_by")
    if not isinstance(review_by, date):
        return
    line = entry.line_of("review_by")
    if review_by < today:
        check.add(
            res,
            line,
            f"{what} past the review date {review_by}: {how}, then update last_verified and review_by",
        )
    elif review_by - today <= REVIEW_SOON:
        check.add(res, line, f"{what} due for review by {review_by}", "warning")


def _dates(results: list[FileResult], today: date, check: CrossCheck) -> None:
    for res in results:
        if not isinstance(res.data, LDict):
            continue
        if res.kind == "help":
            _review(res, res.data, "help resources are", "check every entry", today, check)
        elif res.kind == "legal":
            for fact in _list(res.data, "facts"):
                if isinstance(fact, LDict):
                    _review(
                        res,
                        fact,
                        f"legal fact '{fact.get('key')}' is",
                        "check it against the law",
                        today,
                        check,
                    )


def cross_check(
    results: list[FileResult], root: str, today: date
) -> tuple[CrossCheck, dict[tuple[str, str, str], FileResult]]:
    check = CrossCheck()
    found = index(results, check)
    modules = next((r for r in results if r.kind == "modules"), None)
    help_files = {r.obj.country: r.obj for r in results if r.kind == "help" and r.obj is not None}
    legal = {r.obj.country: r.obj for r in results if r.kind == "legal" and r.obj is not None}
    _modules(found, modules, root, check)
    _translations(found, check)
    _links(results, found, check)
    _help_and_legal(results, help_files, legal, check)
    _dates(results, today, check)
    return check, found
