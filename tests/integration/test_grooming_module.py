"""The grooming module (issue 40): the law step names the grooming offence, and international classes also get
the under-18 rule. The parts every module has are checked in test_module_parts.py."""

from __future__ import annotations

import functools

import pytest

MODULE = "grooming"


@pytest.fixture
def student_client(module_student):
    return functools.partial(module_student, MODULE)






def test_the_law_step_names_the_grooming_offence_and_international_classes_also_get_the_under_18_rule(student_client):
    korean = student_client("ko", "middle", "KR").get("/learn/lesson/grooming-what-to-do?step=2")
    assert "제15조의2" in korean.get_data(as_text=True)
    for country in ("KR", "GB"):
        page = student_client("en", "university", country).get("/learn/lesson/grooming-what-to-do?step=2")
        html = page.get_data(as_text=True)
        assert "Art. 15-2" in html and "child sexual abuse material" in html, country






