"""EDTF dates: what the subset accepts, the bounds it derives, and what it rejects."""

from __future__ import annotations

import datetime as dt

import attrs
import edtf
import pydantic
import pytest
from hypothesis import given

from kpr_events import DateValue, ValidationError, parse_edtf

from . import strategies


@pytest.mark.parametrize(
    ("text", "precision", "earliest", "latest"),
    [
        ("2025-04-26", "day", "2025-04-26", "2025-04-26"),
        ("2024-06", "month", "2024-06-01", "2024-06-30"),
        ("2024-02", "month", "2024-02-01", "2024-02-29"),
        ("2023-02", "month", "2023-02-01", "2023-02-28"),
        ("2024", "year", "2024-01-01", "2024-12-31"),
        ("2024-12~", "month", "2024-12-01", "2024-12-31"),
        ("2024-08-06/2025-04-26", "day", "2024-08-06", "2025-04-26"),
        ("2024-09~/2025-04-26", "month", "2024-09-01", "2025-04-26"),
        ("2022-02-24/..", "day", "2022-02-24", None),
        ("/2025-04-26", "day", None, "2025-04-26"),
        ("[2025-01-02,2025-12-25]", "day", "2025-01-02", "2025-12-25"),
        ("[2025-04-28..2025-04-30]", "day", "2025-04-28", "2025-04-30"),
        ("[2025-04..2025-05,2024]", "year", "2024-01-01", "2025-05-31"),
    ],
)
def test_bounds(text: str, precision: str, earliest: str | None, latest: str | None) -> None:
    """Each form derives its precision and its first and last possible day."""
    value = DateValue(edtf=text)
    assert value.precision == precision
    assert value.earliest == (dt.date.fromisoformat(earliest) if earliest else None)
    assert value.latest == (dt.date.fromisoformat(latest) if latest else None)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("2025-02-30", "date-impossible"),
        ("2023-02-29", "date-impossible"),
        ("2025-04-31", "date-impossible"),
        ("2025-13", "edtf-invalid"),
        ("0000", "edtf-invalid"),
        ("25-04-26", "edtf-invalid"),
        ("2025/04/26", "edtf-invalid"),
        ("2025-04-26/2024-01-01", "interval-order"),
        ("2025-05/2025-04", "interval-order"),
        ("/", "edtf-invalid"),
        ("../..", "edtf-invalid"),
        ("2024-XX", "edtf-invalid"),
        ("2025-04-26T10:00", "edtf-invalid"),
        ("", "edtf-invalid"),
        ("[]", "edtf-invalid"),
        ("[2025-05..2025-04]", "interval-order"),
        ("[2025-02-30,2025-03-01]", "date-impossible"),
        ("[2025..2025-04]", "edtf-invalid"),
        ("[2025-01..]", "edtf-invalid"),
        ("[2025]", "edtf-invalid"),
        ("[2025~,2026]", "edtf-invalid"),
    ],
)
def test_rejects(text: str, code: str) -> None:
    """Impossible and malformed dates fail with the rule's code."""
    with pytest.raises(pydantic.ValidationError) as caught:
        DateValue(edtf=text)
    error = caught.value.errors()[0]
    found = "edtf-invalid" if error["type"] == "string_pattern_mismatch" else error["type"]
    assert found == code


def test_qualifiers_are_kept() -> None:
    """'?' marks uncertain, '~' approximate, '%' both."""
    assert parse_edtf("2024?").uncertain
    assert not parse_edtf("2024?").approximate
    assert parse_edtf("2024~").approximate
    assert not parse_edtf("2024~").uncertain
    assert parse_edtf("2024%").uncertain
    assert parse_edtf("2024%").approximate


@given(strategies.edtf_dates())
def test_bounds_agree_with_the_edtf_library(text: str) -> None:
    """An independent EDTF implementation derives the same first and last day."""
    ours = parse_edtf(text)
    theirs = edtf.parse_edtf(text)
    assert ours.earliest == dt.date(*theirs.lower_strict()[:3])
    assert ours.latest == dt.date(*theirs.upper_strict()[:3])


@given(strategies.edtf_values())
def test_the_edtf_library_accepts_what_we_accept(text: str) -> None:
    """Every value of the subset is EDTF to an independent parser, with the same closed bounds."""
    theirs = edtf.parse_edtf(text)
    ours = parse_edtf(text)
    if ours.earliest is not None and "/" not in text:
        assert ours.earliest == dt.date(*theirs.lower_strict()[:3])
    if ours.latest is not None and "/" not in text:
        assert ours.latest == dt.date(*theirs.upper_strict()[:3])


def test_repeated_parses_agree() -> None:
    """A date parsed again is equal and frozen; a bad one fails again, with the same problem."""
    first, again = parse_edtf("2024-08-06/2025-04-26"), parse_edtf("2024-08-06/2025-04-26")
    assert first == again == DateValue(edtf="2024-08-06/2025-04-26").parsed
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        first.start = None  # type: ignore[misc]
    problems = []
    for _ in range(2):
        with pytest.raises(ValidationError) as caught:
            parse_edtf("2025-02-30")
        problems.append(caught.value.problems)
    assert problems[0] == problems[1]
    assert [p.code for p in problems[0]] == ["date-impossible"]
