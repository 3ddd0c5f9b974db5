"""The data generator's pure helpers (class sizes, the stage mix, join codes and pseudonyms) and its command,
`python -m bench.datagen` (the one test that imports from bench/: it tests bench code)."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import func, select

from bench.datagen import generate_with_progress
from edu.auth.codes import JOIN_CODE_ALPHABET
from edu.extensions import db
from edu.models import Student
from tests.datagen import STAGES, class_sizes, expected_answers, join_code, pseudonym, stage_shares


@pytest.mark.parametrize("students", [1, 24, 25, 31, 1000, 12345])
def test_class_sizes_add_up_and_stay_between_25_and_30(students):
    sizes = class_sizes(students, random.Random(students))
    assert sum(sizes) == students
    assert all(25 <= size <= 30 for size in sizes[:-1]) and 1 <= sizes[-1] <= 30


@pytest.mark.parametrize("rate", [0.0, 5.0, 20.0, 40.0, 1000.0])
def test_stage_shares_give_the_asked_answers_per_student_when_possible(rate):
    per_stage = {s.name: expected_answers(s, survey_items=21, quiz_length=8.5) for s in STAGES}
    shares = stage_shares(rate, per_stage)
    assert sum(shares.values()) == pytest.approx(1.0) and all(share >= 0 for share in shares.values())
    reached = sum(shares[name] * per_stage[name] for name in shares)
    assert reached == pytest.approx(min(rate, per_stage["finished"]))


def test_join_codes_are_unique_longer_than_real_ones_and_readable():
    codes = {join_code(i) for i in range(1, 20_000)}
    assert len(codes) == 19_999
    assert all(len(code) == 8 and set(code) <= set(JOIN_CODE_ALPHABET) | {"G"} for code in codes)


def test_pseudonyms_are_unique_in_a_class_and_in_the_class_language():
    rng, taken = random.Random(1), set()
    names = [pseudonym(rng, "ko", taken) for _ in range(30)]
    assert len(set(names)) == 30 and all(not name.isascii() for name in names)
    assert pseudonym(random.Random(1), "en", set()).isascii()


def test_bench_command_generates_with_a_progress_bar(app, ctx, capsys):
    generate_with_progress(students=60, answers=1200, schools=None, seed=4)
    output = capsys.readouterr().out
    assert "Generating students" in output and "60 students" in output
    assert db.session.scalar(select(func.count()).select_from(Student)) == 60
    generate_with_progress(students=60, answers=2_000_000, schools=None, seed=4)
    assert "already in the database" in capsys.readouterr().out
