"""Loading datasets and validating fixture files: lookups, integrity, every problem reported."""

from __future__ import annotations

import json
import re
import shlex
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kpr_events import (
    Actor,
    Dataset,
    KprEventsError,
    MilitaryEvent,
    ResourceError,
    Statement,
    ValidationError,
    load_dataset,
    validate_files,
)
from kpr_events.models import RECORD_ADAPTER

from .conftest import PROJECT, Result, read_records, statements_file, write_fixture

INVALID = Path(__file__).parent / "invalid"
MANIFEST: dict[str, dict[str, Any]] = json.loads((INVALID / "manifest.json").read_text())


def test_packaged_dataset_loads(dataset: Dataset) -> None:
    """The shipped fixtures load, and every record is reachable by its id."""
    assert len(dataset) > 0
    for record in dataset:
        assert dataset[record.id] is record
    assert {type(r).__name__ for r in dataset} >= {"Actor", "Statement", "Source", "Treaty"}


def test_lookup_by_kind(dataset: Dataset) -> None:
    """``get`` checks the type of what it returns; unknown ids raise KeyError."""
    assert isinstance(dataset.get("putin", Actor), Actor)
    with pytest.raises(TypeError, match="is a Actor, not a Statement"):
        dataset.get("putin", Statement)
    with pytest.raises(KeyError, match="no-such-id"):
        dataset["no-such-id"]


def test_relations(dataset: Dataset) -> None:
    """Statements about a record, an event's figures with their claimants, a treaty's articles."""
    about = dataset.statements_about("treaty-csp-2024-art-4")
    assert about
    assert all("treaty-csp-2024-art-4" in s.refers_to for s in about)
    assert [a.number for a in dataset.articles_of("treaty-csp-2024")] == ["4"]
    claims = dataset.figures_for("dprk-troops-sent-to-russia")
    assert claims
    assert all(figure in statement.figures for statement, figure in claims)


def test_load_from_directory(dataset_dir: Path) -> None:
    """A directory laid out like the project loads like the packaged data."""
    assert len(load_dataset(dataset_dir)) == len(load_dataset())
    assert len(load_dataset(str(dataset_dir))) == len(load_dataset())


def test_directory_without_fixtures(tmp_path: Path) -> None:
    """A folder that is not a dataset gives a ResourceError naming it."""
    with pytest.raises(ResourceError, match="no fixtures/ folder"):
        load_dataset(tmp_path)


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_invalid_corpus(name: str) -> None:
    """Each broken file is reported with its expected rule code, file and place."""
    expected = MANIFEST[name]
    path = INVALID / name
    problems = validate_files([path])
    assert problems, f"{name} should fail ({expected['attack']})"
    assert all(p.path == str(path) for p in problems)
    found = {(p.code, p.pointer) for p in problems}
    assert (expected["code"], expected["pointer"]) in found
    if expected["line"] is not None:
        assert any(p.line == expected["line"] for p in problems)


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_invalid_corpus_without_schema(name: str, tmp_path: Path) -> None:
    """Loading (model and integrity only, no JSON Schema) rejects every broken file too."""
    (tmp_path / "fixtures").mkdir()
    (tmp_path / "fixtures" / name).write_bytes((INVALID / name).read_bytes())
    with pytest.raises(ValidationError) as caught:
        load_dataset(tmp_path)
    assert MANIFEST[name]["code"] in {p.code for p in caught.value.problems}


def test_all_problems_are_reported(dataset_dir: Path) -> None:
    """Several broken records in several files: every one is listed, none hides another."""
    actors = dataset_dir / "fixtures" / "actors.json"
    records = read_records(actors)
    records[0]["bogus"] = 1
    records[1]["id"] = "Not A Slug"
    write_fixture(actors, records)
    statements = statements_file(dataset_dir)
    records = read_records(statements)
    records[2]["speaker"] = "ghost"
    write_fixture(statements, records)
    with pytest.raises(ValidationError) as caught:
        load_dataset(dataset_dir)
    found = {(Path(p.path or "").name, p.pointer, p.code) for p in caught.value.problems}
    assert ("actors.json", "/records/0/bogus", "unknown-field") in found
    assert ("actors.json", "/records/1/id", "invalid-id") in found
    assert (statements.name, "/records/2/speaker", "missing-reference") in found


