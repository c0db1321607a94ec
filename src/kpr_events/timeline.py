"""A timeline of a dataset's events and statements, as one self-contained SVG.

Each event is a bar over the days its date allows, and each statement a dot,
in a row per speaker, on the day it was made. The marks say what a date says
and no more: one day is a tick; a month or a year (or a fuzzy end) is a pale
band over all of it; "one of these" joins its options with a dashed line; an
open end runs to the edge as an arrow, an unknown one trails off as a dotted
lead; and each reading that disputed clues allow is a thin orange bar beneath.

The axis gives most of its width to the months the statements were made in;
earlier and later years with something in them get a narrow slot each, behind
a break, so that a visit in 2000 does not squeeze the weeks of 2025 to nothing.

Built with :mod:`xml.etree.ElementTree`, which escapes every label taken from
the data, so no drawing library is needed; the layout depends on the data
alone, so the same dataset always gives the same text, and a test can check
``docs/timeline.svg`` for drift.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Sequence
from typing import Literal

import attrs

from kpr_events._svg import LINE_HEIGHT, SVG_NAMESPACE, Canvas, indent, num, wrap
from kpr_events._timescale import (
    Axis,
    Piece,
    Segment,
    build_axis,
    date_pieces,
    day_of,
    exact,
    first_known,
    last_known,
    named_days,
    reading_pieces,
    ticks,
    zone,
)
from kpr_events.dataset import Dataset
from kpr_events.dates import DateValue, EdtfDate, EdtfInterval
from kpr_events.models import MilitaryEvent, PoliticalEvent, Statement

__all__ = ["SVG_NAMESPACE", "timeline_svg"]

_WIDTH = 900
_LABEL_X = 12.0
_PLOT_X0 = 262.0
_PLOT_X1 = 884.0
_LEAD = 22.0  # the length of the dotted lead of an unknown end
_BAR = 5.0  # half the height of an event bar
_LANE = 9.0  # the vertical step between statements that would overlap
_DOT = 3.5
_LABEL_CHARS = 38  # what fits on a line of the label column, roughly
_SPEAKER_CHARS = 27  # the same, beside the count of statements
_CHAR = 5.6  # the rough width of a character of legend text
_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
_INK = "#1f2328"
_MUTED = "#59636e"
_GRID = "#eceef1"
_GRID_STRONG = "#c8ccd1"
_BREAK_FILL = "#f3f4f6"
_READING = "#e66100"
_KIND_COLOUR = {"MilitaryEvent": "#b2182b", "PoliticalEvent": "#2c5d8f"}
# Paul Tol's "bright" scheme, one per source in id order; orange is kept for readings.
_SOURCE_COLOURS = ("#4477aa", "#228833", "#aa3377", "#66ccee", "#ccbb44", "#ee6677", "#555555")

Event = MilitaryEvent | PoliticalEvent


def timeline_svg(dataset: Dataset) -> str:
    """The dataset's events and dated statements on one time axis, as an SVG document.

    An undated statement has no place on the axis: its speaker's row counts
    it, and the row's tooltip gives its id.
    """
    return _Figure(dataset).render()


@attrs.frozen
class _Legend:
    """An entry of the key: a sample drawn as the marks it explains are, and its words."""

    label: str
    draw: Literal["pieces", "arrow", "reading", "qualifier", "dot", "hollow", "ring"]
    colour: str
    pieces: tuple[Piece, ...] = ()


_MILITARY, _POLITICAL = _KIND_COLOUR["MilitaryEvent"], _KIND_COLOUR["PoliticalEvent"]
_LEGEND = (
    _Legend("military event", "pieces", _MILITARY, (Piece("core", 0, 18),)),
    _Legend("political event", "pieces", _POLITICAL, (Piece("core", 0, 18),)),
    _Legend("one day", "pieces", _POLITICAL, (Piece("day", 8, 10),)),
    _Legend("some day in that month or year", "pieces", _POLITICAL, (Piece("vague", 0, 18),)),
    _Legend("one of these days", "pieces", _POLITICAL, (Piece("set", 0, 18), Piece("day", 0, 2))),
    _Legend(
        "start or end not known",
        "pieces",
        _POLITICAL,
        (Piece("lead-in", 20, None), Piece("day", 20, 21)),
    ),
    _Legend("open: still going", "arrow", _POLITICAL),
    _Legend("approximate ~, uncertain ?, both %", "qualifier", _POLITICAL),
    _Legend("a reading the disputed clues allow", "reading", _READING),
    _Legend("statement made that day", "dot", _INK),
    _Legend("not one known day: the last it can be; the line, all", "hollow", _INK),
    _Legend("its clues disagree", "ring", _INK),
)


class _Figure:
    """The figure for one dataset: rows laid out top to bottom, then the axis behind them."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.events = sorted(
            dataset.events,
            key=lambda e: (first_known(e.date), last_known(e.date), e.id),
        )
        self.dated = [s for s in dataset.statements if s.date is not None]
        by_speaker: dict[str, list[Statement]] = defaultdict(list)
        for statement in dataset.statements:
            by_speaker[statement.speaker].append(statement)
        self.speakers = sorted(by_speaker.items(), key=lambda kv: _speaker_order(*kv))
        sources = sorted({s.source for s in dataset.statements} | {s.id for s in dataset.sources})
        self.colour = {s: _SOURCE_COLOURS[i % len(_SOURCE_COLOURS)] for i, s in enumerate(sources)}
        focus = [d for s in self.dated if s.date is not None for d in named_days(s.date)]
        every = focus + [d for e in self.events for d in named_days(e.date)]
        self.axis = build_axis(focus, every, _PLOT_X0, _PLOT_X1)
        self.canvas = Canvas(
            role="img",
            aria_labelledby="timeline-title timeline-desc",
            font_family=_FONT,
            font_size="11",
            fill=_INK,
        )
        self.rules: list[float] = []  # where rows meet
        self.headings: list[float] = []  # where sections start, to label the dates again

    def render(self) -> str:
        c = self.canvas
        background = c.add(None, "rect", x="0", y="0", width=str(_WIDTH), fill="#ffffff")
        heading = "Events and statements by date"
        c.text(None, _LABEL_X, 24.0, [heading], font_size="16", font_weight="600")
        top = self.legend(42.0) + 30.0
        marks = ET.Element("g", {"id": "marks"})
        y = self.section(top, "Events", f"{len(self.events)}, in the order they began")
        for event in self.events:
            y = self.event_row(marks, event, y)
        undated = len(self.dataset.statements) - len(self.dated)
        counts = f"{len(self.dated)} dated, {undated} undated"
        y = self.section(y + 8.0, "Statements by speaker", counts)
        for speaker, statements in self.speakers:
            y = self.speaker_row(marks, speaker, statements, y)
        bottom = y + 4.0
        self.axes(bottom)
        c.root.append(marks)  # over the labels and the grid
        height = bottom + 52.0
        note = "Hover over a mark for its id and its date as given (EDTF)."
        c.text(None, _LABEL_X, height - 10.0, [note], fill=_MUTED)
        background.set("height", num(height))
        c.root.set("width", str(_WIDTH))
        c.root.set("height", num(height))
        c.root.set("viewBox", f"0 0 {_WIDTH} {num(height)}")
        self.describe()
        indent(c.root)
        svg = ET.tostring(c.root, encoding="unicode")
        return f'<?xml version="1.0" encoding="UTF-8"?>\n{svg}\n'

    def describe(self) -> None:
        """The figure's accessible name and description, first in the document."""
        days = [d for e in self.events for d in named_days(e.date)]
        days += [d for s in self.dated if s.date is not None for d in named_days(s.date)]
        span = f" from {day_of(min(days))} to {day_of(max(days))}" if days else ""
        undated = len(self.dataset.statements) - len(self.dated)
        summary = (
            f"{len(self.events)} events as bars and {len(self.dated)} dated statements as dots"
            f"{span}, the statements in a row per speaker ({len(self.speakers)} speakers); "
            f"{undated} undated statements are counted beside their speaker, not drawn."
        )
        desc = ET.Element("desc", {"id": "timeline-desc"})
        desc.text = summary
        title = ET.Element("title", {"id": "timeline-title"})
        title.text = "Timeline of the events and statements in the dataset"
        self.canvas.root.insert(0, desc)
        self.canvas.root.insert(0, title)

    def section(self, y: float, heading: str, note: str) -> float:
        """A section's heading, with the date labels repeated beside it; the ``y`` below it."""
        self.canvas.text(None, _LABEL_X, y + 14.0, [heading], font_size="13", font_weight="600")
        self.canvas.text(None, _LABEL_X, y + 28.0, [note], fill=_MUTED, font_size="10")
        self.rules.append(y + 34.0)
        self.headings.append(y + 34.0)
        return y + 34.0

    # The legend

    def legend(self, y: float) -> float:
        """The key to the marks, and the colour of each source; the ``y`` below it."""
        group = self.canvas.add(None, "g", id="legend", font_size="10.5")
        x = _LABEL_X
        for entry in _LEGEND:
            width = 28.0 + len(entry.label) * _CHAR + 16.0
            if x + width > _WIDTH and x > _LABEL_X:
                x, y = _LABEL_X, y + 16.0
            self.key(group, entry, x, y + 8.0)
            self.canvas.text(group, x + 26.0, y + 11.5, [entry.label])
            x += width
        y += 24.0
        x = _LABEL_X
        self.canvas.text(group, x, y + 11.5, ["statement colour = source:"])
        x += 150.0
        for source in sorted(self.colour):
            publisher = (
                getattr(self.dataset[source], "publisher", None) if source in self.dataset else None
            )
            named = f" ({self.dataset.name_of(publisher)})" if publisher else ""
            label = wrap(source + named, 48, 1)[0]
            width = 18.0 + len(label) * _CHAR + 16.0
            if x + width > _WIDTH and x > _LABEL_X:
                x, y = _LABEL_X + 150.0, y + 16.0
            self.canvas.add(
                group, "circle", cx=x + 6.0, cy=y + 8.0, r=_DOT, fill=self.colour[source]
            )
            self.canvas.text(group, x + 14.0, y + 11.5, [label])
            x += width
        return y + 16.0

    def key(self, group: ET.Element, entry: _Legend, x: float, y: float) -> None:
        """The sample of one legend entry, 20 px wide from ``x``."""
        c = self.canvas
        if entry.draw == "pieces":
            # A day a pixel, from x: the legend's own little axis.
            axis = Axis((Segment(0, 20, x, x + 20.0, "focus"),))
            for piece in entry.pieces:
                self.piece(group, axis, piece, y, _BAR, entry.colour)
        elif entry.draw == "arrow":
            c.add(group, "rect", x=x, y=y - _BAR, width=14.0, height=2 * _BAR, fill=entry.colour)
            self.arrow(group, x + 14.0, y, entry.colour, 1)
        elif entry.draw == "reading":
            c.add(group, "rect", x=x, y=y - 1.2, width=20.0, height=2.4, fill=entry.colour)
        elif entry.draw == "qualifier":
            c.text(group, x + 6.0, y + 4.0, ["~"], fill=entry.colour, font_weight="600")
        else:
            if entry.draw == "hollow":
                c.add(group, "line", x1=x, y1=y, x2=x + 18.0, y2=y, stroke=entry.colour)
            c.add(
                group,
                "circle",
                cx=x + (16.0 if entry.draw == "hollow" else 9.0),
                cy=y,
                r=_DOT,
                fill=entry.colour if entry.draw == "dot" else "#ffffff",
                stroke=_READING if entry.draw == "ring" else entry.colour,
                stroke_width="1.4",
            )

    # Rows

    def event_row(self, marks: ET.Element, event: Event, y: float) -> float:
        label = wrap(self.dataset.name_of(event.id), _LABEL_CHARS, 2)
        readings = reading_pieces(event.date)
        height = max(len(label) * LINE_HEIGHT + 8.0, 24.0 + 4.0 * len(readings))
        group = self.canvas.add(marks, "g", id=f"event-{event.id}", class_=f"event {event.type}")
        said = "".join(f"\nreading: {r.edtf}" for r in event.date.readings)
        name = self.dataset.name_of(event.id)
        self.canvas.title(group, f"{event.id}\n{event.date.edtf}\n{name}{said}")
        self.canvas.text(group, _LABEL_X, y + 14.0, label, class_="label")
        self.rules.append(y + height)
        if self.axis is None:
            return y + height
        mid, colour = y + 11.0, _KIND_COLOUR[event.type]
        for piece in date_pieces(event.date):
            self.piece(group, self.axis, piece, mid, _BAR, colour)
        self.qualifiers(group, event.date, mid, colour)
        for index, pieces in enumerate(readings):
            for piece in pieces:
                if piece.kind != "set":
                    at = mid + _BAR + 4.0 + 4.0 * index
                    self.piece(group, self.axis, piece, at, 1.2, _READING, thin=True)
        return y + height

    def speaker_row(
        self, marks: ET.Element, speaker: str, statements: list[Statement], y: float
    ) -> float:
        dated = [s for s in statements if s.date is not None]
        undated = sorted(s.id for s in statements if s.date is None)
        label = wrap(self.dataset.name_of(speaker), _SPEAKER_CHARS, 2)
        note = " + ".join(
            [f"{len(dated)}"] * bool(dated) + [f"{len(undated)} undated"] * bool(undated)
        )
        lanes = self.lanes(dated)
        stacked = (max(lanes.values(), default=0) + 1) * _LANE
        height = max(len(label) * LINE_HEIGHT + 10.0, stacked + 13.0)
        row = self.canvas.add(None, "g", id=f"speaker-{speaker}", class_="speaker")
        said = f"{len(statements)} statement{'s' if len(statements) != 1 else ''}"
        self.canvas.title(row, f"{speaker}: {said}" + "".join(f"\nundated: {i}" for i in undated))
        self.canvas.text(row, _LABEL_X, y + 14.0, label, class_="label")
        at = _PLOT_X0 - 10.0
        self.canvas.text(row, at, y + 14.0, [note], fill=_MUTED, font_size="10", text_anchor="end")
        self.rules.append(y + height)
        for statement in sorted(dated, key=lambda s: (lanes[s.id], s.id)):
            self.statement(marks, statement, y + 11.0 + lanes[statement.id] * _LANE)
        return y + height

    def lanes(self, statements: Sequence[Statement]) -> dict[str, int]:
        """A lane for each statement so that none overlaps another: the first one free."""
        if self.axis is None:
            return {}
        ends: list[float] = []
        lanes: dict[str, int] = {}
        for (low, high), statement_id in sorted((self.extent(s), s.id) for s in statements):
            lane = next((i for i, end in enumerate(ends) if end + 2.0 <= low), len(ends))
            ends[lane : lane + 1] = [high]
            lanes[statement_id] = lane
        return lanes

    def extent(self, statement: Statement) -> tuple[float, float]:
        assert self.axis is not None
        assert statement.date is not None
        dot = self.axis.centre(last_known(statement.date))
        xs = [dot - _DOT, dot + _DOT]
        for piece in date_pieces(statement.date):
            xs += self.span(self.axis, piece)
        return min(xs), max(xs)

    def statement(self, marks: ET.Element, statement: Statement, y: float) -> None:
        if self.axis is None or statement.date is None:
            return
        date, colour = statement.date, self.colour[statement.source]
        group = self.canvas.add(marks, "g", id=f"statement-{statement.id}", class_="statement")
        who = self.dataset.name_of(statement.speaker)
        self.canvas.title(group, f"{statement.id}\n{date.edtf}\n{who}, in {statement.source}")
        certain = exact(date)
        if not certain:
            for piece in date_pieces(date):
                if piece.kind != "day":
                    self.piece(group, self.axis, piece, y, 1.0, colour, thin=True)
        self.canvas.add(
            group,
            "circle",
            class_="dot",
            cx=self.axis.centre(last_known(date)),
            cy=y,
            r=_DOT,
            fill=colour if certain else "#ffffff",
            stroke=_READING if date.readings else colour,
            stroke_width="1.4",
        )

    # Shapes

    def span(self, axis: Axis, piece: Piece) -> list[float]:
        """The left and right ``x`` of a piece, at least 2 px apart."""
        if piece.kind in ("lead-in", "lead-out"):
            assert piece.start is not None  # a lead starts at its zone
            at = axis.x(piece.start)
            if piece.kind == "lead-in":
                return [max(axis.left, at - _LEAD), at]
            return [at, min(axis.right, at + _LEAD)]
        left = axis.left if piece.start is None else axis.x(piece.start)
        right = axis.right if piece.end is None else axis.x(piece.end)
        if right - left < 2.0:
            middle = (left + right) / 2
            left, right = middle - 1.0, middle + 1.0
        return [left, right]

    def piece(
        self,
        parent: ET.Element,
        axis: Axis,
        piece: Piece,
        y: float,
        half: float,
        colour: str,
        *,
        thin: bool = False,
    ) -> None:
        """Draw a piece centred on ``y``, ``half`` as high as a bar is; ``thin`` for whiskers."""
        c = self.canvas
        left, right = self.span(axis, piece)
        if piece.kind in ("lead-in", "lead-out", "set"):
            dotted = piece.kind != "set"
            c.add(
                parent,
                "line",
                class_=piece.kind,
                x1=left,
                y1=y,
                x2=right,
                y2=y,
                stroke=colour,
                stroke_width="2" if dotted and not thin else "1.2",
                stroke_dasharray="1.5 2.5" if dotted else "3 2",
            )
            return
        top, bottom = y - half, y + half
        if piece.kind == "day" and not thin:
            top, bottom = top - 3.0, bottom + 3.0  # a tick stands out of the bars
        vague = piece.kind == "vague" and not thin
        c.add(
            parent,
            "rect",
            class_=piece.kind,
            x=left,
            y=top,
            width=right - left,
            height=bottom - top,
            fill=colour,
            **({"fill_opacity": "0.25", "stroke": colour, "stroke_width": "0.8"} if vague else {}),
        )
        if piece.kind == "core" and not thin and piece.end is None:
            self.arrow(parent, axis.right, y, colour, 1)
        if piece.kind == "core" and not thin and piece.start is None:
            self.arrow(parent, axis.left, y, colour, -1)

    def arrow(self, parent: ET.Element, x: float, y: float, colour: str, way: int) -> None:
        """An arrowhead at ``x``, pointing right (``way`` 1) or left (-1): an open end."""
        tip, back = x + 7.0 * way, x
        points = f"{num(back)},{num(y - 7.0)} {num(tip)},{num(y)} {num(back)},{num(y + 7.0)}"
        self.canvas.add(parent, "polygon", class_="open", points=points, fill=colour)

    def qualifiers(self, parent: ET.Element, date: DateValue, y: float, colour: str) -> None:
        """``~``, ``?`` or ``%`` beside the end of a date that carries one."""
        assert self.axis is not None
        parsed = date.parsed
        ends: list[tuple[EdtfDate, bool]] = []
        if isinstance(parsed, EdtfDate):
            ends = [(parsed, True)]
        elif isinstance(parsed, EdtfInterval):
            ends = [(d, last) for d, last in ((parsed.start, False), (parsed.end, True)) if d]
        for end, last in ends:
            if end.qualifier:
                left, right = self.span(self.axis, zone(end))
                x, anchor = (right + 3.0, "start") if last else (left - 3.0, "end")
                self.canvas.text(
                    parent,
                    x,
                    y + 4.0,
                    [end.qualifier],
                    class_="qualifier",
                    fill=colour,
                    font_weight="600",
                    text_anchor=anchor,
                )

    def axes(self, bottom: float) -> None:
        """Row rules, gridlines, breaks, and date labels above each section and below the last."""
        c = self.canvas
        grid = ET.Element("g", {"id": "axis"})
        self.canvas.root.insert(1, grid)  # behind all but the background
        for y in self.rules:
            c.add(grid, "line", x1=_LABEL_X, y1=y, x2=_PLOT_X1, y2=y, stroke=_GRID)
        top, edges = self.headings[0], [*self.headings, bottom]
        if self.axis is None:
            c.text(grid, _PLOT_X0, top - 8.0, ["Nothing here has a date."], fill=_MUTED)
            return
        marks = ticks(self.axis)
        for tick in marks:
            stroke = _GRID_STRONG if tick.strong else _GRID
            c.add(grid, "line", x1=tick.x, y1=top, x2=tick.x, y2=bottom, stroke=stroke)
        for left, right in self.axis.breaks:
            width, height = right - left, bottom - top
            c.add(grid, "rect", x=left, y=top, width=width, height=height, fill=_BREAK_FILL)
        for edge in edges[1:-1]:  # a clear strip for the labels between sections
            c.add(
                grid,
                "rect",
                x=_PLOT_X0,
                y=edge - 26.0,
                width=_PLOT_X1 - _PLOT_X0,
                height=26.0,
                fill="#ffffff",
            )
        for edge in edges:
            for segment in self.axis.segments:
                c.add(grid, "line", x1=segment.x0, y1=edge, x2=segment.x1, y2=edge, stroke=_MUTED)
            for left, right in self.axis.breaks:
                zigzag = " ".join(
                    f"M{num(a)},{num(edge + 5.0)} L{num(a + 3.0)},{num(edge - 5.0)}"
                    for a in (left + 1.0, right - 4.0)
                )
                c.add(grid, "path", d=zigzag, stroke=_MUTED, fill="none")
        style = {"font_size": "10", "fill": _MUTED}
        for tick in marks:
            if tick.x + 26.0 > _WIDTH:
                continue  # no room for its label
            below = [(bottom + 14.0, bottom + 26.0)]
            for month_y, year_y in [(y - 16.0, y - 5.0) for y in self.headings] + below:
                if tick.month:
                    c.text(grid, tick.x + 2.0, month_y, [tick.month], **style)
                if tick.year:
                    c.text(grid, tick.x + 2.0, year_y, [tick.year], **style)


def _speaker_order(speaker: str, statements: Sequence[Statement]) -> tuple[int, int, str]:
    """Speakers by the first day they are shown speaking; those with no date last."""
    days = [last_known(s.date) for s in statements if s.date is not None]
    return (0 if days else 1, min(days, default=0), speaker)
