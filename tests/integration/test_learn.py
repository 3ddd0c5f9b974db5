"""The student's path through the Flask test client: join → lesson → quiz → survey → my data."""

from __future__ import annotations

import json
import threading

import pytest
from sqlalchemy import func, select

from edu.content_service import catalog
from edu.extensions import db
from edu.models import (
    AnonymousSurveyAnswer,
    BlockResponse,
    LessonProgress,
    PendingAnonymous,
    QuizAnswer,
    QuizAttempt,
    Reflection,
    SurveyAnswer,
    SurveySubmission,
)
from edu.teach import services as teach
from tests import factories


@pytest.fixture
def setup(app, ctx):
    """A Korean class with the consent module and the closing survey assigned, and one signed-in student (an open
    pre-survey would come before the lessons: `with_pre_survey` assigns it)."""
    classroom = factories.classroom(factories.teacher(), locale="en", country="KR")
    teach.assign(classroom, "module", "consent")
    teach.assign(classroom, "post_survey", "prepost")
    db.session.commit()
    student, pin = factories.student(classroom)
    client = app.test_client()
    factories.sign_in_student(client, classroom, student, pin)
    lesson = catalog().lessons_for("consent", "en", region="KR")[0]
    quiz = catalog().quiz_for("consent", "en", "KR")
    return {"classroom": classroom, "student": student, "pin": pin, "client": client, "lesson": lesson,
            "quiz": quiz}


def with_pre_survey(setup) -> None:
    teach.assign(setup["classroom"], "pre_survey", "prepost")
    db.session.commit()


def count(model, **where) -> int:
    db.session.commit()  # a fresh transaction sees what the requests wrote
    query = select(func.count()).select_from(model)
    for key, value in where.items():
        query = query.where(getattr(model, key) == value)
    return db.session.scalar(query)


def blocks(lesson, kind):
    return [(index, seg) for index, step in enumerate(lesson.steps) for seg in step.segments if seg.kind == kind]


def correct_choice(question):
    ids = [o.id for o in question.options if o.correct]
    return ids


def test_home_lists_assigned_modules_and_surveys(setup):
    with_pre_survey(setup)
    html = setup["client"].get("/learn/").get_data(as_text=True)
    assert setup["lesson"].title in html
    assert setup["quiz"].title in html
    assert "/learn/survey/pre" in html
    for banned in ("points", "streak", "rank", "leaderboard"):
        assert banned not in html.lower()


