"""Disclosure control: the one place that decides which survey figures may be shown to whom.

Two audiences, two rule sets (design.md §4). Both thresholds are parameters whose defaults are the
settings' defaults; the page passes the configured values.

**Teacher, own class** (:func:`teacher_item_summary`)

- An item is shown only as a class aggregate, and only when at least ``min_n`` (default 5) students
  answered; otherwise it is suppressed and not even the number who answered is given.
- Shares are whole percentages, rounded half up (they need not add up to 100).
- Sensitive items never show 0% or 100%, and never let a reader *work out* that all or none of the class
  answered a way:

  1. with t = max(1, n // 20) ("band width": 1 student, or 5% of the class for classes of 40+), an option
     chosen by at most t students is shown as ``almost_none`` and one chosen by at least n - t students as
     ``almost_all``. So "none" and "one" (and "all" and "all but one") always look the same, and every
     number shown lies strictly between 5% and 95%.
  2. If an option is shown as ``almost_none`` while others are shown as numbers, the others would give
     its exact count by subtraction from n (with n <= 100 a whole percentage *is* an exact count). So the
     smallest numeric option is also hidden (``withheld``); the two hidden options share a known total
     and neither can be pinned down.
  3. In the one pattern where that is still not enough (the withheld option and the banded ones together
     hold only t + 1 students, which would force the banded ones to be 0), the whole item is suppressed.
  4. A sensitive item needs at least 2 options and at least 3 answers, whatever ``min_n`` says.

  Rounding is not relied on for protection: for classes of up to 100 a whole percentage determines the
  count, so the rules above assume the reader knows every shown count exactly (and knows these rules).
  Counts between 1 and ``min_n`` - 1 for a single option are allowed at teacher level: the threshold is
  on the number of students behind the aggregate, not on each option.

**School admin / researcher** (:func:`suppress_table`)

- A table is one breakdown at a time: a one-way table (category -> count, with a total) or a two-way
  table (rows x columns, with row totals, column totals and a grand total). Two tables of the same
  students must not be shown together; the page enforces that by offering one breakdown at a time.
- Primary suppression: every count below ``k`` (default 10) is hidden, **including zeros and totals**.
  A published 0 is a disclosure ("none of class 2-3 said they would help"), and showing zeros would let
  a reader tell a hidden 0 from a hidden 1..9; so zeros are treated like any other small count. Totals
  below k are small counts too.
- Complementary suppression: in every line (a row with its total, a column with its total, the totals
  with the grand total) that has exactly one hidden entry, one more shown cell of that line is hidden (a
  total only if no cell is left), repeated until stable. The cell chosen is the smallest one, except that
  a cell whose crossing line also has a single hidden entry is preferred (one extra cell then protects two
  lines, which usually ends in a small rectangle of hidden cells instead of a cascade).
- Audit: the table is then attacked with :func:`recoverable_cells` (subtraction, linear algebra over
  all the lines, and bounds from non-negativity); while any hidden entry can be determined exactly, one
  more entry next to it is hidden. Hiding everything is always safe, so this ends.
- Every hidden entry, whatever the reason, carries the same marker (:class:`Hidden`). Pages must render
  all of them identically (e.g. "<10"-style text with a footnote that some larger cells are hidden to
  protect small ones): a different mark for complementary cells would tell the reader those are >= k.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

DEFAULT_K = 10
DEFAULT_TEACHER_MIN_N = 5
SENSITIVE_MIN_N = 3

ALMOST_NONE = "almost_none"
ALMOST_ALL = "almost_all"
WITHHELD = "withheld"

REASON_FEWER_THAN_MIN = "fewer_than_min_n"
REASON_SINGLE_OPTION = "single_option"
REASON_PATTERN = "small_class_pattern"


# =========================================================================== teacher, own class


@dataclass(frozen=True)
class TeacherItemSummary:
    """A survey item as the teacher may see it.

    ``shares`` maps each option to a whole percentage or to a band key (ALMOST_NONE, ALMOST_ALL,
    WITHHELD); the page translates the keys. When ``suppressed`` there are no shares and no n.
    """

    suppressed: bool
    reason: str | None
    n: int | None
    shares: dict[str, int | str] = field(default_factory=dict)
    min_n: int = DEFAULT_TEACHER_MIN_N


def percent(count: int, n: int) -> int:
    """count / n as a whole percentage, rounded half up (exact integer arithmetic)."""
    return (200 * count + n) // (2 * n)


def band_width(n: int) -> int:
    """How many students an ``almost_none``/``almost_all`` band covers: max(1, n // 20)."""
    return max(1, n // 20)


def teacher_item_summary(counts: Mapping[str, int], sensitive: bool,
                         min_n: int = DEFAULT_TEACHER_MIN_N) -> TeacherItemSummary:
    """Per-option shares of one survey item for the class teacher, or a suppression (see module doc).

    ``counts`` must list every option of the item, including options nobody chose (count 0).
    """
    if min_n < 1:
        raise ValueError("min_n must be at least 1")
    if any(c < 0 for c in counts.values()):
        raise ValueError("counts cannot be negative")
    n = sum(counts.values())
    if n < min_n or (sensitive and n < SENSITIVE_MIN_N):
        return _teacher_suppressed(REASON_FEWER_THAN_MIN, min_n)
    if not sensitive:
        return TeacherItemSummary(False, None, n, {o: percent(c, n) for o, c in counts.items()}, min_n)
    if len(counts) < 2:
        return _teacher_suppressed(REASON_SINGLE_OPTION, min_n)
    shares = _sensitive_shares(counts, n)
    if shares is None:
        return _teacher_suppressed(REASON_PATTERN, min_n)
    return TeacherItemSummary(False, None, n, shares, min_n)


def _teacher_suppressed(reason: str, min_n: int) -> TeacherItemSummary:
    return TeacherItemSummary(suppressed=True, reason=reason, n=None, shares={}, min_n=min_n)


def _sensitive_shares(counts: Mapping[str, int], n: int) -> dict[str, int | str] | None:
    """Rules 1-3 of the module docstring; None means the item must be suppressed (rule 3)."""
    t = band_width(n)
    shares: dict[str, int | str] = {}
    for option, count in counts.items():
        if count <= t:
            shares[option] = ALMOST_NONE
        elif count >= n - t:
            shares[option] = ALMOST_ALL
        else:
            shares[option] = percent(count, n)
    numeric = [o for o, v in shares.items() if isinstance(v, int)]
    if ALMOST_NONE in shares.values() and numeric:
        order = list(counts)
        withheld = min(numeric, key=lambda o: (counts[o], order.index(o)))
        shares[withheld] = WITHHELD
        # What a reader can work out: the banded options and the withheld one hold these students.
        rest = n - sum(counts[o] for o in numeric if o != withheld)
        if rest <= t + 1:
            return None
    return shares


# =========================================================================== admin / researcher tables


@dataclass(frozen=True)
class Hidden:
    """The marker for a hidden entry: fewer than k, or hidden so that such a count cannot be worked out."""

    k: int

    def __str__(self) -> str:
        return "hidden"


@dataclass(frozen=True)
class MarginKey:
    """The key of a total: a row total, a column total, or the grand total (axis "total")."""

    axis: Literal["row", "col", "total"]
    label: Hashable = None


GRAND_TOTAL = MarginKey("total")
Value = int | Hidden
EntryKey = Hashable


@dataclass(frozen=True)
class PublishedTable:
    """A table after suppression. One-way tables have no columns and no row/column totals.

    ``cells`` is keyed like the input (category, or (row, column)); totals are in ``row_totals``,
    ``col_totals`` and ``total``. Any entry may be :class:`Hidden`.
    """

    k: int
    rows: tuple[Hashable, ...]
    cols: tuple[Hashable, ...]
    cells: dict[Hashable, Value]
    row_totals: dict[Hashable, Value]
    col_totals: dict[Hashable, Value]
    total: Value

    @property
    def two_way(self) -> bool:
        return bool(self.cols)

    def entries(self) -> dict[EntryKey, Value]:
        """Every entry, cells and totals, keyed by cell key or :class:`MarginKey`."""
        out: dict[EntryKey, Value] = dict(self.cells)
        out.update({MarginKey("row", r): v for r, v in self.row_totals.items()})
        out.update({MarginKey("col", c): v for c, v in self.col_totals.items()})
        out[GRAND_TOTAL] = self.total
        return out

    def lines(self) -> list[tuple[list[EntryKey], EntryKey]]:
        """The additive relations (parts, whole) that hold in the table."""
        return _lines(self.rows, self.cols)


def _lines(rows: tuple[Hashable, ...], cols: tuple[Hashable, ...]) -> list[tuple[list[EntryKey], EntryKey]]:
    if not cols:
        return [(list(rows), GRAND_TOTAL)]
    lines: list[tuple[list[EntryKey], EntryKey]] = []
    lines += [([(r, c) for c in cols], MarginKey("row", r)) for r in rows]
    lines += [([(r, c) for r in rows], MarginKey("col", c)) for c in cols]
    lines.append(([MarginKey("row", r) for r in rows], GRAND_TOTAL))
    lines.append(([MarginKey("col", c) for c in cols], GRAND_TOTAL))
    return lines


def _shape(cells: Mapping[Hashable, int]) -> tuple[tuple[Hashable, ...], tuple[Hashable, ...]]:
    """Rows and columns of the input: str or 1-tuple keys make a one-way table, 2-tuples a two-way one."""
    keys = list(cells)
    if all(isinstance(key, tuple) and len(key) == 2 for key in keys) and keys:
        rows = tuple(dict.fromkeys(key[0] for key in keys))
        cols = tuple(dict.fromkeys(key[1] for key in keys))
        return rows, cols
    if all(not (isinstance(key, tuple) and len(key) != 1) for key in keys):
        return tuple(keys), ()
    raise ValueError("one breakdown at a time: keys must all be categories or all (row, column) pairs")


def suppress_table(cells: Mapping[Hashable, int], k: int = DEFAULT_K) -> PublishedTable:
    """Hide small counts and enough others that none of them can be worked out (module docstring).

    Two-way tables: combinations missing from ``cells`` count as 0.
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    if any(v < 0 for v in cells.values()):
        raise ValueError("counts cannot be negative")
    rows, cols = _shape(cells)
    if not rows:
        return _publish({GRAND_TOTAL: 0}, {GRAND_TOTAL}, rows, cols, k)
    true = _true_entries(cells, rows, cols)
    lines = _lines(rows, cols)
    hidden = {key for key, value in true.items() if value < k}
    while True:
        if _complete_lines(lines, true, hidden):
            continue
        if _hide_totals_over_hidden_cells(lines, hidden):
            continue
        recovered = recoverable_cells(_publish(true, hidden, rows, cols, k))
        if not recovered:
            break
        hidden.add(_next_to_hide(sorted(recovered, key=repr)[0], lines, true, hidden))
    return _publish(true, hidden, rows, cols, k)


def _true_entries(cells: Mapping[Hashable, int], rows: tuple[Hashable, ...],
                  cols: tuple[Hashable, ...]) -> dict[EntryKey, int]:
    if not cols:
        true: dict[EntryKey, int] = {row: cells[row] for row in rows}
        true[GRAND_TOTAL] = sum(cells.values())
        return true
    true = {(r, c): cells.get((r, c), 0) for r in rows for c in cols}
    for r in rows:
        true[MarginKey("row", r)] = sum(true[(r, c)] for c in cols)
    for c in cols:
        true[MarginKey("col", c)] = sum(true[(r, c)] for r in rows)
    true[GRAND_TOTAL] = sum(cells.values())
    return true


def _hide_totals_over_hidden_cells(lines: list[tuple[list[EntryKey], EntryKey]], hidden: set[EntryKey]) -> bool:
    """Hide every total that covers a hidden entry (row, column and grand totals).

    Totals over hidden cells are what a reader combines, with the fact that counts are never negative, to pin
    hidden cells down (zeros included). With them hidden, nothing constrains a hidden cell. Totals of lines
    with no hidden cell stay: they only add up what is already shown. True if anything changed.
    """
    changed = False
    for parts, whole in lines:
        if whole not in hidden and any(p in hidden for p in parts):
            hidden.add(whole)
            changed = True
    return changed


def _publish(true: Mapping[EntryKey, int], hidden: set[EntryKey], rows: tuple[Hashable, ...],
             cols: tuple[Hashable, ...], k: int) -> PublishedTable:
    def value(key: EntryKey) -> Value:
        return Hidden(k) if key in hidden else true[key]

    cell_keys = [(r, c) for r in rows for c in cols] if cols else list(rows)
    return PublishedTable(
        k=k, rows=rows, cols=cols, cells={key: value(key) for key in cell_keys},
        row_totals={r: value(MarginKey("row", r)) for r in rows} if cols else {},
        col_totals={c: value(MarginKey("col", c)) for c in cols},
        total=value(GRAND_TOTAL),
    )


def _smallest_shown(keys: Iterable[EntryKey], true: Mapping[EntryKey, int],
                    hidden: set[EntryKey]) -> EntryKey | None:
    """The shown entry with the smallest count, cells before totals; ties broken by key order."""
    shown = [key for key in keys if key not in hidden]
    if not shown:
        return None
    return min(shown, key=lambda key: (isinstance(key, MarginKey), true[key], repr(key)))


def _complete_lines(lines: list[tuple[list[EntryKey], EntryKey]], true: Mapping[EntryKey, int],
                    hidden: set[EntryKey]) -> bool:
    """Hide one more entry in each line with exactly one hidden entry; True if anything changed."""
    changed = False
    for parts, whole in lines:
        if _hidden_in_line(parts, whole, hidden) != 1:
            continue
        extra = _complement(parts, lines, true, hidden) or _smallest_shown([whole], true, hidden)
        if extra is not None:
            hidden.add(extra)
            changed = True
    return changed


def _hidden_in_line(parts: list[EntryKey], whole: EntryKey, hidden: set[EntryKey]) -> int:
    return sum(key in hidden for key in (*parts, whole))


def _complement(parts: list[EntryKey], lines: list[tuple[list[EntryKey], EntryKey]],
                true: Mapping[EntryKey, int], hidden: set[EntryKey]) -> EntryKey | None:
    """The shown part to hide next: one whose other line also has a single hidden entry (so one more
    hidden cell protects two lines) if there is one, else the smallest; cells before totals."""
    def fixes_another(key: EntryKey) -> bool:
        return any(key in other_parts and _hidden_in_line(other_parts, other_whole, hidden) == 1
                   for other_parts, other_whole in lines if other_parts is not parts)

    shown = [key for key in parts if key not in hidden]
    if not shown:
        return None
    return min(shown, key=lambda key: (isinstance(key, MarginKey), not fixes_another(key), true[key], repr(key)))


def _next_to_hide(recovered: EntryKey, lines: list[tuple[list[EntryKey], EntryKey]],
                  true: Mapping[EntryKey, int], hidden: set[EntryKey]) -> EntryKey:
    """An entry to hide so that ``recovered`` gets harder to determine: a neighbour in one of its lines
    if possible, else the smallest shown entry anywhere."""
    near = [key for parts, whole in lines if recovered in (*parts, whole) for key in (*parts, whole)]
    choice = _smallest_shown(near, true, hidden) or _smallest_shown(true, true, hidden)
    if choice is None:  # pragma: no cover - in a non-empty table with everything hidden, nothing is recoverable
        raise RuntimeError("nothing left to hide")
    return choice


# =========================================================================== the attacker


Bound = Fraction | int | float


def recoverable_cells(published: PublishedTable) -> set[EntryKey]:
    """Hidden entries a reader can determine exactly from the shown entries.

    The reader knows the layout, every shown count, that counts are whole numbers >= 0 and that every
    line adds up. Three attacks are combined: subtraction in a line, Gaussian elimination over all lines
    together (catches e.g. a hidden cell that is the only link between two groups of hidden cells), and
    bounds propagation from non-negativity (catches e.g. hidden cells whose line leaves 0 for them).
    """
    entries = published.entries()
    unknowns = [key for key, value in entries.items() if isinstance(value, Hidden)]
    if not unknowns:
        return set()
    index = {key: i for i, key in enumerate(unknowns)}
    equations = _equations(published.lines(), entries, index)
    reduced, determined = _eliminate(equations, len(unknowns))
    bounds_determined = _propagate_bounds(equations + reduced, len(unknowns))
    return {unknowns[i] for i in determined | bounds_determined}


Equation = tuple[dict[int, Fraction | int], Fraction | int]  # sum(coef * x[i]) == constant


def _equations(lines: list[tuple[list[EntryKey], EntryKey]], entries: Mapping[EntryKey, Value],
               index: Mapping[EntryKey, int]) -> list[Equation]:
    """Each line as sum(parts) - whole = 0, with shown values moved to the constant side."""
    equations = []
    for parts, whole in lines:
        coefs: dict[int, Fraction] = {}
        constant = Fraction(0)
        for key, sign in [*((p, 1) for p in parts), (whole, -1)]:
            value = entries[key]
            if isinstance(value, Hidden):
                coefs[index[key]] = coefs.get(index[key], Fraction(0)) + sign
            else:
                constant -= sign * value
        coefs = {i: _plain(c) for i, c in coefs.items() if c != 0}
        if coefs:
            equations.append((coefs, _plain(constant)))
    return equations


def _eliminate(equations: list[Equation], size: int) -> tuple[list[Equation], set[int]]:
    """Reduced row echelon form; an unknown is determined when its pivot row has no free unknowns.

    Rows are kept sparse (a line touches few unknowns) and in whole numbers until a division needs a fraction,
    which matters for a school's table of a hundred classes. The reduced form is unique, so the result does not
    depend on how it is computed: rows come out in pivot order.
    """
    rows: list[tuple[dict[int, Fraction | int], Fraction | int]] = [
        ({j: c for j, c in coefs.items() if c != 0}, constant) for coefs, constant in equations]
    pivot_rows: list[tuple[int, dict[int, Fraction | int], Fraction | int]] = []  # (column, coefs, constant)
    pending = rows
    for col in range(size):
        index = next((i for i, (coefs, _c) in enumerate(pending) if col in coefs), None)
        if index is None:
            continue
        coefs, constant = pending.pop(index)
        lead = coefs[col]
        if lead != 1:
            coefs = {j: _ratio(c, lead) for j, c in coefs.items()}
            constant = _ratio(constant, lead)
        pending = [_subtract(row, col, coefs, constant) for row in pending]
        pivot_rows = [(c, *_subtract((other, k), col, coefs, constant)) for c, other, k in pivot_rows]
        pivot_rows.append((col, coefs, constant))
    reduced = [({j: _plain(c) for j, c in sorted(coefs.items()) if c != 0}, _plain(constant))
               for _col, coefs, constant in pivot_rows]
    determined = {col for (col, _coefs, _constant), (coefs, _) in zip(pivot_rows, reduced, strict=True)
                  if len(coefs) == 1}
    return reduced, determined


def _ratio(value: Fraction | int, lead: Fraction | int) -> Fraction | int:
    if lead == -1:
        return -value
    return _plain(Fraction(value) / lead)


def _subtract(row: tuple[dict[int, Fraction | int], Fraction | int], col: int, pivot: dict[int, Fraction | int],
              pivot_constant: Fraction | int) -> tuple[dict[int, Fraction | int], Fraction | int]:
    """``row`` minus its ``col`` coefficient times the (normalised) pivot row, so ``col`` drops out of it."""
    coefs, constant = row
    factor = coefs.get(col, 0)
    if factor == 0:
        return row
    out = dict(coefs)
    for j, c in pivot.items():
        value = out.get(j, 0) - factor * c
        if value == 0:
            out.pop(j, None)
        else:
            out[j] = value
    return out, constant - factor * pivot_constant


def _plain(value: Fraction) -> Fraction | int:
    """Whole numbers as int: the bounds arithmetic is much faster on ints."""
    return value.numerator if value.denominator == 1 else value


def _propagate_bounds(equations: list[Equation], size: int, rounds: int = 200) -> set[int]:
    """Interval propagation with x >= 0 and whole numbers; returns unknowns whose interval is one value."""
    low: list[Bound] = [0] * size
    high: list[Bound] = [math.inf] * size
    for _ in range(rounds):
        changed = False
        for coefs, constant in equations:
            for var, coef in coefs.items():
                lo, hi = _implied_interval(var, coef, coefs, constant, low, high)
                new_low = max(low[var], math.ceil(lo)) if lo != -math.inf else low[var]
                new_high = min(high[var], math.floor(hi)) if hi != math.inf else high[var]
                if new_low != low[var] or new_high != high[var]:
                    low[var], high[var], changed = new_low, new_high, True
        if not changed:
            break
    return {i for i in range(size) if low[i] == high[i]}


def _implied_interval(var: int, coef: Fraction | int, coefs: Mapping[int, Fraction | int], constant: Fraction | int,
                      low: list[Bound], high: list[Bound]) -> tuple[Bound, Bound]:
    """The range of x[var] allowed by one equation given the other unknowns' ranges."""
    rest_min: Bound = 0
    rest_max: Bound = 0
    for other, c in coefs.items():
        if other == var:
            continue
        if c > 0:
            rest_min += c * low[other]
            rest_max = rest_max + c * high[other] if high[other] != math.inf else math.inf
        else:
            rest_min = rest_min + c * high[other] if high[other] != math.inf else -math.inf
            rest_max += c * low[other]
    a, b = constant - rest_max, constant - rest_min  # coef * x lies in [a, b]
    if coef > 0:
        return _div(a, coef), _div(b, coef)
    return _div(b, coef), _div(a, coef)


def _div(value: Bound, coef: Fraction | int) -> Bound:
    if value in (math.inf, -math.inf):
        return value if coef > 0 else -value
    if coef in (1, -1):
        return value * coef
    return Fraction(value) / coef