def test_duplicate_ids_across_files(dataset_dir: Path) -> None:
    """The same id in two files is reported at the second, naming the first."""
    first = read_records(dataset_dir / "fixtures" / "actors.json")[0]
    write_fixture(dataset_dir / "fixtures" / "zz-extra.json", [first])
    with pytest.raises(ValidationError) as caught:
        load_dataset(dataset_dir)
    (problem,) = caught.value.problems
    assert problem.code == "duplicate-id"
    assert problem.path is not None
    assert problem.path.endswith("zz-extra.json")
    assert problem.pointer == "/records/0/id"
    assert "actors.json#/records/0" in problem.message


def test_constructed_dataset_checks_references() -> None:
    """A Dataset built in code is checked like a loaded one."""
    statement = RECORD_ADAPTER.validate_python(
        {
            "id": "s",
            "type": "Statement",
            "kind": "denial",
            "speaker": "nobody",
            "source": "nowhere",
            "quote": {"seed": "x.txt", "start": 0, "end": 1, "text": "a"},
            "translation": {"text": "a"},
        }
    )
    with pytest.raises(ValidationError) as caught:
        Dataset([statement])
    assert [(p.code, p.pointer) for p in caught.value.problems] == [
        ("missing-reference", "/0/speaker"),
        ("missing-reference", "/0/source"),
    ]


def test_errors_share_one_root(tmp_path: Path) -> None:
    """Every failure is a KprEventsError and a ValueError, carrying a code, file and pointer."""
    (tmp_path / "fixtures").mkdir()
    (tmp_path / "fixtures" / "bad.json").write_text("{", encoding="utf-8")
    with pytest.raises(KprEventsError) as caught:
        load_dataset(tmp_path)
    assert isinstance(caught.value, ValueError)
    assert caught.value.code == "json-syntax"
    assert caught.value.path == str(tmp_path / "fixtures" / "bad.json")


def test_event_evidence_must_come_from_its_sources(dataset_dir: Path) -> None:
    """Evidence quoted from a seed that is not one of the event's sources is flagged."""
    events = dataset_dir / "fixtures" / "events.json"
    records = read_records(events)
    index = next(i for i, r in enumerate(records) if r.get("evidence"))
    records[index]["evidence"][0]["seed"] = "999_0000000000000000.txt"
    write_fixture(events, records)
    with pytest.raises(ValidationError) as caught:
        load_dataset(dataset_dir)
    assert [(p.code, p.pointer) for p in caught.value.problems] == [
        ("seed-mismatch", f"/records/{index}/evidence/0/seed")
    ]


def test_events_are_military_or_diplomatic(dataset: Dataset) -> None:
    assert all(isinstance(e, MilitaryEvent) or e.type == "PoliticalEvent" for e in dataset.events)


@pytest.mark.parametrize("name", sorted(n for n, e in MANIFEST.items() if e["pointer"]))
def test_problems_carry_the_line(name: str) -> None:
    """A problem at a field points at the line where that field is written."""
    path = INVALID / name
    lines = path.read_text(encoding="utf-8").splitlines()
    for problem in validate_files([path]):
        assert problem.line is not None
        key = problem.pointer.rsplit("/", 1)[-1]
        if not key.isdigit() and f'"{key}"' in path.read_text(encoding="utf-8"):
            assert f'"{key}"' in lines[problem.line - 1] or problem.code == "missing-field"


