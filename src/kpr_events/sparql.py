"""SPARQL over the dataset: the competency questions, and any query a user brings."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import attrs
from rdflib import Literal, URIRef
from rdflib.plugins.sparql import prepareQuery, prepareUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.query import Result

from kpr_events import _jsonio
from kpr_events.dataset import Dataset
from kpr_events.errors import DataError, Problem, ResourceError, ValidationError
from kpr_events.rdf import to_graph

__all__ = ["Answer", "competency_questions", "read_query", "render", "run"]


@attrs.frozen
class Answer:
    """A query's result as plain strings: column names, then rows."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


MAX_QUERY_BYTES = 1024 * 1024
"""The longest query read: a thousand times the longest competency question."""


def read_query(path: Path) -> str:
    try:
        return _jsonio.read_bounded(path, MAX_QUERY_BYTES).decode("utf-8")
    except DataError as exc:
        raise ResourceError(f"{path}: {exc.problems[0].message}", path=str(path)) from None
    except UnicodeDecodeError as exc:
        message = f"{path}: byte {exc.start} is not valid UTF-8 (expected a SPARQL query)"
        raise ResourceError(message, path=str(path)) from None


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Literal | URIRef):
        return str(value)
    return str(value)


def answer(result: Result) -> Answer:
    columns = tuple(str(v) for v in result.vars or ())
    rows = tuple(tuple(_text(row[i]) for i in range(len(columns))) for row in result)  # type: ignore[index]
    return Answer(columns, rows)


def _parts(node: Any) -> Iterator[str]:
    if isinstance(node, CompValue):
        yield node.name
        for value in node.values():
            yield from _parts(value)
    elif isinstance(node, list | tuple):
        for item in node:
            yield from _parts(item)


def _is_update(text: str) -> bool:
    try:
        prepareUpdate(text)
    except Exception:  # not an update either: the query's own error is the one to report
        return False
    return True


def _refuse(code: str, message: str) -> ValidationError:
    return ValidationError([Problem(code, message)])


def run(dataset: Dataset, query: str) -> Answer:
    """Run a SELECT or ASK query over the dataset's RDF, and nothing else.

    A query that would reach the network (``SERVICE``, ``FROM``, ``FROM NAMED``)
    is refused before it runs; the dataset is the only data a query sees.
    """
    try:
        prepared = prepareQuery(query)
    except Exception as exc:  # rdflib raises pyparsing's errors for bad syntax
        if _is_update(query):
            raise _refuse("sparql-form", "an update (expected a SELECT or ASK query)") from None
        raise _refuse("sparql-syntax", f"the query does not parse: {exc}") from None
    parts = set(_parts(prepared.algebra))
    if parts & {"ServiceGraphPattern", "DatasetClause"}:
        raise _refuse("sparql-network", "SERVICE and FROM would fetch other data (expected none)")
    form = prepared.algebra.name
    if form not in ("SelectQuery", "AskQuery"):
        raise _refuse("sparql-form", f"a {form} (expected a SELECT or ASK query)")
    try:
        result = to_graph(dataset).query(prepared)
        if form == "AskQuery":
            return Answer(("ask",), (("true" if result.askAnswer else "false",),))
        return answer(result)
    except Exception as exc:  # an evaluation error inside rdflib
        raise _refuse("sparql-syntax", f"the query failed: {exc}") from None


def render(result: Answer, fmt: str) -> str:
    """A result as an aligned table, CSV, or JSON (a list of objects)."""
    if fmt == "json":
        rows = [dict(zip(result.columns, row, strict=True)) for row in result.rows]
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows(result.rows)
        return out.getvalue()
    widths = [
        max([len(c), *(len(row[i]) for row in result.rows)]) for i, c in enumerate(result.columns)
    ]
    lines = ["  ".join(c.ljust(w) for c, w in zip(result.columns, widths, strict=True))]
    lines += [
        "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in result.rows
    ]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def competency_questions() -> dict[str, str]:
    """The shipped SPARQL queries, by file name."""
    folder = resources.files("kpr_events") / "queries"
    return {
        entry.name: entry.read_text(encoding="utf-8")
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".rq")
    }
