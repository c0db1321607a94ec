"""Dates as shapes, and an axis to place them on, for the timeline.

A date becomes the pieces that say what it says (a day, a pale zone, a core
between fuzzy ends, the options of a set, an open or unknown end); the axis
maps days to ``x``, full width over the focus months and a narrow slot for
each other year that has something in it. Days are proleptic Gregorian
ordinals, so arithmetic on them is plain integer arithmetic.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Sequence
from typing import Literal

import attrs

from kpr_events.dates import DateValue, EdtfDate, EdtfInterval, EdtfSet, parse_edtf

YEAR_SLOT = 30.0
"""The width of a year outside the focus, at full size."""
BREAK = 12.0
"""The gap where the axis changes scale or skips years."""
_SIDE_MAX = 170.0  # the most width all earlier (or all later) years may take
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60, 120, 240, 600, 1200, 2400, 6000, 12000)
_END_OF_TIME = dt.date.max.toordinal() + 1

Parsed = EdtfDate | EdtfInterval | EdtfSet
PieceKind = Literal["core", "vague", "day", "set", "lead-in", "lead-out"]


def _year_start(year: int) -> int:
    return dt.date(year, 1, 1).toordinal() if year <= dt.MAXYEAR else _END_OF_TIME


def _month_start(year: int, month: int) -> int:
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return dt.date(year, month, 1).toordinal() if year <= dt.MAXYEAR else _END_OF_TIME


def day_of(ordinal: int) -> dt.date:
    return dt.date.fromordinal(min(ordinal, _END_OF_TIME - 1))


@attrs.frozen
class Piece:
    """One shape of a date, over days ``start`` up to ``end`` (exclusive).

    ``None`` is the edge of the plot, for an open end. A lead has no length in
    days: it is drawn a fixed length away from ``start``.
    """

    kind: PieceKind
    start: int | None
    end: int | None


def _first(date: EdtfDate) -> int:
    return date.earliest.toordinal()


def _after(date: EdtfDate) -> int:
    return date.latest.toordinal() + 1


def zone(date: EdtfDate) -> Piece:
    return Piece("day" if date.precision == "day" else "vague", _first(date), _after(date))


def pieces(parsed: Parsed) -> list[Piece]:
    """The shapes that say what ``parsed`` says: no more precise, no less."""
    if isinstance(parsed, EdtfDate):
        return [zone(parsed)]
    if isinstance(parsed, EdtfSet):
        joined = Piece("set", parsed.earliest.toordinal(), parsed.latest.toordinal() + 1)
        options = [
            zone(first) if first == last else Piece("vague", _first(first), _after(last))
            for first, last in parsed.members
        ]
        return [joined, *options]
    start, end = parsed.start, parsed.end
    if start is None or end is None:
        return _half_open(parsed)
    # A fuzzy end is a pale zone of its own; the solid core runs between the zones.
    out = [zone(d) for d in (start, end) if d.precision != "day"]
    core_from = _first(start) if start.precision == "day" else _after(start)
    core_to = _after(end) if end.precision == "day" else _first(end)
    if core_to > core_from:
        out.insert(0, Piece("core", core_from, core_to))
    return out


def _half_open(parsed: EdtfInterval) -> list[Piece]:
    """An interval with an end open (an arrow to the edge) or unknown (a dotted lead)."""
    if parsed.start is None:
        assert parsed.end is not None  # an interval has at least one end
        end = parsed.end
        fuzzy = [zone(end)] if end.precision != "day" else []
        if parsed.open_start:
            return [Piece("core", None, _first(end) if fuzzy else _after(end)), *fuzzy]
        return [Piece("lead-in", _first(end), None), zone(end)]
    start = parsed.start
    fuzzy = [zone(start)] if start.precision != "day" else []
    if parsed.open_end:
        return [Piece("core", _after(start) if fuzzy else _first(start), None), *fuzzy]
    return [Piece("lead-out", _after(start), None), zone(start)]


def date_pieces(date: DateValue) -> list[Piece]:
    return pieces(date.parsed)


def reading_pieces(date: DateValue) -> list[list[Piece]]:
    return [pieces(parse_edtf(reading.edtf)) for reading in date.readings]


def named_days(date: DateValue) -> list[int]:
    """The first and last day of every shape of a date and its readings: what the axis shows."""
    days = []
    for pieces in [date_pieces(date), *reading_pieces(date)]:
        for piece in pieces:
            if piece.kind in ("lead-in", "lead-out"):
                continue  # its day is its zone's, which is a piece too
            days += [piece.start] if piece.start is not None else []
            days += [piece.end - 1] if piece.end is not None else []
    return days


def first_known(date: DateValue) -> int:
    day = date.earliest or date.latest
    assert day is not None  # a date has at least one known end
    return day.toordinal()


def last_known(date: DateValue) -> int:
    """The last day a date allows, or its first where the end is open or unknown."""
    day = date.latest or date.earliest
    assert day is not None
    return day.toordinal()


def exact(date: DateValue) -> bool:
    """One day, known for sure."""
    return (
        isinstance(date.parsed, EdtfDate) and date.precision == "day" and not date.parsed.qualifier
    )


@attrs.frozen
class Segment:
    """Days ``start`` to ``end`` drawn linearly from ``x0`` to ``x1``."""

    start: int
    end: int
    x0: float
    x1: float
    kind: Literal["focus", "year"]


@attrs.frozen
class Axis:
    segments: tuple[Segment, ...]
    breaks: tuple[tuple[float, float], ...] = ()

    @property
    def left(self) -> float:
        return self.segments[0].x0

    @property
    def right(self) -> float:
        return self.segments[-1].x1

    def x(self, day: int) -> float:
        """Where ``day`` is; a day in a stretch cut out of the axis is at its break."""
        where = self.segments[0].x0
        for segment in self.segments:
            if day < segment.start:
                return where
            if day <= segment.end:
                share = (day - segment.start) / (segment.end - segment.start)
                return segment.x0 + (segment.x1 - segment.x0) * share
            where = segment.x1
        return where

    def centre(self, day: int) -> float:
        return (self.x(day) + self.x(day + 1)) / 2


def build_axis(
    focus_days: Sequence[int], all_days: Sequence[int], left_x: float, right_x: float
) -> Axis | None:
    """Whole months around ``focus_days`` at full width; other years with marks in narrow slots."""
    if not all_days:
        return None
    focus_days = focus_days or all_days
    low, high = day_of(min(focus_days)), day_of(max(focus_days))
    start, end = _month_start(low.year, low.month), _month_start(high.year, high.month + 1)
    # A day in the focus's first or last year widens the focus rather than take a slot.
    for day in map(day_of, all_days):
        if day.year == low.year and day.toordinal() < start:
            start = _month_start(day.year, day.month)
        if day.year == high.year and day.toordinal() >= end:
            end = _month_start(day.year, day.month + 1)
    before = sorted({day_of(d).year for d in all_days if d < start})
    after = sorted({day_of(d).year for d in all_days if d >= end})
    left, right = _side_scale(before), _side_scale(after)
    segments: list[Segment] = []
    breaks: list[tuple[float, float]] = []
    x = _slots(before, left, left_x, segments, breaks)
    if before:
        breaks.append((x, x + BREAK * left))
        x += BREAK * left
    focus_end = right_x - _side_width(after) * right
    segments.append(Segment(start, end, x, focus_end, "focus"))
    if after:
        breaks.append((focus_end, focus_end + BREAK * right))
    _slots(after, right, focus_end + BREAK * right, segments, breaks)
    return Axis(tuple(segments), tuple(breaks))


def _side_width(years: Sequence[int]) -> float:
    """The width years take at full size: a slot each, a break before each run and the focus."""
    if not years:
        return 0.0
    runs = 1 + sum(1 for a, b in itertools.pairwise(years) if b != a + 1)
    return len(years) * YEAR_SLOT + runs * BREAK


def _side_scale(years: Sequence[int]) -> float:
    width = _side_width(years)
    return min(1.0, _SIDE_MAX / width) if width else 1.0


def _slots(
    years: Sequence[int],
    scale: float,
    x: float,
    segments: list[Segment],
    breaks: list[tuple[float, float]],
) -> float:
    """A slot per year from ``x``, a break where years are skipped; the ``x`` after them."""
    for index, year in enumerate(years):
        if index and year != years[index - 1] + 1:
            breaks.append((x, x + BREAK * scale))
            x += BREAK * scale
        slot = YEAR_SLOT * scale
        segments.append(Segment(_year_start(year), _year_start(year + 1), x, x + slot, "year"))
        x += slot
    return x


@attrs.frozen
class Tick:
    x: float
    month: str
    year: str
    strong: bool  # a year boundary


def ticks(axis: Axis) -> list[Tick]:
    """Month (or coarser) ticks over the focus; a tick per year slot elsewhere."""
    ticks: list[Tick] = []
    slots = [s for s in axis.segments if s.kind == "year"]
    every = math.ceil(28 / (slots[0].x1 - slots[0].x0)) if slots else 1
    for index, slot in enumerate(slots):
        label = str(day_of(slot.start).year) if index % every == 0 else ""
        ticks.append(Tick(slot.x0, "", label, True))
    for focus in (s for s in axis.segments if s.kind == "focus"):
        ticks += _focus_ticks(axis, focus)
    return ticks


def _focus_ticks(axis: Axis, focus: Segment) -> list[Tick]:
    first, last = day_of(focus.start), day_of(focus.end - 1)
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    per_month = (focus.x1 - focus.x0) / months
    step = next((s for s in _MONTH_STEPS if s * per_month >= 34), _MONTH_STEPS[-1])
    ticks: list[Tick] = []
    if step < 12:
        for index in range(months):
            year, month = first.year + (first.month - 1 + index) // 12, (first.month + index) % 12
            month = month or 12
            x = axis.x(_month_start(year, month))
            if (month - 1) % step:
                ticks.append(Tick(x, "", "", False))
                continue
            first_label = not any(t.month for t in ticks)
            year_label = str(year) if month == 1 or first_label else ""
            ticks.append(Tick(x, _MONTHS[month - 1], year_label, month == 1))
        return ticks
    every = step // 12
    if per_month * 12 >= 6:  # room for a line a year
        years = range(first.year + (first.month > 1), last.year + 1)
    else:
        years = range(
            math.ceil((first.year + (first.month > 1)) / every) * every, last.year + 1, every
        )
    for year in years:
        label = str(year) if year % every == 0 else ""
        ticks.append(Tick(axis.x(_year_start(year)), "", label, True))
    return ticks