def test_full_lesson_path_with_scenario_check_and_reflection(setup):
    client, lesson = setup["client"], setup["lesson"]
    url = f"/learn/lesson/{lesson.id}"
    first = client.get(url)
    assert first.status_code == 200 and lesson.steps[0].title in first.get_data(as_text=True)

    step_index, scenario = blocks(lesson, "scenario")[0]
    choice = scenario.choices[0]
    response = client.post(f"{url}/block/{scenario.id}", data={"choice": choice.id})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You chose:" in page
    # Trying another choice replaces the first (no score, no penalty).
    client.post(f"{url}/block/{scenario.id}", data={"choice": scenario.choices[1].id})
    assert db.session.scalar(select(BlockResponse.choice).where(BlockResponse.block_id == scenario.id)) == \
        scenario.choices[1].id

    finish = client.post(f"{url}/finish")
    assert finish.status_code == 302  # checks are not answered yet: sent back with the list
    assert "Before you finish" in client.get(finish.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(select(LessonProgress.completed_at)) is None

    for _, check in blocks(lesson, "check"):
        client.post(f"{url}/block/{check.id}", data={"choice": check.options[0].id})
    for _, reflection in blocks(lesson, "reflection"):
        client.post(f"{url}/block/{reflection.id}", data={"text": "Something private"})
    assert count(Reflection) == len(blocks(lesson, "reflection"))

    done = client.post(f"{url}/finish")
    assert done.headers["Location"].endswith("/learn/")
    db.session.commit()  # end the test's transaction: see what the requests wrote
    assert db.session.scalar(select(LessonProgress.completed_at)) is not None


def test_resume_on_the_step_last_seen_on_another_device(app, setup):
    client, lesson = setup["client"], setup["lesson"]
    client.get(f"/learn/lesson/{lesson.id}?step=3")
    other_device = app.test_client()
    factories.sign_in_student(other_device, setup["classroom"], setup["student"], setup["pin"])
    page = other_device.get(f"/learn/lesson/{lesson.id}").get_data(as_text=True)
    assert lesson.steps[2].title in page
    assert "Continue where you left off" in other_device.get("/learn/").get_data(as_text=True)


def progress(lesson) -> tuple[int, int] | None:
    db.session.commit()  # a fresh transaction sees what the requests wrote
    row = db.session.execute(select(LessonProgress.last_step, LessonProgress.furthest_step)
                             .where(LessonProgress.lesson_id == lesson.id)).one_or_none()
    return tuple(row) if row else None


def test_opening_a_step_records_where_the_student_is_and_how_far_they_got(setup):
    client, lesson = setup["client"], setup["lesson"]
    url = f"/learn/lesson/{lesson.id}"
    assert progress(lesson) is None
    first = client.get(url).get_data(as_text=True)  # the first visit opens step 1: the lesson is started
    assert lesson.steps[0].title in first and progress(lesson) == (0, 0)
    assert f"Step 1 of {len(lesson.steps)}" in client.get("/learn/").get_data(as_text=True)
    client.get(f"{url}?step=3")
    assert progress(lesson) == (2, 2)
    client.get(f"{url}?step=1")  # going back moves the resume point, not how far they got
    assert progress(lesson) == (0, 2)
    assert lesson.steps[0].title in client.get(url).get_data(as_text=True)
    db.session.commit()
    assert db.session.get(type(setup["student"]), setup["student"].id).last_active_at is not None


def test_stepping_through_a_lesson_writes_last_active_at_most_once_a_minute(setup):
    from datetime import timedelta

    from edu.models import utcnow

    client, lesson, student = setup["client"], setup["lesson"], setup["student"]
    url = f"/learn/lesson/{lesson.id}"

    def last_active_after_opening(step: int, stored):
        student.last_active_at = stored
        db.session.commit()
        assert client.get(f"{url}?step={step}").status_code == 200
        db.session.refresh(student)
        return student.last_active_at

    a_while_ago = utcnow() - timedelta(minutes=5)
    assert last_active_after_opening(2, a_while_ago) > a_while_ago  # older than a minute: written
    moments_ago = utcnow() - timedelta(seconds=20)
    assert last_active_after_opening(3, moments_ago) == moments_ago  # within the minute: left as it was
    assert progress(lesson) == (2, 2)  # while the step itself is always recorded
    assert last_active_after_opening(4, None) is not None  # never active before: written


def test_next_and_previous_are_links_that_need_no_form(setup):
    client, lesson = setup["client"], setup["lesson"]
    url = f"/learn/lesson/{lesson.id}"
    page = client.get(f"{url}?step=2").get_data(as_text=True)
    assert f'href="{url}?step=3">Next</a>' in page
    assert f'href="{url}?step=1">Previous</a>' in page
    last = client.get(f"{url}?step={len(lesson.steps)}").get_data(as_text=True)
    assert ">Next</a>" not in last and f'action="{url}/finish"' in last


def test_reopening_the_same_step_writes_nothing(app, setup):
    from sqlalchemy import event

    client, lesson = setup["client"], setup["lesson"]
    url = f"/learn/lesson/{lesson.id}?step=2"
    client.get(url)
    written = []

    def on_execute(_conn, _cursor, statement, *_args):
        if statement.split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            written.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)
    assert written == []


@pytest.mark.parametrize("step", ["0", "-1", "999"])
def test_a_step_out_of_range_is_not_found_and_not_stored(setup, step):
    client, lesson = setup["client"], setup["lesson"]
    assert client.get(f"/learn/lesson/{lesson.id}?step={step}").status_code == 404
    assert progress(lesson) is None


def test_an_unknown_block_is_refused_and_nothing_stored(setup):
    client, lesson = setup["client"], setup["lesson"]
    response = client.post(f"/learn/lesson/{lesson.id}/block/no-such-block", data={"choice": "a"})
    assert response.status_code == 400
    assert count(BlockResponse) == 0


def test_choice_from_another_block_and_oversized_reflection_are_refused(setup):
    client, lesson = setup["client"], setup["lesson"]
    _, scenario = blocks(lesson, "scenario")[0]
    _, check = blocks(lesson, "check")[0]
    assert client.post(f"/learn/lesson/{lesson.id}/block/{check.id}",
                       data={"choice": scenario.choices[0].id + "-nope"}).status_code == 400
    _, reflection = blocks(lesson, "reflection")[0]
    assert client.post(f"/learn/lesson/{lesson.id}/block/{reflection.id}",
                       data={"text": "x" * 4001}).status_code == 400
    assert count(BlockResponse) == 0 and count(Reflection) == 0


