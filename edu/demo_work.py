"""Work done by demo students, so the teacher's pages have something to show from the first run."""

from __future__ import annotations

from edu.content_service import catalog
from edu.domain import LIKERT_VALUES, RATING_VALUES
from edu.learn import assignments, lessons, quizzes, surveys
from edu.models import Classroom
from edu.teach import services as teach

DEMO_MODULES = ("consent", "deepfakes", "law")


def add_demo_work(classroom: Classroom) -> None:
    """Assign the pre-survey and three modules; every student has done the pre-survey, the first ones some of the
    first module."""
    current = catalog()
    teach.assign(classroom, "pre_survey", surveys.SURVEY_ID)
    for module_id in DEMO_MODULES:
        if current.module(module_id) is not None:
            teach.assign(classroom, "module", module_id)
    locale, region = classroom.locale, classroom.region
    module_lessons = current.lessons_for(DEMO_MODULES[0], locale, region=region, band=classroom.age_band)
    module_quizzes = assignments.module_quizzes(current, DEMO_MODULES[0], locale, region)
    students = sorted(classroom.students, key=lambda s: s.pseudonym)
    survey = current.survey(surveys.SURVEY_ID, locale)
    if survey is not None:  # the pre-survey comes first: the whole class has done it (one student skipped it)
        for index, student in enumerate(students):
            surveys.submit_survey(student, survey, "pre", _pre_survey_answers(survey, index) if index != 3 else {})
    for index, student in enumerate(students[:4]):
        if not module_lessons:
            break
        first = module_lessons[0]
        for step in first.steps:
            for segment in step.segments:
                if segment.kind == "check":
                    lessons.record_block_choice(student, first, segment.id, segment.options[index % len(segment.options)].id)
        if index < 3:
            lessons.finish_lesson(student, first, current)
        else:
            lessons.record_step(student, first, len(first.steps) // 2)
        if index < 2 and module_quizzes:
            quiz = module_quizzes[0]
            attempt = quizzes.open_draft(student, quiz)
            for number, question in enumerate(quiz.questions):
                pick = question.options[(number + index) % len(question.options)]
                quizzes.save_answer(attempt, quiz, question.id, [pick.id])
            quizzes.submit_attempt(attempt, quiz)


def _pre_survey_answers(survey, index: int) -> dict[str, str]:
    """A varied, valid set of answers for the ``index``-th demo student."""
    def value(n: int, item) -> str:
        if item.type == "knowledge":
            return item.options[(index + n) % len(item.options)].id
        values = RATING_VALUES if item.type == "rating" else LIKERT_VALUES
        return values[(index + n) % len(values)]

    return {item.id: value(n, item) for n, item in enumerate(survey.items_for("pre"))}
