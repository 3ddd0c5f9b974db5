"""Importing a class list (edu/teach/roster_files.py reads the file): each new row becomes a student with a
pseudonym and PIN through the one add-student service; a OneRoster student already imported into this class is
found again by a keyed hash of their sourcedId and keeps their pseudonym and PIN. Flushes, never commits: the
view commits once, so a file that fails anywhere adds nobody."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from edu.extensions import db
from edu.models import Classroom, RosterLink, Student
from edu.teach import services
from edu.teach.roster_files import RosterRow


def source_hash(classroom: Classroom, source_id: str) -> str:
    """HMAC-SHA256 of the sourcedId under the app's secret key, scoped to the class: the database never holds the
    id, and the same student in two classes gets two unrelated hashes."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    message = f"roster-source:{classroom.id}:{source_id}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Card:
    label: str  # the teacher's own label, shown once on the printed card
    student: Student
    pin: str | None  # None: already in the class from an earlier import, keeps their PIN


def import_rows(classroom: Classroom, rows: list[RosterRow]) -> list[Card]:
    """New students for the rows not yet in the class; the cards in the file's order."""
    services.ensure_active(classroom)
    if services.needs_guardian_consent(classroom):
        raise services.ConsentMissing(classroom.id)
    hashes = {row.source_id: source_hash(classroom, row.source_id) for row in rows if row.source_id}
    known = {digest: student_id for digest, student_id in db.session.execute(
        select(RosterLink.source_hash, RosterLink.student_id).where(
            RosterLink.classroom_id == classroom.id, RosterLink.source_hash.in_(list(hashes.values()))))}
    new_rows = [row for row in rows if not (row.source_id and hashes[row.source_id] in known)]
    created = iter(services.add_students(classroom, len(new_rows)) if new_rows else [])
    cards = []
    for row in rows:
        digest = hashes.get(row.source_id) if row.source_id else None
        if digest in known:
            cards.append(Card(row.label, db.session.get(Student, known[digest]), None))
            continue
        student, pin = next(created)
        if digest:
            db.session.add(RosterLink(student_id=student.id, classroom_id=classroom.id, source_hash=digest))
        cards.append(Card(row.label, student, pin))
    db.session.flush()
    return cards
