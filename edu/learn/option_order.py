"""The order a quiz shows its options in: shuffled per attempt, the same on every reload of that attempt.

The order is a pure function of (student, quiz, attempt, question), so the page needs nothing stored and looks the
same with and without JavaScript. An option the author pinned (``pin: true``, e.g. "none of these") keeps its
place; true/false questions keep True before False.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def shuffled(options: Sequence[T], seed: bytes, pinned: Sequence[bool] | None = None) -> list[T]:
    """A permutation of ``options`` fixed by ``seed``; options whose ``pinned`` flag is set stay where they are."""
    flags = list(pinned) if pinned is not None else [False] * len(options)
    free = [option for option, pin in zip(options, flags, strict=True) if not pin]
    random.Random(int.from_bytes(seed, "big")).shuffle(free)
    rest = iter(free)
    return [option if pin else next(rest) for option, pin in zip(options, flags, strict=True)]


def attempt_seed(student_id: int, quiz_id: str, attempt_no: int, question_id: str) -> bytes:
    return hashlib.sha256(f"quiz-order\0{student_id}\0{quiz_id}\0{attempt_no}\0{question_id}".encode()).digest()


def option_orders(quiz, student_id: int, attempt_no: int) -> dict[str, list]:
    """{question id: its options in the order this attempt shows them}."""
    orders = {}
    for question in quiz.questions:
        if question.type == "truefalse":
            orders[question.id] = list(question.options)
            continue
        seed = attempt_seed(student_id, quiz.id, attempt_no, question.id)
        orders[question.id] = shuffled(question.options, seed, [o.pinned for o in question.options])
    return orders
