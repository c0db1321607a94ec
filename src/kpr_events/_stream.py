"""A dataset directory read file by file, twice, and never held whole.

The first pass validates every record and keeps only a compact index: each id
with its type and where it was read, each source's seed, language and date, and
what belongs to what. The second pass reads the records again, checks each
against the index (the same checks a :class:`~kpr_events.Dataset` makes) and
hands it on: to the N-Triples writer, or to verification. Memory holds the index
and one fixture file, whatever the size of the dataset.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import IO, TYPE_CHECKING

import attrs
import pydantic

from kpr_events import _gc, _integrity, _problems, _resources
from kpr_events._fixturefile import Located, check_root, read_file, seed_collisions
from kpr_events._integrity import SourceFacts
from kpr_events._jsonio import read_bounded, scratch_error
from kpr_events._ntriples import LineSink
from kpr_events.dataset import (
    Dataset,
    base_dataset,
    fixture_files,
    seed_path,
)
from kpr_events.errors import DataError, Problem, ValidationError
from kpr_events.models import (
    DEFAULT_BASE_IRI,
    RECORD_ADAPTER,
    RECORD_TYPES,
    Actor,
    Source,
    Statement,
    base_iri,
)

if TYPE_CHECKING:
    from kpr_events.verify import _Verifier

_TYPES = tuple(cls.__name__ for cls in RECORD_TYPES)
_COLLECTIONS = tuple(cls.collection for cls in RECORD_TYPES)
_CODES = {name: code for code, name in enumerate(_TYPES)}
_FILE_SHIFT, _INDEX_SHIFT = 4, 24  # an entry: type code | file number << 4 | index << 24


def _extended(base: Dataset) -> Iterator[Located]:
    """The records of the dataset being extended, each where it was read."""
    for record in base:
        where, pointer = base.location(record.id)
        yield Located(record, where, pointer, extended=True)


class Index:
    """Every record's id, type and place, packed in one int; facts only where records need them.

    It answers what the integrity checks ask (:class:`kpr_events._integrity.Facts`).
    """

    def __init__(self) -> None:
        self._entries: dict[str, int] = {}
        self._statements: set[str] = set()  # most records: an id alone, no place kept
        self._first: dict[str, tuple[str | None, str]] = {}  # a statement id met twice
        self._files: list[str] = []
        self._apart: dict[str, tuple[str | None, str]] = {}  # records not at /records/N
        self._extended: set[str] = set()
        self._actor_kinds: dict[str, str] = {}
        self.sources: dict[str, SourceFacts] = {}
        self.links: dict[str, dict[str, str]] = {}
        self.invalid: set[str] = set()

    def add_file(self, path: str | None) -> int:
        self._files.append(path or "")
        return len(self._files) - 1

    def _entry(self, item: Located, file: int) -> int:
        entry = _CODES[item.record.type] | file << _FILE_SHIFT
        head, _, index = item.pointer.rpartition("/")
        if head == "/records" and index.isdigit():
            return entry | int(index) << _INDEX_SHIFT
        self._apart[item.record.id] = (item.path, item.pointer)
        return entry

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._entries or record_id in self._statements

    def add(self, item: Located, file: int) -> bool:
        """Index one record; False for an id already taken (the first record stays)."""
        record = item.record
        if record.id in self:
            return False
        if isinstance(record, Statement) and not item.extended:
            self._statements.add(record.id)
            return True
        self._entries[record.id] = self._entry(item, file)
        if item.extended:
            self._extended.add(record.id)
        if isinstance(record, Actor):
            self._actor_kinds[record.id] = record.kind
        elif isinstance(record, Source):
            self.sources[record.id] = SourceFacts.of(record)
        for field, target in _integrity.links_of(record).items():
            self.links.setdefault(field, {})[record.id] = target
        return True

    def add_base(self, base: Dataset) -> None:
        """Index the records of the dataset that the files extend."""
        for item in _extended(base):
            self.add(item, self.add_file(item.path))

    def add_unchecked(self, record_id: str) -> bool:
        """Index a statement by its id alone, unvalidated; False if the id is taken."""
        if record_id in self:
            return False
        self._statements.add(record_id)
        return True

    def duplicate_problems(self, twice: list[Located], files: Sequence[Path]) -> list[Problem]:
        """The problems of records whose id was taken, each naming where it was first read.

        A statement's place is not kept (a large dataset is mostly statements), so
        for a statement id used twice the files are read again to find the first.
        """
        pending = {i.record.id for i in twice if i.record.id in self._statements}
        for path in files if pending else ():
            for item in read_file(path, use_schema=False).records:
                if item.record.id in pending:
                    pending.discard(item.record.id)
                    self._first[item.record.id] = (item.path, item.pointer)
            if not pending:
                break
        return [
            _integrity.duplicate_problem(
                item.record.id,
                item.path,
                item.pointer,
                self.location(item.record.id),
                item.record.id in self._extended,
            )
            for item in twice
        ]

    def is_first(self, item: Located) -> bool:
        """Whether ``item`` is the record its id names (not a later duplicate).

        A record the first pass did not index (it found it invalid) is not.
        """
        where = (item.path, item.pointer)
        if item.record.id in self._statements:
            return self._first.get(item.record.id, where) == where
        return item.record.id in self._entries and self.location(item.record.id) == where

    # _integrity.Facts

    def kind(self, record_id: str) -> str | None:
        entry = self._entries.get(record_id)
        if entry is None:
            return "Statement" if record_id in self._statements else None
        return _TYPES[entry & 0xF]

    def actor_kind(self, record_id: str) -> str | None:
        return self._actor_kinds.get(record_id)

    def source(self, record_id: str) -> SourceFacts | None:
        return self.sources.get(record_id)

    def location(self, record_id: str) -> tuple[str | None, str]:
        if record_id in self._apart:
            return self._apart[record_id]
        if record_id in self._first:
            return self._first[record_id]
        entry = self._entries[record_id]
        path = self._files[(entry >> _FILE_SHIFT) & 0xFFFFF]
        return path or None, f"/records/{entry >> _INDEX_SHIFT}"

    def iri_maker(self, base: str) -> Callable[[str], str]:
        """A record's IRI from its id alone, as :meth:`BaseRecord.iri` gives it."""
        entries, collections = self._entries, _COLLECTIONS
        statement = f"{base}{Statement.collection}/"

        def iri_of(record_id: str) -> str:
            entry = entries.get(record_id)
            if entry is None:
                return statement + record_id
            return f"{base}{collections[entry & 0xF]}/{record_id}"

        return iri_of


