"""References between records, declared once on the field types.

A field typed ``Annotated[Slug, RefTo("Actor")]`` holds the id of an Actor.
The dataset checks every such reference by walking the models with
:func:`iter_refs`, so a new reference field needs no code beyond its annotation.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from typing import Annotated, Any, Union

import attrs
from pydantic import BaseModel

from kpr_events._fields import Slug


@attrs.frozen
class RefTo:
    """Marks a string field as the id of a record of one of ``kinds`` (record types).

    ``actor_kinds`` narrows an Actor target to those ``Actor.kind`` values.
    """

    kinds: tuple[str, ...]
    actor_kinds: tuple[str, ...] = ()

    def __init__(self, *kinds: str, actor_kinds: tuple[str, ...] = ()) -> None:
        self.__attrs_init__(kinds, actor_kinds)  # type: ignore[attr-defined]


@attrs.frozen
class Reference:
    """One reference found in a record: where it sits, what it names, what it may name."""

    path: tuple[str | int, ...]
    target: str
    rule: RefTo


def _ref_in(annotation: Any) -> RefTo | None:
    """The RefTo marking ``annotation`` or any type it wraps (Optional, list…)."""
    if typing.get_origin(annotation) is typing.Annotated:
        for meta in annotation.__metadata__:
            if isinstance(meta, RefTo):
                return meta
        return _ref_in(annotation.__origin__)
    origin = typing.get_origin(annotation)
    if origin in (Union, types.UnionType, list, tuple):
        for arg in typing.get_args(annotation):
            found = _ref_in(arg)
            if found is not None:
                return found
    return None


def field_refs(model: type[BaseModel]) -> dict[str, RefTo | None]:
    """For each field of ``model``, the RefTo marking it, or None."""
    cached: dict[str, RefTo | None] | None = model.__dict__.get("__kpr_refs__")
    if cached is None:
        cached = {}
        for name, info in model.model_fields.items():
            marker = next((m for m in info.metadata if isinstance(m, RefTo)), None)
            cached[name] = marker or _ref_in(info.annotation)
        type.__setattr__(model, "__kpr_refs__", cached)
    return cached


def iter_refs(model: BaseModel, path: tuple[str | int, ...] = ()) -> Iterator[Reference]:
    """Every reference in ``model`` and the models nested in it, in field order."""
    for name, rule in field_refs(type(model)).items():
        yield from _walk(getattr(model, name), rule, (*path, name))


def _walk(value: object, rule: RefTo | None, path: tuple[str | int, ...]) -> Iterator[Reference]:
    if isinstance(value, BaseModel):
        yield from iter_refs(value, path)
    elif isinstance(value, str):
        if rule is not None:
            yield Reference(path, value, rule)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _walk(item, rule, (*path, index))


# The reference types the models use: an id slug that must name a record of the kind.
ActorRef = Annotated[Slug, RefTo("Actor")]
StateRef = Annotated[Slug, RefTo("Actor", actor_kinds=("state",))]
PlaceRef = Annotated[Slug, RefTo("Place", "Actor", actor_kinds=("state",))]
TreatyRef = Annotated[Slug, RefTo("Treaty")]
ArticleOrTreatyRef = Annotated[Slug, RefTo("Article", "Treaty")]
StatementRef = Annotated[Slug, RefTo("Statement")]
SourceRef = Annotated[Slug, RefTo("Source")]
EventRef = Annotated[Slug, RefTo("MilitaryEvent", "PoliticalEvent")]
PoliticalEventRef = Annotated[Slug, RefTo("PoliticalEvent")]
AnyRef = Annotated[
    Slug,
    RefTo("Actor", "Place", "Treaty", "Article", "MilitaryEvent", "PoliticalEvent", "Statement"),
]
