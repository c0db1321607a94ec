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
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Literal

import attrs

from kpr_events._jsonio import atomic_writer
from kpr_events.dataset import Dataset
from kpr_events.dates import DateValue
from kpr_events.errors import DataError, Problem
from kpr_events.models import Actor, MilitaryEvent, Place, PoliticalEvent, Source, Statement
from kpr_events.values import Figure

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

SEPARATOR = "; "
"""Between the values of a multi-valued cell; a ``;`` inside a value is written ``\\;``."""

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
"""First characters that make a spreadsheet read a cell as a formula (OWASP, plus line feed)."""

Kind = Literal["id", "text", "list", "number", "date", "edtf"]
Row = dict[str, str]
Event = MilitaryEvent | PoliticalEvent


@attrs.frozen
class Column:
    """One column of a table: its name, what its cells hold, and its ACLED/UCDP counterpart."""

    name: str
    kind: Kind
    """`list` cells hold several values joined by `SEPARATOR`; `number` cells are never guarded."""
    about: str
    """What the cells hold, in a sentence or two, for docs/csv.md."""
    like: str = ""
    """The ACLED or UCDP GED column it corresponds to, if any."""


@attrs.frozen
class FigureGroup:
    """Figures of one measure and unit, summarised into low/best/high columns per event."""

    prefix: str
    measure: str
    unit: str
    what: str
    """What the numbers are, to complete "the lowest … any claim states"."""
    ucdp: bool = False
    """Whether the low/best/high columns are UCDP GED's ``low``/``best``/``high``."""


FIGURE_GROUPS: tuple[FigureGroup, ...] = (
    FigureGroup("fatalities", "deaths", "person", "number of deaths", ucdp=True),
    FigureGroup("troops_sent", "troops_sent", "person", "number of troops sent"),
    FigureGroup("troops_fighting", "troops_fighting", "person", "number of troops fighting"),
    FigureGroup("area_held_km2", "area_held", "km2", "area held (km²)"),
)
"""The figures summarised per event: those whose ``about`` names that event alone.
For each, ``_low`` is the lowest number any claim states and ``_high`` the highest
(hedges such as "more than" are not applied: they are in ``_claims``); ``_best`` is
filled only when every claim states one and the same figure for the same period,
exact or "about" (not "more than", "at least"…), and is empty otherwise;
``_claims`` lists every claim and ``_claim_count`` counts them. Figures of other
measures or units go to ``other_figures``; figures about several events at once
to ``joint_figures``."""


def _figure_columns(group: FigureGroup) -> tuple[Column, ...]:
    p, what = group.prefix, group.what

    def ucdp(name: str) -> str:
        return f"UCDP {name}" if group.ucdp else ""

    return (
        Column(f"{p}_low", "number", f"The lowest {what} any claim states.", ucdp("low")),
        Column(
            f"{p}_best",
            "number",
            f"The {what} when every claim states the same one for the same period, exact or "
            "'about'; empty when claims disagree, or when one only bounds it ('more than'). "
            "With one claim, it is that claimant's figure, not a curated estimate: see "
            "the claim count.",
            ucdp("best"),
        ),
        Column(f"{p}_high", "number", f"The highest {what} any claim states.", ucdp("high")),
        Column(
            f"{p}_claims",
            "list",
            f"Every claim (figures of measure `{group.measure}` in `{group.unit}`), each as "
            "`NUMBER (CLAIMANT_ID, STATEMENT_ID[, period EDTF]): WHAT IS COUNTED`, the number "
            "hedged as claimed (`more than 10000`).",
        ),
        Column(f"{p}_claim_count", "number", "How many claims the previous column lists."),
    )


def _date_columns(*, ucdp: bool) -> tuple[Column, ...]:
    return (
        Column("date_precision", "text", "`day`, `month` or `year`: how precise the date is."),
        Column(
            "date_start",
            "date",
            "The first day the date can mean (YYYY-MM-DD); empty for an open or unknown start.",
            "UCDP date_start" if ucdp else "",
        ),
        Column(
            "date_end",
            "date",
            "The last day the date can mean (YYYY-MM-DD); empty for an open or unknown end.",
            "UCDP date_end" if ucdp else "",
        ),
        Column("date_said_as", "text", "The source's own words for the date, verbatim."),
        Column("date_inferred_from", "text", "How the curators worked the date out, in English."),
        Column(
            "date_readings",
            "list",
            "Where the source's clues disagree: every date they allow, in EDTF (none is chosen).",
        ),
    )


