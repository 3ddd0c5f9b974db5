"""The facts registry (``facts/<COUNTRY>.yaml``), inline citations and the rule that numbers in prose are cited.

A statistic or penalty is written once, in the registry, with its wording per language, its source and the
dates a person checked it. Lessons, quizzes, guides, family sheets and pages cite it inline as
``[[fact:ID]]``; the citation is replaced by the entry's wording when the file is read (as a link to the
source in Markdown, as plain text elsewhere), so correcting the entry corrects every page. An entry without
``last_verified`` is unverified: it cannot be cited (an error in the citing file, which is then withheld from
students) and the checker lists it for the author.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .model import Issue, Source
from .versioning import digest
from .yamlio import LDict, LList

CITE_RE = re.compile(r"\[\[fact:([^\]\s]*)\]\]")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>!#|~])")

# A number that reads like a statistic or a penalty (the issue's list), in either language.
_NUM = r"(?<![\w.,-])\d[\d,.]*"
NUMBER_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(_NUM + r"\s?(?:%|퍼센트|percent\b)"),
    re.compile(_NUM + r"\s?(?:[천만억]\s?)*(?:명|건)"),
    re.compile(_NUM + r"\s?(?:[천만억]\s?)*원"),
    re.compile(r"₩\s?\d"),
    re.compile(_NUM + r"\s?(?:won|million|billion)\b", re.IGNORECASE),
    re.compile(_NUM + r"\s?년\s?(?:의\s?)?(?:이하|이상|미만|초과)"),
    re.compile(r"(?:최대|최고|최소|징역)\s?" + _NUM + r"\s?년"),
    re.compile(r"(?:up to|at least|a maximum of|a minimum of|or)\s+" + _NUM + r"\s+years?\b", re.IGNORECASE),
    re.compile(_NUM + r"\s+years?\s+(?:or more|in prison|imprisonment|in jail)", re.IGNORECASE),
)
# Notes for authors that must never reach a student's page.
VERIFICATION_NOTE = re.compile(
    r"to be (?:confirmed|verified|checked)|still being (?:confirmed|checked)|not (?:yet )?(?:been )?confirmed|"
    r"확인\s?중|확인하는\s?중|확인되지\s?않|확인이\s?필요",
    re.IGNORECASE,
)
# What is not prose: link targets, inline code, the ids in headings.
_NOT_PROSE = re.compile(r"\]\([^)]*\)|`[^`]*`|\{#[^}]*\}|https?://\S+")


@dataclass(frozen=True)
class Fact:
    """One registry entry. ``wording`` is what a citation shows, per language."""

    id: str
    country: str
    value: str
    wording: dict[str, str]
    source: Source | None
    last_verified: date | None
    review_by: date | None
    note: str | None = None  # for authors only; never shown to students
    line: int = 1
    path: str = ""

    @property
    def verified(self) -> bool:
        return self.last_verified is not None and self.review_by is not None


@dataclass(frozen=True)
class FactFile:
    country: str
    facts: tuple[Fact, ...]


class Registry(dict[str, Fact]):
    """id -> Fact over every facts file; ``digest`` changes whenever any entry changes."""

    digest: str = ""

    @classmethod
    def of(cls, files: list[FactFile]) -> Registry:
        reg = cls()
        for f in files:
            for fact in f.facts:
                reg.setdefault(fact.id, fact)
        reg.digest = digest(repr(sorted(reg.items())).encode())[:16]
        return reg


def parse_facts(res, text: str, country: str) -> None:  # res: FileResult (import cycle)
    d = res.document(text)
    if d is None:
        return
    res.keys(d, {"country", "facts"}, set(), "", line=1)
    if d.get("country") is not None and str(d["country"]) != country:
        res.error(d.line_of("country"), f"country '{d['country']}' does not match the file name '{country}'")
    raw = d.get("facts")
    if not isinstance(raw, LList):
        if "facts" in d:
            res.error(d.line_of("facts"), "'facts' must be a list")
        res.obj = FactFile(country, ())
        return
    found: list[Fact] = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        f = res.mapping(item, raw.line_of(i), "each of 'facts'")
        if f is None:
            continue
        errors_before = len(res.issues)
        fid = res.ident(f, "id", " in fact")
        where = f" in fact '{fid}'"
        res.keys(f, {"id", "value", "wording", "source"}, {"last_verified", "review_by", "note"}, where)
        if fid in seen:
            res.error(f.line_of("id"), f"duplicate fact id '{fid}'")
        seen.add(fid)
        wording = res.localized(f, "wording", where)
        for loc, words in wording.items():
            res.shown.append((f.line_of("wording"), words))
            if CITE_RE.search(words):
                res.error(f.line_of("wording"), f"'wording' ({loc}) cannot cite another fact{where}")
        source = res.source(f, "source", where)
        if source is not None and not source.url and not re.search(r"\b(19|20)\d\d\b", source.title):
            res.error(f.line_of("source"), f"'source' needs a url, or a title with its date{where}")
        verified, review = res.day(f, "last_verified", where), res.day(f, "review_by", where)
        if (verified is None) != (review is None):
            res.error(f.line_of("last_verified" if verified else "review_by"),
                      f"'last_verified' and 'review_by' go together{where}: a person who checked the "
                      "source sets both")
        elif verified and review and review < verified:
            res.error(f.line_of("review_by"), f"review_by is before last_verified{where}")
        if len(res.issues) > errors_before:
            continue
        found.append(
            Fact(fid, country, res.raw_text(f, "value", where), wording, source, verified, review,
                 res.raw_text(f, "note", where, required=False) or None, f.line, res.path)
        )
    res.obj = FactFile(country, tuple(found))


def _escape_md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def cite(text: str, registry: Registry | None, locale: str | None, *, markdown: bool) -> tuple[str, list[str]]:
    """``text`` with every ``[[fact:ID]]`` replaced by the entry's wording, and the problems found
    (unknown or unverified ids). A citation that cannot be shown is left as written; the problem is an error
    in the citing file, which students then never see."""
    problems: list[str] = []
    if "[[" not in text:
        return text, problems

    def one(m: re.Match[str]) -> str:
        fid = m.group(1)
        fact = (registry or {}).get(fid)
        if fact is None:
            problems.append(f"unknown fact '{fid}' in citation '{m.group(0)}' (not in facts/)")
            return m.group(0)
        if not fact.verified:
            problems.append(
                f"fact '{fid}' is not verified (no last_verified in {fact.path}): a person must check its "
                "source before it is shown to students"
            )
            return m.group(0)
        words = fact.wording.get(locale or "ko") or fact.wording.get("en", "")
        if not markdown:
            return words
        if fact.source and fact.source.url:
            title = fact.source.title.replace('"', "'")
            return f'[{_escape_md(words)}]({fact.source.url} "{title}")'
        return _escape_md(words)

    return CITE_RE.sub(one, text), problems


def uncited_numbers(text: str) -> list[str]:
    """Numbers in ``text`` (as written, citations still in it) that look like a statistic or a penalty."""
    bare = _NOT_PROSE.sub(" ", CITE_RE.sub(" ", text))
    hits: list[str] = []
    for pattern in NUMBER_PATTERNS:
        hits.extend(m.group(0).strip() for m in pattern.finditer(bare))
    return sorted(set(hits), key=bare.find)


PROSE_KINDS = ("lesson", "quiz", "guide", "family", "worksheet", "page", "playbook")  # not surveys: their numbers are thresholds


def check_numbers(results: list) -> list[Issue]:
    """Errors (that do not withhold the file) for numbers in prose that are not citations."""
    issues: list[Issue] = []
    for res in results:
        if res.kind not in PROSE_KINDS:
            continue
        seen: set[tuple[str, str]] = set()
        for line, text in res.shown:
            for hit in uncited_numbers(text):
                if (text, hit) in seen:  # a field may be read twice (as text, then as Markdown)
                    continue
                seen.add((text, hit))
                issues.append(
                    Issue(
                        res.path,
                        line,
                        f"'{hit}' looks like a statistic or penalty: cite it from the registry "
                        "([[fact:ID]], facts/<COUNTRY>.yaml) instead of writing the number",
                    )
                )
    return issues


def check_registry(results: list, today: date, soon_days: int = 30) -> list[Issue]:
    """Review dates (past: error; within ``soon_days``: warning), unverified entries (a note for the
    author: listed by the checker, never a warning) and verification notes in shown text (errors)."""
    issues: list[Issue] = []
    for res in results:
        issues.extend(Issue(res.path, line, note, "note") for line, note in res.unverified)
        flagged: set[str] = set()
        for line, text in res.shown:
            m = VERIFICATION_NOTE.search(text)
            if m and text not in flagged:
                flagged.add(text)
                issues.append(Issue(res.path, line, f"verification note '{m.group(0)}' in text readers see: "
                                    "keep the unchecked detail out (mark the entry unverified) instead"))
        if res.kind != "facts" or res.obj is None:
            continue
        data = res.data if isinstance(res.data, LDict) else LDict()
        raw = data.get("facts") if isinstance(data.get("facts"), LList) else []
        lines = {str(f.get("id")): f for f in raw if isinstance(f, LDict)}
        for fact in res.obj.facts:
            entry = lines.get(fact.id)
            if not fact.verified:
                issues.append(
                    Issue(res.path, fact.line,
                          f"fact '{fact.id}' is unverified: it is kept off students' pages until a person checks "
                          f"its source and sets last_verified and review_by"
                          + (f" ({fact.note})" if fact.note else ""), "note")
                )
                continue
            line = entry.line_of("review_by") if entry is not None else fact.line
            if fact.review_by < today:
                issues.append(Issue(res.path, line, f"fact '{fact.id}' is past the review date {fact.review_by}: "
                                    "check its source, then update last_verified and review_by"))
            elif (fact.review_by - today).days <= soon_days:
                issues.append(Issue(res.path, line, f"fact '{fact.id}' due for review by {fact.review_by}",
                                    "warning"))
    return issues

