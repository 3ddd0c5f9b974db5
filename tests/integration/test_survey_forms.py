"""Parallel knowledge forms and the 0-100 rating items through the pages: the pre-survey shows the pre form and
the post-survey the post form, ratings are stored and checked, a value not on the form is asked again without
losing the other answers, and the released pre/post comparison is the share right on the form each phase took."""

from __future__ import annotations

import json

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from edu.content_service import catalog
from edu.extensions import db
from edu.insights import dp, releases
from edu.learn import surveys
from edu.models import SurveyAnswer, SurveyRelease, SurveySubmission
from edu.teach import services as teach
from tests import factories
from tests.integration.test_insights import make_class

EN = {"Accept-Language": "en"}


@pytest.fixture
def room(app, ctx):
    teacher = factories.teacher("t@school.kr")
    classroom, _students = make_class(teacher, "forms", 1)
    student, pin = factories.student(classroom)
    client = app.test_client()
    factories.sign_in_student(client, classroom, student, pin)
    return {"client": client, "classroom": classroom, "student": student, "teacher": teacher,
            "survey": catalog().survey("prepost", "en")}


def stored(phase: str) -> dict[str, str | None]:
    db.session.commit()
    return dict(db.session.execute(select(SurveyAnswer.item_id, SurveyAnswer.value)
                                   .where(SurveyAnswer.phase == phase)).all())


def answered(survey, phase: str) -> dict[str, str]:
    return {f"i-{item.id}": factories.survey_value(item, 1) for item in survey.items_for(phase)}


def test_the_pre_survey_shows_the_pre_form_and_the_post_survey_the_post_form(room):
    client, survey = room["client"], room["survey"]
    pre_page = client.get("/learn/survey/pre", headers=EN).get_data(as_text=True)
    post_page = client.get("/learn/survey/post", headers=EN).get_data(as_text=True)
    for item in survey.items:
        in_pre, in_post = f'id="i-{item.id}"' in pre_page, f'id="i-{item.id}"' in post_page
        assert (in_pre, in_post) == (item.shown_in("pre"), item.shown_in("post")), item.id
    k1, k9 = (str(escape(next(i for i in survey.items if i.id == name).prompt)) for name in ("k1", "k9"))
    assert k1 in pre_page and k1 not in post_page
    assert k9 in post_page and k9 not in pre_page
    assert "{class_results}" not in pre_page and "at most 8 class results" in pre_page  # the declared scales' figure


def test_a_post_answer_to_a_pre_item_is_not_stored(room):
    client, survey = room["client"], room["survey"]
    data = {**answered(survey, "post"), "i-k1": "a", "confirmed": "1"}
    assert client.post("/learn/survey/post", data=data, headers=EN).status_code == 200
    answers = stored("post")
    assert "k1" not in answers and answers["k9"] == factories.survey_value(survey.items[1], 1)
    assert set(answers) == {i.id for i in survey.items_for("post") if i.identity == "linked"}


def test_the_rating_item_is_a_select_of_0_to_100_with_prefer_not(room):
    page = room["client"].get("/learn/survey/pre", headers=EN).get_data(as_text=True)
    select_html = page.split('name="i-e1"')[1].split("</select>")[0]
    assert [f'value="{n}"' in select_html for n in range(0, 101, 10)] == [True] * 11
    assert 'value="skip">Prefer not to answer' in select_html and "0: not at all confident" in select_html
    assert 'aria-labelledby="i-e1-legend"' in page and 'id="i-e1-legend"' in page


def test_ratings_are_stored_and_a_value_off_the_scale_is_asked_again_keeping_the_rest(room):
    client, survey = room["client"], room["survey"]
    data = {**answered(survey, "pre"), "i-e1": "70", "i-e2": "75", "confirmed": "1"}
    again = client.post("/learn/survey/pre", data=data, headers=EN)
    page = again.get_data(as_text=True)
    assert again.status_code == 400 and "1 answer was not one of the choices" in page
    assert 'question question--invalid" id="i-e2"' in page and 'question--invalid" id="i-e1"' not in page
    assert '<option value="70" selected>' in page  # the other answers are kept in the form
    k1 = survey.items[0]
    assert f'value="{factories.survey_value(k1, 1)}" id="i-k1-{factories.survey_value(k1, 1)}" checked' in page
    assert db.session.scalar(select(func.count()).select_from(SurveySubmission)) == 0
    for bad in ("150", "-10", "x", "5"):
        assert client.post("/learn/survey/pre", data={**data, "i-e2": bad}, headers=EN).status_code == 400
    assert client.post("/learn/survey/pre", data={**data, "i-e2": "100"}, headers=EN).status_code == 200
    answers = stored("pre")
    assert (answers["e1"], answers["e2"]) == ("70", "100")


