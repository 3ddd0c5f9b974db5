"""The performance work keeps behaviour: cached lesson steps, one-statement quiz writes, hashed static files,
and client addresses behind a trusted proxy."""

from __future__ import annotations

import re

import pytest
from flask import current_app, request
from sqlalchemy import event, func, select

from edu.content_service import catalog
from edu.extensions import db
from edu.models import QuizAnswer, QuizAttempt
from edu.teach import services as teach
from tests import factories
from tests.conftest import make_test_app

CSRF_VALUE = re.compile(r'name="csrf_token" value="([^"]+)"')
STATIC_LINK = re.compile(r'(?:href|src)="(/static/[^"]+)"')


@pytest.fixture
def lesson_class(app, ctx):
    classroom = factories.classroom(factories.teacher(), locale="en", country="KR")
    teach.assign(classroom, "module", "consent")
    db.session.commit()
    lesson = catalog().lessons_for("consent", "en", region="KR")[0]
    return classroom, lesson


def signed_in(app, classroom):
    student, pin = factories.student(classroom)
    client = app.test_client()
    assert factories.sign_in_student(client, classroom, student, pin).status_code == 302
    return client


def step_cache():
    cache = current_app.extensions["edu_step_cache"]
    cache._entries.clear()
    cache.hits = cache.misses = 0
    return cache


def step_with(lesson, kind):
    for number, step in enumerate(lesson.steps, start=1):
        for segment in step.segments:
            if segment.kind == kind:
                return number, segment
    raise AssertionError(f"no {kind} block in {lesson.id}")


# ---- cached lesson steps ---------------------------------------------------------------------------------


def test_a_step_is_rendered_once_for_a_class_and_each_student_gets_their_own_csrf_token(app, lesson_class):
    classroom, lesson = lesson_class
    cache = step_cache()
    first, second = signed_in(app, classroom), signed_in(app, classroom)
    page_one = first.get(f"/learn/lesson/{lesson.id}?step=1")
    page_two = second.get(f"/learn/lesson/{lesson.id}?step=1")
    assert page_one.status_code == page_two.status_code == 200
    assert (cache.misses, cache.hits) == (1, 1)
    assert lesson.steps[0].title in page_two.text
    tokens_one, tokens_two = set(CSRF_VALUE.findall(page_one.text)), set(CSRF_VALUE.findall(page_two.text))
    assert len(tokens_one) == 1 and len(tokens_two) == 1  # the layout's forms and the cached step's agree
    assert tokens_one != tokens_two
    # Apart from the token, the two students see the same step.
    assert CSRF_VALUE.sub("", page_one.text).count("<form") == CSRF_VALUE.sub("", page_two.text).count("<form")


def test_a_page_from_the_cache_is_the_page_the_student_would_have_had_rendered(app, lesson_class):
    classroom, lesson = lesson_class
    first, second = signed_in(app, classroom), signed_in(app, classroom)
    path = f"/learn/lesson/{lesson.id}?step=2"
    step_cache()
    rendered = second.get(path).text  # rendered for the second student alone
    cache = step_cache()
    first.get(path)
    cached = second.get(path).text  # the first student's rendering, with the second's token
    assert (cache.misses, cache.hits) == (1, 1)
    assert CSRF_VALUE.sub("", cached) == CSRF_VALUE.sub("", rendered)
    # The token's first part is the session's own (the rest is a timestamp and a signature).
    assert {t.split(".")[0] for t in CSRF_VALUE.findall(cached)} == {t.split(".")[0]
                                                                   for t in CSRF_VALUE.findall(rendered)}


def test_a_sessions_csrf_token_is_signed_once_and_still_accepted(app, lesson_class, monkeypatch):
    from flask import session
    from flask_wtf.csrf import generate_csrf, validate_csrf

    from edu import security

    classroom, lesson = lesson_class
    client = signed_in(app, classroom)
    path = f"/learn/lesson/{lesson.id}?step=1"
    first = set(CSRF_VALUE.findall(client.get(path).text))
    signings = []
    monkeypatch.setattr(security, "generate_csrf", lambda: signings.append(1) or generate_csrf())
    again = set(CSRF_VALUE.findall(client.get(path).text))
    other_page = set(CSRF_VALUE.findall(client.get(f"/learn/lesson/{lesson.id}?step=2").text))
    assert len(first) == 1 and first == again == other_page and signings == []
    with client.session_transaction() as saved:
        raw = saved["csrf_token"]
    with app.test_request_context():
        session["csrf_token"] = raw
        validate_csrf(first.pop())  # raises if Flask-WTF would refuse it
        session["csrf_token"] = "another session's token"
        with pytest.raises(Exception, match="do not match"):
            validate_csrf(again.pop())


