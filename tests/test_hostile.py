"""Hostile input: nothing fetched, nothing hangs, nothing crashes, nothing lost.

``tests/hostile/`` holds one file per attack; its manifest says which reader
takes the file and which rule code must refuse it (``null``: accepted, kept).
"""

from __future__ import annotations

import json
import re
import resource
import shutil
import signal
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import rdflib
import referencing.exceptions
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from kpr_events import (
    Dataset,
    KprEventsError,
    ValidationError,
    from_graph,
    load_dataset,
    read_graph,
)
from kpr_events import sparql as sparql_module
from kpr_events.dataset import validate_files
from kpr_events.schema import registry
from kpr_events.verify import verify_dataset

from .conftest import PROJECT

HOSTILE = Path(__file__).parent / "hostile"
MANIFEST: dict[str, dict[str, Any]] = json.loads((HOSTILE / "manifest.json").read_text())
SUFFIXES = (".json", ".ttl", ".nt", ".nq", ".jsonld", ".rdf")
FORMATS = ("turtle", "nt", "nquads", "jsonld", "xml")


def test_every_attack_file_is_in_the_manifest() -> None:
    files = {p.name for p in HOSTILE.iterdir() if p.name != "manifest.json"}
    assert files == set(MANIFEST)


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_attack(name: str, tmp_path: Path, dataset: Dataset, counting_server: Any) -> None:
    """Each attack is refused with its rule code, located in its file, and fetches nothing."""
    url, hits = counting_server
    case = MANIFEST[name]
    text = (HOSTILE / name).read_bytes().replace(b"{server}", url.encode())
    target = tmp_path / name
    target.write_bytes(text)
    if case["reader"] == "query":
        with pytest.raises(ValidationError) as caught:
            sparql_module.run(dataset, text.decode())
        codes = [p.code for p in caught.value.problems]
    else:
        problems = validate_files([target])
        assert all(p.path == str(target) for p in problems)
        codes = [p.code for p in problems]
    assert codes[:1] == ([case["code"]] if case["code"] else [])
    assert hits == []


# The dependencies' own behaviour, which the library guards against ------------------


def test_rdflib_alone_would_fetch_a_remote_context(counting_server: Any) -> None:
    """Why the library never lets rdflib's JSON-LD parser see untrusted input."""
    url, hits = counting_server
    document = {"@context": f"{url}/context.jsonld", "@id": "urn:x", "name": "X"}
    rdflib.Graph().parse(data=json.dumps(document), format="json-ld")
    assert hits == ["/context.jsonld"]


def test_rdflib_would_fetch_a_context_named_for_serializing(counting_server: Any) -> None:
    """Why kpr-events serializes JSON-LD with its context embedded, never by URL."""
    from kpr_events import load_dataset
    from kpr_events.rdf import serialize

    url, hits = counting_server
    graph = rdflib.Graph()
    graph.add(
        (rdflib.URIRef("urn:x"), rdflib.URIRef("https://schema.org/name"), rdflib.Literal("X"))
    )
    graph.serialize(format="json-ld", context=f"{url}/context.jsonld")
    assert hits == ["/context.jsonld"]
    hits.clear()
    ours = json.loads(serialize(load_dataset(), "jsonld"))
    assert isinstance(ours["@context"], dict)
    assert hits == []


def test_jsonschema_alone_would_fetch_a_remote_ref(counting_server: Any) -> None:
    """Why schemas resolve only through the shipped registry, which refuses instead."""
    url, hits = counting_server
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        jsonschema.Draft202012Validator({"$ref": f"{url}/remote.json"}).is_valid(1)
    assert hits == ["/remote.json"]
    hits.clear()
    ours = jsonschema.Draft202012Validator({"$ref": f"{url}/remote.json"}, registry=registry())
    with pytest.raises(referencing.exceptions.Unresolvable):
        ours.is_valid(1)
    assert hits == []


# No hangs: inputs that are slow or explosive for other parsers ---------------------

_BIG = {
    "ampersands in RDF/XML": (
        "xml",
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:p="urn:p#">'
        '<rdf:Description rdf:about="urn:a"><p:x>' + "&amp;" * 800_000 + "</p:x>"
        "</rdf:Description></rdf:RDF>",
        1,
    ),
    "a million escapes in one N-Triples literal": (
        "nt",
        '<urn:a> <urn:p> "' + "a\\n" * 1_000_000 + '" .\n',
        1,
    ),
    "a million escapes in one Turtle literal": (
        "turtle",
        '<urn:a> <urn:p> "' + "a\\n" * 1_000_000 + '" .\n',
        1,
    ),
    "blank nodes nested 100,000 deep": (
        "turtle",
        "<urn:a> <urn:p> " + "[ <urn:p> " * 100_000 + "<urn:b>" + " ]" * 100_000 + " .\n",
        100_001,
    ),
}


