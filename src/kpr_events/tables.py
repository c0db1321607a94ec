"""Flat tables for analysts: events and statements as CSV, one row per record.

Analysts of conflict data work in spreadsheets and pandas with ACLED- and
UCDP-style columns, not with nested records. This module flattens the records
into such columns without deciding anything the data does not: where claims
about a number disagree, every claim is listed and the agreed figure is left
empty (see :data:`FIGURE_GROUPS`). Each column's meaning is stated once, in
:data:`EVENT_COLUMNS` and :data:`STATEMENT_COLUMNS`; ``docs/csv.md`` is
generated from them.

A cell holding several values joins them with :data:`SEPARATOR` after
escaping each (``\\`` → ``\\\\``, ``;`` → ``\\;``); :func:`split_cell` undoes it.

This is the public namespace; the work is done in private modules: the column
specs in ``_columns``, the cells in ``_cells``, the rows in ``_rows``. Here are
the registry of tables and the writing of CSV.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType

import attrs

from kpr_events._cells import FORMULA_TRIGGERS, SEPARATOR, guard_formula, join_cell, split_cell
from kpr_events._columns import (
    ACTOR1_ROLES,
    ACTOR2_ROLES,
    EVENT_COLUMNS,
    FIGURE_GROUPS,
    STATEMENT_COLUMNS,
    Column,
    FigureGroup,
)
from kpr_events._jsonio import atomic_writer
from kpr_events._rows import Row, event_rows, statement_rows
from kpr_events.dataset import Dataset
from kpr_events.errors import DataError, Problem

__all__ = [
    "ACTOR1_ROLES",
    "ACTOR2_ROLES",
    "EVENT_COLUMNS",
    "FIGURE_GROUPS",
    "FORMULA_TRIGGERS",
    "SEPARATOR",
    "STATEMENT_COLUMNS",
    "TABLES",
    "Column",
    "FigureGroup",
    "event_rows",
    "join_cell",
    "render_csv",
    "split_cell",
    "statement_rows",
    "table_rows",
    "write_csv",
]


@attrs.frozen
class _Table:
    """A table: its columns, in order, and the function giving its rows."""

    columns: tuple[Column, ...]
    rows: Callable[[Dataset], list[Row]]


_TABLES: Mapping[str, _Table] = {
    "events": _Table(EVENT_COLUMNS, event_rows),
    "statements": _Table(STATEMENT_COLUMNS, statement_rows),
}

TABLES: Mapping[str, tuple[Column, ...]] = MappingProxyType(
    {name: table.columns for name, table in _TABLES.items()}
)
"""Every table by name: its columns, in order."""


def _table(name: str) -> _Table:
    try:
        return _TABLES[name]
    except KeyError:
        expected = " or ".join(sorted(_TABLES))
        message = f"no table is named {name!r} (expected {expected})"
        raise DataError([Problem("invalid-value", message)]) from None


def table_rows(dataset: Dataset, table: str) -> list[Row]:
    """The rows of the table named ``table`` (a key of :data:`TABLES`)."""
    return _table(table).rows(dataset)


def render_csv(
    dataset: Dataset, table: str = "events", *, bom: bool = False, formula_guard: bool = False
) -> str:
    """The table as CSV text: a header row, then one row per record; CRLF line ends.

    ``bom`` starts the text with U+FEFF, which Excel needs to read UTF-8.
    ``formula_guard`` prefixes ``'`` to every cell but numbers that starts with
    one of :data:`FORMULA_TRIGGERS`, or with invisible format characters (such as
    U+200E) and then one; a spreadsheet then shows it instead of running it.
    That changes the data, so it is off by default.
    """
    spec = _table(table)
    rows = spec.rows(dataset)
    out = io.StringIO()
    if bom:
        out.write("\ufeff")
    # CRLF, as RFC 4180 says: the writer quotes only the line break characters of
    # its terminator, so with LF alone a cell holding a CR would split its row.
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(c.name for c in spec.columns)
    for row in rows:
        writer.writerow(
            guard_formula(row[c.name]) if formula_guard and c.kind != "number" else row[c.name]
            for c in spec.columns
        )
    return out.getvalue()


def write_csv(
    path: Path,
    dataset: Dataset,
    table: str = "events",
    *,
    bom: bool = False,
    formula_guard: bool = False,
) -> None:
    """Write the table to ``path`` as UTF-8 CSV, atomically (see :func:`render_csv`)."""
    text = render_csv(dataset, table, bom=bom, formula_guard=formula_guard)
    with atomic_writer(path) as f:
        f.write(text)
