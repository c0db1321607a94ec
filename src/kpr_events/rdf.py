"""The dataset as RDF, and back: every record yields its own triples.

The mapping is read off the models: each field has one predicate
(:func:`kpr_events.vocab.predicate`), references become IRIs, nested values
blank nodes, ordered lists RDF lists and unordered ones plain repeated
triples. Quote spans are Web Annotation selectors, Wikidata links
``schema:sameAs``, and dates keep their EDTF string beside typed
``xsd:date``/``xsd:gYearMonth``/``xsd:gYear`` values that SPARQL can compare.
:func:`from_graph` reads back only what :func:`to_graph` states on its own
authority, so ``from_graph(to_graph(d))`` is ``d`` in canonical order.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from functools import cache
from typing import Any, Literal, Protocol, Union

import attrs
import pydantic
from pydantic import BaseModel
from rdflib import BNode, ConjunctiveGraph, Graph, URIRef, plugin
from rdflib import Dataset as RdfDataset
from rdflib import Literal as RdfLiteral
from rdflib.namespace import RDF, XSD
from rdflib.plugins.serializers.turtle import TurtleSerializer
from rdflib.serializer import Serializer
from rdflib.term import Node

from kpr_events import _problems
from kpr_events._base import UNORDERED, canonical
from kpr_events._fixturefile import Located
from kpr_events._rdfio import CONTEXT_IRI, read_graph
from kpr_events._refs import RefTo, field_refs, ref_in
from kpr_events.dataset import Dataset
from kpr_events.dates import DateValue, EdtfDate, EdtfInterval
from kpr_events.errors import Problem, ValidationError
from kpr_events.models import (
    DEFAULT_BASE_IRI,
    RECORD_ADAPTER,
    RECORD_TYPES,
    BaseRecord,
    MilitaryEvent,
    PoliticalEvent,
    Record,
    Source,
    Statement,
)
from kpr_events.values import CuratorTranslation, QuoteSpan, Wikidata
from kpr_events.vocab import (
    EN_FIELDS,
    KPR,
    OA,
    PREFIXES,
    SCHEMA,
    SEM,
    VERBATIM_FIELDS,
    WD,
    predicate,
    record_types,
)

__all__ = [
    "CONTEXT_IRI",
    "FORMATS",
    "context",
    "from_graph",
    "graph_name",
    "read_graph",
    "record_iri",
    "serialize",
    "to_graph",
    "to_quads",
]

_CLASSES = {cls.__name__: cls for cls in RECORD_TYPES}
_COLLECTIONS = {cls.collection: cls for cls in RECORD_TYPES}


def record_iri(record: BaseRecord, base: str = DEFAULT_BASE_IRI) -> URIRef:
    return URIRef(record.iri(base))


def _seed_iri(seed: str, base: str) -> str:
    return f"{base}seed/{seed}"


# Field shapes -------------------------------------------------------------------


@attrs.frozen
class _Shape:
    """How a field's value is written: container and item kind."""

    container: Literal["one", "list", "set", "langmap", "langmap_list"]
    item: str  # "ref", "str", "int", "float", "bool", or a model class name
    model: type[BaseModel] | None = None


def _strip_optional(annotation: Any) -> Any:
    if typing.get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _item_shape(annotation: Any, metadata: list[Any]) -> tuple[str, type[BaseModel] | None]:
    if any(isinstance(m, RefTo) for m in metadata) or ref_in(annotation) is not None:
        return "ref", None
    bare = annotation
    while typing.get_origin(bare) is typing.Annotated:
        bare = bare.__origin__
    bare = _strip_optional(bare)
    if isinstance(bare, type) and issubclass(bare, BaseModel):
        return bare.__name__, bare
    if bare is bool:
        return "bool", None
    if bare is int:
        return "int", None
    if bare is float:
        return "float", None
    return "str", None


@cache
def field_shapes(model: type[BaseModel]) -> dict[str, _Shape]:
    """How each field of ``model`` is written in RDF."""
    shapes = {}
    for name, info in model.model_fields.items():
        annotation = _strip_optional(info.annotation)
        origin = typing.get_origin(annotation)
        if origin is list:
            (inner,) = typing.get_args(annotation)
            item, cls = _item_shape(inner, [])
            ordered = UNORDERED not in info.metadata
            shapes[name] = _Shape("list" if ordered else "set", item, cls)
        elif origin is dict:
            _, values = typing.get_args(annotation)
            while typing.get_origin(values) is typing.Annotated:
                values = values.__origin__
            inner_origin = typing.get_origin(_strip_optional(values))
            shapes[name] = _Shape("langmap_list" if inner_origin is list else "langmap", "str")
        else:
            item, cls = _item_shape(annotation, list(info.metadata))
            shapes[name] = _Shape("one", item, cls)
    return shapes


