"""Per-process tables of values worth keeping between requests (verified session cookies, signed CSRF tokens,
browser identifiers): plain dicts, bounded, emptied all at once when full, so no one can grow them without end
and no entry outlives a restart."""

from __future__ import annotations


def keep(table: dict, key, value, limit: int):
    """Put ``value`` in ``table`` under ``key`` (emptying the table first if it holds ``limit`` entries) and
    return it."""
    if len(table) >= limit:
        table.clear()
    table[key] = value
    return value
