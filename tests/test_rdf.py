"""RDF: exports read back by parsers that did not write it, imported losslessly."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyld import jsonld
from rdflib import Dataset as RdfDataset
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from kpr_events import DataError, Dataset, ValidationError
from kpr_events._base import canonical
from kpr_events.rdf import (
    CONTEXT_IRI,
    FORMATS,
    from_graph,
    graph_name,
    read_graph,
    serialize,
    to_graph,
    to_quads,
)
from kpr_events.vocab import KPR, OA, PROV, SCHEMA

from . import strategies
from .conftest import Result

PUTIN = "https://w3id.org/kpr-events/actor/putin"

_OXI = {
    "turtle": pyoxigraph.RdfFormat.TURTLE,
    "nt": pyoxigraph.RdfFormat.N_TRIPLES,
    "nquads": pyoxigraph.RdfFormat.N_QUADS,
    "xml": pyoxigraph.RdfFormat.RDF_XML,
}


def _refuse(url: str, options: Any = None) -> Any:
    raise AssertionError(f"pyld tried to fetch {url}")


def _pyld_nquads(text: str) -> str:
    """Expand JSON-LD with pyld, which never fetches here, to N-Quads."""
    options = {"format": "application/n-quads", "documentLoader": _refuse}
    return str(jsonld.to_rdf(json.loads(text), options))


def _canonical_quads(text: str, fmt: pyoxigraph.RdfFormat) -> set[str]:
    """A graph as a set of quads with canonical blank node labels (RDFC, in Oxigraph)."""
    data = pyoxigraph.Dataset(pyoxigraph.parse(text.encode(), format=fmt))
    data.canonicalize(pyoxigraph.CanonicalizationAlgorithm.UNSTABLE)
    return {str(quad) for quad in data}


def _same(dataset: Dataset, back: Dataset) -> None:
    assert {r.id: canonical(r) for r in dataset} == {r.id: r for r in back}


def test_packaged_round_trip(dataset: Dataset) -> None:
    """dataset -> RDF -> dataset gives back every record exactly (the fixtures are canonical)."""
    back = {r.id: r for r in from_graph(to_graph(dataset))}
    assert back == {r.id: r for r in dataset}


@pytest.mark.parametrize("fmt", sorted(_OXI))
def test_every_format_parses_with_oxigraph(dataset: Dataset, fmt: str) -> None:
    """Oxigraph, which shares no code with rdflib, reads each export to the same triple count."""
    text = serialize(dataset, fmt)
    store = pyoxigraph.Store()
    store.load(text.encode(), format=_OXI[fmt])
    assert len(store) == len(to_graph(dataset))


def test_jsonld_expands_to_the_same_graph(dataset: Dataset) -> None:
    """pyld expands the JSON-LD export (context embedded) to the graph the Turtle export holds."""
    text = serialize(dataset, "jsonld")
    document = json.loads(text)
    assert isinstance(document["@context"], dict)  # embedded: nothing to fetch
    expanded = _canonical_quads(_pyld_nquads(text), pyoxigraph.RdfFormat.N_QUADS)
    turtle = _canonical_quads(serialize(dataset, "turtle"), pyoxigraph.RdfFormat.TURTLE)
    assert expanded == turtle


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_round_trips(dataset: Dataset, fmt: str) -> None:
    """Read back with rdflib from each format, the dataset is the same."""
    text = serialize(dataset, fmt)
    graph = RdfDataset(default_union=True)  # N-Quads: read across every named graph
    graph.parse(data=text, format=FORMATS[fmt])
    _same(dataset, from_graph(graph))


def test_nquads_keep_each_source_in_its_graph(dataset: Dataset) -> None:
    """Each source's statements sit in a named graph of their own; the rest in the shared one."""
    store = pyoxigraph.Store()
    store.load(serialize(dataset, "nquads").encode(), format=pyoxigraph.RdfFormat.N_QUADS)
    for statement in dataset.statements:
        subject = pyoxigraph.NamedNode(statement.iri())
        graphs = {q.graph_name.value for q in store.quads_for_pattern(subject, None, None, None)}
        assert graphs == {str(graph_name(statement.source))}
    actor = pyoxigraph.NamedNode(dataset.actors[0].iri())
    graphs = {q.graph_name.value for q in store.quads_for_pattern(actor, None, None, None)}
    assert graphs == {str(graph_name(None))}
    assert len(list(to_quads(dataset).quads())) == len(to_graph(dataset))