WRITTEN_APART = frozenset({"QuoteSpan", "Wikidata", "CuratorTranslation"})
"""Values written in established terms (Web Annotation, schema:sameAs, a tagged literal)."""


@cache
def models() -> tuple[type[BaseModel], ...]:
    """Every model class a record is made of, records first, each once."""
    seen: dict[str, type[BaseModel]] = {}
    pending: list[type[BaseModel]] = list(RECORD_TYPES)
    while pending:
        model = pending.pop(0)
        if model.__name__ not in seen:
            seen[model.__name__] = model
            pending += [s.model for s in field_shapes(model).values() if s.model is not None]
    return tuple(seen.values())


# Export --------------------------------------------------------------------------


class _Sink(Protocol):
    """Where a record's triples go: an rdflib graph, or lines of N-Triples text.

    Terms are whatever the sink makes (rdflib nodes, or the text of a term),
    so the mapping below is written once for both.
    """

    def iri(self, text: str) -> Any: ...
    def literal(self, text: str, lang: str | None = None, datatype: str | None = None) -> Any: ...
    def bnode(self, label: str) -> Any: ...
    def add(self, subject: Any, predicate: str, obj: Any) -> None: ...


@attrs.define
class _GraphSink:
    graph: Graph

    def iri(self, text: str) -> URIRef:
        return URIRef(text)

    def literal(self, text: str, lang: str | None = None, datatype: str | None = None) -> Node:
        return RdfLiteral(text, lang=lang or None, datatype=URIRef(datatype) if datatype else None)

    def bnode(self, label: str) -> BNode:
        return BNode(label)

    def add(self, subject: Any, predicate: str, obj: Any) -> None:
        self.graph.add((subject, URIRef(predicate), obj))


@attrs.frozen
class _Context:
    """What writing one record needs to know of the others: their IRIs and languages."""

    base: str
    iri_of: Callable[[str], str]
    """A record's IRI, given its id."""
    seed_languages: Mapping[str, str]
    """Each seed file's language: its source's."""
    source_languages: Mapping[str, str]
    """Each source's language, by the source's id."""
    shared_language: str | None
    """The language every source is in, if they share one."""

    @classmethod
    def of(
        cls, base: str, iri_of: Callable[[str], str], sources: Iterable[tuple[str, str, str]]
    ) -> _Context:
        """Given every source as (id, seed, language)."""
        seeds, languages = {}, {}
        for source_id, seed, language in sources:
            seeds[seed], languages[source_id] = language, language
        shared = set(languages.values())
        return cls(base, iri_of, seeds, languages, shared.pop() if len(shared) == 1 else None)

    def text_language(self, record: Record) -> str | None:
        """The language of a record's verbatim words: its source's, or the one all share."""
        if isinstance(record, Source):
            return record.language
        if isinstance(record, Statement):
            return self.source_languages.get(record.source)
        return self.shared_language


def _dataset_context(dataset: Dataset, base: str) -> _Context:
    return _Context.of(
        base,
        lambda record_id: dataset[record_id].iri(base),
        ((s.id, s.seed, s.language) for s in dataset.sources),
    )


_NIL, _FIRST, _REST = RDF.nil, RDF.first, RDF.rest


