"""The student-side defects of issue 30, each in both languages through the Flask test client: the join page's
one-time PIN, the player's words in the lesson's language, the step-out's private box, the quiz's "Take it again",
the home page's first card, one content note, nicknames with or without spaces, the session-expired rescue and
the `make run` summary."""

from __future__ import annotations

import re
import shutil

import pytest
from sqlalchemy import func, select

from edu.content_service import catalog
from edu.extensions import db
from edu.models import QuizAttempt, Reflection
from edu.teach import services as teach
from tests import factories
from tests.conftest import ROOT, csrf_token_from, make_test_app, wipe_database

OWN_PAGE = {"Sec-Fetch-Site": "same-origin"}  # the browser says a form came from one of the app's own pages
WORDS = {"en": {"pin": "Your PIN", "nickname": "Your nickname", "written": "I have written it down"},
         "ko": {"pin": "내 PIN", "nickname": "내 별명", "written": "적어 두었어요"}}
OTHER = {"en": "ko", "ko": "en"}
CONTINUE = {"en": "Continue where you left off", "ko": "하던 곳부터 이어서 하기"}


def main_of(html: str) -> str:
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def count(model, **where) -> int:
    db.session.commit()
    query = select(func.count()).select_from(model)
    for key, value in where.items():
        query = query.where(getattr(model, key) == value)
    return db.session.scalar(query)


@pytest.fixture
def classes(app, ctx):
    """A Korean and an English class with the consent and deepfakes modules assigned."""
    owner = factories.teacher()
    made = {}
    for locale in ("ko", "en"):
        classroom = factories.classroom(owner, name=f"class-{locale}", locale=locale, country="KR")
        teach.assign(classroom, "module", "consent")
        teach.assign(classroom, "module", "deepfakes")
        made[locale] = classroom
    db.session.commit()
    return made


def signed_in(app, classroom):
    student, pin = factories.student(classroom)
    client = app.test_client()
    assert factories.sign_in_student(client, classroom, student, pin).status_code == 302
    return client, student, pin


# ---- the join page keeps the one-time PIN ------------------------------------------------------------------


@pytest.mark.parametrize("locale", ["en", "ko"])
def test_join_page_keeps_the_pin_through_its_language_switch_and_its_sign_out_works(database_url, classes, locale):
    strict = make_test_app(database_url, WTF_CSRF_ENABLED=True)
    client = strict.test_client()
    headers = {"Accept-Language": locale, **OWN_PAGE}
    token = csrf_token_from(client.get("/join", headers=headers).get_data(as_text=True))
    joined = client.post("/join", data={"code": classes[locale].join_code, "csrf_token": token}, headers=headers)
    page = joined.get_data(as_text=True)
    assert joined.status_code == 200 and WORDS[locale]["pin"] in page and WORDS[locale]["written"] in page
    pin = re.search(r'<dd class="pin">(\d{6})</dd>', page).group(1)
    # The language switch posts to the welcome page itself, with the new session's token: same PIN, other language.
    assert 'action="/join/welcome"' in page
    other = OTHER[locale]
    switched = client.post("/join/welcome", data={"locale": other, "pin": pin, "csrf_token": csrf_token_from(page)},
                           headers=headers)
    again = switched.get_data(as_text=True)
    assert switched.status_code == 200 and f'<html lang="{other}">' in again
    assert f'<dd class="pin">{pin}</dd>' in again and WORDS[other]["pin"] in again
    assert "learn/" in client.get("/learn/", headers=headers).get_data(as_text=True)  # still signed in
    # A PIN that is not the student's shows nothing: back to the lessons.
    wrong = client.post("/join/welcome", data={"locale": locale, "pin": "000000" if pin != "000000" else "111111",
                                               "csrf_token": csrf_token_from(again)}, headers=headers)
    assert wrong.status_code == 302 and wrong.headers["Location"].endswith("/learn/")
    # Sign-out from the welcome page (its token is the new session's, not a stale one).
    out = client.post("/signout", data={"csrf_token": csrf_token_from(again)}, headers=headers)
    assert out.status_code == 302
    assert client.get("/learn/", headers=headers).status_code == 302  # signed out


# ---- the player's words follow the lesson's language ------------------------------------------------------


