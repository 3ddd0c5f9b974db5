"""Assigning a year of the scope and sequence to a class in one step: the modules of that year for the class's
age band, language and country, opened one after another from a start date, skipping modules already assigned
(their dates are left as they are). Audited; a second run assigns nothing new."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from edu import audit
from edu.content.sequence import PlannedYear, plan_band
from edu.content_service import catalog
from edu.models import Account, Classroom
from edu.teach import services

MAX_SPACING_WEEKS = 8


@dataclass(frozen=True)
class Scheduled:
    module_id: str
    opens_on: date
    due_on: date | None


@dataclass(frozen=True)
class SequenceResult:
    year: int
    assigned: tuple[Scheduled, ...]
    skipped: tuple[str, ...]  # module ids the class already had


def schedule(module_ids: list[str], start_on: date, spacing_weeks: int) -> list[Scheduled]:
    """Module k opens ``k * spacing_weeks`` weeks after ``start_on`` and is due the day before the next one opens;
    with a spacing of 0 every module opens on the start date, with no due date."""
    if spacing_weeks <= 0:
        return [Scheduled(module_id, start_on, None) for module_id in module_ids]
    step = timedelta(weeks=spacing_weeks)
    return [Scheduled(module_id, start_on + k * step, start_on + (k + 1) * step - timedelta(days=1))
            for k, module_id in enumerate(module_ids)]


def years_for(classroom: Classroom) -> list[PlannedYear]:
    """The sequence's years for the class's band, planned for its language and country."""
    current = catalog()
    return plan_band(current, current.sequence, classroom.age_band, classroom.locale, classroom.region)


def assign_year(classroom: Classroom, teacher: Account, year: int, start_on: date,
                spacing_weeks: int) -> SequenceResult:
    services.ensure_active(classroom)
    planned = next((y for y in years_for(classroom) if y.year == year), None)
    if planned is None or not 0 <= spacing_weeks <= MAX_SPACING_WEEKS:
        raise services.InvalidAssignment(f"no year {year} for {classroom.age_band}")
    taken = {a.target_id for a in services.assignments(classroom) if a.kind == "module"}
    wanted = [m.module.id for m in planned.modules]
    new = schedule([m for m in wanted if m not in taken], start_on, spacing_weeks)
    for item in new:
        services.assign(classroom, "module", item.module_id, item.opens_on, item.due_on)
    if new:
        audit.record(teacher, "assign_sequence",
                     f"classroom:{classroom.id}:sequence:{classroom.age_band}:{year}:{len(new)}", classroom.school_id)
    return SequenceResult(year, tuple(new), tuple(m for m in wanted if m in taken))
