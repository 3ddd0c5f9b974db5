"""The group-chat rehearsal block (``:::chat``, issue 39): a made-up group chat whose messages arrive one by one,
stopping at decision points where the student picks a move and sees what follows and why.

Pure data and its parsing. Messages are text only (no images, no links, no Markdown) from made-up nicknames; a
student's way through the chat is stored as one answer: the chosen move of each decision so far, joined by dots
(``"not-ok.tell-adult"``), like a scenario choice (edu/learn/lessons.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from .fields import FileResult, LintText
from .yamlio import LDict, LList

CHAT_STYLES = ("me", "friend", "instigator", "target", "bystander")  # how a person's messages look
CHAT_MOVES = ("ignore", "react", "not-ok", "leave-report", "message-target", "tell-adult")
CHAT_DECISIONS = (1, 3)  # at least, at most
CHAT_LINES = (2, 24)  # messages and notes on the longest way through the chat: at least, at most
MESSAGE_MAX = 160  # characters in one message: a chat line, not a paragraph
NICK_MAX = 20
PATH_SEP = "."
QUESTION_ID_MAX = 64  # "<chat id>.<decision id>": a live lesson counts each decision under this id

_LINK = re.compile(r"https?://|www\.|\]\(|!\[|<\s*img|data:|\.(?:jpe?g|png|gif|webp|mp4)\b", re.IGNORECASE)
_CITATION = re.compile(r"\[\[fact:")
# The most common Korean family names: a three-syllable Hangul nickname starting with one reads as a full name.
_KO_SURNAMES = set("김이박최정강조윤장임한오서신권황안송전홍유고문양손배백허남심노하곽성차주우구민진나지엄채원천방공현함변염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용")
_EN_NAME = re.compile(r"^[A-Z][a-z]+(?:[ .'-][A-Z][a-z]+)*$")  # "Mina", "Jun Park": capitalised words only


@dataclass(frozen=True)
class ChatPerson:
    nick: str
    style: str


@dataclass(frozen=True)
class ChatLine:
    """A message (``nick`` and ``style`` of its sender) or a note of the app (``style == "note"``, no nick)."""

    nick: str
    style: str
    text: str


@dataclass(frozen=True)
class ChatChoice:
    id: str  # one of CHAT_MOVES
    text: str
    feedback_html: str
    then: tuple[ChatLine, ...] = ()  # what happens in the chat next, shown before the feedback


@dataclass(frozen=True)
class ChatDecision:
    id: str
    question: str
    choices: tuple[ChatChoice, ...]

    def choice(self, choice_id: str) -> ChatChoice | None:
        return next((c for c in self.choices if c.id == choice_id), None)


@dataclass(frozen=True)
class ChatPart:
    """One thing the reader sees, in order: a line (``new``: it arrives now, one by one with JavaScript) or a
    decision with the choice made (None: the decision the chat waits for)."""

    line: ChatLine | None = None
    decision: ChatDecision | None = None
    chosen: ChatChoice | None = None
    feedback: ChatChoice | None = None  # after a choice's consequence: its feedback
    path: str = ""  # a decision's answers before it: the value of its buttons is this plus the move
    new: bool = False


@dataclass(frozen=True)
class Chat:
    kind: ClassVar[str] = "chat"
    id: str
    room: str
    people: tuple[ChatPerson, ...]
    items: tuple[ChatLine | ChatDecision, ...]

    @property
    def decisions(self) -> tuple[ChatDecision, ...]:
        return tuple(i for i in self.items if isinstance(i, ChatDecision))

    def path(self, answer: str | None) -> list[ChatChoice]:
        """The choices of a stored answer, decision by decision, as far as they fit this chat."""
        chosen: list[ChatChoice] = []
        for decision, move in zip(self.decisions, (answer or "").split(PATH_SEP), strict=False):
            choice = decision.choice(move)
            if choice is None:
                break
            chosen.append(choice)
        return chosen

    def accepts(self, answer: str) -> bool:
        """Whether ``answer`` is a way through the chat up to one of its decisions (what a button posts)."""
        moves = answer.split(PATH_SEP)
        return 1 <= len(moves) <= len(self.decisions) and len(self.path(answer)) == len(moves)

    def parts(self, answer: str | None) -> list[ChatPart]:
        """What the reader sees for ``answer``: the lines up to the first decision not yet made (or to the end),
        each decision made with its consequence; lines after the last choice made are ``new``."""
        chosen = self.path(answer)
        made = len(chosen)
        out: list[ChatPart] = []
        index = 0
        for item in self.items:
            if isinstance(item, ChatLine):
                out.append(ChatPart(line=item, new=index == made))
                continue
            path = PATH_SEP.join(c.id for c in chosen[:index])
            if index >= made:
                out.append(ChatPart(decision=item, path=path))
                return out
            choice = chosen[index]
            out.append(ChatPart(decision=item, chosen=choice, path=path))
            index += 1
            out.extend(ChatPart(line=line, new=index == made) for line in choice.then)
            out.append(ChatPart(feedback=choice, new=index == made))
        return out

    def longest(self) -> int:
        """The messages and notes of the longest way through the chat (each decision's longest 'then')."""
        return sum(1 if isinstance(i, ChatLine) else max((len(c.then) for c in i.choices), default=0)
                   for i in self.items)

    def finished(self, answer: str | None) -> bool:
        return len(self.path(answer)) == len(self.decisions)


# ---- parsing -----------------------------------------------------------------------------------------------------


def _looks_like_a_name(nick: str) -> bool:
    hangul = [c for c in nick if "가" <= c <= "힣"]
    if len(hangul) == len(nick) == 3 and nick[0] in _KO_SURNAMES:
        return True
    return bool(_EN_NAME.match(nick))


def _people(res: FileResult, d: LDict, where: str) -> dict[str, ChatPerson]:
    raw = d.get("people")
    people: dict[str, ChatPerson] = {}
    if raw is None:
        return people
    if not isinstance(raw, LList) or not raw:
        res.error(d.line_of("people"), f"'people' must be a list of {{nick: ..., style: ...}}{where}")
        return people
    for i, entry in enumerate(raw):
        p = res.mapping(entry, raw.line_of(i), f"each of 'people'{where}")
        if p is None:
            continue
        res.keys(p, {"nick", "style"}, set(), f" in 'people'{where}")
        nick, style = res.raw_text(p, "nick", where).strip(), res.raw_text(p, "style", where)
        if style and style not in CHAT_STYLES:
            res.error(p.line_of("style"), f"unknown speaker style '{style}'{where} (use: {', '.join(CHAT_STYLES)})")
        if not nick:
            continue
        if len(nick) > NICK_MAX or _LINK.search(nick):
            res.error(p.line_of("nick"), f"nickname '{nick}' must be a short made-up name, at most {NICK_MAX} "
                                         f"characters, with no link{where}")
        elif _looks_like_a_name(nick):
            res.error(p.line_of("nick"), f"nickname '{nick}' looks like a real person's name{where}: use a made-up "
                                         "chat nickname (e.g. 별빛, 도토리99, moonlight_7, acorn)")
        if nick in people:
            res.error(p.line_of("nick"), f"nickname '{nick}' is listed twice in 'people'{where}")
        people[nick] = ChatPerson(nick, style)
    return people


def _message_text(res: FileResult, m: LDict, key: str, where: str) -> str:
    text = res.raw_text(m, key, where).strip()
    line = m.line_of(key)
    if _LINK.search(text):
        res.error(line, f"a chat message is text only: no images, links or Markdown{where}")
    elif _CITATION.search(text):
        res.error(line, f"a chat message cannot cite a fact: put the figure in the feedback{where}")
    if len(text) > MESSAGE_MAX:
        res.error(line, f"a chat message has {len(text)} characters (at most {MESSAGE_MAX}): split it{where}")
    if text:
        res.shown.append((line, f"“{text}”"))  # a character's words: the house terms apply, the register does not
    return text


def _lines(res: FileResult, raw, line: int, people: dict[str, ChatPerson], where: str, *,
           decisions: list | None = None) -> list:
    """The items of ``messages`` (``decisions`` collects its decisions) or of a choice's ``then``."""
    if not isinstance(raw, LList):
        res.error(line, f"must be a list of messages{where}")
        return []
    items: list = []
    for i, entry in enumerate(raw):
        m = res.mapping(entry, raw.line_of(i), f"each message{where}")
        if m is None:
            continue
        if "choose" in m:
            if decisions is None:
                res.error(m.line_of("choose"), f"a choice's 'then' cannot hold another decision{where}")
                continue
            decision = _decision(res, m, people, where)
            decisions.append(decision)
            items.append(decision)
        elif "note" in m:
            res.keys(m, {"note"}, set(), where)
            items.append(ChatLine("", "note", _message_text(res, m, "note", where)))
        else:
            res.keys(m, {"from", "text"}, set(), f" in a message{where} (a message has 'from' and 'text'; a note "
                                                 "'note'; a decision 'choose', 'question' and 'choices')")
            nick = res.raw_text(m, "from", where).strip()
            person = people.get(nick)
            if nick and person is None:
                res.error(m.line_of("from"), f"'{nick}' is not one of the chat's people "
                                             f"({', '.join(people) or 'none'}){where}")
            items.append(ChatLine(nick, person.style if person else "friend", _message_text(res, m, "text", where)))
    return items


def _decision(res: FileResult, m: LDict, people: dict[str, ChatPerson], where: str) -> ChatDecision:
    res.keys(m, {"choose", "question", "choices"}, set(), where)
    did = res.ident(m, "choose", where)
    inner = f" in decision '{did}'{where}"
    choices: list[ChatChoice] = []
    raw = m.get("choices")
    if raw is not None and not isinstance(raw, LList):
        res.error(m.line_of("choices"), f"'choices' must be a list{inner}")
        raw = None
    for i, entry in enumerate(raw or []):
        c = res.mapping(entry, raw.line_of(i), f"each of 'choices'{inner}")
        if c is None:
            continue
        res.keys(c, {"move", "text"}, {"feedback", "then"}, inner)
        move = res.raw_text(c, "move", inner)
        if move and move not in CHAT_MOVES:
            res.error(c.line_of("move"), f"unknown move '{move}'{inner} (use: {', '.join(CHAT_MOVES)})")
        if move in {x.id for x in choices}:
            res.error(c.line_of("move"), f"move '{move}' is offered twice{inner}")
        if "feedback" not in c:
            res.error(c.line, f"the choice '{move}' has no 'feedback'{inner}: say kindly what this move does")
        feedback = res.text(c, "feedback", inner, required=False)
        res.lint_texts.append(LintText(c.line_of("feedback"), f"feedback of move '{move}' in chat decision '{did}'",
                                       feedback))
        then = _lines(res, c["then"], c.line_of("then"), people, inner) if "then" in c else []
        choices.append(ChatChoice(move, res.text(c, "text", inner), res.md_field(c, "feedback", inner,
                                                                                  required=False), tuple(then)))
    if len(choices) < 2:
        res.error(m.line_of("choices") if "choices" in m else m.line, f"a decision needs at least 2 choices{inner}")
    return ChatDecision(did, res.text(m, "question", inner), tuple(choices))


def parse_chat(res: FileResult, d: LDict, where: str) -> Chat:
    res.keys(d, {"id", "room", "people", "messages"}, set(), where)
    people = _people(res, d, where)
    decisions: list[ChatDecision] = []
    items = _lines(res, d["messages"], d.line_of("messages"), people, f" in 'messages'{where}",
                   decisions=decisions) if "messages" in d else []
    chat = Chat(str(d.get("id", "")), res.text(d, "room", where), tuple(people.values()), tuple(items))
    low, high = CHAT_DECISIONS
    if "messages" in d and not low <= len(decisions) <= high:
        res.error(d.line_of("messages"), f"a chat has {len(decisions)} decisions ('choose'): use {low} to {high}"
                                         f"{where}")
    seen: set[str] = set()
    for decision in decisions:
        if len(f"{chat.id}.{decision.id}") > QUESTION_ID_MAX:
            res.error(d.line_of("messages"), f"the chat id and decision id '{decision.id}' are too long together "
                                             f"(at most {QUESTION_ID_MAX} characters with the dot){where}")
        if decision.id in seen:
            res.error(d.line_of("messages"), f"duplicate decision id '{decision.id}'{where}")
        seen.add(decision.id)
    count = chat.longest()
    if "messages" in d and not CHAT_LINES[0] <= count <= CHAT_LINES[1]:
        res.error(d.line_of("messages"), f"the longest way through the chat shows {count} messages and notes: "
                                         f"use {CHAT_LINES[0]} to {CHAT_LINES[1]}{where}")
    return chat
