"""The group-chat rehearsal block (issue 39) through the Flask test client, on the real group-chat lesson: without
JavaScript every message up to the decision shows and each choice is a form; the way through is stored per student
like a scenario choice; nothing of it reaches the teacher per pseudonym; in a live lesson each decision is a question
whose totals follow the one reveal rule."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from edu.extensions import db
from edu.models import BlockResponse, LiveAnswerer, LiveQuestion
from tests import factories

LESSON_ID = "group-chat-safe-moves"
LESSON = f"/learn/lesson/{LESSON_ID}"
CHAT = "class-room-chat"
EN = {"Accept-Language": "en"}
KO = {"Accept-Language": "ko"}


def _text(response) -> str:
    return response.get_data(as_text=True)


def _step(client, headers=EN) -> tuple[int, str]:
    """The number of the rehearsal step and its page."""
    for number in range(1, 12):
        page = _text(client.get(f"{LESSON}?step={number}", headers=headers))
        if f'id="block-{CHAT}"' in page:
            return number, page
    raise AssertionError("no chat step")


@pytest.fixture
def student(module_student):
    return module_student("group-chat", "en")


def test_without_javascript_the_chat_shows_every_message_up_to_the_decision_as_forms(student):
    number, page = _step(student)
    assert "Group chat rehearsal" in page and "class 2-3 chat" in page
    assert "guys look at this lmao" in page and "...has cottoncandy seen this?" in page
    assert page.count("data-chat-new") == 5  # the opening messages arrive one by one with JavaScript
    assert "The chat goes quiet for a moment. What do you do?" in page
    assert f'action="{LESSON}/block/{CHAT}#block-{CHAT}"' in page
    assert 'name="choice" value="not-ok"' in page and 'name="choice" value="tell-adult"' in page
    assert "catpaw sends you a private message" not in page  # what comes after the decision waits for it
    assert "Skip the chat practice" in page and "Content note" in page


def test_choices_are_stored_as_the_way_through_and_show_consequence_then_feedback(student, app):
    number, _page = _step(student)
    answered = student.post(f"{LESSON}/block/{CHAT}", data={"choice": "not-ok"})
    assert answered.headers["Location"].endswith(f"{LESSON}?step={number}#block-{CHAT}")
    page = _text(student.get(answered.headers["Location"]))
    consequence, feedback = page.index("yeah this isn&#39;t ok. delete it"), page.index("When one person speaks first")
    assert consequence < feedback < page.index("What do you reply to catpaw?")
    assert 'name="choice" value="not-ok.tell-adult"' in page and 'aria-pressed="true"' in page
    assert page.count("data-chat-new") == 6  # the consequence (3), its feedback and the next day (2)
    assert db.session.scalar(select(BlockResponse.choice).where(BlockResponse.block_id == CHAT)) == "not-ok"
    student.post(f"{LESSON}/block/{CHAT}", data={"choice": "not-ok.tell-adult"})
    page = _text(student.get(f"{LESSON}?step={number}"))
    assert "ok. staff room at lunch?" in page and "Two is much easier than one" in page
    assert "You can go back to any moment in the chat and choose differently." in page
    db.session.expire_all()
    assert db.session.scalar(select(BlockResponse.choice).where(BlockResponse.block_id == CHAT)) == \
        "not-ok.tell-adult"
    student.post(f"{LESSON}/block/{CHAT}", data={"choice": "ignore"})  # choosing again at the first decision
    db.session.expire_all()
    assert db.session.scalar(select(BlockResponse.choice).where(BlockResponse.block_id == CHAT)) == "ignore"
    assert db.session.scalar(select(func.count()).select_from(BlockResponse)) == 1
    for bad in ("tell-adult.ignore.ignore", "shrug", "ignore.react", "", "ignore."):
        assert student.post(f"{LESSON}/block/{CHAT}", data={"choice": bad}).status_code == 400, bad


def test_the_korean_chat(module_student):
    client = module_student("group-chat", "ko")
    number, page = _step(client, KO)
    assert "단톡방 리허설" in page and "야 이거 봄?? ㅋㅋㅋ" in page and "채팅 연습 건너뛰기" in page
    client.post(f"{LESSON}/block/{CHAT}", data={"choice": "tell-adult"}, headers=KO)
    page = _text(client.get(f"{LESSON}?step={number}", headers=KO))
    assert "선생님은 이런 일을 알게 되면 경찰에 신고해야 해요" in page and "고양이발에게 뭐라고 답할까요?" in page


def test_a_step_out_hides_the_chat(student):
    number, _page = _step(student)
    student.post(f"{LESSON}/block/rehearsal-out", data={"choice": "out"})
    page = _text(student.get(f"{LESSON}?step={number}"))
    assert "Pick one of the five safe moves" in page and "guys look at this lmao" not in page


def test_the_teacher_never_sees_one_students_choices(app, ctx):
    room = factories.class_room(app, "chat-owner@school.kr", students=2, assign=(("module", "group-chat"),))
    for (_student, client), choice in zip(room["students"], ("react", "leave-report"), strict=True):
        _step(client)
        assert client.post(f"{LESSON}/block/{CHAT}", data={"choice": choice}).status_code == 302
    teacher, classroom = room["teacher_client"], room["classroom"]
    pages = [_text(teacher.get(path, headers=EN)) for path in (
        f"/teach/classes/{classroom.id}", f"/teach/classes/{classroom.id}/progress",
        f"/teach/classes/{classroom.id}/outcomes", f"/teach/classes/{classroom.id}/students")]
    for page in pages:
        for text in ("Add a laughing emoji to fit in.", "Don&#39;t open the picture", "react", "leave-report"):
            assert text not in page


# ---- live lessons ------------------------------------------------------------------------------------------------


@pytest.fixture
def live_room(app, ctx):
    return factories.class_room(app, "chat-live@school.kr", students=6, assign=(("module", "group-chat"),))


def _live_step(room) -> tuple[object, int]:
    teacher = room["teacher_client"]
    base = f"/teach/classes/{room['classroom'].id}/live"
    assert teacher.post(base + "/start", data={"lesson": LESSON_ID}).status_code == 302
    for number in range(2, 12):
        teacher.post(base + "/step", data={"step": number})
        if f'id="block-{CHAT}"' in _text(teacher.get(base, headers=EN)):
            return teacher, number
    raise AssertionError("no chat step")


def test_live_each_decision_is_a_question_whose_totals_wait_for_five(live_room):
    teacher, _number = _live_step(live_room)
    base = f"/teach/classes/{live_room['classroom'].id}/live"
    phones = [client for _student, client in live_room["students"]]
    first = f"{CHAT}.first-move"
    projector = _text(teacher.get(base, headers=EN))
    assert "class 2-3 chat 🐣: The chat goes quiet for a moment. What do you do?" in projector
    assert "class 2-3 chat 🐣: What do you reply to catpaw?" in projector
    for index, phone in enumerate(phones[:4]):
        choice = ("not-ok", "tell-adult")[index % 2]
        assert phone.post("/learn/live/answer", data={"block": CHAT, "choice": choice}).status_code == 302
        phone.post("/learn/live/answer", data={"block": CHAT, "choice": "react"})  # a second answer: not counted
    page = _text(phones[0].get("/learn/live", headers=EN))
    assert "saved it haha" in page and "What do you reply to catpaw?" in page  # the other choice: shown, not counted
    panel = _text(teacher.get(base, headers=EN))
    assert "4 answers" in panel and "Reveal the totals" not in panel
    teacher.post(base + "/reveal", data={"block": first})  # refused: fewer than five
    assert db.session.scalar(select(LiveQuestion.revealed_at).where(LiveQuestion.block_id == first)) is None
    assert phones[4].post("/learn/live/answer", data={"block": CHAT, "choice": "ignore"}).status_code == 302
    assert teacher.post(base + "/reveal", data={"block": first}).status_code == 302
    db.session.expire_all()
    frozen = db.session.scalar(select(LiveQuestion.totals).where(LiveQuestion.block_id == first))
    assert frozen == ('{"ignore": 1, "leave-report": 0, "message-target": 0, "not-ok": 2, "react": 0, '
                      '"tell-adult": 2}')
    revealed = _text(teacher.get(base, headers=EN))
    assert "Closed: these totals are final" in revealed and "5 answers" in revealed
    # the second decision is counted on its own, and its totals stay hidden
    phones[0].post("/learn/live/answer", data={"block": CHAT, "choice": "not-ok.tell-adult"})
    assert db.session.scalar(select(func.count()).select_from(LiveAnswerer).where(
        LiveAnswerer.block_id == f"{CHAT}.second-move")) == 1
    assert phones[5].post("/learn/live/answer", data={"block": CHAT, "choice": "ignore.ignore.ignore"}) \
        .status_code == 400


def test_the_authors_preview_walks_the_chat_with_nothing_stored(app, ctx):
    factories.staff("author", "chat-author@school.kr")
    client = app.test_client()
    factories.sign_in_staff(client, "chat-author@school.kr")
    base = f"/preview/lesson/{LESSON_ID}?locale=ko&band=middle&country=KR"
    step = next(n for n in range(1, 12) if f'id="block-{CHAT}"' in _text(client.get(f"{base}&step={n}")))
    page = _text(client.get(f"{base}&step={step}"))
    assert 'method="get"' in page and 'name="choice" value="not-ok"' in page
    page = _text(client.get(f"{base}&step={step}&block={CHAT}&choice=not-ok"))
    assert "ㅇㅇ 이건 좀 아님. 지워" in page and 'name="r.class-room-chat" value="not-ok"' in page
    assert "고양이발에게 뭐라고 답할까요?" in page
    page = _text(client.get(f"{base}&step={step}&r.{CHAT}=not-ok&block={CHAT}&choice=not-ok.tell-adult"))
    assert "점심시간에 교무실 가자" in page
    assert db.session.scalar(select(func.count()).select_from(BlockResponse)) == 0
