"""A progress bar on standard error for long runs, shown only to a person at a terminal.

::

    with progress(total, "synth", unit="statement") as bar:
        for batch in work:
            ...
            bar.advance(len(batch))

The bar is drawn by tqdm on ``stream`` (standard error unless told otherwise),
never on standard output, and only when that stream is a terminal. The
environment variable :data:`VARIABLE` overrides the guess:
``KPR_EVENTS_PROGRESS=0`` hides the bar even on a terminal,
``KPR_EVENTS_PROGRESS=1`` shows it even on a pipe or a file; any other value,
or none, leaves the choice to the terminal test.

Hidden, :meth:`Progress.advance` does nothing at all, so a caller may count
every record. Shown, advances are gathered and handed to tqdm about a thousand
times per run at most (tqdm then redraws at most ten times a second). The bar
is wiped from the line when the ``with`` block ends, by an exception too, so
whatever is printed next starts on a clean line.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn, TextIO

from tqdm import tqdm

__all__ = ["VARIABLE", "Progress", "progress"]

VARIABLE = "KPR_EVENTS_PROGRESS"
"""``0`` hides the bar, ``1`` shows it whatever the stream; unset, it shows on a terminal."""

_UPDATES = 1000
"""About how many times per run advances are handed to tqdm, when the total is known."""


class Progress:
    """Work done so far, counted with :meth:`advance`; this one is hidden and shows nothing."""

    __slots__ = ()

    @property
    def shown(self) -> bool:
        """Whether a bar is drawn."""
        return False

    def advance(self, n: int = 1) -> None:
        """Count ``n`` more units of work done."""


class _Bar(Progress):
    """A tqdm bar, fed in batches of ``step`` units."""

    __slots__ = ("_bar", "_pending", "_step")

    def __init__(self, bar: tqdm[NoReturn], step: int) -> None:
        self._bar = bar
        self._step = step
        self._pending = 0

    @property
    def shown(self) -> bool:
        return True

    def advance(self, n: int = 1) -> None:
        self._pending += n
        if self._pending >= self._step:
            self.flush()

    def flush(self) -> None:
        """Hand tqdm what has been counted since the last time."""
        if self._pending:
            self._bar.update(self._pending)
            self._pending = 0


_HIDDEN = Progress()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):  # no isatty, or closed
        return False


def _wanted(stream: TextIO) -> bool:
    setting = os.environ.get(VARIABLE, "").strip()
    if setting in ("0", "1"):
        return setting == "1"
    return _is_terminal(stream)


@contextmanager
def progress(
    total: int | None, what: str, unit: str = "record", *, stream: TextIO | None = None
) -> Iterator[Progress]:
    """A :class:`Progress` of ``total`` units (``unit``), its bar labelled ``what``.

    ``total`` is ``None`` when unknown: the bar then shows a count and a rate.
    The bar goes to ``stream`` (default: the current standard error) if it is a
    terminal, or as :data:`VARIABLE` says; otherwise the progress is hidden and
    costs next to nothing. It is closed and wiped when the block ends, however.
    """
    out = sys.stderr if stream is None else stream
    if not _wanted(out):
        yield _HIDDEN
        return
    bar: tqdm[NoReturn] = tqdm(
        total=total,
        desc=what,
        unit=unit,
        file=out,
        leave=False,  # wiped at the end: the command's own summary says what was done
        dynamic_ncols=True,
        disable=False,  # decided here: tqdm's own default would hide it on a pipe
    )
    counter = _Bar(bar, max(1, (total or 0) // _UPDATES))
    try:
        yield counter
        counter.flush()
    finally:
        bar.close()
