"""Keeping Python's garbage collector off a large dataset's back.

The collector runs after every so many new objects, and each full run walks
every object alive. While a dataset or its index piles up, that is most of the
time spent, and frees nothing; while a pass reads records against an index
that stays alive, each run walks the whole index again.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar


@contextmanager
def paused() -> Iterator[None]:
    """No collection while what is made is kept (a dataset read, an index built)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# Some interpreters (CPython 3.12) start with objects frozen already; a count
# above theirs is a caller's freeze.
_FROZEN_BY_THE_INTERPRETER = gc.get_freeze_count()


@contextmanager
def settled() -> Iterator[None]:
    """What is alive now is left out of collections until the block ends.

    Garbage made inside the block is still collected. A caller that froze
    objects of its own is left alone: freezing does not nest.
    """
    if gc.get_freeze_count() > _FROZEN_BY_THE_INTERPRETER:
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


P = ParamSpec("P")
R = TypeVar("R")


def pausing(function: Callable[P, R]) -> Callable[P, R]:
    """``function`` run :func:`paused`."""

    @functools.wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with paused():
            return function(*args, **kwargs)

    return run


def settling(function: Callable[P, R]) -> Callable[P, R]:
    """``function`` run :func:`settled`."""

    @functools.wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with settled():
            return function(*args, **kwargs)

    return run
