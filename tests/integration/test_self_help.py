"""The public self-help path through the Flask test client: every step of every branch in both languages answers
signed out with no cookie, no-store and no form; each ending names the right services for its age and country
(names and numbers from content/help, never from the template); nothing but the usual request line is logged."""

from __future__ import annotations

import html
import logging
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edu.content import self_help as rules
from tests import factories

ADDRESS = re.compile(r"/help/p/[a-z2-7]{8}")
LOCALES = ("ko", "en")
ENDINGS = [step for step in rules.all_steps() if rules.kind(step) == "ending"]
TITLE = {"ko": "<title>도움 받기 · 바운더리</title>", "en": "<title>Get help · Boundaries</title>"}


def url(locale: str, step: tuple[str, ...]) -> str:
    return f"/help/p/{rules.token(locale, step)}"


def open_page(client, address: str) -> str:
    """The page at ``address``, checked for what every step promises."""
    response = client.get(address)
    assert response.status_code == 200, address
    assert response.headers.getlist("Set-Cookie") == [], address
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert "<form" not in page and "csrf" not in page  # the language switch is links too
    assert 'id="quick-exit" href="/exit"' in page
    assert 'href="/help"' in page
    return page


def choice_links(page: str) -> list[str]:
    listed = page.split('<ul class="choice-list">', 1)
    return ADDRESS.findall(listed[1].split("</ul>", 1)[0]) if len(listed) == 2 else []


def help_names(app, region: str, locale: str, keys) -> list[str]:
    from edu.content_service import catalog

    with app.app_context():
        return [r.name for r in catalog().help_for(region, locale, keys=list(keys))]


@pytest.mark.parametrize("locale", LOCALES)
def test_every_branch_is_reached_from_the_home_page_by_links_alone(client, locale):
    home = client.get("/", headers={"Accept-Language": locale}).get_data(as_text=True)
    start = ADDRESS.findall(home)
    assert start == [url(locale, ())]
    seen, queue = set(), [start[0]]
    while queue:
        address = queue.pop()
        seen.add(address)
        page = open_page(client, address)
        assert TITLE[locale] in page and f'<html lang="{locale}">' in page
        queue += [link for link in choice_links(page) if link not in seen]
    assert seen == {url(locale, step) for step in rules.all_steps()}


def test_the_address_says_nothing_and_the_title_is_the_same_everywhere(client):
    for locale in LOCALES:
        for step in rules.all_steps():
            page = client.get(url(locale, step)).get_data(as_text=True)
            assert page.count(TITLE[locale]) == 1
            for word in ("did", "friend", "regret", "under-18"):
                assert word not in url(locale, step)


@pytest.mark.parametrize("step", ENDINGS, ids="/".join)
def test_each_ending_names_its_services_in_both_languages(app, client, step):
    ending = rules.ending(step)
    for locale in LOCALES:
        page = html.unescape(open_page(client, url(locale, step)))
        for service in (*ending.services, ending.crisis):
            names = help_names(app, service.region, locale, [service.key])
            assert names and names[0] in page, (locale, service)
        for absent in ("take-it-down", "stopncii", "report-remove", "esafety", "acosav", "youth-1388"):
            if absent not in {s.key for s in ending.services}:
                region = "KR" if absent in ("acosav", "youth-1388") else "INTL"
                assert help_names(app, region, locale, [absent])[0] not in page, (locale, absent)


@pytest.mark.parametrize("locale", LOCALES)
def test_korean_endings_show_1366_112_and_109_and_abroad_their_own_lines(client, locale):
    korea = open_page(client, url(locale, ("me", "under-18", "KR")))
    for number in ("tel:1366", "tel:112", "tel:109", "tel:1388", "tel:117", "d4u.stop.or.kr", "takeitdown.ncmec.org"):
        assert number in korea
    adult = open_page(client, url(locale, ("me", "18-plus", "KR")))
    assert "stopncii.org" in adult and "takeitdown" not in adult and "tel:1388" not in adult
    assert "tel:116123" in open_page(client, url(locale, ("friend", "under-18", "GB")))
    assert "esafety.gov.au" in open_page(client, url(locale, ("me", "18-plus", "AU")))
    assert "tel:131114" in open_page(client, url(locale, ("me", "18-plus", "AU")))
    assert "tel:988" in open_page(client, url(locale, ("did", "18-plus", "US")))
    assert "tel:" not in open_page(client, url(locale, ("me", "18-plus", "other")))  # no number we cannot vouch for


