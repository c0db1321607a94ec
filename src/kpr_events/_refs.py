"""References between records, declared once on the field types.

A field typed ``Annotated[Slug, RefTo("Actor")]`` holds the id of an Actor.
The dataset checks every such reference by walking the models with
:func:`iter_refs`, so a new reference field needs no code beyond its annotation.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from typing import Annotated, Any, Literal, Union

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


def ref_in(annotation: Any) -> RefTo | None:
    """The RefTo marking ``annotation`` or any type it wraps (Optional, list…)."""
    if typing.get_origin(annotation) is typing.Annotated:
        for meta in annotation.__metadata__:
            if isinstance(meta, RefTo):
                return meta
        return ref_in(annotation.__origin__)
    origin = typing.get_origin(annotation)
    if origin in (Union, types.UnionType, list, tuple):
        for arg in typing.get_args(annotation):
            found = ref_in(arg)
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
            cached[name] = marker or ref_in(info.annotation)
        type.__setattr__(model, "__kpr_refs__", cached)
    return cached


_LEAVES = (str, int, float, bytes, dict, type(None))
"""Types whose values hold no model and no list: the walk finds a reference in one
only through the field's own RefTo (it does not look inside dicts)."""


def _may_hold(annotation: Any) -> bool:
    """Whether a value of type ``annotation`` may be, or hold, a model or a list.

    Only a type built of :data:`_LEAVES` and literals is known not to; any other
    (a model, a list, ``Any``, a class it does not know) may.
    """
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _may_hold(annotation.__origin__)
    if origin in (Union, types.UnionType):
        return any(_may_hold(arg) for arg in typing.get_args(annotation))
    if origin is Literal:
        return False
    if origin in (list, tuple):
        args = [arg for arg in typing.get_args(annotation) if arg is not Ellipsis]
        return not args or any(_may_hold(arg) for arg in args)
    kind = annotation if origin is None else origin
    return annotation is Any or not (isinstance(kind, type) and issubclass(kind, _LEAVES))


_Plan = tuple[tuple[str, RefTo | None], ...]
_PLANS: dict[type[BaseModel], _Plan] = {}
"""Each model class's plan; a dict, as it is looked up for every model walked."""


def _plan(model: type[BaseModel]) -> _Plan:
    """The fields of ``model`` that can hold a reference, with their RefTo, in field order.

    Worked out once per class: :func:`iter_refs` then skips the other fields
    (names, texts, numbers) without looking at their values.
    """
    plan = _PLANS.get(model)
    if plan is None:
        plan = _PLANS[model] = tuple(
            (name, rule)
            for name, rule in field_refs(model).items()
            if rule is not None or _may_hold(model.model_fields[name].annotation)
        )
    return plan


def iter_refs(model: BaseModel, path: tuple[str | int, ...] = ()) -> Iterator[Reference]:
    """Every reference in ``model`` and the models nested in it, in field order."""
    found: list[Reference] = []
    _collect(model, path, found)
    yield from found


def _collect(model: BaseModel, path: tuple[str | int, ...], found: list[Reference]) -> None:
    for name, rule in _plan(type(model)):
        value = getattr(model, name)
        if value is None:
            continue  # most optional fields are empty: no call for them
        if rule is not None and isinstance(value, str):
            found.append(Reference((*path, name), value, rule))
        else:
            _add(value, rule, (*path, name), found)


def _add(
    value: object, rule: RefTo | None, path: tuple[str | int, ...], found: list[Reference]
) -> None:
    # Into a list to share, not through nested generators: this runs for every
    # field of every record a dataset loads.
    if isinstance(value, BaseModel):
        if _plan(type(value)):
            _collect(value, path, found)
    elif isinstance(value, str):
        if rule is not None:
            found.append(Reference(path, value, rule))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            _add(item, rule, (*path, index), found)


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