def test_statement_after_its_source_is_rejected(dataset_dir: Path) -> None:
    """A statement dated after the article that reports it is a contradiction."""
    path = statements_file(dataset_dir)
    records = read_records(path)
    index = next(i for i, r in enumerate(records) if r.get("date"))
    records[index]["date"] = {"edtf": "2030-01-01"}
    write_fixture(path, records)
    with pytest.raises(ValidationError) as caught:
        load_dataset(dataset_dir)
    assert [(p.code, p.pointer) for p in caught.value.problems] == [
        ("date-order", f"/records/{index}/date/edtf")
    ]


# Extension datasets -------------------------------------------------------------


def _extension_records(root: Path) -> list[dict[str, Any]]:
    return [r for f in sorted((root / "fixtures").glob("*.json")) for r in read_records(f)]


def test_extension_is_merged_over_the_packaged_data(extension_dir: Path, dataset: Dataset) -> None:
    """Every packaged record and every record of the extension, references resolved across."""
    merged = load_dataset(extension_dir)
    own = {r["id"] for r in _extension_records(extension_dir)}
    assert {r.id for r in merged} == {r.id for r in dataset} | own
    assert own.isdisjoint(r.id for r in dataset)
    statement = merged.get("example-001-mentions-treaty", Statement)
    assert statement in merged.statements_about("treaty-csp-2024")
    assert merged.seed_folders[-1] == extension_dir / "seeds"
    assert merged.seed_path(statement.quote.seed).parent == extension_dir / "seeds"
    assert merged.seed_path("000_b95b3c31ac6a1fe8.txt") == dataset.seed_path(
        "000_b95b3c31ac6a1fe8.txt"
    )


def test_without_a_manifest_a_directory_stands_alone(extension_dir: Path) -> None:
    """The same files without dataset.json: the packaged ids they use are missing."""
    (extension_dir / "dataset.json").unlink()
    with pytest.raises(ValidationError) as caught:
        load_dataset(extension_dir)
    missing = {p.message.split("'")[1] for p in caught.value.problems}
    assert {p.code for p in caught.value.problems} == {"missing-reference"}
    assert missing == {"treaty-csp-2024", "russia", "dprk"}


def test_an_id_collision_is_rejected_by_name(extension_dir: Path, dataset: Dataset) -> None:
    """Reusing a packaged id is a problem in the extension's file naming the packaged record."""
    packaged = dataset.get("putin", Actor)
    actors = extension_dir / "fixtures" / "actors.json"
    records = read_records(actors)
    write_fixture(actors, [*records, packaged.to_dict()])
    with pytest.raises(ValidationError) as caught:
        load_dataset(extension_dir)
    (problem,) = caught.value.problems
    file, pointer = dataset.location("putin")
    assert problem.code == "duplicate-id"
    assert (problem.path, problem.pointer) == (str(actors), f"/records/{len(records)}/id")
    assert "'putin'" in problem.message
    assert f"{file}#{pointer}" in problem.message
    assert "kpr-events dataset this one extends" in problem.message


