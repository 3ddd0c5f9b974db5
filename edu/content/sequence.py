"""The scope and sequence (``content/sequence.yaml``): what each age band is taught in each school year.

Each band lists, per year, module ids (the module's lessons written for the band) or lesson ids from
modules.yaml, in teaching order. Each lesson is taught in whole class periods of the band's ``period``
(discussion, the group activity and the quiz around it), so a year's class time is counted in periods
(``minutes.class_minutes``); the lesson time on screen is ``minutes.minutes_per_band`` of the same lessons.

Pure: reading the file, checking it against the catalog, and planning a year for a class's language and region.
The catalog is any object with ``modules``, ``module(id)`` and ``lessons_for(module, locale, region=...)``.
"""

from __future__ import annotations

from dataclasses import dataclass

from .fields import FileResult
from .minutes import class_minutes, minutes_per_band
from .model import AGE_BANDS, LOCALES, REGIONS, Issue, Lesson, Module
from .yamlio import LDict, LList

YEARS: dict[str, tuple[int, ...]] = {"middle": (1, 2), "high": (1, 2), "university": (1,)}
MIN_CLASS_MINUTES = 360  # at least 6 hours of class time a year, in every language and region
PERIODS = (30, 120)  # a class period is between half an hour and two hours


@dataclass(frozen=True)
class SequenceYear:
    year: int
    focus: dict[str, str]  # locale -> one line on what the year is about
    items: tuple[str, ...]  # module or lesson ids, in teaching order
    line: int = 0
    item_lines: tuple[int, ...] = ()

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


@dataclass(frozen=True)
class BandSequence:
    band: str
    period: int  # minutes of one class period
    years: tuple[SequenceYear, ...]
    line: int = 0

    def year(self, number: int) -> SequenceYear | None:
        return next((y for y in self.years if y.year == number), None)


@dataclass(frozen=True)
class Sequence:
    bands: tuple[BandSequence, ...]
    path: str = ""

    def band(self, band: str) -> BandSequence | None:
        return next((b for b in self.bands if b.band == band), None)


# ---- reading ------------------------------------------------------------------------------------------------


def parse_sequence(res: FileResult, text: str) -> None:
    d = res.document(text)
    if d is None:
        return
    res.keys(d, {"bands"}, set(), "", line=1)
    raw = d.get("bands")
    if not isinstance(raw, LDict):
        if "bands" in d:
            res.error(d.line_of("bands"), "'bands' must be a mapping of age bands (middle:, high:, university:)")
        return
    bands = []
    for band, value in raw.items():
        line = raw.line_of(band)
        if band not in AGE_BANDS:
            res.error(line, f"unknown age band '{band}' (use: {', '.join(AGE_BANDS)})")
            continue
        data = res.mapping(value, line, f"band '{band}'")
        if data is not None:
            bands.append(_band(res, str(band), data))
    for band in AGE_BANDS:
        if band not in raw:
            res.error(d.line_of("bands"), f"no sequence for age band '{band}'")
    res.obj = Sequence(tuple(bands), res.path)


def _band(res: FileResult, band: str, data: LDict) -> BandSequence:
    where = f" in band '{band}'"
    res.keys(data, {"period", "years"}, set(), where)
    period = data.get("period", 0)
    if not isinstance(period, int) or isinstance(period, bool) or not PERIODS[0] <= period <= PERIODS[1]:
        if "period" in data:
            res.error(data.line_of("period"), f"'period' must be the minutes of one class period, "
                                              f"{PERIODS[0]} to {PERIODS[1]}{where}")
        period = 0
    years: list[SequenceYear] = []
    raw = data.get("years")
    if raw is not None and not isinstance(raw, LList):
        res.error(data.line_of("years"), f"'years' must be a list{where}")
    for i, item in enumerate(raw if isinstance(raw, LList) else []):
        entry = res.mapping(item, raw.line_of(i), f"each of 'years'{where}")
        if entry is not None:
            years.append(_year(res, band, entry, where))
    numbers = [y.year for y in years]
    for number in YEARS[band]:
        if number not in numbers and isinstance(raw, LList):
            res.error(raw.line, f"no year {number}{where} (it needs years {_years(band)})")
    for year in years:
        if year.year and year.year not in YEARS[band]:
            res.error(year.line, f"unknown year {year.year}{where} (it needs years {_years(band)})")
        elif numbers.count(year.year) > 1:
            res.error(year.line, f"year {year.year} is given twice{where}")
    return BandSequence(band, period, tuple(years), data.line)


