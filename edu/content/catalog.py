"""The loaded curriculum: read-only accessors the app uses. Built by ``loader.load_catalog``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from .checklists import ChecklistFile
from .facts import Fact, Registry
from .fields import FileResult
from .model import (
    LOCALES,
    Document,
    HelpResource,
    Issue,
    LegalFact,
    Lesson,
    Module,
    Quiz,
    Survey,
    TranslationRow,
)
from .reference import HelpFile, LegalFile
from .sequence import Sequence
from .validate import TRANSLATED_KINDS


def country_file(country: str | None) -> str:
    """KR has its own data; every other country uses INTL."""
    return "KR" if (country or "").upper() == "KR" else "INTL"


class Catalog:
    def __init__(
        self,
        *,
        root: str,
        issues: list[Issue],
        modules: list[Module],
        found: dict[tuple[str, str, str], FileResult],
        invalid: set[str],
        stale: set[str],
        help_files: dict[str, HelpFile],
        legal: dict[str, LegalFile],
        facts: Registry | None = None,
        checklists: dict[str, ChecklistFile] | None = None,
        version: str,
        fingerprint: str,
        counts: dict[str, dict[str, int]],
        sequence: Sequence | None = None,
    ) -> None:
        self.root = root
        self.issues = issues
        self.errors = [i for i in issues if i.severity == "error"]
        self.warnings = [i for i in issues if i.severity == "warning"]
        self.modules = modules
        self.version = version
        self.counts = counts  # locale -> kind -> number of files (for the checker's summary)
        self.sequence = sequence  # the scope and sequence (sequence.yaml), None when the tree has none
        self._found = found
        self._invalid = invalid  # files with errors of their own, duplicates, translations that disagree
        self._stale = stale
        self._help = help_files
        self._legal = legal
        self._facts = facts if facts is not None else Registry()
        self._checklists = checklists or {}
        self._fingerprint = fingerprint
        self._lessons_for: dict[tuple, list[Lesson]] = {}  # the catalog never changes: answers are kept

    def add_issues(self, issues: list[Issue]) -> None:
        """Problems found once the catalog exists (the sequence is checked against the lessons it serves)."""
        self.issues.extend(issues)
        self.errors.extend(i for i in issues if i.severity == "error")
        self.warnings.extend(i for i in issues if i.severity == "warning")

    # ---- state ------------------------------------------------------------------------------------------
    def fingerprint(self) -> str:
        """Compare with ``tree_fingerprint(root)`` to decide whether to reload."""
        return self._fingerprint

    def is_valid(self, obj: Any) -> bool:
        return getattr(obj, "path", None) not in self._invalid

    def draft_paths(self) -> set[str]:
        return {res.path for res in self._found.values() if getattr(res.obj, "status", "") == "draft"}

    def issues_for(self, path: str) -> list[Issue]:
        return [i for i in self.issues if i.path == path]

    def _get(self, kind: str, oid: str, locale: str, include_invalid: bool) -> Any:
        res = self._found.get((kind, oid, locale))
        if res is None or (not include_invalid and res.path in self._invalid):
            return None
        return res.obj

    # ---- curriculum -------------------------------------------------------------------------------------
    def module(self, module_id: str) -> Module | None:
        return next((m for m in self.modules if m.id == module_id), None)

    def lesson(self, lesson_id: str, locale: str, *, include_invalid: bool = False) -> Lesson | None:
        """Drafts included (check ``lesson.is_draft``); files with errors only with ``include_invalid``."""
        return self._get("lesson", lesson_id, locale, include_invalid)

    def lessons_for(
        self,
        module_id: str,
        locale: str,
        region: str | None = "KR",
        include_drafts: bool = False,
        *,
        include_invalid: bool = False,
        band: str | None = None,
    ) -> list[Lesson]:
        """Lessons of a module in order: modules.yaml order first, then ``order``.
        ``region`` "KR" keeps lessons without a region and KR ones; any other country code keeps those
        without a region and INTL ones; None keeps all. ``band`` (a class's age band) keeps the lessons that
        list it in ``age_bands``; None keeps all (author views)."""
        key = (module_id, locale, region, include_drafts, include_invalid, band)
        if key not in self._lessons_for:
            self._lessons_for[key] = self._find_lessons(*key)
        return list(self._lessons_for[key])

    def _find_lessons(
        self, module_id: str, locale: str, region: str | None, include_drafts: bool, include_invalid: bool,
        band: str | None,
    ) -> list[Lesson]:
        module = self.module(module_id)
        listed = list(module.lesson_ids) if module else []
        wanted = None if region is None else country_file(region)
        lessons = [
            res.obj
            for (kind, _oid, loc), res in self._found.items()
            if kind == "lesson"
            and loc == locale
            and res.obj.module == module_id
            and (include_invalid or res.path not in self._invalid)
            and (include_drafts or not res.obj.is_draft)
            and (wanted is None or res.obj.region in (None, wanted))
            and (band is None or band in res.obj.age_bands)
        ]
        return sorted(
            lessons,
            key=lambda les: (listed.index(les.id) if les.id in listed else len(listed), les.order, les.id),
        )

    def lesson_ids(self) -> list[str]:
        return sorted({oid for kind, oid, _ in self._found if kind == "lesson"})

    def quiz(self, quiz_id: str, locale: str, *, include_invalid: bool = False) -> Quiz | None:
        return self._get("quiz", quiz_id, locale, include_invalid)

    def quiz_for(
        self, module_id: str, locale: str, region: str | None = "KR", *, include_invalid: bool = False
    ) -> Quiz | None:
        """The module's quiz for a class in ``region`` (a module may name one quiz per region)."""
        module = self.module(module_id)
        wanted = None if region is None else country_file(region)
        for quiz_id in module.quiz_ids if module else ():
            quiz = self.quiz(quiz_id, locale, include_invalid=include_invalid)
            if quiz is not None and (wanted is None or quiz.region in (None, wanted)):
                return quiz
        return None

    def survey(self, survey_id: str, locale: str, *, include_invalid: bool = False) -> Survey | None:
        return self._get("survey", survey_id, locale, include_invalid)

    def guide(self, module_id: str, locale: str, *, include_invalid: bool = False) -> Document | None:
        return self._get("guide", module_id, locale, include_invalid)

    def family_sheet(self, module_id: str, locale: str, *, include_invalid: bool = False) -> Document | None:
        return self._get("family", module_id, locale, include_invalid)

    def worksheet(self, module_id: str, locale: str, *, include_invalid: bool = False) -> Document | None:
        return self._get("worksheet", module_id, locale, include_invalid)

    def page(self, slug: str, locale: str, *, include_invalid: bool = False) -> Document | None:
        return self._get("page", slug, locale, include_invalid)

    def playbook(self, slug: str, locale: str, *, include_invalid: bool = False) -> Document | None:
        """A template of the incident playbook (a letter to families, a support plan): staff only."""
        return self._get("playbook", slug, locale, include_invalid)

    def checklist(self, country: str | None) -> ChecklistFile | None:
        """The incident playbook's steps for a school in ``country`` (KR's own, INTL for every other)."""
        return self._checklists.get(country_file(country))

    # ---- help and law -----------------------------------------------------------------------------------
    def help_for(
        self,
        country: str | None,
        locale: str,
        topics: Iterable[str] | None = None,
        keys: Iterable[str] | None = None,
    ) -> list[HelpResource]:
        """Resources in file order; with topics and/or keys, those with any of the topics or keys."""
        help_file = self._help.get(country_file(country))
        if help_file is None:
            return []
        resources = help_file.resources.get(locale) or help_file.resources.get("en", ())
        here = (country or "").upper()
        if here and here not in ("KR", "INTL"):  # a country's own lines (e.g. its crisis line) for its classes
            resources = tuple(r for r in resources if not r.countries or here in r.countries)
        topics, keys = set(topics or ()), set(keys or ())
        if not topics and not keys:
            return list(resources)
        return [r for r in resources if r.key in keys or topics.intersection(r.topics)]

    def fact(self, fact_id: str) -> Fact | None:
        """A registry entry (verified or not: check ``fact.verified``)."""
        return self._facts.get(fact_id)

    def facts(self) -> list[Fact]:
        return list(self._facts.values())

    def help_meta(self, country: str | None) -> tuple[date | None, date | None]:
        help_file = self._help.get(country_file(country))
        return (help_file.last_verified, help_file.review_by) if help_file else (None, None)

    def legal_facts(self, country: str | None, keys: Iterable[str] | None, locale: str) -> list[LegalFact]:
        """Facts in the order of ``keys`` (all when None). Countries without a legal file: [].
        A key the country's file lacks is looked up in ``legal/INTL.yaml`` (other countries' laws, which a
        lesson may name for any class); never the other way round."""
        legal = self._legal.get((country or "").upper()) or self._legal.get(country_file(country))
        if legal is None:
            return []
        facts = legal.facts.get(locale) or legal.facts.get("en", {})
        if keys is None:
            return list(facts.values())
        intl = self._legal.get("INTL")
        extra = (intl.facts.get(locale) or intl.facts.get("en", {})) if intl and intl is not legal else {}
        return [facts[k] if k in facts else extra[k] for k in keys if k in facts or k in extra]

    # ---- translations -----------------------------------------------------------------------------------
    def translation_status(self) -> list[TranslationRow]:
        ids = sorted({(TRANSLATED_KINDS.index(kind), kind, oid) for kind, oid, _ in self._found})
        rows = []
        for _, kind, oid in ids:
            for loc in LOCALES:
                res = self._found.get((kind, oid, loc))
                status = "missing" if res is None else "stale" if res.path in self._stale else "ok"
                rows.append(TranslationRow(kind, oid, loc, status, res.path if res else None))
        return rows
