"""The incident playbook: the school's safeguarding leads and admins handle a real case in one place.

An incident has a short title written without names and the day it happened. From it a lead pauses modules for
the whole school or chosen classes in one step (each pause is the class's ordinary incident-mode pause,
``services.pause_module``, so every page that reads a class's assignments sees it), ticks the country's
checklist (content/checklists/), keeps an evidence log that names roles and online traces only (the rule in
``incident_text``), prints letters and support plans (content/playbook/, never stored per person), and gives a
class a follow-up module when it is ready. Every action is audited. Closing an incident resumes what it paused;
``purge_expired`` deletes closed incidents once the school's retention period has passed.
Services flush, never commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from edu import audit
from edu.extensions import db
from edu.models import (
    Account,
    Classroom,
    Incident,
    IncidentLogEntry,
    IncidentPause,
    IncidentTick,
    ModulePause,
    School,
    utcnow,
)
from edu.safeguarding import incident_text
from edu.safeguarding import services as safeguarding
from edu.teach import services as teach

TITLE_MAX = 80
ROLES = ("targeted", "reporter", "witness", "responsible", "staff")
ROLE_NUMBERS = range(1, 100)
FIELD_MAX = {"room": 200, "handles": 300, "links": 2000, "seen_at": 40, "action": 2000}


class NotFound(Exception):
    pass


class Forbidden(Exception):
    """Neither a safeguarding lead nor an admin of a school."""


@dataclass
class Refused(Exception):
    """Something the incident may not hold: ``field`` and ``reason`` (incident_text's reasons, or "required",
    "too_long", "invalid")."""

    field: str
    reason: str


def may_use(account: Account) -> bool:
    return account.school_id is not None and (account.role == "admin" or
                                              (account.role == "teacher" and account.is_safeguarding_lead))


def _school_id(account: Account) -> int:
    if not may_use(account):
        raise Forbidden(account.id)
    return account.school_id  # type: ignore[return-value]


def _check(field: str, value: str, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise Refused(field, "required")
    if len(value) > FIELD_MAX.get(field, TITLE_MAX):
        raise Refused(field, "too_long")
    reason = incident_text.refusal(value)
    if reason:
        raise Refused(field, reason)
    return value


# ---- incidents -------------------------------------------------------------------------------------------


def open_incident(account: Account, title: str, happened_on: date | None) -> Incident:
    school_id = _school_id(account)
    title = _check("title", title, required=True)
    if happened_on is None or happened_on > date.today() + timedelta(days=1):
        raise Refused("happened_on", "invalid")
    incident = Incident(school_id=school_id, title=title, happened_on=happened_on, opened_by=account.id)
    db.session.add(incident)
    db.session.flush()
    audit.record(account, "incident_open", f"incident:{incident.id}", school_id)
    return incident


def incidents_for(account: Account) -> list[Incident]:
    school_id = _school_id(account)
    return list(db.session.scalars(select(Incident).where(Incident.school_id == school_id)
                                   .order_by(Incident.closed_at.is_not(None), Incident.opened_at.desc())))


def incident_for(account: Account, incident_id: str) -> Incident:
    incident = db.session.get(Incident, incident_id)
    if incident is None or incident.school_id != _school_id(account):
        raise NotFound(incident_id)
    return incident


def close(account: Account, incident: Incident, now: datetime | None = None) -> None:
    """Resume what the incident paused and start the retention clock."""
    if incident.closed_at is not None:
        return
    resume(account, incident, [(p.classroom_id, p.module_id) for p in incident.pauses])
    incident.closed_at = now or utcnow()
    audit.record(account, "incident_close", f"incident:{incident.id}", incident.school_id)
    db.session.flush()


# ---- pausing modules -------------------------------------------------------------------------------------


def school_classes(school_id: int) -> list[Classroom]:
    return list(db.session.scalars(select(Classroom).where(Classroom.school_id == school_id,
                                                           Classroom.archived_at.is_(None))
                                   .order_by(Classroom.name, Classroom.id)))


def pause(account: Account, incident: Incident, module_ids: list[str], classroom_ids: list[int] | None,
          known_modules: set[str]) -> int:
    """Pause each module for each chosen class (None: every active class of the school) in one step; a module
    already paused for a class stays as it is. Returns how many pauses were made."""
    if incident.closed_at is not None:
        raise Refused("incident", "invalid")
    modules = [m for m in dict.fromkeys(module_ids) if m in known_modules]
    classes = school_classes(incident.school_id)
    if classroom_ids is not None:
        classes = [c for c in classes if c.id in set(classroom_ids)]
    if not modules or not classes:
        raise Refused("modules" if not modules else "classes", "required")
    made = 0
    for classroom in classes:
        already = safeguarding.paused_modules(classroom.id)
        for module_id in modules:
            if module_id in already:
                continue
            safeguarding.pause_module(classroom, module_id)
            db.session.add(IncidentPause(incident_id=incident.id, classroom_id=classroom.id, module_id=module_id))
            audit.record(account, "incident_pause", f"classroom:{classroom.id}:{module_id}", incident.school_id)
            made += 1
    db.session.flush()
    return made


def resume(account: Account, incident: Incident, pairs: list[tuple[int, str]]) -> int:
    """Resume pauses this incident made (a teacher's own pause is the teacher's to resume)."""
    wanted = set(pairs)
    done = 0
    for row in list(incident.pauses):
        if (row.classroom_id, row.module_id) not in wanted:
            continue
        classroom = db.session.get(Classroom, row.classroom_id)
        if classroom is not None:
            safeguarding.resume_module(classroom, row.module_id)
        incident.pauses.remove(row)
        audit.record(account, "incident_resume", f"classroom:{row.classroom_id}:{row.module_id}", incident.school_id)
        done += 1
    db.session.flush()
    return done


def pauses_of(incident: Incident) -> list[tuple[Classroom, str]]:
    """(class, module) the incident paused and that are still paused."""
    rows = db.session.execute(
        select(Classroom, IncidentPause.module_id)
        .join(IncidentPause, IncidentPause.classroom_id == Classroom.id)
        .join(ModulePause, (ModulePause.classroom_id == IncidentPause.classroom_id)
              & (ModulePause.module_id == IncidentPause.module_id))
        .where(IncidentPause.incident_id == incident.id)
        .order_by(Classroom.name, IncidentPause.module_id)
    ).all()
    return [(classroom, module_id) for classroom, module_id in rows]


# ---- checklist, evidence log, follow-up ------------------------------------------------------------------


def tick(account: Account, incident: Incident, step_key: str, known_keys: set[str]) -> None:
    if step_key not in known_keys:
        raise Refused("step", "invalid")
    if any(t.step_key == step_key for t in incident.ticks):
        return
    incident.ticks.append(IncidentTick(step_key=step_key, account_id=account.id))
    audit.record(account, "incident_tick", f"incident:{incident.id}:{step_key}", incident.school_id)
    db.session.flush()


def ticks_by_step(incident: Incident) -> dict[str, IncidentTick]:
    return {t.step_key: t for t in incident.ticks}


def add_entry(account: Account, incident: Incident, fields: dict[str, str]) -> IncidentLogEntry:
    """One evidence-log line. Refused (with the field and why) when it holds an image or, as far as the check
    can tell, a real name, a phone number or a resident registration number."""
    role = (fields.get("role") or "").strip()
    if role not in ROLES:
        raise Refused("role", "required")
    number_text = (fields.get("role_number") or "").strip()
    number = int(number_text) if number_text.isdigit() and len(number_text) < 3 else None
    if number_text and number not in ROLE_NUMBERS:
        raise Refused("role_number", "invalid")
    values = {name: _check(name, fields.get(name, "")) for name in FIELD_MAX}
    if not any(values.values()):
        raise Refused("action", "required")
    entry = IncidentLogEntry(role=role, role_number=number, account_id=account.id, **values)
    incident.entries.append(entry)
    db.session.flush()
    audit.record(account, "incident_log", f"incident:{incident.id}", incident.school_id)
    return entry


def assign_follow_up(account: Account, incident: Incident, classroom_id: int, module_id: str,
                     follow_up: tuple[str, ...]) -> Classroom:
    classroom = db.session.get(Classroom, classroom_id)
    if (module_id not in follow_up or classroom is None or classroom.school_id != incident.school_id
            or classroom.archived_at is not None):
        raise Refused("follow_up", "invalid")
    teach.assign(classroom, "module", module_id)
    audit.record(account, "incident_follow_up", f"classroom:{classroom.id}:{module_id}", incident.school_id)
    return classroom


def record_view(account: Account, incident: Incident, what: str = "") -> None:
    audit.record(account, "incident_view", f"incident:{incident.id}" + (f":{what}" if what else ""),
                 incident.school_id)


# ---- retention -------------------------------------------------------------------------------------------


def purge_expired(now: datetime | None = None) -> int:
    """Delete closed incidents (with their ticks, log and pause records) whose school's retention period has
    passed since they were closed."""
    now = now or utcnow()
    rows = db.session.execute(select(Incident, School.retention_days).join(School, School.id == Incident.school_id)
                              .where(Incident.closed_at.is_not(None))).all()
    expired = [incident for incident, days in rows if incident.closed_at + timedelta(days=days) <= now]
    for incident in expired:
        audit.record(None, "incident_delete", f"incident:{incident.id}", incident.school_id)
        db.session.delete(incident)
    db.session.flush()
    return len(expired)