@pytest.mark.parametrize("interface", ["ko", "en"])
def test_preview_and_family_sheet_speak_the_documents_language(app, classes, interface):
    client = app.test_client()
    factories.sign_in_staff(client, "teacher@school.test")
    headers = {"Accept-Language": interface}
    lesson_locale = OTHER[interface]
    html = client.get(f"/preview/lesson/consent-images?locale={lesson_locale}&step=2", headers=headers)
    article = html.get_data(as_text=True).split('<article class="lesson"', 1)[1].split("</article>", 1)[0]
    total = len(catalog().lesson("consent-images", lesson_locale).steps)
    if lesson_locale == "en":
        assert f"Step 2 of {total}" in article and "Previous" in article and "Next" in article
        assert "단계" not in article and "이전" not in article and "다음" not in article
    else:
        assert f"{total}단계 중 2단계" in article and "이전" in article
        assert "Step 2 of" not in article and ">Previous<" not in article
    page = client.get(f"/family/consent?locale={lesson_locale}", headers=headers).get_data(as_text=True)
    # The family sheet is a public page for families (issue 42): the whole page follows the sheet's language, with
    # plain links to the other language, so a parent given the English link reads an English page.
    assert f'<html lang="{lesson_locale}">' in page
    sheet = page.split("<article", 1)[1].split("</article>", 1)[0]
    if lesson_locale == "en":
        assert "Family sheet" in sheet and "Call 1366" in sheet and "전화하기" not in sheet
    else:
        assert "가정 안내문" in sheet or "1366에 전화하기" in sheet
        assert "Call 1366" not in sheet


def test_the_step_cache_key_names_the_lessons_language(app, classes):
    from edu.learn.step_cache import step_key
    from edu.segment_view import SegmentView

    keys = set()
    for locale in ("ko", "en"):
        lesson = catalog().lesson("consent-images", locale)
        view = SegmentView(catalog=catalog(), locale="ko", country="KR", age_band="middle")
        keys.add(step_key(catalog(), lesson, 1, view, "/learn/lesson/consent-images"))
    assert len(keys) == 2


# ---- the step-out's private box ----------------------------------------------------------------------------


@pytest.mark.parametrize("locale", ["en", "ko"])
def test_stepping_out_gives_a_private_box_stored_like_a_reflection(app, classes, locale):
    client, student, _ = signed_in(app, classes[locale])
    lesson = catalog().lesson("consent-images", locale)
    number, stepout = next((i + 1, seg) for i, step in enumerate(lesson.steps) for seg in step.segments
                           if seg.kind == "stepout")
    url = f"/learn/lesson/{lesson.id}"
    client.post(f"{url}/block/{stepout.id}", data={"choice": "out"})
    page = main_of(client.get(f"{url}?step={number}").get_data(as_text=True))
    label = "Your private notes" if locale == "en" else "나만 보는 메모"
    only_you = "Only you can see what you write here" if locale == "en" else "나만 볼 수 있어요"
    assert label in page and f'id="reflection-{stepout.id}"' in page and 'name="text"' in page
    assert only_you in page or "선생님은 읽을 수 없어요" in page
    saved = client.post(f"{url}/block/{stepout.id}", data={"text": "note-canary"})
    assert saved.status_code == 302
    assert count(Reflection, student_id=student.id, block_id=stepout.id) == 1
    assert "note-canary" in client.get(f"{url}?step={number}").get_data(as_text=True)
    # Emptying the box removes the note, as for a reflection.
    client.post(f"{url}/block/{stepout.id}", data={"text": "  "})
    assert count(Reflection, student_id=student.id) == 0


# ---- quiz, home page, content notes ------------------------------------------------------------------------


@pytest.mark.parametrize("locale", ["en", "ko"])
def test_take_it_again_starts_a_new_attempt_without_a_save_message(app, classes, locale):
    client, student, _ = signed_in(app, classes[locale])
    quiz = catalog().quiz_for("consent", locale, "KR")
    answers = {f"q-{q.id}": [o.id for o in q.options if o.correct] for q in quiz.questions}
    done = client.post(f"/learn/quiz/{quiz.id}", data={**answers, "action": "submit"})
    result = client.get(done.headers["Location"]).get_data(as_text=True)
    assert 'value="retake"' in result
    again = client.post(f"/learn/quiz/{quiz.id}", data={"action": "retake"}, follow_redirects=True)
    page = again.get_data(as_text=True)
    assert again.status_code == 200
    assert 'class="flash' not in page  # no "Your answers are saved. You can finish later." for an empty attempt
    assert count(QuizAttempt, student_id=student.id) == 2


@pytest.mark.parametrize("locale", ["en", "ko"])
def test_a_new_student_is_offered_a_first_lesson_not_a_place_to_continue(app, classes, locale):
    client, _, _ = signed_in(app, classes[locale])
    home = client.get("/learn/").get_data(as_text=True)
    assert ("Your next lesson" if locale == "en" else "다음 수업") in home
    assert "Continue where you left off" not in home and CONTINUE[locale] not in home
    first = catalog().lessons_for("consent", locale, region="KR")[0]
    client.get(f"/learn/lesson/{first.id}?step=2")
    home = client.get("/learn/").get_data(as_text=True)
    assert ("Your next lesson" if locale == "en" else "다음 수업") not in home and CONTINUE[locale] in home


