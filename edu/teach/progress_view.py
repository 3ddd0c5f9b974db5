"""The progress grid as the teacher asked to see it: one module or all, only students who are behind or done,
sorted by pseudonym or by how much is done; with the share done per lesson, quiz, module and student."""

from __future__ import annotations

from dataclasses import dataclass

from edu.teach.progress import Cell, Column, ModuleSummary, ProgressGrid

SORTS = ("pseudonym", "least_done", "most_done")
SHOWS = ("all", "behind", "overdue", "done")


def share_done(cells: list[Cell]) -> float | None:
    """The share of assigned cells that are done; None when nothing is assigned."""
    assigned = [cell for cell in cells if cell.state != "not_assigned"]
    return sum(cell.state == "done" for cell in assigned) / len(assigned) if assigned else None


@dataclass
class GridView:
    columns: list[Column]
    column_done: list[float | None]  # per column, the share of students (it is assigned to) who are done
    rows: list[tuple[object, list[Cell], float | None]]  # student, cells, their share done
    modules: list[ModuleSummary]
    sort: str
    show: str
    module: str
    hidden: int  # students left out by the filter


def _shown(cells: list[Cell], show: str) -> bool:
    states = {cell.state for cell in cells}
    if show == "behind":
        return bool(states & {"not_started", "overdue"})
    if show == "overdue":
        return "overdue" in states
    if show == "done":
        return bool(cells) and states <= {"done", "not_assigned"} and "done" in states
    return True


def grid_view(grid: ProgressGrid, sort: str = "pseudonym", show: str = "all", module: str = "") -> GridView:
    sort = sort if sort in SORTS else "pseudonym"
    show = show if show in SHOWS else "all"
    module = module if any(m.module_id == module for m in grid.modules) else ""
    keep = [i for i, column in enumerate(grid.columns) if not module or column.module_id == module]
    columns = [grid.columns[i] for i in keep]
    rows = []
    for student, cells in grid.rows:
        mine = [cells[i] for i in keep]
        rows.append((student, mine, share_done(mine)))
    column_done = [share_done([cells[index] for _student, cells, _share in rows]) for index in range(len(columns))]
    shown = [row for row in rows if _shown(row[1], show)]
    if sort != "pseudonym":
        shown.sort(key=lambda row: (row[2] if row[2] is not None else -1.0), reverse=sort == "most_done")
    modules = [m for m in grid.modules if not module or m.module_id == module]
    return GridView(columns, column_done, shown, modules, sort, show, module, len(rows) - len(shown))
