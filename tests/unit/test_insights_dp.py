"""The differentially private queries: declared sensitivity bounds hold (hypothesis, adding, removing or
changing one student, on surveys of any shape), OpenDP's privacy maps of a term's releases stay within the
budget, and the noise matches its stated 90% error on fixed synthetic data."""

from __future__ import annotations

import math
import random
from collections import defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from edu.content.model import Option, Survey, SurveyItem
from edu.insights import dp, school_release

BANDS = school_release.GROUPS


def make_survey(knowledge: int, likert_scales: list[tuple[int, tuple[bool, ...]]], labels: int) -> Survey:
    items = [SurveyItem(f"k{i}", "knowledge", "knowledge", "linked", False, False, None, "?",
                        (Option("a", "right", True), Option("b", "wrong", False), Option("c", "wrong", False)))
             for i in range(knowledge)]
    for s, (size, reverse) in enumerate(likert_scales):
        items += [SurveyItem(f"s{s}i{i}", "likert", f"scale{s}", "none" if s % 2 else "linked", reverse[i % len(reverse)],
                             False, None, "?") for i in range(size)]
    return Survey("prepost", "en", "t", "", "published", "v", tuple(str(n) for n in range(labels)), "skip",
                  tuple(items))


surveys = st.builds(
    make_survey,
    st.integers(0, 6),
    st.lists(st.tuples(st.integers(1, 5), st.tuples(st.booleans(), st.booleans())), min_size=0, max_size=6),
    st.integers(2, 7))


def answers_for(survey: Survey):
    """One student's answers to every item: a value on the scale, a skip, or junk that must be clipped away."""
    def values(item):
        on_scale = [o.id for o in item.options] if item.type == "knowledge" else \
            [str(v) for v in range(1, len(survey.likert) + 1)]
        return st.sampled_from([*on_scale, None, "0", "99", "x"])
    return st.fixed_dictionaries({item.id: values(item) for item in survey.items})


def counts_of(students) -> dict:
    counts: dict = defaultdict(lambda: defaultdict(int))
    for answers in students:
        for item_id, value in answers.items():
            if value is not None:
                counts[item_id][value] += 1
    return counts


def l1(a: list[int], b: list[int]) -> int:
    return sum(abs(x - y) for x, y in zip(a, b, strict=True))


def l2_squared(a: list[int], b: list[int]) -> int:
    return sum((x - y) ** 2 for x, y in zip(a, b, strict=True))


def neighbours(students: list, other, keep=None):
    """The data sets one student away: one added, each removed, each student's answers changed into ``other``'s
    (``keep`` gives what a change leaves as it was: the student's class, so their band, is a roster fact)."""
    yield [*students, other]
    for i in range(len(students)):
        yield students[:i] + students[i + 1:]
        yield students[:i] + [keep(students[i], other) if keep else other] + students[i + 1:]


@settings(max_examples=60, deadline=None)
@given(st.data(), surveys)
def test_each_class_query_moves_at_most_its_declared_sensitivity(data, survey):
    students = data.draw(st.lists(answers_for(survey), max_size=6))
    other = data.draw(answers_for(survey))
    for scale in dp.class_page_scales(survey):
        query = dp.scale_query(scale)
        base = dp.scale_values(scale, counts_of(students))
        assert len(base) == query.size
        for nearby in neighbours(students, other):
            assert l1(base, dp.scale_values(scale, counts_of(nearby))) <= query.sensitivity


def school_student(survey: Survey):
    return st.tuples(st.sampled_from(BANDS), answers_for(survey), answers_for(survey))


def school_values(survey: Survey, students) -> tuple[list[int], list[int], list[int]]:
    knowledge = next((s for s in dp.survey_scales(survey) if s.is_knowledge), None)
    pairs = [(band, sum(knowledge.points(i, pre.get(i)) or 0 for i in knowledge.item_ids) if knowledge else 0,
              sum(knowledge.points(i, post.get(i)) or 0 for i in knowledge.item_ids) if knowledge else 0)
             for band, pre, post in students]
    sums, squares = school_release.knowledge_values(pairs)
    counts: dict = {}
    for band in BANDS:
        counts[band] = {"pre": counts_of([pre for b, pre, _ in students if b == band]),
                        "post": counts_of([post for b, _, post in students if b == band])}
    return sums, squares, school_release.item_values(counts, school_release.item_scales(survey))