def test_the_kept_csrf_tokens_are_dropped_past_their_limit(app, lesson_class, monkeypatch):
    from edu import security

    classroom, lesson = lesson_class
    monkeypatch.setattr(security, "MAX_SIGNED_CSRF_TOKENS", 2)
    security._signed_csrf_tokens.clear()
    pages = [signed_in(app, classroom).get(f"/learn/lesson/{lesson.id}?step=1") for _ in range(5)]
    assert len(security._signed_csrf_tokens) <= 2
    assert len({token for page in pages for token in CSRF_VALUE.findall(page.text)}) == 5  # each their own


def test_a_students_choice_shows_only_on_their_page(app, lesson_class):
    classroom, lesson = lesson_class
    number, check = step_with(lesson, "check")
    step_cache()
    chooser, other = signed_in(app, classroom), signed_in(app, classroom)
    response = chooser.post(f"/learn/lesson/{lesson.id}/block/{check.id}", data={"choice": check.options[0].id})
    assert response.status_code == 302
    assert 'aria-pressed="true"' in chooser.get(f"/learn/lesson/{lesson.id}?step={number}").text
    assert 'aria-pressed="true"' not in other.get(f"/learn/lesson/{lesson.id}?step={number}").text


def test_a_step_with_a_reflection_is_never_kept_in_the_cache(app, lesson_class):
    classroom, lesson = lesson_class
    number, reflection = step_with(lesson, "reflection")
    cache = step_cache()
    client = signed_in(app, classroom)
    words = "canary-reflection-7f3a"
    response = client.post(f"/learn/lesson/{lesson.id}/block/{reflection.id}", data={"text": words})
    assert response.status_code == 302
    assert words in client.get(f"/learn/lesson/{lesson.id}?step={number}").text
    assert words in client.get(f"/learn/lesson/{lesson.id}?step={number}").text
    assert not any(words.encode() in html for html in cache._entries.values())


def test_a_message_for_the_student_shows_once_and_is_never_kept_in_the_cache(app, lesson_class):
    classroom, lesson = lesson_class
    cache = step_cache()
    client = signed_in(app, classroom)
    path = f"/learn/lesson/{lesson.id}?step=1"
    assert client.get(path).status_code == 200  # the page without a message is in the cache now
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "canary-flash-91c2")]
    assert "canary-flash-91c2" in client.get(path).text
    assert "canary-flash-91c2" not in client.get(path).text
    assert not any(b"canary-flash-91c2" in html for html in cache._entries.values())


def test_the_language_switch_returns_to_the_path_asked_for_on_a_cached_page(app, lesson_class):
    classroom, lesson = lesson_class
    step_cache()
    first, second = signed_in(app, classroom), signed_in(app, classroom)
    next_value = re.compile(r'name="next" value="([^"]+)"')
    step_one, resume = f"/learn/lesson/{lesson.id}?step=1", f"/learn/lesson/{lesson.id}?"
    # Step 1 through both of its addresses: the second student has opened nothing yet, so they resume at step 1.
    for client, path in ((first, step_one), (second, resume), (first, step_one)):
        assert next_value.search(client.get(path).text).group(1) == path


def test_only_a_get_of_a_steps_own_address_is_cached(app, lesson_class):
    classroom, lesson = lesson_class
    cache = step_cache()
    client = signed_in(app, classroom)
    step_one = f"/learn/lesson/{lesson.id}?step=1"
    assert client.head(step_one).status_code == 200
    assert client.get(step_one + "&utm=anything").status_code == 200
    assert len(cache) == 0
    page = client.get(step_one).text
    assert 'name="next" value="' + step_one.replace("&", "&amp;") + '"' in page
    assert len(cache) == 1


def test_each_language_is_cached_apart(app, lesson_class):
    classroom, lesson = lesson_class
    cache = step_cache()
    client = signed_in(app, classroom)
    english = client.get(f"/learn/lesson/{lesson.id}?step=1").text
    client.post("/language", data={"locale": "ko", "next": "/"})
    korean = client.get(f"/learn/lesson/{lesson.id}?step=1").text
    assert '<html lang="en">' in english and '<html lang="ko">' in korean
    assert len(cache) == 2