@attrs.define
class _Writer:
    sink: _Sink
    context: _Context
    prefix: str = "b"
    count: int = 0

    def iri(self, record_id: str) -> Any:
        return self.sink.iri(self.context.iri_of(record_id))

    def literal(self, step: _Step, value: Any, lang: str | None) -> Any:
        sink = self.sink
        if isinstance(value, str):
            if step.literal == "en":
                return sink.literal(value, lang="en")
            if step.literal == "verbatim" and lang:
                return sink.literal(value, lang=lang)
            return sink.literal(value)
        if isinstance(value, bool):
            return sink.literal("true" if value else "false", datatype=XSD.boolean)
        if isinstance(value, int):
            return sink.literal(str(value), datatype=XSD.integer)
        if value.is_integer():
            return sink.literal(str(int(value)), datatype=XSD.integer)
        # xsd:decimal in fixed notation, written exactly (Turtle shortens doubles).
        return sink.literal(format(Decimal(repr(value)), "f"), datatype=XSD.decimal)

    def bnode(self) -> Any:
        """A blank node labelled in order, so the same dataset always gives the same files."""
        self.count += 1
        return self.sink.bnode(f"{self.prefix}{self.count}")

    def rdf_list(self, items: list[Any]) -> Any:
        head = self.sink.iri(_NIL)
        for item in reversed(items):
            cell = self.bnode()
            self.sink.add(cell, _FIRST, item)
            self.sink.add(cell, _REST, head)
            head = cell
        return head


def _date_literal(date: EdtfDate) -> tuple[str, URIRef] | None:
    """A date's lexical form and XSD type, or None for a date with a qualifier."""
    if date.qualifier:
        return None
    text = f"{date.year:04d}"
    if date.month is None:
        return text, XSD.gYear
    text += f"-{date.month:02d}"
    if date.day is None:
        return text, XSD.gYearMonth
    return f"{text}-{date.day:02d}", XSD.date


# Established date terms, derived from a record's own DateValue fields.
_DATE_TERMS: dict[tuple[str, str], tuple[URIRef, ...]] = {
    ("Source", "published"): (SCHEMA.datePublished,),
    ("Statement", "date"): (SCHEMA.dateCreated,),
    ("Treaty", "signed"): (SCHEMA.legislationDate, PREFIXES["eli"].date_document),
    ("Treaty", "in_force"): (PREFIXES["eli"].first_date_entry_in_force,),
    ("MilitaryEvent", "date"): (SEM.hasTimeStamp, SCHEMA.startDate),
    ("PoliticalEvent", "date"): (SEM.hasTimeStamp, SCHEMA.startDate),
}
_DAY_ONLY = {
    SCHEMA.legislationDate,
    PREFIXES["eli"].date_document,
    PREFIXES["eli"].first_date_entry_in_force,
}
"""Terms whose range is a full date: given only for dates of day precision."""


def _derived_dates(w: _Writer, subject: Any, model: str, field: str, value: DateValue) -> None:
    sink = w.sink
    node_terms = _DATE_TERMS.get((model, field), ())
    parsed = value.parsed
    if isinstance(parsed, EdtfDate):
        date = _date_literal(parsed)
        if date is not None:
            literal = sink.literal(date[0], datatype=date[1])
            for term in node_terms:
                if date[1] == XSD.date or term not in _DAY_ONLY:  # ELI wants a day
                    sink.add(subject, term, literal)
    elif isinstance(parsed, EdtfInterval) and model.endswith("Event"):
        start = _date_literal(parsed.start) if parsed.start else None
        end = _date_literal(parsed.end) if parsed.end else None
        if start is not None:
            literal = sink.literal(start[0], datatype=start[1])
            sink.add(subject, SEM.hasBeginTimeStamp, literal)
            sink.add(subject, SCHEMA.startDate, literal)
        if end is not None:
            literal = sink.literal(end[0], datatype=end[1])
            sink.add(subject, SEM.hasEndTimeStamp, literal)
            sink.add(subject, SCHEMA.endDate, literal)


def _emit_value(w: _Writer, step: _Step, value: Any, lang: str | None) -> Any:
    if step.shape.item == "ref":
        return w.iri(value)
    if step.shape.model is not None:
        return _emit_model(w, value, lang)
    return w.literal(step, value, lang)


# Terms used for every record, made once: an rdflib namespace makes a new URIRef per lookup.
_TYPE, _SAME_AS, _CERTAINTY = RDF.type, SCHEMA.sameAs, KPR.wikidataCertainty
_RESOURCE, _HAS_SOURCE, _HAS_SELECTOR = OA.SpecificResource, OA.hasSource, OA.hasSelector
_QUOTE, _EXACT, _POSITION = OA.TextQuoteSelector, OA.exact, OA.TextPositionSelector
_START, _END, _LANG = OA.start, OA.end, KPR.lang
_EARLIEST, _LATEST = KPR.earliest, KPR.latest
_WD = str(WD)
_HAS_ACTOR, _SPOKEN_BY = SEM.hasActor, SCHEMA.spokenByCharacter
_NON_NEGATIVE, _DATE = XSD.nonNegativeInteger, XSD.date


