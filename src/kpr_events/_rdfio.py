"""The one way kpr-events reads RDF: bounded, offline, in linear time.

Parsing is pyoxigraph's (Rust): rdflib's own parsers fetch remote JSON-LD
contexts, expand XML entity bombs, and take quadratic time on long literals
(a million escapes in one N-Triples literal: 25 s), so none of them reads
untrusted input here. What pyoxigraph reads is then handed over as an rdflib
graph, which the rest of the library works with.

Before parsing, input is held to limits: a size, JSON nesting depth, and for
RDF/XML no document type declaration (the home of entity definitions) at all.
"""

from __future__ import annotations

import json
import re
import xml.parsers.expat
from pathlib import Path
from typing import Any

import pyoxigraph
from rdflib import BNode, Graph, URIRef
from rdflib import Dataset as RdfDataset
from rdflib import Literal as RdfLiteral
from rdflib.namespace import XSD
from rdflib.term import Node

from kpr_events import _jsonio
from kpr_events.errors import DataError, Problem, ValidationError

__all__ = ["CONTEXT_IRI", "MAX_RDF_BYTES", "READ_FORMATS", "format_of", "read_graph"]

CONTEXT_IRI = "https://w3id.org/kpr-events/context.jsonld"
"""The IRI of the shipped JSON-LD context; a document may name it instead of embedding it."""

MAX_RDF_BYTES = _jsonio.MAX_INPUT_BYTES
"""The largest RDF input read, by default: far beyond this dataset, and a bound on memory."""

READ_FORMATS = {
    "turtle": pyoxigraph.RdfFormat.TURTLE,
    "nt": pyoxigraph.RdfFormat.N_TRIPLES,
    "nquads": pyoxigraph.RdfFormat.N_QUADS,
    "jsonld": pyoxigraph.RdfFormat.JSON_LD,
    "xml": pyoxigraph.RdfFormat.RDF_XML,
}
"""The formats read, by the names ``kpr-events export`` writes them under."""

_SUFFIXES = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".nq": "nquads",
    ".jsonld": "jsonld",
    ".rdf": "xml",
    ".owl": "xml",
}


def format_of(path: Path) -> str | None:
    """The RDF format a file's name says it holds, or ``None``."""
    return _SUFFIXES.get(path.suffix.lower())


def _fail(code: str, message: str, where: str, line: int | None = None) -> ValidationError:
    return ValidationError([Problem(code, message, path=where, line=line)])


def _no_remote(value: Any, where: str) -> Any:
    if isinstance(value, str):
        if value == CONTEXT_IRI:
            from kpr_events.rdf import context

            return context()["@context"]
        raise _fail(
            "remote-context",
            f"the JSON-LD context {value!r} would be fetched "
            f"(expected an inline context or {CONTEXT_IRI})",
            where,
        )
    if isinstance(value, list):
        return [_no_remote(item, where) for item in value]
    if isinstance(value, dict):
        return _local_contexts(value, where)
    return value


def _local_contexts(node: Any, where: str) -> Any:
    """A JSON-LD document with every context inline: the shipped one by its IRI, no other.

    Scoped contexts (in term definitions) and ``@import`` are contexts too.
    """
    if isinstance(node, list):
        return [_local_contexts(item, where) for item in node]
    if not isinstance(node, dict):
        return node
    return {
        key: _no_remote(value, where)
        if key in ("@context", "@import")
        else _local_contexts(value, where)
        for key, value in node.items()
    }


class _Doctype(Exception):
    pass


def _refuse_doctype(*_: object) -> None:
    raise _Doctype


def _check_xml(data: bytes, where: str) -> None:
    """Refuse a document type declaration before anything expands an entity."""
    parser = xml.parsers.expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    try:
        parser.Parse(data, True)
    except _Doctype:
        raise _fail(
            "xml-doctype",
            f"RDF/XML with a document type declaration, at line {parser.CurrentLineNumber} "
            "(expected none: it is where entities, and entity bombs, are defined)",
            where,
            parser.CurrentLineNumber,
        ) from None
    except xml.parsers.expat.ExpatError as exc:
        raise _fail("rdf-syntax", f"not well-formed XML: {exc}", where, exc.lineno) from None


_LINE = re.compile(r"line (\d+)")


def _term(term: Any, where: str) -> Node:
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if isinstance(term, pyoxigraph.Literal):
        if term.language:
            return RdfLiteral(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == str(XSD.string):
            return RdfLiteral(term.value)
        return RdfLiteral(term.value, datatype=URIRef(datatype))
    raise _fail("rdf-syntax", "a quoted triple (RDF-star), which kpr-events never writes", where)


def _parse(data: bytes, fmt: str, where: str) -> Graph:
    graph = RdfDataset(default_union=True)
    try:
        for quad in pyoxigraph.parse(data, format=READ_FORMATS[fmt]):
            triple = (
                _term(quad.subject, where),
                _term(quad.predicate, where),
                _term(quad.object, where),
            )
            if isinstance(quad.graph_name, pyoxigraph.DefaultGraph):
                graph.add(triple)
            else:
                name = _term(quad.graph_name, where)
                assert isinstance(name, URIRef | BNode)  # pyoxigraph names graphs so
                graph.graph(name).add(triple)
    except SyntaxError as exc:
        found = _LINE.search(str(exc))
        line = int(found.group(1)) if found else None
        raise _fail("rdf-syntax", f"not valid {fmt}: {exc}", where, line) from None
    return graph


def read_graph(
    source: Path | str | bytes,
    format: str | None = None,
    where: str | None = None,
    *,
    max_bytes: int = MAX_RDF_BYTES,
) -> Graph:
    """Parse RDF from a file (a :class:`~pathlib.Path`) or from text or bytes, offline.

    ``format`` is one of :data:`READ_FORMATS`; for a file, its suffix says it when
    ``format`` is omitted. Nothing is ever fetched: a JSON-LD context must be
    inline or the shipped one named by :data:`CONTEXT_IRI`. Anything wrong
    raises :class:`ValidationError` naming ``where`` (the file, by default).
    """
    if isinstance(source, Path):
        where = where or str(source)
        fmt = format or format_of(source)
        try:
            data = _jsonio.read_bounded(source, max_bytes)
        except DataError as exc:
            raise ValidationError(exc.problems) from None
    else:
        where = where or "<data>"
        fmt = format
        data = source.encode("utf-8", "surrogatepass") if isinstance(source, str) else source
    if fmt not in READ_FORMATS:
        expected = ", ".join(sorted(READ_FORMATS))
        said = f"{fmt!r}" if fmt else "an unknown format"
        raise _fail("rdf-syntax", f"cannot read {said} (expected one of {expected})", where)
    if len(data) > max_bytes:
        raise _fail("too-large", f"{len(data)} bytes of RDF (expected at most {max_bytes})", where)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _fail("not-utf8", f"byte {exc.start} is not valid UTF-8", where) from None
    if fmt == "jsonld":
        try:
            document = _local_contexts(_jsonio.loads(data, where), where)
        except DataError as exc:
            raise ValidationError(exc.problems) from None
        data = json.dumps(document).encode("ascii")
    elif fmt == "xml":
        _check_xml(data, where)
    return _parse(data, fmt, where)