def test_the_cache_drops_the_oldest_steps_past_its_size(app, lesson_class):
    classroom, lesson = lesson_class
    cache = step_cache()
    cache.max_entries = 2
    try:
        client = signed_in(app, classroom)
        for number in (1, 2, 3):
            assert client.get(f"/learn/lesson/{lesson.id}?step={number}").status_code == 200
        assert len(cache) == 2
    finally:
        cache.max_entries = 1024


# ---- quiz writes -----------------------------------------------------------------------------------------


def record_statements(client_call) -> list[str]:
    """The SQL a request sends, commits and rollbacks included (as "COMMIT" / "ROLLBACK")."""
    statements = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    events = {"before_cursor_execute": record, "commit": lambda _conn: statements.append("COMMIT"),
              "rollback": lambda _conn: statements.append("ROLLBACK")}
    for name, listener in events.items():
        event.listen(db.engine, name, listener)
    try:
        client_call()
    finally:
        for name, listener in events.items():
            event.remove(db.engine, name, listener)
    return statements


def count_statements(client_call) -> int:
    return len([s for s in record_statements(client_call)
                if not s.startswith(("BEGIN", "SAVEPOINT", "RELEASE", "COMMIT", "ROLLBACK"))])


def submit_form(quiz, how_many: int) -> dict:
    form = {"action": "submit"}
    for question in quiz.questions[:how_many]:
        form[f"q-{question.id}"] = question.options[0].id
    return form


def test_a_submit_costs_the_same_statements_for_one_answer_or_all_of_them(app, lesson_class):
    classroom, _lesson = lesson_class
    quiz = catalog().quiz_for("consent", "en", "KR")
    assert len(quiz.questions) >= 5
    counts = []
    for how_many in (1, len(quiz.questions)):
        client = signed_in(app, classroom)
        path = f"/learn/quiz/{quiz.id}"
        counts.append(count_statements(lambda: client.post(path, data=submit_form(quiz, how_many))))  # noqa: B023
    assert counts[0] == counts[1]
    # open modules; newest attempt, new attempt, answers, close (+ BEGIN/COMMIT x2); the signed-in student is
    # read by a prepared read (edu/reads.py), which SQLAlchemy's events do not see
    assert counts[1] <= 5


def test_the_request_log_names_the_student_without_loading_them_again_after_the_commit(app, lesson_class, caplog):
    classroom, _lesson = lesson_class
    quiz = catalog().quiz_for("consent", "en", "KR")
    client = signed_in(app, classroom)
    caplog.set_level("INFO", logger="edu.requests")
    statements = record_statements(lambda: client.post(f"/learn/quiz/{quiz.id}", data=submit_form(quiz, 3)))
    last_commit = max(i for i, s in enumerate(statements) if s == "COMMIT")
    after = [s for s in statements[last_commit + 1:] if "FROM students" in s]
    assert after == [], "the student was read again after the request's commit"
    student_id = db.session.scalar(select(QuizAttempt.student_id))
    logged = [r.fields for r in caplog.records if getattr(r, "fields", {}).get("endpoint") == "learn.quiz"]
    assert logged and logged[-1]["user"] == f"s:{student_id}" and logged[-1]["status"] == 302


def test_a_submit_stores_every_answer_once_with_its_verdict(app, lesson_class):
    classroom, _lesson = lesson_class
    quiz = catalog().quiz_for("consent", "en", "KR")
    client = signed_in(app, classroom)
    first = quiz.questions[0]
    wrong = next(o for o in first.options if not o.correct)
    assert client.post(f"/learn/quiz/{quiz.id}/answer", data={"question": first.id, "option": wrong.id},
                       headers={"X-Requested-With": "fetch"}).status_code == 200
    form = {"action": "submit"}
    for question in quiz.questions[1:]:
        form[f"q-{question.id}"] = [o.id for o in question.options if o.correct]
    assert client.post(f"/learn/quiz/{quiz.id}", data=form).status_code == 302
    db.session.commit()
    attempt = db.session.scalar(select(QuizAttempt))
    rows = {row.question_id: row for row in db.session.scalars(select(QuizAnswer))}
    assert set(rows) == {q.id for q in quiz.questions}
    assert rows[first.id].option_ids == wrong.id and rows[first.id].correct is False
    assert all(rows[q.id].correct for q in quiz.questions[1:])
    assert attempt.submitted_at is not None and attempt.score == attempt.max_score - 1
    # Saving as you go after the submit starts a new attempt; the submitted one is unchanged.
    late = client.post(f"/learn/quiz/{quiz.id}/answer", data={"question": first.id, "option": first.options[0].id},
                       headers={"X-Requested-With": "fetch"})
    assert late.status_code == 200 and late.get_json()["attempt"] == 2
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(QuizAnswer)
                             .where(QuizAnswer.attempt_id == attempt.id)) == len(quiz.questions)
    assert db.session.scalar(select(QuizAnswer.option_ids).where(
        QuizAnswer.attempt_id == attempt.id, QuizAnswer.question_id == first.id)) == wrong.id


