"""The quiz shows its options shuffled per attempt: the same order on every reload of the attempt (the page is
plain HTML, so with and without JavaScript), another order for the next attempt, and the result page in the order
the student saw."""

from __future__ import annotations

import re

import pytest

from edu.content_service import catalog
from edu.extensions import db
from edu.teach import services as teach
from tests import factories

OPTION = re.compile(r'name="q-([\w-]+)" value="([\w-]+)"')


@pytest.fixture
def quiz_client(app, ctx):
    classroom = factories.classroom(factories.teacher(), locale="en", country="KR")
    teach.assign(classroom, "module", "consent")
    db.session.commit()
    student, pin = factories.student(classroom)
    client = app.test_client()
    factories.sign_in_student(client, classroom, student, pin)
    return client, catalog().quiz_for("consent", "en", "KR")


def shown_order(html: str) -> dict[str, list[str]]:
    order: dict[str, list[str]] = {}
    for question_id, option_id in OPTION.findall(html):
        order.setdefault(question_id, []).append(option_id)
    return order


def all_right(quiz) -> dict:
    return {f"q-{q.id}": [o.id for o in q.options if o.correct] for q in quiz.questions}


def test_the_order_holds_on_reload_and_changes_with_the_next_attempt(quiz_client):
    client, quiz = quiz_client
    first = shown_order(client.get(f"/learn/quiz/{quiz.id}").get_data(as_text=True))
    assert set(first) == {q.id for q in quiz.questions}
    client.post(f"/learn/quiz/{quiz.id}/answer", json={"question": quiz.questions[0].id,
                                                      "options": [quiz.questions[0].options[0].id]})
    assert shown_order(client.get(f"/learn/quiz/{quiz.id}").get_data(as_text=True)) == first
    authored = {q.id: [o.id for o in q.options] for q in quiz.questions if q.type != "truefalse"}
    assert any(first[qid] != ids for qid, ids in authored.items())  # not the authored order

    result = client.post(f"/learn/quiz/{quiz.id}", data={**all_right(quiz), "attempt": "1", "action": "submit"})
    assert result.status_code == 302
    result_page = client.get(result.headers["Location"]).get_data(as_text=True)
    for question in quiz.questions:  # the result lists the options in the order the student saw them
        texts = [next(o.text for o in question.options if o.id == oid) for oid in first[question.id]]
        positions = [result_page.find(text.replace('"', "&#34;").replace("'", "&#39;")) for text in texts]
        assert -1 not in positions and positions == sorted(positions)

    second = shown_order(client.get(f"/learn/quiz/{quiz.id}").get_data(as_text=True))
    assert second != first
    assert all(sorted(second[q]) == sorted(first[q]) for q in first)


def test_true_false_questions_keep_true_before_false(quiz_client):
    client, quiz = quiz_client
    order = shown_order(client.get(f"/learn/quiz/{quiz.id}").get_data(as_text=True))
    for question in quiz.questions:
        if question.type == "truefalse":
            assert order[question.id] == ["true", "false"]
