"""The group-chat rehearsal block (:::chat, issue 39): what it parses to, the way through it a stored answer makes,
every mistake with its exact ``path:line: message``, the step rules, translations, and malformed input that never
crashes the parser."""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edu.content.chat import Chat, ChatChoice, ChatDecision, ChatLine

from .conftest import Tree, messages

L = "lessons/en/consent"
HEAD = """\
---
id: consent-chat
module: consent
order: 9
title: Chat
summary: A rehearsal.
age_bands: [middle, high]
minutes: 5
status: draft
updated: 2026-11-24
---

## In the chat {#in-the-chat}

:::content-note
This chat is about a photo shared without asking.
:::

:::stepout
id: chat-out
label: Do another activity
alternative: Write what a good friend would do.
:::

"""
CHAT = """\
:::chat
id: class-chat
room: "class 2 chat"
people:
  - {nick: acorn_7, style: instigator}
  - {nick: moonlight, style: friend}
  - {nick: me, style: me}
messages:
  - from: acorn_7
    text: "look what someone sent lol"
  - note: "acorn_7 shared a photo (not shown here)"
  - from: moonlight
    text: "wait is that real?"
  - choose: first
    question: "What do you do?"
    choices:
      - move: ignore
        text: "Scroll past"
        feedback: "Nothing **changes** for the person in the photo."
      - move: not-ok
        text: "Say it's not OK"
        feedback: "You said it plainly."
        then:
          - from: me
            text: "not ok, delete it"
          - from: moonlight
            text: "yeah, delete it"
  - from: acorn_7
    text: "fine, fine"
  - choose: second
    question: "And now?"
    choices:
      - move: tell-adult
        text: "Tell a teacher"
        feedback: "An adult can get it removed."
      - move: leave-report
        text: "Leave and report the room"
        feedback: "Reporting helps."
:::
"""


def _warnings(catalog, path: str = f"{L}/chat.md") -> list[str]:
    return [m for m in messages(catalog, path, "warning") if "is not listed under module" not in m]


def _load(tree: Tree, body: str):
    tree.add(f"{L}/chat.md", text=HEAD + body)
    catalog = tree.load()
    return catalog, catalog.lesson("consent-chat", "en", include_invalid=True)


def test_a_chat_parses_to_people_lines_and_decisions(tree: Tree) -> None:
    catalog, lesson = _load(tree, CHAT)
    assert messages(catalog, f"{L}/chat.md") == []
    assert _warnings(catalog) == []
    chat = lesson.steps[0].blocks("chat")[0]
    assert (chat.id, chat.room) == ("class-chat", "class 2 chat")
    assert [(p.nick, p.style) for p in chat.people] == [("acorn_7", "instigator"), ("moonlight", "friend"),
                                                         ("me", "me")]
    assert chat.items[0] == ChatLine("acorn_7", "instigator", "look what someone sent lol")
    assert chat.items[1] == ChatLine("", "note", "acorn_7 shared a photo (not shown here)")
    first, second = chat.decisions
    assert [c.id for c in first.choices] == ["ignore", "not-ok"]
    assert "<strong>changes</strong>" in first.choices[0].feedback_html
    assert first.choices[1].then == (ChatLine("me", "me", "not ok, delete it"),
                                     ChatLine("moonlight", "friend", "yeah, delete it"))
    assert [c.id for c in second.choices] == ["tell-adult", "leave-report"]


def test_a_stored_answer_shows_the_chat_up_to_the_next_decision(tree: Tree) -> None:
    _catalog, lesson = _load(tree, CHAT)
    chat = lesson.steps[0].blocks("chat")[0]
    before = chat.parts(None)
    assert [p.line.text for p in before[:-1]] == ["look what someone sent lol", "acorn_7 shared a photo (not shown here)",
                                                  "wait is that real?"]
    assert all(p.new for p in before[:-1]) and before[-1].decision.id == "first" and before[-1].chosen is None
    after = chat.parts("not-ok")
    assert [(p.line.text, p.new) for p in after if p.line][-3:] == [
        ("not ok, delete it", True), ("yeah, delete it", True), ("fine, fine", True)]
    assert after[3].chosen.id == "not-ok" and after[-1].decision.id == "second" and after[-1].path == "not-ok"
    assert after[6].feedback.id == "not-ok" and after[6].new  # the feedback follows the consequence
    done = chat.parts("not-ok.tell-adult")
    assert done[-2].chosen.id == "tell-adult" and done[-1].feedback.id == "tell-adult"
    assert chat.finished("not-ok.tell-adult") and not chat.finished("not-ok")
    assert not any(p.new for p in done if p.line and p.line.text == "look what someone sent lol")
    for value in ("ignore", "not-ok.leave-report"):
        assert chat.accepts(value)
    for value in ("", "react", "ignore.ignore", "not-ok.tell-adult.ignore", "not-ok..", "."):
        assert not chat.accepts(value)
    assert chat.parts("nonsense") == chat.parts(None)  # an answer older content cannot read starts afresh


