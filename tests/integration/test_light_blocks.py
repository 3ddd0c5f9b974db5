"""The light blocks of issue 30 in the student's lesson player, through the Flask test client on a content tree
with the tour lesson (tests/blocks_tour.py): a flip and a card sort answered with a plain form POST (no
JavaScript) and the way app.js posts them (X-Requested-With: fetch), stored per student like check answers;
the law and reveal blocks as <details>; the author's preview; the step cache."""

from __future__ import annotations

import pytest

from edu.content_service import catalog
from edu.extensions import db
from edu.models import BlockResponse
from edu.teach import services as teach
from tests import factories
from tests.blocks_tour import LESSON_ID, content_with_blocks_tour
from tests.conftest import make_test_app, wipe_database

LESSON = f"/learn/lesson/{LESSON_ID}"
BLOCK = f"{LESSON}/block"
FETCH = {"X-Requested-With": "fetch"}


@pytest.fixture(scope="module")
def tour_app(base_app, database_url, tmp_path_factory):
    """The app on the same test database, reading the content tree with the tour lesson."""
    return make_test_app(database_url,
                         EDU_CONTENT_DIR=str(content_with_blocks_tour(tmp_path_factory.mktemp("tour") / "content")))


@pytest.fixture
def tour(app, tour_app):
    """(app, a signed-in student's client, the student, the lesson in the class's language) for an English class."""
    wipe_database(tour_app)
    with tour_app.app_context():
        classroom = factories.classroom(factories.teacher(), locale="en", country="KR")
        teach.assign(classroom, "module", "consent")
        student, pin = factories.student(classroom)
        db.session.commit()
        lesson = catalog().lesson(LESSON_ID, "en")
        client = tour_app.test_client()
        assert factories.sign_in_student(client, classroom, student, pin).status_code == 302
        yield tour_app, client, student.id, lesson
    wipe_database(tour_app)


def stored(app, student_id):
    with app.app_context():
        return {(r.block_id, r.kind): r.choice for r in db.session.scalars(
            db.select(BlockResponse).where(BlockResponse.student_id == student_id))}


def test_law_and_reveal_are_details_that_work_without_javascript(tour):
    _app, client, _student, _lesson = tour
    step_one = client.get(f"{LESSON}?step=1").text
    assert '<details class="block block--law">' in step_one
    assert "<summary>The law, exactly</summary>" in step_one and "<strong>Article 14-2</strong>" in step_one
    step_three = client.get(f"{LESSON}?step=3").text
    assert step_three.count('<details class="block block--reveal"') == 2
    assert "Most students think it is <strong>serious</strong> harm" in step_three
    assert "89.4%" in step_three and "Source:" in step_three and "newsis.com" in step_three  # the registry's figure


def test_a_flip_answered_with_a_plain_post_shows_the_answer_and_is_stored(tour):
    app, client, student, _lesson = tour
    before = client.get(f"{LESSON}?step=1").text
    assert 'name="choice" value="myth"' in before and "This is a myth." not in before
    answered = client.post(f"{BLOCK}/flip-viewing", data={"choice": "fact"})
    assert answered.status_code == 302
    assert answered.headers["Location"].endswith(f"{LESSON}?step=1#block-flip-viewing")
    page = client.get(answered.headers["Location"]).text
    assert "Not quite, and that" in page
    assert "This is a myth." in page and "Keeping or <strong>viewing</strong> one is a crime too." in page
    assert stored(app, student) == {("flip-viewing", "flip"): "fact"}
    client.post(f"{BLOCK}/flip-viewing", data={"choice": "myth"})
    assert "Yes, that" in client.get(f"{LESSON}?step=1").text
    assert stored(app, student) == {("flip-viewing", "flip"): "myth"}
    assert client.post(f"{BLOCK}/flip-viewing", data={"choice": "maybe"}).status_code == 400


def test_a_flip_answered_through_fetch_gets_json_and_the_page_shows_it(tour):
    app, client, student, _lesson = tour
    response = client.post(f"{BLOCK}/flip-viewing", data={"choice": "myth"}, headers=FETCH)
    assert response.status_code == 200 and response.json == {"saved": True}
    assert "This is a myth." in client.get(f"{LESSON}?step=1").text
    refused = client.post(f"{BLOCK}/flip-viewing", data={"choice": "nope"}, headers=FETCH)
    assert refused.status_code == 400 and refused.json["saved"] is False


def test_a_sort_answered_with_a_plain_post_marks_each_card_and_explains(tour):
    app, client, student, _lesson = tour
    before = client.get(f"{LESSON}?step=2").text
    assert before.count('type="radio"') == 6 and "in the right group" not in before
    answered = client.post(f"{BLOCK}/consent-sort", data={
        "sort": "1", "item.asked-first": "yes", "item.silence": "yes", "item.pressure": "no"})
    assert answered.status_code == 302 and answered.headers["Location"].endswith("?step=2#block-consent-sort")
    page = client.get(f"{LESSON}?step=2").text
    assert "2 of 3 in the right group." in page
    assert page.count("sort-card--right") == 2 and page.count("sort-card--wrong") == 1
    assert "This one goes in: Not consent" in page and "Right: Consent" in page
    assert "Consent is a <strong>free</strong> and clear yes" in page
    assert page.count(" checked>") == 3  # the student's own answer stays in the form, to change and check again
    assert stored(app, student) == {("consent-sort", "sort"): "001"}