# ---- static files ----------------------------------------------------------------------------------------


def test_pages_link_hashed_static_files_served_gzipped_with_a_year_of_cache(client):
    links = STATIC_LINK.findall(client.get("/").text)
    assert {re.sub(r"\.[0-9a-f]{12}\.", ".", link) for link in links} >= {
        "/static/css/app.css", "/static/js/app.js", "/static/js/quick-exit.js", "/static/favicon.svg"}
    for link in links:
        assert re.search(r"\.[0-9a-f]{12}\.(css|js|svg)$", link), link
        response = client.get(link, headers={"Accept-Encoding": "gzip, br"})
        assert response.status_code == 200
        assert response.headers["Content-Encoding"] == "gzip"
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert "Accept-Encoding" in response.headers["Vary"]


def test_static_links_follow_the_prefix_the_app_is_mounted_under(app, client):
    """Asset URLs are built once per mount prefix: an absolute URL built outside a request, or one under another
    prefix, never turns up on a page."""
    from edu.assets import asset_url

    with app.app_context():
        outside = asset_url("css/app.css")
    assert outside.startswith("http://localhost/static/css/app.")
    plain = STATIC_LINK.findall(client.get("/").text)
    mounted = re.findall(r'(?:href|src)="(/school/static/[^"]+)"',
                         client.get("/", environ_overrides={"SCRIPT_NAME": "/school"}).text)
    again = STATIC_LINK.findall(client.get("/").text)
    assert plain == again and plain and all(link.startswith("/static/") for link in plain)
    assert mounted == ["/school" + link for link in plain]


def test_static_files_unzipped_for_clients_without_gzip_and_by_plain_name(client):
    css = client.get("/static/css/app.css")
    assert css.status_code == 200 and "Content-Encoding" not in css.headers
    assert css.headers["Cache-Control"] == "public, max-age=300"
    assert b":root" in css.data
    hashed = next(link for link in STATIC_LINK.findall(client.get("/").text) if link.endswith(".css"))
    plain = client.get(hashed)
    assert plain.data == css.data
    again = client.get(hashed, headers={"If-None-Match": plain.headers["ETag"]})
    assert again.status_code == 304
    assert client.get("/static/css/nothing.css").status_code == 404


def test_development_links_plain_names_read_from_disk(database_url):
    app = make_test_app(database_url, EDU_RELOAD_CONTENT=True)
    client = app.test_client()
    links = STATIC_LINK.findall(client.get("/").text)
    assert "/static/css/app.css" in links
    assert client.get("/static/css/app.css").status_code == 200


# ---- behind a proxy --------------------------------------------------------------------------------------


def failed_signins(client, address: str, times: int) -> list[int]:
    return [client.post("/signin", data={"email": f"nobody{i}@school.test", "password": "wrong password 1"},
                        headers={"X-Forwarded-For": address}).status_code for i in range(times)]


def test_the_limit_check_before_every_request_is_dropped_only_while_no_limit_needs_it(app, database_url):
    from edu.extensions import limiter

    # This app's limits sit on their views, which check them when called (tests/integration/test_auth.py).
    assert limiter._check_request_limit not in app.before_request_funcs[None]
    try:  # a limit on every route (here a default one) keeps Flask-Limiter's check before each request
        limited = make_test_app(database_url, RATELIMIT_DEFAULT="2 per minute")
        assert limiter._check_request_limit in limited.before_request_funcs[None]
        client = limited.test_client()
        assert [client.get("/").status_code for _ in range(3)] == [200, 200, 429]
    finally:
        limiter.limit_manager.set_default_limits([])
        limiter.reset()