@pytest.mark.parametrize("case", sorted(_BIG))
def test_big_inputs_parse_in_a_bounded_process(case: str, tmp_path: Path) -> None:
    """Each is read whole by a separate process that is stopped if it ever hangs."""
    fmt, text, triples = _BIG[case]
    source = tmp_path / "input"
    source.write_text(text, encoding="utf-8")
    code = (
        "import sys; from pathlib import Path; from kpr_events import read_graph; "
        f"print(len(read_graph(Path(sys.argv[1]), {fmt!r})))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(source)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) == triples


def test_a_device_is_not_read_forever() -> None:
    problems = validate_files([Path("/dev/zero")])
    assert [p.code for p in problems] == ["too-large"]


# No crashes: fuzzing every reader ---------------------------------------------------

FUZZ = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _only_located_problems(path: Path) -> None:
    problems = validate_files([path])
    assert all(p.path == str(path) for p in problems)
    assert all(p.code for p in problems)


@FUZZ
@given(data=st.binary(max_size=2000), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes_in_any_file(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    _only_located_problems(path)


@FUZZ
@given(data=st.binary(max_size=2000), fmt=st.sampled_from(FORMATS))
def test_random_bytes_to_read_graph(data: bytes, fmt: str) -> None:
    try:
        from_graph(read_graph(data, fmt))
    except KprEventsError as exc:
        error = exc
    else:
        return
    assert error.code
    assert error.path in ("<data>", None)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=20,
)


@FUZZ
@given(record=_JSON, envelope=st.booleans())
def test_random_json_as_a_fixture(tmp_path: Path, record: Any, envelope: bool) -> None:
    document = {"schema_version": "1.0", "records": [record]} if envelope else record
    path = tmp_path / "fuzz.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    _only_located_problems(path)


def _mutated(data: bytes, draw: st.DataObject) -> bytes:
    for _ in range(draw.draw(st.integers(1, 4))):
        at = draw.draw(st.integers(0, len(data)))
        kind = draw.draw(st.sampled_from(["delete", "insert", "replace"]))
        size = draw.draw(st.integers(1, 40))
        noise = draw.draw(st.binary(min_size=1, max_size=size))
        if kind == "delete":
            data = data[:at] + data[at + size :]
        elif kind == "insert":
            data = data[:at] + noise + data[at:]
        else:
            data = data[:at] + noise + data[at + len(noise) :]
    return data


@FUZZ
@given(draw=st.data())
def test_mutated_real_fixtures(tmp_path: Path, packaged_root: Path, draw: st.DataObject) -> None:
    files = sorted((packaged_root / "fixtures").glob("*.json"))
    original = draw.draw(st.sampled_from(files))
    path = tmp_path / original.name
    path.write_bytes(_mutated(original.read_bytes(), draw))
    _only_located_problems(path)


@FUZZ
@given(draw=st.data())
def test_mutated_dataset_directory(
    tmp_path_factory: pytest.TempPathFactory, packaged_root: Path, draw: st.DataObject
) -> None:
    """A seed or a fixture damaged inside a dataset: load_dataset and verify report, never crash."""
    root = tmp_path_factory.mktemp("data")
    for kind in ("fixtures", "seeds"):
        shutil.copytree(packaged_root / kind, root / kind)
    victim = draw.draw(st.sampled_from(sorted([*root.glob("seeds/*"), *root.glob("fixtures/*")])))
    victim.write_bytes(_mutated(victim.read_bytes(), draw))
    try:
        problems = list(verify_dataset(load_dataset(root)))
    except ValidationError as exc:
        problems = list(exc.problems)
    assert all(p.code and p.path for p in problems)


@pytest.fixture(scope="module")
def exports() -> dict[str, bytes]:
    from kpr_events import load_dataset
    from kpr_events.rdf import serialize

    dataset = load_dataset()
    return {
        suffix: serialize(dataset, fmt).encode("utf-8")
        for suffix, fmt in [
            (".nt", "nt"),
            (".ttl", "turtle"),
            (".jsonld", "jsonld"),
            (".rdf", "xml"),
        ]
    }


@FUZZ
@given(draw=st.data())
def test_mutated_real_rdf(tmp_path: Path, exports: dict[str, bytes], draw: st.DataObject) -> None:
    suffix = draw.draw(st.sampled_from(sorted(exports)))
    path = tmp_path / f"export{suffix}"
    path.write_bytes(_mutated(exports[suffix], draw))
    _only_located_problems(path)


@FUZZ
@given(query=st.text(max_size=300))
def test_random_queries(dataset: Dataset, query: str) -> None:
    try:
        sparql_module.run(dataset, query)
    except ValidationError as exc:
        codes = {p.code for p in exc.problems}
    else:
        return
    assert codes <= {"sparql-syntax", "sparql-network", "sparql-form"}


# Nothing lost ----------------------------------------------------------------------


def _limited(max_bytes: int) -> None:
    """In the child: writes past ``max_bytes`` fail (EFBIG) instead of killing it."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))


@pytest.mark.parametrize(
    "command",
    [["export", "--format", "turtle", "-o", "{target}"], ["schema", "--write", "--dir", "{dir}"]],
)
def test_a_write_that_fails_half_way_keeps_the_earlier_file(
    tmp_path: Path, command: list[str]
) -> None:
    """A write fails half way (a file-size limit): a clear error, the old file whole, no litter."""
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / ("kpr.ttl" if "export" in command else "actor.schema.json")
    target.write_text("the earlier file\n", encoding="utf-8")
    args = [a.format(target=target, dir=folder) for a in command]
    done = subprocess.run(
        [sys.executable, "-m", "kpr_events", *args],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=lambda: _limited(100),
        cwd=PROJECT,
    )
    assert done.returncode == 1
    assert "cannot write it (File too large)" in done.stderr
    assert "Traceback" not in done.stderr
    assert target.read_text(encoding="utf-8") == "the earlier file\n"
    assert [p.name for p in folder.iterdir() if p.name.endswith(".tmp")] == []


# Injection-proof serialization -------------------------------------------------------

_PIECES = ['"', "'", "<", ">", "\\", "\\u0022", "\\n", '"""', "'''", "]]>", "&amp;", "&", "#"]
_PIECES += ["@id", "^^", "_:b0", " .\n<urn:x> <urn:y> <urn:z> ", "{", "}", "a", "ب", " "]
_PIECES += ["\u200b", "\u200c", "\u200f", "\u061c", "\U0001f600"]
_LABEL = st.lists(st.sampled_from(_PIECES), min_size=1, max_size=12).map("".join)
_NOTE = st.lists(st.sampled_from([*_PIECES, "\n", "\r", "\t", "\r\n"]), min_size=1, max_size=12)