def test_the_review_page_shows_a_rating_out_of_100(room):
    client, survey = room["client"], room["survey"]
    review = client.post("/learn/survey/pre", data={**answered(survey, "pre"), "i-e3": "40", "action": "review"},
                         headers=EN).get_data(as_text=True)
    assert "40 out of 100" in review and 'name="i-e3" value="40"' in review


def test_the_korean_page_offers_the_same_choices(app, ctx):
    teacher = factories.teacher("k@school.kr")
    classroom = factories.classroom(teacher, locale="ko")
    teach.assign(classroom, "pre_survey", "prepost")
    db.session.commit()
    student, pin = factories.student(classroom)
    client = app.test_client()
    factories.sign_in_student(client, classroom, student, pin)
    page = client.get("/learn/survey/pre").get_data(as_text=True)
    assert "0: 전혀 자신 없어요" in page and "0~100 중에서 골라요" in page and "답하고 싶지 않아요" in page
    assert "최대 8개" in page and "{epsilon}" not in page


@pytest.fixture
def exact(monkeypatch):
    monkeypatch.setattr(dp, "release", lambda query, values: [int(v) for v in values])


def right_on_form(survey, phase: str, right: int) -> dict[str, str | None]:
    knowledge = [i for i in survey.items_for(phase) if i.type == "knowledge"]
    answers = {item.id: next(o.id for o in item.options if o.correct == (n < right))
               for n, item in enumerate(knowledge)}
    answers.update({i.id: "60" for i in survey.items_for(phase) if i.type == "rating"})
    return answers


def test_the_released_comparison_is_the_share_right_on_each_phase_form(app, ctx, exact):
    survey = catalog().survey("prepost", "en")
    teacher = factories.teacher("t@school.kr")
    classroom, students = make_class(teacher, "compare", 4)
    for student in students:
        surveys.submit_survey(student, survey, "pre", right_on_form(survey, "pre", 3))
        surveys.submit_survey(student, survey, "post", right_on_form(survey, "post", 8))
    db.session.commit()
    pre, post = (releases.release_class(classroom, survey, phase) for phase in dp.PHASES)
    for release, right in ((pre, 3), (post, 8)):
        figures = {f["scale"]: f for f in json.loads(release.figures)["figures"]}
        assert figures["knowledge"]["noisy"] == [4 * right] and figures["knowledge"]["items"] == 10
        assert figures["bystander_efficacy"]["noisy"] == [4 * 3 * 6, 4 * 3] and figures["bystander_efficacy"]["step"] == 10
    shown = {f.scale: f for f in releases.class_figures(post).figures}
    assert shown["bystander_efficacy"].percent and shown["bystander_efficacy"].high == 100
    assert json.loads(pre.figures)["figures"][0]["query"]["sensitivity"] == 10  # one form, not both


def test_a_teacher_reading_every_release_never_exceeds_the_declared_budget(app, ctx):
    survey = catalog().survey("prepost", "en")
    teacher = factories.teacher("t@school.kr")
    classroom, students = make_class(teacher, "budget", 6)
    client = app.test_client()
    factories.sign_in_staff(client, "t@school.kr")
    for student in students:
        surveys.submit_survey(student, survey, "pre", right_on_form(survey, "pre", 5))
        surveys.submit_survey(student, survey, "post", right_on_form(survey, "post", 7))
    db.session.commit()
    for phase in ("pre", "post", "pre", "post", "post"):
        client.post(f"/teach/classes/{classroom.id}/outcomes/release", data={"phase": phase})
        client.get(f"/teach/classes/{classroom.id}/outcomes", headers=EN)
    spent = db.session.scalar(select(func.sum(SurveyRelease.epsilon)).where(SurveyRelease.classroom_id == classroom.id))
    budget = dp.class_term_budget(survey)
    assert spent == pytest.approx(budget) == 2 * sum(s.class_page for s in survey.scales)
    assert dp.term_epsilon(survey) == pytest.approx(budget + dp.school_epsilon())
    page = client.get(f"/teach/classes/{classroom.id}/outcomes", headers=EN).get_data(as_text=True)
    assert f"at most {budget:.0f} a term for this class" in page
    assert "Confidence to help a friend (0-100)" in page  # the scale's label from the survey file