@settings(max_examples=60, deadline=None)
@given(st.data(), surveys)
def test_each_school_query_moves_at_most_its_declared_sensitivity(data, survey):
    students = data.draw(st.lists(school_student(survey), max_size=6))
    other = data.draw(school_student(survey))
    knowledge = sum(1 for item in survey.items if item.type == "knowledge")
    queries = school_release.queries(knowledge, school_release.item_scales(survey))
    base = school_values(survey, students)
    for nearby in neighbours(students, other, keep=lambda old, new: (old[0], *new[1:])):
        moved = school_values(survey, nearby)
        for name, before, after in zip(("knowledge", "knowledge_change_squares", "item_options"), base, moved,
                                       strict=True):
            query = queries[name]
            assert len(before) == query.size
            if query.mechanism == dp.GAUSSIAN:  # the L2 bound, in integers
                assert l2_squared(before, after) <= query.sensitivity ** 2
            else:
                assert l1(before, after) <= query.sensitivity


@settings(max_examples=30, deadline=None)
@given(surveys, st.integers(1, 4))
def test_the_privacy_maps_of_a_term_stay_within_the_budget(survey, classes):
    """All of a school's releases in a term: each class's pre and post release and the school's one, as
    releases.py makes them, summed from OpenDP's privacy maps at the declared sensitivities. Classes hold
    different students, so one student's answers reach their class's two releases and the school's."""
    knowledge = sum(1 for item in survey.items if item.type == "knowledge")
    school_queries = school_release.queries(knowledge, school_release.item_scales(survey))
    school_rho = school_release.school_rho(school_queries, list(school_queries))  # every query released
    class_queries = [dp.scale_query(s) for s in dp.class_page_scales(survey)]
    releases = {}
    for classroom in range(classes):
        for phase in dp.PHASES:
            releases[(classroom, phase)] = (sum(dp.privacy_loss(q) for q in class_queries),
                                            sum(dp.rho(q) for q in class_queries))
    assert school_rho <= dp.SCHOOL_TERM_BUDGET + 1e-9  # zCDP rho = 1/2
    assert dp.school_epsilon(school_rho) <= dp.school_epsilon() + 1e-9 < 5.3  # (epsilon, 1e-6)
    for classroom in range(classes):
        own = [loss for key, loss in releases.items() if key[0] == classroom]
        assert all(eps <= dp.FIGURE_EPSILON * dp.CLASS_FIGURES_PER_PHASE for eps, _ in own)
        assert sum(eps for eps, _ in own) <= dp.CLASS_TERM_BUDGET  # pure epsilon 8
        # one student's whole term: zCDP rho 8 x 1/2 + 1/2, and (epsilon, delta) by basic composition
        assert sum(r for _, r in own) + school_rho <= dp.TERM_RHO + 1e-9
        assert sum(eps for eps, _ in own) + dp.school_epsilon(school_rho) <= dp.TERM_EPSILON + 1e-9


def test_the_knowledge_score_error_matches_the_mechanism():
    """Fixed synthetic data (the data is seeded, OpenDP's noise cannot be): 25 students, 8 questions. Over 200
    releases the 90th percentile of the error matches the error stated from the noise scale."""
    rng = random.Random(27)
    survey = make_survey(8, [], 5)
    students = [{f"k{i}": "a" if rng.random() < 0.55 else "b" for i in range(8)} for _ in range(25)]
    scale = dp.class_page_scales(survey)[0]
    query = dp.scale_query(scale)
    true_right = dp.scale_values(scale, counts_of(students))[0]
    truth = 100.0 * true_right / (25 * 8)
    assert 30 < truth < 70  # far from 0 and 100, so clamping does not shorten the errors
    errors = sorted(abs(dp.knowledge_figure("knowledge", dp.release(query, [true_right])[0], 25, 8,
                                            dp.accuracy(query)).value - truth) for _ in range(200))
    observed = errors[int(0.9 * len(errors)) - 1]
    stated = dp.knowledge_figure("knowledge", true_right, 25, 8, dp.accuracy(query)).error90
    assert stated <= dp.MAX_KNOWLEDGE_ERROR  # at 25 students the class page shows the knowledge score
    # The empirical 90th percentile of 200 draws has a relative standard error of about 9%: 40% is over 4 SE.
    assert abs(observed - stated) <= 0.40 * stated


