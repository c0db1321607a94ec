"""The dataset: every record, looked up by id, with every reference checked.

``load_dataset()`` reads the packaged data, or a directory laid out like the
project (``DIR/fixtures/*.json``, ``DIR/seeds/*.txt``). Reading goes file by
file and record by record, so one bad record never hides the problems of the
others: all of them are reported together in one :class:`ValidationError`.

A directory whose ``dataset.json`` says ``"extends": "kpr-events"`` is merged
over the packaged data: its records may refer to packaged ones by id, and a
packaged id or seed name used again is a problem, not an override.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Set
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import attrs
import pydantic

from kpr_events import _gc, _integrity, _jsonio, _problems, _resources
from kpr_events._fixturefile import FileResult, Located, check_root, read_file, seed_collisions
from kpr_events.errors import DataError, Problem, ResourceError, ValidationError
from kpr_events.models import (
    Actor,
    Article,
    DatasetManifest,
    MilitaryEvent,
    Place,
    PoliticalEvent,
    Record,
    Source,
    Statement,
    Treaty,
)
from kpr_events.values import Figure

__all__ = [
    "MANIFEST_FILE",
    "Dataset",
    "base_dataset",
    "fixture_files",
    "load_dataset",
    "read_dataset_manifest",
    "validate_files",
]

MANIFEST_FILE = "dataset.json"
"""A dataset directory's manifest, which says what the directory extends."""

R = TypeVar("R")


@attrs.frozen
class _RecordFacts:
    """What the integrity checks ask of the other records, answered from the records."""

    by_id: Mapping[str, Record]
    where: Mapping[str, Located]

    def kind(self, record_id: str) -> str | None:
        record = self.by_id.get(record_id)
        return None if record is None else record.type

    def actor_kind(self, record_id: str) -> str | None:
        record = self.by_id.get(record_id)
        return record.kind if isinstance(record, Actor) else None

    def source(self, record_id: str) -> _integrity.SourceFacts | None:
        record = self.by_id.get(record_id)
        return _integrity.SourceFacts.of(record) if isinstance(record, Source) else None

    def location(self, record_id: str) -> tuple[str | None, str]:
        item = self.where[record_id]
        return item.path, item.pointer


