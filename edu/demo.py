"""Demo data for trying Boundaries out: fictional school, staff, two classes, students with some work.

Idempotent: running it again finds what exists and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from edu.auth.secrets import hash_pin
from edu.auth.services import create_account, find_account
from edu.demo_work import add_demo_work
from edu.extensions import db
from edu.models import Classroom, ClassTeacher, School, Student

DEMO_SCHOOL = "하늘중학교 (Demo)"
DEMO_PASSWORD = "demo-pass-2026"
DEMO_STAFF = (
    ("teacher", "teacher@demo.boundaries.test"),
    ("author", "author@demo.boundaries.test"),
    ("admin", "admin@demo.boundaries.test"),
)
DEMO_CLASSES = (
    # name, locale, age band, country, join code, pseudonyms
    ("2학년 3반", "ko", "middle", "KR", "DEMKR7",
     ("파란 수달 17", "용감한 여우 23", "조용한 고래 31", "밝은 펭귄 42", "다정한 사슴 55", "씩씩한 곰 68")),
    ("Year 10 Blue", "en", "high", "GB", "DEMEN7",
     ("Blue Otter 17", "Brave Fox 23", "Quiet Whale 31", "Bright Penguin 42", "Kind Deer 55")),
)
DEMO_PIN = "246810"
# The demo admin's two-step sign-in key (admins must use one): add it to any authenticator app.
DEMO_ADMIN_TOTP = "BOUNDARIESDEMOADMINKEYABCDEFGHIJ"


@dataclass
class DemoReport:
    created: bool
    staff: list[tuple[str, str]] = field(default_factory=list)
    classes: list[tuple[str, str, list[str]]] = field(default_factory=list)


def load_demo() -> DemoReport:
    school = db.session.scalar(select(School).where(School.name == DEMO_SCHOOL))
    created = school is None
    if school is None:
        school = School(name=DEMO_SCHOOL, country="KR", timezone="Asia/Seoul",
                        guardian_consent_on=date(2026, 3, 2), guardian_consent_method="가정통신문 동의서 (demo)")
        db.session.add(school)
        db.session.flush()
    for role, email in DEMO_STAFF:
        if find_account(email) is None:
            account = create_account(role, email, DEMO_PASSWORD, school, locale=None)
            if role == "admin":
                account.totp_secret = DEMO_ADMIN_TOTP
    teacher = find_account(DEMO_STAFF[0][1])
    report = DemoReport(created=created, staff=[(role, email) for role, email in DEMO_STAFF])
    for name, locale, band, country, code, pseudonyms in DEMO_CLASSES:
        classroom = db.session.scalar(select(Classroom).where(Classroom.join_code == code))
        if classroom is None:
            classroom = Classroom(school=school, name=name, locale=locale, age_band=band,
                                  country=country, join_code=code)
            db.session.add(classroom)
            db.session.flush()
            db.session.add(ClassTeacher(classroom_id=classroom.id, account_id=teacher.id))
            pin_hash = hash_pin(DEMO_PIN)
            for pseudonym in pseudonyms:
                db.session.add(Student(classroom=classroom, pseudonym=pseudonym, pin_hash=pin_hash))
            db.session.flush()

            add_demo_work(classroom)
        # Only the demo's own students share the demo PIN: anyone who joined the class later has their own.
        report.classes.append((name, code, [s.pseudonym for s in classroom.students if s.pseudonym in pseudonyms]))
    db.session.flush()
    return report