@settings(
    max_examples=40, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)
@given(strategies.datasets())
def test_generated_datasets_round_trip(dataset: Dataset) -> None:
    """Any valid dataset survives RDF, up to the order of its unordered lists."""
    _same(dataset, from_graph(to_graph(dataset)))


HOSTILE = st.one_of(
    strategies.texts,
    st.sampled_from(
        [
            'quote " and backslash \\ and \\u0041',
            'triple """ quotes """ and > and <',
            "line\nbreak\r\nand\ttab",
            "رمز\u200fعربي مع تشكيل: مُحَمَّد",
            "}\n<http://example.org/x> <http://example.org/y> <http://example.org/z> .",
            '"@id": "http://evil.example/", "x": "',
        ]
    ),
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(note=HOSTILE, fmt=st.sampled_from(sorted(FORMATS)))
def test_any_text_survives_every_format(dataset: Dataset, note: str, fmt: str) -> None:
    """Strings that try to break out of a literal come back unchanged, and add no triple."""
    actor = dataset.actors[0]
    changed = Dataset([actor.model_copy(update={"notes": [note]})])
    expected = to_graph(changed)
    graph = RdfDataset(default_union=True).parse(data=serialize(changed, fmt), format=FORMATS[fmt])
    assert len(graph) == len(expected)
    assert from_graph(graph).actors[0].notes == [note]


@pytest.mark.parametrize(
    ("damage", "code"),
    [
        ("drop-name", "missing-field"),
        ("bad-kind", "invalid-value"),
        ("two-kinds", "rdf-shape"),
        ("outside-base", "rdf-shape"),
        ("untagged-name", "rdf-shape"),
    ],
)
def test_broken_graphs_are_refused(dataset: Dataset, damage: str, code: str) -> None:
    """A graph that breaks the model gives a clear error naming the record, and no dataset."""
    graph = to_graph(dataset)
    subject = URIRef(dataset["putin"].iri())
    if damage == "drop-name":
        graph.remove((subject, SCHEMA.name, None))
    elif damage == "bad-kind":
        graph.set((subject, KPR.actorKind, Literal("robot")))
    elif damage == "two-kinds":
        graph.add((subject, KPR.actorKind, Literal("state")))
    elif damage == "outside-base":
        graph.add((URIRef("http://elsewhere.example/actor/x"), RDF.type, KPR.Actor))
    elif damage == "untagged-name":
        graph.add((subject, SCHEMA.name, Literal("no language")))
    with pytest.raises(ValidationError) as caught:
        from_graph(graph)
    assert code in {p.code for p in caught.value.problems}
    assert any("<" in p.message for p in caught.value.problems)


def test_export_command(run: Callable[..., Result], tmp_path: Path, dataset: Dataset) -> None:
    """kpr-events export writes a file atomically, or to standard output."""
    target = tmp_path / "data.ttl"
    assert run("export", "--format", "turtle", "-o", target).status == 0
    assert len(Graph().parse(target, format="turtle")) == len(to_graph(dataset))
    assert [p.name for p in tmp_path.iterdir()] == ["data.ttl"]
    out = run("export", "--format", "nt").out
    assert len(Graph().parse(data=out, format="nt")) == len(to_graph(dataset))


def test_export_conforms_to_the_shapes(dataset: Dataset) -> None:
    """pySHACL finds the packaged export conforms to the shipped shapes."""
    from kpr_events.shacl import validate_graph

    conforms, report = validate_graph(to_graph(dataset))
    assert conforms, report


@pytest.mark.parametrize(
    ("damage", "words"),
    [
        ("no-name", "schema:name"),
        ("bad-kind", "kpr:actorKind"),
        ("two-speakers", "prov:wasAttributedTo"),
        ("negative-offset", "oa:start"),
        ("bad-record-iri", "Bad_ID"),
        ("unknown-certainty", "wikidataCertainty"),
        ("two-english-names", "schema:name"),
    ],
)
def test_shapes_reject_broken_graphs(dataset: Dataset, damage: str, words: str) -> None:
    """A graph that breaks a rule fails the shapes, and the report names the property."""
    from kpr_events.shacl import validate_graph

    graph = to_graph(dataset)
    putin = URIRef(dataset["putin"].iri())
    statement = URIRef(dataset.statements[0].iri())
    if damage == "no-name":
        graph.remove((putin, SCHEMA.name, None))
    elif damage == "bad-kind":
        graph.set((putin, KPR.actorKind, Literal("robot")))
    elif damage == "two-speakers":
        graph.add((statement, PROV.wasAttributedTo, putin))
        graph.add((statement, PROV.wasAttributedTo, URIRef(dataset["russia"].iri())))
    elif damage == "negative-offset":
        quote = graph.value(statement, KPR.quote)
        for selector in graph.objects(quote, OA.hasSelector):
            if graph.value(selector, OA.start) is not None:
                graph.set((selector, OA.start, Literal(-5)))
    elif damage == "bad-record-iri":
        graph.add((URIRef("https://w3id.org/kpr-events/actor/Bad_ID"), RDF.type, KPR.Actor))
    elif damage == "unknown-certainty":
        graph.add((putin, KPR.wikidataCertainty, Literal("maybe")))
    elif damage == "two-english-names":
        graph.add((putin, SCHEMA.name, Literal("Impostor", lang="en")))
    conforms, report = validate_graph(graph)
    assert not conforms
    assert words.split(":")[-1] in report


@pytest.mark.parametrize("where", ["top", "nested", "import"])
def test_remote_contexts_are_refused_without_a_request(counting_server: Any, where: str) -> None:
    """A JSON-LD context that would be fetched is an error naming it; nothing is fetched."""
    url, hits = counting_server
    remote = f"{url}/context.jsonld"
    document: dict[str, Any] = {"@id": "https://w3id.org/kpr-events/actor/x", "name": "X"}
    if where == "top":
        document["@context"] = remote
    elif where == "nested":
        document["@context"] = {"schema": "https://schema.org/"}
        document["schema:knows"] = {"@context": [remote], "@id": "https://example.org/y"}
    else:
        document["@context"] = {"@version": 1.1, "@import": remote}
    with pytest.raises(ValidationError, match="would be fetched") as caught:
        read_graph(json.dumps(document), "jsonld", "doc.jsonld")
    assert caught.value.problems[0].code == "remote-context"
    assert remote in str(caught.value)
    assert hits == []


def test_the_shipped_context_is_used_by_its_iri(dataset: Dataset, counting_server: Any) -> None:
    """A document naming the shipped context by IRI reads without a request and round trips."""
    _, hits = counting_server
    document = json.loads(serialize(dataset, "jsonld"))
    document["@context"] = CONTEXT_IRI
    graph = read_graph(json.dumps(document), "jsonld")
    _same(dataset, from_graph(graph))
    assert hits == []


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ("<a> <b> .", "turtle"),
        ('<http://x/a> <http://x/b> "unterminated .', "nt"),
        ('{"@id": ', "jsonld"),
        ("<rdf:RDF/>", "xml"),
    ],
)
def test_malformed_rdf_is_a_clear_error(text: str, fmt: str) -> None:
    with pytest.raises(DataError) as caught:
        read_graph(text, fmt, "bad-input")
    problem = caught.value.problems[0]
    assert problem.code in ("rdf-syntax", "json-syntax")
    assert "bad-input" in str(caught.value)


