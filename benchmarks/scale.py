"""Throughput and memory at scale: kpr-events beside a naive rdflib path, pyoxigraph and pydantic.

Run on demand, not by the tests:

    python benchmarks/scale.py [--sizes 1000,10000,100000,1000000] [--naive-max 20000]
                               [--rdflib-max 20000] [--timeout 900] [--memory-check]
                               [--keep DIR] [--json FILE]

For each size N, a synthetic dataset of N statements is made (``kpr-events
synth --seed 1``), then measured, every measurement in a fresh process:

- export, end to end from the dataset directory to a file: ``kpr-events
  export`` in N-Triples (with the default ``--jobs``, the processors
  available, and with ``--jobs 1``), N-Quads, and Turtle and JSON-LD
  ``--stream``, all in flat memory; Turtle and JSON-LD without ``--stream``,
  through rdflib in memory (up to ``--rdflib-max`` statements); the naive path
  (``to_graph(load_dataset(DIR)).serialize(FILE, format="nt")``, up to
  ``--naive-max`` statements); and the ceiling, pyoxigraph parsing the
  N-Triples kpr-events wrote and writing them again, all in Rust, in one
  process;
- load and validate: ``load_dataset(DIR)``, ``kpr-events validate DIR``, and
  the reference, bare pydantic reading every fixture file.

Each child's wall time and its own peak RSS (``os.wait4``, not the mixed
``RUSAGE_CHILDREN``) are printed side by side with the references, as
Markdown tables to paste into docs/performance.md, followed by the ratios the
project's targets are stated in. Progress goes to stderr, the report to stdout.

A child that starts worker processes (``export --format nt`` or ``nquads``, or
``--stream``, on a dataset large enough to share) gets from ``wait4`` the
largest peak among itself and the workers it waited for, not their sum; the
export table says how many processes there were, and the memory targets are
judged on ``--jobs 1``, one process. The rate targets are judged on the
default ``--jobs``, with ``--jobs 1`` beside them for information.

On Linux a child's peak RSS includes its parent's at the moment it was
started (the high-water mark survives ``exec``), so this process reads no data
itself; its own peak, the floor under every figure, is printed in the header.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

CLI = (sys.executable, "-m", "kpr_events")
"""``kpr-events``, run by this very interpreter."""


@dataclass(frozen=True)
class Export:
    """One ``kpr-events export`` row of the table."""

    fmt: str
    options: tuple[str, ...] = ()
    shared: bool = False
    """With the default ``--jobs``: a large dataset's records are shared among processes."""
    rdflib: bool = False
    """Through rdflib, in memory: run only up to ``--rdflib-max`` statements."""

    @property
    def what(self) -> str:
        """The format and options, as the table shows them: ``nt --jobs 1``."""
        return " ".join((self.fmt, *self.options))

    @property
    def filename(self) -> str:
        name = "-".join((self.fmt, *(o.lstrip("-") for o in self.options)))
        return f"kpr-events-{name}.{self.fmt}"


NT = Export("nt", shared=True)
NT_ONE = Export("nt", ("--jobs", "1"))
"""One process: the memory targets are judged on it."""
NQUADS = Export("nquads", shared=True)
EXPORTS = (
    NT,
    NT_ONE,
    NQUADS,
    Export("turtle", ("--stream",), shared=True),
    Export("jsonld", ("--stream",), shared=True),
    Export("turtle", rdflib=True),
    Export("jsonld", rdflib=True),
)
"""Every export at a size of ``--sizes``, in this order; nt first, as the others count on it."""
MEMORY_EXPORTS = (NT, NT_ONE)
"""The exports at a size only ``--memory-check`` adds."""
MEMORY_SIZES = (20_000, 200_000)
"""The sizes of the memory-growth target; ``--memory-check`` adds them for nt only."""
SEED = 1
PACKAGES = ("kpr-events", "pydantic", "rdflib", "pyoxigraph", "jsonschema-rs")
"""Whose versions the header gives; jsonschema-rs (the `fast` extra) speeds validate."""