ACTOR1_ROLES: tuple[str, ...] = ("attacker", "sender", "annexer", "visitor", "speaker")
"""Participant roles that act: their actors are ``actor1``."""
ACTOR2_ROLES: tuple[str, ...] = ("defender", "recipient", "target", "host")
"""Participant roles acted on or receiving: their actors are ``actor2``; others go by side."""

EVENT_COLUMNS: tuple[Column, ...] = (
    Column("event_id", "id", "The event's id.", "ACLED event_id_cnty, UCDP id"),
    Column("event_name", "text", "A short English title."),
    Column("event_class", "text", "`MilitaryEvent` or `PoliticalEvent`."),
    Column(
        "event_type",
        "text",
        "This dataset's event type (not ACLED's: see the page's conventions).",
    ),
    Column("part_of", "id", "The id of a larger event this one belongs to."),
    Column(
        "actor1",
        "list",
        f"English names of the participants acting: {', '.join(ACTOR1_ROLES)}.",
        "ACLED actor1",
    ),
    Column("actor1_id", "list", "Their ids, in the same order."),
    Column(
        "assoc_actor_1",
        "list",
        "English names of other participants on the side of an actor1.",
        "ACLED assoc_actor_1",
    ),
    Column("assoc_actor_1_id", "list", "Their ids, in the same order."),
    Column(
        "actor2",
        "list",
        f"English names of the participants acted on or receiving: {', '.join(ACTOR2_ROLES)}.",
        "ACLED actor2",
    ),
    Column("actor2_id", "list", "Their ids, in the same order."),
    Column(
        "assoc_actor_2",
        "list",
        "English names of other participants on the side of an actor2.",
        "ACLED assoc_actor_2",
    ),
    Column("assoc_actor_2_id", "list", "Their ids, in the same order."),
    Column(
        "side_a", "list", "English names of the states actor1 is on the side of.", "UCDP side_a"
    ),
    Column("side_a_id", "list", "Their ids, in the same order."),
    Column(
        "side_b", "list", "English names of the states actor2 is on the side of.", "UCDP side_b"
    ),
    Column("side_b_id", "list", "Their ids, in the same order."),
    Column(
        "participants",
        "list",
        "Every participant as `ACTOR_ID (ROLE[, side STATE_ID])`, placed in a column above or not.",
    ),
    Column(
        "country",
        "list",
        "English names of the states the event's places are, or lie in through `within`.",
        "ACLED country, UCDP country",
    ),
    Column("country_id", "list", "Their ids, in the same order."),
    Column(
        "admin1",
        "list",
        "English names of the regions the event's places are, or lie in (the outermost "
        "place of kind `region` on each `within` chain).",
        "ACLED admin1, UCDP adm_1",
    ),
    Column("admin1_id", "list", "Their ids, in the same order."),
    Column(
        "location",
        "list",
        "English names of the event's places other than whole states.",
        "ACLED location, UCDP where_description",
    ),
    Column("location_id", "list", "Their ids, in the same order."),
    Column("event_date", "edtf", "When it happened, in EDTF.", "ACLED event_date"),
    *_date_columns(ucdp=True),
    *(column for group in FIGURE_GROUPS for column in _figure_columns(group)),
    Column(
        "other_figures",
        "list",
        "Claimed figures of other measures or units about this event alone, each as "
        "`MEASURE: NUMBER UNIT (CLAIMANT_ID, STATEMENT_ID[, period EDTF]): WHAT IS COUNTED`.",
    ),
    Column(
        "joint_figures",
        "list",
        "Claimed figures about this event together with others (two visits counted as one "
        "figure), each as `MEASURE: NUMBER UNIT (CLAIMANT_ID, STATEMENT_ID[, period EDTF]): "
        "WHAT IS COUNTED, with EVENT_ID…`; not summed into any column above.",
    ),
    Column(
        "legal_basis",
        "list",
        "Treaties or articles invoked as the event's basis, each as `ID (STATEMENT, …)`.",
    ),
    Column("statement_ids", "list", "The statements that refer to the event."),
    Column("statement_count", "number", "How many statements refer to the event."),
    Column(
        "made_here_ids",
        "list",
        "The statements made at the event (their `made_at`), which may not refer to it.",
    ),
    Column("made_here_count", "number", "How many statements were made at the event."),
    Column("source_ids", "list", "The sources reporting the event."),
    Column("number_of_sources", "number", "How many sources.", "UCDP number_of_sources"),
    Column(
        "source_publishers",
        "list",
        "English names of the sources' publishers, each once, in alphabetical order.",
        "ACLED source",
    ),
    Column(
        "source_published",
        "list",
        "Each source's publication date in EDTF, in the order of `source_ids`.",
        "UCDP source_date",
    ),
    Column("summary", "text", "What happened, in the curators' English."),
    Column("wikidata", "id", "The matching Wikidata item (Q…), where one is checked."),
    Column("notes", "list", "Curators' notes in English: caveats, disagreements.", "ACLED notes"),
)
"""The events table, one row per event, in this order."""

