"""Read checklists/<COUNTRY>.yaml: the incident playbook's steps, in order, for a school in that country.

Each step has a stable ``key`` (a ticked step is stored by it), a title and a text in every language (citations
``[[fact:ID]]`` resolved from the facts registry, so no number is written twice), and may name legal facts
(``legal``: keys of legal/<COUNTRY>.yaml or legal/INTL.yaml) and help resources (``help``: keys of
help/<COUNTRY>.yaml) shown under it. ``follow_up`` names the modules a class may be given once it is ready.
KR has its own file; every other country uses INTL, like the help and legal files."""

from __future__ import annotations

from dataclasses import dataclass

from .fields import FileResult
from .model import LOCALES, Issue
from .reference import entry_list


@dataclass(frozen=True)
class ChecklistStep:
    key: str
    title: str
    text: str
    legal: tuple[str, ...]
    help: tuple[str, ...]


@dataclass(frozen=True)
class ChecklistFile:
    country: str
    steps: dict[str, tuple[ChecklistStep, ...]]  # locale -> steps, in order
    follow_up: tuple[str, ...]
    line: dict[str, int]  # step key -> line (for the cross-check's messages)


def parse_checklist(res: FileResult, text: str, country: str) -> None:
    d = res.document(text)
    if d is None:
        return
    res.keys(d, {"country", "steps", "follow_up"}, set(), "", line=1)
    if d.get("country") is not None and str(d["country"]) != country:
        res.error(d.line_of("country"), f"country '{d['country']}' does not match the file name '{country}'")
    per_locale: dict[str, list[ChecklistStep]] = {loc: [] for loc in LOCALES}
    lines: dict[str, int] = {}
    for s, line in entry_list(res, d, "steps"):
        key = res.ident(s, "key", " in step")
        where = f" in step '{key}'"
        res.keys(s, {"key", "title", "text"}, {"legal", "help"}, where)
        if key in lines:
            res.error(s.line_of("key"), f"duplicate step key '{key}'")
        lines[key] = line
        title, body = res.localized(s, "title", where), res.localized(s, "text", where)
        legal, helps = tuple(res.str_list(s, "legal", where)), tuple(res.str_list(s, "help", where))
        for loc in LOCALES:
            per_locale[loc].append(ChecklistStep(
                key, res.cited(title.get(loc, ""), s.line_of("title"), loc, markdown=False),
                res.cited(body.get(loc, ""), s.line_of("text"), loc, markdown=False), legal, helps))
    if not lines:
        res.error(d.line_of("steps") if "steps" in d else 1, "a checklist needs at least one step")
    res.obj = ChecklistFile(country, {loc: tuple(steps) for loc, steps in per_locale.items()},
                            tuple(res.str_list(d, "follow_up", "")), lines)


def check_references(results: list[FileResult]) -> list[Issue]:
    """Every legal key, help key and follow-up module a checklist names exists."""
    legal = {r.obj.country: set(r.obj.facts.get("en", {})) for r in results if r.kind == "legal" and r.obj}
    helps = {r.obj.country: {h.key for h in r.obj.resources.get("en", ())}
             for r in results if r.kind == "help" and r.obj}
    modules = next(({m.id for m in r.obj} for r in results if r.kind == "modules" and r.obj), set())
    issues = []
    for res in results:
        if res.kind != "checklist" or res.obj is None:
            continue
        country = res.obj.country
        known_legal = legal.get(country, set()) | legal.get("INTL", set())
        for step in res.obj.steps["en"]:
            line = res.obj.line.get(step.key, 1)
            issues += [Issue(res.path, line, f"step '{step.key}' names legal fact '{k}', which is in no legal file")
                       for k in step.legal if k not in known_legal]
            issues += [Issue(res.path, line, f"step '{step.key}' names help resource '{k}', which "
                             f"help/{country}.yaml does not list (or lists as unverified)")
                       for k in step.help if k not in helps.get(country, set())]
        issues += [Issue(res.path, res.line_of("follow_up"), f"follow_up names module '{m}', which modules.yaml "
                         "does not list") for m in res.obj.follow_up if m not in modules]
    return issues