@pytest.fixture(scope="module")
def noted_app(base_app, database_url, tmp_path_factory):
    """The app on the test database, reading a copy of the content whose deepfakes-what lesson has a front-matter
    note and, in its first step, a content-note block of its own."""
    dest = tmp_path_factory.mktemp("noted") / "content"
    shutil.copytree(ROOT / "content", dest)
    for locale in ("en", "ko"):
        path = dest / "lessons" / locale / "deepfakes" / "deepfakes-what.md"
        text, found = re.subn(r"(\n## [^\n]*\n)", r"\1\n:::content-note\nThis step names the crime; nothing is shown.\n:::\n",
                              path.read_text("utf-8"), count=1)
        assert found
        path.write_text(text, "utf-8")
    return make_test_app(database_url, EDU_CONTENT_DIR=str(dest))


@pytest.mark.parametrize("locale", ["en", "ko"])
def test_a_first_step_shows_one_content_note(noted_app, locale):
    wipe_database(noted_app)
    with noted_app.app_context():
        classroom = factories.classroom(factories.teacher(), locale=locale, country="KR")
        teach.assign(classroom, "module", "deepfakes")
        teach.assign(classroom, "module", "consent")
        db.session.commit()
        client = signed_in(noted_app, classroom)[0]
        lesson = catalog().lesson("deepfakes-what", locale)
        assert lesson.content_note and any(seg.kind == "content-note" for seg in lesson.steps[0].segments)
        page = main_of(client.get(f"/learn/lesson/{lesson.id}?step=1").get_data(as_text=True))
        assert page.count("block--note") == 1 and "This step names the crime" in page
        # A lesson with only the front-matter note still shows it.
        other = next(ls for ls in catalog().lessons_for("consent", locale, region="KR")
                     if ls.content_note and not any(s.kind == "content-note" for s in ls.steps[0].segments))
        assert main_of(client.get(f"/learn/lesson/{other.id}?step=1").get_data(as_text=True)).count("block--note") == 1


# ---- nicknames ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("locale", ["en", "ko"])
def test_a_nickname_signs_in_with_or_without_spaces_and_errors_name_the_field(app, classes, locale):
    classroom = classes[locale]
    student, pin = factories.student(classroom)
    for typed in (student.pseudonym.replace(" ", ""), "  " + student.pseudonym.upper().replace(" ", "  ") + " "):
        client = app.test_client()
        response = client.post("/student/signin", data={"code": classroom.join_code, "pseudonym": typed, "pin": pin})
        assert response.status_code == 302, typed
    lang = {"Accept-Language": locale}
    form = app.test_client().get("/student/signin", headers=lang).get_data(as_text=True)
    wrong = app.test_client().post("/student/signin", headers=lang, data={
        "code": classroom.join_code, "pseudonym": student.pseudonym, "pin": "000001" if pin != "000001" else "2"})
    html = wrong.get_data(as_text=True)
    assert wrong.status_code == 401
    if locale == "en":
        assert "Your nickname (from your login card)" in form and "class name" not in form.lower()
        assert "The class code, nickname or PIN is not right." in html
    else:
        assert "내 별명 (로그인 카드에 있어요)" in form
        assert "학급 코드, 별명 또는 PIN이 맞지 않아요." in html
    empty = app.test_client().post("/student/signin", headers=lang, data={"code": classroom.join_code, "pin": pin})
    assert ("Enter the nickname on your login card." if locale == "en" else "로그인 카드에 적힌 별명을") in (
        empty.get_data(as_text=True))


def test_no_two_generated_nicknames_are_the_same_without_spaces():
    from edu.auth.codes import ADJECTIVES, ANIMALS, normalise_pseudonym

    for index in (0, 1):
        names = {normalise_pseudonym(f"{a[index]} {b[index]} 10") for a in ADJECTIVES for b in ANIMALS}
        assert len(names) == len(ADJECTIVES) * len(ANIMALS)
    assert normalise_pseudonym("주황부엉이47") == normalise_pseudonym("주황 부엉이 47")


# ---- the session-expired rescue ----------------------------------------------------------------------------