EXPORT_VS_CEILING = 0.5
"""kpr-events' N-Triples and N-Quads rates are at least this share of pyoxigraph's."""
EXPORT_VS_NAIVE = 5.0
"""... and at least this many times the naive path's."""
LOAD_VS_PYDANTIC = 2.0
"""``load_dataset`` takes at most this many times bare pydantic's time."""
RSS_GROWTH = 1.5
"""nt export's peak RSS at 200,000 statements is at most this many times that at 20,000,
with ``--jobs 1``."""
RSS_AT_MILLION = 500_000_000
"""nt export's peak RSS at 1,000,000 statements is below this many bytes (500 MB), with
``--jobs 1``."""

_KIB = 1 / 1024 if sys.platform == "darwin" else 1
"""``ru_maxrss`` is in KiB on Linux, in bytes on macOS."""
_MIB = 1024 * 1024

# The children that are not the command line. Each prints one JSON line where it
# has something to say: what it counted and the seconds its call took, after imports.
_LOAD = """
import json, sys, time
from kpr_events import load_dataset
start = time.perf_counter()
dataset = load_dataset(sys.argv[1])
print(json.dumps({"seconds": time.perf_counter() - start, "count": len(dataset)}))
"""

_PYDANTIC = """
import json, sys, time
from pathlib import Path
from kpr_events.models import FixtureFile
start = time.perf_counter()
records = 0
for path in sorted(Path(sys.argv[1], "fixtures").glob("*.json")):
    records += len(FixtureFile.model_validate_json(path.read_bytes()).records)
print(json.dumps({"seconds": time.perf_counter() - start, "count": records}))
"""

_MACHINE = """
import json, platform, sys
from importlib import metadata
found = {"os": platform.platform()}
found["python"] = f"{platform.python_implementation()} {platform.python_version()}"
for name in sys.argv[1:]:
    try:
        found[name] = metadata.version(name)
    except metadata.PackageNotFoundError:
        found[name] = "not installed"
print(json.dumps(found))
"""

_NAIVE = """
import sys
from kpr_events import load_dataset
from kpr_events.rdf import to_graph
g = to_graph(load_dataset(sys.argv[1]))
g.serialize(sys.argv[2], format="nt")
"""

_PROCESSES = """
import json, sys
from pathlib import Path
from kpr_events._stream import PARALLEL_BYTES, _parts, default_jobs
from kpr_events.dataset import fixture_files
jobs = default_jobs()
parts = _parts(fixture_files(Path(sys.argv[1])), jobs)
print(json.dumps({"jobs": jobs, "processes": len(parts), "threshold": PARALLEL_BYTES}))
"""
"""How many processes ``export`` with the default ``--jobs`` uses on a dataset, as it plans
them (private names: if they change, the table says "unknown" and the figures stand)."""

_CEILING = """
import sys
import pyoxigraph
from pyoxigraph import RdfFormat
pyoxigraph.serialize(
    pyoxigraph.parse(path=sys.argv[1], format=RdfFormat.N_TRIPLES),
    output=sys.argv[2],
    format=RdfFormat.N_TRIPLES,
)
"""


@dataclass
class Run:
    """How one child process ended, its wall time, its own peak RSS and what it printed."""

    status: str
    """``ok``, ``failed``, ``timed out`` or ``not run``."""
    note: str = ""
    """Why it is not ``ok``, for the table."""
    seconds: float | None = None
    peak_kib: int | None = None
    stdout: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def reported(self) -> dict[str, Any]:
        """The child's JSON line, or an empty dict if it printed none."""
        lines = self.stdout.strip().splitlines()
        if not self.ok or not lines:
            return {}
        try:
            value = json.loads(lines[-1])
        except json.JSONDecodeError:
            return {}
        return value if isinstance(value, dict) else {}


def not_run(why: str) -> Run:
    return Run("not run", f"not run ({why})")


