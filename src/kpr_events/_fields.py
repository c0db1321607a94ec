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
# A well-formed BCP 47 tag in canonical case: language, then optional script,
# region, variants, extensions and private use (RFC 5646, section 2.1).
LANG_PATTERN = (
    r"^[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|[0-9]{3}))?"
    r"(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*(?:-[0-9a-wyz](?:-[a-z0-9]{2,8})+)*"
    r"(?:-x(?:-[a-z0-9]{1,8})+)?$"
)
QID_PATTERN = r"^Q[1-9][0-9]*$"
# Text may hold any character but control characters (tab and line breaks
# aside), the bidirectional embedding, override and isolate controls (which can
# make text display other than it reads), and the noncharacters U+FFFE/U+FFFF.
# Marks (U+200E, U+200F, U+061C) and joiners, which Arabic script uses, are kept.
TEXT_PATTERN = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\u202A-\u202E\u2066-\u2069\uFFFE\uFFFF]+$"
# A label (a name, a title) is one line of text, with no space at either end.
_SPACE = r" \u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000"
_NEVER = r"\x00-\x1F\x7F-\x9F\u202A-\u202E\u2066-\u2069\uFFFE\uFFFF"
LABEL_PATTERN = rf"^[^{_NEVER}{_SPACE}](?:[^{_NEVER}]*[^{_NEVER}{_SPACE}])?$"
SEED_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*\.txt$"
SHA256_PATTERN = r"^[0-9a-f]{64}$"
ARTICLE_NUMBER_PATTERN = r"^[0-9]+[a-z]?$"
SCHEMA_VERSION_PATTERN = r"^1\.[0-9]+$"

MAX_ID_LENGTH = 80


def rule_error(code: str, message: str, at: tuple[str | int, ...] = ()) -> PydanticCustomError:
    """A validation error carrying one of the rule codes in ``kpr_events.errors.RULES``.

    ``at`` locates the problem inside the model that raises it, for validators
    that look at several fields: the problem then points at the right one.
    """
    # The message holds no {placeholders}: pydantic leaves it as it is.
    return PydanticCustomError(code, message, {"at": list(at)} if at else None)


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
Text = Annotated[str, Field(pattern=TEXT_PATTERN), AfterValidator(_no_surrogates)]
Label = Annotated[str, Field(pattern=LABEL_PATTERN), AfterValidator(_no_surrogates)]
LangTag = Annotated[str, Field(pattern=LANG_PATTERN)]
QID = Annotated[str, Field(pattern=QID_PATTERN)]
SeedName = Annotated[str, Field(pattern=SEED_PATTERN)]
Sha256 = Annotated[str, Field(pattern=SHA256_PATTERN)]


def _integral(value: object) -> object:
    # JSON Schema counts 1.0 as an integer; so must the model, or the two would disagree.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


MAX_OFFSET = 10**9
"""Far beyond any article; the bound keeps absurd offsets out before a seed is read."""
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET), BeforeValidator(_integral)]
