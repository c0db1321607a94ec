"""SHACL shapes for the RDF export, generated from the JSON Schemas.

The shapes state in RDF what the JSON Schemas state in JSON: required fields
(``sh:minCount``), single values (``sh:maxCount``), patterns, allowed values
(``sh:in``), bounds, and which kind of node each value is. A graph that
conforms is one :func:`kpr_events.from_graph` can read.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Node

from kpr_events import rdf
from kpr_events._fields import SLUG_PATTERN
from kpr_events._refs import field_refs
from kpr_events.models import DEFAULT_BASE_IRI, RECORD_TYPES, Statement
from kpr_events.schema import generate_schemas, schema_name
from kpr_events.vocab import EN_FIELDS, KPR, OA, SCHEMA, VERBATIM_FIELDS, WD, predicate

__all__ = ["shapes", "validate_graph"]

SHAPES = URIRef("https://w3id.org/kpr-events/shapes#")
_DATATYPES = {"str": XSD.string, "int": XSD.integer, "bool": XSD.boolean}
_COLLECTION_OF = {cls.__name__: cls.collection for cls in RECORD_TYPES}
_SLUG = SLUG_PATTERN.strip("^$")


def _shape_iri(name: str, field: str | None = None) -> URIRef:
    return URIRef(f"{SHAPES}{name}" + (f"-{field}" if field else ""))


def _unwrap(prop: dict[str, Any]) -> dict[str, Any]:
    """The schema of a value: past an optional's null branch and a list's items."""
    if "anyOf" in prop:
        branches = [b for b in prop["anyOf"] if b.get("type") != "null"]
        if len(branches) == 1:
            return _unwrap(branches[0])
    if prop.get("type") == "array":
        return _unwrap(prop.get("items", {}))
    return prop


def _constrain(g: Graph, node: URIRef, schema: dict[str, Any]) -> None:
    if "pattern" in schema:
        g.add((node, SH.pattern, Literal(schema["pattern"])))
    if "enum" in schema or "const" in schema:
        values = schema.get("enum", [schema.get("const")])
        g.add(
            (
                node,
                SH["in"],
                _rdf_list(g, [Literal(v) for v in values], f"{node}-in".rsplit("#", 1)[-1]),
            )
        )
    for keyword, term in (("minimum", SH.minInclusive), ("maximum", SH.maxInclusive)):
        if keyword in schema:
            g.add((node, term, Literal(schema[keyword])))


def _property(
    g: Graph, owner: str, model: type[BaseModel], field: str, prop: dict[str, Any], required: bool
) -> URIRef | None:
    shape = rdf.field_shapes(model)[field]
    if field in ("id", "type"):
        return None
    node = _shape_iri(owner, field)
    path = predicate(owner, field)
    value = _unwrap(prop)
    g.add((node, RDF.type, SH.PropertyShape))
    g.add((node, SH.path, path))
    if required:
        g.add((node, SH.minCount, Literal(1)))
    if shape.container in ("one", "list"):
        g.add((node, SH.maxCount, Literal(1)))
    if shape.model is not None and shape.model.__name__ == "Wikidata":
        g.set((node, SH.path, SCHEMA.sameAs))
        g.add((node, SH.nodeKind, SH.IRI))
        g.add((node, SH.pattern, Literal(f"^{WD}Q[1-9][0-9]*$")))
        certainty = _shape_iri(owner, "wikidata-certainty")
        g.add((certainty, RDF.type, SH.PropertyShape))
        g.add((certainty, SH.path, KPR.wikidataCertainty))
        g.add((certainty, SH.maxCount, Literal(1)))
        g.add((certainty, SH.datatype, XSD.string))
        label = f"{owner}-wikidata-certainty-in"
        values = [Literal("checked"), Literal("uncertain")]
        g.add((certainty, SH["in"], _rdf_list(g, values, label)))
        g.add((_shape_iri(owner), SH.property, certainty))
    elif shape.model is not None and shape.model.__name__ == "QuoteSpan":
        g.add((node, SH["class"], OA.SpecificResource))
        g.add((node, SH.node, _shape_iri("QuoteSpan")))
    elif shape.model is not None and shape.model.__name__ == "CuratorTranslation":
        g.add((node, SH.datatype, RDF.langString))
    elif shape.container == "list":
        g.add((node, SH.nodeKind, SH.BlankNode))
    elif shape.item == "ref":
        g.add((node, SH.nodeKind, SH.IRI))
        rule = field_refs(model).get(field)
        if rule is not None:
            collections = "|".join(sorted({_COLLECTION_OF[k] for k in rule.kinds}))
            g.add((node, SH.pattern, Literal(f"^{DEFAULT_BASE_IRI}({collections})/{_SLUG}$")))
    elif field in ("position", "seed"):
        g.add((node, SH.nodeKind, SH.IRI))
    elif shape.model is not None:
        g.add((node, SH.node, _shape_iri(shape.model.__name__)))
    elif shape.container in ("langmap", "langmap_list"):
        g.add((node, SH.datatype, RDF.langString))
        _constrain(g, node, _unwrap(value.get("additionalProperties", {})))
        if shape.container == "langmap":
            g.add((node, SH.uniqueLang, Literal(True)))
        if "en" in value.get("required", []):
            english = BNode(f"{owner}-{field}-en")
            g.add((english, SH.languageIn, _rdf_list(g, [Literal("en")], f"{owner}-{field}-en-l")))
            g.add((node, SH.qualifiedValueShape, english))
            g.add((node, SH.qualifiedMinCount, Literal(1)))
    elif shape.item == "float":
        g.add((node, SH.nodeKind, SH.Literal))
        _constrain(g, node, value)
    elif field in EN_FIELDS:
        g.add((node, SH.languageIn, _rdf_list(g, [Literal("en")], f"{owner}-{field}-l")))
        _constrain(g, node, value)
    elif field in VERBATIM_FIELDS:
        g.add((node, SH.nodeKind, SH.Literal))
        _constrain(g, node, value)
    elif shape.item == "str":
        g.add((node, SH.datatype, XSD.string))
        _constrain(g, node, value)
    else:
        g.add((node, SH.datatype, _DATATYPES[shape.item]))
        _constrain(g, node, value)
    return node


def _rdf_list(g: Graph, items: list[Literal], label: str) -> Node:
    """An RDF list with labelled blank nodes, so the shapes file is the same every time."""
    head: Node = RDF.nil
    for index, item in reversed(list(enumerate(items))):
        cell = BNode(f"{label}{index}")
        g.add((cell, RDF.first, item))
        g.add((cell, RDF.rest, head))
        head = cell
    return head


def _node_shape(g: Graph, model: type[BaseModel], schema: dict[str, Any], target: bool) -> None:
    name = model.__name__
    node = _shape_iri(name)
    g.add((node, RDF.type, SH.NodeShape))
    if target:
        g.add((node, SH.targetClass, KPR[name]))
        iri = f"^{DEFAULT_BASE_IRI}{_COLLECTION_OF[name]}/{_SLUG}$"
        g.add((node, SH.nodeKind, SH.IRI))
        g.add((node, SH.pattern, Literal(iri)))
    required = set(schema.get("required", []))
    for field, prop in schema.get("properties", {}).items():
        if field not in model.model_fields:
            continue
        prop_node = _property(g, name, model, field, prop, field in required)
        if prop_node is not None:
            g.add((node, SH.property, prop_node))


def _quote_shapes(g: Graph, span: dict[str, Any]) -> None:
    """Quote spans are Web Annotation resources: a source and two selectors."""
    resource = _shape_iri("QuoteSpan")
    g.add((resource, RDF.type, SH.NodeShape))
    rules = [
        (resource, "source", OA.hasSource, (1, 1), SH.IRI, None),
        (resource, "selectors", OA.hasSelector, (2, 2), SH.BlankNode, None),
        (_shape_iri("TextQuoteSelector"), "exact", OA.exact, (1, 1), SH.Literal, "text"),
        (_shape_iri("TextPositionSelector"), "start", OA.start, (1, 1), SH.Literal, "start"),
        (_shape_iri("TextPositionSelector"), "end", OA.end, (1, 1), SH.Literal, "end"),
    ]
    g.add((_shape_iri("TextQuoteSelector"), RDF.type, SH.NodeShape))
    g.add((_shape_iri("TextQuoteSelector"), SH.targetClass, OA.TextQuoteSelector))
    g.add((_shape_iri("TextPositionSelector"), RDF.type, SH.NodeShape))
    g.add((_shape_iri("TextPositionSelector"), SH.targetClass, OA.TextPositionSelector))
    for owner, name, path, (low, high), kind, field in rules:
        prop = URIRef(f"{owner}-{name}")
        g.add((owner, SH.property, prop))
        g.add((prop, RDF.type, SH.PropertyShape))
        g.add((prop, SH.path, path))
        g.add((prop, SH.minCount, Literal(low)))
        g.add((prop, SH.maxCount, Literal(high)))
        g.add((prop, SH.nodeKind, kind))
        if field == "text":
            _constrain(g, prop, _unwrap(span["properties"][field]))
        elif field is not None:
            g.add((prop, SH.datatype, XSD.nonNegativeInteger))
            _constrain(g, prop, span["properties"][field])


def shapes() -> Graph:
    """The shapes graph: one node shape per record type and per value type."""
    g = Graph()
    rdf.bind_prefixes(g)
    g.bind("sh", SH)
    g.bind("shape", SHAPES)
    schemas = generate_schemas()
    _quote_shapes(g, schemas[schema_name(Statement)]["$defs"]["QuoteSpan"])
    for model in RECORD_TYPES:
        schema = schemas[schema_name(model)]
        _node_shape(g, model, schema, target=True)
        for name, definition in schema.get("$defs", {}).items():
            value_model = {m.__name__: m for m in rdf.models()}.get(name)
            if value_model is None or name in rdf.WRITTEN_APART:
                continue
            if (_shape_iri(name), RDF.type, SH.NodeShape) not in g:
                _node_shape(g, value_model, definition, target=False)
    return g


def validate_graph(graph: Graph) -> tuple[bool, str]:
    """Check ``graph`` against the shapes with pySHACL (a test-time tool); (conforms, report)."""
    from pyshacl import validate  # not a runtime dependency

    conforms, _, text = validate(graph, shacl_graph=shapes(), advanced=False, inference="none")
    return bool(conforms), str(text)
