"""JSON Schemas (Draft 2020-12) generated from the models, and offline validation.

One schema per record type and one for a whole fixture file, each with a
stable ``$id`` under :data:`SCHEMA_BASE`. The fixture-file schema refers to the
record schemas by relative ``$ref``, which resolve against the shipped files
through a local registry: validation never touches the network.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

import jsonschema
import referencing
import referencing.exceptions
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema
from referencing.jsonschema import DRAFT202012

from kpr_events import _resources
from kpr_events._fields import TEXT_PATTERN
from kpr_events.models import RECORD_TYPES, SCHEMA_VERSION, DatasetManifest, FixtureFile

__all__ = [
    "FIXTURE_SCHEMA",
    "MANIFEST_SCHEMA",
    "SCHEMA_BASE",
    "VERSION_COMMENT",
    "generate_schemas",
    "registry",
    "schema_name",
    "validator",
]

SCHEMA_BASE = f"https://w3id.org/kpr-events/schema/{SCHEMA_VERSION.split('.')[0]}/"
FIXTURE_SCHEMA = "fixture-file.schema.json"
MANIFEST_SCHEMA = "dataset-manifest.schema.json"
DIALECT = "https://json-schema.org/draft/2020-12/schema"
VERSION_COMMENT = "kpr-events record format "
"""How every schema's ``$comment`` starts; the full record format version follows."""
MULTILINE_PATTERNS = frozenset({TEXT_PATTERN})
"""Patterns whose strings may hold line breaks (quotes, notes)."""


def schema_name(model: type[Any]) -> str:
    """The schema file name for a model: ``MilitaryEvent`` -> ``military-event.schema.json``."""
    name = model.__name__
    slug = "".join(f"-{c.lower()}" if c.isupper() else c for c in name).lstrip("-")
    return f"{slug}.schema.json"


class _Generator(GenerateJsonSchema):
    """pydantic's generator, with a few changes that make the schemas strict and clear."""

    def field_title_should_be_set(self, schema: Any) -> bool:
        # Field titles would only repeat field names; descriptions carry the meaning.
        return False

    def str_schema(self, schema: core_schema.StringSchema) -> JsonSchemaValue:
        return _one_line(super().str_schema(schema))

    def dict_schema(self, schema: core_schema.DictSchema) -> JsonSchemaValue:
        # pydantic writes constrained keys as patternProperties, which lets other
        # keys through; propertyNames + additionalProperties rejects them, as the model does.
        result = super().dict_schema(schema)
        patterns = result.pop("patternProperties", None)
        if patterns:
            ((pattern, values),) = patterns.items()
            result["propertyNames"] = _one_line({"pattern": pattern})
            result["additionalProperties"] = values
        return result

    def tagged_union_schema(self, schema: core_schema.TaggedUnionSchema) -> JsonSchemaValue:
        # oneOf over eight record types reports only "not valid under any";
        # if/then on `type` reports what is wrong inside the record it names.
        result = super().tagged_union_schema(schema)
        tags = sorted(str(tag) for tag in schema["choices"])
        mapping = result["discriminator"]["mapping"]
        return {
            "type": "object",
            "required": ["type"],
            "properties": {"type": {"enum": tags}},
            "allOf": [
                {
                    "if": {
                        "type": "object",
                        "properties": {"type": {"const": tag}},
                        "required": ["type"],
                    },
                    "then": {"$ref": mapping[tag]},
                }
                for tag in tags
            ],
        }


def _one_line(schema: JsonSchemaValue) -> JsonSchemaValue:
    """Make an anchored pattern reject a trailing line break in every regex engine.

    JSON Schema patterns are ECMA-262, where ``$`` is the end of the string, but
    Python's ``re`` (which the ``jsonschema`` package uses) also lets ``$`` match
    before a final newline: ``"russia\n"`` would pass as an id. ``not`` a
    newline closes that gap with a pattern every engine reads the same.
    """
    pattern = schema.get("pattern")
    if pattern and pattern.endswith("$") and pattern not in MULTILINE_PATTERNS:
        schema["not"] = {"pattern": "\n"}
    return schema


def _model_schema(model: type[Any]) -> dict[str, Any]:
    schema: dict[str, Any] = model.model_json_schema(schema_generator=_Generator)
    return {
        "$schema": DIALECT,
        "$id": SCHEMA_BASE + schema_name(model),
        "$comment": VERSION_COMMENT + SCHEMA_VERSION,
        **schema,
    }


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def _link_records(schema: dict[str, Any]) -> dict[str, Any]:
    """Point the fixture schema's record definitions at the record schema files."""
    files = {f"#/$defs/{m.__name__}": schema_name(m) for m in RECORD_TYPES}

    def relink(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: files.get(v, v) if k == "$ref" else relink(v) for k, v in node.items()}
        if isinstance(node, list):
            return [relink(item) for item in node]
        return node

    linked: dict[str, Any] = relink(schema)
    linked["$defs"] = {}
    return linked


def generate_schemas() -> dict[str, dict[str, Any]]:
    """Every schema, by file name, freshly generated from the models."""
    schemas = {schema_name(m): _model_schema(m) for m in RECORD_TYPES}
    fixture = _link_records(_model_schema(FixtureFile))
    if not fixture["$defs"]:
        del fixture["$defs"]
    schemas[FIXTURE_SCHEMA] = fixture
    schemas[MANIFEST_SCHEMA] = _model_schema(DatasetManifest)
    return dict(sorted(schemas.items()))


def _refuse(uri: str) -> referencing.Resource[Any]:
    raise referencing.exceptions.NoSuchResource(uri)


@cache
def registry() -> referencing.Registry[Any]:
    """The shipped schemas by ``$id``; any other URI is refused, never fetched."""
    resources = [
        (schema["$id"], DRAFT202012.create_resource(schema))
        for schema in _resources.packaged_schemas().values()
    ]
    return referencing.Registry(retrieve=_refuse).with_resources(resources).crawl()  # type: ignore[call-arg]


@cache
def fast_check(name: str = FIXTURE_SCHEMA) -> Callable[[Any], bool] | None:
    """Whether a document passes schema ``name``, by jsonschema-rs, if the ``fast`` extra is in.

    About a hundred times quicker than :func:`validator`, so a large dataset's
    valid files are checked by it alone; a file it rejects goes to
    :func:`validator`, whose messages and places are the ones reported.
    """
    registry = fast_registry()
    if registry is None:
        return None
    import jsonschema_rs

    schema = _resources.packaged_schemas()[name]
    is_valid = jsonschema_rs.validator_for(schema, registry=registry).is_valid

    def passes(document: Any) -> bool:
        try:
            return is_valid(document)
        except (UnicodeError, ValueError, OverflowError):
            return False  # what it cannot take (a lone surrogate, a huge number): ask jsonschema

    return passes


def fast_registry() -> Any:
    """The shipped schemas by ``$id`` for jsonschema-rs (None without it); other URIs refused."""
    try:
        import jsonschema_rs
    except ImportError:
        return None
    schemas = _resources.packaged_schemas().values()
    return jsonschema_rs.Registry([(s["$id"], s) for s in schemas], retriever=_refuse_fetch)


def _refuse_fetch(uri: str) -> Any:
    raise ValueError(f"{uri} is not a shipped schema; nothing is fetched")


@cache
def validator(name: str = FIXTURE_SCHEMA) -> jsonschema.Draft202012Validator:
    """A validator for the shipped schema ``name``, resolving ``$ref`` offline."""
    schema = copy.deepcopy(_resources.packaged_schemas()[name])
    return jsonschema.Draft202012Validator(
        schema,
        registry=registry(),
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )
