"""The progress bar: on a terminal's standard error only, as KPR_EVENTS_PROGRESS says, and wiped."""

from __future__ import annotations

import io
import os
import select
import struct
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO

import attrs
import pytest

from kpr_events._progress import VARIABLE, progress
from kpr_events.cli import COMMANDS

from .conftest import Result, read_records

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")

Run = Callable[..., Result]
STATEMENTS = 3000


def _summary(target: Path) -> str:
    """The line ``synth`` ends with, its figures counted in what it wrote."""
    files = sorted((target / "fixtures").glob("*.json"))
    kinds = Counter(record["type"] for path in files for record in read_records(path))
    events = sum(n for kind, n in kinds.items() if kind.endswith("Event"))
    return (
        f"synthetic dataset written to {target}: {kinds['Statement']} statements, "
        f"{kinds['Source']} sources, {kinds['Actor']} actors, {kinds['Place']} places, "
        f"{events} events in {len(files)} fixture file(s)"
    )


@pytest.fixture(autouse=True)
def _no_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with the variable unset, whatever the shell running pytest says."""
    monkeypatch.delenv(VARIABLE, raising=False)


def _open_terminal() -> tuple[int, int]:
    """A pseudo-terminal of 80 columns: the reading end and the terminal end."""
    import fcntl
    import pty
    import termios

    reader, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    return reader, terminal


def _drain(reader: int) -> str:
    """All that was written to the terminal, once every writer has closed it."""
    chunks = []
    while select.select([reader], [], [], 30)[0]:
        try:
            chunk = os.read(reader, 65536)
        except OSError:  # EIO: no writer is left
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(reader)
    return b"".join(chunks).decode()


@pytest.fixture
def terminal() -> Iterator[tuple[TextIO, Callable[[], str]]]:
    """A text stream on a real terminal, and a function that closes it and returns its output."""
    reader, end = _open_terminal()
    stream = open(end, "w", encoding="utf-8")  # noqa: SIM115 - closed by output() or below

    def output() -> str:
        stream.close()
        return _drain(reader)

    yield stream, output
    if not stream.closed:
        output()


@attrs.frozen
class _Done:
    """A finished ``kpr-events synth``: exit status, output, and the directory it wrote."""

    status: int
    stdout: bytes
    stderr: bytes
    target: Path


def _synth(target: Path, stderr: int) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k != VARIABLE}
    command = [sys.executable, "-m", "kpr_events", "synth", "--statements", str(STATEMENTS)]
    return subprocess.Popen(
        [*command, "-o", str(target)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=stderr,
        env=env,
    )


@pytest.fixture(scope="module")
def synth_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, _Done]:
    """``kpr-events synth`` with standard error on a terminal and on a pipe, run side by side."""
    root = tmp_path_factory.mktemp("progress")
    reader, end = _open_terminal()
    on_terminal = _synth(root / "terminal", end)
    os.close(end)
    on_pipe = _synth(root / "pipe", subprocess.PIPE)
    shown = _drain(reader).encode()
    out, _ = on_terminal.communicate(timeout=60)
    piped_out, piped_err = on_pipe.communicate(timeout=60)
    return {
        "terminal": _Done(on_terminal.returncode, out, shown, root / "terminal"),
        "pipe": _Done(on_pipe.returncode, piped_out, piped_err, root / "pipe"),
    }


def test_synth_shows_a_bar_on_a_terminal(synth_runs: dict[str, _Done]) -> None:
    """On a terminal the bar counts up to the total, then is wiped before the summary line."""
    done = synth_runs["terminal"]
    shown = done.stderr.decode().replace("\r\n", "\n")  # the terminal's line ends, as written
    assert done.status == 0, shown
    assert done.stdout == b""
    assert "synth:   0%|" in shown
    assert f"/{STATEMENTS} [" in shown
    bar, summary = shown.rsplit("\r", 1)
    assert summary == _summary(done.target) + "\n"
    assert bar.rsplit("\r", 1)[1].strip() == ""  # the bar's line blanked out


def test_synth_shows_nothing_on_a_pipe(synth_runs: dict[str, _Done]) -> None:
    """Piped, standard error holds the summary line alone, as before there was a bar."""
    done = synth_runs["pipe"]
    assert done.status == 0, done.stderr
    assert done.stdout == b""
    assert done.stderr == (_summary(done.target) + "\n").encode()


def test_zero_hides_the_bar_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch, terminal: tuple[TextIO, Callable[[], str]]
) -> None:
    """KPR_EVENTS_PROGRESS=0 keeps a terminal clear."""
    stream, output = terminal
    monkeypatch.setenv(VARIABLE, "0")
    with progress(100, "work", stream=stream) as bar:
        bar.advance(40)
        assert not bar.shown
    assert output() == ""


def test_one_shows_the_bar_on_a_pipe(
    run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """KPR_EVENTS_PROGRESS=1 draws the bar where standard error is not a terminal."""
    monkeypatch.setenv(VARIABLE, "1")
    result = run("synth", "--statements", str(STATEMENTS), "-o", tmp_path / "out")
    assert result.status == 0
    assert result.out == ""
    assert "synth:   0%|" in result.err
    assert f"/{STATEMENTS} [" in result.err
    assert result.err.endswith("\r" + _summary(tmp_path / "out") + "\n")


@pytest.mark.parametrize("setting", ["", "yes", "2"])
def test_other_settings_leave_it_to_the_terminal_test(
    monkeypatch: pytest.MonkeyPatch, terminal: tuple[TextIO, Callable[[], str]], setting: str
) -> None:
    """Only 0 and 1 mean something: otherwise a terminal shows the bar and a buffer does not."""
    stream, output = terminal
    monkeypatch.setenv(VARIABLE, setting)
    buffer = io.StringIO()
    with progress(100, "shown", stream=stream) as on_terminal:
        on_terminal.advance()
    with progress(100, "hidden", stream=buffer) as elsewhere:
        elsewhere.advance()
    assert (on_terminal.shown, elsewhere.shown) == (True, False)
    assert "shown:   0%|" in output()
    assert buffer.getvalue() == ""


def test_standard_error_is_the_default(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """With no stream given the bar goes to the current standard error, never standard output."""
    monkeypatch.setenv(VARIABLE, "1")
    with progress(None, "counting", unit="file") as bar:
        bar.advance(7)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "counting: 0file [" in captured.err


def test_an_exception_still_wipes_the_bar(terminal: tuple[TextIO, Callable[[], str]]) -> None:
    """The bar is closed and its line blanked when the block raises, and the error goes on."""
    stream, output = terminal
    with pytest.raises(RuntimeError, match="disk on fire"), progress(10, "work", stream=stream):
        raise RuntimeError("disk on fire")
    with progress(10, "next", stream=stream) as bar:  # a closed bar leaves line 0 free
        bar.advance(10)
    shown = output()
    first, second = shown.split("next:", 1)
    assert "work:   0%|" in first
    assert first.endswith("\r")
    assert first.rstrip("\r").rsplit("\r", 1)[1].strip() == ""  # blanked
    assert "\n" not in shown  # the second bar took the first one's line, not a new one
    assert second.rstrip("\r").rsplit("\r", 1)[1].strip() == ""


def test_the_synth_help_names_the_variable() -> None:
    """The help text, and so docs/cli.md, tells how to hide or force the bar."""
    assert f"{VARIABLE}=0 hides it" in COMMANDS["synth"].help


@pytest.mark.parametrize(
    ("args", "label"),
    [
        (["export", "--format", "nt", "-o", "{tmp}/out.nt"], "export"),
        (["validate"], "validate"),
        (["verify"], "verify"),
    ],
)
def test_long_commands_show_a_bar_when_asked(
    args: list[str],
    label: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    run: Callable[..., Result],
) -> None:
    """export, validate and verify draw their bar, on stderr only, and only when it is wanted."""
    argv = [a.replace("{tmp}", str(tmp_path)) for a in args]
    monkeypatch.setenv(VARIABLE, "1")
    shown = run(*argv)
    monkeypatch.setenv(VARIABLE, "0")
    hidden = run(*argv)
    assert shown.status == hidden.status == 0
    assert f"{label}:" in shown.err
    assert f"{label}:" not in hidden.err
    assert shown.out == hidden.out