@dataclass
class Measurement:
    """One figure of the report: a tool doing one thing at one size."""

    section: str
    """``dataset``, ``export`` or ``load``."""
    statements: int
    tool: str
    what: str
    """The format exported, or what was loaded."""
    run: Run
    count: int | None = None
    """Triples, quads or records handled."""
    size_bytes: int | None = None
    """Bytes written: the dataset directory, or the exported file."""
    in_call_seconds: float | None = None
    """The library call alone, without the interpreter's start and imports."""
    processes: int | None = None
    """Processes that ran: the peak RSS is the largest one's, not their sum."""
    digest: tuple[int, int] | None = None
    """Size and CRC-32 of a line-based output, to compare ``--jobs`` settings (zlib, not
    hashlib, whose OpenSSL would add 4 MiB to this process and so to every figure)."""
    remarks: list[str] = field(default_factory=list)
    """For the note column, after the run's own note, when it ran well."""

    @property
    def rate(self) -> float | None:
        """Triples, quads or records per wall second, end to end."""
        if not self.run.ok or not self.count or not self.run.seconds:
            return None
        return self.count / self.run.seconds

    def as_json(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "statements": self.statements,
            "tool": self.tool,
            "what": self.what,
            "status": self.run.status,
            "note": self.run.note,
            "seconds": self.run.seconds,
            "in_call_seconds": self.in_call_seconds,
            "peak_rss_kib": self.run.peak_kib,
            "processes": self.processes,
            "count": self.count,
            "per_second": self.rate,
            "size_bytes": self.size_bytes,
            "crc32": None if self.digest is None else f"{self.digest[1]:08x}",
            "remarks": self.remarks,
        }


@dataclass
class Results:
    """Every measurement of the run, in the order taken."""

    items: list[Measurement] = field(default_factory=list)

    def add(self, item: Measurement) -> Measurement:
        self.items.append(item)
        run = item.run
        if run.ok and run.seconds is not None:
            summary = f"{run.seconds:.2f} s, {_mib(run.peak_kib)} MiB"
        else:
            summary = run.note or run.status
        print(f"[{item.statements:,}] {item.tool} {item.what}: {summary}", file=sys.stderr)
        return item

    def find(self, section: str, statements: int, tool: str, what: str) -> Measurement | None:
        for item in self.items:
            if (item.section, item.statements, item.tool, item.what) == (
                section,
                statements,
                tool,
                what,
            ):
                return item
        return None


# Running a child ---------------------------------------------------------------------


class _Watchdog:
    """Kills a child's process group at its deadline, unless told first that it has been reaped.

    Killing happens under a lock that the reaper takes too, so a pid that has
    been reaped, and may be reused, is never signalled.
    """

    def __init__(self, pid: int, timeout: float) -> None:
        self._pid = pid
        self._lock = threading.Lock()
        self._reaped = False
        self._fired = False
        self._timer = threading.Timer(timeout, self._fire)
        self._timer.daemon = True
        self._timer.start()

    def _fire(self) -> None:
        with self._lock:
            if not self._reaped:
                os.killpg(self._pid, signal.SIGKILL)  # the child and any workers it started
                self._fired = True

    def reaped(self) -> bool:
        """Note that the child is gone; whether the watchdog had to kill it."""
        with self._lock:
            self._reaped = True
        self._timer.cancel()
        return self._fired


def run_child(argv: Sequence[str], timeout: float) -> Run:
    """Run ``argv`` to its end or its timeout; read its own peak RSS from ``wait4``."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            start_new_session=True,  # a process group of its own, to be killed whole
        )
        watchdog = _Watchdog(child.pid, timeout)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        killed = watchdog.reaped() and os.WIFSIGNALED(status)
        child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        peak = round(usage.ru_maxrss * _KIB)
        if killed:
            return Run("timed out", f"timed out after {timeout:g} s", seconds, peak)
        if child.returncode:
            why = f"failed ({_exit(child.returncode)}): {_stderr_line(err)}"
            return Run("failed", why, seconds, peak)
        out.seek(0)
        return Run("ok", "", seconds, peak, out.read(1 << 16).decode("utf-8", "replace"))


def _exit(code: int) -> str:
    """``exit 1``, or ``exit -9, SIGKILL`` for a child ended by a signal."""
    if code > 0:
        return f"exit {code}"
    try:
        return f"exit {code}, {signal.Signals(-code).name}"
    except ValueError:
        return f"exit {code}"


def _stderr_line(err: IO[bytes]) -> str:
    """The first line on stderr, or a traceback's last line, which names the exception."""
    err.seek(0)
    lines = [line for line in err.read(4096).decode("utf-8", "replace").splitlines() if line]
    if not lines:
        return "nothing on stderr"
    if not lines[0].startswith("Traceback"):
        return lines[0].strip()
    err.seek(0, os.SEEK_END)
    err.seek(max(0, err.tell() - 4096))
    tail = [line for line in err.read().decode("utf-8", "replace").splitlines() if line.strip()]
    return tail[-1].strip() if tail else lines[0]