def test_unassigned_lesson_and_quiz_are_404(setup):
    other = catalog().lessons_for("deepfakes", "en", region="KR")[0]
    assert setup["client"].get(f"/learn/lesson/{other.id}").status_code == 404
    other_quiz = catalog().quiz_for("deepfakes", "en", "KR")
    assert setup["client"].get(f"/learn/quiz/{other_quiz.id}").status_code == 404
    assert setup["client"].post(f"/learn/quiz/{other_quiz.id}/answer",
                                data={"question": "q1", "option": "a"}).status_code == 404


def _all_right(quiz) -> dict:
    return {f"q-{q.id}": correct_choice(q) for q in quiz.questions}


def test_quiz_answers_saved_as_you_go_then_submitted_with_score(setup):
    client, quiz = setup["client"], setup["quiz"]
    question = quiz.questions[0]
    for _ in range(2):  # saving the same answer twice stores it once
        response = client.post(f"/learn/quiz/{quiz.id}/answer",
                               data={"question": question.id, "option": correct_choice(question)},
                               headers={"X-Requested-With": "fetch"})
        assert response.status_code == 200 and response.get_json()["saved"] is True
    assert count(QuizAnswer) == 1
    page = client.get(f"/learn/quiz/{quiz.id}").get_data(as_text=True)
    assert "checked" in page and "Saved" in page
    data = _all_right(quiz)
    data.update({"action": "submit", "attempt": "1"})
    response = client.post(f"/learn/quiz/{quiz.id}", data=data)
    assert response.status_code == 302 and "/result/1" in response.headers["Location"]
    result = client.get(response.headers["Location"]).get_data(as_text=True)
    n = len(quiz.questions)
    assert f"You got {n} out of {n}" in result
    attempt = db.session.scalar(select(QuizAttempt))
    assert attempt.score == n and attempt.content_version == quiz.version


def test_double_submit_records_one_attempt(setup):
    client, quiz = setup["client"], setup["quiz"]
    data = _all_right(quiz)
    data.update({"action": "submit"})
    client.post(f"/learn/quiz/{quiz.id}", data={"action": "save", **_all_right(quiz)})
    data["attempt"] = "1"
    first = client.post(f"/learn/quiz/{quiz.id}", data=data)
    second = client.post(f"/learn/quiz/{quiz.id}", data=data)
    assert first.headers["Location"] == second.headers["Location"]
    assert count(QuizAttempt) == 1


def test_concurrent_double_submit_records_one_attempt(app, setup):
    quiz = setup["quiz"]
    client = setup["client"]
    client.post(f"/learn/quiz/{quiz.id}", data={"action": "save", **_all_right(quiz)})
    cookie = client.get_cookie("session").value
    data = {"action": "submit", "attempt": "1", **_all_right(quiz)}
    statuses = []

    def submit():
        c = app.test_client()
        c.set_cookie("session", cookie, domain="localhost")
        statuses.append(c.post(f"/learn/quiz/{quiz.id}", data=data).status_code)

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [302] * 4
    db.session.commit()  # end the test's transaction: see what the requests wrote
    attempts = db.session.scalars(select(QuizAttempt)).all()
    assert len(attempts) == 1 and attempts[0].submitted_at is not None


def test_retake_and_policy(setup):
    client, quiz, classroom = setup["client"], setup["quiz"], setup["classroom"]
    right = {"action": "submit", **_all_right(quiz)}
    wrong = {"action": "submit"}
    for q in quiz.questions:
        wrong[f"q-{q.id}"] = [o.id for o in q.options if not o.correct][:1] or correct_choice(q)
    client.post(f"/learn/quiz/{quiz.id}", data=right)
    client.post(f"/learn/quiz/{quiz.id}", data=wrong)
    assert count(QuizAttempt) == 2
    n = len(quiz.questions)
    assert f"Score {n} / {n}" in client.get("/learn/").get_data(as_text=True)  # best counts
    classroom.quiz_policy = "latest"
    db.session.commit()
    assert f"Score {n} / {n}" not in client.get("/learn/").get_data(as_text=True)


