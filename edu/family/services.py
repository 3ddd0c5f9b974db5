"""Pages for families, opened without signing in: a module's family sheet (with the school's contact line when the
link carries the school's public key) and a class's notice of what it is taught and when (가정통신문).

Both keys are random (``secrets``), never derived from an id, so no link can be guessed from another; a new key
ends the old link. The notice shows the class's assigned modules and their dates and nothing about a student;
a module paused in incident mode shows as "rescheduled" (read through ``safeguarding.paused_modules``, the one
place that knows the pause)."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from edu.extensions import db
from edu.models import Assignment, ClassNotice, Classroom, School, SchoolFamilySettings, utcnow
from edu.safeguarding.services import paused_modules
from edu.teach.services import local_day

KEY_BYTES = 16  # 128 bits, 22 characters in an address
CONTACT_MAX = 200
_KEY = re.compile(r"^[A-Za-z0-9_-]{16,32}$")


def new_key() -> str:
    return secrets.token_urlsafe(KEY_BYTES)


def well_formed(key: str) -> bool:
    return bool(_KEY.match(key or ""))


def clean_contact(text: str) -> str:
    """One line of plain text: control characters and runs of spaces become one space, at most CONTACT_MAX."""
    return re.sub(r"\s+", " ", "".join(" " if ord(c) < 32 or ord(c) == 127 else c for c in text or "")).strip()[
        :CONTACT_MAX]


# ---- the school's key and contact line --------------------------------------------------------------------


def school_settings(school: School) -> SchoolFamilySettings | None:
    return db.session.get(SchoolFamilySettings, school.id)


def ensure_school_settings(school: School) -> SchoolFamilySettings:
    """The school's row, made with a fresh public key the first time (flushes; call in a write)."""
    row = school_settings(school)
    if row is None:
        row = SchoolFamilySettings(school_id=school.id, public_key=new_key())
        try:
            with db.session.begin_nested():  # made twice at once: the first one stands
                db.session.add(row)
                db.session.flush()
        except IntegrityError:
            row = school_settings(school)
    return row


def set_contact_line(school: School, text: str) -> SchoolFamilySettings:
    row = ensure_school_settings(school)
    row.contact_line = clean_contact(text) or None
    row.updated_at = utcnow()
    db.session.flush()
    return row


def renew_school_key(school: School) -> SchoolFamilySettings:
    """A new public key: every family-sheet link shared before stops showing the school (it still shows the sheet)."""
    row = ensure_school_settings(school)
    row.public_key = new_key()
    row.updated_at = utcnow()
    db.session.flush()
    return row


def school_by_key(key: str) -> SchoolFamilySettings | None:
    if not well_formed(key):
        return None
    return db.session.scalar(select(SchoolFamilySettings).where(SchoolFamilySettings.public_key == key))


# ---- the class notice -------------------------------------------------------------------------------------


def notice_of(classroom: Classroom) -> ClassNotice | None:
    return db.session.get(ClassNotice, classroom.id)


def renew_notice(classroom: Classroom) -> ClassNotice:
    """Make the class's notice link, or replace its key (the old link stops working at once)."""
    row = notice_of(classroom)
    if row is None:
        row = ClassNotice(classroom_id=classroom.id, notice_key=new_key())
        db.session.add(row)
    else:
        row.notice_key, row.created_at = new_key(), utcnow()
    ensure_school_settings(classroom.school)  # the notice links to the family sheets with the school's key
    db.session.flush()
    return row


def stop_notice(classroom: Classroom) -> None:
    row = notice_of(classroom)
    if row is not None:
        db.session.delete(row)
        db.session.flush()


def classroom_by_notice(key: str) -> Classroom | None:
    """The class a notice key belongs to; None for an unknown key and for an archived class alike."""
    if not well_formed(key):
        return None
    row = db.session.scalar(select(ClassNotice).where(ClassNotice.notice_key == key))
    if row is None:
        return None
    classroom = db.session.get(Classroom, row.classroom_id)
    return classroom if classroom is not None and classroom.archived_at is None else None


@dataclass(frozen=True)
class NoticeModule:
    module_id: str
    title: str
    summary: str
    opens_on: date | None
    due_on: date | None
    rescheduled: bool


def notice_modules(classroom: Classroom, catalog, locale: str) -> list[NoticeModule]:
    """The class's assigned modules in the teacher's order, with their days in the school's time zone. Whether an
    assignment is for some students only is not shown: it would say something about those students."""
    paused = paused_modules(classroom.id)
    timezone = classroom.school.timezone
    rows = db.session.scalars(select(Assignment).where(Assignment.classroom_id == classroom.id,
                                                       Assignment.kind == "module")
                              .order_by(Assignment.position, Assignment.id))
    modules = []
    for row in rows:
        module = catalog.module(row.target_id)
        if module is None:
            continue
        modules.append(NoticeModule(
            module_id=module.id, title=module.title.get(locale, module.id),
            summary=module.summary.get(locale, ""), opens_on=local_day(row.opens_at, timezone),
            due_on=local_day(row.due_at, timezone), rescheduled=module.id in paused))
    return modules
