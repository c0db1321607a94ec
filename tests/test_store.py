"""Pushing to a real triplestore (an Oxigraph server on 127.0.0.1) and querying it there."""

from __future__ import annotations

import base64
import logging
import re
import socket
import subprocess
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph, Literal, URIRef

from kpr_events import STORE_ERRORS, Dataset, StoreError, to_graph
from kpr_events.sparql import competency_questions
from kpr_events.sparql import run as run_locally
from kpr_events.store import (
    Credentials,
    GraphStore,
    RetryPolicy,
    SparqlEndpoint,
    Transport,
    dataset_graphs,
    push,
)

from .conftest import PROJECT, Result
from .servers import Answer, OxigraphServer, free_port, oxigraph, oxigraph_binary, scripted

QUESTIONS = competency_questions()
FAST = Transport(timeout=5, retry=RetryPolicy(attempts=3, backoff=0.05))
NT = pyoxigraph.RdfFormat.N_TRIPLES
SECRET = "s3cr3t-t0ken-value"
MARK = URIRef("urn:test:pushed-later")
SHARED = "https://w3id.org/kpr-events/graph/shared"


@pytest.fixture(autouse=True)
def _loopback_without_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    """A proxy set in the environment must not stand between the tests and 127.0.0.1."""
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def pushed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    """One server holding the packaged dataset, a graph per source."""
    from kpr_events import load_dataset

    with oxigraph(tmp_path_factory.mktemp("store")) as server:
        push(load_dataset(), server.store, transport=FAST)
        yield server


def canonical(triples: Iterable[pyoxigraph.Triple]) -> frozenset[str]:
    """A graph's triples with blank nodes named canonically (RDFC-1.0), as N-Triples lines."""
    graph = pyoxigraph.Dataset(pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in triples)
    graph.canonicalize(pyoxigraph.CanonicalizationAlgorithm.UNSTABLE)
    return frozenset(str(q.triple) for q in graph)


XSD = "http://www.w3.org/2001/XMLSchema#"


def as_stored(triple: pyoxigraph.Triple) -> pyoxigraph.Triple:
    """A triple as Oxigraph 0.5 keeps it: it stores xsd:nonNegativeInteger as xsd:integer."""
    value = triple.object
    if isinstance(value, pyoxigraph.Literal) and value.datatype.value == f"{XSD}nonNegativeInteger":
        value = pyoxigraph.Literal(value.value, datatype=pyoxigraph.NamedNode(f"{XSD}integer"))
        return pyoxigraph.Triple(triple.subject, triple.predicate, value)
    return triple


def sent(graphs: dict[str, Graph]) -> dict[str, frozenset[str]]:
    """What was sent, as pyoxigraph reads it and Oxigraph keeps it."""
    return {
        iri: canonical(
            as_stored(t)
            for t in pyoxigraph.parse(g.serialize(format="nt", encoding="utf-8"), format=NT)
        )
        for iri, g in graphs.items()
    }


def stored(server: OxigraphServer) -> dict[str, frozenset[str]]:
    """Every named graph in the store, read back as N-Quads by pyoxigraph."""
    request = urllib.request.Request(server.store, headers={"Accept": "application/n-quads"})
    with urllib.request.urlopen(request, timeout=10) as response:
        data = response.read()
    graphs: dict[str, list[pyoxigraph.Triple]] = {}
    for quad in pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.N_QUADS):
        assert isinstance(quad.graph_name, pyoxigraph.NamedNode), "nothing in the default graph"
        graphs.setdefault(quad.graph_name.value, []).append(quad.triple)
    return {iri: canonical(triples) for iri, triples in graphs.items()}


def marked(graphs: dict[str, Graph]) -> dict[str, Graph]:
    """A later version of every graph: the same triples and one that says so."""
    later = {}
    for iri, graph in graphs.items():
        copy = Graph()
        for triple in graph:
            copy.add(triple)
        copy.add((URIRef(iri), MARK, Literal("later")))
        later[iri] = copy
    return later


# What a push puts in the store ---------------------------------------------------


def test_push_puts_a_graph_per_source_and_a_shared_one(
    pushed: OxigraphServer, dataset: Dataset
) -> None:
    """The store holds exactly the graphs sent, each isomorphic to what was sent."""
    graphs = dataset_graphs(dataset)
    assert next(iter(graphs)).endswith("/graph/shared")
    assert len(graphs) == len(dataset.sources) + 1
    assert stored(pushed) == sent(graphs)


