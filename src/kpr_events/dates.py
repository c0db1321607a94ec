"""Dates of known precision, in a small subset of EDTF (ISO 8601-2).

News text dates things loosely: "in June 2024", "last Saturday", "from August
2024 to April". EDTF says each of these exactly, and its level 0 and level 1
cover all the seeds need:

=================  ==========================  =====================
form               example                     meaning
=================  ==========================  =====================
day                ``2025-04-26``              that day
month              ``2024-06``                 some day in June 2024
year               ``2024``                    some day in 2024
qualified          ``2025-04-26~`` / ``?`` /   approximate / uncertain /
                   ``%``                       both
interval           ``2024-08-06/2025-04-26``   from one to the other
open interval      ``2024-08-06/..``           no end (yet)
unknown end        ``2024-08-06/``             an end not known
=================  ==========================  =====================

From level 2, one form: "one of a set", for a date the sources pin down only
to a few candidates, or to a run of days:

=================  ==========================  =====================
one of a set       ``[2025-01-02,2025-12-25]``  one of these days
                   ``[2025-04-28..2025-04-30]`` one day in this run
=================  ==========================  =====================

Unspecified digits (``2024-XX``), seasons and the rest of level 2 are not accepted.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from functools import cached_property, lru_cache
from typing import Annotated, Literal

import attrs
from pydantic import AfterValidator, Field, model_validator
from pydantic_core import PydanticCustomError

from kpr_events._base import Value
from kpr_events._fields import Slug, Text, rule_error
from kpr_events._refs import RefTo
from kpr_events.errors import Problem, ValidationError

__all__ = [
    "EDTF_PATTERN",
    "DateReading",
    "DateValue",
    "EdtfDate",
    "EdtfInterval",
    "EdtfSet",
    "Precision",
    "parse_edtf",
]

Precision = Literal["year", "month", "day"]
Qualifier = Literal["", "?", "~", "%"]

_YEAR = r"(?:[1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])"
_DATE = _YEAR + r"(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12][0-9]|3[01]))?)?[?~%]?"
# In a set, dates carry no qualifier, a run's ends share a precision, and a
# set has two members or a run.
_MONTH = _YEAR + r"-(?:0[1-9]|1[0-2])"
_DAY = _MONTH + r"-(?:0[1-9]|[12][0-9]|3[01])"
_PLAIN = rf"(?:{_DAY}|{_MONTH}|{_YEAR})"
_RUN = rf"(?:{_DAY}\.\.{_DAY}|{_MONTH}\.\.{_MONTH}|{_YEAR}\.\.{_YEAR})"
_MEMBER = rf"(?:{_RUN}|{_PLAIN})"
_SET = rf"\[(?:{_RUN}|{_PLAIN},{_MEMBER})(?:,{_MEMBER})*\]"
EDTF_PATTERN = rf"^(?:{_DATE}|{_DATE}/(?:{_DATE}|\.\.)?|(?:\.\.)?/{_DATE}|{_SET})$"
"""The syntax of the accepted subset; calendar validity is checked separately."""

_DATE_RE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?([?~%]?)")
_EDTF_RE = re.compile(EDTF_PATTERN)
_SET_RE = re.compile(_SET)


@attrs.frozen
class EdtfDate:
    """A single EDTF date: its calendar fields and qualifier."""

    year: int
    month: int | None = None
    day: int | None = None
    qualifier: Qualifier = ""

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    @property
    def earliest(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def latest(self) -> dt.date:
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return dt.date(self.year, month, day)

    @property
    def uncertain(self) -> bool:
        return self.qualifier in ("?", "%")

    @property
    def approximate(self) -> bool:
        return self.qualifier in ("~", "%")


@attrs.frozen
class EdtfInterval:
    """An EDTF interval; an end is ``None`` when open (``..``) or unknown (empty)."""

    start: EdtfDate | None
    end: EdtfDate | None
    open_start: bool = False
    open_end: bool = False

    @property
    def precision(self) -> Precision:
        order: tuple[Precision, ...] = ("year", "month", "day")
        ends = [d.precision for d in (self.start, self.end) if d is not None]
        return min(ends, key=order.index)

    @property
    def earliest(self) -> dt.date | None:
        return self.start.earliest if self.start else None

    @property
    def latest(self) -> dt.date | None:
        return self.end.latest if self.end else None

    @property
    def uncertain(self) -> bool:
        return any(d.uncertain for d in (self.start, self.end) if d)

    @property
    def approximate(self) -> bool:
        return any(d.approximate for d in (self.start, self.end) if d)


@attrs.frozen
class EdtfSet:
    """One of a set of dates or runs of dates (EDTF level 2, ``[a,b..c]``)."""

    members: tuple[tuple[EdtfDate, EdtfDate], ...]
    """Each member as a (first, last) pair; a single date is its own first and last."""

    @property
    def precision(self) -> Precision:
        order: tuple[Precision, ...] = ("year", "month", "day")
        ends = [d.precision for member in self.members for d in member]
        return min(ends, key=order.index)

    @property
    def earliest(self) -> dt.date:
        return min(first.earliest for first, _ in self.members)

    @property
    def latest(self) -> dt.date:
        return max(last.latest for _, last in self.members)

    @property
    def uncertain(self) -> bool:
        return True

    @property
    def approximate(self) -> bool:
        return any(d.approximate for member in self.members for d in member)


def _parse_set(text: str) -> EdtfSet:
    if _SET_RE.fullmatch(text) is None:
        raise rule_error(
            "edtf-invalid",
            f"{text!r} is not a set of two or more plain dates, or a run such as "
            "'[2025-04-28..2025-04-30]'",
        )
    members = []
    for part in text[1:-1].split(","):
        first_text, _, last_text = part.partition("..")
        first = _parse_date(first_text, text)
        last = _parse_date(last_text, text) if last_text else first
        if last.latest < first.earliest:
            raise rule_error(
                "interval-order", f"{text!r} has a run {part!r} that ends before it starts"
            )
        members.append((first, last))
    return EdtfSet(tuple(members))


def _parse_date(text: str, whole: str) -> EdtfDate:
    match = _DATE_RE.fullmatch(text)
    if match is None:
        raise rule_error(
            "edtf-invalid",
            f"{whole!r} is not an EDTF date (expected YYYY, YYYY-MM or YYYY-MM-DD)",
        )
    year_s, month_s, day_s, qualifier = match.groups()
    year, month = int(year_s), int(month_s) if month_s else None
    day = int(day_s) if day_s else None
    if year == 0 or (month is not None and not 1 <= month <= 12):
        raise rule_error("date-impossible", f"{whole!r} has no such year or month")
    if month is not None and day is not None:
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            raise rule_error(
                "date-impossible",
                f"{whole!r} is not a calendar date ({year}-{month:02d} has {last} days)",
            )
    return EdtfDate(year, month, day, qualifier)  # type: ignore[arg-type]


def parse_edtf(text: str) -> EdtfDate | EdtfInterval | EdtfSet:
    """Parse a date, interval or set of the supported subset, checking the calendar.

    Raises :class:`kpr_events.ValidationError` with code ``edtf-invalid``,
    ``date-impossible`` or ``interval-order``.
    """
    try:
        return _parse(text)
    except PydanticCustomError as exc:
        raise ValidationError([Problem(exc.type, exc.message())]) from None


@lru_cache(maxsize=16384)
def _parse(text: str) -> EdtfDate | EdtfInterval | EdtfSet:
    """Parse ``text``, raising PydanticCustomError so that a model reports it under its field.

    Cached: a date is parsed when a model is validated and again when its
    bounds are first asked for, and real data repeats its dates. What it
    returns is frozen, so sharing one result is safe; an error is not cached.
    """
    if _EDTF_RE.fullmatch(text) is None:
        raise rule_error(
            "edtf-invalid", f"{text!r} is not an EDTF date (expected YYYY, YYYY-MM or YYYY-MM-DD)"
        )
    if text.startswith("[") and text.endswith("]"):
        return _parse_set(text)
    if "/" not in text:
        return _parse_date(text, text)
    if text.count("/") != 1:
        raise rule_error("edtf-invalid", f"{text!r} has more than one '/'")
    left, right = text.split("/")
    start = None if left in ("", "..") else _parse_date(left, text)
    end = None if right in ("", "..") else _parse_date(right, text)
    if start is None and end is None:
        raise rule_error("edtf-invalid", f"{text!r} is an interval with neither end")
    if start is not None and end is not None and end.latest < start.earliest:
        raise rule_error(
            "interval-order", f"{text!r} ends before it starts (expected start <= end)"
        )
    return EdtfInterval(start, end, open_start=left == "..", open_end=right == "..")


def _check_edtf(text: str) -> str:
    _parse(text)
    return text


EdtfString = Annotated[
    str,
    Field(
        pattern=EDTF_PATTERN,
        examples=["2025-04-26", "2024-06", "2024-08-06/2025-04-26", "2024-12~"],
    ),
    AfterValidator(_check_edtf),
]


class DateReading(Value):
    """One reading of a date the source's own clues leave in dispute, and what it rests on."""

    edtf: EdtfString
    """The date under this reading."""
    rests_on: Text
    """The clues for this reading and those against it, in the curator's English."""


