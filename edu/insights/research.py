"""The research export: one row per survey answer, no identifiers, pre/post linked by a destroyable key.

- Row and response ids are random and new in every export, so two exports cannot be joined on them.
- Pre and post answers of one student share a `pair_id`: HMAC-SHA256(key, student id), truncated. The key is a
  file outside the database (instance/research-link.key); destroying it (CLI `flask --app edu research
  destroy-key`) unlinks the pairs for good: later exports have no pair ids, and no new key is ever made.
- Times are ISO weeks only. No pseudonyms, class names, account ids or free text.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from pathlib import Path

from sqlalchemy import select

from edu.csv_export import csv_bytes
from edu.extensions import db
from edu.models import AnonymousSurveyAnswer, Classroom, Student, SurveyAnswer, SurveySubmission

COLUMNS = ("row_id", "response_id", "pair_id", "phase", "week", "age_band", "country", "language", "survey_id",
           "item_id", "scale", "identity", "value")


class KeyStore:
    def __init__(self, path: Path):
        self.path = path
        self.destroyed_marker = path.with_suffix(".destroyed")

    def key(self) -> bytes | None:
        """The linking key, created on first use, or None once it has been destroyed."""
        if self.destroyed_marker.exists():
            return None
        if not self.path.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_bytes(secrets.token_bytes(32))
            self.path.chmod(0o600)
        return self.path.read_bytes()

    def destroy(self) -> str:
        """Overwrite and delete the key, and leave a marker so that no new key is made. Says what happened."""
        if self.destroyed_marker.exists():
            return f"the key was already destroyed ({self.destroyed_marker})"
        existed = self.path.exists()
        if existed:
            self.path.write_bytes(secrets.token_bytes(32))
            self.path.unlink()
        self.destroyed_marker.write_text("destroyed\n")
        what = f"destroyed the pre/post link key {self.path}" if existed else "no key existed"
        return f"{what}; exports made from now on cannot link pre and post answers"


def pair_id(key: bytes | None, student_id: int) -> str:
    if key is None:
        return ""
    return hmac.new(key, f"student:{student_id}".encode(), hashlib.sha256).hexdigest()[:20]


def _week(moment) -> str:
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def export_rows(school_id: int, survey, key: bytes | None) -> list[dict]:
    items = {i.id: i for i in survey.items}
    rows: list[dict] = []
    response_ids: dict[tuple[int, str], str] = {}
    submitted = {(s.student_id, s.phase): s.submitted_at for s in db.session.scalars(
        select(SurveySubmission).join(Student, Student.id == SurveySubmission.student_id)
        .join(Classroom, Classroom.id == Student.classroom_id).where(Classroom.school_id == school_id))}
    linked = db.session.execute(
        select(SurveyAnswer.student_id, SurveyAnswer.phase, SurveyAnswer.item_id, SurveyAnswer.value,
               Classroom.age_band, Classroom.country, Classroom.locale)
        .join(Student, Student.id == SurveyAnswer.student_id).join(Classroom, Classroom.id == Student.classroom_id)
        .where(Classroom.school_id == school_id, SurveyAnswer.survey_id == survey.id))
    for student_id, phase, item_id, value, band, country, locale in linked:
        item = items.get(item_id)
        moment = submitted.get((student_id, phase))
        rows.append({
            "response_id": response_ids.setdefault((student_id, phase), secrets.token_hex(8)),
            "pair_id": pair_id(key, student_id), "phase": phase, "week": _week(moment) if moment else "",
            "age_band": band, "country": country, "language": locale, "survey_id": survey.id, "item_id": item_id,
            "scale": item.scale if item else "", "identity": "linked", "value": value or "",
        })
    anonymous = db.session.execute(
        select(AnonymousSurveyAnswer.phase, AnonymousSurveyAnswer.week, AnonymousSurveyAnswer.item_id,
               AnonymousSurveyAnswer.value, Classroom.age_band, Classroom.country, Classroom.locale)
        .join(Classroom, Classroom.id == AnonymousSurveyAnswer.classroom_id)
        .where(Classroom.school_id == school_id, AnonymousSurveyAnswer.survey_id == survey.id))
    for phase, week, item_id, value, band, country, locale in anonymous:
        item = items.get(item_id)
        rows.append({
            "response_id": secrets.token_hex(8), "pair_id": "", "phase": phase, "week": week, "age_band": band,
            "country": country, "language": locale, "survey_id": survey.id, "item_id": item_id,
            "scale": item.scale if item else "", "identity": "none", "value": value or "",
        })
    secrets.SystemRandom().shuffle(rows)  # no order to link rows by
    for row in rows:
        row["row_id"] = secrets.token_hex(8)
    return [{column: row[column] for column in COLUMNS} for row in rows]


def to_csv(rows: list[dict]) -> bytes:
    """Every text cell neutralised against spreadsheet formulas (edu/csv_export.py)."""

    return csv_bytes(rows, COLUMNS)