def _years(band: str) -> str:
    return " and ".join(str(n) for n in YEARS[band])


def _year(res: FileResult, band: str, entry: LDict, where: str) -> SequenceYear:
    res.keys(entry, {"year", "focus", "items"}, set(), where)
    number = entry.get("year", 0)
    if not isinstance(number, int) or isinstance(number, bool):
        res.error(entry.line_of("year"), f"'year' must be a whole number{where}")
        number = 0
    items = res.str_list(entry, "items", f" in year {number}{where}")
    raw = entry.get("items")
    lines = tuple(raw.line_of(i) for i in range(len(items))) if isinstance(raw, LList) else ()
    if "items" in entry and not items:
        res.error(entry.line_of("items"), f"year {number}{where} lists nothing")
    return SequenceYear(number, res.localized(entry, "focus", where), items, entry.line, lines)


# ---- planning -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedModule:
    module: Module
    lessons: tuple[Lesson, ...]  # the lessons a class of this language, region and band is taught this year
    class_minutes: int
    screen_minutes: int


@dataclass(frozen=True)
class PlannedYear:
    band: str
    year: int
    focus: dict[str, str]
    period: int
    modules: tuple[PlannedModule, ...]
    left_out: tuple[str, ...] = ()  # items with no lesson for this language and region

    @property
    def class_minutes(self) -> int:
        return sum(m.class_minutes for m in self.modules)

    @property
    def screen_minutes(self) -> int:
        return sum(m.screen_minutes for m in self.modules)

    @property
    def lessons(self) -> tuple[Lesson, ...]:
        return tuple(lesson for m in self.modules for lesson in m.lessons)


def module_of(catalog, item: str) -> Module | None:
    """The module an item names: the module itself, or the module whose lessons list the lesson id."""
    module = catalog.module(item)
    if module is not None:
        return module
    return next((m for m in catalog.modules if item in m.lesson_ids), None)


def lessons_of(catalog, item: str, band: str, locale: str, region: str | None) -> list[Lesson]:
    """The published lessons an item stands for in a class of this band, language and region."""
    module = module_of(catalog, item)
    if module is None:
        return []
    whole = module.id == item
    return [lesson for lesson in catalog.lessons_for(module.id, locale, region=region)
            if band in lesson.age_bands and (whole or lesson.id == item)]


def plan_year(catalog, band: BandSequence, year: SequenceYear, locale: str, region: str | None) -> PlannedYear:
    """The modules and lessons of one year for a class, in the file's order (a module once, at its first item)."""
    grouped: dict[str, list[Lesson]] = {}
    modules: dict[str, Module] = {}
    left_out = []
    for item in year.items:
        module = module_of(catalog, item)
        lessons = lessons_of(catalog, item, band.band, locale, region)
        if module is None or not lessons:
            left_out.append(item)
            continue
        modules[module.id] = module
        have = grouped.setdefault(module.id, [])
        have.extend(lesson for lesson in lessons if lesson.id not in {x.id for x in have})
    planned = []
    for module_id, lessons in grouped.items():
        order = {lesson.id: i for i, lesson in
                 enumerate(catalog.lessons_for(module_id, locale, region=region))}
        ordered = tuple(sorted(lessons, key=lambda lesson: order.get(lesson.id, len(order))))
        planned.append(PlannedModule(modules[module_id], ordered,
                                     class_minutes(ordered, band.band, band.period),
                                     minutes_per_band(ordered, (band.band,))[band.band]))
    return PlannedYear(band.band, year.year, year.focus, band.period, tuple(planned), tuple(left_out))