def school_item_query(likert_items: int = 13, labels: int = 5) -> dp.NoisyQuery:
    """The school's per-item query for a survey of the demo's shape (5 knowledge, 13 Likert items, 5 labels),
    narrowed to one band, phase and item: the same noise on each of its cells."""
    survey = make_survey(5, [(likert_items, (False, True))], labels)
    query = school_release.queries(5, school_release.item_scales(survey))["item_options"]
    return dp.NoisyQuery("one item", query.sensitivity, query.epsilon, labels, query.mechanism)


def one_band(rng: random.Random, students: int, weights=(1, 2, 3, 2.5, 1.5)) -> list[int]:
    cells = [0] * len(weights)
    for _ in range(students):
        cells[rng.choices(range(len(weights)), weights)[0]] += 1
    return cells


def test_item_distributions_and_means_show_at_a_few_hundred_students_per_band():
    """Useful or silent at realistic sizes: 250 students of one age band answering a 13-statement survey show
    every share within 10 points and the mean within half a scale point (90%); 40 students do not."""
    query = school_item_query()
    rng = random.Random(272)
    for students, shown in ((250, True), (40, False)):
        cells = one_band(rng, students)
        figure = dp.distribution_of("i", cells, query.scale, 4)
        assert figure.shown is shown and figure.mean.shown is shown
        assert (figure.error90 <= dp.MAX_SHARE_ERROR) is shown


def test_the_share_and_item_mean_errors_match_the_mechanism():
    """Fixed synthetic data (seeded; the noise is not): 300 answers to one item. Over 200 releases of the
    discrete Gaussian the 90th percentile of the error of each share and of the mean matches the stated error."""
    query = school_item_query()
    cells = one_band(random.Random(2727), 300)
    truth = dp.distribution_of("i", cells, 0.0, 4)
    runs = [dp.distribution_of("i", dp.release(query, cells), query.scale, 4) for _ in range(200)]
    stated = dp.distribution_of("i", cells, query.scale, 4)
    assert stated.shown and stated.mean.shown
    z = dp.normal_quantile()
    low = 300 - z * query.scale * math.sqrt(5)
    for k, share in enumerate(truth.shares):
        stated_k = z * query.scale * math.sqrt((1 - share) ** 2 + share * share * 4) / low
        errors = sorted(abs(run.shares[k] - share) for run in runs)
        observed = errors[int(0.9 * len(errors)) - 1]
        assert abs(observed - stated_k) <= 0.40 * stated_k
    errors = sorted(abs(run.mean.value - truth.mean.value) for run in runs)
    observed = errors[int(0.9 * len(errors)) - 1]
    assert abs(observed - stated.mean.error90) <= 0.40 * stated.mean.error90


def test_scale_means_are_silent_when_the_noise_would_swamp_them():
    query = dp.scale_query(dp.Scale("s", ("a", "b", "c", "d"), 4))
    small = dp.figure_of("s", query, [200, 100], 25, 4, 4)  # 25 students, 4 items each
    assert not small.shown and small.value is None and small.error90 > dp.MAX_SCALE_ERROR
    large = dp.figure_of("s", query, [8000, 4000], 1000, 4, 4)
    assert large.shown and large.value == 3.0 and large.error90 <= dp.MAX_SCALE_ERROR


def test_clipping_follows_the_scale_declared_in_the_survey_file():
    survey = make_survey(1, [(2, (True, False))], 7)  # seven labels: 0..6
    knowledge, likert = dp.survey_scales(survey)
    assert knowledge.points("k0", "a") == 1 and knowledge.points("k0", "b") == 0
    assert likert.top == 6 and likert.points("s0i0", "7") == 0 and likert.points("s0i1", "7") == 6
    assert likert.points("s0i1", "8") is None and likert.points("s0i1", "x") is None
    assert dp.scale_query(likert).sensitivity == 2 * 7


