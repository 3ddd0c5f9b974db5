"""The mixing buffer: `identity: none` survey answers and live poll votes are held apart, then written to their
final tables (anonymous_survey_answers, poll_votes) in shuffled batches, each in a transaction of its own
(docs/decisions.md "Anonymous answers in batches").

- **Holding**: a submission adds one ``anonymous_pending`` row (no student column, a random id, the ISO week)
  in the student's own transaction, so it is kept exactly when the submission is (a killed worker loses
  neither or both). Each final row's random id is drawn then and travels in the row's payload.
- **Batches** are per class and group (a survey phase, or one poll), since the final rows name the class: a
  row is then one of at least ``BATCH_STUDENTS`` students of its class. A group is written when that many
  students are pending, and at the latest when its survey window closes (its end date, or the teacher closing
  it) or its poll closes; ``flask --app edu insights release`` (daily) also writes every closed group.
- **Writing** claims the group's rows with ``DELETE ... RETURNING`` (a row is claimed once, whatever runs at the
  same time), shuffles every answer of the batch together and inserts them in that order under the batch's one
  week (the latest of its students'), in a transaction that holds nothing else. Final rows therefore carry no
  insertion order, id order, transaction id or time finer than the batch that could tell them apart.

Services flush, never commit, except ``flush_ready`` and ``flush_closed``, which write each batch in its own
transaction (call them after the request's own commit).
"""

from __future__ import annotations

import json
import logging
import secrets
from collections import Counter

from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import SQLAlchemyError

from edu.extensions import db
from edu.models import (
    AnonymousSurveyAnswer,
    Assignment,
    Classroom,
    LivePoll,
    PendingAnonymous,
    PollVote,
    random_id,
    utcnow,
)

BATCH_STUDENTS = 10
logger = logging.getLogger("edu.mixing")
_shuffle = secrets.SystemRandom().shuffle


def iso_week(moment) -> str:
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def survey_group(survey_id: str, phase: str) -> str:
    return f"survey:{survey_id}:{phase}"


def poll_group(poll_id: int) -> str:
    return f"poll:{poll_id}"


def hold_survey_answers(classroom_id: int, survey_id: str, phase: str, answers: list[tuple[str, str | None]],
                        week: str) -> None:
    """Hold one student's `identity: none` answers (item id, value) until their class's batch is written."""
    if not answers:
        return
    payload = [[random_id(), item_id, value] for item_id, value in answers]
    db.session.add(PendingAnonymous(classroom_id=classroom_id, group_key=survey_group(survey_id, phase),
                                    week=week, payload=json.dumps(payload)))


def hold_poll_vote(poll: LivePoll, option_id: str, week: str) -> None:
    db.session.add(PendingAnonymous(classroom_id=poll.classroom_id, group_key=poll_group(poll.id), week=week,
                                    payload=json.dumps([[random_id(), option_id]])))


def pending_poll_votes(poll: LivePoll) -> Counter:
    """The options of the poll's votes not written yet (counts only, for the teacher's live totals)."""
    counts: Counter = Counter()
    for payload in db.session.scalars(select(PendingAnonymous.payload).where(
            PendingAnonymous.classroom_id == poll.classroom_id, PendingAnonymous.group_key == poll_group(poll.id))):
        counts.update(option for _id, option in json.loads(payload))
    return counts


class TooFew(Exception):
    """Fewer rows were claimed than the batch needs (another writer took the others first): roll back."""


