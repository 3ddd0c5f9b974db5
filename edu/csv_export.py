"""CSV files that spreadsheets open as text, never as formulas (OWASP "CSV injection").

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is taken by Excel, LibreOffice and
Google Sheets as a formula (or as the start of one), whoever wrote it: a class name, a pseudonym, a lesson title.
Such a text cell gets a leading apostrophe, which spreadsheets show as text and do not display. Columns declared
numeric keep their numbers (a score of -1 stays -1): only ints and floats may go there."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _numeric(column: str, value: object) -> object:
    if value is None or value == "":
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"column {column} is numeric: {value!r} is not a number")
    return value


def csv_bytes(rows: Iterable[dict], columns: tuple[str, ...], numeric: frozenset[str] = frozenset(),
              headers: dict[str, str] | None = None) -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads Korean), CRLF lines, every text cell neutralised. The header
    row names the columns, or says ``headers[column]`` (words in the reader's language)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    if headers is None:
        writer.writeheader()
    else:
        writer.writerow({column: neutralise(headers[column]) for column in columns})
    for row in rows:
        writer.writerow({column: _numeric(column, row[column]) if column in numeric else neutralise(row[column])
                         for column in columns})
    return buffer.getvalue().encode("utf-8-sig")
