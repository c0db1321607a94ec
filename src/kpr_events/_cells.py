"""Cells of the CSV tables: several values in one cell, numbers, and the formula guard.

A cell holding several values joins them with :data:`SEPARATOR` after escaping
each (``\\`` → ``\\\\``, ``;`` → ``\\;``); :func:`split_cell` undoes it. Numbers are
written in plain decimal notation, never with an exponent, so that every
spreadsheet and pandas read them as the number they are.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import Decimal

from kpr_events.errors import DataError, Problem

__all__ = [
    "FORMAT_CHARACTERS",
    "FORMULA_TRIGGERS",
    "SEPARATOR",
    "guard_formula",
    "join_cell",
    "number_cell",
    "split_cell",
]

SEPARATOR = "; "
"""Between the values of a multi-valued cell; a ``;`` inside a value is written ``\\;``."""

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
"""First characters that make a spreadsheet read a cell as a formula (OWASP, plus line feed)."""

FORMAT_CHARACTERS = (
    "\u200e\u200f\u061c\ufeff"  # directional marks, the Arabic letter mark, the BOM
    "\u202a\u202b\u202c\u202d\u202e"  # bidirectional embeddings and overrides
    "\u2066\u2067\u2068\u2069"  # bidirectional isolates
)
"""Invisible characters a cell may begin with before a formula trigger: a spreadsheet
shows nothing of them, so ``\\u200e=1+1`` looks like, and may be run as, ``=1+1``."""


def join_cell(values: Iterable[str]) -> str:
    """Several values as one cell; an empty cell is no values, so no value may be empty.

    Raises :class:`DataError` (``invalid-value``) for an empty value; the row
    builders re-raise it located at the record and naming the column.
    """
    items = list(values)
    if any(not item for item in items):
        message = f"{items!r} holds an empty value (expected none: an empty cell is no values)"
        raise DataError([Problem("invalid-value", message)])
    return SEPARATOR.join(v.replace("\\", "\\\\").replace(";", "\\;") for v in items)


def split_cell(cell: str) -> list[str]:
    """The values of a multi-valued cell, unescaped: the inverse of :func:`join_cell`.

    A bare ``;`` (no space after it, as typed by hand) separates values too.
    Empty values are dropped (``"a;"`` and ``"a;; b"`` are ``["a"]`` and
    ``["a", "b"]``, ``";"`` is ``[]``): :func:`join_cell` never writes one, so
    only a cell edited by hand holds one, and there it is a slip, not a value.
    """
    items: list[str] = []
    current: list[str] = []
    index = 0
    while index < len(cell):
        char = cell[index]
        if char == "\\" and index + 1 < len(cell):
            current.append(cell[index + 1])
            index += 2
        elif char == ";":
            items.append("".join(current))
            current = []
            index += 2 if cell.startswith(" ", index + 1) else 1
        else:
            current.append(char)
            index += 1
    items.append("".join(current))
    return [item for item in items if item]


def number_cell(value: float | None) -> str:
    """A number cell: empty for None, an integer when whole (``2000``, never ``2000.0``),
    else plain decimal notation of the float's shortest repr (``0.000015``, not ``1.5e-05``)."""
    if value is None:
        return ""
    if isinstance(value, int) or value.is_integer():
        return str(int(value))
    if not math.isfinite(value):
        return repr(value)
    return format(Decimal(repr(value)), "f")


def guard_formula(cell: str) -> str:
    """The cell with ``'`` before it if a spreadsheet would run it as a formula.

    That is, if it begins with one of :data:`FORMULA_TRIGGERS`, after any of the
    invisible :data:`FORMAT_CHARACTERS`.
    """
    return "'" + cell if cell.lstrip(FORMAT_CHARACTERS).startswith(FORMULA_TRIGGERS) else cell