def test_school_figures_sum_the_bands_and_show_item_changes_only_for_the_same_survey():
    """A school release body as release_school stores it, with exact sums (no noise) on a huge school, so every
    figure is above the noise: the whole school is the sum of the bands; an item's change appears only when
    the pre and post answers were given to the same survey files."""
    import json

    from edu.models import SurveyRelease

    survey = make_survey(8, [(2, (False, True))], 5)
    items = school_release.item_scales(survey)
    queries = school_release.queries(8, items)
    n = 100_000
    pairs = [("high", 4, 6)] * n + [("middle", 2, 4)] * n
    sums, squares = school_release.knowledge_values(pairs)
    counts = {band: {"pre": {"s0i0": {"2": n}, "s0i1": {"2": n}}, "post": {"s0i0": {"4": n}, "s0i1": {"4": n}}}
              for band in ("high", "middle")}
    body = {"groups": list(BANDS), "knowledge_items": 8,
            "items": [{"id": s.name, "top": s.top, "reverse": bool(s.reverse)} for s in items],
            "pairs": {"middle": n, "high": n, "university": 0}, "items_identical": True,
            "queries": {name: q.as_dict() for name, q in queries.items()},
            "noisy": {"knowledge": sums, "knowledge_change_squares": squares,
                      "item_options": school_release.item_values(counts, items)}}
    figures = {g.group: g for g in school_release.school_figures(SurveyRelease(figures=json.dumps(body)))}
    assert figures["high"].pre.value == 50.0 and figures["high"].post.value == 75.0
    assert figures["all"].pairs == 2 * n and figures["all"].pre.value == 37.5 and figures["all"].post.value == 62.5
    assert figures["all"].gain == (62.5 - 37.5) / (100 - 37.5)
    assert figures["university"].pre.shown is False
    changes = {item: change for item, _b, _a, change in figures["all"].items}
    assert changes["s0i0"] == 2.0 and changes["s0i1"] == -2.0  # s0i1 is reverse-keyed
    distributions = {item: (before, after) for item, before, after in figures["all"].distributions}
    assert distributions["s0i1"][0].shares == (0.0, 1.0, 0.0, 0.0, 0.0)  # label order, also when reversed
    assert distributions["s0i1"][1].shares == (0.0, 0.0, 0.0, 1.0, 0.0)
    assert figures["university"].distributions[0][1].shown is False
    body["items_identical"] = False
    figures = {g.group: g for g in school_release.school_figures(SurveyRelease(figures=json.dumps(body)))}
    assert all(change is None for _item, _b, _a, change in figures["all"].items)


def test_a_school_release_stored_before_the_gaussian_query_still_shows_its_item_means():
    """Releases are frozen: one stored with (points, answers) per item under discrete Laplace ("items") is read
    as it was, with per-item means and no distributions."""
    import json

    from edu.models import SurveyRelease

    survey = make_survey(8, [(2, (False, True))], 5)
    items = school_release.item_scales(survey)
    n = 100_000
    cells = sum(s.top + 1 for s in items)
    queries = {"knowledge": dp.NoisyQuery("knowledge", 16, 0.5, 6),
               "knowledge_change_squares": dp.NoisyQuery("knowledge_change_squares", 64, 0.25, 3),
               "items": dp.NoisyQuery("items", 2 * cells, 0.25, 3 * 2 * len(items) * 2)}
    values = [v for band in BANDS for _phase in dp.PHASES for _item in items
              for v in ((2 * n, n) if band != "university" else (0, 0))]
    body = {"groups": list(BANDS), "knowledge_items": 8, "items": [{"id": s.name, "top": s.top} for s in items],
            "pairs": {"middle": n, "high": n, "university": 0}, "items_identical": True,
            "queries": {name: q.as_dict() for name, q in queries.items()},
            "noisy": {"knowledge": [4 * n, 6 * n] * 3, "knowledge_change_squares": [4 * n] * 3, "items": values}}
    everyone = school_release.school_figures(SurveyRelease(figures=json.dumps(body)))[-1]
    assert everyone.items[0][1].value == 3.0 and everyone.items[0][3] == 0.0 and not everyone.distributions
