"""Work done by demo students, so the teacher's pages have something to show from the first run."""

from __future__ import annotations

from edu.content_service import catalog
from edu.learn import services as learn
from edu.models import Classroom
from edu.teach import services as teach

DEMO_MODULES = ("consent", "deepfakes", "law")


def add_demo_work(classroom: Classroom) -> None:
    """Assign the pre-survey and three modules; the first students have done some of the first module."""
    current = catalog()
    teach.assign(classroom, "pre_survey", learn.SURVEY_ID)
    for module_id in DEMO_MODULES:
        if current.module(module_id) is not None:
            teach.assign(classroom, "module", module_id)
    locale, region = classroom.locale, classroom.region
    lessons = current.lessons_for(DEMO_MODULES[0], locale, region=region)
    quizzes = learn.module_quizzes(current, DEMO_MODULES[0], locale, region)
    students = sorted(classroom.students, key=lambda s: s.pseudonym)
    for index, student in enumerate(students[:4]):
        if not lessons:
            break
        first = lessons[0]
        for step in first.steps:
            for segment in step.segments:
                if segment.kind == "check":
                    learn.record_block_choice(student, first, segment.id, segment.options[index % len(segment.options)].id)
        if index < 3:
            learn.finish_lesson(student, first, current)
        else:
            learn.record_step(student, first, len(first.steps) // 2)
        if index < 2 and quizzes:
            quiz = quizzes[0]
            attempt = learn.open_draft(student, quiz)
            for number, question in enumerate(quiz.questions):
                pick = question.options[(number + index) % len(question.options)]
                learn.save_answer(attempt, quiz, question.id, [pick.id])
            learn.submit_attempt(attempt, quiz)
