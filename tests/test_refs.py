"""Finding the references in a record: the planned walk finds what a walk of every field finds."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Annotated, Any

from hypothesis import given
from pydantic import BaseModel

from kpr_events._refs import ActorRef, Reference, RefTo, field_refs, iter_refs
from kpr_events.models import RECORD_ADAPTER

from . import strategies


def _every_field(model: BaseModel, path: tuple[str | int, ...] = ()) -> Iterator[Reference]:
    """The walk the plan must agree with: every field of every model, whatever its type."""
    for name, rule in field_refs(type(model)).items():
        yield from _walk(getattr(model, name), rule, (*path, name))


def _walk(value: object, rule: RefTo | None, path: tuple[str | int, ...]) -> Iterator[Reference]:
    if isinstance(value, BaseModel):
        yield from _every_field(value, path)
    elif isinstance(value, str):
        if rule is not None:
            yield Reference(path, value, rule)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _walk(item, rule, (*path, index))


@given(strategies.records)
def test_same_references_as_a_walk_of_every_field(data: dict[str, Any]) -> None:
    """Each record's references, their paths and rules, in the same order."""
    record = RECORD_ADAPTER.validate_python(data)
    assert list(iter_refs(record)) == list(_every_field(record))


class _Inner(BaseModel):
    to: ActorRef


class _Leaf(BaseModel):
    text: str = ""


class _LeafWithRef(_Leaf):
    to: ActorRef


class _Odd(BaseModel):
    """Field types the models do not use yet, which the plan must not skip."""

    anything: Any = None
    nested: list[list[_Inner]] = []
    pair: tuple[ActorRef, _Inner] | None = None
    refs: Annotated[list[str], RefTo("Place")] = []
    leaf: _Leaf | None = None
    names: dict[str, _Inner] = {}
    seq: Sequence[_Inner] = ()
    empty: Annotated[str, RefTo("Actor")] | None = None


def test_unusual_fields() -> None:
    """Any, nested lists, tuples, sequences, a subclass with references, an empty id; not dicts."""
    odd = _Odd(
        anything=[_Inner(to="a"), "not-a-ref"],
        nested=[[_Inner(to="b")], [], [_Inner(to="c"), _Inner(to="d")]],
        pair=("e", _Inner(to="f")),
        refs=["g", "h"],
        leaf=_LeafWithRef(to="i"),
        names={"x": _Inner(to="j")},
        seq=[_Inner(to="k")],
        empty="",
    )
    found = list(iter_refs(odd, ("top",)))
    assert found == list(_every_field(odd, ("top",)))
    assert [r.target for r in found] == ["a", "b", "c", "d", "e", "f", "g", "h", "i", "k", ""]
    assert found[0].path == ("top", "anything", 0, "to")
    assert found[3].path == ("top", "nested", 2, 1, "to")
