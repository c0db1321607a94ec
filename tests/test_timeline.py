"""The timeline figure: well-formed, complete, in date order, escaped, and current."""

from __future__ import annotations

import itertools
import math
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from kpr_events import Dataset, _docs, timeline_svg
from kpr_events.models import RECORD_ADAPTER, Actor
from kpr_events.timeline import SVG_NAMESPACE

from .conftest import PROJECT
from .strategies import timeline_records

try:  # a second, independent XML parser, where one is installed (PyLD brings it)
    from lxml import etree as lxml_etree
except ImportError:  # pragma: no cover - depends on the environment
    lxml_etree = None

NS = {"svg": SVG_NAMESPACE}
FIGURE = PROJECT / "docs" / "timeline.svg"


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg.encode("utf-8"))


def _groups(root: ET.Element, prefix: str) -> dict[str, ET.Element]:
    """The mark of each record, by id: the ``<g id="PREFIX-ID">`` elements."""
    return {
        g.attrib["id"].removeprefix(prefix): g
        for g in root.iter(f"{{{SVG_NAMESPACE}}}g")
        if g.attrib.get("id", "").startswith(prefix)
    }


def _title(element: ET.Element) -> str:
    title = element.find("svg:title", NS)
    assert title is not None
    return title.text or ""


def _start(group: ET.Element) -> float:
    """Where a mark starts: the left of its first bar, or the middle of its first tick."""
    xs = []
    for shape in group.iter(f"{{{SVG_NAMESPACE}}}rect"):
        x, kind = float(shape.attrib["x"]), shape.attrib.get("class")
        if kind in ("core", "vague"):
            xs.append(x)
        elif kind == "day":
            xs.append(x + float(shape.attrib["width"]) / 2)
    assert xs, group.attrib["id"]
    return min(xs)


def _in_order(marks: list[tuple[Any, float, str]]) -> None:
    """Sorted by date, the marks run left to right: the same day within a pixel (a tick's
    half width), a later day never further left (to the 0.01 px coordinates are written to).
    """
    for (day_a, x_a, id_a), (day_b, x_b, id_b) in itertools.pairwise(sorted(marks)):
        if day_a == day_b:
            assert abs(x_a - x_b) <= 1.0, (id_a, id_b)
        else:
            assert x_a <= x_b + 0.01, (id_a, id_b)


def _dot(group: ET.Element) -> float:
    dot = group.find("svg:circle[@class='dot']", NS)
    assert dot is not None
    return float(dot.attrib["cx"])


@pytest.fixture(scope="module")
def svg(dataset: Dataset) -> str:
    return timeline_svg(dataset)


def test_figure_is_current() -> None:
    """docs/timeline.svg is what the packaged data draws now."""
    if not FIGURE.is_file():
        pytest.skip("not running from a source checkout")
    assert FIGURE.read_text(encoding="utf-8") == _docs.render_timeline(), (
        f"docs/timeline.svg is out of date; run: {_docs.TIMELINE_COMMAND}"
    )


def test_drawing_is_deterministic(dataset: Dataset, svg: str) -> None:
    """The same data gives the same text: nothing depends on the clock or on hashing."""
    assert timeline_svg(dataset) == svg
    assert svg.endswith("</svg>\n")


def test_parses_with_an_independent_parser(svg: str) -> None:
    """lxml, a second XML parser, reads the figure as the standard library does."""
    if lxml_etree is None:
        pytest.skip("lxml is not installed")
    root = lxml_etree.fromstring(svg.encode("utf-8"))
    assert root.tag == f"{{{SVG_NAMESPACE}}}svg"
    assert len(list(root.iter())) == len(list(_parse(svg).iter()))


def test_figure_is_accessible(svg: str) -> None:
    """The figure is an image whose name and description come first, as screen readers want."""
    root = _parse(svg)
    assert root.attrib["role"] == "img"
    title, desc = root[0], root[1]
    assert title.tag == f"{{{SVG_NAMESPACE}}}title"
    assert desc.tag == f"{{{SVG_NAMESPACE}}}desc"
    assert root.attrib["aria-labelledby"] == f"{title.attrib['id']} {desc.attrib['id']}"
    assert "30 events" in (desc.text or "")
    assert root.attrib["viewBox"] == f"0 0 {root.attrib['width']} {root.attrib['height']}"


def test_one_mark_per_event(dataset: Dataset, svg: str) -> None:
    """Each event has one mark, titled with its id and its date as curated."""
    marks = _groups(_parse(svg), "event-")
    assert set(marks) == {e.id for e in dataset.events}
    for event in dataset.events:
        assert _title(marks[event.id]).split("\n")[:2] == [event.id, event.date.edtf]


def test_one_mark_per_dated_statement(dataset: Dataset, svg: str) -> None:
    """Each dated statement has one dot; an undated one has none."""
    marks = _groups(_parse(svg), "statement-")
    dated = {s.id for s in dataset.statements if s.date is not None}
    assert set(marks) == dated
    for statement in dataset.statements:
        if statement.date is not None:
            assert _title(marks[statement.id]).split("\n")[:2] == [
                statement.id,
                statement.date.edtf,
            ]
            assert len(marks[statement.id].findall("svg:circle", NS)) == 1