_DateAnchorRef = Annotated[Slug, RefTo("Source", "Statement", "MilitaryEvent", "PoliticalEvent")]


class DateValue(Value):
    """When something happened, as precisely as the source allows, and how we know.

    A date the source gives relatively ("last Saturday", "yesterday Friday")
    keeps the source's words in ``said_as`` and names the record whose date it
    was resolved against in ``relative_to``; ``inferred_from`` explains the
    reasoning in English.
    """

    edtf: EdtfString
    """The date in EDTF: ``YYYY[-MM[-DD]]``, an optional ``?``/``~``/``%``, or an interval."""
    said_as: Text | None = None
    """The source's own words for this date, verbatim (e.g. "السبت الماضي")."""
    relative_to: (
        Annotated[Slug, RefTo("Source", "Statement", "MilitaryEvent", "PoliticalEvent")] | None
    ) = None
    """Id of the record whose date the source's relative words were resolved against."""
    inferred_from: Text | None = None
    """How the date was worked out, in the curator's English, when the source does not state it."""
    readings: list[DateReading] = []
    """Where the source's clues disagree: each date they allow. ``edtf`` spans them all."""

    @model_validator(mode="after")
    def _readings_within(self) -> DateValue:
        low, high = self.earliest, self.latest
        for index, reading in enumerate(self.readings):
            inside = _parse(reading.edtf)
            if (low and inside.earliest and inside.earliest < low) or (
                high and inside.latest and inside.latest > high
            ):
                raise rule_error(
                    "reading-outside",
                    f"reading {reading.edtf!r} falls outside {self.edtf!r} (expected within it)",
                    at=("readings", index, "edtf"),
                )
        return self

    @cached_property
    def parsed(self) -> EdtfDate | EdtfInterval | EdtfSet:
        return _parse(self.edtf)

    @property
    def precision(self) -> Precision:
        return self.parsed.precision

    @property
    def earliest(self) -> dt.date | None:
        """The first day this value can mean (``None`` for an open start)."""
        return self.parsed.earliest

    @property
    def latest(self) -> dt.date | None:
        """The last day this value can mean (``None`` for an open end)."""
        return self.parsed.latest

    @property
    def is_interval(self) -> bool:
        return isinstance(self.parsed, EdtfInterval)
