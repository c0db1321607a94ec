"""Checking a dataset against its seeds: every quote is where it says, every seed is unchanged.

These checks need the seed texts, so they run on demand (``kpr-events
verify``) rather than on every load. They also flag curation gaps: an actor,
place, article or source that nothing refers to.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

import attrs
from pydantic import BaseModel

from kpr_events import _jsonio, _problems
from kpr_events._fixturefile import Located as _Located
from kpr_events._refs import iter_refs
from kpr_events.dataset import Dataset
from kpr_events.errors import DataError, Problem, ResourceError
from kpr_events.models import Actor, Article, Place, Record, Source
from kpr_events.seeds import check_seeds, sha256_of
from kpr_events.values import QuoteSpan

__all__ = ["quote_spans", "verify_dataset"]

_SEED_TEXTS_HELD = 16


Located = tuple[tuple[str | int, ...], QuoteSpan]


def quote_spans(record: Record) -> Iterator[Located]:
    """Every quote span in a record, with its path inside the record."""

    def walk(value: object, path: tuple[str | int, ...]) -> Iterator[Located]:
        if isinstance(value, QuoteSpan):
            yield path, value
        elif isinstance(value, (list, tuple)):
            for index, item in enumerate(value):
                yield from walk(item, (*path, index))
        elif isinstance(value, BaseModel):
            for name in type(value).model_fields:
                yield from walk(getattr(value, name), (*path, name))

    yield from walk(record, ())


def _problem(item: _Located, path: tuple[str | int, ...], code: str, message: str) -> Problem:
    return Problem(code, message, path=item.path, pointer=item.pointer + _problems.pointer(path))


@attrs.define
class _Verifier:
    """Verification as one pass over the records, holding a few seed texts at a time.

    It sees each record once, so a dataset streamed from a directory is verified
    in the memory of its last few seeds; what it keeps between records is the set
    of ids referred to and the records that might be unused.
    """

    seed_path: Callable[[str], Path]
    quotes: list[Problem] = attrs.Factory(list)
    hashes: list[Problem] = attrs.Factory(list)
    used: set[str] = attrs.Factory(set)
    candidates: list[tuple[str, str, str | None, str]] = attrs.Factory(list)
    """Records that nothing might refer to: (id, type, file, pointer), not the records."""
    seeds_used: set[str] = attrs.Factory(set)
    unreadable: set[str] = attrs.Factory(set)
    spans: int = 0
    sources: int = 0
    _texts: OrderedDict[str, str | None] = attrs.Factory(OrderedDict)
    """The seed texts read last, the most recent at the end: statements of one
    source usually come together, and a few texts cover those that do not."""

    def see(self, item: _Located) -> None:
        record = item.record
        for path, span in quote_spans(record):
            self.spans += 1
            self._check_quote(item, path, span)
        self.used.update(ref.target for ref in iter_refs(record))
        if isinstance(record, (Actor, Place, Article, Source)):
            self.candidates.append((record.id, record.type, item.path, item.pointer))
        if isinstance(record, Source):
            self.sources += 1
            self.seeds_used.add(record.seed)
            self._check_hash(item, record)

    def _seed_text(self, seed: str) -> str | None:
        if seed in self._texts:
            self._texts.move_to_end(seed)
            return self._texts[seed]
        text = None
        if seed not in self.unreadable:
            path = self.seed_path(seed)
            try:
                text = _jsonio.read_text(path)
            except DataError as exc:
                # Reported once per seed: a seed that is there but unreadable says why.
                self.unreadable.add(seed)
                if path.is_file():
                    self.quotes += exc.problems
        self._texts[seed] = text
        if len(self._texts) > _SEED_TEXTS_HELD:
            self._texts.popitem(last=False)
        return text

    def _check_quote(self, item: _Located, path: tuple[str | int, ...], span: QuoteSpan) -> None:
        text = self._seed_text(span.seed)
        if text is None:
            if not self.seed_path(span.seed).is_file():
                self.quotes.append(
                    _problem(
                        item,
                        (*path, "seed"),
                        "seed-missing",
                        f"seed {span.seed!r} is not in the dataset's seeds folder",
                    )
                )
            return
        found = text[span.start : span.end]
        if found != span.text:
            hint = ""
            elsewhere = text.find(span.text)
            if elsewhere >= 0:
                hint = f"; the text is at {elsewhere}..{elsewhere + len(span.text)}"
            self.quotes.append(
                _problem(
                    item,
                    path,
                    "quote-mismatch",
                    f"{span.seed}[{span.start}:{span.end}] is {_shown(found)}, "
                    f"not the stored text {_shown(span.text)}{hint}",
                )
            )

    def _check_hash(self, item: _Located, source: Source) -> None:
        path = self.seed_path(source.seed)
        if not path.is_file():
            self.hashes.append(_problem(item, ("seed",), "seed-missing", f"no seed file {path}"))
        elif (actual := sha256_of(path)) != source.sha256:
            self.hashes.append(
                _problem(
                    item,
                    ("sha256",),
                    "seed-hash",
                    f"{source.seed} has SHA-256 {actual} (expected {source.sha256})",
                )
            )

    def problems(self, folders: Sequence[Path]) -> list[Problem]:
        problems = self.quotes + self.hashes
        for folder in folders:
            problems += check_seeds(folder)
        for folder in folders:
            for path in sorted(folder.glob("*.txt")):
                if path.name not in self.seeds_used:
                    message = (
                        "no source names this seed (expected a Source record whose seed it is)"
                    )
                    problems.append(Problem("seed-unused", message, path=str(path)))
        for record_id, kind, file, pointer in self.candidates:
            if record_id not in self.used:
                message = f"no record refers to {kind} {record_id!r}"
                problems.append(
                    Problem("unused-record", message, path=file, pointer=pointer + "/id")
                )
        return problems


def _shown(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")


def verify_records(
    items: Iterable[_Located], seed_path: Callable[[str], Path], folders: Sequence[Path]
) -> tuple[list[Problem], _Verifier]:
    """Verify records read from ``folders`` of seeds, in one pass; also what was seen."""
    verifier = _Verifier(seed_path)
    for item in items:
        verifier.see(item)
    return verifier.problems(folders), verifier


def verify_dataset(dataset: Dataset) -> list[Problem]:
    """Quotes against seeds, seeds against hashes and manifests, and records nothing uses.

    A dataset that extends another is verified whole: its own seeds folder and
    those of the dataset it extends.
    """
    if not dataset.seed_folders:
        raise ResourceError("this dataset has no seeds folder to verify against")
    items = (_Located(r, *dataset.location(r.id)) for r in dataset)
    return verify_records(items, dataset.seed_path, dataset.seed_folders)[0]