def _emit_quote(w: _Writer, span: QuoteSpan) -> Any:
    sink = w.sink
    resource, quote, position = w.bnode(), w.bnode(), w.bnode()
    lang = span.lang or w.context.seed_languages.get(span.seed)
    sink.add(resource, _TYPE, sink.iri(_RESOURCE))
    sink.add(resource, _HAS_SOURCE, sink.iri(_seed_iri(span.seed, w.context.base)))
    sink.add(resource, _HAS_SELECTOR, quote)
    sink.add(resource, _HAS_SELECTOR, position)
    sink.add(quote, _TYPE, sink.iri(_QUOTE))
    sink.add(quote, _EXACT, sink.literal(span.text, lang=lang))
    sink.add(position, _TYPE, sink.iri(_POSITION))
    sink.add(position, _START, sink.literal(str(span.start), datatype=_NON_NEGATIVE))
    sink.add(position, _END, sink.literal(str(span.end), datatype=_NON_NEGATIVE))
    if span.lang:
        sink.add(resource, _LANG, sink.literal(span.lang))
    return resource


def _emit_model(w: _Writer, value: BaseModel, lang: str | None) -> Any:
    if isinstance(value, QuoteSpan):
        return _emit_quote(w, value)
    node = w.bnode()
    w.sink.add(node, _TYPE, w.sink.iri(_class_iri(type(value))))
    _emit_fields(w, node, value, lang)
    if isinstance(value, DateValue):
        for term, bound in ((_EARLIEST, value.earliest), (_LATEST, value.latest)):
            if bound is not None:
                w.sink.add(node, term, w.sink.literal(bound.isoformat(), datatype=_DATE))
    return node


@cache
def _class_iri(model: type[BaseModel]) -> URIRef:
    return KPR[model.__name__]


@attrs.frozen
class _Step:
    """How one field of a model is written: worked out once per model, used for every value."""

    field: str
    term: URIRef
    how: str
    """wikidata, translation, position, seed, langmap, list, set or one."""
    shape: _Shape
    model: str
    literal: str
    """For text: ``en`` (the curators' English), ``verbatim`` (the source's words) or ``plain``."""


@cache
def _plan(model: type[BaseModel]) -> tuple[_Step, ...]:
    name, steps = model.__name__, []
    for field, shape in field_shapes(model).items():
        if field in ("id", "type"):
            continue
        how: str = shape.container
        if shape.model is Wikidata:
            how = "wikidata"
        elif shape.model is CuratorTranslation:
            how = "translation"
        elif field in ("position", "seed"):  # a role's Wikidata QID; a source's seed document
            how = field
        elif how == "langmap_list":
            how = "langmap"
        text = "en" if field in EN_FIELDS else "verbatim" if field in VERBATIM_FIELDS else "plain"
        steps.append(_Step(field, predicate(name, field), how, shape, name, text))
    return tuple(steps)


def _emit_fields(w: _Writer, subject: Any, value: BaseModel, lang: str | None) -> None:
    sink = w.sink
    for step in _plan(type(value)):
        item = getattr(value, step.field)
        if item is None or item is False or (not item and type(item) in (list, dict)):
            continue
        how, term = step.how, step.term
        if how == "one":
            sink.add(subject, term, _emit_value(w, step, item, lang))
            if isinstance(item, DateValue):
                _derived_dates(w, subject, step.model, step.field, item)
        elif how == "set":
            for v in item:
                sink.add(subject, term, _emit_value(w, step, v, lang))
        elif how == "list":
            sink.add(subject, term, w.rdf_list([_emit_value(w, step, v, lang) for v in item]))
        elif how == "langmap":
            for tag, names in item.items():
                for name in names if isinstance(names, list) else [names]:
                    sink.add(subject, term, sink.literal(name, lang=tag))
        elif how == "wikidata":
            sink.add(subject, _SAME_AS, sink.iri(_WD + item.qid))
            if item.certainty != "checked":
                sink.add(subject, _CERTAINTY, sink.literal(item.certainty))
        elif how == "translation":
            sink.add(subject, term, sink.literal(item.text, lang=item.lang))
        elif how == "position":
            sink.add(subject, term, sink.iri(_WD + item))
        else:  # seed
            sink.add(subject, term, sink.iri(_seed_iri(item, w.context.base)))


