"""The record format's version: what a schema change requires, and upgrading old files.

The rule (``docs/versioning.md``): a change after which every document valid
before is still valid (a new optional field, a new allowed value, a relaxed
constraint, a new schema) is *additive* and needs a new minor version; any
other change (a field removed or renamed, a value no longer allowed, a new
required field, a tighter constraint) is *breaking* and needs a new major
version, which changes every schema ``$id``.

:func:`compare_schemas` reads two sets of schemas as statements about
documents ("at ``/quote`` an object may have the field ``lang``"), so it sees
through ``$ref`` and ``anyOf`` to what a document may hold. Where it cannot
tell whether a change only relaxes (a new pattern), it calls it breaking.

When a major version comes, :data:`MIGRATIONS` holds the step from the one
before it, and :func:`upgrade_files` (``kpr-events upgrade``) rewrites fixture
files and manifests, checked before anything is written.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import attrs
import pydantic

from kpr_events import _jsonio, _problems
from kpr_events._fixturefile import check_document
from kpr_events.errors import DataError, Problem, ValidationError
from kpr_events.models import SCHEMA_VERSION, DatasetManifest
from kpr_events.schema import VERSION_COMMENT

__all__ = [
    "MIGRATIONS",
    "Bump",
    "SchemaChange",
    "compare_schemas",
    "required_bump",
    "schema_version_of",
    "upgrade_document",
    "upgrade_files",
    "version_problems",
]

Bump = Literal["major", "minor"]
Migration = Callable[[dict[str, Any]], dict[str, Any]]

MIGRATIONS: dict[int, Migration] = {}
"""Major version N to the function that turns a document of N into one of N + 1."""

# Keywords that narrow what a value may be; adding one, or changing its value, is breaking.
_CONSTRAINTS = (
    "pattern",
    "format",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "propertyNames",
    "not",
)


@attrs.frozen(order=True)
class _Fact:
    """One thing a schema says about documents, at a place in them."""

    kind: str  # schema, type, value, field, required, constraint, ref
    schema: str
    where: str  # a JSON pointer into documents; `*` for any item or any key
    what: str


@attrs.frozen
class SchemaChange:
    """A difference between two sets of schemas, and what it means for the version."""

    bump: Bump
    schema: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.schema} {self.where or '/'}: {self.message} ({self.bump})"


def _types(node: Mapping[str, Any]) -> list[str]:
    kind = node.get("type", [])
    return [kind] if isinstance(kind, str) else list(kind)


def _facts(schema: str, root: Mapping[str, Any]) -> Iterator[_Fact]:
    """What ``root`` says about documents, with local ``$ref``s followed."""
    yield _Fact("schema", schema, "", schema)

    def walk(node: Any, where: str, trail: tuple[str, ...]) -> Iterator[_Fact]:
        if not isinstance(node, Mapping):
            return
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/") and ref not in trail:
            target: Any = root
            for part in ref[2:].split("/"):
                target = target.get(part, {}) if isinstance(target, Mapping) else {}
            yield from walk(target, where, (*trail, ref))
        elif isinstance(ref, str) and not ref.startswith("#"):
            yield _Fact("ref", schema, where, ref)
        for kind in _types(node):
            yield _Fact("type", schema, where, kind)
        for value in [*node.get("enum", []), *([node["const"]] if "const" in node else [])]:
            yield _Fact(
                "value", schema, where, json.dumps(value, sort_keys=True, ensure_ascii=False)
            )
        for keyword in _CONSTRAINTS:
            if keyword in node:
                value = json.dumps(node[keyword], sort_keys=True, ensure_ascii=False)
                yield _Fact("constraint", schema, where, f"{keyword}={value}")
        if node.get("additionalProperties") is False:
            yield _Fact("constraint", schema, where, "closed")
        for name, sub in node.get("properties", {}).items():
            yield _Fact("field", schema, where, name)
            yield from walk(sub, f"{where}/{name}", trail)
        for name in node.get("required", []):
            yield _Fact("required", schema, where, name)
        for key in ("items", "additionalProperties"):
            if isinstance(node.get(key), Mapping):
                yield from walk(node[key], f"{where}/*", trail)
        for key in ("anyOf", "oneOf", "allOf"):
            for branch in node.get(key, []):
                yield from walk(branch, where, trail)
        if isinstance(node.get("then"), Mapping):
            yield from walk(node["then"], where, trail)

    yield from walk(root, "", ())


# Which way each kind of fact changes the set of valid documents, when it goes or comes.
_REMOVED: dict[str, tuple[Bump, str]] = {
    "schema": ("major", "schema removed"),
    "type": ("major", "type {} no longer allowed"),
    "value": ("major", "value {} no longer allowed"),
    "field": ("major", "field {!r} removed or renamed"),
    "ref": ("major", "reference to {} removed"),
    "required": ("minor", "field {!r} no longer required"),
    "constraint": ("minor", "constraint {} dropped"),
}
_ADDED: dict[str, tuple[Bump, str]] = {
    "schema": ("minor", "schema added"),
    "type": ("minor", "type {} now allowed"),
    "value": ("minor", "value {} now allowed"),
    "field": ("minor", "optional field {!r} added"),
    "required-field": ("major", "required field {!r} added"),
    "ref": ("minor", "reference to {} added"),
    "required": ("major", "field {!r} now required"),
    "constraint": ("major", "constraint {} added or changed"),
}


def _changes(facts: set[_Fact], table: Mapping[str, tuple[Bump, str]]) -> list[SchemaChange]:
    """A change per fact, leaving out those inside a schema or field that went or came whole."""
    schemas = {f.schema for f in facts if f.kind == "schema"}
    fields = {(f.schema, f"{f.where}/{f.what}") for f in facts if f.kind.endswith("field")}

    def inside(fact: _Fact) -> bool:
        if fact.kind != "schema" and fact.schema in schemas:
            return True
        return any(
            s == fact.schema and (fact.where == w or fact.where.startswith(w + "/"))
            for s, w in fields
        )

    return [
        SchemaChange(table[f.kind][0], f.schema, f.where, table[f.kind][1].format(f.what))
        for f in sorted(facts)
        if not inside(f)
    ]


def compare_schemas(
    old: Mapping[str, Mapping[str, Any]], new: Mapping[str, Mapping[str, Any]]
) -> list[SchemaChange]:
    """Every change from the schemas ``old`` to ``new`` (by file name), each with its bump."""
    before = {f for name, schema in old.items() for f in _facts(name, schema)}
    after = {f for name, schema in new.items() for f in _facts(name, schema)}
    added = after - before
    # A new field that is required is one breaking change, not an addition and a requirement.
    required = {(f.schema, f.where, f.what) for f in added if f.kind == "required"}
    new_required = {
        f for f in added if f.kind == "field" and (f.schema, f.where, f.what) in required
    }
    added -= new_required
    added -= {
        f for f in added if f.kind == "required" and attrs.evolve(f, kind="field") in new_required
    }
    added |= {attrs.evolve(f, kind="required-field") for f in new_required}
    return _changes(before - after, _REMOVED) + _changes(added, _ADDED)


def required_bump(changes: Sequence[SchemaChange]) -> Bump | None:
    """The least version change that announces ``changes``."""
    if any(c.bump == "major" for c in changes):
        return "major"
    return "minor" if changes else None


def _parse(version: str) -> tuple[int, int]:
    match = re.fullmatch(r"([0-9]+)\.([0-9]+)", version)
    if match is None:
        raise ValueError(f"{version!r} is not a record format version such as '1.0'")
    return int(match[1]), int(match[2])


def schema_version_of(schemas: Mapping[str, Mapping[str, Any]]) -> str:
    """The record format version a set of generated schemas states in its ``$comment``s."""
    versions = {str(s.get("$comment", "")).removeprefix(VERSION_COMMENT) for s in schemas.values()}
    if len(versions) != 1 or not re.fullmatch(r"[0-9]+\.[0-9]+", next(iter(versions))):
        raise ValueError(f"the schemas state no one version: {sorted(versions)}")
    return versions.pop()


def version_problems(
    released: Mapping[str, Mapping[str, Any]],
    current: Mapping[str, Mapping[str, Any]],
    changelog: str | None = None,
) -> list[str]:
    """Why the current schemas' version does not announce their changes since a release.

    Empty when it does: a breaking change came with a new major version, an
    additive one with a new minor version at least, and (given the changelog's
    text) the new version is named in it.
    """
    old, new = schema_version_of(released), schema_version_of(current)
    changes = compare_schemas(released, current)
    needed = required_bump(changes)
    (old_major, old_minor), (new_major, new_minor) = _parse(old), _parse(new)
    problems = []
    if needed == "major" and new_major <= old_major:
        problems.append(f"breaking changes since {old} need version {old_major + 1}.0, not {new}")
    elif needed == "minor" and (new_major, new_minor) <= (old_major, old_minor):
        problems.append(
            f"additive changes since {old} need version {old_major}.{old_minor + 1}, not {new}"
        )
    if new != old and changelog is not None and f"`schema_version` {new}" not in changelog:
        problems.append(f"the changelog does not announce `schema_version` {new}")
    if problems:
        problems += [f"  {change}" for change in changes]
    return problems


# Upgrading files ----------------------------------------------------------------


def upgrade_document(
    document: dict[str, Any],
    *,
    to: str = SCHEMA_VERSION,
    migrations: Mapping[int, Migration] = MIGRATIONS,
) -> dict[str, Any]:
    """``document`` (a fixture file or manifest) migrated to major version ``to``.

    A document of the target major version is returned as it is: minor
    versions only add, so it is valid already.
    """
    stated = document.get("schema_version")
    if not isinstance(stated, str):
        raise ValueError("no 'schema_version' (expected a version such as '1.0')")
    major, target = _parse(stated)[0], _parse(to)[0]
    if major > target:
        raise ValueError(f"version {stated} is newer than {to}; upgrade kpr-events instead")
    while major < target:
        if major not in migrations:
            raise ValueError(f"no migration from version {major}.x to {major + 1}.0")
        document = migrations[major](copy.deepcopy(document))
        major += 1
        document["schema_version"] = f"{major}.0"
    return document


def _check(path: Path, document: dict[str, Any]) -> list[Problem]:
    if "records" in document:
        return check_document(document, str(path)).problems
    try:
        DatasetManifest.model_validate(document)
    except pydantic.ValidationError as exc:
        return _problems.from_pydantic(exc, str(path))
    return []


def upgrade_files(
    paths: Sequence[Path],
    *,
    to: str = SCHEMA_VERSION,
    migrations: Mapping[int, Migration] = MIGRATIONS,
    write: bool = True,
) -> list[Path]:
    """Upgrade fixture files and manifests to version ``to``; returns those that change.

    Every file is read, migrated and (for the current version) checked against
    the model first; any problem raises :class:`ValidationError` and nothing
    is written. Then each changed file is replaced atomically.
    """
    upgraded: dict[Path, dict[str, Any]] = {}
    problems: list[Problem] = []
    for path in paths:
        try:
            document = _jsonio.read_json(path)
        except DataError as exc:
            problems += exc.problems
            continue
        if not isinstance(document, dict):
            problems.append(Problem("wrong-type", "expected an object", str(path)))
            continue
        try:
            result = upgrade_document(document, to=to, migrations=migrations)
        except ValueError as exc:
            problems.append(Problem("invalid-value", str(exc), str(path), "/schema_version"))
            continue
        if to == SCHEMA_VERSION:
            problems += _check(path, result)
        if result != document:
            upgraded[path] = result
    if problems:
        raise ValidationError(_problems.with_lines(problems))
    if write:
        for path, document in upgraded.items():
            # Key order is the curator's; only generated files are sorted.
            _jsonio.write_text(path, json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    return list(upgraded)
