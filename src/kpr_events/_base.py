"""The base of every model: closed, immutable, strict about JSON types."""

from __future__ import annotations

import json
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


class _UnorderedMarker:
    """Marks a list field whose order means nothing (a set of ids, of figures...)."""


UNORDERED = _UnorderedMarker()
Unordered = Annotated[list[T], UNORDERED]
"""A list whose order carries no meaning; RDF, which has no order, returns it canonically sorted."""


def _sort_key(item: Any) -> str:
    # Sorted keys: a language map's order carries no meaning either.
    if isinstance(item, BaseModel):
        return json.dumps(item.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return str(item)


def _unordered(annotation: Any, metadata: list[Any]) -> bool:
    if UNORDERED in metadata:
        return True
    return UNORDERED in getattr(annotation, "__metadata__", ())


def _sorted_if_list(value: Any) -> Any:
    return sorted(value, key=_sort_key) if isinstance(value, list) else value


def canonical(model: M) -> M:
    """``model`` with every unordered list, at every depth, in one canonical order."""
    changes: dict[str, Any] = {}
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            new: Any = canonical(value)
        elif isinstance(value, list):
            new = [canonical(v) if isinstance(v, BaseModel) else v for v in value]
            if _unordered(info.annotation, info.metadata):
                new = sorted(new, key=_sort_key)
        elif isinstance(value, dict):
            new = {
                k: sorted(v, key=_sort_key) if isinstance(v, list) else v for k, v in value.items()
            }
        else:
            continue
        if new != value:
            changes[name] = new
    return model.model_copy(update=changes) if changes else model


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
