"""The collector is kept off a large dataset's back, and handed back as it was found."""

from __future__ import annotations

import gc
from collections.abc import Callable

import pytest

from kpr_events import _gc


def test_paused_restores_the_collector_even_on_an_error() -> None:
    """Off inside, on again after, also when the block raises; left off if it was off."""
    seen: list[bool] = []

    def fail() -> None:
        seen.append(gc.isenabled())
        raise RuntimeError

    with pytest.raises(RuntimeError):
        _gc.pausing(fail)()
    assert seen == [False]
    assert gc.isenabled()
    gc.disable()
    try:
        with _gc.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def _full_collections(work: Callable[[], object]) -> int:
    """How many collections of the oldest generation run while ``work`` does."""
    full: list[int] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 2:
            full.append(1)

    gc.collect()
    gc.callbacks.append(note)
    try:
        work()
    finally:
        gc.callbacks.remove(note)
    return len(full)


def _pile_up() -> list[list[int]]:
    return [[n] for n in range(500_000)]  # objects the collector tracks, all kept


def test_settled_runs_no_full_collection_but_young_ones() -> None:
    """What piles up inside is never walked in full; young garbage is still collected."""
    assert _full_collections(_pile_up) > 0  # the same work, unsettled
    young: list[int] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] < 2:
            young.append(1)

    gc.callbacks.append(note)
    try:
        assert _full_collections(_gc.settling(_pile_up)) == 0
    finally:
        gc.callbacks.remove(note)
    assert young


def test_settled_restores_the_callers_thresholds_even_on_an_error() -> None:
    """Blocks nest, and each leaves the thresholds as it found them."""
    before = gc.get_threshold()
    seen: list[tuple[int, int, int]] = []

    def nested() -> None:
        seen.append(gc.get_threshold())
        with _gc.settled():
            seen.append(gc.get_threshold())
        seen.append(gc.get_threshold())
        raise RuntimeError

    with pytest.raises(RuntimeError):
        _gc.settling(nested)()
    inside = seen[0]
    assert seen == [inside] * 3
    assert inside[:2] == before[:2]
    assert gc.get_threshold() == before


def test_decorators_keep_the_function() -> None:
    """pausing and settling run the function, with its name and result."""

    def double(x: int) -> int:
        return 2 * x

    assert _gc.pausing(double)(3) == _gc.settling(double)(3) == 6
    assert _gc.pausing(double).__name__ == "double"
