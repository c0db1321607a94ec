"""The base of every model: closed, immutable, strict about JSON types."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Value(BaseModel):
    """Base of every value and record.

    ``extra="forbid"``: curated data with a misspelt field must fail.
    ``strict=True``: "5" is not 5, as JSON Schema sees it.
    """

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        strict=True,
        use_attribute_docstrings=True,
        allow_inf_nan=False,
    )