def bind_prefixes(g: Graph) -> None:
    for prefix, namespace in PREFIXES.items():
        g.bind(prefix, namespace, override=True)


def to_graph(dataset: Dataset, base: str = DEFAULT_BASE_IRI) -> Graph:
    """The dataset as one RDF graph, every record under ``base``."""
    g = Graph()
    bind_prefixes(g)
    sink, context = _GraphSink(g), _dataset_context(dataset, base)
    for record in dataset:
        _record_triples(sink, context, record)
    return g


class _TurtleSerializer(TurtleSerializer):
    """rdflib's Turtle, but a multi-line literal that ends in a quote is written short.

    rdflib 7 writes text that ends in a backslash and a quote with the quote
    unescaped before the closing triple quote, which no Turtle parser reads.
    The one-line form, with every quote and line break escaped, has no such edge.
    """

    def label(self, node: Node, position: int) -> str:
        if isinstance(node, RdfLiteral) and "\n" in node and node.endswith('"'):
            text = f'"{node.translate(_ONE_LINE)}"'
            if node.language:
                return f"{text}@{node.language}"
            return f"{text}^^{node.datatype.n3()}" if node.datatype else text
        return str(super().label(node, position))


_ONE_LINE = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
plugin.register("kpr-turtle", Serializer, __name__, "_TurtleSerializer")

FORMATS: dict[str, str] = {
    "turtle": "turtle",
    "nt": "nt",
    "nquads": "nquads",
    "jsonld": "json-ld",
    "xml": "xml",
}
"""Export formats by their CLI name, to rdflib's serializer names."""


def context() -> dict[str, Any]:
    """The JSON-LD context: the vocabulary's prefixes, so every term is a short compact IRI."""
    return {"@context": {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}}


def serialize(dataset: Dataset, fmt: str, base: str = DEFAULT_BASE_IRI) -> str:
    """The dataset in one of :data:`FORMATS`; N-Quads puts each source in a graph of its own."""
    if fmt == "nquads":
        return str(to_quads(dataset, base).serialize(format="nquads"))
    graph = to_graph(dataset, base)
    if fmt == "jsonld":
        return str(
            graph.serialize(format="json-ld", context=context()["@context"], auto_compact=True)
        )
    writer = "kpr-turtle" if fmt == "turtle" else FORMATS[fmt]  # see _TurtleSerializer
    return str(graph.serialize(format=writer))


def graph_name(source_id: str | None, base: str = DEFAULT_BASE_IRI) -> URIRef:
    """The named graph of one source's statements, or (``None``) of the shared records."""
    return URIRef(f"{base}graph/{source_id or 'shared'}")


def to_quads(dataset: Dataset, base: str = DEFAULT_BASE_IRI) -> RdfDataset:
    """The dataset with each source's statements in a named graph of their own.

    Everything else (actors, places, treaties, events, the sources themselves)
    is in the shared graph, so a quad store keeps the provenance of every claim.
    """
    quads = RdfDataset()
    bind_prefixes(quads)
    context = _dataset_context(dataset, base)
    for record in dataset:
        graph = quads.graph(graph_name(_graph_source(record), base))
        _record_triples(_GraphSink(graph), context, record)
    return quads


def _graph_source(record: Record) -> str | None:
    """The source whose named graph holds ``record``: a statement's own; None for shared."""
    return record.source if isinstance(record, Statement) else None


def _record_triples(sink: _Sink, context: _Context, record: Record) -> None:
    # Blank nodes are labelled after their record, so no two records' nodes meet.
    w = _Writer(sink, context, prefix=f"{record.collection}-{record.id}-")
    subject = sink.iri(context.iri_of(record.id))
    kind = getattr(record, "kind", None) if record.type == "Actor" else None
    for rdf_type in record_types(record.type, kind):
        sink.add(subject, _TYPE, sink.iri(rdf_type))
    if isinstance(record, Statement) and record.kind == "direct_quote":
        sink.add(subject, _TYPE, sink.iri(SCHEMA.Quotation))
    _emit_fields(w, subject, record, context.text_language(record))
    for term, target in _derived_links(record):
        sink.add(subject, term, w.iri(target))


