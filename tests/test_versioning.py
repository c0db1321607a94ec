"""The record format version: schema changes and the bump they need, and upgrading files."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from kpr_events import SCHEMA_VERSION, ValidationError
from kpr_events.schema import generate_schemas
from kpr_events.versioning import (
    compare_schemas,
    required_bump,
    schema_version_of,
    upgrade_document,
    upgrade_files,
    version_problems,
)

from .conftest import PROJECT, Result, read_records, write_fixture

RELEASED = Path(__file__).parent / "released"
Schemas = dict[str, dict[str, Any]]
Run = Callable[..., Result]


def _released(version: str) -> Schemas:
    folder = RELEASED / version
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("*.json")}


def _last_release() -> str:
    return max((p.name for p in RELEASED.iterdir()), key=lambda v: tuple(map(int, v.split("."))))


def test_schemas_announce_every_change_since_the_last_release() -> None:
    """Against the schemas of the last release, the version says what changed, and so
    does the changelog: a breaking change unannounced fails here."""
    changelog = PROJECT / "CHANGELOG.md"
    text = changelog.read_text(encoding="utf-8") if changelog.is_file() else None
    released = _released(_last_release())
    assert schema_version_of(released) == _last_release()
    assert version_problems(released, generate_schemas(), text) == []


def test_the_schemas_state_the_version() -> None:
    assert schema_version_of(generate_schemas()) == SCHEMA_VERSION


# Each case changes the current schemas and says which bump that needs.
def _drop_field(s: Schemas) -> None:
    del s["statement.schema.json"]["properties"]["medium"]


def _rename_field(s: Schemas) -> None:
    props = s["statement.schema.json"]["properties"]
    props["channel"] = props.pop("medium")


def _add_optional_field(s: Schemas) -> None:
    s["place.schema.json"]["properties"]["population"] = {"type": "integer"}


def _add_required_field(s: Schemas) -> None:
    s["place.schema.json"]["properties"]["population"] = {"type": "integer"}
    s["place.schema.json"]["required"].append("population")


def _require_existing_field(s: Schemas) -> None:
    s["statement.schema.json"]["required"].append("medium")


def _relax_required(s: Schemas) -> None:
    s["statement.schema.json"]["required"].remove("translation")


def _add_enum_value(s: Schemas) -> None:
    s["statement.schema.json"]["properties"]["kind"]["enum"].append("rumour")


def _drop_enum_value(s: Schemas) -> None:
    s["statement.schema.json"]["properties"]["kind"]["enum"].remove("official_statement")


def _tighten(s: Schemas) -> None:
    s["statement.schema.json"]["properties"]["kind"]["maxLength"] = 5


def _add_schema(s: Schemas) -> None:
    s["note.schema.json"] = {"$comment": s["place.schema.json"]["$comment"], "type": "object"}


def _drop_schema(s: Schemas) -> None:
    del s["place.schema.json"]


def _change_description(s: Schemas) -> None:
    s["statement.schema.json"]["description"] = "Reworded."


@pytest.mark.parametrize(
    ("change", "bump"),
    [
        (_drop_field, "major"),
        (_rename_field, "major"),
        (_add_optional_field, "minor"),
        (_add_required_field, "major"),
        (_require_existing_field, "major"),
        (_relax_required, "minor"),
        (_add_enum_value, "minor"),
        (_drop_enum_value, "major"),
        (_tighten, "major"),
        (_add_schema, "minor"),
        (_drop_schema, "major"),
        (_change_description, None),
    ],
)
def test_each_change_needs_its_bump(change: Callable[[Schemas], None], bump: str | None) -> None:
    """Removals, renames, new requirements and tighter constraints are major; additions minor."""
    current = generate_schemas()
    changed = copy.deepcopy(current)
    change(changed)
    changes = compare_schemas(current, changed)
    assert required_bump(changes) == bump
    assert len(changes) == (0 if bump is None else 1 + (change is _rename_field))


def _valid(schemas: Schemas, name: str, record: dict[str, Any]) -> bool:
    return jsonschema.Draft202012Validator(schemas[name]).is_valid(record)


@pytest.mark.parametrize("change", [_add_optional_field, _relax_required, _add_enum_value])
def test_additive_changes_keep_every_record_valid(
    change: Callable[[Schemas], None], packaged_root: Path
) -> None:
    """What a minor change allows is a superset: every packaged record stays valid."""
    current = generate_schemas()
    changed = copy.deepcopy(current)
    change(changed)
    names = {"Place": "place.schema.json", "Statement": "statement.schema.json"}
    records = [
        r
        for f in sorted((packaged_root / "fixtures").glob("*.json"))
        for r in read_records(f)
        if r["type"] in names
    ]
    assert records
    assert all(_valid(changed, names[r["type"]], r) for r in records)


def test_breaking_changes_reject_a_record_the_release_accepted(dataset_dir: Path) -> None:
    """A major change has a witness: a real statement valid before and invalid after."""
    current = generate_schemas()
    statements = [
        r for f in (dataset_dir / "fixtures").glob("statements*") for r in read_records(f)
    ]
    for change in (_drop_field, _drop_enum_value, _require_existing_field):
        changed = copy.deepcopy(current)
        change(changed)
        witnesses = [
            r
            for r in statements
            if _valid(current, "statement.schema.json", r)
            and not _valid(changed, "statement.schema.json", r)
        ]
        assert witnesses, change.__name__


@pytest.mark.parametrize(
    ("change", "version", "mention", "complaint"),
    [
        (_drop_field, "1.0", True, "breaking changes since 1.0 need version 2.0, not 1.0"),
        (_drop_field, "1.1", True, "breaking changes since 1.0 need version 2.0, not 1.1"),
        (_drop_field, "2.0", False, "the changelog does not announce `schema_version` 2.0"),
        (_drop_field, "2.0", True, None),
        (_add_optional_field, "1.0", True, "additive changes since 1.0 need version 1.1, not 1.0"),
        (_add_optional_field, "1.1", True, None),
        (_change_description, "1.0", False, None),
    ],
)
def test_an_unannounced_change_is_named(
    change: Callable[[Schemas], None], version: str, mention: bool, complaint: str | None
) -> None:
    released = {
        n: {**s, "$comment": "kpr-events record format 1.0"} for n, s in generate_schemas().items()
    }
    current = copy.deepcopy(released)
    change(current)
    for schema in current.values():
        schema["$comment"] = f"kpr-events record format {version}"
    changelog = f"## Changed\n\n- `schema_version` {version}: …\n" if mention else "## Changed\n"
    problems = version_problems(released, current, changelog)
    assert (problems[0] if problems else None) == complaint
    if complaint:
        assert any(line.startswith("  ") for line in problems[1:])


def test_schema_compare_command(run: Run, tmp_path: Path) -> None:
    """`schema --compare` lists the changes and fails when the version does not announce them."""
    assert run("schema", "--compare", RELEASED / _last_release()).status == 0
    older = tmp_path / "older"
    older.mkdir()
    schemas = generate_schemas()
    _add_optional_field(schemas)  # the release had a field the models no longer have
    for name, schema in schemas.items():
        (older / name).write_text(json.dumps(schema), encoding="utf-8")
    result = run("schema", "--compare", older)
    assert result.status == 1
    assert "place.schema.json /: field 'population' removed or renamed (major)" in result.out
    assert "need version 2.0" in result.err


# Upgrading files ------------------------------------------------------------------


def _rename_medium(document: dict[str, Any]) -> dict[str, Any]:
    """A stand-in for a real migration: version 1 calls `channel` what version 2 calls `medium`."""
    for record in document.get("records", []):
        if "channel" in record:
            record["medium"] = record.pop("channel")
    return document


def test_upgrade_runs_each_migration_in_turn() -> None:
    steps: list[int] = []

    def step(major: int) -> Callable[[dict[str, Any]], dict[str, Any]]:
        def migrate(document: dict[str, Any]) -> dict[str, Any]:
            steps.append(major)
            return document

        return migrate

    document = {"schema_version": "1.3", "records": []}
    upgraded = upgrade_document(document, to="3.0", migrations={1: step(1), 2: step(2)})
    assert steps == [1, 2]
    assert upgraded["schema_version"] == "3.0"
    assert upgrade_document(document) is document  # the current major: nothing to do


@pytest.mark.parametrize(
    ("version", "message"),
    [
        ("2.0", "newer than"),
        ("0.9", "no migration from version 0.x"),
        ("one", "not a record format version"),
    ],
)
def test_upgrade_refuses_what_it_cannot_do(version: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        upgrade_document({"schema_version": version, "records": []})


def _old_statements(root: Path) -> Path:
    """The first statements file, written as a version 0 file would be: `channel` for `medium`."""
    statements = sorted((root / "fixtures").glob("statements*.json"))[0]
    records = read_records(statements)
    for record in records:
        if "medium" in record:
            record["channel"] = record.pop("medium")
    write_fixture(statements, records, version="0.5")
    return statements


def test_upgrade_files_rewrites_old_files(dataset_dir: Path) -> None:
    """The old file is migrated and replaced; files of the current version are left alone."""
    files = sorted((dataset_dir / "fixtures").glob("*.json"))
    expected = {f: json.loads(f.read_text(encoding="utf-8")) for f in files}
    statements = _old_statements(dataset_dir)
    untouched = {f: f.read_bytes() for f in files if f != statements}
    assert upgrade_files(files, migrations={0: _rename_medium}) == [statements]
    assert {f: f.read_bytes() for f in untouched} == untouched
    upgraded = json.loads(statements.read_text(encoding="utf-8"))
    assert upgraded["records"] == expected[statements]["records"]
    assert upgraded["schema_version"] == "1.0"


def test_upgrade_files_is_all_or_nothing(dataset_dir: Path) -> None:
    """One file the migration leaves invalid: it is named, and no file is written."""
    files = sorted((dataset_dir / "fixtures").glob("*.json"))
    _old_statements(dataset_dir)
    actors = dataset_dir / "fixtures" / "actors.json"
    records = read_records(actors)
    records[0]["nickname"] = "unknown to every version"
    write_fixture(actors, records, version="0.1")
    before = {f: f.read_bytes() for f in files}
    with pytest.raises(ValidationError) as caught:
        upgrade_files(files, migrations={0: _rename_medium})
    assert {f: f.read_bytes() for f in files} == before
    (problem,) = caught.value.problems
    assert (problem.code, problem.path, problem.pointer) == (
        "unknown-field",
        str(actors),
        "/records/0/nickname",
    )


def test_upgrade_command(run: Run, dataset_dir: Path) -> None:
    """`upgrade --check` passes a current dataset; a file from a newer format is refused."""
    assert run("upgrade", dataset_dir, "--check").status == 0
    statements = sorted((dataset_dir / "fixtures").glob("statements*.json"))[0]
    write_fixture(statements, read_records(statements), version="2.0")
    result = run("upgrade", dataset_dir)
    assert result.status == 1
    assert f"{statements}#/schema_version" in result.err
    assert "newer than" in result.err
    assert "Traceback" not in result.err