def write_batch(classroom_id: int, group_key: str, minimum: int = 1) -> int:
    """Claim the group's pending rows and write their answers, shuffled, to the final table; returns how many
    students' rows were written. ``TooFew`` when fewer than ``minimum`` students' rows could be claimed (on
    PostgreSQL a writer that ran at the same time may have taken most of them): the caller rolls back, so no
    batch smaller than it should be is ever written. Flushes, never commits: the caller commits it alone."""
    claimed = db.session.execute(delete(PendingAnonymous).where(
        PendingAnonymous.classroom_id == classroom_id, PendingAnonymous.group_key == group_key)
        .returning(PendingAnonymous.week, PendingAnonymous.payload)).all()
    if len(claimed) < max(1, minimum):
        raise TooFew(group_key)
    week = max(row.week for row in claimed)
    kind, _, rest = group_key.partition(":")
    rows: list[dict] = []
    if kind == "survey":
        survey_id, _, phase = rest.rpartition(":")
        for row in claimed:
            rows.extend({"id": answer_id, "classroom_id": classroom_id, "survey_id": survey_id, "phase": phase,
                         "item_id": item_id, "value": value, "week": week}
                        for answer_id, item_id, value in json.loads(row.payload))
        model = AnonymousSurveyAnswer
    else:
        poll_id = int(rest)
        for row in claimed:
            rows.extend({"id": vote_id, "poll_id": poll_id, "option_id": option}
                        for vote_id, option in json.loads(row.payload))
        if db.session.get(LivePoll, poll_id) is None:
            return len(claimed)  # the poll is gone (its class deleted): so are its votes
        model = PollVote
    _shuffle(rows)
    for row in rows:  # one statement per row, in the shuffled order: the storage order is that order
        db.session.execute(insert(model).values(**row))
    db.session.flush()
    return len(claimed)


def pending_groups(classroom_id: int | None = None) -> list[tuple[int, str, int]]:
    query = (select(PendingAnonymous.classroom_id, PendingAnonymous.group_key, func.count())
             .group_by(PendingAnonymous.classroom_id, PendingAnonymous.group_key))
    if classroom_id is not None:
        query = query.where(PendingAnonymous.classroom_id == classroom_id)
    return [(c, g, int(n)) for c, g, n in db.session.execute(query).all()]


def _write_each(groups: list[tuple[int, str, int]]) -> int:
    """Write each group's batch (classroom, group, the fewest students it may have) in a transaction of its own;
    a failure is logged (no user, no content) and left for the next try: the rows stay pending."""
    written = 0
    for classroom_id, group_key, minimum in groups:
        try:
            written += write_batch(classroom_id, group_key, minimum)
            db.session.commit()
        except TooFew:
            db.session.rollback()
        except SQLAlchemyError:
            db.session.rollback()
            logger.warning("mixing batch not written; it stays pending", extra={"fields": {"group": group_key}})
    return written


def flush_ready(classroom_id: int) -> int:
    """After a student's submission is committed: write the class's groups that have enough students."""
    ready = [(c, g, BATCH_STUDENTS) for c, g, n in pending_groups(classroom_id) if n >= BATCH_STUDENTS]
    db.session.commit()  # the count's read ends here: each batch is a transaction of its own
    return _write_each(ready)


def _closed(classroom_id: int, group_key: str, now) -> bool:
    kind, _, rest = group_key.partition(":")
    if kind == "poll":
        poll = db.session.get(LivePoll, int(rest))
        return poll is None or poll.closed_at is not None
    phase = rest.rpartition(":")[2]
    classroom = db.session.get(Classroom, classroom_id)
    assignment = db.session.scalar(select(Assignment).where(Assignment.classroom_id == classroom_id,
                                                            Assignment.kind == f"{phase}_survey"))
    return (classroom is None or classroom.archived_at is not None or assignment is None
            or (assignment.due_at is not None and assignment.due_at <= now))


def flush_closed(classroom_id: int | None = None, now=None) -> int:
    """Write every group (of one class, or all) that is ready or whose survey window or poll has closed.
    Returns how many students' rows were written."""
    now = now or utcnow()
    due = []
    for c, g, n in pending_groups(classroom_id):
        closed = _closed(c, g, now)
        if closed or n >= BATCH_STUDENTS:
            due.append((c, g, 1 if closed else BATCH_STUDENTS))
    db.session.commit()
    return _write_each(due)


def flush_group_now(classroom_id: int, group_key: str) -> int:
    """Write one group at once, whatever its size (the teacher closed its survey window or poll)."""
    db.session.commit()
    return _write_each([(classroom_id, group_key, 1)])
