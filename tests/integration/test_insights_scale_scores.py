"""The per-student scale scores (survey_scale_scores) that school figures read instead of every answer: written
with each submission, by the generator and by the migration's backfill; the same sums as the answers give;
ignored (figures read the answers) as soon as a row is missing or was scored with other rules; deleted with
the student. Runs on SQLite and, with --db=postgresql, on PostgreSQL."""

from __future__ import annotations

from sqlalchemy import delete, func, select, update

from edu.content_service import catalog
from edu.extensions import db
from edu.insights import scale_scores, service, stats
from edu.insights.datagen import generate
from edu.insights.queries import Scope, paired_sums
from edu.learn import services as learn
from edu.models import Classroom, School, Student, SurveyScaleScore, SurveySubmission
from tests import factories
from tests.integration.test_insights_scale import (
    assert_same,
    make_class,
    reference_pairs,
    reference_school_outcomes,
    survey_answers,
)


def score_rows() -> set[tuple]:
    return {tuple(row) for row in db.session.execute(
        select(SurveyScaleScore.student_id, SurveyScaleScore.survey_id, SurveyScaleScore.phase,
               SurveyScaleScore.scale, SurveyScaleScore.scoring, SurveyScaleScore.points,
               SurveyScaleScore.answered))}


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def two_classes_with_skips(survey):
    """Two classes in two age bands: partial answers, a scale under half answered, everything skipped."""
    teacher = factories.teacher("t@school.kr")
    for number, band in enumerate(("high", "middle")):
        _classroom, students = make_class(teacher, f"class {number}", band, size=9)
        for index, student in enumerate(students):
            pre = survey_answers(survey, (index + number) % 7, {"bystander_confidence": str(1 + index % 4),
                                                                "bystander_intention": str(1 + index % 5)})
            if index % 3 == 0:
                pre["c2"] = pre["c3"] = pre["c4"] = pre["k1"] = None
            learn.submit_survey(student, survey, "pre", pre)
            if index % 4:
                post = survey_answers(survey, (index * 3) % 9, {"bystander_confidence": str(2 + index % 4),
                                                                "bystander_intention": "5", "attitudes": "4"})
                if index == 5:
                    post = {item_id: None for item_id in post}
                learn.submit_survey(student, survey, "post", post)
    db.session.commit()
    return teacher.school


def both_paths_agree(scopes, survey) -> None:
    for scope in scopes:
        for group in (None, Classroom.name, Classroom.age_band):
            fast = paired_sums(scope, survey, group=group, use_scale_scores=True)
            assert fast == paired_sums(scope, survey, group=group, use_scale_scores=False) and fast


def test_each_submission_writes_one_row_per_linked_scale_and_both_paths_agree(app, ctx):
    survey = catalog().survey("prepost", "en")
    school = two_classes_with_skips(survey)
    scales = scale_scores.linked_scales(survey)
    assert set(scales) == {"knowledge", "bystander_confidence", "bystander_intention"}
    assert count(SurveyScaleScore) == count(SurveySubmission) * len(scales)
    assert (0, 0) in {(row[-2], row[-1]) for row in score_rows()}  # the post survey skipped throughout
    assert scale_scores.usable(survey)
    classes = db.session.scalars(select(Classroom.id).order_by(Classroom.id)).all()
    both_paths_agree([Scope.of_school(school.id), Scope(), *map(Scope.of_class, classes)], survey)
    for breakdown in service.BREAKDOWNS:
        assert_same(service.school_outcomes(school, survey, breakdown, k=5),
                    reference_school_outcomes(school.id, survey, breakdown, k=5))


def test_a_missing_row_or_other_scoring_sends_figures_back_to_the_answers(app, ctx):
    survey = catalog().survey("prepost", "en")
    school = two_classes_with_skips(survey)
    expected = {b: reference_school_outcomes(school.id, survey, b, k=5) for b in service.BREAKDOWNS}
    first = db.session.scalar(select(func.min(SurveyScaleScore.id)))
    db.session.execute(update(SurveyScaleScore).where(SurveyScaleScore.id == first).values(
        scoring="an-old-key", points=SurveyScaleScore.points + 100))  # e.g. an answer key corrected since
    assert not scale_scores.usable(survey)
    for breakdown in service.BREAKDOWNS:
        assert_same(service.school_outcomes(school, survey, breakdown, k=5), expected[breakdown])
    db.session.execute(delete(SurveyScaleScore).where(SurveyScaleScore.id == first))
    assert not scale_scores.usable(survey)  # a row short
    for breakdown in service.BREAKDOWNS:
        assert_same(service.school_outcomes(school, survey, breakdown, k=5), expected[breakdown])


def test_the_migration_backfill_derives_the_rows_submit_survey_wrote(app, ctx):
    survey = catalog().survey("prepost", "en")
    two_classes_with_skips(survey)
    written = score_rows()
    db.session.execute(delete(SurveyScaleScore))
    for statement in scale_scores.backfill_statements(survey):
        db.session.execute(statement)
    assert score_rows() == written and scale_scores.usable(survey)


def test_deleting_a_student_deletes_their_scale_scores(app, ctx):
    survey = catalog().survey("prepost", "en")
    two_classes_with_skips(survey)
    student = db.session.scalar(select(Student).order_by(Student.id).offset(1))  # answered pre and post
    assert db.session.scalar(select(func.count()).where(SurveyScaleScore.student_id == student.id)) == 6
    db.session.delete(student)
    db.session.commit()
    assert db.session.scalar(select(func.count()).where(SurveyScaleScore.student_id == student.id)) == 0
    assert scale_scores.usable(survey)  # the submissions went with the student too: still complete


def test_korean_and_english_surveys_are_scored_alike(app, ctx):
    """Students submit the survey of their class's language; school figures score with the English one."""
    def keys(locale):
        return {scale: scale_scores.scoring_key(items)
                for scale, items in scale_scores.linked_scales(catalog().survey("prepost", locale)).items()}

    assert keys("ko") == keys("en")


def test_generated_rows_are_complete_and_give_the_figures_of_the_answers(app, ctx):
    generate(catalog(), students=400, answers=9000, schools=2, seed=5)
    survey = catalog().survey("prepost", "en")
    assert count(SurveyScaleScore) == count(SurveySubmission) * 3 and scale_scores.usable(survey)
    schools = db.session.scalars(select(School.id).order_by(School.id)).all()
    both_paths_agree([*map(Scope.of_school, schools), Scope()], survey)
    classroom = db.session.scalar(select(Classroom).join(Student).join(SurveySubmission)
                                  .where(SurveySubmission.phase == "post").limit(1))
    assert_same(service.class_outcomes(classroom, survey, min_n=5).outcomes,
                stats.class_outcomes(reference_pairs([classroom.id], survey), min_n=5))