class Dataset:
    """An immutable collection of records whose references all resolve.

    Constructing one checks ids and references and raises
    :class:`ValidationError` listing every problem found.
    """

    def __init__(
        self, records: Iterable[Record], *, seeds: Path | Sequence[Path] | None = None
    ) -> None:
        located = [Located(r, None, f"/{i}") for i, r in enumerate(records)]
        self._init(located, _folders(seeds))

    def _init(
        self,
        located: Sequence[Located],
        seeds: tuple[Path, ...],
        invalid: Set[str] = frozenset(),
    ) -> None:
        # ``invalid``: ids of records that failed validation and were reported already;
        # references to them are not reported again as missing.
        self._seed_folders = seeds
        self._by_id: dict[str, Record] = {}
        self._where: dict[str, Located] = {}
        problems = []
        for item in located:
            first = self._where.get(item.record.id)
            if first is not None:
                problems.append(
                    _integrity.duplicate_problem(
                        item.record.id,
                        item.path,
                        item.pointer,
                        (first.path, first.pointer),
                        first.extended,
                    )
                )
                continue
            self._by_id[item.record.id] = item.record
            self._where[item.record.id] = item
        facts = _RecordFacts(self._by_id, self._where)
        for item in self._where.values():
            problems += _integrity.record_problems(
                item.record, item.path, item.pointer, facts, invalid
            )
        links: dict[str, dict[str, str]] = {}
        for record in self._by_id.values():
            for field, target in _integrity.links_of(record).items():
                links.setdefault(field, {})[record.id] = target
        problems += _integrity.cycle_problems(links, facts)
        if problems:
            raise ValidationError(problems)

    @classmethod
    def _from_located(
        cls, located: Sequence[Located], seeds: tuple[Path, ...], invalid: Set[str] = frozenset()
    ) -> Dataset:
        dataset = cls.__new__(cls)
        dataset._init(located, seeds, invalid)
        return dataset

    # Access --------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self) -> Iterator[Record]:
        return iter(self._by_id.values())

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._by_id

    def __getitem__(self, record_id: str) -> Record:
        try:
            return self._by_id[record_id]
        except KeyError:
            raise KeyError(f"no record has id {record_id!r}") from None

    def get(self, record_id: str, kind: type[R]) -> R:
        """The record with ``record_id``, which must be a ``kind``."""
        record = self[record_id]
        if not isinstance(record, kind):
            raise TypeError(f"{record_id!r} is a {record.type}, not a {kind.__name__}")
        return record

    def name_of(self, record_id: str, lang: str = "en") -> str:
        """The record's name in ``lang``, else its id (a record with no name, or none in ``lang``).

        An id no record has raises :class:`KeyError`, as ``dataset[record_id]`` does:
        every reference in a dataset resolves, so such an id is a caller's mistake,
        and printing it as if it were a name would hide that.
        """
        names = getattr(self[record_id], "name", None)
        name = names.get(lang) if isinstance(names, dict) else None
        return name if isinstance(name, str) else record_id

    def of_type(self, kind: type[R]) -> list[R]:
        return [r for r in self._by_id.values() if isinstance(r, kind)]

    @property
    def records(self) -> tuple[Record, ...]:
        return tuple(self._by_id.values())

    @property
    def actors(self) -> list[Actor]:
        return self.of_type(Actor)

    @property
    def places(self) -> list[Place]:
        return self.of_type(Place)

    @property
    def treaties(self) -> list[Treaty]:
        return self.of_type(Treaty)

    @property
    def articles(self) -> list[Article]:
        return self.of_type(Article)

    @property
    def events(self) -> list[MilitaryEvent | PoliticalEvent]:
        return [r for r in self._by_id.values() if isinstance(r, (MilitaryEvent, PoliticalEvent))]

    @property
    def statements(self) -> list[Statement]:
        return self.of_type(Statement)

    @property
    def sources(self) -> list[Source]:
        return self.of_type(Source)

    @property
    def seeds(self) -> Path | None:
        """The folder holding the dataset's own seed texts, if it has one."""
        return self._seed_folders[-1] if self._seed_folders else None

    @property
    def seed_folders(self) -> tuple[Path, ...]:
        """Every seeds folder: those of the dataset extended first, then the dataset's own."""
        return self._seed_folders

    def location(self, record_id: str) -> tuple[str | None, str]:
        """The file and JSON pointer a record was read from."""
        item = self._where[record_id]
        return item.path, item.pointer

    def statements_about(self, record_id: str) -> list[Statement]:
        """Statements that refer to ``record_id``, in dataset order."""
        return [s for s in self.statements if record_id in s.refers_to]

    def figures_for(self, event_id: str) -> list[tuple[Statement, Figure]]:
        """Every figure claimed about an event (alone or with others), with the statement that
        claims it."""
        return [(s, f) for s in self.statements for f in s.figures if event_id in f.about]

    def articles_of(self, treaty_id: str) -> list[Article]:
        return sorted(
            (a for a in self.articles if a.treaty == treaty_id),
            key=lambda a: (int("".join(c for c in a.number if c.isdigit())), a.number),
        )

    def signed_together(self, treaty_id: str) -> list[Treaty]:
        """The other agreements signed on the same occasion as ``treaty_id``."""
        occasion = self.get(treaty_id, Treaty).signed_during
        if occasion is None:
            return []
        return [t for t in self.treaties if t.signed_during == occasion and t.id != treaty_id]

    def seed_path(self, seed: str) -> Path:
        """Where the seed file named ``seed`` is (or would be, in the dataset's own folder)."""
        return seed_path(self._seed_folders, seed)

    def seed_text(self, seed: str) -> str:
        """The text of a seed file of this dataset."""
        path = self.seed_path(seed)
        try:
            return _jsonio.read_text(path)
        except DataError as exc:
            raise ResourceError(f"cannot read seed: {exc.problems[0].message}", str(path)) from None


def seed_path(folders: Sequence[Path], seed: str) -> Path:
    """Where the seed named ``seed`` is among ``folders`` (or would be, in the last)."""
    if not folders:
        raise ResourceError("this dataset was built without a seeds folder")
    for folder in folders:
        if (folder / seed).is_file():
            return folder / seed
    return folders[-1] / seed


def fixture_files(directory: Path) -> list[Path]:
    """The fixture files of a dataset directory, in name order."""
    return sorted((directory / "fixtures").glob("*.json"))


def _folders(seeds: Path | Sequence[Path] | None) -> tuple[Path, ...]:
    if seeds is None:
        return ()
    return (seeds,) if isinstance(seeds, Path) else tuple(seeds)


