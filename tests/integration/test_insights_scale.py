"""Insights at scale: the data generator, and the SQL aggregates giving the same figures as the earlier
row-by-row implementation (kept below as the reference) and as values computed by hand. Runs on SQLite and,
with --db=postgresql, on PostgreSQL."""

from __future__ import annotations

import math
from collections import defaultdict

import pytest
from sqlalchemy import func, select

from edu.content_service import catalog
from edu.extensions import db
from edu.insights import service, stats
from edu.insights.datagen import GENERATED_PIN, generate
from edu.learn import services as learn
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


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def answers_in_db() -> int:
    return count(SurveyAnswer) + count(AnonymousSurveyAnswer) + count(QuizAnswer)


# ---- the reference: the row-by-row implementation the SQL replaced -------------------------------------------


def reference_pairs(classroom_ids: list[int], survey) -> dict[str, list[tuple[float | None, float | None]]]:
    answers: dict[tuple[int, str], dict[str, str]] = defaultdict(dict)
    for student_id, phase, item_id, value in db.session.execute(
            select(SurveyAnswer.student_id, SurveyAnswer.phase, SurveyAnswer.item_id, SurveyAnswer.value)
            .join(Student, Student.id == SurveyAnswer.student_id)
            .where(Student.classroom_id.in_(classroom_ids), SurveyAnswer.survey_id == "prepost")):
        if value is not None:
            answers[(student_id, phase)][item_id] = value
    by_scale: dict[str, list] = defaultdict(list)
    for item in survey.items:
        if item.identity == "linked":
            by_scale[item.scale].append(item)

    def score(scale, items, given):
        if scale == stats.KNOWLEDGE:
            answered = [i for i in items if i.id in given]
            right = sum(1 for i in answered if any(o.correct and o.id == given[i.id] for o in i.options))
            return stats.knowledge_percent(right, len(answered)) if answered else None
        values = {i.id: int(given[i.id]) for i in items if i.id in given}
        return stats.likert_score(values, [i.id for i in items], reverse={i.id for i in items if i.reverse})

    pairs: dict[str, list] = defaultdict(list)
    for student_id in {s for s, _ in answers}:
        for scale, items in by_scale.items():
            pairs[scale].append((score(scale, items, answers.get((student_id, "pre"), {})),
                                 score(scale, items, answers.get((student_id, "post"), {}))))
    return pairs


def reference_school_outcomes(school_id: int, survey, breakdown: str, k: int):
    groups: dict[str, list[int]] = defaultdict(list)
    for c in db.session.scalars(select(Classroom).where(Classroom.school_id == school_id).order_by(Classroom.id)):
        groups[c.name if breakdown == "classroom" else c.age_band].append(c.id)
    return {group: stats.class_outcomes(reference_pairs(ids, survey), min_n=k) for group, ids in groups.items()}


def reference_completion_cells(school_id: int, breakdown: str) -> dict[tuple[str, str], int]:
    cells: dict[tuple[str, str], int] = defaultdict(int)
    for classroom in db.session.scalars(select(Classroom).where(Classroom.school_id == school_id,
                                                                Classroom.archived_at.is_(None))):
        label = classroom.name if breakdown == "classroom" else classroom.age_band
        for module_id in db.session.scalars(select(Assignment.target_id).where(
                Assignment.classroom_id == classroom.id, Assignment.kind == "module")):
            lessons = [ls.id for ls in catalog().lessons_for(module_id, classroom.locale, region=classroom.region)]
            if not lessons:
                continue
            finished = db.session.scalar(select(func.count()).select_from(
                select(LessonProgress.student_id).join(Student, Student.id == LessonProgress.student_id)
                .where(Student.classroom_id == classroom.id, LessonProgress.lesson_id.in_(lessons),
                       LessonProgress.completed_at.is_not(None))
                .group_by(LessonProgress.student_id).having(func.count() == len(lessons)).subquery()))
            cells[(label, module_id)] += finished or 0
    return dict(cells)