def test_undeclared_terms_are_refused(dataset: Dataset) -> None:
    """A kpr: term the vocabulary does not define is named, and no dataset is built."""
    graph = to_graph(dataset)
    graph.add((URIRef(dataset["putin"].iri()), KPR.favouriteColour, Literal("red")))
    with pytest.raises(ValidationError) as caught:
        from_graph(graph)
    assert "undeclared-term" in {p.code for p in caught.value.problems}
    assert "favouriteColour" in caught.value.problems[0].message


@pytest.mark.parametrize(
    ("damage", "code"),
    [
        ("no-name", "missing-field"),
        ("bad-kind", "invalid-value"),
        ("two-speakers", "rdf-shape"),
        ("negative-offset", "invalid-value"),
        ("no-quote-source", "missing-field"),
    ],
)
def test_graphs_that_break_the_shapes_are_refused_by_from_graph(
    dataset: Dataset, damage: str, code: str
) -> None:
    """What the shapes refuse, from_graph refuses too, with a code and the record's IRI."""
    graph = to_graph(dataset)
    putin = URIRef(dataset["putin"].iri())
    statement = URIRef(dataset.statements[0].iri())
    quote = graph.value(statement, KPR.quote)
    if damage == "no-name":
        graph.remove((putin, SCHEMA.name, None))
    elif damage == "bad-kind":
        graph.set((putin, KPR.actorKind, Literal("robot")))
    elif damage == "two-speakers":
        graph.add((statement, PROV.wasAttributedTo, URIRef(dataset["russia"].iri())))
    elif damage == "negative-offset":
        for selector in graph.objects(quote, OA.hasSelector):
            if graph.value(selector, OA.start) is not None:
                graph.set((selector, OA.start, Literal(-5)))
    elif damage == "no-quote-source":
        graph.remove((quote, OA.hasSource, None))
    with pytest.raises(ValidationError) as caught:
        from_graph(graph)
    assert code in {p.code for p in caught.value.problems}
    named = {str(statement), str(putin)}
    assert any(iri in p.message for p in caught.value.problems for iri in named)