@pytest.mark.parametrize("locale", ["en", "ko"])
def test_words_sent_after_the_session_ended_come_back_in_the_box_after_sign_in(app, classes, locale):
    classroom = classes[locale]
    student, pin = factories.student(classroom)
    lesson = catalog().lesson("consent-images", locale)
    reflection = next(seg for step in lesson.steps for seg in step.segments if seg.kind == "reflection")
    block_path = f"/learn/lesson/{lesson.id}/block/{reflection.id}"
    words = "my own <b>words-canary</b>"
    client = app.test_client()  # no session: it ended
    rescue = client.post(block_path, data={"text": words}, headers={"Accept-Language": locale, **OWN_PAGE})
    page = rescue.get_data(as_text=True)
    assert rescue.status_code == 401 and "monospace" not in page
    assert 'name="rescued_text"' in page and "my own &lt;b&gt;words-canary&lt;/b&gt;" in page
    assert f'name="rescued_to" value="{block_path}"' in page and 'name="pseudonym"' in page
    assert "words-canary" not in (rescue.headers.get("Set-Cookie") or "")
    signin = re.search(r'<form method="post" action="([^"]+)"', main_of(page)).group(1).replace("&amp;", "&")
    assert signin.startswith("/student/signin?next=")

    form = {"code": classroom.join_code, "pseudonym": student.pseudonym, "rescued_text": words,
            "rescued_to": block_path}
    wrong = client.post(signin, data={**form, "pin": "000001" if pin != "000001" else "2"},
                        headers={"Accept-Language": locale})
    assert wrong.status_code == 401 and "words-canary" in wrong.get_data(as_text=True)  # kept through a wrong PIN
    back = client.post(signin, data={**form, "pin": pin}, headers={"Accept-Language": locale})
    restored = back.get_data(as_text=True)
    assert back.status_code == 200 and "words-canary" not in (back.headers.get("Set-Cookie") or "")
    assert f'action="{block_path}"' in restored and 'name="text"' in restored
    assert "my own &lt;b&gt;words-canary&lt;/b&gt;</textarea>" in restored
    assert count(Reflection) == 0  # nothing is stored until the student saves
    saved = client.post(block_path, data={"text": words})
    assert saved.status_code == 302 and count(Reflection, student_id=student.id) == 1


def test_a_sign_in_carrying_words_to_a_place_that_is_not_a_lesson_box_is_a_plain_sign_in(app, classes):
    classroom = classes["en"]
    student, pin = factories.student(classroom)
    response = app.test_client().post("/student/signin", data={
        "code": classroom.join_code, "pseudonym": student.pseudonym, "pin": pin,
        "rescued_text": "x", "rescued_to": "/teach/"})
    assert response.status_code == 302


def test_a_rescue_with_a_valid_session_offers_to_save_again(database_url, classes):
    strict = make_test_app(database_url, WTF_CSRF_ENABLED=True)
    client = strict.test_client()
    classroom = classes["ko"]
    student, pin = factories.student(classroom)
    token = csrf_token_from(client.get("/student/signin").get_data(as_text=True))
    client.post("/student/signin", headers=OWN_PAGE, data={
        "code": classroom.join_code, "pseudonym": student.pseudonym, "pin": pin, "csrf_token": token})
    lesson = catalog().lesson("consent-images", "ko")
    reflection = next(seg for step in lesson.steps for seg in step.segments if seg.kind == "reflection")
    block_path = f"/learn/lesson/{lesson.id}/block/{reflection.id}"
    stale = client.post(block_path, data={"text": "다시-canary", "csrf_token": "stale"}, headers=OWN_PAGE)
    page = stale.get_data(as_text=True)
    assert stale.status_code == 400 and f'action="{block_path}"' in page and "다시-canary</textarea>" in page
    saved = client.post(block_path, headers=OWN_PAGE,
                        data={"text": "다시-canary", "csrf_token": csrf_token_from(page)})
    assert saved.status_code == 302 and count(Reflection, student_id=student.id) == 1


# ---- make run ---------------------------------------------------------------------------------------------


def test_demo_summary_ends_with_the_address_and_lists_only_the_demo_students(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    with app.app_context():
        from edu.models import Classroom

        classroom = db.session.scalar(select(Classroom).where(Classroom.join_code == "DEMEN7"))
        later = factories.student(classroom)[0].pseudonym
    result = runner.invoke(args=["demo", "--address", "http://127.0.0.1:5000"])
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert "http://127.0.0.1:5000" in lines[-1]
    assert later not in result.output and "Blue Otter 17" in result.output
    assert "http://127.0.0.1:5000/student/signin" in result.output
    refresh = runner.invoke(args=["insights", "refresh"])
    assert "lesson sets" not in refresh.output and "filled" not in refresh.output
