"""Disclosure rules: hand-made tables, and properties over hypothesis-generated tables.

The properties are checked against two attackers: the library's own `recoverable_cells` and, independently,
linear programming with scipy (min and max of every hidden entry subject to the published entries, the
additive lines and non-negativity; a table of counts with margins has a totally unimodular constraint
matrix, so min == max over the reals means the entry is determined).
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edu.insights.suppression import (
    ALMOST_ALL,
    ALMOST_NONE,
    GRAND_TOTAL,
    REASON_FEWER_THAN_MIN,
    REASON_PATTERN,
    REASON_SINGLE_OPTION,
    WITHHELD,
    Hidden,
    MarginKey,
    PublishedTable,
    band_width,
    percent,
    recoverable_cells,
    suppress_table,
    teacher_item_summary,
)

optimize = pytest.importorskip("scipy.optimize")

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --------------------------------------------------------------------------- helpers


def lp_recoverable(table: PublishedTable) -> set:
    """Hidden entries whose LP minimum equals their LP maximum (an attacker independent of the library)."""
    entries = table.entries()
    unknowns = [key for key, value in entries.items() if isinstance(value, Hidden)]
    if not unknowns:
        return set()
    index = {key: i for i, key in enumerate(unknowns)}
    a_eq, b_eq = [], []
    for parts, whole in table.lines():
        row = [0.0] * len(unknowns)
        constant = 0.0
        for key, sign in [*((p, 1) for p in parts), (whole, -1)]:
            if isinstance(entries[key], Hidden):
                row[index[key]] += sign
            else:
                constant -= sign * entries[key]
        a_eq.append(row)
        b_eq.append(constant)
    found = set()
    for key, i in index.items():
        objective = [0.0] * len(unknowns)
        objective[i] = 1.0
        low = optimize.linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        objective[i] = -1.0
        high = optimize.linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        assert low.status == 0, "the published table must be consistent"
        if high.status == 0 and -high.fun - low.fun < 0.5:
            found.add(key)
    return found


def published(true: dict, hidden: set, rows, cols=(), k: int = 10) -> PublishedTable:
    """Build a published table by hand from true counts (cells and totals) and a set of hidden keys."""
    def value(key):
        return Hidden(k) if key in hidden else true[key]

    cells = [(r, c) for r in rows for c in cols] if cols else list(rows)
    return PublishedTable(
        k=k, rows=tuple(rows), cols=tuple(cols), cells={key: value(key) for key in cells},
        row_totals={r: value(MarginKey("row", r)) for r in rows} if cols else {},
        col_totals={c: value(MarginKey("col", c)) for c in cols}, total=value(GRAND_TOTAL),
    )


def two_way_truth(grid: dict) -> dict:
    rows = list(dict.fromkeys(r for r, _ in grid))
    cols = list(dict.fromkeys(c for _, c in grid))
    true = dict(grid)
    for r in rows:
        true[MarginKey("row", r)] = sum(grid[(r, c)] for c in cols)
    for c in cols:
        true[MarginKey("col", c)] = sum(grid[(r, c)] for r in rows)
    true[GRAND_TOTAL] = sum(grid.values())
    return true


# --------------------------------------------------------------------------- the attacker, by hand


def test_checker_recovers_a_lone_hidden_cell_by_subtraction():
    # a=3 hidden alone: 68 - 25 - 40 = 3.
    true = {"a": 3, "b": 25, "c": 40, GRAND_TOTAL: 68}
    assert recoverable_cells(published(true, {"a"}, ["a", "b", "c"])) == {"a"}


def test_checker_recovers_hidden_zeros_when_the_line_leaves_nothing():
    # Two hidden cells but 50 - 50 = 0 is left for them, and counts are >= 0, so both are 0.
    true = {"a": 0, "b": 0, "c": 50, GRAND_TOTAL: 50}
    assert recoverable_cells(published(true, {"a", "b"}, ["a", "b", "c"])) == {"a", "b"}


def test_checker_finds_a_bridge_cell_that_subtraction_in_one_line_cannot():
    # Hidden: a 2x2 block in rows 1-2 x cols 1-2, another in rows 3-4 x cols 3-4, and the bridge (r2, c3).
    # Every row and column has at least two hidden cells, yet
    # bridge = (hidden part of row 1 + row 2) - (hidden part of col 1 + col 2).
    rows, cols = ["r1", "r2", "r3", "r4"], ["c1", "c2", "c3", "c4"]
    grid = {(r, c): 20 + 3 * i + j for i, r in enumerate(rows) for j, c in enumerate(cols)}
    block = {("r1", "c1"), ("r1", "c2"), ("r2", "c1"), ("r2", "c2"),
             ("r3", "c3"), ("r3", "c4"), ("r4", "c3"), ("r4", "c4")}
    table = published(two_way_truth(grid), block | {("r2", "c3")}, rows, cols)
    assert recoverable_cells(table) == {("r2", "c3")}
    assert lp_recoverable(table) == {("r2", "c3")}
    # The two blocks alone are safe.
    assert recoverable_cells(published(two_way_truth(grid), block, rows, cols)) == set()


def test_checker_finds_nothing_in_a_rectangle():
    grid = {("r1", "y"): 3, ("r1", "n"): 30, ("r2", "y"): 12, ("r2", "n"): 25}
    hidden = set(grid)
    assert recoverable_cells(published(two_way_truth(grid), hidden, ["r1", "r2"], ["y", "n"])) == set()


# --------------------------------------------------------------------------- suppression, by hand


def test_one_way_table_hides_small_cell_and_its_complement():
    table = suppress_table({"a": 3, "b": 25, "c": 40})
    # a < 10 is hidden; alone it would be 68 - 25 - 40, so the next smallest, b = 25, is hidden too, and the
    # total over hidden cells is hidden (with it, a reader could bound the hidden cells).
    assert table.cells == {"a": Hidden(10), "b": Hidden(10), "c": 40}
    assert table.total == Hidden(10)
    assert not table.two_way


def test_one_way_table_with_nothing_small_is_shown_in_full():
    table = suppress_table({"a": 10, "b": 25})
    assert table.cells == {"a": 10, "b": 25} and table.total == 35


def test_zero_cells_are_hidden_like_other_small_counts():
    table = suppress_table({"a": 0, "b": 0, "c": 50})
    assert table.cells["a"] == Hidden(10) and table.cells["b"] == Hidden(10)
    # Both hidden cells would be 0 by subtraction (50 - 50), so a third entry is hidden as well.
    assert table.cells["c"] == Hidden(10) or table.total == Hidden(10)
    assert recoverable_cells(table) == set()


def test_two_way_table_hides_a_rectangle():
    cells = {("r1", "y"): 3, ("r1", "n"): 30, ("r2", "y"): 12, ("r2", "n"): 25,
             ("r3", "y"): 15, ("r3", "n"): 20}
    table = suppress_table(cells)
    # (r1, y) = 3 is small. Row r1 then has one hidden cell: hide (r1, n). Column y has one hidden cell:
    # hide its smallest, (r2, y) = 12. Column n has one: (r2, n) is preferred because its row r2 now has
    # a single hidden cell too. Rows r1, r2 and columns y, n each have two hidden cells: a rectangle.
    hidden = {key for key, value in table.cells.items() if isinstance(value, Hidden)}
    assert hidden == {("r1", "y"), ("r1", "n"), ("r2", "y"), ("r2", "n")}
    # Totals over hidden cells are hidden too; r3's total only adds up shown cells.
    assert table.row_totals == {"r1": Hidden(10), "r2": Hidden(10), "r3": 35}
    assert table.col_totals == {"y": Hidden(10), "n": Hidden(10)}
    assert table.total == Hidden(10)
    assert recoverable_cells(table) == set() == lp_recoverable(table)


def test_small_margins_are_hidden_too():
    cells = {("r1", "y"): 2, ("r1", "n"): 3, ("r2", "y"): 40, ("r2", "n"): 50}
    table = suppress_table(cells)
    assert table.row_totals["r1"] == Hidden(10)  # 2 + 3 = 5 < 10
    assert recoverable_cells(table) == set() == lp_recoverable(table)


def test_missing_combinations_count_as_zero():
    table = suppress_table({("a", "x"): 20, ("b", "y"): 30})
    assert set(table.cells) == {("a", "x"), ("a", "y"), ("b", "x"), ("b", "y")}
    assert table.cells[("a", "y")] == Hidden(10)


def test_k_is_a_parameter():
    assert suppress_table({"a": 6, "b": 7}, k=5).cells == {"a": 6, "b": 7}
    assert suppress_table({"a": 6, "b": 7}, k=10).cells == {"a": Hidden(10), "b": Hidden(10)}


def test_empty_and_invalid_input():
    table = suppress_table({})
    assert table.cells == {} and table.total == Hidden(10)
    with pytest.raises(ValueError):
        suppress_table({"a": -1})
    with pytest.raises(ValueError):
        suppress_table({"a": 1}, k=0)
    with pytest.raises(ValueError):
        suppress_table({"a": 1, ("b", "c"): 2})  # mixed: one breakdown at a time
    with pytest.raises(ValueError):
        suppress_table({("a", "b", "c"): 1})


# --------------------------------------------------------------------------- suppression, properties

counts = st.one_of(st.integers(0, 12), st.integers(0, 80))
labels = st.sampled_from(["a", "b", "c", "d", "e", "f"])
one_way = st.dictionaries(labels, counts, min_size=1, max_size=6)


@st.composite
def two_way(draw):
    rows = draw(st.lists(st.sampled_from(["r1", "r2", "r3", "r4", "r5"]), min_size=1, max_size=5, unique=True))
    cols = draw(st.lists(st.sampled_from(["yes", "no", "unsure", "skip"]), min_size=1, max_size=4, unique=True))
    return {(r, c): draw(counts) for r in rows for c in cols}


def _check_table(table: PublishedTable, k: int) -> None:
    shown = [v for v in table.entries().values() if not isinstance(v, Hidden)]
    # No shown entry (cell or total) is below k - zeros included, by the safer rule.
    assert all(v >= k for v in shown)
    assert not any(0 < v < k for v in shown)
    assert recoverable_cells(table) == set()
    assert lp_recoverable(table) == set()


@FAST
@given(one_way, st.sampled_from([5, 10, 11]))
def test_one_way_tables_never_publish_or_reveal_small_cells(cells, k):
    table = suppress_table(cells, k=k)
    _check_table(table, k)
    # Nothing that was shown changed.
    assert all(table.cells[key] in (cells[key], Hidden(k)) for key in cells)


@FAST
@given(two_way(), st.sampled_from([5, 10]))
def test_two_way_tables_never_publish_or_reveal_small_cells(cells, k):
    table = suppress_table(cells, k=k)
    _check_table(table, k)
    assert all(table.cells[key] in (cells[key], Hidden(k)) for key in cells)


@FAST
@given(two_way())
def test_no_line_has_exactly_one_hidden_entry(cells):
    table = suppress_table(cells)
    entries = table.entries()
    for parts, whole in table.lines():
        assert sum(isinstance(entries[key], Hidden) for key in (*parts, whole)) != 1


# --------------------------------------------------------------------------- teacher summaries, by hand


def test_fewer_than_five_answers_are_suppressed_without_even_n():
    summary = teacher_item_summary({"agree": 2, "disagree": 2}, sensitive=False)
    assert summary.suppressed and summary.reason == REASON_FEWER_THAN_MIN
    assert summary.n is None and summary.shares == {}


def test_non_sensitive_item_shows_whole_percentages():
    # 3/15 = 20%, 12/15 = 80%; 0 and 100 are allowed on items that are not sensitive.
    assert teacher_item_summary({"yes": 3, "no": 12}, sensitive=False).shares == {"yes": 20, "no": 80}
    assert teacher_item_summary({"yes": 0, "no": 6}, sensitive=False).shares == {"yes": 0, "no": 100}


def test_rounding_is_half_up():
    # 1/8 = 12.5% -> 13; 1/6 = 16.67% -> 17; 5/6 = 83.3% -> 83.
    assert percent(1, 8) == 13 and percent(1, 6) == 17 and percent(5, 6) == 83


def test_sensitive_all_or_none_becomes_bands():
    summary = teacher_item_summary({"yes": 0, "no": 12}, sensitive=True)
    assert summary.shares == {"yes": ALMOST_NONE, "no": ALMOST_ALL}
    # One student is shown exactly like none (band width is 1 below 40 answers): 1/12 and 11/12.
    assert teacher_item_summary({"yes": 1, "no": 11}, sensitive=True).shares == summary.shares


def test_sensitive_band_width_grows_with_the_class():
    # n = 60: t = 60 // 20 = 3, so 3 students (5%) is "almost none" and 4 (6.7% -> 7%) is a number.
    assert band_width(60) == 3 and band_width(39) == 1
    assert teacher_item_summary({"yes": 3, "no": 57}, True).shares == {"yes": ALMOST_NONE, "no": ALMOST_ALL}
    assert teacher_item_summary({"yes": 4, "no": 56}, True).shares == {"yes": 7, "no": 93}


def test_sensitive_banded_option_cannot_be_derived_from_the_others():
    # 0 / 3 / 12 of 15: showing 20% and 80% would give 15 - 3 - 12 = 0 for "yes", so the smallest number
    # (skip, 3) is withheld; yes + skip = 3 could be 0 + 3 or 1 + 2.
    summary = teacher_item_summary({"yes": 0, "skip": 3, "no": 12}, sensitive=True)
    assert summary.shares == {"yes": ALMOST_NONE, "skip": WITHHELD, "no": 80}


def test_sensitive_pattern_that_would_still_reveal_a_zero_is_suppressed():
    # 0 / 2 / 2 / 2 of 6 (t = 1): withholding one 2 leaves yes + withheld = 2, and the withheld option
    # cannot be 1 (it would have been banded), so yes = 0 would follow. The item is suppressed.
    summary = teacher_item_summary({"yes": 0, "a": 2, "b": 2, "c": 2}, sensitive=True)
    assert summary.suppressed and summary.reason == REASON_PATTERN


def test_sensitive_item_needs_two_options_and_three_answers():
    assert teacher_item_summary({"yes": 7}, True).reason == REASON_SINGLE_OPTION
    assert teacher_item_summary({"yes": 1, "no": 1}, True, min_n=1).reason == REASON_FEWER_THAN_MIN
    with pytest.raises(ValueError):
        teacher_item_summary({"yes": 1}, True, min_n=0)
    with pytest.raises(ValueError):
        teacher_item_summary({"yes": -1, "no": 9}, True)


# --------------------------------------------------------------------------- teacher summaries, properties

options = st.lists(st.integers(0, 30), min_size=1, max_size=5)


@FAST
@given(options, st.booleans(), st.integers(1, 10))
def test_teacher_summaries_never_published_below_threshold(values, sensitive, min_n):
    counts = {f"o{i}": v for i, v in enumerate(values)}
    summary = teacher_item_summary(counts, sensitive, min_n=min_n)
    if sum(values) < min_n:
        assert summary.suppressed and summary.shares == {} and summary.n is None
    if not summary.suppressed:
        assert summary.n == sum(values) >= min_n


@FAST
@given(options)
def test_sensitive_items_never_show_0_or_100_percent(values):
    counts = {f"o{i}": v for i, v in enumerate(values)}
    summary = teacher_item_summary(counts, sensitive=True)
    for share in summary.shares.values():
        assert share not in (0, 100)
        assert share in (ALMOST_NONE, ALMOST_ALL, WITHHELD) or 5 <= share <= 95


def _consistent_vectors(summary, names: list[str], sensitive: bool = True):
    """Every count vector that yields exactly the same published summary (a reader who knows the rules)."""
    n = summary.n
    t = band_width(n)
    candidates = []
    for name in names:
        share = summary.shares[name]
        if share == ALMOST_NONE:
            candidates.append(range(0, t + 1))
        elif share == ALMOST_ALL:
            candidates.append(range(n - t, n + 1))
        elif share == WITHHELD:
            candidates.append(range(t + 1, n - t))
        else:
            candidates.append([c for c in range(n + 1) if percent(c, n) == share])
    for vector in itertools.product(*candidates):
        if sum(vector) == n and teacher_item_summary(dict(zip(names, vector, strict=True)), sensitive) == summary:
            yield vector


@FAST
@given(st.lists(st.integers(0, 25), min_size=2, max_size=4))
def test_sensitive_items_never_let_a_reader_work_out_all_or_none(values):
    names = [f"o{i}" for i in range(len(values))]
    summary = teacher_item_summary(dict(zip(names, values, strict=True)), sensitive=True)
    if summary.suppressed:
        return
    vectors = list(_consistent_vectors(summary, names))
    assert tuple(values) in vectors
    n = sum(values)
    for i, value in enumerate(values):
        if value == 0:
            assert any(v[i] > 0 for v in vectors), f"option {i} is provably chosen by nobody"
        if value == n:
            assert any(v[i] < n for v in vectors), f"option {i} is provably chosen by everybody"