def test_tampered_quiz_answers_are_not_stored(setup):
    client, quiz = setup["client"], setup["quiz"]
    q1, q2 = quiz.questions[0], quiz.questions[1]
    bad = client.post(f"/learn/quiz/{quiz.id}/answer", data={"question": q1.id, "option": "zzz"},
                      headers={"X-Requested-With": "fetch"})
    assert bad.status_code == 400
    other = client.post(f"/learn/quiz/{quiz.id}/answer", data={"question": "nope", "option": q1.options[0].id})
    assert other.status_code == 400
    if q2.type != "multiple":
        two = client.post(f"/learn/quiz/{quiz.id}/answer",
                          data={"question": q2.id, "option": [o.id for o in q2.options[:2]]})
        assert two.status_code == 400
    assert count(QuizAnswer) == 0


def test_session_expiry_mid_quiz_keeps_answers(app, setup):
    client, quiz = setup["client"], setup["quiz"]
    question = quiz.questions[0]
    client.post(f"/learn/quiz/{quiz.id}/answer", data={"question": question.id, "option": correct_choice(question)})
    client.delete_cookie("session", domain="localhost")  # the session expired
    assert client.get(f"/learn/quiz/{quiz.id}").status_code == 302
    factories.sign_in_student(client, setup["classroom"], setup["student"], setup["pin"])
    page = client.get(f"/learn/quiz/{quiz.id}").get_data(as_text=True)
    option = correct_choice(question)[0]
    assert f'value="{option}"\n             id="q-{question.id}-{option}" checked' in page or \
        f'id="q-{question.id}-{option}" checked' in page


def test_survey_identity_none_answers_carry_no_student_reference(setup):
    with_pre_survey(setup)
    client = setup["client"]
    survey = catalog().survey("prepost", "en")
    data = {f"i-{item.id}": factories.survey_value(item, 3) for item in survey.items_for("pre")}
    page = client.get("/learn/survey/pre").get_data(as_text=True)
    assert "Prefer not to answer" in page or survey.prefer_not in page
    assert "correct" not in page.lower()
    response = client.post("/learn/survey/pre", data=data)
    assert response.status_code == 200
    linked = [i for i in survey.items_for("pre") if i.identity == "linked"]
    anonymous = [i for i in survey.items_for("pre") if i.identity == "none"]
    assert count(SurveyAnswer) == len(linked)
    # the anonymous answers wait in the mixing buffer until their class's batch is written (edu/mixing.py)
    assert count(AnonymousSurveyAnswer) == 0 and count(PendingAnonymous) == 1
    assert set(PendingAnonymous.__table__.columns.keys()) == {"id", "classroom_id", "group_key", "week", "payload"}
    assert factories.write_anonymous_batches() == 1
    assert count(AnonymousSurveyAnswer) == len(anonymous) and count(PendingAnonymous) == 0
    columns = set(AnonymousSurveyAnswer.__table__.columns.keys())
    assert columns == {"id", "classroom_id", "survey_id", "phase", "item_id", "value", "week"}
    row = db.session.scalar(select(AnonymousSurveyAnswer))
    assert len(row.id) == 32 and row.week.count("-W") == 1
    # Submitting again changes nothing.
    client.post("/learn/survey/pre", data=data)
    assert count(SurveySubmission) == 1 and count(AnonymousSurveyAnswer) == len(anonymous)


def test_survey_prefer_not_and_tampered_values(setup):
    with_pre_survey(setup)
    client = setup["client"]
    survey = catalog().survey("prepost", "en")
    likert = next(i for i in survey.items if i.type == "likert")
    assert client.post("/learn/survey/pre", data={f"i-{likert.id}": "9"}).status_code == 400
    assert count(SurveySubmission) == 0
    asked = client.post("/learn/survey/pre", data={f"i-{likert.id}": "skip"})  # all unanswered: asked once
    assert asked.status_code == 200 and count(SurveySubmission) == 0
    assert client.post("/learn/survey/pre", data={f"i-{likert.id}": "skip", "confirmed": "1"}).status_code == 200
    assert count(SurveySubmission) == 1


def test_survey_not_assigned_is_404(app, ctx):
    classroom = factories.classroom(factories.teacher(), locale="en")
    student, pin = factories.student(classroom)
    client = app.test_client()
    factories.sign_in_student(client, classroom, student, pin)
    assert client.get("/learn/survey/pre").status_code == 404


