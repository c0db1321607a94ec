"""A remote triplestore: push over the SPARQL 1.1 Graph Store HTTP Protocol, query over SPARQL.

:func:`push` sends one named graph per source (its statements) and one for the
shared records, or everything to one graph, and replaces each with a ``PUT``,
which stores apply as one change: a reader sees the old graph or the new one,
never half of one. A push that fails part-way leaves every graph it had not
yet replaced as it was, and says which it had.

Any store that speaks the protocols works: Oxigraph, Jena Fuseki, GraphDB,
Virtuoso… Credentials come from the environment (:data:`TOKEN_VARIABLE`, or
:data:`USER_VARIABLE` and :data:`PASSWORD_VARIABLE`), never from a URL or an
argument, and no message or log line shows them.
"""

from __future__ import annotations

import gzip
import json
import urllib.parse
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs
from rdflib import Graph, URIRef

from kpr_events._http import (
    PASSWORD_VARIABLE,
    TOKEN_VARIABLE,
    USER_VARIABLE,
    Credentials,
    Reply,
    RetryPolicy,
    Transport,
    check_endpoint,
)
from kpr_events.dataset import Dataset
from kpr_events.errors import StoreError
from kpr_events.models import DEFAULT_BASE_IRI
from kpr_events.rdf import bind_prefixes, graph_name, to_graph, to_quads
from kpr_events.sparql import Answer

__all__ = [
    "PASSWORD_VARIABLE",
    "TOKEN_VARIABLE",
    "USER_VARIABLE",
    "Credentials",
    "GraphStore",
    "PushedGraph",
    "RetryPolicy",
    "SparqlEndpoint",
    "Transport",
    "dataset_graphs",
    "push",
]

N_TRIPLES = "application/n-triples"
SPARQL_RESULTS = "application/sparql-results+json"


@attrs.frozen
class PushedGraph:
    """One graph the store has taken: its name, its size, and whether it is new there."""

    iri: str
    triples: int
    created: bool


def dataset_graphs(
    dataset: Dataset, graph: str | None = None, base: str = DEFAULT_BASE_IRI
) -> dict[str, Graph]:
    """The graphs a push sends, by name: the shared one first, then one per source.

    With ``graph``, the whole dataset goes to that one graph instead.
    """
    if graph is not None:
        return {graph: to_graph(dataset, base)}
    quads = to_quads(dataset, base)
    shared = str(graph_name(None, base))
    graphs: dict[str, Graph] = {}
    for named in sorted(quads.graphs(), key=lambda g: (str(g.identifier) != shared, str(g))):
        if isinstance(named.identifier, URIRef) and len(named):
            copy = Graph()
            bind_prefixes(copy)
            for triple in named:
                copy.add(triple)
            graphs[str(named.identifier)] = copy
    return graphs


@attrs.frozen
class GraphStore:
    """A Graph Store Protocol endpoint (Oxigraph's ``/store``, Fuseki's ``/DATASET/data``…)."""

    endpoint: str = attrs.field(converter=check_endpoint)
    transport: Transport = attrs.field(factory=Transport)
    compress: bool = False
    """Send each graph gzip-compressed (``Content-Encoding: gzip``), for large graphs."""

    def graph_url(self, iri: str) -> str:
        separator = "&" if urllib.parse.urlsplit(self.endpoint).query else "?"
        return f"{self.endpoint}{separator}{urllib.parse.urlencode({'graph': iri})}"

    def put(self, iri: str, graph: Graph) -> PushedGraph:
        """Replace the graph ``iri`` in the store with ``graph``, in one request."""
        body = graph.serialize(format="nt", encoding="utf-8")
        headers = {"Content-Type": f"{N_TRIPLES}; charset=utf-8"}
        if self.compress:
            body = gzip.compress(body, mtime=0)
            headers["Content-Encoding"] = "gzip"
        reply = self.transport.send(
            "PUT", self.graph_url(iri), body=body, headers=headers, endpoint=self.endpoint
        )
        if not 200 <= reply.status < 300:
            raise StoreError(
                "store-garbage",
                f"{self.endpoint}: HTTP {reply.status} to a PUT (expected 200, 201 or 204)",
                self.endpoint,
            )
        return PushedGraph(iri, len(graph), created=reply.status == 201)

    def push(
        self,
        graphs: Mapping[str, Graph],
        on_graph: Callable[[PushedGraph], None] | None = None,
    ) -> list[PushedGraph]:
        """Replace each graph in turn; a failure names the graphs already replaced."""
        done: list[PushedGraph] = []
        for iri, graph in graphs.items():
            try:
                pushed = self.put(iri, graph)
            except StoreError as exc:
                if done:
                    names = ", ".join(p.iri for p in done)
                    note = f"{len(done)} graph(s) replaced before it ({names}), the rest untouched"
                else:
                    note = "no graph replaced"
                raise StoreError(exc.code, f"{exc}, sending {iri}; {note}", self.endpoint) from None
            done.append(pushed)
            if on_graph is not None:
                on_graph(pushed)
        return done


