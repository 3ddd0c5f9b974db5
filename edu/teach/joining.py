"""Joining a class by code closes by itself ``JOINING_OPEN_DAYS`` after it was last opened (when the class was
created, or when the teacher reopened it; classes that existed before this rule count from its migration), so a
code copied into a group chat stops letting strangers in. Signing in with the code, a pseudonym and a PIN is
not affected."""

from __future__ import annotations

from datetime import datetime, timedelta

JOINING_OPEN_DAYS = 14


def closes_at(classroom) -> datetime:
    return classroom.joining_opened_at + timedelta(days=JOINING_OPEN_DAYS)


def joining_is_open(classroom, now: datetime) -> bool:
    return bool(classroom.joining_open) and classroom.archived_at is None and now < closes_at(classroom)
