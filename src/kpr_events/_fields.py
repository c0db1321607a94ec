"""Constrained string types shared by the models, each with one pattern.

The patterns are the single statement of each rule: pydantic enforces them,
the JSON Schemas carry them, and ``kpr_events._problems`` maps each back to
the rule code a violation reports, whichever of the two found it.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field
from pydantic_core import PydanticCustomError

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
LANG_PATTERN = r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$"
QID_PATTERN = r"^Q[1-9][0-9]*$"
TEXT_PATTERN = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F]+$"
SEED_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*\.txt$"
SHA256_PATTERN = r"^[0-9a-f]{64}$"
ARTICLE_NUMBER_PATTERN = r"^[0-9]+[a-z]?$"
SCHEMA_VERSION_PATTERN = r"^1\.[0-9]+$"

MAX_ID_LENGTH = 80


def rule_error(code: str, message: str) -> PydanticCustomError:
    """A validation error carrying one of the rule codes in ``kpr_events.errors.RULES``."""
    # No context: the message is final and must not be re-formatted by pydantic.
    return PydanticCustomError(code, message)


def _no_surrogates(value: str) -> str:
    # A lone surrogate can arrive through a JSON "\ud800" escape; it cannot be
    # written as UTF-8, so no serialization could carry it.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise rule_error(
            "invalid-text",
            f"text holds a lone surrogate at character {exc.start} (expected valid Unicode)",
        ) from None
    return value


# No descriptions here: a description on a reusable type would hide the
# docstring of each field that uses it.
Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=MAX_ID_LENGTH)]
Text = Annotated[
    str,
    Field(min_length=1, pattern=TEXT_PATTERN),
    AfterValidator(_no_surrogates),
]
LangTag = Annotated[str, Field(pattern=LANG_PATTERN)]
QID = Annotated[str, Field(pattern=QID_PATTERN)]
SeedName = Annotated[str, Field(pattern=SEED_PATTERN)]
Sha256 = Annotated[str, Field(pattern=SHA256_PATTERN)]


def _integral(value: object) -> object:
    # JSON Schema counts 1.0 as an integer; so must the model, or the two would disagree.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


Offset = Annotated[int, Field(ge=0), BeforeValidator(_integral)]
