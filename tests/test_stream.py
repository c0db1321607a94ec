"""The streaming N-Triples/N-Quads export: the same triples as the graph, the same problems
as a load, and nothing written for an invalid dataset."""

from __future__ import annotations

import io
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from kpr_events import (
    ValidationError,
    _stream,
    load_dataset,
    stream_rdf,
    synthesize,
    validate_files,
)
from kpr_events.dataset import fixture_files
from kpr_events.rdf import to_graph, to_quads

from .conftest import Result, read_records, statements_file, write_fixture
from .test_dataset import INVALID, MANIFEST

_FORMATS = {False: ox.RdfFormat.N_TRIPLES, True: ox.RdfFormat.N_QUADS}


def _parsed(text: str, quads: bool) -> set[Any]:
    """Every triple or quad, as an independent parser (Oxigraph's) reads the text."""
    return set(ox.parse(text.encode("utf-8"), format=_FORMATS[quads]))


def _streamed(root: Path | None, quads: bool) -> str:
    out = io.StringIO()
    lines = stream_rdf(root, out, quads=quads)
    text = out.getvalue()
    assert lines == text.count("\n")
    return text


def _from_graph(root: Path | None, quads: bool) -> str:
    dataset = load_dataset(root)
    graph = to_quads(dataset) if quads else to_graph(dataset)
    return str(graph.serialize(format="nquads" if quads else "nt"))


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("synth") / "data"
    synthesize(root, 400, seed=7)
    return root


@pytest.mark.parametrize("quads", [False, True], ids=["nt", "nquads"])
@pytest.mark.parametrize("which", ["packaged", "extension", "synthetic"])
def test_same_triples_as_the_graph(
    which: str, quads: bool, extension_dir: Path, synthetic: Path
) -> None:
    """Streamed, the dataset is the very graph ``to_graph``/``to_quads`` build, blank nodes too."""
    root = {"packaged": None, "extension": extension_dir, "synthetic": synthetic}[which]
    ours = _streamed(root, quads)
    assert _parsed(ours, quads) == _parsed(_from_graph(root, quads), quads)
    assert len(_parsed(ours, quads)) == ours.count("\n")  # no line written twice


def test_quads_keep_each_source_in_its_graph() -> None:
    """Every statement sits in its source's named graph; everything else in the shared one."""
    dataset = load_dataset()
    graphs: dict[str, set[str]] = {}
    for quad in _parsed(_streamed(None, True), True):
        graphs.setdefault(quad.subject.value, set()).add(quad.graph_name.value)
    for statement in dataset.statements:
        iri = statement.iri()
        assert graphs[iri] == {f"https://w3id.org/kpr-events/graph/{statement.source}"}
    assert graphs[dataset.actors[0].iri()] == {"https://w3id.org/kpr-events/graph/shared"}


def _problems_of(call: Callable[[], object]) -> list[tuple[str, str | None, str, int | None]]:
    with pytest.raises(ValidationError) as caught:
        call()
    return [(p.code, p.path, p.pointer, p.line) for p in caught.value.problems]


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_invalid_corpus_gives_the_problems_of_a_load(name: str, dataset_dir: Path) -> None:
    """Beside the packaged fixtures, each broken file is reported exactly as a load reports it."""
    shutil.copy(INVALID / name, dataset_dir / "fixtures" / f"zz-{name}")
    expected = _problems_of(lambda: load_dataset(dataset_dir))
    assert _problems_of(lambda: stream_rdf(dataset_dir, io.StringIO())) == expected


def _invalid_statement(records: list[dict[str, Any]]) -> None:
    records[-1]["quote"]["end"] = -1


def _ghost_speaker(records: list[dict[str, Any]]) -> None:
    records[0]["speaker"] = "ghost"


def _statement_twice(records: list[dict[str, Any]]) -> None:
    records.append(dict(records[0]))


def _statement_thrice(records: list[dict[str, Any]]) -> None:
    records += [dict(records[1]), dict(records[1])]


def _statement_named_like_an_actor(records: list[dict[str, Any]]) -> None:
    records[0]["id"] = "putin"


def _refers_to_invalid(records: list[dict[str, Any]]) -> None:
    # A reference to a statement that is itself invalid is not reported a second time.
    records[0]["quote"]["end"] = -1
    records[1].setdefault("refers_to", []).append(records[0]["id"])


@pytest.mark.parametrize(
    "breakage",
    [
        _invalid_statement,
        _ghost_speaker,
        _statement_twice,
        _statement_thrice,
        _statement_named_like_an_actor,
        _refers_to_invalid,
    ],
)
def test_broken_statements_give_the_problems_of_a_load(
    breakage: Callable[[list[dict[str, Any]]], None], dataset_dir: Path
) -> None:
    """Statements are validated only in the second pass; what is wrong with them is still
    reported exactly as a load reports it."""
    path = statements_file(dataset_dir)
    records = read_records(path)
    breakage(records)
    write_fixture(path, records)
    expected = _problems_of(lambda: load_dataset(dataset_dir))
    assert _problems_of(lambda: stream_rdf(dataset_dir, io.StringIO())) == expected
    streamed = validate_files(fixture_files(dataset_dir), dataset_dir / "seeds")
    assert [(p.code, p.path, p.pointer, p.line) for p in streamed] == expected


@pytest.mark.parametrize("target", ["file", "stdout"])
def test_cli_writes_nothing_for_an_invalid_dataset(
    target: str, dataset_dir: Path, run: Callable[..., Result]
) -> None:
    """A problem found after lines were written leaves no file and nothing on stdout."""
    path = statements_file(dataset_dir)
    records = read_records(path)
    _invalid_statement(records)
    write_fixture(path, records)
    output = dataset_dir / "out.nt"
    args = ["export", "--data", dataset_dir, "--format", "nt"]
    result = run(*args, "-o", output) if target == "file" else run(*args)
    assert result.status == 1
    assert "invalid-value" in result.err or "quote" in result.err
    assert result.out == ""
    assert not output.exists()
    assert list(dataset_dir.glob(".out.nt.*")) == []