@pytest.mark.parametrize("name", sorted(QUESTIONS))
def test_competency_questions_answer_alike_on_the_server(
    pushed: OxigraphServer, dataset: Dataset, name: str
) -> None:
    """Each question gets the same answer from the server as from the local run."""
    local = run_locally(dataset, QUESTIONS[name])
    remote = SparqlEndpoint(pushed.query, FAST).run(QUESTIONS[name])
    assert remote.columns == local.columns
    assert sorted(remote.rows) == sorted(local.rows)
    assert remote.rows


def test_pushing_again_replaces_and_adds_nothing(tmp_path: Path, dataset: Dataset) -> None:
    with oxigraph(tmp_path / "db") as server:
        first = push(dataset, server.store, transport=FAST)
        second = push(dataset, server.store, transport=FAST, compress=True)
        assert all(p.created for p in first)
        assert not any(p.created for p in second)
        in_store = stored(server)
        assert sum(len(g) for g in in_store.values()) == sum(p.triples for p in second)
        assert in_store == sent(dataset_graphs(dataset))


def test_one_graph_with_graph_option(
    tmp_path: Path, dataset: Dataset, run: Callable[..., Result]
) -> None:
    """--graph sends everything to one graph; --default-graph makes a query see only it."""
    graph = "urn:test:everything"
    query = tmp_path / "q.rq"
    query.write_text(QUESTIONS["1-treaty-dates.rq"], encoding="utf-8")
    with oxigraph(tmp_path / "db") as server:
        result = run("push", "--endpoint", server.store, "--graph", graph)
        assert result.status == 0, result.err
        assert result.err.startswith(f"created {graph}: {len(to_graph(dataset))} triples\n")
        assert list(stored(server)) == [graph]
        local = run("query", query, "--format", "csv")
        remote = run(
            "query", query, "--format", "csv", "--endpoint", server.query, "--default-graph", graph
        )
        assert remote.status == 0, remote.err
        assert sorted(remote.out.splitlines()) == sorted(local.out.splitlines())
        elsewhere = run(
            "query", query, "--format", "csv", "--endpoint", server.query,
            "--default-graph", "urn:test:empty",
        )  # fmt: skip
        assert elsewhere.out.splitlines() == local.out.splitlines()[:1]


# Failure part-way -----------------------------------------------------------------


def test_a_push_killed_half_way_leaves_the_earlier_graphs(
    tmp_path: Path, dataset: Dataset, caplog: pytest.LogCaptureFixture
) -> None:
    """The server dies after the first graph: a clear error, and every other graph is as it was."""
    server = OxigraphServer(tmp_path / "db").start()
    try:
        earlier = dataset_graphs(dataset)
        GraphStore(server.store, FAST).push(earlier)
        later = marked(earlier)
        first, second, *rest = later
        with caplog.at_level(logging.INFO, "kpr_events.store"), pytest.raises(StoreError) as caught:
            GraphStore(server.store, FAST).push(later, on_graph=lambda _: server.kill())
        assert caught.value.code == "store-unreachable"
        message = str(caught.value)
        assert f"sending {second}" in message
        assert f"1 graph(s) replaced before it ({first})" in message
        assert sum("retrying" in r.message for r in caplog.records) == FAST.retry.attempts - 1

        server.port = free_port()
        server.start()
        in_store, before, after = stored(server), sent(earlier), sent(later)
        assert in_store[first] == after[first]
        for iri in [second, *rest]:
            assert in_store[iri] == before[iri], f"{iri} changed"
    finally:
        server.stop()


def test_a_request_cut_off_mid_body_leaves_the_graph_whole(tmp_path: Path) -> None:
    """The store's guarantee that push relies on: a PUT is applied whole or not at all."""
    with oxigraph(tmp_path / "db") as server:
        earlier = Graph()
        earlier.add((URIRef("urn:s"), URIRef("urn:p"), Literal("earlier")))
        GraphStore(server.store, FAST).put("urn:g", earlier)
        body = b'<urn:s> <urn:p> "later" .\n' * 5000
        with socket.create_connection(("127.0.0.1", server.port)) as connection:
            connection.sendall(
                b"PUT /store?graph=urn:g HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/n-triples\r\n"
                + f"Content-Length: {2 * len(body)}\r\n\r\n".encode()
                + body
            )
        assert stored(server) == sent({"urn:g": earlier})


# A store that refuses, stalls or answers garbage ----------------------------------


