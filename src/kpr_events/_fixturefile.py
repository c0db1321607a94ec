"""One fixture file read: its valid records, each with its place, and the problems of the rest.

Loading, validating and streaming all read files this way, so a record is
valid, or not, for the same reasons whichever of them reads it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs
import pydantic

from kpr_events import _jsonio, _problems
from kpr_events.errors import DataError, Problem, ResourceError
from kpr_events.models import PACKAGED_DATASET, RECORD_ADAPTER, RECORD_TYPES, FixtureFile, Record

_RECORD_TAGS = frozenset(m.__name__ for m in RECORD_TYPES)


@attrs.frozen
class Located:
    """A record and where it was read from, for problems that point back at it."""

    record: Record
    path: str | None
    pointer: str
    extended: bool = False
    """Whether the record belongs to the dataset being extended, not to the extension."""


@attrs.define
class FileResult:
    records: list[Located] = attrs.Factory(list)
    problems: list[Problem] = attrs.Factory(list)
    invalid_ids: set[str] = attrs.Factory(set)


def read_file(path: Path, *, use_schema: bool) -> FileResult:
    """The valid records of one fixture file, the problems of the others and their ids."""
    try:
        document: Any = _jsonio.read_json(path)
    except DataError as exc:
        return FileResult(problems=list(exc.problems))
    return check_document(document, str(path), use_schema=use_schema)


def check_document(document: Any, name: str, *, use_schema: bool = False) -> FileResult:
    """A fixture file's parsed JSON: its valid records, and the problems of the others."""
    result = FileResult()
    if use_schema:
        from kpr_events.schema import fast_check, validator  # the schema is needed only here

        passes = fast_check()
        if passes is None or not passes(document):
            result.problems += _problems.from_jsonschema(validator().iter_errors(document), name)
    if not isinstance(document, dict):
        found = _problems.json_type(document)
        message = f"expected an object with 'schema_version' and 'records', found {found}"
        result.problems = result.problems or [Problem("wrong-type", message, path=name)]
        return result
    if any(not p.pointer.startswith("/records/") for p in result.problems):
        return result  # the envelope is broken: its records cannot be trusted
    records = document.get("records")
    if not isinstance(records, list):
        found = "missing" if records is None and "records" not in document else "not a list"
        code = "missing-field" if found == "missing" else "wrong-type"
        message = f"'records' is {found} (expected a list of records)"
        result.problems.append(Problem(code, message, path=name, pointer="/records"))
        return result
    try:
        FixtureFile.model_validate({**document, "records": []})
    except pydantic.ValidationError as exc:
        result.problems += _problems.from_pydantic(exc, name)
        return result
    flagged = {p.pointer.split("/")[2] for p in result.problems}
    for index, data in enumerate(records):
        record_id = data.get("id") if isinstance(data, dict) else None
        if str(index) in flagged:
            result.invalid_ids.add(str(record_id))
            continue
        try:
            record = RECORD_ADAPTER.validate_python(data)
        except pydantic.ValidationError as exc:
            result.problems += _problems.from_pydantic(exc, name, ("records", index), _RECORD_TAGS)
            result.invalid_ids.add(str(record_id))
            continue
        result.records.append(Located(record, name, f"/records/{index}"))
    return result


def check_root(root: Path) -> None:
    """Refuse a folder that is not a dataset directory, before reading anything."""
    if not (root / "fixtures").is_dir():
        raise ResourceError(
            f"{root} has no fixtures/ folder (expected a dataset directory with "
            "fixtures/*.json and seeds/*.txt)",
            path=str(root),
        )


def seed_collisions(base_folders: Sequence[Path], seeds: Path) -> list[Problem]:
    """Seed files of an extension that bear the name of a seed of the dataset it extends."""
    from kpr_events.seeds import MANIFEST  # seeds reads through _jsonio, as this module does

    theirs = {p.name: p for folder in base_folders for p in sorted(folder.glob("*.txt"))}
    return [
        Problem(
            "duplicate-seed",
            f"a seed named {path.name!r} is already in the {PACKAGED_DATASET} dataset this one "
            f"extends, at {theirs[path.name]} (expected a new file name; refer to that seed "
            "through its source instead of copying it)",
            path=str(path),
        )
        for path in sorted(seeds.glob("*.txt"))
        if path.name in theirs and path.name != MANIFEST
    ]