STATEMENT_COLUMNS: tuple[Column, ...] = (
    Column("statement_id", "id", "The statement's id."),
    Column(
        "kind",
        "text",
        "`direct_quote`, `reported_speech`, `official_statement`, `estimate`, `denial`, "
        "`refusal_to_confirm`, or `reporting` (the publisher's own account).",
    ),
    Column("speaker", "text", "English name of who said or claimed it."),
    Column("speaker_id", "id", "Its id."),
    Column(
        "relayed_by",
        "list",
        "English names of who passed it on before the source, nearest the speaker first.",
    ),
    Column("relayed_by_id", "list", "Their ids, in the same order."),
    Column("date", "edtf", "When it was said (not published), in EDTF; empty if not known."),
    *_date_columns(ucdp=False),
    Column("source_id", "id", "The article it is reported in."),
    Column("source_publisher", "text", "English name of the article's publisher, if it names one."),
    Column("source_publisher_id", "id", "Its id."),
    Column("source_published", "edtf", "When the article was published, in EDTF."),
    Column("quote", "text", "The words in the seed, verbatim (usually Arabic)."),
    Column("quote_lang", "text", "The quote's language: its own, else its source's."),
    Column(
        "curator_translation",
        "text",
        "The quote translated by this dataset's curators, NOT by the source.",
    ),
    Column("curator_translation_lang", "text", "The curator translation's language."),
    Column("quote_seed", "text", "The seed file the quote is from."),
    Column(
        "quote_start",
        "number",
        "Offset of the quote's first code point in the seed (from 0).",
    ),
    Column("quote_end", "number", "Offset one past its last code point."),
    Column("medium", "text", "How it was said, in English: a letter, a press conference…"),
    Column("made_at", "id", "The occasion (an event) it was said at."),
    Column("refers_to", "list", "Ids of the events, treaties, actors… it is about."),
    Column(
        "figures",
        "list",
        "Numbers it claims, each as `MEASURE: NUMBER UNIT[ (period EDTF)]: WHAT IS COUNTED`.",
    ),
    Column("figure_count", "number", "How many figures it claims."),
    Column(
        "responds_to",
        "list",
        "Earlier statements it answers, each as `RELATION STATEMENT_ID` (e.g. `disputes x`).",
    ),
    Column("notes", "list", "Curators' notes in English."),
)
"""The statements table, one row per statement, in this order."""

TABLES: Mapping[str, tuple[Column, ...]] = {
    "events": EVENT_COLUMNS,
    "statements": STATEMENT_COLUMNS,
}
"""Every table by name."""


# Cells ----------------------------------------------------------------------------


def join_cell(values: Iterable[str]) -> str:
    """Several values as one cell; an empty cell is no values, so no value may be empty."""
    items = list(values)
    if any(not item for item in items):
        raise DataError([Problem("invalid-value", f"{items!r} holds an empty value")])
    return SEPARATOR.join(v.replace("\\", "\\\\").replace(";", "\\;") for v in items)