@attrs.define
class Scan:
    """A dataset directory after the first pass: its index and the problems found so far."""

    files: Sequence[Path]
    seeds: tuple[Path, ...]
    base: Dataset | None
    index: Index = attrs.Factory(Index)
    problems: list[Problem] = attrs.Factory(list)
    """Problems of files and records, then duplicate ids, in the order a load reports them."""
    quick: bool = False
    """Made by :func:`quick_scan`: statements are validated only in the second pass."""
    advance: Callable[[int], None] = lambda files: None
    """Told of every fixture file read, in either pass: for a progress bar."""

    def records(self) -> Iterator[Located]:
        """The second pass: every valid record, once per id, in the order of a load."""
        index = self.index
        if self.base is not None:
            yield from _extended(self.base)
        for path in self.files:
            read = read_file(path, use_schema=False)
            if read.problems and self.quick:
                raise _Inexact  # what the quick first pass did not validate is invalid
            for item in read.records:
                if index.is_first(item):
                    yield item
            self.advance(1)

    def checked(self) -> Iterator[tuple[Located, list[Problem]]]:
        """The second pass, each record with its problems against the others."""
        index = self.index
        for item in self.records():
            problems = _integrity.record_problems(
                item.record, item.path, item.pointer, index, index.invalid
            )
            yield item, problems

    def cycle_problems(self) -> list[Problem]:
        return _integrity.cycle_problems(self.index.links, self.index)