def test_undated_statements_are_listed_by_their_speaker(dataset: Dataset, svg: str) -> None:
    """An undated statement is counted in its speaker's row and named in the row's tooltip."""
    rows = _groups(_parse(svg), "speaker-")
    undated = [s for s in dataset.statements if s.date is None]
    assert undated, "the packaged data has undated statements; this test is about them"
    for statement in undated:
        tooltip = _title(rows[statement.speaker])
        assert f"undated: {statement.id}" in tooltip.split("\n")
    for speaker, row in rows.items():
        count = sum(1 for s in undated if s.speaker == speaker)
        texts = "".join(row.itertext())
        assert (f"{count} undated" in texts) == bool(count)


def test_bars_are_in_date_order(dataset: Dataset, svg: str) -> None:
    """A bar that starts later starts further right, whatever the scale of its stretch of axis."""
    marks = _groups(_parse(svg), "event-")
    starts = [
        (event.date.earliest, _start(marks[event.id]), event.id)
        for event in dataset.events
        if event.date.earliest is not None
    ]
    assert len(starts) > 20
    _in_order(starts)


def test_dots_are_in_date_order(dataset: Dataset, svg: str) -> None:
    """A statement's dot is on the last day its date allows, so later days lie further right."""
    marks = _groups(_parse(svg), "statement-")
    _in_order(
        [
            (s.date.latest or s.date.earliest, _dot(marks[s.id]), s.id)
            for s in dataset.statements
            if s.date is not None
        ]
    )


def test_precision_shows(dataset: Dataset, svg: str) -> None:
    """A day is a narrow tick, a month a wider pale band, an uncertain end carries its sign."""
    marks = _groups(_parse(svg), "event-")
    day = marks["treaty-csp-2024-signing"].find("svg:rect[@class='day']", NS)
    month = marks["putin-state-visit-2024"].find("svg:rect[@class='vague']", NS)
    assert day is not None
    assert month is not None
    assert float(day.attrib["width"]) <= 2.0 < 10.0 < float(month.attrib["width"])
    qualifier = marks["kursk-recapture"].find("svg:text[@class='qualifier']", NS)
    assert qualifier is not None
    assert qualifier.text == "~"
    readings = marks["putin-new-year-letter"].findall(f".//*[@fill='{'#e66100'}']", NS)
    assert readings, "each reading is drawn under its event"


def test_markup_in_data_is_escaped() -> None:
    """A name that looks like markup stays text: no element, no entity, no comment comes of it."""
    name = "</text><script>alert('x')</script> & <!-- -->"
    records = [
        {"id": "a", "type": "Actor", "kind": "person", "name": {"en": name}},
        {
            "id": "source-a",
            "type": "Source",
            "language": "ar",
            "published": {"edtf": "2025"},
            "seed": "000_0123456789abcdef.txt",
            "sha256": "0" * 64,
        },
        {
            "id": "e",
            "type": "PoliticalEvent",
            "event_type": "meeting",
            "name": {"en": name},
            "date": {"edtf": "2025-04-26"},
            "sources": ["source-a"],
        },
    ]
    root = _parse(timeline_svg(Dataset(RECORD_ADAPTER.validate_python(r) for r in records)))
    assert not [e for e in root.iter() if e.tag.endswith("script")]
    assert _title(_groups(root, "event-")["e"]).split("\n")[2] == name


def test_characters_xml_cannot_hold_are_replaced() -> None:
    """Records built without validation may hold what XML 1.0 forbids; the figure still parses."""
    source = RECORD_ADAPTER.validate_python(
        {
            "id": "source-a",
            "type": "Source",
            "language": "ar",
            "published": {"edtf": "2025"},
            "seed": "000_0123456789abcdef.txt",
            "sha256": "0" * 64,
        }
    )
    event = RECORD_ADAPTER.validate_python(
        {
            "id": "e",
            "type": "MilitaryEvent",
            "event_type": "deployment",
            "name": {"en": "x"},
            "date": {"edtf": "2024-08-06/.."},
            "sources": ["source-a"],
        }
    )
    broken = event.model_copy(update={"name": {"en": "nul\x00 surrogate\ud800 \ufffe end"}})
    speaker = Actor.model_construct(id="a", type="Actor", kind="person", name={"en": "\x1b[31m"})
    svg = timeline_svg(Dataset([source, broken, speaker]))
    title = _title(_groups(_parse(svg), "event-")["e"])
    assert title.split("\n")[2] == "nul\ufffd surrogate\ufffd \ufffd end"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(timeline_records())
def test_any_dataset_draws_a_well_formed_figure(records: list[dict[str, Any]]) -> None:
    """Hostile names and any dates the model accepts give well-formed SVG, every mark in view."""
    dataset = Dataset(RECORD_ADAPTER.validate_python(r) for r in records)
    svg = timeline_svg(dataset)
    root = _parse(svg)
    if lxml_etree is not None:
        lxml_etree.fromstring(svg.encode("utf-8"))
    width = float(root.attrib["width"])
    events = _groups(root, "event-")
    assert set(events) == {e.id for e in dataset.events}
    for event in dataset.events:
        assert _title(events[event.id]).split("\n")[2] == event.name["en"]
    statements = _groups(root, "statement-")
    assert set(statements) == {s.id for s in dataset.statements if s.date is not None}
    for element in root.iter():
        for key in ("x", "x1", "x2", "cx", "width"):
            if key in element.attrib and element.tag != f"{{{SVG_NAMESPACE}}}svg":
                value = float(element.attrib[key])
                assert math.isfinite(value)
                assert -1.0 <= value <= width + 1.0, (element.tag, element.attrib)
        points = element.attrib.get("points", "")
        for x in re.findall(r"(-?[\d.]+),", points):
            assert 0.0 <= float(x) <= width
