"""Insights at scale: the data generator; the exact sums behind the differentially private releases against
values computed by hand (the noise replaced by the identity, so the sums can be read); the completion counts
against a row-by-row reference. Runs on SQLite and, with --db=postgresql, on PostgreSQL."""

from __future__ import annotations

import json
from collections import defaultdict

import pytest
from sqlalchemy import func, select

from edu.content_service import catalog
from edu.extensions import db
from edu.insights import dp, releases, school_release, service
from edu.learn import surveys
from edu.models import (
    AnonymousSurveyAnswer,
    Assignment,
    Classroom,
    LessonProgress,
    QuizAnswer,
    QuizAttempt,
    School,
    Student,
    SurveyAnswer,
)
from edu.teach import services as teach
from tests import factories
from tests.conftest import wipe_database
from tests.datagen import GENERATED_PIN, generate


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def answers_in_db() -> int:
    return count(SurveyAnswer) + count(AnonymousSurveyAnswer) + count(QuizAnswer)


# ---- the reference: the row-by-row implementation the SQL replaced -------------------------------------------


def reference_completion_cells(school_id: int, breakdown: str) -> dict[tuple[object, str], int]:
    cells: dict[tuple[object, str], int] = defaultdict(int)
    for classroom in db.session.scalars(select(Classroom).where(Classroom.school_id == school_id,
                                                                Classroom.archived_at.is_(None))):
        label = classroom.id if breakdown == "classroom" else classroom.age_band
        for module_id in db.session.scalars(select(Assignment.target_id).where(
                Assignment.classroom_id == classroom.id, Assignment.kind == "module")):
            lessons = [ls.id for ls in catalog().lessons_for(module_id, classroom.locale, region=classroom.region,
                                                             band=classroom.age_band)]
            if not lessons:
                continue
            finished = db.session.scalar(select(func.count()).select_from(
                select(LessonProgress.student_id).join(Student, Student.id == LessonProgress.student_id)
                .where(Student.classroom_id == classroom.id, LessonProgress.lesson_id.in_(lessons),
                       LessonProgress.completed_at.is_not(None))
                .group_by(LessonProgress.student_id).having(func.count() == len(lessons)).subquery()))
            cells[(label, module_id)] += finished or 0
    return dict(cells)


# ---- hand-made data ------------------------------------------------------------------------------------------


def survey_answers(survey, knowledge_right: int, likert: dict[str, str | None],
                   phase: str = "pre") -> dict[str, str | None]:
    """Answers to the phase's items with the first ``knowledge_right`` knowledge items of its form right and the
    rest wrong; Likert and rating items by scale (a scale's value, or None to skip the scale)."""
    answers: dict[str, str | None] = {}
    knowledge = [i for i in survey.items_for(phase) if i.type == "knowledge"]
    for index, item in enumerate(knowledge):
        answers[item.id] = next(o.id for o in item.options if o.correct == (index < knowledge_right))
    for item in survey.items_for(phase):
        if item.type != "knowledge":
            answers[item.id] = likert.get(item.scale)
    return answers


def make_class(teacher, name: str, band: str = "high", size: int = 5):
    classroom = factories.classroom(teacher, name=name, locale="en", age_band=band, country="KR")
    teach.assign(classroom, "pre_survey", "prepost")
    teach.assign(classroom, "post_survey", "prepost")
    db.session.commit()
    return classroom, [factories.student(classroom)[0] for _ in range(size)]


@pytest.fixture
def exact(monkeypatch):
    """Releases without noise, so the stored sums are the exact ones (only ever in tests)."""
    monkeypatch.setattr(dp, "release", lambda query, values: [int(v) for v in values])


def test_the_sums_behind_a_class_release_match_values_computed_by_hand(app, ctx, exact):
    survey = catalog().survey("prepost", "en")
    teacher = factories.teacher("t@school.kr")
    classroom, students = make_class(teacher, "hand", size=6)
    pre_right = [2, 4, 4, 6, 8, 8]
    for student, right in zip(students, pre_right, strict=True):
        surveys.submit_survey(student, survey, "pre", survey_answers(survey, right, {"bystander_efficacy": "40",
                                                                                    "attitudes": "4"}))
    skipped = survey_answers(survey, 8, {})
    skipped["k1"] = None  # a skipped knowledge question counts as not known
    surveys.submit_survey(factories.student(classroom)[0], survey, "pre", skipped)
    db.session.commit()
    factories.write_anonymous_batches()  # closing the window writes the buffered anonymous answers first
    release = releases.release_class(classroom, survey, "pre")
    body = json.loads(release.figures)
    assert body["n"] == 7
    sums = {f["scale"]: f["noisy"] for f in body["figures"]}
    assert sums["knowledge"] == [sum(pre_right) + 7]
    # attitudes: 5 items answered "4" by 6 students; reverse-keyed items (3) score 4 - 3 = 1, the others 3.
    assert sums["attitudes"] == [6 * (3 * 1 + 2 * 3), 6 * 5]
    assert sums["bystander_efficacy"] == [6 * 3 * 4, 6 * 3]  # "40" is 4 on 0..10; the seventh skipped
    assert sums["bystander_intention"] == [0, 0]
    figures = {f.scale: f for f in releases.class_figures(release).figures}
    assert not figures["knowledge"].shown  # 7 students: the expected error is 100 x 23.6 / 70 = 34 points
    assert figures["knowledge"].error90 == pytest.approx(100.0 * dp.accuracy(dp.NoisyQuery("k", 10, 1.0)) / 70)
    assert set(sums) == {s.id for s in survey.scales if s.class_page}  # the declared class-page scales


