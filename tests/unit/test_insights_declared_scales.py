"""The privacy budget over the scales a survey file declares: whatever scales (Likert, 0-100 rating, knowledge
in parallel forms) and whichever of them the class page shows, each class query moves at most its declared
sensitivity when one student is added, removed or changed, and a term's releases spend at most the budget the
file's scales give, which is what the survey's intro promises."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from edu.content import load_catalog
from edu.content.model import Option, Survey, SurveyItem, SurveyScale
from edu.insights import dp, school_release
from tests.unit.test_insights_dp import counts_of, l1, l2_squared, neighbours

KINDS = ("likert", "rating")


def make_survey(pairs: int, scales: list[tuple[str, int, bool, bool]]) -> Survey:
    """``pairs`` parallel knowledge pairs, then scales (kind, items, reverse-keyed first item, on the class page)."""
    options = (Option("a", "right", True), Option("b", "wrong", False), Option("c", "wrong", False))
    items = [SurveyItem(f"k{n}{form}", "knowledge", "knowledge", "linked", False, False, None, "?", options, form,
                        f"p{n}") for n in range(pairs) for form in ("pre", "post")]
    declared = [SurveyScale("knowledge", "knowledge", "Knowledge", True)] if pairs else []
    for s, (kind, size, reverse, shown) in enumerate(scales):
        declared.append(SurveyScale(f"s{s}", kind, f"Scale {s}", shown))
        items += [SurveyItem(f"s{s}i{i}", kind, f"s{s}", "linked", reverse and i == 0, False, None, "?")
                  for i in range(size)]
    return Survey("prepost", "en", "t", "{class_results} {epsilon}", "published", "v", ("1", "2", "3", "4", "5"),
                  "skip", tuple(items), scales=tuple(declared), rating=("0", "100"))


surveys = st.builds(make_survey, st.integers(0, 5),
                    st.lists(st.tuples(st.sampled_from(KINDS), st.integers(1, 4), st.booleans(), st.booleans()),
                             max_size=7))


def phase_answers(survey: Survey, phase: str):
    """One student's answers to the items the phase shows: on the scale, skipped, or junk to be clipped."""
    def values(item):
        if item.type == "knowledge":
            on_scale = [o.id for o in item.options]
        elif item.type == "rating":
            on_scale = [str(v) for v in range(0, 101, 10)]
        else:
            on_scale = ["1", "2", "3", "4", "5"]
        return st.sampled_from([*on_scale, None, "55", "110", "-10", "x"])
    return st.fixed_dictionaries({item.id: values(item) for item in survey.items_for(phase)})


@settings(max_examples=60, deadline=None)
@given(st.data(), surveys, st.sampled_from(dp.PHASES))
def test_each_declared_class_query_moves_at_most_its_sensitivity(data, survey, phase):
    students = data.draw(st.lists(phase_answers(survey, phase), max_size=6))
    other = data.draw(phase_answers(survey, phase))
    for scale in dp.class_page_scales(survey, phase):
        query = dp.scale_query(scale)
        base = dp.scale_values(scale, counts_of(students))
        for nearby in neighbours(students, other):
            assert l1(base, dp.scale_values(scale, counts_of(nearby))) <= query.sensitivity


@settings(max_examples=40, deadline=None)
@given(st.data(), surveys)
def test_the_school_item_query_covers_every_declared_scale(data, survey):
    items = school_release.item_scales(survey)
    declared = {s.id for s in survey.scales if s.type != "knowledge"}
    assert {i.name for i in items} == {i.id for i in survey.items if i.scale in declared}
    query = school_release.queries(0, items)["item_options"]
    student = st.tuples(st.sampled_from(school_release.GROUPS), phase_answers(survey, "pre"),
                        phase_answers(survey, "post"))
    students, other = data.draw(st.lists(student, max_size=5)), data.draw(student)

    def values(group):
        counts = {band: {"pre": counts_of([pre for b, pre, _ in group if b == band]),
                         "post": counts_of([post for b, _, post in group if b == band])}
                  for band in school_release.GROUPS}
        return school_release.item_values(counts, items)

    base = values(students)
    assert len(base) == query.size
    for nearby in neighbours(students, other, keep=lambda old, new: (old[0], *new[1:])):
        assert l2_squared(base, values(nearby)) <= query.sensitivity ** 2


@settings(max_examples=40, deadline=None)
@given(surveys)
def test_a_terms_class_releases_spend_exactly_the_budget_the_declared_scales_give(survey):
    shown = [s for s in survey.scales if s.class_page]
    spent = sum(dp.privacy_loss(dp.scale_query(scale)) for phase in dp.PHASES
                for scale in dp.class_page_scales(survey, phase))
    assert spent <= dp.class_term_budget(survey) + 1e-9
    assert dp.class_term_budget(survey) == dp.FIGURE_EPSILON * len(shown) * 2
    promise = dp.privacy_promise(survey)
    assert promise["class_results"] == str(2 * len(shown))
    assert float(promise["epsilon"]) == round(dp.term_epsilon(survey))


@settings(max_examples=40, deadline=None)
@given(surveys)
def test_a_phase_counts_only_its_own_knowledge_form(survey):
    pre, post = ([s for s in dp.survey_scales(survey, phase) if s.is_knowledge] for phase in dp.PHASES)
    if not pre:
        return
    assert len(pre[0].item_ids) == len(post[0].item_ids)
    assert not set(pre[0].item_ids) & set(post[0].item_ids)
    assert pre[0].points(post[0].item_ids[0], "a") is None  # an answer to the other form counts nowhere


def test_a_rating_is_clipped_to_its_steps():
    survey = make_survey(0, [("rating", 2, True, True)])
    (scale,) = dp.survey_scales(survey)
    assert (scale.top, scale.step) == (10, 10)
    assert [scale.points("s0i1", v) for v in ("0", "70", "100", "75", "110", "-10", "x", None)] == \
        [0, 7, 10, None, None, None, None, None]
    assert scale.points("s0i0", "70") == 3  # reverse-keyed
    assert dp.scale_query(scale).sensitivity == 2 * 11
    figure = dp.mean_figure("s0", 7000, 1000, 10, 5.0, step=10)
    assert figure.percent and figure.value == 70.0 and figure.error90 < 1


def test_the_real_survey_promises_what_its_scales_spend():
    for locale in ("ko", "en"):
        survey = load_catalog(Path("content")).survey("prepost", locale)
        assert dp.class_term_budget(survey) == 8.0  # knowledge and three scales on the class page
        assert dp.privacy_promise(survey) == {"class_results": "8", "epsilon": "13"}
        assert "{class_results}" in survey.intro_html and "{epsilon}" in survey.intro_html
        assert {s.name for s in dp.class_page_scales(survey)} == \
            {"knowledge", "attitudes", "bystander_efficacy", "bystander_intention"}
