"""Read the shared data files: modules.yaml, help/<COUNTRY>.yaml, legal/<COUNTRY>.yaml, lint/<locale>.yaml."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from . import terms
from .fields import FileResult
from .model import HELP_TOPICS, LOCALES, HelpResource, LegalFact, Module
from .terms import Style
from .yamlio import LDict, LList

AGES = ("under-18", "18-plus")


@dataclass(frozen=True)
class HelpFile:
    country: str
    name: dict[str, str]
    last_verified: date | None
    review_by: date | None
    resources: dict[str, tuple[HelpResource, ...]]  # locale -> resources, file order


@dataclass(frozen=True)
class LegalFile:
    country: str
    facts: dict[str, dict[str, LegalFact]]  # locale -> key -> fact


@dataclass(frozen=True)
class LintLists:
    victim_blaming: tuple[str, ...] = field(default_factory=tuple)
    style: Style = field(default_factory=Style)


def entry_list(res: FileResult, d: LDict, key: str) -> list[tuple[LDict, int]]:
    raw = d.get(key)
    if not isinstance(raw, LList):
        if key in d:
            res.error(d.line_of(key), f"'{key}' must be a list")
        return []
    return [
        (m, raw.line_of(i))
        for i, item in enumerate(raw)
        if (m := res.mapping(item, raw.line_of(i), f"each of '{key}'")) is not None
    ]


def parse_modules(res: FileResult, text: str) -> None:
    d = res.document(text)
    if d is None:
        return
    res.keys(d, {"modules"}, set(), "", line=1)
    modules: list[Module] = []
    seen: set[str] = set()
    for m, _line in entry_list(res, d, "modules"):
        mid = res.ident(m, "id", " in module")
        where = f" in module '{mid}'"
        res.keys(m, {"id", "order", "title", "summary", "lessons"}, {"quiz"}, where)
        if mid in seen:
            res.error(m.line_of("id"), f"duplicate module id '{mid}'")
        seen.add(mid)
        order = m.get("order", 0)
        if not isinstance(order, int) or isinstance(order, bool):
            res.error(m.line_of("order"), f"'order' must be a whole number{where}")
            order = 0
        quizzes = res.str_list(m, "quiz", where)  # one id, or a list (one quiz per region)
        modules.append(
            Module(
                mid,
                order,
                res.localized(m, "title", where),
                res.localized(m, "summary", where),
                res.str_list(m, "lessons", where),
                quizzes[0] if quizzes else None,
                quizzes,
            )
        )
    res.obj = sorted(modules, key=lambda mod: (mod.order, mod.id))


def _dates(res: FileResult, d: LDict, where: str) -> tuple[date | None, date | None]:
    verified, review = res.day(d, "last_verified", where), res.day(d, "review_by", where)
    if verified and review and review < verified:
        res.error(d.line_of("review_by"), f"review_by is before last_verified{where}")
    return verified, review


def parse_help(res: FileResult, text: str, country: str) -> None:
    d = res.document(text)
    if d is None:
        return
    res.keys(d, {"country", "name", "last_verified", "review_by", "resources"}, set(), "", line=1)
    if d.get("country") is not None and str(d["country"]) != country:
        res.error(d.line_of("country"), f"country '{d['country']}' does not match the file name '{country}'")
    verified, review = _dates(res, d, "")
    per_locale: dict[str, list[HelpResource]] = {loc: [] for loc in LOCALES}
    seen: set[str] = set()
    for r, _line in entry_list(res, d, "resources"):
        errors_before = len(res.issues)
        key = res.ident(r, "key", " in resource")
        where = f" in resource '{key}'"
        res.keys(r, {"key", "name", "text", "topics"}, {"phone", "url", "hours", "ages", "unverified", "countries"}, where)
        if key in seen:
            res.error(r.line_of("key"), f"duplicate resource key '{key}'")
        seen.add(key)
        name, body = res.localized(r, "name", where), res.localized(r, "text", where)
        hours = res.localized(r, "hours", where)
        topics = res.str_list(r, "topics", where, HELP_TOPICS, "topic")
        ages = r.get("ages")
        if ages is not None and ages not in AGES:
            res.error(r.line_of("ages"), f"unknown ages '{ages}'{where} (use: {', '.join(AGES)})")
        url = res.text(r, "url", where, required=False) or None
        if url and not url.startswith(("https://", "http://")):
            res.error(r.line_of("url"), f"url must start with https://{where}")
        phone = res.text(r, "phone", where, required=False) or None
        unverified = res.raw_text(r, "unverified", where, required=False)
        if len(res.issues) > errors_before:
            continue  # a broken entry is left out; the others are still shown
        if unverified:  # not checked by a person yet: listed for the author, never shown to students
            res.unverified.append((r.line_of("unverified"), f"help resource '{key}' is unverified: {unverified}"))
            continue
        for loc in LOCALES:
            per_locale[loc].append(
                HelpResource(
                    key,
                    name[loc],
                    phone,
                    url,
                    hours.get(loc),
                    res.cited(body[loc], r.line_of("text"), loc, markdown=False),
                    topics,
                    str(ages) if ages else None,
                    verified,
                    review,
                    tuple(c.upper() for c in res.str_list(r, "countries", where)),
                )
            )
    res.obj = HelpFile(
        country,
        res.localized(d, "name", ""),
        verified,
        review,
        {loc: tuple(items) for loc, items in per_locale.items()},
    )


def parse_legal(res: FileResult, text: str, country: str) -> None:
    d = res.document(text)
    if d is None:
        return
    res.keys(d, {"country", "facts"}, set(), "", line=1)
    if d.get("country") is not None and str(d["country"]) != country:
        res.error(d.line_of("country"), f"country '{d['country']}' does not match the file name '{country}'")
    facts: dict[str, dict[str, LegalFact]] = {loc: {} for loc in LOCALES}
    for f, _line in entry_list(res, d, "facts"):
        errors_before = len(res.issues)
        key = res.ident(f, "key", " in fact")
        where = f" in legal fact '{key}'"
        res.keys(f, {"key", "title", "text", "source", "last_verified", "review_by"}, set(), where)
        if key in facts["en"] or key in facts["ko"]:
            res.error(f.line_of("key"), f"duplicate legal fact key '{key}'")
        title, body = res.localized(f, "title", where), res.localized(f, "text", where)
        source = res.source(f, "source", where)
        verified, review = _dates(res, f, where)
        if len(res.issues) > errors_before:
            continue
        for loc in LOCALES:
            facts[loc][key] = LegalFact(
                key, title[loc], res.cited(body[loc], f.line_of("text"), loc, markdown=False), source, verified,
                review, res.render_as(loc, body[loc], f.line_of("text")),
            )
    res.obj = LegalFile(country, facts)


def parse_lint(res: FileResult, text: str) -> None:
    d = res.document(text)
    if d is None:
        res.obj = LintLists()
        return
    res.keys(d, {"victim_blaming"}, {"terms", "register", "stepout_words"}, "", line=1)
    phrases = tuple(p for p in res.str_list(d, "victim_blaming", "") if p.strip())
    res.obj = LintLists(phrases, terms.parse(res, d))
