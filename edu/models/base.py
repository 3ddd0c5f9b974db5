"""Shared column helpers and the small vocabularies of the schema."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

ROLES = ("student", "teacher", "author", "admin")
STAFF_ROLES = ("teacher", "author", "admin")
AGE_BANDS = ("middle", "high", "university")
QUIZ_POLICIES = ("best", "latest")
QUIZ_REVIEWS = ("now", "after_due")  # when students see the answers and explanations: at once, or after the due date


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def random_id() -> str:
    return uuid.uuid4().hex