def _seed_folders(seeds: Path | None, base: Dataset | None) -> tuple[Path, ...]:
    return (*(base.seed_folders if base else ()), *((seeds,) if seeds else ()))


@_gc.pausing
def scan(
    files: Sequence[Path],
    seeds: Path | None,
    *,
    use_schema: bool,
    base: Dataset | None = None,
    advance: Callable[[int], None] | None = None,
) -> Scan:
    """The first pass over ``files``: validate every record and index it.

    ``advance`` is told of every file read, in this pass and the second, for a progress bar.
    """
    result = Scan(files, _seed_folders(seeds, base), base)
    if advance is not None:
        result.advance = advance
    index, twice = result.index, []
    if base is not None:
        index.add_base(base)
        result.problems += seed_collisions(base.seed_folders, seeds) if seeds is not None else []
    for path in files:
        read = read_file(path, use_schema=use_schema)
        result.problems += read.problems
        index.invalid |= read.invalid_ids
        file = index.add_file(str(path))
        twice += [item for item in read.records if not index.add(item, file)]
        result.advance(1)
    result.problems += index.duplicate_problems(twice, files)
    return result


@_gc.settling
def check(scan_result: Scan) -> list[Problem]:
    """The second pass, checking only: every problem, in the order a load reports them."""
    problems = list(scan_result.problems)
    for _, found in scan_result.checked():
        problems += found
    problems += scan_result.cycle_problems()
    return _problems.with_lines(problems)


class _Inexact(Exception):
    """The quick first pass met something only the exact one reports well."""


@_gc.pausing
def quick_scan(
    files: Sequence[Path],
    seeds: Path | None,
    base: Dataset | None,
    advance: Callable[[int], None] | None = None,
) -> Scan:
    """A first pass that validates only what the index needs, not the statements.

    Statements are most of a large dataset and nothing in the index comes from
    them but their ids, so they are validated once, in the second pass. It is
    exact for a valid dataset; anything invalid raises :class:`_Inexact`, and
    the problems are then found by :func:`scan`.
    """
    result = Scan(files, _seed_folders(seeds, base), base, quick=True)
    if advance is not None:
        result.advance = advance
    index = result.index
    if base is not None:
        index.add_base(base)
        if seeds is not None and seed_collisions(base.seed_folders, seeds):
            raise _Inexact
    for path in files:
        try:
            document = json.loads(read_bounded(path))
            records = document["records"]
        except (DataError, ValueError, RecursionError, TypeError, KeyError):
            raise _Inexact from None
        file = index.add_file(str(path))
        for position, data in enumerate(records):
            if isinstance(data, dict) and data.get("type") == "Statement":
                if not isinstance(data.get("id"), str) or not index.add_unchecked(data["id"]):
                    raise _Inexact
                continue
            try:
                record = RECORD_ADAPTER.validate_python(data)
            except pydantic.ValidationError:
                raise _Inexact from None
            if not index.add(Located(record, str(path), f"/records/{position}"), file):
                raise _Inexact
        result.advance(1)
    return result


PARALLEL_BYTES = 32 * 1024 * 1024
"""Below this much fixture JSON, starting other processes costs more than it saves."""


_MOST_WORKERS = 61 if sys.platform == "win32" else 1024  # Windows waits on at most 61

MAX_DEFAULT_JOBS = 4
"""Beyond this, the time saved is small and each process holds its own index."""


def default_jobs() -> int:
    """The processors this process may run on, up to :data:`MAX_DEFAULT_JOBS`."""
    count = getattr(os, "process_cpu_count", None)  # Python 3.13
    affinity = getattr(os, "sched_getaffinity", None)
    if count is not None:
        available = count()
    elif affinity is not None:
        available = len(affinity(0))
    else:
        available = os.cpu_count()
    return max(1, min(available or 1, MAX_DEFAULT_JOBS))


