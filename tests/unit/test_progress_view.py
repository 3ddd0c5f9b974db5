"""The progress grid's sort, filter and shares done (pure)."""

from __future__ import annotations

from types import SimpleNamespace

from edu.teach.progress import Cell, Column, ModuleSummary, ProgressGrid
from edu.teach.progress_view import grid_view, share_done

COLUMNS = [Column("lesson", "l1", "One", "m1"), Column("quiz", "q1", "Quiz", "m1"), Column("lesson", "l2", "Two", "m2")]


def _grid():
    ana, bo, cy = (SimpleNamespace(id=i, pseudonym=n) for i, n in ((1, "Ana"), (2, "Bo"), (3, "Cy")))
    rows = [(ana, [Cell("done"), Cell("done"), Cell("not_started")]),
            (bo, [Cell("overdue"), Cell("overdue"), Cell("not_assigned")]),
            (cy, [Cell("done"), Cell("done"), Cell("done")])]
    return ProgressGrid(COLUMNS, rows, [ModuleSummary("m1", "M1"), ModuleSummary("m2", "M2")], 3)


def test_share_done_leaves_out_what_is_not_assigned():
    assert share_done([Cell("done"), Cell("not_assigned")]) == 1.0
    assert share_done([Cell("not_assigned")]) is None


def test_sorting_and_the_shares_per_column():
    view = grid_view(_grid(), sort="least_done")
    assert [s.pseudonym for s, _c, _share in view.rows] == ["Bo", "Ana", "Cy"]
    assert view.column_done == [2 / 3, 2 / 3, 1 / 2]  # Bo is not given m2
    assert [s.pseudonym for s, _c, _share in grid_view(_grid(), sort="most_done").rows][0] == "Cy"


def test_filters_by_module_and_by_state():
    view = grid_view(_grid(), module="m2", show="done")
    assert [c.id for c in view.columns] == ["l2"] and [s.pseudonym for s, _c, _s in view.rows] == ["Cy"]
    assert view.hidden == 2
    assert [s.pseudonym for s, _c, _s in grid_view(_grid(), show="overdue").rows] == ["Bo"]
    assert {s.pseudonym for s, _c, _s in grid_view(_grid(), show="behind").rows} == {"Ana", "Bo"}
    unknown = grid_view(_grid(), sort="x", show="y", module="z")
    assert (unknown.sort, unknown.show, unknown.module) == ("pseudonym", "all", "")