@pytest.mark.parametrize(
    "damage",
    [
        "two-english-names",
        "notes-as-literal",
        "speaker-in-wrong-collection",
        "foreign-same-as",
        "typo-in-established-term",
        "tagged-enum",
        "offset-as-string",
        "untyped-record",
    ],
)
def test_malformed_graphs_are_never_read_silently(dataset: Dataset, damage: str) -> None:
    """Each way a graph can misstate a record is an error, never a quietly changed record."""
    graph = to_graph(dataset)
    putin = URIRef(dataset["putin"].iri())
    statement = URIRef(dataset.statements[0].iri())
    base = "https://w3id.org/kpr-events/"
    if damage == "two-english-names":
        graph.add((putin, SCHEMA.name, Literal("Impostor", lang="en")))
    elif damage == "notes-as-literal":
        graph.set((putin, KPR.notes, Literal("a note")))
    elif damage == "speaker-in-wrong-collection":
        graph.set((statement, PROV.wasAttributedTo, URIRef(base + "place/putin")))
    elif damage == "foreign-same-as":
        graph.set((putin, SCHEMA.sameAs, URIRef("http://dbpedia.org/resource/Q7747")))
    elif damage == "typo-in-established-term":
        graph.add((putin, SCHEMA.descripton, Literal("typo", lang="en")))
    elif damage == "tagged-enum":
        graph.set((putin, KPR.actorKind, Literal("person", lang="en")))
    elif damage == "offset-as-string":
        quote = graph.value(statement, KPR.quote)
        for selector in graph.objects(quote, OA.hasSelector):
            if graph.value(selector, OA.start) is not None:
                graph.set((selector, OA.start, Literal("260")))
    elif damage == "untyped-record":
        graph.add((URIRef(base + "actor/ghost"), SCHEMA.name, Literal("Ghost", lang="en")))
    with pytest.raises(ValidationError):
        from_graph(graph)