def assert_same(actual, expected, path="figures"):
    """Equal structures; floats equal to 1e-9 (the SQL sums are exact, the reference sums floats)."""
    if isinstance(expected, float):
        assert actual == pytest.approx(expected, rel=1e-9, abs=1e-9), path
    elif hasattr(expected, "__dataclass_fields__"):
        assert type(actual) is type(expected), path
        for name in expected.__dataclass_fields__:
            assert_same(getattr(actual, name), getattr(expected, name), f"{path}.{name}")
    elif isinstance(expected, dict):
        assert list(actual) == list(expected), path
        for key in expected:
            assert_same(actual[key], expected[key], f"{path}[{key!r}]")
    elif isinstance(expected, list | tuple):
        assert len(actual) == len(expected), path
        for index, (a, e) in enumerate(zip(actual, expected, strict=True)):
            assert_same(a, e, f"{path}[{index}]")
    else:
        assert actual == expected, path


# ---- hand-made data ------------------------------------------------------------------------------------------


def survey_answers(survey, knowledge_right: int, likert: dict[str, str | None]) -> dict[str, str | None]:
    """Answers with the first ``knowledge_right`` knowledge items right and the rest wrong; Likert items by scale
    (a scale's value, or None to skip the scale); the first confidence item only when the scale is "only-c1"."""
    answers: dict[str, str | None] = {}
    knowledge = [i for i in survey.items if i.type == "knowledge"]
    for index, item in enumerate(knowledge):
        answers[item.id] = next(o.id for o in item.options if o.correct == (index < knowledge_right))
    for item in survey.items:
        if item.type == "likert":
            answers[item.id] = likert.get(item.scale)
    return answers


def make_class(teacher, name: str, band: str = "high", size: int = 5):
    classroom = factories.classroom(teacher, name=name, locale="en", age_band=band, country="KR")
    teach.assign(classroom, "pre_survey", "prepost")
    teach.assign(classroom, "post_survey", "prepost")
    db.session.commit()
    return classroom, [factories.student(classroom)[0] for _ in range(size)]


def test_class_outcomes_match_values_computed_by_hand(app, ctx):
    survey = catalog().survey("prepost", "en")
    teacher = factories.teacher("t@school.kr")
    classroom, students = make_class(teacher, "hand", size=6)
    pre_right, post_right = [2, 4, 4, 6, 8], [6, 6, 8, 8, 8]  # of 8: 25, 50, 50, 75, 100 -> 75, 75, 100, 100, 100
    for student, pre, post in zip(students, pre_right, post_right, strict=False):
        learn.submit_survey(student, survey, "pre", survey_answers(survey, pre, {"bystander_confidence": "2",
                                                                                  "attitudes": "2"}))
        learn.submit_survey(student, survey, "post", survey_answers(survey, post, {"bystander_confidence": "4",
                                                                                    "attitudes": "4"}))
    learn.submit_survey(students[5], survey, "pre", survey_answers(survey, 8, {}))  # no post: not a pair
    db.session.commit()

    result = service.class_outcomes(classroom, survey, min_n=5)
    knowledge = result.outcomes["knowledge"]
    assert not knowledge.suppressed and knowledge.n == 5
    change = knowledge.change
    assert change.pre_mean == pytest.approx(60.0) and change.post_mean == pytest.approx(90.0)
    assert change.mean_change == pytest.approx(30.0)
    # changes 50, 25, 50, 25, 0: squared deviations from 30 add up to 1750, / 4 = 437.5
    assert change.sd_change == pytest.approx(math.sqrt(437.5))
    assert change.effect.value == pytest.approx(30.0 / math.sqrt(437.5))
    assert knowledge.normalized_gain == pytest.approx(0.75)
    confidence = result.outcomes["bystander_confidence"]
    # Every pair rose by exactly 2: the SD of the change is exactly 0, so d_z is undefined.
    assert confidence.change.mean_change == 2.0 and confidence.change.sd_change == 0.0
    assert confidence.change.effect is None
    assert result.outcomes["bystander_intention"].suppressed  # nobody answered that scale
    assert_same(result.outcomes, stats.class_outcomes(reference_pairs([classroom.id], survey), min_n=5))
    assert result.anonymous_means["a4"] == (2.0, 4.0)  # attitude items: class means of the anonymous answers