def _derived_links(record: Record) -> Iterator[tuple[URIRef, str]]:
    """Established shortcuts for n-ary structures: an event's actors, a treaty's articles."""
    if isinstance(record, (MilitaryEvent, PoliticalEvent)):
        for participant in record.participants:
            yield _HAS_ACTOR, participant.actor
    elif isinstance(record, Statement) and record.kind == "direct_quote":
        yield _SPOKEN_BY, record.speaker


# Import --------------------------------------------------------------------------


class _Unreadable(Exception):
    """A graph that does not say a record the way :func:`to_graph` does."""


_COLLECTION_OF = {cls.__name__: cls.collection for cls in RECORD_TYPES}
_STRING_TYPES = (None, XSD.string)
_NUMBER_TYPES = (XSD.integer, XSD.nonNegativeInteger, XSD.decimal, XSD.double, XSD.float)
_DERIVED = {
    SEM.hasActor,
    SEM.hasTimeStamp,
    SEM.hasBeginTimeStamp,
    SEM.hasEndTimeStamp,
    SCHEMA.startDate,
    SCHEMA.endDate,
    SCHEMA.spokenByCharacter,
    SCHEMA.datePublished,
    SCHEMA.dateCreated,
    SCHEMA.legislationDate,
    PREFIXES["eli"].date_document,
    PREFIXES["eli"].first_date_entry_in_force,
    KPR.earliest,
    KPR.latest,
}
"""Shortcuts the export adds for other tools; derived, so not read back."""


@cache
def _allowed(model: type[BaseModel]) -> frozenset[URIRef]:
    """Every predicate a node of ``model`` may carry."""
    terms = {predicate(model.__name__, f) for f in field_shapes(model) if f not in ("id", "type")}
    return frozenset(terms | _DERIVED | {RDF.type, SCHEMA.sameAs, KPR.wikidataCertainty})


@attrs.define
class _Reader:
    graph: Graph
    base: str

    def record_id(self, node: Node, kinds: tuple[str, ...] | None = None) -> str:
        text = str(node)
        if not isinstance(node, URIRef) or not text.startswith(self.base):
            raise _Unreadable(f"{node} is not a record IRI under {self.base}")
        collection, _, record_id = text[len(self.base) :].partition("/")
        allowed = {_COLLECTION_OF[k] for k in kinds} if kinds else set(_COLLECTIONS)
        if collection not in allowed or not record_id:
            raise _Unreadable(f"<{node}> is not the IRI of a {' or '.join(kinds or ['record'])}")
        return record_id

    def one(self, subject: Node, term: URIRef) -> Node | None:
        values = list(self.graph.objects(subject, term))
        if len(values) > 1:
            raise _Unreadable(f"{subject} has {len(values)} values for {term}, expected one")
        return values[0] if values else None

    def rdf_list(self, head: Node) -> list[Node]:
        """The items of a well-formed RDF list: one first and one rest per cell, no cycle."""
        items, seen = [], set()
        while head != RDF.nil:
            if not isinstance(head, BNode) or head in seen:
                raise _Unreadable(f"{head} is not a cell of a well-formed RDF list")
            seen.add(head)
            first, rest = self.one(head, RDF.first), self.one(head, RDF.rest)
            if first is None or rest is None:
                raise _Unreadable(f"{head} is a list cell without rdf:first or rdf:rest")
            items.append(first)
            head = rest
        return items

    def iri_in(self, node: Node, namespace: str, what: str) -> str:
        if not isinstance(node, URIRef) or not str(node).startswith(namespace):
            raise _Unreadable(f"{node!r} is not {what} (expected an IRI under {namespace})")
        return str(node)[len(namespace) :]


def canonical_tag(tag: str) -> str:
    """A language tag in the case BCP 47 recommends: ``zh-hant-tw`` -> ``zh-Hant-TW``.

    Tags are case-insensitive, and some RDF tools lower-case them; the model
    keeps the recommended case, so tags read back are restored to it.
    """
    parts, out, singleton = tag.split("-"), [], False
    for index, part in enumerate(parts):
        if index == 0 or singleton:
            out.append(part.lower())
        elif len(part) == 1:
            singleton = True
            out.append(part.lower())
        elif len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) == 2 and part.isalpha():
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)