def test_numbers_survive_turtle_exactly(dataset: Dataset) -> None:
    """A fractional figure is written as an exact xsd:decimal, in Turtle as in N-Triples."""
    statement = next(s for s in dataset.statements if s.figures)
    figure = statement.figures[0].model_copy(update={"value": 2672323.941987667, "about": []})
    alone = {"figures": [figure], "refers_to": [], "responds_to": [], "made_at": None}
    alone |= {"relayed_by": [], "date": None}
    changed = Dataset([*dataset.actors, *dataset.sources, statement.model_copy(update=alone)])
    graph = Graph().parse(data=serialize(changed, "turtle"), format="turtle")
    back = from_graph(graph)
    assert back.get(statement.id, type(statement)).figures[0].value == 2672323.941987667


def test_exports_are_reproducible(dataset: Dataset) -> None:
    """The same dataset gives the same file, blank nodes included."""
    for fmt in ("turtle", "nt", "nquads", "jsonld"):
        assert serialize(dataset, fmt) == serialize(dataset, fmt)


def test_quads_read_from_any_quad_store(dataset: Dataset) -> None:
    """N-Quads read into a plain rdflib Dataset (no union graph) give back every record."""
    quads = RdfDataset()
    quads.parse(data=serialize(dataset, "nquads"), format="nquads")
    _same(dataset, from_graph(quads))


def test_an_empty_graph_is_not_a_dataset() -> None:
    with pytest.raises(ValidationError, match="holds no kpr-events record"):
        from_graph(Graph())


def test_language_tags_survive_tools_that_lower_case_them(dataset: Dataset) -> None:
    """pyld lower-cases tags (zh-Hans -> zh-hans); reading back restores the recommended case."""
    putin = dataset.get("putin", type(dataset["putin"]))
    names = {**putin.name, "zh-Hans": "普京", "sr-Latn-RS": "Putin"}
    changed = Dataset([*dataset.actors, *dataset.sources])
    changed = Dataset(
        [putin.model_copy(update={"name": names}) if r.id == "putin" else r for r in changed]
    )
    nquads = _pyld_nquads(serialize(changed, "jsonld"))
    assert "@zh-hans" in nquads
    back = from_graph(read_graph(nquads, "nquads"))
    assert back["putin"] == canonical(changed["putin"])


@pytest.mark.parametrize(
    ("fmt", "suffix"),
    [("turtle", ".ttl"), ("nt", ".nt"), ("nquads", ".nq"), ("jsonld", ".jsonld"), ("xml", ".rdf")],
)
def test_validate_reads_rdf_files(
    run: Callable[..., Result], tmp_path: Path, fmt: str, suffix: str
) -> None:
    """An export validates as it is; a triple no record uses is reported with file and line."""
    path = tmp_path / f"kpr{suffix}"
    assert run("export", "--format", fmt, "-o", path).status == 0
    result = run("validate", path)
    assert result.status == 0, result.out
    assert result.err.startswith("valid: 1 file(s) checked")
    if fmt in ("nt", "nquads"):
        with path.open("a", encoding="utf-8") as f:
            f.write(f'<{PUTIN}> <{KPR}favouriteColour> "red" .\n')
        lines = path.read_text(encoding="utf-8").count("\n")
        result = run("validate", "--format", "json", path)
        assert result.status == 1
        problems = json.loads(result.out)
        assert {p["code"] for p in problems} == {"undeclared-term", "rdf-shape"}
        assert {p["path"] for p in problems} == {str(path)}
        undeclared = next(p for p in problems if p["code"] == "undeclared-term")
        assert undeclared["line"] == lines