def test_the_evidence_rule_has_two_tracks(client):
    friend = open_page(client, url("en", ("friend", "under-18", "KR")))
    assert "Do not save, screenshot or forward the picture, not even as evidence." in friend
    assert "Only your friend can use Take It Down (NCMEC)" in friend
    me = open_page(client, url("en", ("me", "under-18", "KR")))
    assert "Keeping evidence of your own case is not a crime." in me
    assert "Advocacy Center for Online Sexual Abuse Victims (ACOSAV) can collect the evidence with you" in me
    assert "Do not save, screenshot" not in me
    abroad = open_page(client, url("ko", ("me", "18-plus", "US")))
    assert "경찰이나 아래 도움 기관" in abroad
    did = open_page(client, url("en", ("did", "under-18", "KR")))
    assert "Do not contact the person in the picture on your own" in did
    assert "Adults at school must report" in did  # the law from content/legal, with its fine from content/facts
    assert "may also have to tell the police" in did


def test_the_language_links_lead_to_the_same_step(client):
    step = ("friend", "18-plus", "AU")
    page = open_page(client, url("ko", step))
    assert f'href="{url("en", step)}" lang="en"' in page and f'href="{url("ko", step)}" lang="ko"' in page
    english = open_page(client, url("en", step))
    assert "You can help your friend" in english and "친구를 도울 수 있어요" in page


def test_back_and_start_again_go_up_the_path(client):
    page = open_page(client, url("en", ("did", "18-plus")))
    assert f'href="{url("en", ("did",))}">Back' in page and f'href="{url("en", ())}">Start again' in page


def test_unknown_addresses_are_not_found_and_nothing_is_posted(client):
    missing = client.get("/help/p/aaaaaaaa")
    assert missing.status_code == 404 and missing.headers.getlist("Set-Cookie") == []
    assert client.get("/help/p/me").status_code == 404
    assert client.post(url("en", ())).status_code == 405


def test_only_the_request_line_is_logged_and_it_names_no_user(app, ctx, caplog):
    teacher = factories.teacher("selfhelp@school.kr")
    classroom = factories.classroom(teacher)
    student, pin = factories.student(classroom)
    signed_in = app.test_client()
    factories.sign_in_student(signed_in, classroom, student, pin)
    for client in (app.test_client(), signed_in):
        for step in (("did",), ("did", "under-18", "KR")):
            caplog.clear()
            with caplog.at_level(logging.INFO):
                response = client.get(url("ko", step))
            assert response.status_code == 200 and response.headers.getlist("Set-Cookie") == []
            assert [(r.name, r.getMessage()) for r in caplog.records] == [("edu.requests", "request")]
            fields = caplog.records[0].fields
            assert fields["endpoint"] == "public.self_help_step" and fields["user"] == "-"
            assert rules.token("ko", step) not in repr(fields)


def test_the_home_page_the_help_page_and_help_boxes_link_to_the_path(app, client):
    for locale in LOCALES:
        start = url(locale, ())
        assert start in client.get("/", headers={"Accept-Language": locale}).get_data(as_text=True)
        assert start in client.get("/help", headers={"Accept-Language": locale}).get_data(as_text=True)
    with app.app_context():
        factories.staff("author", "box@school.kr")
    author = app.test_client()
    factories.sign_in_staff(author, "box@school.kr")
    boxes = []
    for lesson_locale in LOCALES:  # the box speaks the lesson's language, on an English page too, and so does its link
        for number in range(1, 9):
            response = author.get(f"/preview/lesson/getting-help-friend?locale={lesson_locale}&step={number}",
                                  headers={"Accept-Language": "en"})
            if response.status_code == 404:
                break
            page = response.get_data(as_text=True)
            if 'class="block block--help"' in page:
                boxes.append(url(lesson_locale, ()) in page and url("en" if lesson_locale == "ko" else "ko", ()) not in page)
    assert len(boxes) > 2 and all(boxes)
    with app.app_context():
        classroom = factories.classroom(factories.teacher("talk@school.kr"))
        _student, student = factories.signed_in_student(app, classroom)
    assert url("ko", ()) in student.get("/learn/talk").get_data(as_text=True)  # the class's language


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(locale=st.sampled_from(LOCALES), picks=st.lists(st.integers(min_value=0, max_value=9), min_size=3, max_size=3))
def test_every_walk_ends_at_help_and_quick_exit(client, locale, picks):
    address = url(locale, ())
    for pick in picks:
        links = choice_links(open_page(client, address))
        address = links[pick % len(links)]
    page = open_page(client, address)
    assert choice_links(page) == []  # an ending: services, the crisis line and quick exit (open_page checks it)
    assert page.count('class="help-item"') >= 2 and page.count('class="help-list"') == 2
