"""The mixing buffer (edu/mixing.py) against an attacker holding a copy of the database and the logs.

Students of a school submit the survey one by one, each in their own transaction, as through the app; then the
attacker tries to link each `identity: none` row to the student who gave it by what the database keeps beside
the value: the storage order (SQLite rowid, PostgreSQL ctid), the primary key, the transaction id (PostgreSQL
xmin, against each student's survey_submissions row) and any time. Over 1,000 rows, none does better than
1/k + 0.05 (k = the batch size, 10): the chance of guessing right among the batch.

The ground truth comes from the buffer itself: each final row's random id is drawn at submission and travels in
the pending row, which the test reads before the batch is written.
"""

from __future__ import annotations

import json
import logging
import random
from collections import defaultdict

import pytest
from sqlalchemy import func, select, text

from edu import mixing
from edu.content_service import catalog
from edu.extensions import db
from edu.learn import surveys
from edu.models import AnonymousSurveyAnswer, PendingAnonymous, Student, SurveySubmission, utcnow
from edu.teach import services as teach
from tests import factories

CLASSES, STUDENTS = 4, 30  # 120 students x 2 phases x 5 anonymous items: 1,200 rows
TRIALS = 1000
BOUND = 1 / mixing.BATCH_STUDENTS + 0.05


def _answers(survey, rng: random.Random) -> dict[str, str | None]:
    answers: dict[str, str | None] = {}
    for item in survey.items:
        if item.type == "knowledge":
            answers[item.id] = rng.choice(item.options).id
        else:
            answers[item.id] = rng.choice([factories.survey_value(item, n) for n in range(5)] + [None])
    return answers


def _school(classes: int = 1, students: int = 12):
    """Classes of students made directly with one shared PIN hash (none of them signs in)."""
    teacher = factories.teacher("mix@school.kr")
    made = []
    for number in range(classes):
        classroom = factories.classroom(teacher, name=f"mix {number}", locale="en", age_band="high")
        for kind in ("pre_survey", "post_survey"):
            teach.assign(classroom, kind, "prepost")
        members = [Student(classroom=classroom, pseudonym=f"Mixer {number}-{i}", pin_hash="-") for i in range(students)]
        db.session.add_all(members)
        made.append((classroom, members))
    db.session.commit()
    return teacher, made


def _submit_everyone(classes, phases) -> tuple[dict[str, int], list[int]]:
    """Every student submits each phase, interleaved across classes in a random order, each in a transaction of
    their own followed by the app's batch check. Returns {final row id: student id} and the submitters in
    order."""
    survey = catalog().survey("prepost", "en")
    rng = random.Random(28)
    owner: dict[str, int] = {}
    order: list[int] = []
    for phase in phases:
        queue = [(classroom, student) for classroom, students in classes for student in students]
        rng.shuffle(queue)
        for classroom, student in queue:
            before = set(db.session.scalars(select(PendingAnonymous.id)))
            surveys.submit_survey(student, survey, phase, _answers(survey, rng))
            db.session.commit()
            (mine,) = [p for p in db.session.scalars(select(PendingAnonymous)) if p.id not in before]
            owner.update({answer_id: student.id for answer_id, *_rest in json.loads(mine.payload)})
            order.append(student.id)
            mixing.flush_ready(classroom.id)
    return owner, order


def _position_column() -> str:
    return "ctid" if db.engine.dialect.name == "postgresql" else "rowid"


def _guess_by_rank(rows: list[tuple[str, str, str, int]], submitters: dict[tuple[int, str], list[int]]):
    """rows: (id, item, phase, classroom) in the attacker's order; the i-th row of an item in a class and phase is
    guessed to be the i-th submitter's."""
    seen: dict[tuple, int] = defaultdict(int)
    guesses = {}
    for row_id, item_id, phase, classroom_id in rows:
        key = (classroom_id, phase, item_id)
        rank = seen[key]
        seen[key] += 1
        candidates = submitters[(classroom_id, phase)]
        guesses[row_id] = candidates[min(rank, len(candidates) - 1)]
    return guesses


def _success(guesses: dict[str, int], owner: dict[str, int]) -> float:
    trials = list(guesses)[:TRIALS]
    assert len(trials) == TRIALS
    return sum(guesses[t] == owner[t] for t in trials) / len(trials)


