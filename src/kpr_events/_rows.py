"""The rows of the CSV tables: each event or statement flattened into its columns' cells.

Builders return a cell per column, a list of values for a multi-valued one;
:func:`_row` joins those lists in one place, where a value that cannot be
written is reported at its record and column.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from kpr_events._cells import join_cell, number_cell
from kpr_events._columns import (
    ACTOR1_ROLES,
    ACTOR2_ROLES,
    FIGURE_GROUPS,
    FigureGroup,
    date_columns,
)
from kpr_events.dataset import Dataset
from kpr_events.dates import DateValue
from kpr_events.errors import DataError, Problem
from kpr_events.models import Actor, MilitaryEvent, Place, PoliticalEvent, Source, Statement
from kpr_events.values import QUALIFIER_WORDS, Figure

__all__ = ["Row", "event_rows", "statement_rows"]

Row = dict[str, str]
Cells = dict[str, str | list[str]]
"""A row before its multi-valued cells are joined."""
Event = MilitaryEvent | PoliticalEvent


def _row(dataset: Dataset, record_id: str, cells: Cells) -> Row:
    """The cells as text, lists joined; a value that cannot be joined names record and column."""
    row: Row = {}
    for column, cell in cells.items():
        try:
            row[column] = cell if isinstance(cell, str) else join_cell(cell)
        except DataError as exc:
            path, pointer = dataset.location(record_id)
            problem = exc.problems[0]
            message = f"record {record_id!r}, column {column!r}: {problem.message}"
            raise DataError([Problem(problem.code, message, path=path, pointer=pointer)]) from None
    return row


# Shared pieces --------------------------------------------------------------------


def _names_and_ids(dataset: Dataset, ids: Iterable[str], prefix: str) -> Cells:
    ordered = list(ids)
    return {prefix: [dataset.name_of(i) for i in ordered], f"{prefix}_id": ordered}


def _date(value: DateValue | None) -> Cells:
    if value is None:
        return {c.name: "" for c in date_columns(ucdp=False)}
    return {
        "date_precision": value.precision,
        "date_start": value.earliest.isoformat() if value.earliest else "",
        "date_end": value.latest.isoformat() if value.latest else "",
        "date_said_as": value.said_as or "",
        "date_inferred_from": value.inferred_from or "",
        "date_readings": [r.edtf for r in value.readings],
    }


def _claimed_number(figure: Figure) -> str:
    """The figure's number as claimed, hedge included: ``more than 10000``, ``from 5 to 9``."""
    if figure.value is not None:
        return QUALIFIER_WORDS[figure.qualifier] + number_cell(figure.value)
    parts = [
        f"{word} {number_cell(n)}"
        for word, n in (("from", figure.low), ("to", figure.high))
        if n is not None
    ]
    best = f", best {number_cell(figure.best)}" if figure.best is not None else ""
    return QUALIFIER_WORDS[figure.qualifier] + " ".join(parts) + best


def _numbers(figure: Figure) -> list[float]:
    return [n for n in (figure.value, figure.low, figure.best, figure.high) if n is not None]


def _point(figure: Figure) -> float | None:
    """The one figure a claim gives, or None where it only bounds one or gives none."""
    if figure.qualifier not in ("exact", "about"):
        return None
    return figure.value if figure.value is not None else figure.best


def _period(figure: Figure) -> str:
    return f", period {figure.period.edtf}" if figure.period else ""


def _summary(group: FigureGroup, claims: Sequence[tuple[Statement, Figure]]) -> Cells:
    p = group.prefix
    numbers = [n for _, f in claims for n in _numbers(f)]
    points = {(_point(f), f.period.edtf if f.period else None) for _, f in claims}
    best = points.pop()[0] if len(points) == 1 else None
    return {
        f"{p}_low": number_cell(min(numbers)) if numbers else "",
        f"{p}_best": number_cell(best),
        f"{p}_high": number_cell(max(numbers)) if numbers else "",
        f"{p}_claims": [
            f"{_claimed_number(f)} ({s.speaker}, {s.id}{_period(f)}): {f.counts}" for s, f in claims
        ],
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


def _figures(dataset: Dataset, event_id: str) -> Cells:
    claims = sorted(dataset.figures_for(event_id), key=lambda c: c[0].id)
    alone = [(s, f) for s, f in claims if len(f.about) == 1]
    cells: Cells = {}
    for group in FIGURE_GROUPS:
        cells.update(_summary(group, [c for c in alone if _group_of(c[1]) == group]))
    cells["other_figures"] = [_listed(s, f) for s, f in alone if _group_of(f) is None]
    cells["joint_figures"] = [
        f"{_listed(s, f)}, with {' '.join(sorted(set(f.about) - {event_id}))}"
        for s, f in claims
        if len(f.about) > 1
    ]
    return cells


# Events ---------------------------------------------------------------------------


def _sides(dataset: Dataset, actor: str, side: str | None) -> set[str]:
    """A participant's side: as given, else the actor itself if it is a state."""
    if side is not None:
        return {side}
    record = dataset[actor]
    return {actor} if isinstance(record, Actor) and record.kind == "state" else set()


def _actors(dataset: Dataset, event: Event) -> Cells:
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
        "participants": participants,
    }


def _places(dataset: Dataset, event: Event) -> Cells:
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
    publishers = sorted({dataset.name_of(r.publisher) for r in records if r.publisher})
    statements = sorted(s.id for s in dataset.statements_about(event.id))
    made_here = sorted(s.id for s in dataset.statements if s.made_at == event.id)
    legal = (
        sorted(f"{b.invokes} ({', '.join(sorted(b.invoked_by))})" for b in event.legal_basis)
        if isinstance(event, MilitaryEvent)
        else []
    )
    cells: Cells = {
        "event_id": event.id,
        "event_name": dataset.name_of(event.id),
        "event_class": event.type,
        "event_type": event.event_type,
        "part_of": event.part_of or "",
        **_actors(dataset, event),
        **_places(dataset, event),
        "event_date": event.date.edtf,
        **_date(event.date),
        **_figures(dataset, event.id),
        "legal_basis": legal,
        "statement_ids": statements,
        "statement_count": str(len(statements)),
        "made_here_ids": made_here,
        "made_here_count": str(len(made_here)),
        "source_ids": sources,
        "number_of_sources": str(len(sources)),
        "source_publishers": publishers,
        "source_published": [r.published.edtf for r in records],
        "summary": event.summary or "",
        "wikidata": event.wikidata.qid if event.wikidata else "",
        "notes": event.notes,
    }
    return _row(dataset, event.id, cells)


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
    cells: Cells = {
        "statement_id": statement.id,
        "kind": statement.kind,
        "speaker": dataset.name_of(statement.speaker),
        "speaker_id": statement.speaker,
        **_names_and_ids(dataset, statement.relayed_by, "relayed_by"),
        "date": statement.date.edtf if statement.date else "",
        **_date(statement.date),
        "source_id": source.id,
        "source_publisher": dataset.name_of(publisher) if publisher else "",
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
        "refers_to": sorted(statement.refers_to),
        "figures": figures,
        "figure_count": str(len(figures)),
        "responds_to": sorted(f"{r.relation} {r.statement}" for r in statement.responds_to),
        "notes": statement.notes,
    }
    return _row(dataset, statement.id, cells)


def statement_rows(dataset: Dataset) -> list[Row]:
    """One row per statement, sorted by id, its cells as :data:`STATEMENT_COLUMNS` says."""
    return [_statement_row(dataset, s) for s in sorted(dataset.statements, key=lambda s: s.id)]
