"""Synthetic datasets: valid, verified, deterministic, in proportion, marked synthetic."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpr_events import (
    Dataset,
    OutputError,
    SynthSummary,
    ValidationError,
    load_dataset,
    synthesize,
    validate_files,
)
from kpr_events import synth as synth_module
from kpr_events.dataset import fixture_files
from kpr_events.verify import verify_dataset

from .conftest import Result, read_records

Run = Callable[..., Result]
SMALL = 300
LARGER = 2500


def _tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by relative path, with its bytes."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _problems(root: Path) -> list[str]:
    """What ``kpr-events validate DIR`` reports: schema, model, integrity and seeds."""
    return [str(p) for p in validate_files(fixture_files(root), root / "seeds")]


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SynthSummary]:
    root = tmp_path_factory.mktemp("synth") / "small"
    return root, synthesize(root, SMALL, seed=7)


@pytest.fixture(scope="module")
def larger(tmp_path_factory: pytest.TempPathFactory) -> tuple[Dataset, SynthSummary]:
    root = tmp_path_factory.mktemp("synth") / "larger"
    summary = synthesize(root, LARGER, seed=1)
    return load_dataset(root), summary


def test_small_dataset_validates_and_verifies(small: tuple[Path, SynthSummary]) -> None:
    """A small synthetic dataset passes the schema, the model, integrity and every seed check."""
    root, _ = small
    assert _problems(root) == []
    assert verify_dataset(load_dataset(root)) == []


def test_same_seed_gives_the_same_bytes(small: tuple[Path, SynthSummary], tmp_path: Path) -> None:
    """Generating again with the same N and seed writes byte-identical files."""
    root, _ = small
    synthesize(tmp_path / "again", SMALL, seed=7)
    assert _tree(tmp_path / "again") == _tree(root)


def test_same_bytes_in_another_process(small: tuple[Path, SynthSummary], tmp_path: Path) -> None:
    """Nothing depends on the process: another interpreter, another hash seed, the same bytes."""
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    command = [sys.executable, "-m", "kpr_events", "synth", "--statements", str(SMALL)]
    done = subprocess.run(
        [*command, "--seed", "7", "-o", str(tmp_path / "other")],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert _tree(tmp_path / "other") == _tree(small[0])


def test_another_seed_gives_other_data(small: tuple[Path, SynthSummary], tmp_path: Path) -> None:
    """A different seed changes the records and the seeds, not the layout."""
    root, _ = small
    synthesize(tmp_path / "other", SMALL, seed=8)
    ours, theirs = _tree(root), _tree(tmp_path / "other")
    assert ours.keys() == theirs.keys()
    assert ours["fixtures/statements-000000.json"] != theirs["fixtures/statements-000000.json"]
    assert ours["seeds/synth-source-000000.txt"] != theirs["seeds/synth-source-000000.txt"]


def test_counts_follow_the_statements(larger: tuple[Dataset, SynthSummary]) -> None:
    """Ten statements a source, two sources an event, fifty statements an actor, 200 a place."""
    dataset, summary = larger
    assert (summary.statements, summary.sources, summary.events) == (2500, 250, 125)
    assert (summary.actors, summary.places) == (50, 13)
    assert len(dataset.statements) == summary.statements
    assert len(dataset.sources) == summary.sources
    assert len(dataset.events) == summary.events
    assert len(dataset.actors) == summary.actors
    assert len(dataset.places) == summary.places
    assert len(dataset) == summary.records
    per_source = Counter(s.source for s in dataset.statements)
    assert set(per_source.values()) == {10}


def test_small_counts_keep_a_minimum(small: tuple[Path, SynthSummary]) -> None:
    """Below 500 statements there are still ten actors (a state, a publisher…) and two places."""
    _, summary = small
    assert (summary.sources, summary.events, summary.actors, summary.places) == (30, 15, 10, 2)


def test_files_hold_at_most_a_thousand_records(larger: tuple[Dataset, SynthSummary]) -> None:
    """Statements are split into numbered files; there is one seed per source, each listed."""
    dataset, summary = larger
    root = summary.directory
    names = [p.name for p in fixture_files(root)]
    assert [n for n in names if n.startswith("statements-")] == [
        "statements-000000.json",
        "statements-000001.json",
        "statements-000002.json",
    ]
    assert len(names) == summary.fixture_files
    for path in fixture_files(root):
        assert len(json.loads(path.read_text(encoding="utf-8"))["records"]) <= 1000
    seeds = sorted(p.name for p in (root / "seeds").glob("*.txt"))
    assert seeds == sorted(s.seed for s in dataset.sources)
    listed = (root / "seeds" / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    assert len(listed) == len(seeds)


def test_everything_says_it_is_synthetic(larger: tuple[Dataset, SynthSummary]) -> None:
    """Ids, notes, seeds and the manifest all mark the data as invented, not news."""
    dataset, summary = larger
    root = summary.directory
    assert all(r.id.startswith("synth-") for r in dataset)
    assert all(synth_module.NOTE in r.notes for r in dataset)
    manifest = json.loads((root / "dataset.json").read_text(encoding="utf-8"))
    assert manifest["schema_version"] == "1.0"
    assert manifest["description"].startswith("Synthetic data generated by kpr-events synth")
    assert "extends" not in manifest
    for source in dataset.sources[:20]:
        assert source.language == "en"
        text = dataset.seed_text(source.seed)
        assert text.startswith("SYNTHETIC TEST DATA, NOT NEWS.\n")
        assert text.isascii()


def test_statements_are_varied_and_linked(larger: tuple[Dataset, SynthSummary]) -> None:
    """A mix of kinds, dates of day and month precision, figures about events referred to."""
    dataset, _ = larger
    statements = dataset.statements
    assert len({s.kind for s in statements}) == 7
    precisions = Counter(s.date.precision for s in statements if s.date is not None)
    assert precisions["day"] > 0
    assert precisions["month"] > 0
    figures = [(s, f) for s in statements for f in s.figures]
    assert len(figures) > len(statements) / 10
    for statement, figure in figures:
        assert figure.about
        assert set(figure.about) <= set(statement.refers_to)
        assert figure.text is not None
        assert figure.text in statement.quote.text
    assert all(any(r.startswith("synth-event-") for r in s.refers_to) for s in statements)
    assert any(s.responds_to for s in statements)
    assert any(s.relayed_by for s in statements)
    assert any(s.made_at for s in statements)
    assert all(e.participants and e.sources and e.evidence for e in dataset.events)
    assert {e.type for e in dataset.events} == {"MilitaryEvent", "PoliticalEvent"}


def test_refuses_a_directory_that_is_not_empty(tmp_path: Path) -> None:
    """An occupied directory is refused by name and left as it was; nothing is left beside it."""
    target = tmp_path / "taken"
    target.mkdir()
    (target / "mine.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(OutputError, match="exists and is not empty") as caught:
        synthesize(target, 10)
    assert caught.value.code == "write-failed"
    assert caught.value.path == str(target)
    assert [p.name for p in target.iterdir()] == ["mine.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["taken"]


def test_refuses_a_file(tmp_path: Path) -> None:
    """A path that names a file is not a directory to write into."""
    target = tmp_path / "file"
    target.write_text("", encoding="utf-8")
    with pytest.raises(OutputError, match="not a directory"):
        synthesize(target, 10)


def test_fills_an_empty_directory(tmp_path: Path) -> None:
    """An empty directory is taken over, and its temporary sibling is gone afterwards."""
    target = tmp_path / "empty"
    target.mkdir()
    synthesize(target, 10)
    assert sorted(p.name for p in target.iterdir()) == ["dataset.json", "fixtures", "seeds"]
    assert [p.name for p in tmp_path.iterdir()] == ["empty"]


def test_a_failure_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure part-way through leaves no directory and no temporary folder."""

    def broken(root: Path, plan: object, *_: object) -> int:
        (root / "half.json").write_text("{", encoding="utf-8")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(synth_module, "_write", broken)
    with pytest.raises(OutputError, match="No space left on device"):
        synthesize(tmp_path / "out", 10)
    assert list(tmp_path.iterdir()) == []