def python(code: str, *args: str | int | Path) -> list[str]:
    return [sys.executable, "-c", code, *map(str, args)]


def kpr_events(*args: str | int | Path) -> list[str]:
    return [*CLI, *map(str, args)]


# Files -------------------------------------------------------------------------------


def count_statements(path: Path) -> tuple[int, tuple[int, int]]:
    """Triples in an N-Triples file, quads in an N-Quads one (lines but blanks and
    comments), and the file's size and CRC-32, read in the same pass."""
    count = size = crc = 0
    with path.open("rb") as lines:
        for line in lines:
            crc = zlib.crc32(line, crc)
            size += len(line)
            text = line.lstrip()
            if text and not text.startswith(b"#"):
                count += 1
    return count, (size, crc)


def size_on_disk(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def discard(path: Path, keep: bool) -> None:
    """Remove an output once measured, unless kept: at 1,000,000 statements each is GBs."""
    if not keep:
        path.unlink(missing_ok=True)


# Measurements ------------------------------------------------------------------------


def make_dataset(n: int, data: Path, timeout: float) -> Measurement:
    """``kpr-events synth`` into ``data``, or the dataset a kept run made there already."""
    done = data.with_name(data.name + ".complete")
    if done.exists() and (data / "fixtures").is_dir():
        run = Run("ok", "reused (--keep)")
        return Measurement("dataset", n, "kpr-events", "synth", run, size_bytes=size_on_disk(data))
    if data.exists():  # left half written by an interrupted run
        shutil.rmtree(data)
    run = run_child(
        kpr_events("synth", "--statements", n, "-o", data, "--seed", SEED),
        timeout,
    )
    size = None
    if run.ok:
        done.touch()
        size = size_on_disk(data)
    return Measurement("dataset", n, "kpr-events", "synth", run, size_bytes=size)


@dataclass
class Plan:
    """How ``export`` with the default ``--jobs`` shares one dataset among processes."""

    processes: int | None = None
    jobs: int | None = None
    threshold: int | None = None
    """Bytes of fixture JSON below which kpr-events does not share."""
    why: str = ""
    """Why ``processes`` is unknown."""

    def note(self) -> str:
        if self.processes is None:
            return f"processes unknown ({self.why})"
        if self.processes > 1:
            return f"peak of the largest process; {self.processes} processes"
        if self.jobs is not None and self.jobs < 2:
            return "1 process (1 processor available)"
        below = "" if self.threshold is None else f" below {self.threshold / _MIB:g} MiB"
        return f"1 process (fixtures{below}, not shared)"


def plan_processes(data: Path, timeout: float) -> Plan:
    """Ask kpr-events, in a child, how many processes its export uses on ``data``."""
    run = run_child(python(_PROCESSES, data), timeout)
    reported = run.reported()
    if not isinstance(reported.get("processes"), int):
        return Plan(why=_short(run.note or "no answer", 60))
    return Plan(reported["processes"], reported.get("jobs"), reported.get("threshold"))


def export_kpr(
    n: int, data: Path, out: Path, export: Export, timeout: float, rdflib_max: int
) -> Measurement:
    """``kpr-events export --format fmt [options]``; counts lines of the line-based formats."""
    if export.rdflib and n > rdflib_max:
        run = not_run("above --rdflib-max")
    else:
        argv = kpr_events("export", "--data", data, "--format", export.fmt, *export.options)
        run = run_child([*argv, "-o", str(out)], timeout)
    count = size = digest = None
    if run.ok:
        size = out.stat().st_size
        if export.fmt in ("nt", "nquads"):
            count, digest = count_statements(out)
    return Measurement(
        "export",
        n,
        "kpr-events",
        export.what,
        run,
        count=count,
        size_bytes=size,
        processes=1 if not export.shared else None,
        digest=digest,
        remarks=["rdflib, in memory"] if export.rdflib else [],
    )


def export_naive(n: int, data: Path, out: Path, timeout: float, naive_max: int) -> Measurement:
    """rdflib's graph, built by ``to_graph``, serialized by rdflib."""
    if n > naive_max:
        run = not_run("above --naive-max")
    else:
        run = run_child(python(_NAIVE, data, out), timeout)
    count = size = None
    if run.ok:
        count, size = count_statements(out)[0], out.stat().st_size
    return Measurement(
        "export", n, "naive rdflib", "nt", run, count=count, size_bytes=size, processes=1
    )


def export_ceiling(n: int, source: Path | None, out: Path, timeout: float) -> Measurement:
    """pyoxigraph reading kpr-events' N-Triples and writing them again."""
    if source is None:
        run = not_run("kpr-events wrote no N-Triples to read")
    else:
        run = run_child(python(_CEILING, source, out), timeout)
    count = size = None
    if run.ok:
        count, size = count_statements(out)[0], out.stat().st_size
    return Measurement(
        "export", n, "pyoxigraph ceiling", "nt", run, count=count, size_bytes=size, processes=1
    )


def load(n: int, tool: str, what: str, argv: list[str], timeout: float) -> Measurement:
    """A load in a child that reports its record count and its in-call time, if it does."""
    run = run_child(argv, timeout)
    reported = run.reported()
    return Measurement(
        "load",
        n,
        tool,
        what,
        run,
        count=reported.get("count"),
        in_call_seconds=reported.get("seconds"),
    )


def measure(n: int, folder: Path, args: argparse.Namespace, results: Results, full: bool) -> None:
    """Every measurement at size ``n``; only the dataset and nt exports unless ``full``."""
    data, out = folder / f"statements-{n}", folder / f"statements-{n}-out"
    made = results.add(make_dataset(n, data, args.timeout))
    if not made.run.ok:
        return
    out.mkdir(exist_ok=True)
    keep = args.keep is not None
    plan = plan_processes(data, args.timeout)

    nt_file = out / NT.filename
    nt: Measurement | None = None
    for export in EXPORTS if full else MEMORY_EXPORTS:
        path = out / export.filename
        item = export_kpr(n, data, path, export, args.timeout, args.rdflib_max)
        if export.shared:
            item.processes = plan.processes
            item.remarks.append(plan.note())
        elif export == NT_ONE:
            item.remarks.append("1 process")
        if export == NT:
            nt = item
        elif nt is not None and item.run.ok:
            if item.count is None and nt.count is not None:
                item.count = nt.count  # the same graph, in a format not one per line
            if export.fmt == "nt" and nt.digest is not None:
                same = item.digest == nt.digest
                item.remarks.append(
                    "same size and CRC-32 as nt" if same else "output DIFFERS from nt"
                )
        results.add(item)
        if export != NT:
            discard(path, keep)
    if full:
        results.add(export_naive(n, data, out / "naive.nt", args.timeout, args.naive_max))
        discard(out / "naive.nt", keep)
        source = nt_file if nt is not None and nt.run.ok else None
        results.add(export_ceiling(n, source, out / "pyoxigraph.nt", args.timeout))
        discard(out / "pyoxigraph.nt", keep)
    discard(nt_file, keep)
    if not full:
        return

    loaded = results.add(load(n, "kpr-events", "load_dataset", python(_LOAD, data), args.timeout))
    validated = results.add(
        load(n, "kpr-events", "validate (CLI)", kpr_events("validate", data), args.timeout)
    )
    reference = results.add(
        load(n, "bare pydantic", "FixtureFile", python(_PYDANTIC, data), args.timeout)
    )
    if validated.run.ok:
        validated.count = reference.count or loaded.count  # the CLI prints no count


# Report ------------------------------------------------------------------------------


def print_table(title: str, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """A Markdown table, padded to line up in a terminal; columns of figures right-aligned."""
    columns = list(zip(header, *rows, strict=True))
    widths = [max(len(cell) for cell in column) for column in columns]
    right = [i > 0 and bool(rows) and all(map(_numeric, c[1:])) for i, c in enumerate(columns)]

    def line(cells: Sequence[str]) -> str:
        padded = [
            cell.rjust(width) if flush else cell.ljust(width)
            for cell, width, flush in zip(cells, widths, right, strict=True)
        ]
        return "| " + " | ".join(padded) + " |"

    rules = [
        "-" * (w - 1) + ":" if flush else "-" * w for w, flush in zip(widths, right, strict=True)
    ]
    print(f"\n### {title}\n")
    print(line(header))
    print("| " + " | ".join(rules) + " |")
    for row in rows:
        print(line(row))


def _numeric(cell: str) -> bool:
    return cell[:1].isdigit() or cell == "-"


def _num(value: float | None, digits: int = 0) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def _mib(kib: int | float | None) -> str:
    return "-" if kib is None else f"{kib / 1024:,.0f}"


def _cells(item: Measurement, *figures: str) -> list[str]:
    """Figures when the child ran well, with the remarks; otherwise dashes, with why."""
    if item.run.ok:
        return [*figures, "; ".join(note for note in (item.run.note, *item.remarks) if note)]
    return [*("-" for _ in figures), _short(item.run.note)]


def _short(note: str, width: int = 100) -> str:
    return note if len(note) <= width else note[: width - 1] + "…"


def _verdict(value: float | None, target: float, at_least: bool) -> str:
    if value is None:
        return "-"
    meets = value >= target if at_least else value <= target
    return f"{value:,.2f} ({'meets' if meets else 'MISSES'})"


def report(results: Results) -> None:
    """The tables: dataset, export, export ratios, load, load ratio, memory targets."""
    items = results.items
    print_table(
        "Making the dataset (kpr-events synth)",
        ["statements", "seconds", "peak MiB", "dataset MiB", "note"],
        [
            [
                f"{m.statements:,}",
                *_cells(
                    m, _num(m.run.seconds, 2), _mib(m.run.peak_kib), _num(_bytes_mib(m.size_bytes))
                ),
            ]
            for m in items
            if m.section == "dataset"
        ],
    )
    print_table(
        "Export, end to end from the dataset directory to a file",
        [
            "statements",
            "path",
            "format and options",
            "triples or quads",
            "seconds",
            "per second",
            "peak MiB",
            "MiB written",
            "note",
        ],
        [
            [
                f"{m.statements:,}",
                m.tool,
                m.what,
                *_cells(
                    m,
                    _num(m.count),
                    _num(m.run.seconds, 2),
                    _num(m.rate),
                    _mib(m.run.peak_kib),
                    _num(_bytes_mib(m.size_bytes)),
                ),
            ]
            for m in items
            if m.section == "export"
        ],
    )
    full = sorted({m.statements for m in items if m.section == "load"})
    ratios = []
    for n in full:
        ceiling = results.find("export", n, "pyoxigraph ceiling", "nt")
        naive = results.find("export", n, "naive rdflib", "nt")
        row = [f"{n:,}"]
        for export in (NT, NQUADS):
            ours = results.find("export", n, "kpr-events", export.what)
            row.append(_verdict(_ratio(ours, ceiling), EXPORT_VS_CEILING, at_least=True))
            row.append(_verdict(_ratio(ours, naive), EXPORT_VS_NAIVE, at_least=True))
        one = results.find("export", n, "kpr-events", NT_ONE.what)
        row.append(_num(_ratio(one, ceiling), 2))
        row.append(_num(_ratio(one, naive), 2))
        ours = results.find("export", n, "kpr-events", NT.what)
        row.append(_num(ours.processes if ours else None))
        ratios.append(row)
    print_table(
        "Export rate ratios (kpr-events per second ÷ the reference's; "
        "the targets on the default --jobs)",
        [
            "statements",
            f"nt ÷ ceiling (≥ {EXPORT_VS_CEILING:g})",
            f"nt ÷ naive (≥ {EXPORT_VS_NAIVE:g})",
            f"nquads ÷ ceiling (≥ {EXPORT_VS_CEILING:g})",
            f"nquads ÷ naive (≥ {EXPORT_VS_NAIVE:g})",
            "nt --jobs 1 ÷ ceiling",
            "nt --jobs 1 ÷ naive",
            "nt processes",
        ],
        ratios,
    )
    print_table(
        "Load and validate, from the dataset directory",
        [
            "statements",
            "path",
            "call",
            "records",
            "seconds",
            "in the call",
            "records/s",
            "peak MiB",
            "note",
        ],
        [
            [
                f"{m.statements:,}",
                m.tool,
                m.what,
                *_cells(
                    m,
                    _num(m.count),
                    _num(m.run.seconds, 2),
                    _num(m.in_call_seconds, 2),
                    _num(m.rate),
                    _mib(m.run.peak_kib),
                ),
            ]
            for m in items
            if m.section == "load"
        ],
    )
    rows = []
    for n in full:
        ours = results.find("load", n, "kpr-events", "load_dataset")
        reference = results.find("load", n, "bare pydantic", "FixtureFile")
        in_call = wall = None
        if ours and reference and ours.run.ok and reference.run.ok:
            if ours.in_call_seconds and reference.in_call_seconds:
                in_call = ours.in_call_seconds / reference.in_call_seconds
            if ours.run.seconds and reference.run.seconds:
                wall = ours.run.seconds / reference.run.seconds
        rows.append(
            [
                f"{n:,}",
                _verdict(in_call, LOAD_VS_PYDANTIC, at_least=False),
                _verdict(wall, LOAD_VS_PYDANTIC, at_least=False),
            ]
        )
    print_table(
        "Load time ratio (load_dataset ÷ bare pydantic)",
        ["statements", f"in the call (≤ {LOAD_VS_PYDANTIC:g})", "end to end (for information)"],
        rows,
    )
    print_table(
        "Memory targets (kpr-events export --format nt --jobs 1: one process)",
        ["target", "export", "measured"],
        memory(results),
    )


def _ratio(ours: Measurement | None, reference: Measurement | None) -> float | None:
    if ours is None or reference is None or ours.rate is None or reference.rate is None:
        return None
    return ours.rate / reference.rate


def _bytes_mib(size: int | None) -> float | None:
    return None if size is None else size / _MIB


def memory(results: Results) -> list[list[str]]:
    """The two memory targets, judged on ``nt --jobs 1``, each measured or saying why not;
    then the same figures for the default ``--jobs``, for information."""
    growth = f"peak RSS at {MEMORY_SIZES[1]:,} ÷ at {MEMORY_SIZES[0]:,} statements ≤ {RSS_GROWTH:g}"
    absolute = f"peak RSS at 1,000,000 statements < {RSS_AT_MILLION / 1e6:g} MB"
    rows = []
    for export, judged in ((NT_ONE, True), (NT, False)):
        label = export.what if judged else f"{export.what} (for information)"
        small, large = (results.find("export", n, "kpr-events", export.what) for n in MEMORY_SIZES)
        if small is None or large is None:
            measured = "not measured (add --memory-check, or both sizes to --sizes)"
        elif small.run.peak_kib and large.run.peak_kib and small.run.ok and large.run.ok:
            ratio = large.run.peak_kib / small.run.peak_kib
            figure = _verdict(ratio, RSS_GROWTH, at_least=False) if judged else _num(ratio, 2)
            measured = (
                f"{figure}: {_mib(large.run.peak_kib)} ÷ {_mib(small.run.peak_kib)} MiB"
                f"{_processes(large, small)}"
            )
        else:
            measured = "-: " + (small.run.note if not small.run.ok else large.run.note)
        million = results.find("export", 1_000_000, "kpr-events", export.what)
        if million is None:
            at_million = "not measured (1000000 is not among --sizes)"
        elif not million.run.ok or million.run.peak_kib is None:
            at_million = "-: " + million.run.note
        else:
            peak = million.run.peak_kib * 1024
            verdict = (" (meets)" if peak < RSS_AT_MILLION else " (MISSES)") if judged else ""
            at_million = (
                f"{peak / 1e6:,.0f} MB{verdict}, {_mib(million.run.peak_kib)} MiB"
                f"{_processes(million)}"
            )
        rows.append([growth, label, _short(measured)])
        rows.append([absolute, label, _short(at_million)])
    return rows


def _processes(*items: Measurement) -> str:
    """``; peak of the largest of 2 processes`` where a figure is one process's among several;
    for a ratio, of two figures: ``; peaks of the largest of 2 and of 1 processes``."""
    counts = [m.processes for m in items]
    if all(count == 1 for count in counts):
        return ""
    if any(count is None for count in counts):
        return "; processes unknown"
    if len(counts) == 1:
        return f"; peak of the largest of {counts[0]} processes"
    shown = " and of ".join(str(count) for count in counts)
    return f"; peaks of the largest of {shown} processes"


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = "unknown"
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    # Asked of a child: importlib.metadata and platform would raise this process's
    # peak RSS, which every child's figure includes, by some 8 MiB.
    described = run_child(python(_MACHINE, *PACKAGES), timeout=60).reported()
    commit = ""
    with contextlib.suppress(OSError):  # read only: the commit checked out, if any
        commit = subprocess.run(
            ["git", "-C", str(Path(__file__).resolve().parent), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    affinity = getattr(os, "sched_getaffinity", None)  # what kpr-events' default --jobs uses
    available = len(affinity(0)) if affinity else os.cpu_count()
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "processors available": str(available),
        "ram": ram,
        "os": str(described.get("os", "unknown")),
        "python": str(described.get("python", sys.version.split()[0])),
        "interpreter": sys.executable,
        "git HEAD": commit or "unknown",
        **{name: str(described.get(name, "unknown")) for name in PACKAGES},
    }


def print_header(info: dict[str, str], command: str) -> None:
    versions = ", ".join(f"{name} {info[name]}" for name in PACKAGES)
    print("## Scale benchmark\n")
    print(f"- command: `{command}`")
    print(f"- date: {time.strftime('%Y-%m-%d', time.gmtime())}")
    print(
        f"- machine: {info['cpu']}, {info['cores']} processors "
        f"({info['processors available']} available to this process: the default --jobs), "
        f"{info['ram']} RAM, {info['os']}"
    )
    print(f"- {info['python']} ({info['interpreter']}); {versions}; git HEAD {info['git HEAD']}")
    print(
        "- every figure from a fresh process; seconds are wall time, end to end "
        "(interpreter start and imports included); peak MiB is the child's own "
        "maximum RSS (wait4), for a child with worker processes the largest of their "
        "peaks, not the sum; per second = triples, quads or records ÷ seconds"
    )


# Command line ------------------------------------------------------------------------


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r}: expected numbers separated by commas"
        ) from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: expected positive numbers of statements")
    return sorted(set(sizes))


@contextlib.contextmanager
def workspace(keep: Path | None) -> Iterator[Path]:
    """The kept folder, or a temporary one removed at the end."""
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        yield keep
        return
    with tempfile.TemporaryDirectory(prefix="kpr-events-scale-") as folder:
        yield Path(folder)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
    )
    parser.add_argument(
        "--sizes",
        type=_sizes,
        default="1000,10000,100000,1000000",
        metavar="N,N,...",
        help="numbers of statements to measure at (default: %(default)s)",
    )
    parser.add_argument(
        "--naive-max",
        type=int,
        default=20_000,
        metavar="N",
        help="run the naive rdflib path only up to this many statements (default: %(default)s)",
    )
    parser.add_argument(
        "--rdflib-max",
        type=int,
        default=20_000,
        metavar="N",
        help="run the in-memory, rdflib-backed turtle and jsonld exports (without --stream) "
        "only up to this many statements (default: %(default)s)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=900.0,
        metavar="S",
        help="stop any one child after this many seconds (default: %(default)g)",
    )
    parser.add_argument(
        "--memory-check",
        action="store_true",
        help=f"also make {MEMORY_SIZES[0]:,} and {MEMORY_SIZES[1]:,} statements and export "
        "them as nt only (--jobs 1 and the default), for the memory-growth target, "
        "if --sizes lacks them",
    )
    parser.add_argument(
        "--keep",
        type=Path,
        metavar="DIR",
        help="make datasets and outputs in DIR and keep them; a dataset made there "
        "by an earlier run is reused (default: a temporary folder, removed)",
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write every figure here")
    args = parser.parse_args()

    command = shlex.join(["python", *sys.argv])
    info = machine()
    print_header(info, command)
    plan = dict.fromkeys(args.sizes, True)  # size -> every measurement, or nt exports only
    if args.memory_check:
        for n in MEMORY_SIZES:
            plan.setdefault(n, False)

    results = Results()
    with workspace(args.keep) as folder:
        for n, full in sorted(plan.items()):
            measure(n, folder, args, results, full)
            if args.keep is None:
                shutil.rmtree(folder / f"statements-{n}", ignore_errors=True)
                shutil.rmtree(folder / f"statements-{n}-out", ignore_errors=True)
    floor = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * _KIB
    print(f"- this process's own peak RSS, the floor under every child's: {_mib(floor)} MiB")
    report(results)

    if args.json is not None:
        document = {
            "command": command,
            "machine": info,
            "parent_peak_rss_kib": round(floor),
            "sizes": args.sizes,
            "memory_check": args.memory_check,
            "naive_max": args.naive_max,
            "rdflib_max": args.rdflib_max,
            "timeout": args.timeout,
            "measurements": [m.as_json() for m in results.items],
            "memory_targets": [
                dict(zip(("target", "export", "measured"), row, strict=True))
                for row in memory(results)
            ],
        }
        text = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        args.json.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
