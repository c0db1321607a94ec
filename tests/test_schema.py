"""The JSON Schemas: generated from the models, valid, offline, and in agreement with the models."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pydantic
import pytest
import referencing.exceptions
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpr_events import MODEL_ONLY_RULES, SCHEMA_BASE, DataError, FixtureFile, SchemaDriftError
from kpr_events._jsonio import read_json
from kpr_events._problems import from_jsonschema, from_pydantic
from kpr_events._resources import packaged_schemas
from kpr_events.artifacts import check_artifacts, generate_artifacts, write_artifacts
from kpr_events.schema import (
    FIXTURE_SCHEMA,
    fast_check,
    fast_registry,
    generate_schemas,
    registry,
    validator,
)

from . import strategies
from .conftest import PROJECT

GENERATED = generate_schemas()


def test_packaged_schemas_are_the_generated_ones() -> None:
    """What ships is exactly what the models generate: no drift."""
    assert packaged_schemas() == json.loads(json.dumps(GENERATED))


def test_committed_schemas_are_the_generated_ones() -> None:
    """schemas/ in the project matches the models (skipped only outside a checkout)."""
    if not (PROJECT / "pyproject.toml").is_file():
        pytest.skip("not running from a source checkout")
    check_artifacts(PROJECT / "schemas")


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_schema_passes_the_metaschema(name: str) -> None:
    jsonschema.Draft202012Validator.check_schema(GENERATED[name])


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_schema_identity(name: str) -> None:
    """Each has a stable, versioned $id, the 2020-12 dialect, a title and a description."""
    schema = GENERATED[name]
    assert schema["$id"] == f"https://w3id.org/kpr-events/schema/1/{name}"
    assert schema["$id"].startswith(SCHEMA_BASE)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"]
    assert schema["description"]


def _objects(node: Any) -> list[dict[str, Any]]:
    found = []
    if isinstance(node, dict):
        if "properties" in node:
            found.append(node)
        for value in node.values():
            found += _objects(value)
    elif isinstance(node, list):
        for item in node:
            found += _objects(item)
    return found


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_every_object_is_closed(name: str) -> None:
    """Every object schema forbids fields it does not define, and describes each it does."""
    for obj in _objects(GENERATED[name]):
        if obj.get("required") == ["type"] and "allOf" not in obj:
            continue  # an if-clause that selects a record type, not a record
        if set(obj["properties"]) == {"type"}:
            continue
        assert obj.get("additionalProperties") is False, obj.get("title")


def test_generation_is_deterministic(tmp_path: Path) -> None:
    """Writing twice changes nothing the second time."""
    assert write_artifacts(tmp_path) == sorted(generate_artifacts())
    assert write_artifacts(tmp_path) == []
    check_artifacts(tmp_path)


@pytest.mark.parametrize("damage", ["edit", "remove", "extra"])
def test_drift_is_detected(tmp_path: Path, damage: str) -> None:
    """A changed, missing or unexpected schema file fails the check, by name."""
    write_artifacts(tmp_path)
    target = tmp_path / "statement.schema.json"
    if damage == "edit":
        target.write_text(target.read_text().replace("verbatim", "roughly"))
    elif damage == "remove":
        target.unlink()
    else:
        shutil.copy(target, tmp_path / "old.schema.json")
        target = tmp_path / "old.schema.json"
    with pytest.raises(SchemaDriftError, match=target.name) as caught:
        check_artifacts(tmp_path)
    assert caught.value.stale == (target.name,)


def test_cross_file_refs_resolve_offline(dataset_dir: Path) -> None:
    """The fixture-file schema reaches the record schemas through the local registry."""
    for path in sorted((dataset_dir / "fixtures").glob("*.json")):
        validator().validate(json.loads(path.read_text(encoding="utf-8")))
    resolved = registry().resolver().lookup(SCHEMA_BASE + "statement.schema.json")
    assert resolved.contents["title"] == "Statement"


def test_unknown_refs_are_refused_not_fetched() -> None:
    """A $ref outside the shipped schemas is an error, with no attempt to retrieve it."""
    schema = {"$ref": "https://example.invalid/elsewhere.schema.json"}
    with pytest.raises(referencing.exceptions.Unresolvable):
        jsonschema.Draft202012Validator(schema, registry=registry()).validate({})


# The two validators agree ----------------------------------------------------


def _model_codes(document: Any) -> set[str] | None:
    """None when the model accepts; otherwise the rule codes of its complaints."""
    try:
        FixtureFile.model_validate(document)
    except pydantic.ValidationError as exc:
        # No union tags to drop: in a whole file they sit inside /records/N, and a
        # top-level key may happen to be named like one ("Source").
        return {p.code for p in from_pydantic(exc, None)}
    return None


def _schema_codes(document: Any) -> set[str]:
    return {p.code for p in from_jsonschema(validator().iter_errors(document), None)}


_SETTINGS = settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(strategies.fixture_documents)
def test_valid_documents_pass_both(document: dict[str, Any]) -> None:
    """What the strategies call valid, the model and the schema both accept."""
    assert _model_codes(document) is None
    assert _schema_codes(document) == set()


@_SETTINGS
@given(st.data())
def test_schema_and_model_agree_on_broken_documents(data: st.DataObject) -> None:
    """Model accepts => schema accepts; where only the model rejects, it is a model-only rule."""
    document = data.draw(strategies.mutations(data.draw(strategies.fixture_documents)))
    model = _model_codes(document)
    schema = _schema_codes(document)
    if model is None:
        assert schema == set(), f"schema rejects what the model accepts: {schema}"
    elif not schema:
        assert model <= MODEL_ONLY_RULES, f"only the model rejects, by {model}"


def _fast() -> Callable[[Any], bool]:
    check = fast_check()
    assert check is not None, "the test extra installs jsonschema-rs (the fast extra)"
    return check


@_SETTINGS
@given(st.data())
def test_fast_check_agrees_with_jsonschema(data: st.DataObject) -> None:
    """jsonschema-rs passes exactly the documents the reference validator passes, broken or not."""
    document = data.draw(strategies.fixture_documents)
    if data.draw(st.booleans()):
        document = data.draw(strategies.mutations(document))
    assert _fast()(document) == (_schema_codes(document) == set())


def _parseable(path: Path) -> bool:
    try:
        read_json(path)
    except DataError:
        return False  # the reader rejects it before any schema sees it
    return True


@pytest.mark.parametrize(
    "name", sorted(p.name for p in (PROJECT / "tests" / "invalid").glob("*.json") if _parseable(p))
)
def test_fast_check_rejects_the_invalid_corpus_alike(name: str) -> None:
    """Every parseable file of the invalid corpus: the same verdict from both validators."""
    document = read_json(PROJECT / "tests" / "invalid" / name)
    reference = _schema_codes(document) == set()
    if _utf8(document):
        assert _fast()(document) == reference
    else:  # jsonschema-rs cannot take it, so the reference validator is asked
        assert _fast()(document) is False


def _utf8(document: Any) -> bool:
    try:
        json.dumps(document, ensure_ascii=False).encode("utf-8")
    except UnicodeError:
        return False
    return True


def test_fast_check_fetches_nothing(counting_server: Any) -> None:
    """A $ref to anywhere but the shipped schemas is refused by jsonschema-rs, not fetched."""
    import jsonschema_rs

    url, hits = counting_server
    schema = {"$ref": f"{url}/elsewhere.schema.json"}
    with pytest.raises(jsonschema_rs.ValidationError, match="nothing is fetched"):
        jsonschema_rs.validator_for(schema, registry=fast_registry())
    assert hits == []


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("records", 0, "name", "en"), "Vladimir\x00Putin"),
        (("records", 0, "id"), "Putin"),
        (("records", 0, "kind"), "robot"),
        (("records", 0, "name"), {"ar": "بوتين"}),
        (("records", 0, "wikidata"), {"qid": "Q0"}),
        (("records", 0, "type"), "Person"),
        (("schema_version",), "2.0"),
    ],
)
def test_schema_and_model_reject_alike(path: tuple[Any, ...], value: Any) -> None:
    """Hand-picked breakages: both reject, with the same rule code."""
    document: Any = {
        "schema_version": "1.0",
        "records": [{"id": "putin", "type": "Actor", "kind": "person", "name": {"en": "P"}}],
    }
    node = document
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    model, schema = _model_codes(document), _schema_codes(document)
    assert model
    assert model == schema


def test_fixture_schema_is_named_for_files() -> None:
    assert FIXTURE_SCHEMA in GENERATED


_KEYWORDS = {
    "$schema", "$id", "$ref", "$defs", "$comment", "title", "description", "default",
    "examples", "type", "enum", "const", "properties", "required", "additionalProperties",
    "propertyNames", "items", "minItems", "maxItems", "minLength", "maxLength", "pattern",
    "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minProperties",
    "anyOf", "allOf", "oneOf", "if", "then", "else", "format", "not", "uniqueItems",
}  # fmt: skip


def _keywords(node: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            found.add(key)
            if key in ("properties", "$defs"):
                for child in value.values():
                    found |= _keywords(child)
            elif key not in ("enum", "const", "default", "examples", "required"):
                found |= _keywords(value)
    elif isinstance(node, list):
        for item in node:
            found |= _keywords(item)
    return found


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_only_standard_keywords(name: str) -> None:
    """No keyword a 2020-12 validator would silently ignore (such as pydantic's raw 'ge')."""
    assert _keywords(GENERATED[name]) <= _KEYWORDS


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_every_field_is_described(name: str) -> None:
    """Descriptions come from the models' docstrings, for every field of every object."""
    for obj in _objects(GENERATED[name]):
        for field, prop in obj["properties"].items():
            if set(obj["properties"]) == {"type"}:
                continue  # the if-clause selecting a record type
            assert prop.get("description"), f"{obj.get('title')}.{field}"


# A generic validator ---------------------------------------------------------

_UNREADABLE = {"json-syntax", "not-utf8", "empty-file", "too-deep", "duplicate-key"}


def test_check_jsonschema_agrees_offline(packaged_root: Path, tmp_path: Path) -> None:
    """check-jsonschema, knowing nothing of kpr-events, resolves the cross-file $refs from
    disk and accepts and rejects the same fixture files as the shipped validator."""
    invalid = Path(__file__).parent / "invalid"
    manifest = json.loads((invalid / "manifest.json").read_text(encoding="utf-8"))
    broken = [invalid / name for name, case in manifest.items() if case["code"] not in _UNREADABLE]
    files = [*sorted((packaged_root / "fixtures").glob("*.json")), *broken]
    schema = packaged_root / "schemas" / FIXTURE_SCHEMA
    command = [
        *(sys.executable, "-m", "check_jsonschema", "-o", "json"),
        *("--schemafile", str(schema), "--base-uri", schema.as_uri()),
        *map(str, files),
    ]
    report = json.loads(subprocess.run(command, capture_output=True, text=True).stdout)
    assert report["parse_errors"] == []
    rejected = {Path(e["filename"]) for e in report["errors"]}
    ours = {
        f for f in files if any(validator().iter_errors(json.loads(f.read_text(encoding="utf-8"))))
    }
    assert rejected == ours
    assert ours
    assert not ours & set((packaged_root / "fixtures").glob("*.json"))


def test_validate_is_the_same_without_the_fast_extra(
    monkeypatch: pytest.MonkeyPatch, packaged_root: Path
) -> None:
    """With jsonschema-rs or without it, validate reports the very same problems."""
    from kpr_events import validate_files

    invalid = sorted((PROJECT / "tests" / "invalid").glob("*.json"))
    cases = [[path] for path in invalid] + [sorted((packaged_root / "fixtures").glob("*.json"))]
    with_fast = [validate_files(files) for files in cases]
    monkeypatch.setattr("kpr_events.schema.fast_check", lambda name=None: None)
    assert [validate_files(files) for files in cases] == with_fast
    assert any(with_fast)
    assert not with_fast[-1]