def test_my_data_export_and_reflection_deletion(setup):
    client, lesson = setup["client"], setup["lesson"]
    _, reflection = blocks(lesson, "reflection")[0]
    client.post(f"/learn/lesson/{lesson.id}/block/{reflection.id}", data={"text": "My own words"})
    page = client.get("/learn/my-data").get_data(as_text=True)
    assert "My own words" in page and setup["student"].pseudonym in page
    download = client.get("/learn/my-data.json")
    assert "attachment" in download.headers["Content-Disposition"]
    data = json.loads(download.get_data(as_text=True))
    assert data["pseudonym"] == setup["student"].pseudonym
    assert data["reflections"][0]["text"] == "My own words"
    client.post("/learn/my-data/reflections/delete")
    assert count(Reflection) == 0


def test_module_not_open_yet_is_shown_but_locked(setup):
    from datetime import date, timedelta

    teach.assign(setup["classroom"], "module", "consent", opens_on=date.today() + timedelta(days=3))
    db.session.commit()
    html = setup["client"].get("/learn/").get_data(as_text=True)
    assert "Opens" in html and "Not open yet." in html
    assert setup["client"].get(f"/learn/lesson/{setup['lesson'].id}").status_code == 404


def test_overdue_work_can_still_be_done(setup):
    from datetime import date, timedelta

    teach.assign(setup["classroom"], "module", "consent", due_on=date.today() - timedelta(days=3))
    db.session.commit()
    html = setup["client"].get("/learn/").get_data(as_text=True)
    assert "Past the due date" in html
    assert setup["client"].get(f"/learn/lesson/{setup['lesson'].id}").status_code == 200


def test_a_student_never_sees_another_students_work(app, setup):
    client, lesson = setup["client"], setup["lesson"]
    _, reflection = blocks(lesson, "reflection")[0]
    client.post(f"/learn/lesson/{lesson.id}/block/{reflection.id}", data={"text": "Secret of student one"})
    other, pin = factories.student(setup["classroom"])
    other_client = app.test_client()
    factories.sign_in_student(other_client, setup["classroom"], other, pin)
    step = blocks(lesson, "reflection")[0][0] + 1
    assert "Secret of student one" not in other_client.get(f"/learn/lesson/{lesson.id}?step={step}").get_data(True)
    assert "Secret of student one" not in other_client.get("/learn/my-data").get_data(True)