def plan_band(catalog, sequence: Sequence | None, band: str, locale: str, region: str | None) -> list[PlannedYear]:
    found = sequence.band(band) if sequence else None
    return [plan_year(catalog, found, year, locale, region) for year in found.years] if found else []


# ---- checking against the catalog ---------------------------------------------------------------------------


def check_sequence(sequence: Sequence, catalog) -> list[Issue]:
    """Errors: an unknown module or lesson, one not written for the band, a lesson in two years (or a module
    split across years: classes are assigned whole modules), and a year under 6 hours of class time in any
    language or region."""
    issues: list[Issue] = []

    def error(line: int, message: str) -> None:
        issues.append(Issue(sequence.path, line, message))

    lesson_module = {lesson_id: m.id for m in catalog.modules for lesson_id in m.lesson_ids}
    for band in sequence.bands:
        where = f"band '{band.band}'"
        seen_lessons: dict[str, int] = {}  # lesson id -> year
        seen_modules: dict[str, int] = {}
        for year in band.years:
            here = f"year {year.year} of {where}"
            seen_items: set[str] = set()
            for index, item in enumerate(year.items):
                line = year.line_of(index)
                if catalog.module(item) is not None and item in lesson_module:
                    error(line, f"'{item}' is both a module and a lesson id in {here}")
                    continue
                module = module_of(catalog, item)
                if module is None:
                    error(line, f"unknown module or lesson '{item}' in {here} (not in modules.yaml)")
                    continue
                ids = _lesson_ids(catalog, item, band.band)
                if not ids:
                    kind = "module" if module.id == item else "lesson"
                    error(line, f"{kind} '{item}' in {here} has no published lesson for the {band.band} band")
                    continue
                if module.id != item:
                    others = sorted(_lesson_ids(catalog, module.id, band.band) - ids - _listed(band, module.id))
                    if others:
                        error(line, f"lesson '{item}' in {here}: a class is assigned the whole module "
                                    f"'{module.id}', whose other lessons for this band ({', '.join(others)}) are "
                                    "in no year; list the module instead")
                earlier = sorted(i for i in ids if seen_lessons.get(i, year.year) != year.year)
                if earlier:
                    names = ", ".join(f"'{i}'" for i in earlier)
                    error(line, f"{'lessons' if len(earlier) > 1 else 'lesson'} {names} "
                                f"{'are' if len(earlier) > 1 else 'is'} in both year "
                                f"{seen_lessons[earlier[0]]} and year {year.year} of {where}: a lesson is taught "
                                "in one year only")
                elif seen_modules.get(module.id, year.year) != year.year:
                    error(line, f"module '{module.id}' is split across year {seen_modules[module.id]} and year "
                                f"{year.year} of {where}: classes are assigned whole modules")
                elif item in seen_items:
                    error(line, f"'{item}' is listed twice in {here}")
                seen_items.add(item)
                seen_modules.setdefault(module.id, year.year)
                for lesson_id in ids:
                    seen_lessons.setdefault(lesson_id, year.year)
            issues.extend(_short_years(sequence.path, catalog, band, year))
    return issues


def _lesson_ids(catalog, item: str, band: str) -> set[str]:
    """Every lesson id an item stands for in any language and region (its published lessons for the band)."""
    return {lesson.id for locale in LOCALES for lesson in lessons_of(catalog, item, band, locale, None)}


def _listed(band: BandSequence, module_id: str) -> set[str]:
    return {item for year in band.years for item in year.items if item != module_id}


def _short_years(path: str, catalog, band: BandSequence, year: SequenceYear) -> list[Issue]:
    if not band.period or not year.items:
        return []
    issues = []
    for region in REGIONS:
        for locale in LOCALES:
            planned = plan_year(catalog, band, year, locale, region)
            if planned.class_minutes < MIN_CLASS_MINUTES:
                issues.append(Issue(path, year.line, (
                    f"year {year.year} of band '{band.band}' has {planned.class_minutes} minutes of class time "
                    f"for a {region} class in '{locale}' ({len(planned.lessons)} lessons of {band.period}-minute "
                    f"periods); it needs at least {MIN_CLASS_MINUTES} (6 hours): add a module")))
    return issues
