"""The dating module (issue 40): the age-of-consent step cites the ages for high school and university and never
for middle school; ages, the article and help numbers come from the registries; the quiz result page states the
score. The parts every module has are checked in test_module_parts.py."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from edu.content_service import catalog

MODULE = "dating"
BANDS = ("middle", "high", "university")
# The age-of-consent step: the ages are cited from the registry for high school and university, never for
# middle school (relationships and respect without sexual detail).
AGE_WORDING = {"ko": "13세 이상 16세 미만", "en": "13, 14 or 15"}


@pytest.fixture
def student_client(module_student):
    return functools.partial(module_student, MODULE)




def _age_step_text(page: str) -> str:
    """The part of the page the student reads, without the collapsed legal registry entry below it."""
    return page.split('class="legal', 1)[0]






@pytest.mark.parametrize("locale", ["ko", "en"])
@pytest.mark.parametrize("band", BANDS)
def test_the_age_of_consent_step_cites_the_ages_for_high_school_and_university_only(student_client, locale, band):
    lesson = catalog().lesson("dating-consent", locale)
    number = [step.id for step in lesson.steps].index("age-law") + 1
    page = student_client(locale, band).get(f"/learn/lesson/dating-consent?step={number}").get_data(as_text=True)
    assert (AGE_WORDING[locale] in _age_step_text(page)) == (band != "middle")


def test_the_age_of_consent_and_help_numbers_come_from_the_registries(ctx):
    """Ages, the article and help-line numbers are cited, never typed into the module's lessons or quiz."""
    root = Path(__file__).resolve().parents[2] / "content"
    files = [*root.glob(f"lessons/*/{MODULE}/*.md"), *root.glob(f"quizzes/*/{MODULE}/*.yaml")]
    assert len(files) == 8  # three lessons and the quiz, in two languages
    for path in files:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".md":
            text = text.split("\n---\n", 1)[1]  # the lesson, without its front matter (sources may name articles)
        body = "\n".join(line for line in text.splitlines()  # registry keys and sources name them; text never does
                          if not line.lstrip().startswith(("keys:", "title:", "url:")))
        for typed in ("13세", "16세", "19세", "제305조", "1366", "1388", "112", "117", "109", "Art. 305"):
            assert typed not in body, (path.name, typed)


@pytest.mark.parametrize(("locale", "score_text"), [("en", "You got {right} out of {total}"),
                                                    ("ko", "{total}문제 중 {right}문제를 맞혔어요")])
def test_the_quiz_grades_a_submission(student_client, locale, score_text):
    client = student_client(locale, "university")
    quiz = catalog().quiz("dating-quiz", locale)
    answers = {f"q-{q.id}": [o.id for o in q.options if o.correct] for q in quiz.questions}
    wrong = quiz.questions[0]  # one question answered wrongly
    answers[f"q-{wrong.id}"] = [next(o.id for o in wrong.options if not o.correct)]
    response = client.post("/learn/quiz/dating-quiz", data={**answers, "attempt": "1", "action": "submit"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    total = len(quiz.questions)
    assert score_text.format(right=total - 1, total=total) in page