def _python(node: Node, item: str, field: str) -> Any:
    if not isinstance(node, RdfLiteral):
        raise _Unreadable(f"{node} is not a literal")
    tagged = node.language is not None
    if item in ("int", "float", "bool"):
        expected = (XSD.boolean,) if item == "bool" else _NUMBER_TYPES
        value = node.toPython()  # the Literal itself when its form does not fit its type
        if tagged or node.datatype not in expected or isinstance(value, RdfLiteral):
            raise _Unreadable(f"{node!r} is not a {item} literal")
        if item == "int":
            if isinstance(value, bool) or not float(value).is_integer():
                raise _Unreadable(f"{node!r} is not a whole number")
            return int(value)
        return float(value) if item == "float" else bool(value)
    if node.datatype not in _STRING_TYPES:
        raise _Unreadable(f"{node!r} is not a string literal")
    if field in EN_FIELDS and node.language != "en":
        raise _Unreadable(f"{node!r} is the curators' English: expected @en")
    if tagged and field not in EN_FIELDS and field not in VERBATIM_FIELDS:
        raise _Unreadable(f"{node!r} has a language tag where none belongs")
    return str(node)


def _read_value(r: _Reader, node: Node, shape: _Shape, rule: RefTo | None, field: str) -> Any:
    if shape.item == "ref":
        return r.record_id(node, rule.kinds if rule else None)
    if shape.model is not None:
        return _read_model(r, node, shape.model)
    return _python(node, shape.item, field)


def _read_quote(r: _Reader, node: Node) -> dict[str, Any]:
    g = r.graph
    if (node, RDF.type, OA.SpecificResource) not in g:
        raise _Unreadable(f"{node} is not an oa:SpecificResource")
    data: dict[str, Any] = {}
    seed = r.one(node, OA.hasSource)
    if seed is not None:
        data["seed"] = r.iri_in(seed, f"{r.base}seed/", "a seed")
    selectors = list(g.objects(node, OA.hasSelector))
    quotes = [s for s in selectors if (s, RDF.type, OA.TextQuoteSelector) in g]
    positions = [s for s in selectors if (s, RDF.type, OA.TextPositionSelector) in g]
    if len(quotes) != 1 or len(positions) != 1 or len(selectors) != 2:
        raise _Unreadable(f"{node} needs one quote selector and one position selector")
    exact = r.one(quotes[0], OA.exact)
    if exact is not None:
        data["text"] = _python(exact, "str", "text")
    for key, term in (("start", OA.start), ("end", OA.end)):
        value = r.one(positions[0], term)
        if value is not None:
            data[key] = _python(value, "int", key)
    lang = r.one(node, KPR.lang)
    if lang is not None:
        data["lang"] = canonical_tag(_python(lang, "str", "lang"))
    return data


def _read_model(r: _Reader, node: Node, model: type[BaseModel]) -> dict[str, Any]:
    if model is QuoteSpan:
        return _read_quote(r, node)
    if not isinstance(node, BNode) or (node, RDF.type, KPR[model.__name__]) not in r.graph:
        raise _Unreadable(f"{node} is not a blank node of type kpr:{model.__name__}")
    return _read_fields(r, node, model)