def test_quiz_sent_after_the_session_expired_keeps_its_answers_without_javascript(database_url, setup):
    from tests.conftest import make_test_app

    quiz = setup["quiz"]
    app = make_test_app(database_url, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    data = {"action": "submit", "csrf_token": "stale-token", **_all_right(quiz)}
    response = client.post(f"/learn/quiz/{quiz.id}", data=data,  # no session any more, stale token
                           headers={"Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 302 and "/student/signin" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    from tests.conftest import csrf_token_from

    signin = client.post(response.headers["Location"], data={
        "code": setup["classroom"].join_code, "pseudonym": setup["student"].pseudonym, "pin": setup["pin"],
        "csrf_token": csrf_token_from(page)})
    assert signin.headers["Location"].endswith(f"/learn/quiz/{quiz.id}")
    html = client.get(signin.headers["Location"], headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "We kept the answers you sent" in html
    for question in quiz.questions:
        for option in correct_choice(question):
            assert f'id="q-{question.id}-{option}" checked' in html
    assert count(QuizAttempt) == 0  # nothing stored until the student presses Save or Submit


def test_concurrent_double_submit_of_a_new_attempt_never_errors(app, setup):
    """Two tabs submit a quiz that has no attempt yet, at the same moment: one attempt, no 500 (PostgreSQL too)."""
    quiz = setup["quiz"]
    cookie = setup["client"].get_cookie("session").value
    statuses = []

    data = {}

    def submit():
        c = app.test_client()
        c.set_cookie("session", cookie, domain="localhost")
        statuses.append(c.post(f"/learn/quiz/{quiz.id}", data=dict(data)).status_code)

    for round_no in range(1, 4):
        data.clear()
        data.update({"action": "submit", "attempt": str(round_no), **_all_right(quiz)})  # as the page sends it
        threads = [threading.Thread(target=submit) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert statuses == [302] * 18
    assert count(QuizAttempt) == 3  # one attempt per round of six identical submits


def test_a_reflection_sent_after_the_session_ended_is_shown_back_not_lost(database_url, setup, monkeypatch):
    """Without JavaScript, a reflection posted after the session ended (cookie gone, CSRF token stale, or 30 idle
    minutes) comes back on a page to copy, with a way to sign in again; nothing is stored or put in the cookie."""
    import time

    from tests.conftest import make_test_app

    lesson = setup["lesson"]
    reflection = blocks(lesson, "reflection")[0][1]
    words = "내 생각은 이래요 <b>canary-77</b>"
    path = f"/learn/lesson/{lesson.id}/block/{reflection.id}"

    strict = make_test_app(database_url, WTF_CSRF_ENABLED=True).test_client()
    own_page = {"Sec-Fetch-Site": "same-origin"}  # sent from the lesson page (another site's POST gets 403)
    stale = strict.post(path, data={"text": words, "csrf_token": "stale-token"},
                        headers={"Accept-Language": "en", **own_page})
    assert stale.status_code == 400
    page = stale.get_data(as_text=True)
    assert "Your words are not saved yet" in page and "&lt;b&gt;canary-77&lt;/b&gt;" in page
    assert "/student/signin?next=" in page and stale.headers["Cache-Control"] == "no-store"
    assert "canary" not in (stale.headers.get("Set-Cookie") or "")

    client = setup["client"]
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 31 * 60)
    idle = client.post(path, data={"text": words}, headers={"Accept-Language": "ko", **own_page})
    assert idle.status_code == 401 and "아직 저장되지 않았어요" in idle.get_data(as_text=True)
    assert words.split()[0] in idle.get_data(as_text=True)
    assert count(Reflection) == 0


def test_lesson_state_reads_only_this_students_place_and_answers_in_this_lesson(setup):
    from edu.learn import lessons

    student, lesson, classroom = setup["student"], setup["lesson"], setup["classroom"]
    other_lesson = catalog().lessons_for("consent", "en", region="KR")[1]
    check = lesson.blocks("check")[0]
    reflection = lesson.blocks("reflection")[0]
    assert lessons.lesson_state(student, lesson.id) == lessons.LessonState()  # not started: no step, no answers

    classmate, _pin = factories.student(classroom)
    for someone, in_lesson in ((classmate, lesson), (student, other_lesson)):  # rows the read must not pick up
        lessons.record_step(someone, in_lesson, 1)
        lessons.save_reflection(someone, in_lesson, in_lesson.blocks("reflection")[0].id, "not this one")
        lessons.record_block_choice(someone, in_lesson, in_lesson.blocks("check")[0].id,
                                  in_lesson.blocks("check")[0].options[-1].id)
    lessons.record_step(student, lesson, 2)
    lessons.record_block_choice(student, lesson, check.id, check.options[0].id)
    lessons.save_reflection(student, lesson, reflection.id, "my own words")
    db.session.commit()

    state = lessons.lesson_state(student, lesson.id)
    step_of_reflection = next(index for index, step in enumerate(lesson.steps) if reflection in step.segments)
    assert state.last_step == step_of_reflection  # saving a reflection records its step too
    assert state.responses == {check.id: check.options[0].id}
    assert state.reflections == {reflection.id: "my own words"}
    assert (state.responses, state.reflections) == lessons.block_state(student, lesson.id)


def test_the_lesson_pages_one_read_finds_the_lesson_and_the_state_as_the_separate_reads_do(setup):
    from edu.learn import assignments, errors, lessons
    from edu.safeguarding import services as safeguarding
    from edu.teach import services as teach

    student, lesson, classroom = setup["student"], setup["lesson"], setup["classroom"]
    check = lesson.blocks("check")[0]
    lessons.record_step(student, lesson, 1)
    lessons.record_block_choice(student, lesson, check.id, check.options[0].id)
    db.session.commit()
    found, state = lessons.open_lesson(student, catalog(), lesson.id, "en")
    assert found is assignments.find_assigned_lesson(student, catalog(), lesson.id, "en")
    assert state == lessons.lesson_state(student, lesson.id) and state.last_step == 1
    assert state.responses == {check.id: check.options[0].id}
    with pytest.raises(errors.NotFound):  # a lesson of a module not assigned to the class
        lessons.open_lesson(student, catalog(), "no-such-lesson", "en")
    # A second module assigned later does not change which module the lesson is found in, nor the state.
    other_module = next(module for module in catalog().modules if module.id != lesson.module)
    teach.assign(classroom, "module", other_module.id)
    db.session.commit()
    assert lessons.open_lesson(student, catalog(), lesson.id, "en") == (found, state)
    safeguarding.pause_module(classroom, lesson.module)
    db.session.commit()
    with pytest.raises(errors.Paused):
        lessons.open_lesson(student, catalog(), lesson.id, "en")
