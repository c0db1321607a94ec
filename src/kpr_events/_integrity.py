"""The checks across records: references resolve to the right kind, quotes come from their
source's seed, nothing is said after it was published, chains of belonging end.

They ask what they need of the other records through :class:`Facts`, which a
:class:`~kpr_events.Dataset` answers from its records and a streamed directory
from a compact index, so a dataset too large to hold is checked by the same code.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Set
from typing import Protocol

import attrs

from kpr_events import _problems
from kpr_events._refs import iter_refs
from kpr_events.errors import Problem
from kpr_events.models import (
    PACKAGED_DATASET,
    MilitaryEvent,
    PoliticalEvent,
    Record,
    Source,
    Statement,
)

LINK_FIELDS = ("parent", "within", "part_of")
"""Fields that say what a record belongs to: a unit's parent, a place's region, an event's whole."""


@attrs.frozen
class SourceFacts:
    """What records citing a source need of it."""

    seed: str
    language: str
    published_latest: datetime.date | None
    published_edtf: str

    @classmethod
    def of(cls, source: Source) -> SourceFacts:
        return cls(source.seed, source.language, source.published.latest, source.published.edtf)


class Facts(Protocol):
    """What one record's checks need to know of the others."""

    def kind(self, record_id: str) -> str | None:
        """The record type of ``record_id``, or None if no record has it."""

    def actor_kind(self, record_id: str) -> str | None:
        """The kind of the Actor ``record_id``, or None if it is no Actor."""

    def source(self, record_id: str) -> SourceFacts | None:
        """The facts of the Source ``record_id``, or None if it is no Source."""

    def location(self, record_id: str) -> tuple[str | None, str]:
        """The file and JSON pointer ``record_id`` was read from."""


def duplicate_problem(
    record_id: str, path: str | None, pointer: str, first: tuple[str | None, str], extended: bool
) -> Problem:
    where = f"{first[0] or '<data>'}#{first[1]}"
    message = f"id {record_id!r} is already used by the record at {where}"
    if extended:
        message = (
            f"id {record_id!r} is already used by the {PACKAGED_DATASET} "
            f"dataset this one extends, at {where} (expected a new id; an "
            "extension refers to the records it extends, it cannot redefine them)"
        )
    return Problem("duplicate-id", message, path=path, pointer=pointer + "/id")


def record_problems(
    record: Record, path: str | None, pointer: str, facts: Facts, invalid: Set[str]
) -> list[Problem]:
    """Every problem of one record against the others.

    ``invalid``: ids of records that failed validation and were reported already;
    references to them are not reported again as missing.
    """
    problems = _reference_problems(record, path, pointer, facts, invalid)
    problems += _seed_problems(record, path, pointer, facts)
    problems += _date_problems(record, path, pointer, facts)
    return problems


def _reference_problems(
    record: Record, path: str | None, pointer: str, facts: Facts, invalid: Set[str]
) -> list[Problem]:
    """Each reference names a record of a kind it may name, not itself, and only once."""
    problems = []
    seen: set[tuple[tuple[str | int, ...], str]] = set()
    for ref in iter_refs(record):
        kind = facts.kind(ref.target)
        wanted = " or ".join(ref.rule.kinds)
        message = ""
        if kind is None and ref.target in invalid:
            continue  # that record's own problems are reported already
        if kind is None:
            code = "missing-reference"
            message = (
                f"{ref.target!r} is not the id of any record "
                f"(expected the id of a record of type {wanted})"
            )
        elif kind not in ref.rule.kinds or (
            kind == "Actor"
            and ref.rule.actor_kinds
            and facts.actor_kind(ref.target) not in ref.rule.actor_kinds
        ):
            code = "wrong-reference-kind"
            found = kind + (f" ({facts.actor_kind(ref.target)})" if kind == "Actor" else "")
            if ref.rule.actor_kinds:
                wanted += f", an Actor being a {' or '.join(ref.rule.actor_kinds)}"
            message = f"{ref.target!r} is a record of type {found} (expected type {wanted})"
        elif ref.target == record.id:
            code = "self-reference"
            message = f"{record.id!r} refers to itself (expected another record)"
        elif (ref.path[:-1], ref.target) in seen and isinstance(ref.path[-1], int):
            code = "duplicate-reference"
            message = f"{ref.target!r} is listed twice (expected each once)"
        seen.add((ref.path[:-1], ref.target))
        if message:
            at = pointer + _problems.pointer(ref.path)
            problems.append(Problem(code, message, path=path, pointer=at))
    return problems


def _date_problems(record: Record, path: str | None, pointer: str, facts: Facts) -> list[Problem]:
    """A statement cannot be made after the article that reports it was published."""
    if not isinstance(record, Statement) or record.date is None:
        return []
    source = facts.source(record.source)
    said = record.date.earliest
    published = source.published_latest if source is not None else None
    if said is None or published is None or said <= published:
        return []
    return [
        Problem(
            "date-order",
            f"said {record.date.edtf}, after its source {record.source!r} was published "
            f"({source.published_edtf if source is not None else ''}; "
            "expected a date on or before it)",
            path=path,
            pointer=pointer + "/date/edtf",
        )
    ]


def _seed_problems(record: Record, path: str | None, pointer: str, facts: Facts) -> list[Problem]:
    """Quotes must come from the seed of the source they are credited to."""
    if isinstance(record, Statement):
        source = facts.source(record.source)
        if source is not None and source.seed != record.quote.seed:
            return [
                Problem(
                    "seed-mismatch",
                    f"quote is from {record.quote.seed!r} but source {record.source!r} is "
                    f"{source.seed!r} (expected the source's seed)",
                    path=path,
                    pointer=pointer + "/quote/seed",
                )
            ]
    if isinstance(record, (MilitaryEvent, PoliticalEvent)):
        seeds = {s.seed for s in map(facts.source, record.sources) if s is not None}
        return [
            Problem(
                "seed-mismatch",
                f"evidence is from {span.seed!r}, which is not the seed of any of the "
                f"event's sources {sorted(seeds)}",
                path=path,
                pointer=f"{pointer}/evidence/{i}/seed",
            )
            for i, span in enumerate(record.evidence)
            if span.seed not in seeds
        ]
    return []


def links_of(record: Record) -> Mapping[str, str]:
    """What ``record`` says it belongs to, by field (see :data:`LINK_FIELDS`)."""
    fields = type(record).model_fields  # not getattr(..., None): pydantic's miss is slow
    return {
        field: target
        for field in LINK_FIELDS
        if field in fields
        and isinstance(target := getattr(record, field), str)
        and target != record.id
    }


def cycle_problems(links: Mapping[str, Mapping[str, str]], facts: Facts) -> list[Problem]:
    """Chains of belonging end: ``links`` maps each field to each record's target."""
    problems = []
    for field in LINK_FIELDS:
        chain = links.get(field, {})
        reported: set[str] = set()
        for start in sorted(chain):
            path, node = [start], chain[start]
            while node in chain and node not in path:
                path.append(node)
                node = chain[node]
            if node in path and not reported & set(path):
                cycle = path[path.index(node) :]
                reported |= set(cycle)
                file, pointer = facts.location(min(cycle))
                problems.append(
                    Problem(
                        "reference-cycle",
                        f"{field} leads round in a circle: {' -> '.join([*cycle, cycle[0]])}",
                        path=file,
                        pointer=f"{pointer}/{field}",
                    )
                )
    return problems