def _attacks() -> dict[str, float]:
    """Build a school, let everyone submit both phases, and return each attack's rate of success."""
    if db.engine.dialect.name == "postgresql":
        # Fresh pages, so ctid follows the order rows were written (the attacker's best case): after earlier tests'
        # deletes, PostgreSQL would fill the free space in any order and hide what the storage-order attack measures.
        db.session.execute(text("TRUNCATE anonymous_survey_answers"))
        db.session.commit()
    _teacher, classes = _school(CLASSES, STUDENTS)
    owner, _order = _submit_everyone(classes, ("pre", "post"))
    factories.write_anonymous_batches()  # none left when the class sizes are multiples of the batch
    assert db.session.scalar(select(func.count()).select_from(AnonymousSurveyAnswer)) == len(owner) >= TRIALS

    class_of = {s.id: c.id for c, students in classes for s in students}
    submissions = list(db.session.scalars(select(SurveySubmission).order_by(SurveySubmission.id)))
    submitters: dict[tuple[int, str], list[int]] = defaultdict(list)
    for sub in submissions:
        submitters[(class_of[sub.student_id], sub.phase)].append(sub.student_id)
    columns = "id, item_id, phase, classroom_id"
    position = _position_column()
    results = {}
    # 1. Storage order (rowid / ctid) against the order of submission.
    rows = db.session.execute(text(f"SELECT {columns} FROM anonymous_survey_answers ORDER BY {position}")).all()
    results["storage order"] = _success(_guess_by_rank(rows, submitters), owner)
    # 2. Primary key order.
    rows = db.session.execute(text(f"SELECT {columns} FROM anonymous_survey_answers ORDER BY id")).all()
    results["primary key"] = _success(_guess_by_rank(rows, submitters), owner)
    # 3. Time: the week kept on the row against each submission's exact time; ties broken at random.
    rng = random.Random(1)
    guesses = {}
    for row_id, week, phase, classroom_id in db.session.execute(
            select(AnonymousSurveyAnswer.id, AnonymousSurveyAnswer.week, AnonymousSurveyAnswer.phase,
                   AnonymousSurveyAnswer.classroom_id)):
        same_week = [s.student_id for s in submissions if s.phase == phase and class_of[s.student_id] == classroom_id
                     and mixing.iso_week(s.submitted_at) == week]
        guesses[row_id] = rng.choice(same_week)
    results["week"] = _success(guesses, owner)
    # 4. PostgreSQL transaction ids: the submission whose xmin is the closest before the row's.
    if db.engine.dialect.name == "postgresql":
        xmins = sorted((int(x), sid, phase) for x, sid, phase in db.session.execute(
            text("SELECT xmin::text, student_id, phase FROM survey_submissions")))
        guesses = {}
        for row_id, xmin, phase, classroom_id in db.session.execute(
                text("SELECT id, xmin::text, phase, classroom_id FROM anonymous_survey_answers")):
            before = [sid for x, sid, p in xmins if x <= int(xmin) and p == phase and class_of[sid] == classroom_id]
            guesses[row_id] = before[-1]
        results["xmin"] = _success(guesses, owner)
    return results


def test_no_attack_links_an_anonymous_answer_better_than_one_in_k(app, ctx):
    results = _attacks()
    print("attack success rates", results)
    assert set(results) >= {"storage order", "primary key", "week"}
    assert all(rate <= BOUND for rate in results.values()), results
    if db.engine.dialect.name == "postgresql":
        batches = db.session.execute(text("SELECT count(DISTINCT xmin::text) FROM anonymous_survey_answers")).scalar()
        assert batches == CLASSES * 2 * STUDENTS // mixing.BATCH_STUDENTS  # one transaction per batch


def test_the_attacks_do_link_answers_written_as_they_come(app, ctx, monkeypatch):
    """The same attacks against rows written one student at a time in order (as before the buffer): they work,
    so the test above measures the buffer, not a weak attacker."""
    monkeypatch.setattr(mixing, "BATCH_STUDENTS", 1)
    monkeypatch.setattr(mixing, "_shuffle", lambda rows: None)
    results = _attacks()
    print("attack success rates without mixing", results)
    # SQLite's rowid follows the write order; on PostgreSQL the ctid need not (free space is reused), but xmin does.
    assert max(results["storage order"], results.get("xmin", 0)) > 0.9, results
    if db.engine.dialect.name == "postgresql":
        assert results["xmin"] > 0.9, results


def test_a_batch_waits_for_ten_students_or_the_end_of_its_window(app, ctx):
    _teacher, classes = _school()
    classroom, students = classes[0]
    survey = catalog().survey("prepost", "en")
    for student in students[:9]:
        surveys.submit_survey(student, survey, "pre", _answers(survey, random.Random(student.id)))
        db.session.commit()
        assert mixing.flush_ready(classroom.id) == 0
    assert db.session.scalar(select(func.count()).select_from(AnonymousSurveyAnswer)) == 0
    assert mixing.flush_closed() == 0  # the window is still open
    pending = db.session.scalars(select(PendingAnonymous)).all()
    assert len(pending) == 9 and all(p.week.count("-W") == 1 for p in pending)
    # The window closes (its end date passes): the daily `insights release` writes the batch of nine.
    assignment = next(a for a in classroom.assignments if a.kind == "pre_survey")
    assignment.due_at = utcnow()
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["insights", "release"])
    assert result.exit_code == 0, result.output
    assert "9 students' batches" in result.output
    assert db.session.scalar(select(func.count()).select_from(PendingAnonymous)) == 0
    weeks = set(db.session.scalars(select(AnonymousSurveyAnswer.week)))
    assert len(weeks) == 1  # one week for the whole batch