def _parts(files: Sequence[Path], jobs: int) -> list[list[Path]]:
    """``files`` in at most ``jobs`` runs of about equal size, in order."""
    sizes = [path.stat().st_size for path in files]
    if jobs < 2 or len(files) < 2 or sum(sizes) < PARALLEL_BYTES:
        return [list(files)]
    share, size = sum(sizes) / jobs, 0
    parts: list[list[Path]] = [[]]
    for path, bytes_ in zip(files, sizes, strict=True):
        if size >= share * len(parts) and len(parts) < jobs:
            parts.append([])
        parts[-1].append(path)
        size += bytes_
    return parts


@_gc.settling
def _write(first: Scan, out: IO[str], quads: bool, base: str, jobs: int) -> int:
    """The second pass of the export: checked records written as lines, in file order.

    A large dataset is cut into runs of files, and all but the first are written
    by other processes into temporary files, which are then appended in order:
    the same bytes as one process writes, in a fraction of the time.
    """
    if first.cycle_problems():
        raise _Inexact
    base_iri(base)
    head, *rest = _parts(first.files, min(jobs, _MOST_WORKERS + 1))
    if not rest:
        return _write_records(first, out, quads, base)
    context = multiprocessing.get_context("spawn")  # no fork: safe with threads, everywhere
    with (
        tempfile.TemporaryDirectory(prefix="kpr-events-") as folder,
        ProcessPoolExecutor(len(rest), mp_context=context) as pool,
    ):
        paths = [Path(folder, f"{n}.nt") for n in range(len(rest))]
        futures = [
            pool.submit(_write_file, first.index, part, path, quads, base)
            for part, path in zip(rest, paths, strict=True)
        ]
        lines = _write_records(attrs.evolve(first, files=head), out, quads, base)
        for future, part, path in zip(futures, rest, paths, strict=True):
            try:
                lines += future.result()  # _Inexact, or any error, comes back from the worker
            except OSError as exc:  # what a worker writes is its part, in the folder
                raise scratch_error(folder, exc) from None
            with path.open(encoding="utf-8", newline="") as written:
                shutil.copyfileobj(written, out, 1024 * 1024)
            first.advance(len(part))
    return lines


def _write_file(index: Index, files: Sequence[Path], path: Path, quads: bool, base: str) -> int:
    """In a worker process: the lines of ``files``, into the file ``path``."""
    with _gc.settled(), path.open("w", encoding="utf-8", newline="") as out:  # index unpickled
        return _write_records(Scan(files, (), None, index, quick=True), out, quads, base)


def _write_records(first: Scan, out: IO[str], quads: bool, base: str) -> int:
    from kpr_events.rdf import _Context, _graph_source, _record_triples, graph_name

    index = first.index
    context = _Context.of(
        base,
        index.iri_maker(base),
        ((i, s.seed, s.language) for i, s in index.sources.items()),
    )
    sink, lines = LineSink(), 0
    for item, problems in first.checked():
        if problems:
            raise _Inexact
        if quads:
            sink.in_graph(graph_name(_graph_source(item.record), base))
        _record_triples(sink, context, item.record)
        text, count = sink.take()
        out.write(text)
        lines += count
    return lines