def split_cell(cell: str) -> list[str]:
    """The values of a multi-valued cell, unescaped: the inverse of :func:`join_cell`.

    A bare ``;`` (no space after it, as typed by hand) separates values too.
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
    if cell:
        items.append("".join(current))
    return items


def _number(value: float | int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value)


def _guard(cell: str) -> str:
    return "'" + cell if cell.startswith(FORMULA_TRIGGERS) else cell


# Shared pieces --------------------------------------------------------------------


def _name(dataset: Dataset, record_id: str) -> str:
    names = getattr(dataset[record_id], "name", None)
    return names["en"] if isinstance(names, dict) else record_id


def _names_and_ids(dataset: Dataset, ids: Iterable[str], prefix: str) -> Row:
    ordered = list(ids)
    return {
        prefix: join_cell(_name(dataset, i) for i in ordered),
        f"{prefix}_id": join_cell(ordered),
    }


def _date(value: DateValue | None) -> Row:
    if value is None:
        return {c.name: "" for c in _date_columns(ucdp=False)}
    return {
        "date_precision": value.precision,
        "date_start": value.earliest.isoformat() if value.earliest else "",
        "date_end": value.latest.isoformat() if value.latest else "",
        "date_said_as": value.said_as or "",
        "date_inferred_from": value.inferred_from or "",
        "date_readings": join_cell(r.edtf for r in value.readings),
    }


_HEDGES = {
    "exact": "",
    "about": "about ",
    "more_than": "more than ",
    "at_least": "at least ",
    "fewer_than": "fewer than ",
    "at_most": "at most ",
}


def _claimed_number(figure: Figure) -> str:
    """The figure's number as claimed, hedge included: ``more than 10000``, ``from 5 to 9``."""
    if figure.value is not None:
        return _HEDGES[figure.qualifier] + _number(figure.value)
    parts = [
        f"{word} {_number(n)}"
        for word, n in (("from", figure.low), ("to", figure.high))
        if n is not None
    ]
    best = f", best {_number(figure.best)}" if figure.best is not None else ""
    return _HEDGES[figure.qualifier] + " ".join(parts) + best


def _numbers(figure: Figure) -> list[float]:
    return [n for n in (figure.value, figure.low, figure.best, figure.high) if n is not None]


def _point(figure: Figure) -> float | None:
    """The one figure a claim gives, or None where it only bounds one or gives none."""
    if figure.qualifier not in ("exact", "about"):
        return None
    return figure.value if figure.value is not None else figure.best


def _period(figure: Figure) -> str:
    return f", period {figure.period.edtf}" if figure.period else ""


def _summary(group: FigureGroup, claims: Sequence[tuple[Statement, Figure]]) -> Row:
    p = group.prefix
    numbers = [n for _, f in claims for n in _numbers(f)]
    points = {(_point(f), f.period.edtf if f.period else None) for _, f in claims}
    best = points.pop()[0] if len(points) == 1 else None
    return {
        f"{p}_low": _number(min(numbers)) if numbers else "",
        f"{p}_best": _number(best),
        f"{p}_high": _number(max(numbers)) if numbers else "",
        f"{p}_claims": join_cell(
            f"{_claimed_number(f)} ({s.speaker}, {s.id}{_period(f)}): {f.counts}" for s, f in claims
        ),
        f"{p}_claim_count": str(len(claims)),
    }


def _group_of(figure: Figure) -> FigureGroup | None:
    for group in FIGURE_GROUPS:
        if (figure.measure, figure.unit) == (group.measure, group.unit):
            return group
    return None


def _listed(statement: Statement, figure: Figure) -> str:
    return (
        f"{figure.measure}: {_claimed_number(figure)} {figure.unit} "
        f"({statement.speaker}, {statement.id}{_period(figure)}): {figure.counts}"
    )