def test_closing_the_survey_writes_the_batch_before_the_figures(app, ctx):
    teacher, classes = _school()
    classroom, students = classes[0]
    survey = catalog().survey("prepost", "en")
    for student in students[:4]:
        surveys.submit_survey(student, survey, "pre", _answers(survey, random.Random(student.id)))
        db.session.commit()
    client = app.test_client()
    factories.sign_in_staff(client, "mix@school.kr")
    response = client.post(f"/teach/classes/{classroom.id}/outcomes/release", data={"phase": "pre"})
    assert response.status_code in (302, 303), response.status_code
    anonymous_items = [i for i in survey.items if i.identity == "none"]
    assert db.session.scalar(select(func.count()).select_from(AnonymousSurveyAnswer)) == 4 * len(anonymous_items)
    assert db.session.scalar(select(func.count()).select_from(PendingAnonymous)) == 0


def test_a_removed_students_anonymous_answers_stay_whether_written_or_waiting(app, ctx):
    """docs/privacy.md: nothing ties them to the student, so removing the student cannot find them: they stay,
    and count in the class's figures, whether their batch was written or still waits."""
    _teacher, classes = _school()
    classroom, students = classes[0]
    survey = catalog().survey("prepost", "en")
    anonymous_items = [i for i in survey.items if i.identity == "none"]
    for student in students[:10]:
        surveys.submit_survey(student, survey, "pre", _answers(survey, random.Random(student.id)))
        db.session.commit()
        mixing.flush_ready(classroom.id)
    surveys.submit_survey(students[10], survey, "pre", _answers(survey, random.Random(0)))
    db.session.commit()
    teach.remove_student(classroom, students[0])  # in the written batch
    teach.remove_student(classroom, students[10])  # still waiting
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(PendingAnonymous)) == 1
    factories.write_anonymous_batches()
    assert db.session.scalar(select(func.count()).select_from(AnonymousSurveyAnswer)) == 11 * len(anonymous_items)


def test_poll_votes_wait_for_the_poll_to_close_and_the_teacher_sees_the_totals_at_once(app, ctx):
    _teacher, classes = _school()
    classroom, students = classes[0]
    from edu.models import LivePoll, PollVote
    from edu.safeguarding import services as safe

    poll = safe.open_poll(classroom, "lesson", "block")
    db.session.commit()
    for index, student in enumerate(students[:6]):
        safe.vote(poll, student.id, "a" if index % 2 else "b", {"a", "b"})
        db.session.commit()
        mixing.flush_ready(classroom.id)
    assert db.session.scalar(select(func.count()).select_from(PollVote)) == 0
    assert safe.poll_counts(poll) == (6, {"a": 3, "b": 3})
    client = app.test_client()
    factories.sign_in_staff(client, "mix@school.kr")
    client.post(f"/teach/classes/{classroom.id}/polls/{poll.id}/close")
    assert db.session.get(LivePoll, poll.id).closed_at is not None
    assert db.session.scalar(select(func.count()).select_from(PollVote)) == 6
    assert db.session.scalar(select(func.count()).select_from(PendingAnonymous)) == 0
    assert safe.poll_counts(poll) == (6, {"a": 3, "b": 3})