def push(
    dataset: Dataset,
    endpoint: str,
    *,
    graph: str | None = None,
    base: str = DEFAULT_BASE_IRI,
    transport: Transport | None = None,
    compress: bool = False,
    on_graph: Callable[[PushedGraph], None] | None = None,
) -> list[PushedGraph]:
    """Send ``dataset`` to the Graph Store Protocol ``endpoint``; see the module docstring."""
    store = GraphStore(endpoint, transport or Transport(), compress)
    return store.push(dataset_graphs(dataset, graph, base), on_graph)


@attrs.frozen
class SparqlEndpoint:
    """A SPARQL Protocol query endpoint (Oxigraph's ``/query``, Fuseki's ``/DATASET/sparql``…).

    ``default_graphs`` become ``default-graph-uri`` parameters: the graphs a
    query sees as its default graph, for stores that do not use the union of
    their named graphs.
    """

    endpoint: str = attrs.field(converter=check_endpoint)
    transport: Transport = attrs.field(factory=Transport)
    default_graphs: Sequence[str] = ()

    def run(self, query: str) -> Answer:
        """Run a SELECT or ASK query; the answer has the shape of a local one."""
        url = self.endpoint
        if self.default_graphs:
            params = urllib.parse.urlencode([("default-graph-uri", g) for g in self.default_graphs])
            url += ("&" if urllib.parse.urlsplit(url).query else "?") + params
        reply = self.transport.send(
            "POST",
            url,
            body=query.encode("utf-8"),
            headers={
                "Content-Type": "application/sparql-query; charset=utf-8",
                "Accept": SPARQL_RESULTS,
            },
            endpoint=self.endpoint,
        )
        return _answer(reply, self.endpoint)


def _garbage(endpoint: str, what: str) -> StoreError:
    return StoreError(
        "store-garbage",
        f"{endpoint}: the answer is not SPARQL JSON results ({what})",
        endpoint,
    )


def _answer(reply: Reply, endpoint: str) -> Answer:
    media = reply.content_type.split(";")[0].strip().lower()
    if media not in (SPARQL_RESULTS, "application/json"):
        raise _garbage(
            endpoint, f"Content-Type {media or 'missing'}; expected the answer to a SELECT or ASK"
        )
    try:
        document: Any = json.loads(reply.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise _garbage(endpoint, f"not JSON: {str(exc)[:100]}") from None
    if not isinstance(document, dict):
        raise _garbage(endpoint, "not an object")
    if isinstance(document.get("boolean"), bool):
        return Answer(("ask",), (("true" if document["boolean"] else "false",),))
    head, results = document.get("head"), document.get("results")
    columns = head.get("vars") if isinstance(head, dict) else None
    bindings = results.get("bindings") if isinstance(results, dict) else None
    if not isinstance(columns, list) or not all(isinstance(c, str) for c in columns):
        raise _garbage(endpoint, "no head.vars list of names")
    if not isinstance(bindings, list):
        raise _garbage(endpoint, "no results.bindings list")
    rows = []
    for index, binding in enumerate(bindings):
        if not isinstance(binding, dict):
            raise _garbage(endpoint, f"binding {index} is not an object")
        row = []
        for column in columns:
            term = binding.get(column)
            if term is None:
                row.append("")
            elif isinstance(term, dict) and isinstance(term.get("value"), str):
                row.append(term["value"])
            else:
                raise _garbage(endpoint, f"binding {index} has no string value for {column}")
        rows.append(tuple(row))
    return Answer(tuple(columns), tuple(rows))
