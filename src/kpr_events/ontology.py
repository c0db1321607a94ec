"""The ``kpr:`` vocabulary as an OWL ontology, generated from the models.

Every class and every ``kpr:`` property the RDF export uses is declared with
an English label, the model's own description as its comment, and its domain
and range, so a triplestore user can read what a term means without this code.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from kpr_events import rdf
from kpr_events._refs import field_refs
from kpr_events.vocab import KPR, OA, SCHEMA, predicate

__all__ = ["VOCAB_IRI", "declared_terms", "ontology"]

VOCAB_IRI = URIRef(str(KPR).rstrip("#"))

_RANGES = {"str": XSD.string, "int": XSD.integer, "float": XSD.decimal, "bool": XSD.boolean}
_TAGGED = {
    KPR[_f]
    for _f in (
        "notes",
        "inferredFrom",
        "restsOn",
        "counts",
        "medium",
        "inForceHow",
        "saidAs",
        "text",
        "translation",
    )
}


def _ref_kinds(term: URIRef) -> set[str]:
    """The record types a reference property may point at, over every model using it."""
    return {
        kind
        for model in _models()
        for field, rule in field_refs(model).items()
        if rule is not None and predicate(model.__name__, field) == term
        for kind in rule.kinds
    }


def field_name(term: URIRef) -> str:
    return str(term).split("#")[-1]


# kpr: terms the export writes beside the model's own fields.
_EXTRA: dict[str, tuple[str, URIRef, URIRef | None]] = {
    "wikidataCertainty": (
        "How sure the link to Wikidata is: `uncertain` where marked so.",
        XSD.string,
        None,
    ),
    "lang": (
        "The language of quoted words that are not in their source's language.",
        XSD.string,
        None,
    ),
    "earliest": ("The first day a date can mean.", XSD.date, KPR.DateValue),
    "latest": ("The last day a date can mean.", XSD.date, KPR.DateValue),
}


def _models() -> list[type[BaseModel]]:
    """Every model class written as kpr: nodes, records first."""
    return [m for m in rdf.models() if m.__name__ not in rdf.WRITTEN_APART]


def _label(name: str) -> str:
    words = "".join(f" {c.lower()}" if c.isupper() else c for c in name).strip().replace("_", " ")
    return words[:1].upper() + words[1:]


def _first_paragraph(text: str | None) -> str:
    return " ".join((text or "").split("\n\n")[0].split())


def ontology() -> Graph:
    g = Graph()
    rdf.bind_prefixes(g)
    g.add((VOCAB_IRI, RDF.type, OWL.Ontology))
    g.add((VOCAB_IRI, RDFS.label, Literal("kpr-events vocabulary", lang="en")))
    g.add((VOCAB_IRI, RDFS.comment, Literal(_first_paragraph(__doc__), lang="en")))
    domains: dict[URIRef, list[URIRef]] = {}
    details: dict[URIRef, tuple[str, Any]] = {}
    for model in _models():
        cls = KPR[model.__name__]
        g.add((cls, RDF.type, OWL.Class))
        g.add((cls, RDFS.label, Literal(_label(model.__name__), lang="en")))
        g.add((cls, RDFS.comment, Literal(_first_paragraph(model.__doc__), lang="en")))
        for field, shape in rdf.field_shapes(model).items():
            term = predicate(model.__name__, field)
            if field in ("id", "type") or not str(term).startswith(str(KPR)):
                continue
            if shape.model is not None and shape.model.__name__ == "Wikidata":
                continue  # written as schema:sameAs
            domains.setdefault(term, []).append(cls)
            info = model.model_fields[field]
            said = _first_paragraph(info.description or _label(field))
            known, _ = details.get(term, ("", shape))
            if said not in known.split(" / "):
                said = f"{known} / {said}" if known else said
            details[term] = (said, shape)
    for term, classes in domains.items():
        description, shape = details[term]
        kind = OWL.ObjectProperty if shape.item == "ref" or shape.model else OWL.DatatypeProperty
        if shape.container == "list":
            kind = OWL.ObjectProperty
        g.add((term, RDF.type, kind))
        g.add((term, RDFS.label, Literal(_label(str(term).split("#")[1]), lang="en")))
        g.add((term, RDFS.comment, Literal(_first_paragraph(description), lang="en")))
        if len(set(classes)) == 1:
            g.add((term, RDFS.domain, classes[0]))
        else:
            for cls in sorted(set(classes)):
                g.add((term, SCHEMA.domainIncludes, cls))
        special = shape.model.__name__ if shape.model is not None else None
        if shape.container == "list":
            g.add((term, RDFS.range, RDF.List))
        elif special == "CuratorTranslation":
            g.set((term, RDF.type, OWL.DatatypeProperty))
            g.add((term, RDFS.range, RDF.langString))
        elif special == "QuoteSpan":
            g.add((term, RDFS.range, OA.SpecificResource))
        elif shape.model is not None:
            g.add((term, RDFS.range, KPR[shape.model.__name__]))
        elif shape.container in ("langmap", "langmap_list") or term in _TAGGED:
            g.add((term, RDFS.range, RDF.langString))
        elif shape.item == "ref":
            kinds = {
                k
                for m in _models()
                for f, r in field_refs(m).items()
                if r and predicate(m.__name__, f) == term
                for k in r.kinds
            }
            if len(kinds) == 1:
                g.add((term, RDFS.range, KPR[kinds.pop()]))
        elif field_name(term) in ("position", "seed"):
            g.set((term, RDF.type, OWL.ObjectProperty))
        elif shape.item in _RANGES:
            g.add((term, RDFS.range, _RANGES[shape.item]))
    for name, (comment, range_, domain) in _EXTRA.items():
        term = KPR[name]
        g.add((term, RDF.type, OWL.DatatypeProperty))
        g.add((term, RDFS.label, Literal(_label(name), lang="en")))
        g.add((term, RDFS.comment, Literal(comment, lang="en")))
        g.add((term, RDFS.range, range_))
        if domain is not None:
            g.add((term, RDFS.domain, domain))
    return g


@cache
def declared_terms() -> frozenset[URIRef]:
    """Every kpr: class and property the ontology declares."""
    graph = ontology()
    return frozenset(
        subject
        for subject in graph.subjects(RDF.type, None)
        if isinstance(subject, URIRef) and str(subject).startswith(str(KPR))
    )