def _load(
    files: Iterable[Path],
    seeds: Path | None,
    *,
    use_schema: bool,
    base: Dataset | None = None,
) -> tuple[Dataset | None, list[Problem]]:
    total = FileResult()
    folders = _folders(seeds)
    if base is not None:
        total.records += [attrs.evolve(item, extended=True) for item in base._where.values()]
        total.problems += seed_collisions(base.seed_folders, seeds) if seeds is not None else []
        folders = (*base.seed_folders, *folders)
    for path in files:
        result = read_file(path, use_schema=use_schema)
        total.records += result.records
        total.problems += result.problems
        total.invalid_ids |= result.invalid_ids
    try:
        dataset = Dataset._from_located(total.records, folders, total.invalid_ids)
    except ValidationError as exc:
        return None, _problems.with_lines(total.problems + list(exc.problems))
    return (None if total.problems else dataset), _problems.with_lines(total.problems)


def read_dataset_manifest(root: Path) -> DatasetManifest | None:
    """The ``dataset.json`` of a dataset directory, or None if it has none.

    Raises :class:`ValidationError`, located in the file, if it breaks its schema.
    """
    path = root / MANIFEST_FILE
    if not path.is_file():
        return None
    from kpr_events.schema import MANIFEST_SCHEMA, validator  # the schema is needed only here

    try:
        document: Any = _jsonio.read_json(path)
    except DataError as exc:
        raise ValidationError(exc.problems) from None
    problems = _problems.from_jsonschema(
        validator(MANIFEST_SCHEMA).iter_errors(document), str(path)
    )
    if problems:
        raise ValidationError(_problems.with_lines(problems))
    try:
        return DatasetManifest.model_validate(document)
    except pydantic.ValidationError as exc:
        raise ValidationError(
            _problems.with_lines(_problems.from_pydantic(exc, str(path)))
        ) from None


@cache
def _packaged() -> Dataset:
    return load_dataset()


def base_dataset(root: Path) -> Dataset | None:
    """The dataset that directory ``root`` extends, as its ``dataset.json`` says, if any."""
    manifest = read_dataset_manifest(root)
    if manifest is None or manifest.extends is None:
        return None
    return _packaged()


def load_dataset(path: str | Path | None = None) -> Dataset:
    """The packaged dataset, or the one in directory ``path``, merged over what it extends.

    Raises :class:`ValidationError` listing every problem in every file.
    """
    root = _resources.data_root() if path is None else Path(path)
    check_root(root)
    base = None if path is None else base_dataset(root)
    with _gc.paused():
        dataset, problems = _load(fixture_files(root), root / "seeds", use_schema=False, base=base)
    if dataset is None:
        raise ValidationError(problems)
    return dataset


def validate_files(
    files: Sequence[Path],
    seeds: Path | None = None,
    *,
    base: Dataset | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> list[Problem]:
    """Check fixture files by JSON Schema, then the model, then integrity across them all.

    Given the dataset's ``seeds`` folder, the records that pass are also checked
    against the seeds, as ``kpr-events verify`` does. Given a ``base`` dataset
    (see :func:`base_dataset`), the files are checked as an extension of it.
    An RDF file (``.ttl``, ``.nt``, ``.nq``, ``.jsonld``, ``.rdf``) is read as a
    whole dataset of its own, through the same safe reader as
    :func:`kpr_events.read_graph`. ``on_progress`` is told of each fixture file read
    (twice each, or three times with ``seeds``), for a progress bar.
    """
    from kpr_events._rdfio import format_of  # the RDF modules build on this one

    rdf_files = [f for f in files if format_of(f) is not None]
    json_files = [f for f in files if format_of(f) is None]
    problems: list[Problem] = []
    if json_files or not rdf_files:
        # Streamed: in the memory of an index and one file, however large the dataset.
        from kpr_events import _stream  # the stream builds on this module

        problems = _stream.validate(json_files, seeds, base=base, advance=on_progress)
    for path in rdf_files:
        problems += _rdf_problems(path)
    return problems


def _rdf_problems(path: Path) -> list[Problem]:
    from kpr_events._rdfio import format_of
    from kpr_events.rdf import from_graph, read_graph

    try:
        data = _jsonio.read_bounded(path)
    except DataError as exc:
        return list(exc.problems)
    try:
        from_graph(read_graph(data, format_of(path), str(path)))
    except DataError as exc:
        return [_located_in(path, data, p) for p in exc.problems]
    return []


def _located_in(path: Path, data: bytes, problem: Problem) -> Problem:
    """A problem from a graph, given its file and the first line that names its subject."""
    if problem.path:
        return problem
    line = None
    if problem.message.startswith("<") and ">" in problem.message:
        iri = problem.message[: problem.message.index(">") + 1].encode("utf-8")
        at = data.find(iri)
        line = data.count(b"\n", 0, at) + 1 if at >= 0 else None
    return attrs.evolve(problem, path=str(path), line=line)