def test_the_sums_behind_the_school_release_match_values_computed_by_hand(app, ctx, exact):
    survey = catalog().survey("prepost", "en")
    teacher = factories.teacher("t@school.kr")
    right = {"high": [], "middle": []}
    for number, band in enumerate(("high", "high", "middle")):
        classroom, students = make_class(teacher, f"class {number}", band, size=4)
        for index, student in enumerate(students):
            pre, post = (index + number) % 6, (index * 3) % 9
            surveys.submit_survey(student, survey, "pre", survey_answers(survey, pre, {"bystander_efficacy": "0"}))
            if index % 4:
                surveys.submit_survey(student, survey, "post", survey_answers(survey, post, {"attitudes": "5"}, "post"))
                right[band].append((pre, post))
    db.session.commit()
    factories.write_anonymous_batches()
    release = school_release.release_school(teacher.school, survey)
    body = json.loads(release.figures)
    assert body["pairs"] == {"middle": 3, "high": 6, "university": 0}
    expected = []
    for band in school_release.GROUPS:
        expected += [sum(p for p, _ in right.get(band, [])), sum(q for _, q in right.get(band, []))]
    assert body["noisy"]["knowledge"] == expected
    assert body["noisy"]["knowledge_change_squares"] == [sum((q - p) ** 2 for p, q in right.get(band, []))
                                                         for band in school_release.GROUPS]
    items = school_release.item_scales(survey)
    cells = [s.top + 1 for s in items]  # 5 per Likert item, 11 per 0-100 rating item
    width = sum(cells)  # answers per option, per band, phase and item
    names = [s.name for s in items]
    e1, a1 = names.index("e1"), names.index("a1")
    high = school_release.GROUPS.index("high")
    start = high * 2 * width + sum(cells[:e1])
    pre_e1 = body["noisy"]["item_options"][start: start + 11]
    assert pre_e1 == [8] + [0] * 10  # 8 high-school students rated "0" before
    start = high * 2 * width + width + sum(cells[:a1])
    post_a1 = body["noisy"]["item_options"][start: start + 5]
    assert post_a1 == [0, 0, 0, 0, 6]  # the options in label order, also for reverse-keyed a1 ("5")
    assert release.epsilon == pytest.approx(dp.SCHOOL_TERM_BUDGET)
    everyone = school_release.school_figures(release)[-1]
    assert everyone.group == "all" and everyone.pairs == 9


# ---- the generator -------------------------------------------------------------------------------------------


def snapshot() -> dict:
    """The generated data, ids made relative, to compare two runs with the same seed."""
    def rows(query):
        return [tuple(r) for r in db.session.execute(query)]

    first_student = db.session.scalar(select(func.min(Student.id)))
    return {
        "students": rows(select(Student.pseudonym, Student.locale).order_by(Student.id)),
        "classes": rows(select(Classroom.name, Classroom.locale, Classroom.age_band, Classroom.country)
                        .order_by(Classroom.id)),
        "answers": rows(select(SurveyAnswer.student_id - first_student, SurveyAnswer.phase, SurveyAnswer.item_id,
                               SurveyAnswer.value).order_by(SurveyAnswer.id)),
        "quiz": rows(select(QuizAttempt.quiz_id, QuizAttempt.score).order_by(QuizAttempt.id)),
    }


def test_generator_counts_progress_idempotence_and_seed(app, ctx):
    shown = []
    report = generate(catalog(), students=300, answers=6000, schools=3, seed=11, progress=shown.append)
    assert report.created and sum(shown) == 300
    assert count(Student) == 300 and count(School) == 3
    assert report.answers == answers_in_db()
    assert 0.85 * 6000 <= report.answers <= 1.15 * 6000
    sizes = db.session.scalars(select(func.count()).select_from(Student).group_by(Student.classroom_id)).all()
    assert max(sizes) <= 30 and sum(size >= 25 for size in sizes) >= len(sizes) - 1
    assert {c.locale for c in db.session.scalars(select(Classroom))} <= {"ko", "en"}
    first = snapshot()

    again = generate(catalog(), students=300, answers=6000, schools=3, seed=11)
    assert not again.created and count(Student) == 300  # the same seed twice: nothing added

    wipe_database(app)
    generate(catalog(), students=300, answers=6000, schools=3, seed=11)
    assert snapshot() == first  # the same seed gives the same data


def test_generated_data_renders_and_new_rows_still_get_ids(app, ctx):
    generate(catalog(), students=120, answers=2400, schools=1, seed=3)
    classroom = db.session.scalar(select(Classroom).order_by(Classroom.id))
    student, _pin = factories.student(classroom)  # PostgreSQL: the id sequences were moved past the generated ids
    assert student.id > db.session.scalar(select(func.max(Student.id)).where(Student.id != student.id))
    other = db.session.scalar(select(Student).where(Student.classroom_id == classroom.id).order_by(Student.id))
    client = app.test_client()
    factories.sign_in_student(client, classroom, other, GENERATED_PIN)
    assert client.get("/learn/").status_code == 200


def test_generated_school_figures_match_the_reference(app, ctx, exact):
    generate(catalog(), students=700, answers=16000, schools=2, seed=8)
    survey = catalog().survey("prepost", "en")
    for school in db.session.scalars(select(School).order_by(School.id)):
        for breakdown in service.BREAKDOWNS:
            cells = service.completion_cells(school, catalog(), breakdown)
            assert cells == reference_completion_cells(school.id, breakdown) and any(cells.values())
        release = school_release.release_school(school, survey)
        assert release.epsilon <= dp.SCHOOL_TERM_BUDGET  # generated answers lie in earlier terms: pairs may be 0
    for classroom in db.session.scalars(select(Classroom).order_by(Classroom.id).limit(6)):
        body = json.loads(releases.release_class(classroom, survey, "pre").figures)
        assert body["n"] == releases.respondents(classroom.id, "pre")
