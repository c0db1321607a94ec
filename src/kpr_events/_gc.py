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


_NEVER = 2**31 - 1  # the largest threshold the collector takes


@contextmanager
def settled() -> Iterator[None]:
    """No full collection until the block ends; young garbage is still collected.

    A full collection walks every object alive, a large index among them. (Freezing
    would spare the index as well, but ``gc.unfreeze`` also releases whatever
    a caller froze.) The caller's thresholds are restored, so blocks nest.
    """
    young, middle, old = gc.get_threshold()
    gc.set_threshold(young, middle, _NEVER)
    try:
        yield
    finally:
        gc.set_threshold(young, middle, old)


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
