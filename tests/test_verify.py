"""Verification against the seeds: spans, hashes, and records nothing uses."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

from kpr_events import Dataset, ResourceError, load_dataset
from kpr_events.verify import quote_spans, verify_dataset

from .conftest import Result, read_records, statements_file, write_fixture


def _codes(root: Path) -> list[tuple[str, str, str]]:
    return sorted(
        (p.code, Path(p.path or "").name, p.pointer) for p in verify_dataset(load_dataset(root))
    )


def test_packaged_dataset_verifies(dataset: Dataset) -> None:
    assert verify_dataset(dataset) == []


def test_every_span_is_checked(dataset: Dataset) -> None:
    """Statements, event evidence and article texts all have their spans found."""
    kinds = {record.type for record in dataset for _ in quote_spans(record)}
    assert {"Statement", "MilitaryEvent"} <= kinds


def test_shifted_span_is_caught(dataset_dir: Path) -> None:
    """A span moved by one character no longer slices its text, and says where it is."""
    path = statements_file(dataset_dir)
    records = read_records(path)
    records[0]["quote"]["start"] += 1
    records[0]["quote"]["end"] += 1
    write_fixture(path, records)
    problems = verify_dataset(load_dataset(dataset_dir))
    assert [(p.code, p.pointer) for p in problems] == [("quote-mismatch", "/records/0/quote")]
    assert "the text is at" in problems[0].message


def test_changed_seed_is_caught(dataset_dir: Path) -> None:
    """One changed character: the Source's hash and the manifest both object."""
    seed = dataset_dir / "seeds" / "003_d8d3faf852fe3968.txt"
    seed.write_bytes(seed.read_bytes().replace("الأناضول".encode(), "الاناضول".encode()))
    sources = read_records(dataset_dir / "fixtures" / "sources.json")
    index = next(i for i, s in enumerate(sources) if s["seed"] == seed.name)
    codes = _codes(dataset_dir)
    assert ("seed-hash", "sources.json", f"/records/{index}/sha256") in codes
    assert ("seed-hash", seed.name, "") in codes


def test_missing_seed_is_caught(dataset_dir: Path) -> None:
    (dataset_dir / "seeds" / "003_d8d3faf852fe3968.txt").unlink()
    found = {(code, name) for code, name, _ in _codes(dataset_dir)}
    assert {code for code, _ in found} == {"seed-missing"}
    assert ("seed-missing", "sources.json") in found


def test_unused_actor_is_caught(dataset_dir: Path) -> None:
    path = dataset_dir / "fixtures" / "actors.json"
    records = read_records(path)
    records.append({"id": "nobody", "type": "Actor", "kind": "person", "name": {"en": "Nobody"}})
    write_fixture(path, records)
    assert _codes(dataset_dir) == [
        ("unused-record", "actors.json", f"/records/{len(records) - 1}/id")
    ]


def test_dataset_without_seeds() -> None:
    with pytest.raises(ResourceError, match="no seeds folder"):
        verify_dataset(Dataset([]))


def test_verify_command(run: Callable[..., Result], dataset_dir: Path) -> None:
    assert run("verify").status == 0
    path = statements_file(dataset_dir)
    records = read_records(path)
    records[1]["quote"]["text"] = records[1]["quote"]["text"][::-1]
    write_fixture(path, records)
    result = run("verify", "--data", dataset_dir)
    assert result.status == 1
    assert f"{path}#/records/1/quote" in result.out
    assert "[quote-mismatch]" in result.out


def test_an_unreadable_seed_says_why(dataset_dir: Path, dataset: Dataset) -> None:
    """A seed that is there but not UTF-8 is `not-utf8` with its line, not `seed-missing`."""
    seed = dataset_dir / "seeds" / dataset.sources[0].seed
    seed.write_bytes(seed.read_bytes().replace("ا".encode(), b"\xc7", 1))
    problems = verify_dataset(load_dataset(dataset_dir))
    unreadable = [p for p in problems if p.code == "not-utf8"]
    assert [(p.path, p.line is not None) for p in unreadable] == [(str(seed), True)]
    assert "seed-missing" not in {p.code for p in problems}


def test_a_seeds_folder_needs_its_manifest(dataset_dir: Path) -> None:
    (dataset_dir / "seeds" / "SHA256SUMS").unlink()
    assert _codes(dataset_dir) == [("seed-missing", "seeds", "")]


def test_a_seed_no_source_names_is_flagged(dataset_dir: Path) -> None:
    """An unused seed is reported even when the manifest lists it and its hash is right."""
    extra = dataset_dir / "seeds" / "999_unused.txt"
    extra.write_text("not an article", encoding="utf-8")
    digest = hashlib.sha256(extra.read_bytes()).hexdigest()
    with (dataset_dir / "seeds" / "SHA256SUMS").open("a", encoding="utf-8") as manifest:
        manifest.write(f"{digest}  {extra.name}\n")
    assert _codes(dataset_dir) == [("seed-unused", extra.name, "")]