def test_unreachable_store_is_one_line_and_exit_1(run: Callable[..., Result]) -> None:
    endpoint = f"http://127.0.0.1:{free_port()}/store"
    result = run("push", "--endpoint", endpoint, "--retries", "1")
    assert result.status == 1
    retry, error = result.err.splitlines()
    assert retry.startswith(f"kpr-events: PUT {endpoint}: unreachable")
    assert "retrying in" in retry
    assert error.startswith(f"kpr-events: {endpoint}: unreachable")
    assert error.endswith("(gave up after 2 tries), sending " + SHARED + "; no graph replaced")


def test_read_only_store_refuses(tmp_path: Path, run: Callable[..., Result]) -> None:
    """A real refusal: Oxigraph started read-only answers a PUT with 403."""
    with oxigraph(tmp_path / "db"):
        pass  # creates the store
    with oxigraph(tmp_path / "db", read_only=True) as server:
        result = run("push", "--endpoint", server.store)
    assert result.status == 1
    assert "refused with HTTP 403" in result.err
    assert "KPR_EVENTS_STORE_TOKEN" in result.err


def test_transient_failures_are_retried(run: Callable[..., Result]) -> None:
    busy = Answer(503, {"Retry-After": "0"}, b"busy")
    with scripted(busy, busy, Answer(204)) as server:
        result = run("push", "--endpoint", f"{server.url}/store", "--graph", "urn:g")
    assert result.status == 0, result.err
    assert [s.method for s in server.seen] == ["PUT"] * 3
    assert result.err.count("HTTP 503: busy; retrying in") == 2
    assert server.seen[-1].path == "/store?graph=urn%3Ag"
    assert server.seen[-1].headers["Content-Type"].startswith("application/n-triples")
    Graph().parse(data=server.seen[-1].body, format="nt")  # the body is N-Triples