def _read_fields(r: _Reader, subject: Node, model: type[BaseModel]) -> dict[str, Any]:
    g, name = r.graph, model.__name__
    unknown = set(g.predicates(subject, None)) - _allowed(model)
    if unknown:
        terms = ", ".join(sorted(f"<{t}>" for t in unknown))
        raise _Unreadable(f"{subject} has terms a {name} does not use: {terms}")
    data: dict[str, Any] = {}
    refs = field_refs(model)
    for field, shape in field_shapes(model).items():
        if field in ("id", "type"):
            continue
        term = predicate(name, field)
        if shape.model is Wikidata:
            link = r.one(subject, SCHEMA.sameAs)
            if link is not None:
                data[field] = {"qid": r.iri_in(link, str(WD), "a Wikidata item")}
                certainty = r.one(subject, KPR.wikidataCertainty)
                if certainty is not None:
                    data[field]["certainty"] = _python(certainty, "str", "certainty")
            continue
        objects = list(g.objects(subject, term))
        if not objects:
            continue
        if shape.container in ("one", "list") and len(objects) > 1:
            raise _Unreadable(f"{subject} has {len(objects)} values for <{term}>, expected one")
        if shape.model is CuratorTranslation:
            literal = objects[0]
            if not isinstance(literal, RdfLiteral) or literal.language is None:
                raise _Unreadable(f"{subject} <{term}>: expected a language-tagged literal")
            data[field] = {"text": str(literal), "lang": canonical_tag(literal.language)}
        elif field == "position":
            data[field] = r.iri_in(objects[0], str(WD), "a Wikidata item")
        elif field == "seed":
            data[field] = r.iri_in(objects[0], f"{r.base}seed/", "a seed")
        elif shape.container in ("langmap", "langmap_list"):
            names: dict[str, list[str]] = {}
            for literal in objects:
                tag = getattr(literal, "language", None)
                if tag is None:
                    raise _Unreadable(f"{subject} <{term}>: {literal!r} has no language tag")
                names.setdefault(canonical_tag(tag), []).append(str(literal))
            if shape.container == "langmap":
                doubled = sorted(tag for tag, values in names.items() if len(values) > 1)
                if doubled:
                    raise _Unreadable(f"{subject} <{term}> has two values in {doubled}")
                data[field] = {tag: values[0] for tag, values in names.items()}
            else:
                data[field] = {tag: sorted(values) for tag, values in names.items()}
        elif shape.container == "list":
            items = r.rdf_list(objects[0])
            data[field] = [_read_value(r, i, shape, refs.get(field), field) for i in items]
        elif shape.container == "set":
            data[field] = [_read_value(r, i, shape, refs.get(field), field) for i in objects]
        else:
            data[field] = _read_value(r, objects[0], shape, refs.get(field), field)
    return data


def _undeclared(graph: Graph) -> list[Problem]:
    """kpr: terms the vocabulary does not define: a typo, or another version's data."""
    from kpr_events.ontology import declared_terms

    known = declared_terms()
    used = {p for p in graph.predicates() if isinstance(p, URIRef) and p.startswith(str(KPR))}
    used |= {
        o for o in graph.objects(None, RDF.type) if isinstance(o, URIRef) and o.startswith(str(KPR))
    }
    return [
        Problem("undeclared-term", f"<{term}> is not a term of the kpr vocabulary")
        for term in sorted(used - known)
    ]


def _triples_of(graph: Graph) -> Graph:
    """A graph of every triple, whichever named graph of a quad store it sits in."""
    if not isinstance(graph, ConjunctiveGraph):
        return graph
    union = Graph()
    for s, p, o, _ in graph.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def from_graph(graph: Graph, base: str = DEFAULT_BASE_IRI) -> Dataset:
    """Rebuild a dataset from RDF written by :func:`to_graph` (or :func:`to_quads`).

    Every record is read and validated; any problem raises one
    :class:`ValidationError` that lists them all, and no dataset is returned.
    """
    graph = _triples_of(graph)
    reader = _Reader(graph, base)
    located: list[Located] = []
    problems: list[Problem] = _undeclared(graph)
    typed: set[Node] = set()
    for cls_name, cls in _CLASSES.items():
        for subject in sorted(graph.subjects(RDF.type, KPR[cls_name]), key=str):
            typed.add(subject)
            try:
                record_id = reader.record_id(subject, (cls_name,))
                data = {"id": record_id, "type": cls_name, **_read_fields(reader, subject, cls)}
                record = RECORD_ADAPTER.validate_python(data)
            except _Unreadable as exc:
                problems.append(Problem("rdf-shape", f"<{subject}>: {exc}"))
            except pydantic.ValidationError as exc:
                for problem in _problems.from_pydantic(exc, None, (), set(_CLASSES)):
                    message = f"<{subject}>{problem.pointer}: {problem.message}"
                    problems.append(Problem(problem.code, message))
            else:
                located.append(Located(canonical(record), None, f"<{subject}>"))
    for subject in sorted({s for s in graph.subjects() if isinstance(s, URIRef)} - typed, key=str):
        if str(subject).startswith(base) and not str(subject).startswith(f"{base}seed/"):
            message = f"<{subject}> has triples but no record type (expected a kpr: record class)"
            problems.append(Problem("rdf-shape", message))
    if not located and not problems:
        problems.append(Problem("rdf-shape", "the graph holds no kpr-events record"))
    if problems:
        raise ValidationError(problems)
    return Dataset._from_located(located, ())