def test_the_limiter_keeps_no_state_for_a_request_that_met_no_limit(app):
    from flask.globals import request_ctx

    seen = {}

    def look(_error=None):
        seen[request.endpoint] = hasattr(request_ctx._get_current_object(), "_limiter_request_context")

    app.teardown_request_funcs[None].append(look)
    try:
        client = app.test_client()
        client.get("/")
        client.post("/signin", data={"email": "nobody@school.test", "password": "wrong password 1"})
    finally:
        app.teardown_request_funcs[None].remove(look)
    assert seen == {"public.index": False, "auth.signin": True}  # failed sign-ins still count (test_auth.py)


@pytest.mark.parametrize("proxies", [0, 1])
def test_rate_limits_count_the_client_address_only_behind_a_trusted_proxy(database_url, proxies):
    from edu.extensions import limiter

    app = make_test_app(database_url, EDU_TRUSTED_PROXIES=proxies, EDU_SIGNIN_IP_LIMIT="3 per minute")
    limiter.reset()
    client = app.test_client()
    assert failed_signins(client, "203.0.113.5", 4)[-1] == 429
    other_address = failed_signins(client, "198.51.100.7", 1)[0]
    # Trusted: the other school's address has its own limit. Not trusted: X-Forwarded-For is ignored (anyone
    # can forge it), so every request comes from the proxy's one address.
    assert (other_address == 429) is (not proxies), other_address
    limiter.reset()


def test_only_plain_functions_skip_flasks_coroutine_check(app):
    def plain():
        return "ok"

    async def coroutine():
        return "ok"

    assert app.ensure_sync(plain) is plain
    assert plain in app._plain_functions
    try:
        wrapped = app.ensure_sync(coroutine)
    except RuntimeError:  # Flask's async support needs asgiref: the check ran, as Flask's own would
        wrapped = None
    assert wrapped is not coroutine
    assert coroutine not in app._plain_functions


# ---- who is signed in, in which language ----------------------------------------------------------------


def test_session_protection_identifies_the_browser_as_flask_login_does(app):
    from flask_login.utils import _create_identifier

    from edu.identity import session_identifier

    browsers = [{"User-Agent": "phone A"}, {"User-Agent": "phone B"}, {"User-Agent": "phone A", "X-Forwarded-For": "10.0.0.7"}]
    identifiers = []
    for headers in browsers:
        for _ in range(2):  # the second time from the kept identifiers
            with app.test_request_context(headers=headers, environ_base={"REMOTE_ADDR": "192.0.2.1"}):
                assert session_identifier() == _create_identifier()
                identifiers.append(session_identifier())
    assert len(set(identifiers)) == 3


def test_a_session_carried_to_another_browser_is_no_longer_fresh(app, lesson_class):
    classroom, _lesson = lesson_class
    student, pin = factories.student(classroom)
    db.session.commit()
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = "phone A"
    assert factories.sign_in_student(client, classroom, student, pin).status_code == 302
    assert client.get("/learn/").status_code == 200
    with client.session_transaction() as saved:
        assert saved["_fresh"] is True
    assert client.get("/learn/", headers={"User-Agent": "phone B"}).status_code == 200  # basic protection
    with client.session_transaction() as saved:
        assert saved["_fresh"] is False


@pytest.mark.parametrize("class_locale", ["ko", "en"])
def test_the_request_language_is_the_locale_flask_babel_chooses(app, ctx, class_locale):
    from flask import session
    from flask_babel import get_locale

    from edu.i18n import language

    classroom = factories.classroom(factories.teacher(), locale=class_locale)
    student, pin = factories.student(classroom)
    db.session.commit()
    cases = [({"Accept-Language": "ko-KR,ko;q=0.9"}, None, "ko"), ({"Accept-Language": "en-US"}, None, "en"),
             ({"Accept-Language": "en-US"}, "ko", "ko"), ({}, None, app.config["EDU_LANGUAGES"][0])]
    for headers, chosen, expected in cases:
        with app.app_context(), app.test_request_context(headers=headers):  # each request its own context
            if chosen:
                session["locale"] = chosen
            assert language() == str(get_locale()) == expected
    client = app.test_client()
    assert factories.sign_in_student(client, classroom, student, pin).status_code == 302
    cookie = client.get_cookie("session").value
    with app.app_context(), app.test_request_context(headers={"Cookie": f"session={cookie}",
                                                                    "Accept-Language": "en-US"}):
        app.preprocess_request()
        assert language() == str(get_locale()) == class_locale
