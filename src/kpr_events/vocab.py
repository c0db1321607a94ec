"""The RDF vocabulary: namespaces, and which established term says what.

Every field of every model has one predicate. Where an established
vocabulary has the term (schema.org, PROV-O, the Web Annotation model, the
Simple Event Model, ELI) that term is used; the rest are ``kpr:`` terms,
defined in the ontology shipped with the package (``kpr_events/kpr.ttl``).
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

__all__ = [
    "ELI",
    "EN_FIELDS",
    "KPR",
    "OA",
    "PREFIXES",
    "PROV",
    "SCHEMA",
    "SEM",
    "VERBATIM_FIELDS",
    "WD",
    "predicate",
    "record_types",
]

KPR = Namespace("https://w3id.org/kpr-events/vocab#")
SCHEMA = Namespace("https://schema.org/")
PROV = Namespace("http://www.w3.org/ns/prov#")
OA = Namespace("http://www.w3.org/ns/oa#")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
WD = Namespace("http://www.wikidata.org/entity/")

PREFIXES: dict[str, Namespace] = {
    "kpr": KPR,
    "schema": SCHEMA,
    "prov": PROV,
    "oa": OA,
    "sem": SEM,
    "eli": ELI,
    "wd": WD,
    "owl": Namespace(str(OWL)),
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "xsd": Namespace(str(XSD)),
}

_RECORD_TYPES: dict[str, tuple[URIRef, ...]] = {
    "Actor": (KPR.Actor, PROV.Agent),
    "Place": (KPR.Place, SCHEMA.Place),
    "Treaty": (KPR.Treaty, SCHEMA.Legislation, ELI.LegalResource),
    "Article": (KPR.Article, SCHEMA.Legislation, ELI.LegalResource),
    "MilitaryEvent": (KPR.MilitaryEvent, SEM.Event, SCHEMA.Event),
    "PoliticalEvent": (KPR.PoliticalEvent, SEM.Event, SCHEMA.Event),
    "Statement": (KPR.Statement, SCHEMA.Claim, PROV.Entity),
    "Source": (KPR.Source, SCHEMA.NewsArticle, PROV.Entity),
}
_ACTOR_TYPES = {
    "person": SCHEMA.Person,
    "state": SCHEMA.Country,
    "organization": SCHEMA.Organization,
    "group": SCHEMA.Organization,
}


def record_types(record_type: str, actor_kind: str | None = None) -> tuple[URIRef, ...]:
    """The classes of a record: its own ``kpr:`` class first, then established ones."""
    types = _RECORD_TYPES[record_type]
    if actor_kind is not None:
        types = (*types, _ACTOR_TYPES[actor_kind])
    return types


# Fields whose predicate is an established term, or a kpr: term named other
# than the field, by (model, field); "*" applies to every model.
_TERMS: dict[tuple[str, str], URIRef] = {
    ("*", "name"): SCHEMA.name,
    ("*", "aliases"): SCHEMA.alternateName,
    ("*", "description"): SCHEMA.description,
    # A statement is derived from the article that reports it; a treaty or an
    # event is only reported in one, so it gets kpr:reportedIn, not PROV.
    ("*", "sources"): KPR.reportedIn,
    ("*", "according_to"): KPR.reportedIn,
    ("Statement", "source"): PROV.wasDerivedFrom,
    ("Actor", "kind"): KPR.actorKind,
    ("Place", "kind"): KPR.placeKind,
    ("Place", "within"): SCHEMA.containedInPlace,
    ("Treaty", "kind"): KPR.treatyKind,
    ("Article", "treaty"): ELI.is_part_of,
    ("Article", "summary"): SCHEMA.abstract,
    ("Article", "text"): KPR.wording,
    ("Article", "refers_to"): KPR.cites,
    ("MilitaryEvent", "summary"): SCHEMA.description,
    ("PoliticalEvent", "summary"): SCHEMA.description,
    ("MilitaryEvent", "places"): SEM.hasPlace,
    ("PoliticalEvent", "places"): SEM.hasPlace,
    ("MilitaryEvent", "part_of"): SCHEMA.superEvent,
    ("PoliticalEvent", "part_of"): SCHEMA.superEvent,
    ("Statement", "kind"): KPR.statementKind,
    ("Statement", "speaker"): PROV.wasAttributedTo,
    ("Statement", "refers_to"): SCHEMA.about,
    ("Figure", "about"): SCHEMA.about,
    ("Source", "title"): SCHEMA.headline,
    ("Source", "publisher"): SCHEMA.publisher,
    ("Source", "language"): SCHEMA.inLanguage,
    ("Role", "title"): SCHEMA.roleName,
}

VERBATIM_FIELDS = frozenset({"said_as", "text", "title"})
"""Text fields holding a source's own words: tagged with the source's language."""

EN_FIELDS = frozenset(
    {
        "notes",
        "description",
        "summary",
        "inferred_from",
        "rests_on",
        "counts",
        "medium",
        "in_force_how",
    }
)
"""Text fields written by the curators in English: their literals are tagged ``@en``."""


def _camel(field: str) -> str:
    first, *rest = field.split("_")
    return first + "".join(part.title() for part in rest)


def predicate(model: str, field: str) -> URIRef:
    """The predicate for ``field`` of ``model``."""
    term = _TERMS.get((model, field)) or _TERMS.get(("*", field))
    return term if term is not None else KPR[_camel(field)]