@settings(max_examples=200, deadline=None)
@given(name=_LABEL, notes=st.lists(_NOTE.map("".join), min_size=1, max_size=3, unique=True))
@example(name='"', notes=['\n\\"'])  # rdflib's own Turtle wrote this as unreadable
def test_strings_never_break_out_of_a_literal(name: str, notes: list[str]) -> None:
    """Quotes, brackets, escapes and line breaks come back unchanged, in every format,
    as read by an independent parser, and add no triple."""
    from kpr_events import Actor
    from kpr_events.rdf import serialize, to_graph

    document = {"id": "x", "type": "Actor", "kind": "person", "name": {"en": name}}
    try:
        actor = Actor.model_validate({**document, "notes": notes})
    except Exception:  # a label may not start or end with a space: not this property's concern
        assume(False)
    dataset = Dataset([actor])
    expected = len(to_graph(dataset))
    for fmt in (*FORMATS, "nquads"):
        graph = read_graph(serialize(dataset, fmt), fmt)
        assert sum(1 for _ in graph.quads((None, None, None, None))) == expected, fmt
        back = from_graph(graph).get("x", Actor)
        assert back.name == {"en": name}, fmt
        assert sorted(back.notes) == sorted(notes), fmt


def test_security_page_names_real_rule_codes() -> None:
    from kpr_events import RULES, STORE_ERRORS

    page = (PROJECT / "docs" / "security.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`([a-z0-9]+(?:-[a-z0-9]+)+)`", page)) - {"kpr-events"}
    assert named
    assert named <= set(RULES) | set(STORE_ERRORS), named - set(RULES) - set(STORE_ERRORS)
    assert {case["code"] for case in MANIFEST.values()} - {None} <= named