def _figures(dataset: Dataset, event_id: str) -> Row:
    claims = sorted(dataset.figures_for(event_id), key=lambda c: c[0].id)
    alone = [(s, f) for s, f in claims if len(f.about) == 1]
    row: Row = {}
    for group in FIGURE_GROUPS:
        row.update(_summary(group, [c for c in alone if _group_of(c[1]) == group]))
    row["other_figures"] = join_cell(_listed(s, f) for s, f in alone if _group_of(f) is None)
    row["joint_figures"] = join_cell(
        f"{_listed(s, f)}, with {' '.join(sorted(set(f.about) - {event_id}))}"
        for s, f in claims
        if len(f.about) > 1
    )
    return row


# Events ---------------------------------------------------------------------------


def _sides(dataset: Dataset, actor: str, side: str | None) -> set[str]:
    """A participant's side: as given, else the actor itself if it is a state."""
    if side is not None:
        return {side}
    record = dataset[actor]
    return {actor} if isinstance(record, Actor) and record.kind == "state" else set()


def _actors(dataset: Dataset, event: Event) -> Row:
    first = sorted({p.actor for p in event.participants if p.role in ACTOR1_ROLES})
    second = sorted({p.actor for p in event.participants if p.role in ACTOR2_ROLES})
    side_a: set[str] = set()
    side_b: set[str] = set()
    for p in event.participants:
        if p.role in ACTOR1_ROLES:
            side_a |= _sides(dataset, p.actor, p.side)
        if p.role in ACTOR2_ROLES:
            side_b |= _sides(dataset, p.actor, p.side)
    others = [p for p in event.participants if p.actor not in {*first, *second}]
    assoc_1 = sorted({p.actor for p in others if _sides(dataset, p.actor, p.side) & side_a})
    assoc_2 = sorted({p.actor for p in others if _sides(dataset, p.actor, p.side) & side_b})
    participants = sorted(
        f"{p.actor} ({p.role}{f', side {p.side}' if p.side else ''})" for p in event.participants
    )
    return {
        **_names_and_ids(dataset, first, "actor1"),
        **_names_and_ids(dataset, assoc_1, "assoc_actor_1"),
        **_names_and_ids(dataset, second, "actor2"),
        **_names_and_ids(dataset, assoc_2, "assoc_actor_2"),
        **_names_and_ids(dataset, sorted(side_a), "side_a"),
        **_names_and_ids(dataset, sorted(side_b), "side_b"),
        "participants": join_cell(participants),
    }


def _places(dataset: Dataset, event: Event) -> Row:
    countries: set[str] = set()
    regions: set[str] = set()
    for place_id in event.places:
        node: str | None = place_id
        outermost_region = None
        while node is not None:
            record = dataset[node]
            if isinstance(record, Place):
                if record.kind == "region":
                    outermost_region = record.id
                node = record.within
            else:  # a state: the top of the chain
                countries.add(record.id)
                node = None
        if outermost_region is not None:
            regions.add(outermost_region)
    locations = sorted(p for p in event.places if isinstance(dataset[p], Place))
    return {
        **_names_and_ids(dataset, sorted(countries), "country"),
        **_names_and_ids(dataset, sorted(regions), "admin1"),
        **_names_and_ids(dataset, locations, "location"),
    }


def _event_row(dataset: Dataset, event: Event) -> Row:
    sources = sorted(event.sources)
    records = [dataset.get(s, Source) for s in sources]
    publishers = sorted({_name(dataset, r.publisher) for r in records if r.publisher})
    statements = sorted(s.id for s in dataset.statements_about(event.id))
    made_here = sorted(s.id for s in dataset.statements if s.made_at == event.id)
    legal = (
        sorted(f"{b.invokes} ({', '.join(sorted(b.invoked_by))})" for b in event.legal_basis)
        if isinstance(event, MilitaryEvent)
        else []
    )
    return {
        "event_id": event.id,
        "event_name": event.name["en"],
        "event_class": event.type,
        "event_type": event.event_type,
        "part_of": event.part_of or "",
        **_actors(dataset, event),
        **_places(dataset, event),
        "event_date": event.date.edtf,
        **_date(event.date),
        **_figures(dataset, event.id),
        "legal_basis": join_cell(legal),
        "statement_ids": join_cell(statements),
        "statement_count": str(len(statements)),
        "made_here_ids": join_cell(made_here),
        "made_here_count": str(len(made_here)),
        "source_ids": join_cell(sources),
        "number_of_sources": str(len(sources)),
        "source_publishers": join_cell(publishers),
        "source_published": join_cell(r.published.edtf for r in records),
        "summary": event.summary or "",
        "wikidata": event.wikidata.qid if event.wikidata else "",
        "notes": join_cell(event.notes),
    }