def export(
    files: Sequence[Path],
    seeds: Path | None,
    out: IO[str],
    *,
    base: Dataset | None = None,
    quads: bool = False,
    base_iri: str = DEFAULT_BASE_IRI,
    advance: Callable[[int], None] | None = None,
    jobs: int = 1,
) -> int:
    """Write a dataset's N-Triples or N-Quads to ``out``, streaming; the number of lines.

    Raises :class:`ValidationError` listing every problem of an invalid dataset,
    after which what ``out`` holds is to be discarded. ``advance`` is told of
    every fixture file read: twice each for a valid dataset.
    """
    try:
        return _write(quick_scan(files, seeds, base, advance), out, quads, base_iri, jobs)
    except _Inexact:
        problems = check(scan(files, seeds, use_schema=False, base=base))
    if not problems:  # cannot happen: the quick pass is exact for a valid dataset
        raise AssertionError("the quick pass found a problem that the exact pass did not")
    raise ValidationError(problems)


def stream_rdf(
    directory: str | Path | None,
    out: IO[str],
    *,
    quads: bool = False,
    base_iri: str = DEFAULT_BASE_IRI,
    on_progress: Callable[[int], None] | None = None,
    jobs: int = 1,
) -> int:
    """Stream the N-Triples (or N-Quads) of a dataset directory, or the packaged data, to ``out``.

    Memory holds a compact index and one fixture file, so a dataset of any size
    exports in about the same memory. The triples are those of
    :func:`kpr_events.to_graph` (or :func:`kpr_events.rdf.to_quads`), blank node
    labels included. Returns the number of lines written. An invalid dataset
    raises :class:`ValidationError` listing every problem, as
    :func:`kpr_events.load_dataset` would; ``out`` may then hold part of the
    triples and is to be discarded (the CLI writes to a temporary file).

    ``on_progress`` is told of every fixture file read, twice each for a valid
    dataset: for a progress bar.

    ``jobs`` above 1 shares a large dataset's files among that many processes
    (started afresh, so a script that calls this needs the usual
    ``if __name__ == "__main__":`` guard); the output is the same bytes.
    """
    root = _resources.data_root() if directory is None else Path(directory)
    check_root(root)
    base = None if directory is None else base_dataset(root)
    files = fixture_files(root)
    return export(
        files,
        root / "seeds",
        out,
        base=base,
        quads=quads,
        base_iri=base_iri,
        advance=on_progress,
        jobs=jobs,
    )


def validate(
    files: Sequence[Path],
    seeds: Path | None,
    *,
    base: Dataset | None = None,
    advance: Callable[[int], None] | None = None,
) -> list[Problem]:
    """Every problem of fixture ``files``, as :func:`kpr_events.validate_files` reports them.

    JSON Schema, model and integrity in two passes; then, given ``seeds`` and no
    problem so far, verification against the seeds in a third.
    """
    first = scan(files, seeds, use_schema=True, base=base, advance=advance)
    problems = check(first)
    if problems or seeds is None:
        return problems
    return verify(first)[0]


@_gc.settling
def verify(first: Scan) -> tuple[list[Problem], _Verifier]:
    """Verify a scanned dataset against its seeds, as :func:`kpr_events.verify.verify_dataset`."""
    from kpr_events.verify import verify_records

    folders = first.seeds
    problems, seen = verify_records(first.records(), lambda s: seed_path(folders, s), folders)
    return _problems.with_lines(problems), seen


def reserialize(triples: Path, out: IO[bytes], fmt: str) -> None:
    """Rewrite an N-Triples file as Turtle, JSON-LD or RDF/XML, streaming, through Oxigraph.

    Oxigraph's serializers write as they read, so memory stays flat; in return
    Turtle groups only consecutive triples of one subject, and JSON-LD comes
    expanded, without a context.
    """
    import pyoxigraph

    from kpr_events.vocab import PREFIXES

    formats = {
        "turtle": pyoxigraph.RdfFormat.TURTLE,
        "jsonld": pyoxigraph.RdfFormat.JSON_LD,
        "xml": pyoxigraph.RdfFormat.RDF_XML,
    }
    parsed = pyoxigraph.parse(path=str(triples), format=pyoxigraph.RdfFormat.N_TRIPLES)
    prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    pyoxigraph.serialize(parsed, out, formats[fmt], prefixes=prefixes)