def test_every_mistake_in_a_chat_is_reported_with_its_line(tree: Tree) -> None:
    bad = """\
:::chat
id: bad-chat
room: "room"
people:
  - {nick: Mina, style: friend}
  - {nick: 김민지, style: friend}
  - {nick: acorn_7, style: villain}
messages:
  - from: acorn_7
    text: "see https://example.org"
  - from: nobody
    text: "![a](b.png)"
  - choose: only
    question: "Q?"
    choices:
      - move: shrug
        text: "Shrug"
        feedback: "F."
      - move: ignore
        text: "Ignore"
:::
"""
    catalog, _lesson = _load(tree, bad)
    p = "content/lessons/en/consent/chat.md"
    assert messages(catalog, f"{L}/chat.md") == [
        f"{p}:29: nickname 'Mina' looks like a real person's name in ':::chat' block: use a made-up chat nickname "
        "(e.g. 별빛, 도토리99, moonlight_7, acorn)",
        f"{p}:30: nickname '김민지' looks like a real person's name in ':::chat' block: use a made-up chat nickname "
        "(e.g. 별빛, 도토리99, moonlight_7, acorn)",
        f"{p}:31: unknown speaker style 'villain' in ':::chat' block (use: me, friend, instigator, target, bystander)",
        f"{p}:34: a chat message is text only: no images, links or Markdown in 'messages' in ':::chat' block",
        f"{p}:35: 'nobody' is not one of the chat's people (Mina, 김민지, acorn_7) in 'messages' in ':::chat' block",
        f"{p}:36: a chat message is text only: no images, links or Markdown in 'messages' in ':::chat' block",
        f"{p}:40: unknown move 'shrug' in decision 'only' in 'messages' in ':::chat' block (use: ignore, react, "
        "not-ok, leave-report, message-target, tell-adult)",
        f"{p}:43: the choice 'ignore' has no 'feedback' in decision 'only' in 'messages' in ':::chat' block: "
        "say kindly what this move does",
    ]


def test_a_chat_needs_a_content_note_and_a_step_out_before_it(tree: Tree) -> None:
    tree.add(f"{L}/chat.md", text=HEAD.split(":::content-note")[0] + CHAT + "\n" + CHAT.replace("class-chat", "two"))
    found = _warnings(tree.load())
    assert any("step 'in-the-chat' has 2 ':::chat' blocks" in m for m in found), found
    assert any("has a ':::chat' block but no ':::content-note' before it" in m for m in found), found
    assert any("has a ':::chat' block but no ':::stepout' before it" in m for m in found), found


def test_a_chat_counts_as_something_to_do_and_its_words_are_not_prose(tree: Tree) -> None:
    long_chat = CHAT.replace('"fine, fine"', '"' + " ".join(["word"] * 30) + '"')
    body = long_chat + "\n## Next {#next}\n\nPlain text.\n"
    catalog, _lesson = _load(tree, body)
    assert _warnings(catalog) == []


def test_translations_must_agree_on_decisions_and_moves(tree: Tree) -> None:
    tree.add(f"{L}/chat.md", text=HEAD + CHAT)
    ko = (HEAD + CHAT).replace("move: leave-report", "move: react").replace("status: draft",
                                                                               "status: draft\ntranslated_from: en")
    tree.add("lessons/ko/consent/chat.md", text=ko)
    found = messages(tree.load(), "lessons/ko/consent/chat.md")
    assert any("decisions of chat 'class-chat' differ from" in m for m in found), found


def test_a_chat_has_one_to_three_decisions_and_a_bounded_length(tree: Tree) -> None:
    none = CHAT.split("  - choose: first")[0] + ":::\n"
    catalog, _lesson = _load(tree, none)
    assert any("a chat has 0 decisions ('choose'): use 1 to 3" in m for m in messages(catalog, f"{L}/chat.md"))
    many = CHAT.replace("messages:\n", "messages:\n" + '  - {from: moonlight, text: "hi"}\n' * 25)
    catalog, _lesson = _load(tree, many)
    assert any("the longest way through the chat shows 31 messages and notes: use 2 to 24" in m
               for m in messages(catalog, f"{L}/chat.md"))


def test_a_path_never_goes_past_what_the_chat_offers() -> None:
    decision = ChatDecision("d", "Q?", (ChatChoice("ignore", "I", ""), ChatChoice("not-ok", "N", "")))
    chat = Chat("c", "room", (), (ChatLine("a", "friend", "hi"), decision))
    assert [c.id for c in chat.path("not-ok.ignore")] == ["not-ok"]
    assert not chat.accepts("not-ok.ignore") and chat.accepts("ignore")


_TEXT = st.text(alphabet=string.printable + "가나다김별:-{}[]\n ", max_size=40)
_VALUE = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), _TEXT),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.sampled_from(["id", "room", "people", "messages", "from", "text",
                                                             "note", "choose", "question", "choices", "move",
                                                             "feedback", "then", "nick", "style"]),
                                            inner, max_size=4)),
    max_leaves=12)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.one_of(_TEXT, _VALUE.map(repr)), shape=_VALUE)
def test_malformed_chats_never_crash_and_always_say_why(tree: Tree, body: str, shape) -> None:
    """Any body (random text, or a random YAML shape) is either a valid chat or errors with a line number."""
    import yaml

    for text in (body, yaml.safe_dump({"id": "x", **shape} if isinstance(shape, dict) else shape,
                                      allow_unicode=True)):
        catalog, _lesson = _load(tree, f":::chat\n{text}\n:::\n")
        found = messages(catalog, f"{L}/chat.md")
        assert found, text  # nothing random is a whole valid chat
        assert all(m.startswith("content/lessons/en/consent/chat.md:") and m.split(":")[1].isdigit()
                   for m in found)