def test_progress_counts_every_statement(tmp_path: Path) -> None:
    """``on_progress`` hears of each source's statements as they are written, N in all."""
    counts: list[int] = []
    summary = synthesize(tmp_path / "out", 95, on_progress=counts.append)
    assert sum(counts) == 95
    written = Counter(
        record["source"]
        for path in sorted((tmp_path / "out" / "fixtures").glob("statements*.json"))
        for record in read_records(path)
    )
    assert len(counts) == summary.sources == len(written)
    assert counts == [written[source] for source in sorted(written)]


def test_a_failing_progress_callback_leaves_nothing(tmp_path: Path) -> None:
    """What the callback raises (an interrupt, say) stops the run and removes the half-written."""

    def interrupted(count: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        synthesize(tmp_path / "out", 30, on_progress=interrupted)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("count", [0, -5])
def test_refuses_fewer_than_one_statement(tmp_path: Path, count: int) -> None:
    """There is no dataset of no statements."""
    with pytest.raises(ValidationError) as caught:
        synthesize(tmp_path / "out", count)
    assert caught.value.code == "invalid-value"
    assert not (tmp_path / "out").exists()


def test_cli_writes_a_dataset_that_validates_and_verifies(run: Run, tmp_path: Path) -> None:
    """``kpr-events synth`` writes the directory; ``validate`` and ``verify`` accept it."""
    target = tmp_path / "cli"
    result = run("synth", "--statements", "40", "-o", target, "--seed", "3")
    assert result.status == 0, result.err
    assert "40 statements, 4 sources, 10 actors, 2 places, 2 events" in result.err
    assert run("validate", target).status == 0
    verified = run("verify", "--data", target)
    assert verified.status == 0, verified.out
    assert "verified" in verified.err


def test_cli_refuses_an_occupied_directory(run: Run, tmp_path: Path) -> None:
    """Exit 1 with one line naming the directory, no traceback."""
    (tmp_path / "x").write_text("", encoding="utf-8")
    result = run("synth", "--statements", "10", "-o", tmp_path)
    assert result.status == 1
    assert result.err.startswith(f"kpr-events: {tmp_path}: the directory exists and is not empty")
    assert "Traceback" not in result.err


@pytest.mark.parametrize("count", ["0", "many"])
def test_cli_refuses_a_bad_count(
    run: Run, tmp_path: Path, count: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A count that is not a whole number of at least 1 is a usage error (exit 2)."""
    with pytest.raises(SystemExit) as caught:
        run("synth", "--statements", count, "-o", tmp_path / "out")
    assert caught.value.code == 2
    assert "--statements" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


@settings(max_examples=12, deadline=None)
@given(statements=st.integers(min_value=1, max_value=120), seed=st.integers(0, 2**32))
def test_any_small_dataset_validates(statements: int, seed: int) -> None:
    """Whatever the count and the seed, the output validates and verifies."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "data"
        summary = synthesize(root, statements, seed=seed)
        assert summary.statements == statements
        assert _problems(root) == []
