"""SPARQL over the dataset: the competency questions, and any query a user brings."""

from __future__ import annotations

import csv
import io
import json
from importlib import resources
from pathlib import Path

import attrs
from rdflib import Literal, URIRef
from rdflib.query import Result

from kpr_events.dataset import Dataset
from kpr_events.errors import Problem, ResourceError, ValidationError
from kpr_events.rdf import to_graph

__all__ = ["Answer", "competency_questions", "read_query", "render", "run"]


@attrs.frozen
class Answer:
    """A query's result as plain strings: column names, then rows."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def read_query(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ResourceError(f"cannot read the query: {exc}", path=str(path)) from None


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


def run(dataset: Dataset, query: str) -> Answer:
    """Run a SELECT query over the dataset's RDF."""
    try:
        result = to_graph(dataset).query(query)
    except Exception as exc:  # rdflib raises pyparsing's errors for bad syntax
        raise ValidationError(
            [Problem("sparql-syntax", f"the query does not parse: {exc}")]
        ) from None
    return answer(result)


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
