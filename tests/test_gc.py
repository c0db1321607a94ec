"""The collector is kept off a large dataset's back, and handed back as it was found."""

from __future__ import annotations

import gc

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


def test_settled_freezes_what_is_alive_and_unfreezes_it() -> None:
    """Objects alive at the start are out of collections inside, and back after."""
    before = gc.get_freeze_count()  # not 0 on every interpreter
    kept = [[] for _ in range(100)]
    with _gc.settled():
        assert gc.get_freeze_count() >= before + len(kept)
    assert gc.get_freeze_count() <= before


def test_settled_leaves_a_callers_freeze_alone() -> None:
    """Freezing does not nest: inside a caller's freeze, it neither freezes nor unfreezes."""
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with _gc.settled():
            assert gc.get_freeze_count() == frozen
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


def test_decorators_keep_the_function() -> None:
    """pausing and settling run the function, with its name and result."""

    def double(x: int) -> int:
        return 2 * x

    assert _gc.pausing(double)(3) == _gc.settling(double)(3) == 6
    assert _gc.pausing(double).__name__ == "double"
