"""Turning pydantic and jsonschema errors into :class:`Problem`\\ s with rule codes.

Both validators check the same patterns, so both report a broken pattern with
the same code and the same words, whichever found it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pydantic

from kpr_events._fields import (
    ARTICLE_NUMBER_PATTERN,
    LABEL_PATTERN,
    LANG_PATTERN,
    MAX_ID_LENGTH,
    QID_PATTERN,
    SCHEMA_VERSION_PATTERN,
    SEED_PATTERN,
    SHA256_PATTERN,
    SLUG_PATTERN,
    TEXT_PATTERN,
)
from kpr_events._jsonio import line_map, line_of, pointer_part
from kpr_events.dates import EDTF_PATTERN
from kpr_events.errors import RULES, Problem


@attrs.frozen
class Format:
    """What a pattern means, said once for error messages and for the docs."""

    name: str  # the format's name in the docs' field tables
    code: str  # the rule code a value that breaks it reports
    expected: str  # the words an error message uses
    meaning: str  # the docs' Formats section


PATTERNS: dict[str, Format] = {
    SLUG_PATTERN: Format(
        "slug",
        "invalid-id",
        "a lowercase ASCII slug such as 'treaty-csp-2024'",
        "lowercase ASCII letters and digits in hyphen-separated runs, "
        f"at most {MAX_ID_LENGTH} characters: `treaty-csp-2024-art-4`",
    ),
    LANG_PATTERN: Format(
        "language tag",
        "invalid-lang",
        "a BCP 47 language tag such as 'en' or 'ar'",
        "a well-formed BCP 47 tag in canonical case: `en`, `ar`, `zh-Hans`, `ar-x-curator`",
    ),
    QID_PATTERN: Format(
        "QID", "invalid-qid", "a Wikidata id such as 'Q7747'", "a Wikidata item id: `Q7747`"
    ),
    TEXT_PATTERN: Format(
        "text",
        "invalid-text",
        "text without control characters",
        "any non-empty text without control characters (tab and line breaks aside), "
        "bidi embedding, override or isolate controls (U+202A–U+202E, U+2066–U+2069) "
        "or U+FFFE/U+FFFF; lone surrogates are refused too",
    ),
    LABEL_PATTERN: Format(
        "label",
        "invalid-text",
        "a one-line label with no space at either end",
        "one line of text (a name, a title) with no space at either end, and none of "
        "the characters text refuses",
    ),
    EDTF_PATTERN: Format(
        "EDTF",
        "edtf-invalid",
        "an EDTF date such as '2025-04-26', '2024-06' or '2024/2025'",
        "a date in the EDTF subset: `2025-04-26`, `2024-06`, `2024`, `2024-12~`, "
        "`2024-08-06/2025-04-26`, `2022-02-24/..`, `/2025-04-26`, "
        "`[2025-04-28..2025-04-30]`, `[2025-01-02,2025-12-25]`",
    ),
    SEED_PATTERN: Format(
        "seed file name",
        "invalid-value",
        "a seed file name ending in '.txt'",
        "a file name in `seeds/` ending in `.txt`",
    ),
    SHA256_PATTERN: Format(
        "SHA-256",
        "invalid-value",
        "a SHA-256 as 64 lowercase hex digits",
        "64 lowercase hexadecimal digits",
    ),
    ARTICLE_NUMBER_PATTERN: Format(
        "article number",
        "invalid-value",
        "an article number such as '4' or '51'",
        "digits, then an optional lowercase letter: `4`, `51`, `12a`",
    ),
    SCHEMA_VERSION_PATTERN: Format(
        "schema version",
        "invalid-value",
        "a schema version '1.x'",
        "`1.` then the minor version: `1.0`",
    ),
}
"""Every pattern the schemas use, by pattern."""

_JSON_TYPES = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "object": "an object",
    "array": "an array",
    "boolean": "true or false",
    "null": "null",
}


def pointer(parts: Iterable[str | int]) -> str:
    """An RFC 6901 JSON pointer."""
    return _pointer_of(*parts)


@lru_cache(maxsize=4096, typed=True)
def _pointer_of(*parts: str | int) -> str:
    # A dataset asks for the pointer of each reference it checks, from a few
    # dozen shapes of path. typed=True keeps 1 and True apart: equal, but not
    # the same part.
    return "".join("/" + pointer_part(p) for p in parts)


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object" if isinstance(value, dict) else type(value).__name__


def _shown(value: Any) -> str:
    text = repr(value) if isinstance(value, (str, int, float, bool)) else json_type(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _pattern_problem(value: Any, pattern: str) -> tuple[str, str]:
    known = PATTERNS.get(pattern)
    if known is None:
        return "invalid-value", f"{_shown(value)} is not a match for {pattern}"
    return known.code, f"{_shown(value)} is not {known.expected}"


# pydantic error types that mean "wrong JSON type".
_TYPE_ERRORS = {
    "string_type": "string",
    "int_type": "integer",
    "float_type": "number",
    "bool_type": "boolean",
    "list_type": "array",
    "dict_type": "object",
    "model_type": "object",
    "model_attributes_type": "object",
    "none_required": "null",
    "int_from_float": "integer",
}


def from_pydantic(
    error: pydantic.ValidationError,
    path: str | None,
    prefix: Sequence[str | int] = (),
    union_tags: Collection[str] = (),
) -> list[Problem]:
    """One problem per pydantic error, under ``prefix`` in the file at ``path``.

    A tagged union puts the tag in the location; ``union_tags`` names the tags
    to drop, as they are no part of the document.
    """
    problems = []
    for item in error.errors(include_url=False):
        own = item["loc"][1:] if item["loc"] and item["loc"][0] in union_tags else item["loc"]
        ctx = item.get("ctx") or {}
        # A validator that looks at several fields says which one is at fault.
        loc = [*prefix, *(part for part in own if part != "[key]"), *ctx.get("at", ())]
        kind, value = item["type"], item.get("input")
        if kind in _BOUNDS:
            code, message = "invalid-value", _bound_message(value, _BOUNDS[kind], ctx)
        elif kind in RULES:
            code, message = kind, item["msg"]
        elif kind == "missing":
            code, message = "missing-field", f"missing required field {loc[-1]!r}"
        elif kind == "extra_forbidden":
            code, message = "unknown-field", f"unknown field {loc[-1]!r}"
        elif kind in _TYPE_ERRORS:
            code = "wrong-type"
            message = f"expected {_JSON_TYPES[_TYPE_ERRORS[kind]]}, found {json_type(value)}"
        elif kind == "string_unicode":
            code, message = "invalid-text", "text holds a lone surrogate (expected valid Unicode)"
        elif kind == "string_pattern_mismatch":
            code, message = _pattern_problem(value, ctx.get("pattern", ""))
        elif kind == "union_tag_invalid":
            code = "unknown-record-type"
            message = f"{_shown(value)} names no record type (expected {ctx.get('expected_tags')})"
            loc.append("type")
        elif kind == "union_tag_not_found":
            code, message = "missing-field", "missing required field 'type'"
            loc.append("type")
        elif kind == "literal_error":
            code, message = "invalid-value", f"{_shown(value)} is not allowed ({item['msg']})"
        else:
            code, message = "invalid-value", item["msg"]
        problems.append(Problem(code, message, path=path, pointer=pointer(loc)))
    return _distinct(problems)


_BOUNDS = {
    "greater_than_equal": ("at least", "ge"),
    "less_than_equal": ("at most", "le"),
    "greater_than": ("more than", "gt"),
    "less_than": ("less than", "lt"),
}
_SCHEMA_BOUNDS = {
    "minimum": "at least",
    "maximum": "at most",
    "exclusiveMinimum": "more than",
    "exclusiveMaximum": "less than",
}


def _bound_message(value: Any, bound: tuple[str, str], ctx: dict[str, Any]) -> str:
    words, key = bound
    return f"{_shown(value)} is out of range (expected {words} {ctx.get(key)})"


def _distinct(problems: list[Problem]) -> list[Problem]:
    """One problem per code and place; where a value has the wrong type, only that."""
    mistyped = {p.pointer for p in problems if p.code == "wrong-type"}
    seen: set[tuple[str, str]] = set()
    kept = []
    for problem in problems:
        key = (problem.code, problem.pointer)
        if key in seen or (problem.pointer in mistyped and problem.code != "wrong-type"):
            continue
        seen.add(key)
        kept.append(problem)
    return kept


def _is_record_tag(err: jsonschema.ValidationError) -> bool:
    return err.validator == "enum" and len(err.path) > 0 and err.path[-1] == "type"


def from_jsonschema(
    errors: Iterable[jsonschema.ValidationError], path: str | None, prefix: Sequence[str | int] = ()
) -> list[Problem]:
    """One problem per leaf jsonschema error, under ``prefix`` in the file at ``path``."""
    problems = []
    for err in _leaves(errors):
        loc = [*prefix, *err.absolute_path]
        keyword, value = err.validator, err.instance
        expected: Any = err.validator_value
        # Both name the field in question; pydantic reports at the field, so do we.
        fields: list[tuple[str, str]] = []
        if keyword == "additionalProperties" and isinstance(value, dict):
            schema: Any = err.schema
            allowed = set(schema.get("properties", {}))
            fields = [("unknown-field", k) for k in sorted(value) if k not in allowed]
        elif keyword == "required" and isinstance(value, dict):
            fields = [("missing-field", k) for k in expected if k not in value]
        if fields:
            for code, key in fields:
                words = "unknown field" if code == "unknown-field" else "missing required field"
                problems.append(
                    Problem(code, f"{words} {key!r}", path=path, pointer=pointer([*loc, key]))
                )
            continue
        if keyword == "type":
            wanted = expected if isinstance(expected, list) else [expected]
            code = "wrong-type"
            message = (
                f"expected {' or '.join(_JSON_TYPES.get(str(t), str(t)) for t in wanted)}, "
                f"found {json_type(value)}"
            )
        elif keyword == "pattern":
            code, message = _pattern_problem(value, str(expected))
        elif keyword == "not" and isinstance(err.schema, dict) and "pattern" in err.schema:
            code, message = _pattern_problem(value, str(err.schema["pattern"]))
            message += " (it holds a line break)"
        elif keyword == "propertyNames":
            code, message = "invalid-lang", f"{_shown(value)} has a key that is not a BCP 47 tag"
        elif _is_record_tag(err):
            code = "unknown-record-type"
            message = f"{_shown(value)} names no record type (expected one of {expected})"
        elif keyword == "uniqueItems":
            code, message = "duplicate-value", "a name listed twice (expected each once)"
        elif keyword in _SCHEMA_BOUNDS:
            code = "invalid-value"
            message = (
                f"{_shown(value)} is out of range (expected {_SCHEMA_BOUNDS[keyword]} {expected})"
            )
        elif keyword in ("enum", "const"):
            code, message = "invalid-value", f"{_shown(value)} is not allowed ({err.message})"
        else:
            code, message = "invalid-value", err.message
        problems.append(Problem(code, message, path=path, pointer=pointer(loc)))
    return _distinct(problems)


def _leaves(errors: Iterable[jsonschema.ValidationError]) -> Iterable[jsonschema.ValidationError]:
    """The most specific errors: descend into anyOf/oneOf failures to what really broke."""
    for err in errors:
        if err.context and err.validator in ("anyOf", "oneOf"):
            # An optional field is anyOf[X, null]: report what X found wrong,
            # not that the value is also not null.
            branches = [e for e in err.context if e.validator_value != "null"]
            yield from _leaves(branches or err.context)
        else:
            yield err


def with_lines(problems: list[Problem]) -> list[Problem]:
    """Add the line each problem's pointer leads to, mapping each file once."""
    maps: dict[str, dict[str, int] | None] = {}
    located = []
    for problem in problems:
        if problem.line is None and problem.path is not None and problem.pointer:
            if problem.path not in maps:
                try:
                    text = Path(problem.path).read_text(encoding="utf-8")
                    maps[problem.path] = line_map(text)
                except (OSError, ValueError, IndexError, RecursionError):
                    maps[problem.path] = None  # not JSON we can map: no line, still the pointer
            lines = maps[problem.path]
            if lines is not None:
                line = line_of("", problem.pointer, lines)
                problem = attrs.evolve(problem, line=line)
        located.append(problem)
    return located
