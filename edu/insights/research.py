"""The research export: one row per `identity: linked` survey answer, no identifiers, pre/post linked by a
destroyable key, k-anonymous over its descriptive fields (docs/research-export.md).

- Every combination of the descriptive fields a student's rows carry (phase, period, age band, country,
  language; with pair ids, those of their pre and post rows together) covers at least K = 10 students. The
  export coarsens the whole file until it does: week, then month, then term; then it drops the language, then
  the country; strata still below K at the coarsest level are left out.
- `identity: none` answers are never rows (they could share a stratum with linked rows): they appear only as
  the aggregate tables the school's releases already hold (edu/insights/research_tables.py).

- Row and response ids are random and new in every export, so two exports cannot be joined on them.
- Pre and post answers of one student share a `pair_id`: HMAC-SHA256(key, student id), truncated. The key is a
  file outside the database (instance/research-link.key); destroying it (CLI `flask --app edu research
  destroy-key`) unlinks the pairs for good: later exports have no pair ids, and no new key is ever made.
- Times are ISO weeks at the finest. No pseudonyms, class names, account ids or free text.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from edu.csv_export import csv_bytes
from edu.extensions import db
from edu.insights.terms import school_term_of
from edu.mixing import iso_week
from edu.models import Classroom, Student, SurveyAnswer, SurveySubmission

COLUMNS = ("row_id", "response_id", "pair_id", "phase", "period", "period_unit", "age_band", "country", "language",
           "survey_id", "item_id", "scale", "value")


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


K = 10  # every combination of the descriptive fields covers at least this many students
# Coarsening, from the finest to the coarsest: the period's unit, and whether language and country are kept.
LEVELS = (("week", True, True), ("month", True, True), ("term", True, True), ("term", False, True),
          ("term", False, False))


def _period(moment, unit: str, school) -> str:
    if unit == "week":
        return iso_week(moment)
    if unit == "month":
        return f"{moment.year}-{moment.month:02d}"
    return "term " + school_term_of(moment, school).key


@dataclass
class Response:
    """One student's linked answers in one phase, with what describes them."""

    student_id: int
    phase: str
    submitted_at: object
    band: str
    country: str
    language: str
    answers: list[tuple[str, str | None]]


def _responses(school_id: int, survey_id: str) -> list[Response]:
    submitted = {(s.student_id, s.phase): s.submitted_at for s in db.session.scalars(
        select(SurveySubmission).join(Student, Student.id == SurveySubmission.student_id)
        .join(Classroom, Classroom.id == Student.classroom_id).where(Classroom.school_id == school_id))}
    responses: dict[tuple[int, str], Response] = {}
    for student_id, phase, item_id, value, band, country, locale in db.session.execute(
            select(SurveyAnswer.student_id, SurveyAnswer.phase, SurveyAnswer.item_id, SurveyAnswer.value,
                   Classroom.age_band, Classroom.country, Classroom.locale)
            .join(Student, Student.id == SurveyAnswer.student_id).join(Classroom, Classroom.id == Student.classroom_id)
            .where(Classroom.school_id == school_id, SurveyAnswer.survey_id == survey_id)):
        moment = submitted.get((student_id, phase))
        if moment is None:
            continue  # answers without a submission are not exported (no period to give them)
        response = responses.setdefault((student_id, phase), Response(student_id, phase, moment, band, country,
                                                                       locale, []))
        response.answers.append((item_id, value))
    return list(responses.values())


def describe(response: Response, level: tuple[str, bool, bool], school) -> dict[str, str]:
    unit, language, country = level
    return {"phase": response.phase, "period": _period(response.submitted_at, unit, school), "period_unit": unit,
            "age_band": response.band, "country": response.country if country else "",
            "language": response.language if language else ""}


def _records(responses: list[Response], linked: bool) -> dict[tuple, list[Response]]:
    """The unit an attacker sees: with pair ids, a student's pre and post together (their descriptions
    joined); without, each response alone. Returns {record: responses}."""
    by_unit: dict[tuple, list[Response]] = {}
    for response in responses:
        unit = (response.student_id,) if linked else (response.student_id, response.phase)
        by_unit.setdefault(unit, []).append(response)
    return {unit: sorted(group, key=lambda r: r.phase) for unit, group in by_unit.items()}


def stratum(group: list[Response], level, school) -> tuple:
    return tuple(tuple(sorted(describe(r, level, school).items())) for r in group)


def k_anonymous(responses: list[Response], school, linked: bool, k: int = K):
    """The finest level at which every stratum (a combination of the descriptive fields a student's rows carry)
    covers at least k students, and the responses kept: at the coarsest level, strata still below k are left
    out whole."""
    level = LEVELS[-1]
    for candidate in LEVELS:
        counts = Counter(stratum(g, candidate, school) for g in _records(responses, linked).values())
        if all(n >= k for n in counts.values()):
            return candidate, responses
    records = _records(responses, linked)
    counts = Counter(stratum(g, level, school) for g in records.values())
    kept = [r for g in records.values() if counts[stratum(g, level, school)] >= k for r in g]
    return level, kept


def export_rows(school, survey, key: bytes | None, k: int = K) -> list[dict]:
    """Rows of linked answers only, k-anonymous over their descriptive fields (module docstring)."""
    items = {i.id: i for i in survey.items}
    level, responses = k_anonymous(_responses(school.id, survey.id), school, key is not None, k)
    rows: list[dict] = []
    for response in responses:
        described = describe(response, level, school)
        response_id = secrets.token_hex(8)
        for item_id, value in response.answers:
            item = items.get(item_id)
            rows.append({"response_id": response_id, "pair_id": pair_id(key, response.student_id), **described,
                         "survey_id": survey.id, "item_id": item_id, "scale": item.scale if item else "",
                         "value": value or ""})
    secrets.SystemRandom().shuffle(rows)  # no order to link rows by
    for row in rows:
        row["row_id"] = secrets.token_hex(8)
    return [{column: row[column] for column in COLUMNS} for row in rows]


def to_csv(rows: list[dict]) -> bytes:
    """Every text cell neutralised against spreadsheet formulas (edu/csv_export.py)."""

    return csv_bytes(rows, COLUMNS)