@pytest.mark.parametrize("action", ["survey", "poll", "ask"])
def test_no_log_line_of_an_anonymous_action_names_the_student(app, ctx, caplog, action):
    """Whatever logs (requests, the buffer), no line written while students act anonymously holds their ids,
    including the request whose submission completes a batch and writes it."""
    teacher = factories.teacher("logs@school.kr")
    classroom = factories.classroom(teacher, name="logs", locale="en", age_band="high")
    teach.assign(classroom, "module", "consent")
    teach.assign(classroom, "pre_survey", "prepost")
    db.session.commit()
    students = [factories.student(classroom) for _ in range(mixing.BATCH_STUDENTS)]
    survey = catalog().survey("prepost", "en")
    if action == "poll":
        lesson, block = next((ls, b) for ls in catalog().lessons_for("consent", "en", region="KR")
                             for b in ls.blocks("poll"))
        staff = app.test_client()
        factories.sign_in_staff(staff, "logs@school.kr")
        staff.post(f"/teach/classes/{classroom.id}/polls", data={"lesson": lesson.id, "block": block.id})
    clients = []
    for student, pin in students:
        client = app.test_client()
        factories.sign_in_student(client, classroom, student, pin)
        clients.append(client)
    caplog.clear()
    caplog.set_level(logging.DEBUG)
    for client in clients:
        if action == "survey":
            response = client.post("/learn/survey/pre", data={f"i-{item.id}": "skip" for item in survey.items})
        elif action == "poll":
            response = client.post("/learn/poll", data={"option": block.options[0].id})
        else:
            response = client.post("/learn/ask", data={"text": "is it my fault?"})
        assert response.status_code in (200, 302)
    if action != "ask":
        assert db.session.scalar(select(func.count()).select_from(PendingAnonymous)) == 0  # the batch was written
    lines = [caplog.handler.format(record) if caplog.handler.formatter else record.getMessage()
             for record in caplog.records]
    fields = [json.dumps(getattr(record, "fields", {})) for record in caplog.records]
    assert caplog.records
    for student, _pin in students:
        for line in [*lines, *fields]:
            assert f"s:{student.id}" not in line and student.pseudonym not in line
    assert all(getattr(r, "fields", {}).get("user", "-") == "-" for r in caplog.records)


def test_no_attack_links_a_poll_vote_better_than_one_in_k(app, ctx):
    """Live polls: 50 polls of a class of 20, each student voting once in a random order. The attacker matches
    the votes' storage order, ids and transaction ids to the "has voted" rows (poll_voters, one per student,
    written in the student's transaction in the order they voted)."""
    from edu.models import PollVote
    from edu.safeguarding import services as safe

    _teacher, [(classroom, students)] = _school(1, 20)
    rng = random.Random(7)
    owner: dict[str, int] = {}
    for _poll in range(TRIALS // len(students)):
        poll = safe.open_poll(classroom, "lesson", "block")
        db.session.commit()
        mixing.flush_closed(classroom.id)
        for student in rng.sample(students, len(students)):
            before = set(db.session.scalars(select(PendingAnonymous.id)))
            safe.vote(poll, student.id, rng.choice("ab"), {"a", "b"})
            db.session.commit()
            (mine,) = [p for p in db.session.scalars(select(PendingAnonymous)) if p.id not in before]
            owner.update({vote_id: student.id for vote_id, _option in json.loads(mine.payload)})
            mixing.flush_ready(classroom.id)
    assert db.session.scalar(select(func.count()).select_from(PollVote)) == len(owner) == TRIALS
    position = _position_column()
    voters: dict[int, list[int]] = defaultdict(list)  # per poll, the voters in the order they voted
    for poll_id, student_id in db.session.execute(text(f"SELECT poll_id, student_id FROM poll_voters "
                                                       f"ORDER BY {position}")):
        voters[poll_id].append(student_id)
    results = {}
    for name, order in (("storage order", position), ("primary key", "id")):
        seen: dict[int, int] = defaultdict(int)
        guesses = {}
        for vote_id, poll_id in db.session.execute(text(f"SELECT id, poll_id FROM poll_votes ORDER BY {order}")):
            guesses[vote_id] = voters[poll_id][seen[poll_id]]
            seen[poll_id] += 1
        results[name] = _success(guesses, owner)
    if db.engine.dialect.name == "postgresql":
        xmins = sorted((int(x), p, s) for x, p, s in db.session.execute(
            text("SELECT xmin::text, poll_id, student_id FROM poll_voters")))
        guesses = {}
        for vote_id, xmin, poll_id in db.session.execute(text("SELECT id, xmin::text, poll_id FROM poll_votes")):
            guesses[vote_id] = [s for x, p, s in xmins if x <= int(xmin) and p == poll_id][-1]
        results["xmin"] = _success(guesses, owner)
    print("poll attack success rates", results)
    assert all(rate <= BOUND for rate in results.values()), results


def test_a_writer_that_claims_fewer_than_a_batch_writes_nothing(app, ctx):
    """On PostgreSQL two writers may start on the same group at once; the second claims only what the first
    left (perhaps one student's rows). It must then write nothing: the rows stay pending for a full batch."""
    _teacher, [(classroom, students)] = _school(1, 12)
    survey = catalog().survey("prepost", "en")
    for student in students[:3]:
        surveys.submit_survey(student, survey, "pre", _answers(survey, random.Random(student.id)))
        db.session.commit()
    group = mixing.survey_group("prepost", "pre")
    with pytest.raises(mixing.TooFew):
        mixing.write_batch(classroom.id, group, minimum=mixing.BATCH_STUDENTS)
    db.session.rollback()
    assert mixing.pending_groups(classroom.id) == [(classroom.id, group, 3)]
    assert db.session.scalar(select(func.count()).select_from(AnonymousSurveyAnswer)) == 0