def test_bearer_token_is_sent_and_never_shown(
    monkeypatch: pytest.MonkeyPatch,
    run: Callable[..., Result],
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("KPR_EVENTS_STORE_TOKEN", SECRET)
    echo = Answer(401, {"WWW-Authenticate": "Bearer"}, f"token {SECRET} is wrong".encode())
    with caplog.at_level(logging.DEBUG), scripted(echo) as server:
        result = run("push", "--endpoint", f"{server.url}/store")
    assert result.status == 1
    assert [s.headers["Authorization"] for s in server.seen] == [f"Bearer {SECRET}"]
    assert "refused with HTTP 401: token <hidden> is wrong" in result.err
    assert SECRET not in result.err + result.out + caplog.text


def test_basic_credentials_are_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KPR_EVENTS_STORE_USER", "curator")
    monkeypatch.setenv("KPR_EVENTS_STORE_PASSWORD", "pa:ss")
    credentials = Credentials.from_env()
    assert "pa:ss" not in repr(credentials)
    with scripted(Answer(201)) as server:
        GraphStore(f"{server.url}/store", Transport(credentials=credentials)).put("urn:g", Graph())
    expected = base64.b64encode(b"curator:pa:ss").decode()
    assert server.seen[0].headers["Authorization"] == f"Basic {expected}"


@pytest.mark.parametrize(
    "environ",
    [
        {"KPR_EVENTS_STORE_TOKEN": "t", "KPR_EVENTS_STORE_USER": "u"},
        {"KPR_EVENTS_STORE_USER": "u"},
        {"KPR_EVENTS_STORE_PASSWORD": "p"},
    ],
)
def test_unusable_credentials_are_refused(environ: dict[str, str]) -> None:
    with pytest.raises(StoreError) as caught:
        Credentials.from_env(environ)
    assert caught.value.code == "store-config"


@pytest.mark.parametrize(
    "endpoint",
    ["ftp://127.0.0.1/store", "http:///store", "127.0.0.1:7878/store", "http://me:pw@h/store"],
)
def test_unusable_endpoint_is_refused(endpoint: str, run: Callable[..., Result]) -> None:
    result = run("push", "--endpoint", endpoint)
    assert result.status == 1
    assert "store-config" not in result.err  # the message says it in words
    assert ":pw@" not in result.err
    assert "Traceback" not in result.err


def test_redirect_is_not_followed(
    run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Following a redirect would carry the credentials to wherever it points."""
    monkeypatch.setenv("KPR_EVENTS_STORE_TOKEN", SECRET)
    with scripted(Answer(307, {"Location": "http://127.0.0.1:9/elsewhere"})) as server:
        result = run("push", "--endpoint", f"{server.url}/store")
    assert result.status == 1
    assert "HTTP 307 to http://127.0.0.1:9/elsewhere" in result.err
    assert len(server.seen) == 1


def test_a_stalled_store_times_out() -> None:
    transport = Transport(timeout=0.3, retry=RetryPolicy(attempts=2, backoff=0))
    with scripted(Answer(stall=3)) as server, pytest.raises(StoreError) as caught:
        GraphStore(f"{server.url}/store", transport).put("urn:g", Graph())
    assert caught.value.code == "store-timeout"
    assert "no answer within 0.3 s" in str(caught.value)


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (Answer(raw=b"SSH-2.0-OpenSSH_9.2\r\n"), "the answer is not HTTP"),
        (Answer(200, {"Content-Type": "text/html"}, b"<html>"), "Content-Type text/html"),
        (Answer(200, {"Content-Type": "application/json"}, b"{nope"), "not JSON"),
        (Answer(200, {"Content-Type": "application/json"}, b"[1]"), "not an object"),
        (Answer(200, {"Content-Type": "application/json"}, b'{"head": {}}'), "head.vars"),
        (
            Answer(
                200,
                {"Content-Type": "application/sparql-results+json"},
                b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": 1}]}}',
            ),
            "no string value for x",
        ),
        (Answer(200, {"Content-Type": "application/json"}, b"[" * 100_000), "not JSON"),
    ],
)
def test_garbage_from_a_query_endpoint_is_a_clear_error(answer: Answer, expected: str) -> None:
    with scripted(answer) as server, pytest.raises(StoreError) as caught:
        SparqlEndpoint(f"{server.url}/query", FAST).run("ASK {}")
    assert caught.value.code == "store-garbage"
    assert expected in str(caught.value)


def test_an_overlong_answer_is_garbage() -> None:
    transport = Transport(max_reply_bytes=100)
    body = b'{"boolean": true}' + b" " * 200
    answer = Answer(200, {"Content-Type": "application/json"}, body)
    with scripted(answer) as server, pytest.raises(StoreError) as caught:
        SparqlEndpoint(f"{server.url}/query", transport).run("ASK {}")
    assert "longer than 100 bytes" in str(caught.value)


def test_query_command_against_the_server(
    pushed: OxigraphServer, run: Callable[..., Result], tmp_path: Path
) -> None:
    query = tmp_path / "q.rq"
    query.write_text(QUESTIONS["6-kcna-relays.rq"], encoding="utf-8")
    local = run("query", query, "--format", "json")
    remote = run("query", query, "--format", "json", "--endpoint", pushed.query)
    assert remote.status == 0, remote.err
    assert sorted(remote.out.splitlines()) == sorted(local.out.splitlines())


# The docs --------------------------------------------------------------------------

PAGE = PROJECT / "docs" / "triplestores.md"


def test_docs_list_every_store_error() -> None:
    rows = re.findall(r"^\| `(store-[a-z-]+)` \| (.+) \|$", PAGE.read_text(encoding="utf-8"), re.M)
    assert dict(rows) == dict(STORE_ERRORS)


def test_bulk_load_as_the_docs_say(
    tmp_path: Path, dataset: Dataset, run: Callable[..., Result]
) -> None:
    """The page's Oxigraph commands load the N-Quads export, and every question is answered."""
    page = PAGE.read_text(encoding="utf-8")
    assert "kpr-events export --format nquads -o kpr-events.nq" in page
    assert "oxigraph load --location ./store --file kpr-events.nq" in page
    assert "oxigraph serve --location ./store --union-default-graph" in page
    export = tmp_path / "kpr-events.nq"
    assert run("export", "--format", "nquads", "-o", export).status == 0
    load = [oxigraph_binary(), "load", "--location", str(tmp_path / "store"), "--file", str(export)]
    subprocess.run(load, check=True, capture_output=True, timeout=120)
    with oxigraph(tmp_path / "store") as server:
        for name, query in QUESTIONS.items():
            remote = SparqlEndpoint(server.query, FAST).run(query)
            assert sorted(remote.rows) == sorted(run_locally(dataset, query).rows), name


def test_python_example_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The page's Python example, pointed at a real server, pushes and prints the count."""
    (example,) = re.findall(r"```python\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.S)
    with oxigraph(tmp_path / "db") as server:
        code = example.replace("http://127.0.0.1:7878/store", server.store)
        exec(compile(code, str(PAGE), "exec"), {})
    assert re.fullmatch(r"\d+ triples in 6 graphs\n", capsys.readouterr().out)