def event_rows(dataset: Dataset) -> list[Row]:
    """One row per event, sorted by id, its cells as :data:`EVENT_COLUMNS` says."""
    return [_event_row(dataset, e) for e in sorted(dataset.events, key=lambda e: e.id)]


# Statements -----------------------------------------------------------------------


def _statement_row(dataset: Dataset, statement: Statement) -> Row:
    source = dataset.get(statement.source, Source)
    publisher = source.publisher
    figures = [
        f"{f.measure}: {_claimed_number(f)} {f.unit}"
        f"{f' (period {f.period.edtf})' if f.period else ''}: {f.counts}"
        for f in statement.figures
    ]
    return {
        "statement_id": statement.id,
        "kind": statement.kind,
        "speaker": _name(dataset, statement.speaker),
        "speaker_id": statement.speaker,
        **_names_and_ids(dataset, statement.relayed_by, "relayed_by"),
        "date": statement.date.edtf if statement.date else "",
        **_date(statement.date),
        "source_id": source.id,
        "source_publisher": _name(dataset, publisher) if publisher else "",
        "source_publisher_id": publisher or "",
        "source_published": source.published.edtf,
        "quote": statement.quote.text,
        "quote_lang": statement.quote.lang or source.language,
        "curator_translation": statement.translation.text,
        "curator_translation_lang": statement.translation.lang,
        "quote_seed": statement.quote.seed,
        "quote_start": str(statement.quote.start),
        "quote_end": str(statement.quote.end),
        "medium": statement.medium or "",
        "made_at": statement.made_at or "",
        "refers_to": join_cell(sorted(statement.refers_to)),
        "figures": join_cell(figures),
        "figure_count": str(len(figures)),
        "responds_to": join_cell(
            sorted(f"{r.relation} {r.statement}" for r in statement.responds_to)
        ),
        "notes": join_cell(statement.notes),
    }


def statement_rows(dataset: Dataset) -> list[Row]:
    """One row per statement, sorted by id, its cells as :data:`STATEMENT_COLUMNS` says."""
    return [_statement_row(dataset, s) for s in sorted(dataset.statements, key=lambda s: s.id)]


_ROWS = {"events": event_rows, "statements": statement_rows}


def table_rows(dataset: Dataset, table: str) -> list[Row]:
    """The rows of the table named ``table`` (a key of :data:`TABLES`)."""
    try:
        rows = _ROWS[table]
    except KeyError:
        expected = " or ".join(sorted(TABLES))
        message = f"no table is named {table!r} (expected {expected})"
        raise DataError([Problem("invalid-value", message)]) from None
    return rows(dataset)


# CSV ------------------------------------------------------------------------------


def render_csv(
    dataset: Dataset, table: str = "events", *, bom: bool = False, formula_guard: bool = False
) -> str:
    """The table as CSV text: a header row, then one row per record; CRLF line ends.

    ``bom`` starts the text with U+FEFF, which Excel needs to read UTF-8.
    ``formula_guard`` prefixes ``'`` to every cell but numbers that starts with
    one of :data:`FORMULA_TRIGGERS`, so a spreadsheet shows it instead of running it;
    that changes the data, so it is off by default.
    """
    rows = table_rows(dataset, table)
    columns = TABLES[table]
    out = io.StringIO()
    if bom:
        out.write("\ufeff")
    # CRLF, as RFC 4180 says: the writer quotes only the line break characters of
    # its terminator, so with LF alone a cell holding a CR would split its row.
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(c.name for c in columns)
    for row in rows:
        writer.writerow(
            _guard(row[c.name]) if formula_guard and c.kind != "number" else row[c.name]
            for c in columns
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
