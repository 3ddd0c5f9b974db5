"""The participation CSV (the yearly prevention-education report): one row per module taught in the term and one
for all of them, in the admin's language (headers, module names and methods in words), UTF-8 with a BOM for
Excel, text cells neutralised (edu/csv_export.py)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from edu.csv_export import csv_bytes
from edu.reporting.services import Participation, combined_method, hours

COLUMNS = ("school", "term", "module", "dates", "hours", "enrolled", "completed", "rate", "method")
NUMERIC = frozenset({"hours", "enrolled", "completed", "rate"})
METHOD_NAMES = {
    "self_paced": _l("Online lessons, self-paced"),
    "teacher_led": _l("Online lessons led by the teacher in class"),
    "both": _l("Online lessons, led in class and self-paced"),
}


def headers() -> dict[str, str]:
    return {"school": _("School"), "term": _("Term"), "module": _("Module"), "dates": _("Dates"),
            "hours": _("Hours per student"), "enrolled": _("Students enrolled"), "completed": _("Students completed"),
            "rate": _("Completion rate (%)"), "method": _("Method")}


def term_label(term) -> str:
    return f"{term.key} ({term.starts.isoformat()} – {term.ends.isoformat()})"


def _days(first, last) -> str:
    if first and last and first != last:
        return f"{first.isoformat()} – {last.isoformat()}"
    return (first or last).isoformat() if (first or last) else ""


def _percent(rate: float | None) -> float | str:
    return round(100 * rate, 1) if rate is not None else ""


def rows(figures: Participation, catalog, locale: str) -> list[dict]:
    out = []
    school, term = figures.school.name, term_label(figures.term)
    for total in figures.modules:
        module = catalog.module(total.module_id)
        out.append({"school": school, "term": term, "module": module.title.get(locale, total.module_id) if module
                    else total.module_id, "dates": _days(total.first_day, total.last_day),
                    "hours": hours(total.minutes), "enrolled": total.enrolled, "completed": total.completed,
                    "rate": _percent(total.rate), "method": str(METHOD_NAMES[total.method])})
    if figures.modules:
        firsts = [m.first_day for m in figures.modules if m.first_day]
        lasts = [m.last_day for m in figures.modules if m.last_day]
        out.append({"school": school, "term": term, "module": _("All modules"),
                    "dates": _days(min(firsts) if firsts else None, max(lasts) if lasts else None),
                    "hours": hours(figures.minutes), "enrolled": figures.enrolled, "completed": figures.completed,
                    "rate": _percent(figures.rate),
                    "method": str(METHOD_NAMES[_all_methods(figures)])})
    return out


def _all_methods(figures: Participation) -> str:
    return combined_method({m.method for m in figures.modules} - {"both"} | (
        {"self_paced", "teacher_led"} if any(m.method == "both" for m in figures.modules) else set()))


def to_csv(figures: Participation, catalog, locale: str) -> bytes:
    return csv_bytes(rows(figures, catalog, locale), COLUMNS, NUMERIC, headers())
