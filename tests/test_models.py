"""The records and values: round trips, minimal output, identity, immutability, own rules."""

from __future__ import annotations

from typing import Any

import pydantic
import pytest
from hypothesis import given

from kpr_events import Actor, Figure, FixtureFile, Statement, ValidationError
from kpr_events.models import RECORD_ADAPTER

from . import strategies

PUTIN: dict[str, Any] = {
    "id": "putin",
    "type": "Actor",
    "kind": "person",
    "name": {"en": "Vladimir Putin", "ar": "فلاديمير بوتين"},
}


@given(strategies.records)
def test_dict_round_trip(data: dict[str, Any]) -> None:
    """to_dict then validation gives back an equal record."""
    record = RECORD_ADAPTER.validate_python(data)
    again = RECORD_ADAPTER.validate_python(record.to_dict())
    assert again == record
    assert again.to_dict() == record.to_dict()


@given(strategies.records)
def test_json_round_trip(data: dict[str, Any]) -> None:
    """JSON text out and back in gives an equal record, Arabic and all."""
    record = RECORD_ADAPTER.validate_python(data)
    assert RECORD_ADAPTER.validate_json(RECORD_ADAPTER.dump_json(record)) == record


@given(strategies.fixture_documents)
def test_fixture_file_round_trip(document: dict[str, Any]) -> None:
    fixture = FixtureFile.model_validate(document)
    dumped = fixture.model_dump(mode="json")
    assert FixtureFile.model_validate(dumped) == fixture


def test_to_dict_leaves_out_defaults() -> None:
    """Output holds what was said, not every empty list the model allows."""
    assert RECORD_ADAPTER.validate_python(PUTIN).to_dict() == PUTIN


def test_from_dict_checks_the_type() -> None:
    """Actor.from_dict refuses a dict that describes another record type, or none."""
    assert isinstance(Actor.from_dict(PUTIN), Actor)
    with pytest.raises(ValidationError, match="expected type Statement") as caught:
        Statement.from_dict(PUTIN)
    assert caught.value.code == "wrong-type"
    with pytest.raises(ValidationError) as caught:
        Actor.from_dict({**PUTIN, "id": "Putin"})
    assert (caught.value.code, caught.value.pointer) == ("invalid-id", "/id")


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        ("https://example.org", "does not end in"),
        ("https://example.org/a b/", "not an absolute IRI"),
        ("https://example.org/<x>/", "not an absolute IRI"),
        ("https://example.org/\n/", "not an absolute IRI"),
        ("example/", "not an absolute IRI"),
    ],
)
def test_iri_base_must_be_an_absolute_iri_ending_a_path(base: str, expected: str) -> None:
    """A base that would make IRIs N-Triples cannot hold as they are is refused."""
    with pytest.raises(ValidationError, match=expected):
        RECORD_ADAPTER.validate_python(PUTIN).iri(base)


@pytest.mark.parametrize(
    ("base", "iri"),
    [
        (None, "https://w3id.org/kpr-events/actor/putin"),
        ("http://example.org/kpr/", "http://example.org/kpr/actor/putin"),
    ],
)
def test_iri(base: str | None, iri: str) -> None:
    record = RECORD_ADAPTER.validate_python(PUTIN)
    assert (record.iri() if base is None else record.iri(base)) == iri


def test_records_are_immutable() -> None:
    record = RECORD_ADAPTER.validate_python(PUTIN)
    with pytest.raises(pydantic.ValidationError, match="frozen"):
        record.id = "other"  # type: ignore[misc]


def test_input_is_not_mutated() -> None:
    """Validation leaves the caller's data as it was."""
    data = {**PUTIN, "name": dict(PUTIN["name"])}
    RECORD_ADAPTER.validate_python(data)
    assert data == {**PUTIN, "name": dict(PUTIN["name"])}


@pytest.mark.parametrize(
    ("figure", "code"),
    [
        ({}, "figure-empty"),
        ({"value": 5, "low": 1}, "figure-shape"),
        ({"value": 1e16}, "less_than_equal"),
        ({"low": 9, "high": 3}, "figure-range"),
        ({"low": 1, "best": 9, "high": 3}, "figure-range"),
        ({"value": -1}, "greater_than_equal"),
        ({"value": float("inf")}, "finite_number"),
    ],
)
def test_figure_rules(figure: dict[str, Any], code: str) -> None:
    base = {"measure": "deaths", "counts": "soldiers killed", "unit": "person"}
    with pytest.raises(pydantic.ValidationError) as caught:
        Figure.model_validate({**base, **figure})
    assert code in {e["type"] for e in caught.value.errors()}


@pytest.mark.parametrize(
    ("actor", "field"),
    [
        ({"kind": "state", "roles": [{"title": {"en": "President"}}]}, "roles"),
        ({"kind": "person", "subkind": "ministry"}, "subkind"),
        ({"kind": "state", "parent": "russia"}, "parent"),
    ],
)
def test_actor_fields_fit_its_kind(actor: dict[str, Any], field: str) -> None:
    with pytest.raises(pydantic.ValidationError, match=f"{field} applies only to") as caught:
        RECORD_ADAPTER.validate_python({**PUTIN, **actor})
    assert caught.value.errors()[0]["type"] == "kind-mismatch"


def test_treaty_cannot_enter_into_force_before_signing() -> None:
    treaty = {
        "id": "t",
        "type": "Treaty",
        "kind": "treaty",
        "name": {"en": "T"},
        "signed": {"edtf": "2024-06-19"},
        "in_force": {"edtf": "2024-05"},
    }
    with pytest.raises(pydantic.ValidationError) as caught:
        RECORD_ADAPTER.validate_python(treaty)
    assert caught.value.errors()[0]["type"] == "date-order"
    treaty["in_force"] = {"edtf": "2024-06"}  # the same month: possible
    RECORD_ADAPTER.validate_python(treaty)


def test_figure_words_come_from_the_quote() -> None:
    statement = {
        "id": "s",
        "type": "Statement",
        "kind": "estimate",
        "speaker": "a",
        "source": "b",
        "quote": {"seed": "x.txt", "start": 0, "end": 9, "text": "نحو ألفي جندي"[:9]},
        "translation": {"text": "about two thousand"},
        "figures": [
            {
                "measure": "deaths",
                "counts": "soldiers",
                "unit": "person",
                "value": 2000,
                "text": "ثلاثة",
            }
        ],
    }
    with pytest.raises(pydantic.ValidationError) as caught:
        RECORD_ADAPTER.validate_python(statement)
    assert caught.value.errors()[0]["type"] == "figure-text"


def test_translation_is_labelled_as_the_curators() -> None:
    """A translation always says who made it; nothing else than the curator is allowed."""
    from kpr_events import CuratorTranslation

    assert CuratorTranslation(text="x").by == "curator"
    with pytest.raises(pydantic.ValidationError):
        CuratorTranslation.model_validate({"text": "x", "by": "source"})