def test_a_seed_name_collision_is_rejected(extension_dir: Path, dataset: Dataset) -> None:
    """A seed file named like a packaged seed is a problem, not a silent override."""
    name = dataset.sources[0].seed
    (extension_dir / "seeds" / name).write_text("not the article", encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        load_dataset(extension_dir)
    (problem,) = caught.value.problems
    assert problem.code == "duplicate-seed"
    assert problem.path == str(extension_dir / "seeds" / name)
    assert str(dataset.seed_path(name)) in problem.message


@pytest.mark.parametrize(
    ("manifest", "code", "pointer"),
    [
        ('{"schema_version": "1.0", "extends": "wikidata"}', "invalid-value", "/extends"),
        ('{"extends": "kpr-events"}', "missing-field", "/schema_version"),
        ('{"schema_version": "2.0"}', "invalid-value", "/schema_version"),
        ('{"schema_version": "1.0", "extend": "kpr-events"}', "unknown-field", "/extend"),
        ('{"schema_version": "1.0",\n "extends": }', "json-syntax", ""),
    ],
)
def test_a_broken_manifest_is_located(
    extension_dir: Path, manifest: str, code: str, pointer: str
) -> None:
    """dataset.json is checked like a fixture file: its file, pointer or line, and a rule code."""
    (extension_dir / "dataset.json").write_text(manifest, encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        load_dataset(extension_dir)
    (problem,) = caught.value.problems
    assert (problem.code, problem.pointer) == (code, pointer)
    assert problem.path == str(extension_dir / "dataset.json")
    assert problem.line is not None


def test_extension_records_are_checked_against_packaged_ones(extension_dir: Path) -> None:
    """Integrity spans both datasets: a packaged id of the wrong kind is reported."""
    statements = extension_dir / "fixtures" / "statements.json"
    records = read_records(statements)
    records[0]["speaker"] = "treaty-csp-2024"
    write_fixture(statements, records)
    with pytest.raises(ValidationError) as caught:
        load_dataset(extension_dir)
    (problem,) = caught.value.problems
    assert (problem.code, problem.pointer) == ("wrong-reference-kind", "/records/0/speaker")


EXTENDING = PROJECT / "docs" / "extending.md"


def _page_blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", EXTENDING.read_text(encoding="utf-8"), re.S)


@pytest.mark.skipif(not EXTENDING.is_file(), reason="needs the source checkout")
def test_the_worked_example_runs_as_written(
    extension_dir: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/extending.md: each command succeeds from docs/examples/, and the Python runs."""
    monkeypatch.chdir(extension_dir.parent)
    commands = [
        shlex.split(line.removeprefix("$ kpr-events "))
        for block in _page_blocks("console")
        for line in block.splitlines()
        if line.startswith("$ kpr-events ")
    ]
    assert [c[0] for c in commands] == ["validate", "verify", "export", "query"]
    results = {c[0]: run(*c) for c in commands}
    assert all(r.status == 0 for r in results.values()), results
    merged = load_dataset(extension_dir)
    exported = Path("merged.nt").read_text(encoding="utf-8")
    assert all(merged.get(r.id, type(r)).iri() in exported for r in merged)
    answers = results["query"].out
    assert "example-001-mentions-treaty" in answers
    assert "000-dprk-announces-troops-under-treaty" in answers
    for block in _page_blocks("python"):
        exec(compile(block, str(EXTENDING), "exec"), {})


def test_extension_in_the_cli_reports_collisions(
    extension_dir: Path, run: Callable[..., Result], dataset: Dataset
) -> None:
    """validate, verify and export on a colliding extension: one located problem, exit 1."""
    shutil.copy(dataset.seed_path(dataset.sources[0].seed), extension_dir / "seeds")
    outcomes = [
        run("validate", extension_dir, "--format", "json"),
        run("verify", "--data", extension_dir),
        run("export", "--data", extension_dir),
    ]
    assert [o.status for o in outcomes] == [1, 1, 1]
    assert [p["code"] for p in json.loads(outcomes[0].out)] == ["duplicate-seed"]
    for outcome in outcomes[1:]:
        assert "[duplicate-seed]" in outcome.err
        assert "Traceback" not in outcome.err


def test_garbage_collection_is_back_on_after_a_load(dataset_dir: Path) -> None:
    """The collector paused for a load runs again after it, whether the load succeeds or fails;
    and a caller who had turned it off finds it off."""
    import gc

    assert gc.isenabled()
    load_dataset(dataset_dir)
    assert gc.isenabled()
    (dataset_dir / "fixtures" / "broken.json").write_text("{", encoding="utf-8")
    with pytest.raises(ValidationError):
        load_dataset(dataset_dir)
    assert gc.isenabled()
    gc.disable()
    try:
        load_dataset()
        assert not gc.isenabled()
    finally:
        gc.enable()