def test_a_sort_with_a_card_in_no_group_is_asked_again_and_nothing_is_stored(tour):
    app, client, student, _lesson = tour
    response = client.post(f"{BLOCK}/consent-sort", data={"sort": "1", "item.asked-first": "yes"})
    assert response.status_code == 302 and "?step=2#block-consent-sort" in response.headers["Location"]
    assert "Put each card in a group, then check your answers." in client.get(response.headers["Location"]).text
    fetched = client.post(f"{BLOCK}/consent-sort", data={"sort": "1", "item.asked-first": "yes"}, headers=FETCH)
    assert fetched.status_code == 400 and fetched.json["saved"] is False
    for tampered in ({"item.asked-first": "maybe"}, {"item.nobody": "yes"}):
        data = {"sort": "1", "item.asked-first": "yes", "item.silence": "no", "item.pressure": "no", **tampered}
        assert client.post(f"{BLOCK}/consent-sort", data=data).status_code == 400
    assert stored(app, student) == {}


def test_a_sort_answered_through_fetch(tour):
    app, client, student, _lesson = tour
    response = client.post(f"{BLOCK}/consent-sort", headers=FETCH, data={
        "sort": "1", "item.asked-first": "yes", "item.silence": "no", "item.pressure": "no"})
    assert response.json == {"saved": True}
    assert "3 of 3 in the right group." in client.get(f"{LESSON}?step=2").text
    assert stored(app, student) == {("consent-sort", "sort"): "011"}


def test_a_classmate_gets_none_of_the_answers_and_the_cache_keys_on_them(tour):
    app, client, _student, _lesson = tour
    client.post(f"{BLOCK}/consent-sort", data={
        "sort": "1", "item.asked-first": "yes", "item.silence": "no", "item.pressure": "no"})
    client.post(f"{BLOCK}/flip-viewing", data={"choice": "myth"})
    with app.app_context():
        classroom = factories.classroom(factories.teacher("other@school.test"), locale="en", country="KR")
        teach.assign(classroom, "module", "consent")
        other, pin = factories.student(classroom)
        db.session.commit()
        other_client = app.test_client()
        assert factories.sign_in_student(other_client, classroom, other, pin).status_code == 302
    for step in (1, 2):
        page = other_client.get(f"{LESSON}?step={step}").text
        assert "in the right group" not in page and "This is a myth." not in page
        assert " checked>" not in page and 'aria-pressed="true"' not in page


def test_sort_and_flip_do_not_hold_up_finishing_the_lesson(tour):
    app, client, _student, _lesson = tour
    response = client.post(f"{LESSON}/finish")
    assert response.status_code == 302 and response.headers["Location"].endswith("/learn/")


def test_the_korean_lesson_words_the_blocks_in_korean(app, tour_app):
    with tour_app.app_context():
        classroom = factories.classroom(factories.teacher("ko@school.test"), locale="ko", country="KR")
        teach.assign(classroom, "module", "consent")
        student, pin = factories.student(classroom)
        db.session.commit()
        client = tour_app.test_client()
        assert factories.sign_in_student(client, classroom, student, pin).status_code == 302
    page = client.get(f"{LESSON}?step=1").text
    assert "법 조항 자세히" in page and "오해일까요, 사실일까요?" in page
    client.post(f"{BLOCK}/consent-sort", data={
        "sort": "1", "item.asked-first": "yes", "item.silence": "no", "item.pressure": "yes"})
    assert "3개 중 2개를 맞는 곳에 놓았어요." in client.get(f"{LESSON}?step=2").text
    wipe_database(tour_app)


def test_the_teachers_pages_and_the_students_own_data_take_the_new_answers(tour):
    """A sort and a flip answered: the teacher's class, progress, student and outcomes pages and the exports show
    what they showed before (lesson answers are not shown to teachers, as for checks), and the student's own
    data lists the answers."""
    app, client, student, _lesson = tour
    client.post(f"{BLOCK}/consent-sort", data={
        "sort": "1", "item.asked-first": "yes", "item.silence": "no", "item.pressure": "no"})
    client.post(f"{BLOCK}/flip-viewing", data={"choice": "myth"})
    own = client.get("/learn/my-data.json").json
    assert {(a["block"], a["kind"], a["choice"]) for a in own["lesson_answers"]} == {
        ("consent-sort", "sort", "011"), ("flip-viewing", "flip", "myth")}
    assert client.get("/learn/my-data").status_code == 200
    teacher = app.test_client()
    factories.sign_in_staff(teacher, "teacher@school.test")
    with app.app_context():
        from edu.models import Classroom

        classroom = db.session.scalars(db.select(Classroom)).first()
        base = f"/teach/classes/{classroom.id}"
        for path in ("", "/progress", f"/students/{student}", "/outcomes", "/export.csv"):
            response = teacher.get(base + path)
            assert response.status_code == 200, path
            assert "flip-viewing" not in response.text and "consent-sort" not in response.text, path


def test_the_authors_preview_answers_a_sort_and_a_flip_in_the_address_only(app, tour_app):
    with tour_app.app_context():
        factories.staff("author", "author@school.kr")
    client = tour_app.test_client()
    factories.sign_in_staff(client, "author@school.kr")
    base = f"/preview/lesson/{LESSON_ID}?locale=en&band=middle&country=KR"
    sort = client.get(base + "&step=2&block=consent-sort&sort=1&item.asked-first=no&item.silence=no"
                             "&item.pressure=no", headers={"Accept-Language": "en"}).text
    assert "2 of 3 in the right group." in sort and 'method="get"' in sort
    flip = client.get(base + "&step=1&block=flip-viewing&choice=fact", headers={"Accept-Language": "en"}).text
    assert "This is a myth." in flip
    with tour_app.app_context():
        assert db.session.scalars(db.select(BlockResponse)).first() is None
    wipe_database(tour_app)