def test_partial_answers_and_skips_count_as_before(app, ctx):
    """Skipped items, a scale with fewer than half its items answered, and a reverse-keyed attitude item."""
    survey = catalog().survey("prepost", "en")
    teacher = factories.teacher("t@school.kr")
    classroom, students = make_class(teacher, "partial", size=8)
    confidence = [i.id for i in survey.items if i.scale == "bystander_confidence"]
    for index, student in enumerate(students):
        pre = survey_answers(survey, index % 5, {"bystander_confidence": str(1 + index % 3),
                                                 "bystander_intention": str(1 + index % 5), "attitudes": "3"})
        post = survey_answers(survey, min(8, index + 3), {"bystander_confidence": str(2 + index % 4),
                                                          "bystander_intention": "5", "attitudes": "5"})
        if index % 3 == 0:  # skips: one confidence item only (fewer than half), and two knowledge items
            for item_id in confidence[1:]:
                pre[item_id] = None
            pre["k1"] = pre["k2"] = None
        if index == 7:
            post = {item_id: None for item_id in post}  # skipped everything after
        learn.submit_survey(student, survey, "pre", pre)
        learn.submit_survey(student, survey, "post", post)
    db.session.commit()
    assert_same(service.class_outcomes(classroom, survey, min_n=3).outcomes,
                stats.class_outcomes(reference_pairs([classroom.id], survey), min_n=3))
    assert service.class_outcomes(classroom, survey, min_n=3).outcomes["knowledge"].n == 7


def test_school_outcomes_by_both_breakdowns_match_the_reference(app, ctx):
    survey = catalog().survey("prepost", "en")
    teacher = factories.teacher("t@school.kr")
    for number, band in enumerate(("high", "high", "middle")):
        classroom, students = make_class(teacher, f"class {number}", band, size=11)
        for index, student in enumerate(students):
            learn.submit_survey(student, survey, "pre", survey_answers(
                survey, (index + number) % 6, {"bystander_confidence": str(1 + index % 4),
                                               "bystander_intention": str(1 + (index * 7) % 5)}))
            if index % 4:
                learn.submit_survey(student, survey, "post", survey_answers(
                    survey, (index * 3) % 9, {"bystander_confidence": str(2 + index % 4),
                                              "bystander_intention": str(1 + (index * 3) % 5), "attitudes": "4"}))
    db.session.commit()
    school = teacher.school
    for breakdown in service.BREAKDOWNS:
        assert_same(service.school_outcomes(school, survey, breakdown, k=5),
                    reference_school_outcomes(school.id, survey, breakdown, k=5))
    by_band = service.school_outcomes(school, survey, "age_band", k=10)
    assert list(by_band) == ["high", "middle"]
    assert by_band["high"]["knowledge"].n == 16 and by_band["middle"]["knowledge"].suppressed  # 8 pairs < 10


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


def test_cli_generates_with_a_progress_bar(app, ctx):
    result = app.test_cli_runner().invoke(args=["data", "generate", "--students", "60", "--answers", "1200",
                                                "--seed", "4"])
    assert result.exit_code == 0, result.output
    assert "Generating students" in result.output and "60 students" in result.output
    assert count(Student) == 60
    second = app.test_cli_runner().invoke(args=["data", "generate", "--students", "60", "--seed", "4"])
    assert second.exit_code == 0 and "already in the database" in second.output


def test_generated_school_figures_match_the_reference(app, ctx):
    generate(catalog(), students=700, answers=16000, schools=2, seed=8)
    survey = catalog().survey("prepost", "en")
    for school in db.session.scalars(select(School).order_by(School.id)):
        for breakdown in service.BREAKDOWNS:
            assert_same(service.school_outcomes(school, survey, breakdown, k=10),
                        reference_school_outcomes(school.id, survey, breakdown, k=10))
            cells = service.completion_cells(school, catalog(), breakdown)
            assert cells == reference_completion_cells(school.id, breakdown) and any(cells.values())
        assert service.least_changed_items(school, survey, k=10)  # finished classes have pre and post answers
    for classroom in db.session.scalars(select(Classroom).order_by(Classroom.id).limit(6)):
        assert_same(service.class_outcomes(classroom, survey, min_n=5).outcomes,
                    stats.class_outcomes(reference_pairs([classroom.id], survey), min_n=5))