def test_cli_streams_to_stdout(run: Callable[..., Result]) -> None:
    """``export --format nt`` without ``-o`` prints the same triples as with it."""
    result = run("export", "--format", "nt")
    assert result.status == 0
    assert _parsed(result.out, False) == _parsed(_from_graph(None, False), False)


def test_a_triple_said_twice_by_one_record_is_written_once(dataset_dir: Path) -> None:
    """An actor in two roles of one event is one ``sem:hasActor`` triple, as in the graph."""
    path = dataset_dir / "fixtures" / "events.json"
    records = read_records(path)
    event = next(r for r in records if len(r.get("participants", [])) >= 2)
    first = event["participants"][0]
    other = "reporter" if first["role"] != "reporter" else "target"
    event["participants"].append({"actor": first["actor"], "role": other})
    write_fixture(path, records)
    ours = _streamed(dataset_dir, False)
    assert len(_parsed(ours, False)) == ours.count("\n")
    assert _parsed(ours, False) == _parsed(_from_graph(dataset_dir, False), False)


@pytest.fixture
def split(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A synthetic dataset in many small files, each process given several, even so small."""
    monkeypatch.setattr("kpr_events.synth.RECORDS_PER_FILE", 40)
    monkeypatch.setattr("kpr_events._stream.PARALLEL_BYTES", 0)
    root = tmp_path / "data"
    synthesize(root, 400, seed=3)
    assert len(_stream._parts(fixture_files(root), 3)) == 3
    return root


@pytest.mark.parametrize("quads", [False, True], ids=["nt", "nquads"])
def test_processes_write_the_same_bytes(quads: bool, split: Path) -> None:
    """Three processes write byte for byte what one writes."""
    one, three = io.StringIO(), io.StringIO()
    assert stream_rdf(split, one, quads=quads, jobs=1) == stream_rdf(
        split, three, quads=quads, jobs=3
    )
    assert one.getvalue() == three.getvalue()
    assert _parsed(one.getvalue(), quads) == _parsed(_from_graph(split, quads), quads)


def test_a_problem_in_another_process_is_reported_as_a_load_reports_it(split: Path) -> None:
    """A statement broken in the last file, which another process writes: the problems of a
    load, and nothing written."""
    root = split
    last = sorted((root / "fixtures").glob("statements*.json"))[-1]
    records = read_records(last)
    _invalid_statement(records)
    write_fixture(last, records)
    expected = _problems_of(lambda: load_dataset(root))
    assert _problems_of(lambda: stream_rdf(root, io.StringIO(), jobs=2)) == expected


@pytest.mark.parametrize(
    ("fmt", "parser"), [("turtle", "turtle"), ("jsonld", "json-ld"), ("xml", "xml")]
)
def test_stream_option_writes_the_same_graph(
    fmt: str, parser: str, tmp_path: Path, run: Callable[..., Result]
) -> None:
    """``--stream`` Turtle, JSON-LD and RDF/XML, read by rdflib, are the graph of ``to_graph``."""
    from rdflib import Graph

    from .test_rdf import _canonical_quads

    output = tmp_path / f"out.{fmt}"
    result = run("export", "--format", fmt, "--stream", "-o", output)
    assert result.status == 0, result.err
    ours = str(Graph().parse(output, format=parser).serialize(format="nt"))
    expected = _from_graph(None, False)
    nt = ox.RdfFormat.N_TRIPLES
    assert _canonical_quads(ours, nt) == _canonical_quads(expected, nt)
    assert run("export", "--format", fmt, "--stream").out == output.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "args", [["--format", "nt", "--stream"], ["--format", "csv", "--stream"], ["--jobs", "2"]]
)
def test_stream_and_jobs_only_where_they_apply(args: list[str], run: Callable[..., Result]) -> None:
    """``--stream`` is for turtle, jsonld and xml; ``--jobs`` for what streams."""
    result = run("export", *args)
    assert result.status == 2
    assert "applies" in result.err


def _small_files() -> None:
    """In a child: no file may grow past 64 KiB, and writing past it fails (EFBIG)."""
    import resource  # POSIX

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file size limits")
@pytest.mark.parametrize("args", [[], ["--stream", "--format", "turtle"]], ids=["nt", "turtle"])
def test_a_temporary_file_that_cannot_be_written_is_named(args: list[str]) -> None:
    """Printing to stdout spools to a temporary file: when the disk refuses it, the error
    names the folder, with no traceback, and nothing reaches stdout."""
    done = subprocess.run(
        [sys.executable, "-m", "kpr_events", "export", "--format", "nt", *args],
        capture_output=True,
        text=True,
        check=False,
        preexec_fn=_small_files,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert "cannot write a temporary file there" in done.stderr
    assert tempfile.gettempdir() in done.stderr
    assert "Traceback" not in done.stderr


def test_progress_hears_of_every_file_in_every_pass(synthetic: Path) -> None:
    """``on_progress`` counts fixture files read: two passes to export, three to validate."""
    files = fixture_files(synthetic)
    exported: list[int] = []
    stream_rdf(synthetic, io.StringIO(), on_progress=exported.append)
    validated: list[int] = []
    assert validate_files(files, synthetic / "seeds", on_progress=validated.append) == []
    assert (sum(exported), sum(validated)) == (2 * len(files), 3 * len(files))
