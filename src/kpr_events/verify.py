"""Checking a dataset against its seeds: every quote is where it says, every seed is unchanged.

These checks need the seed texts, so they run on demand (``kpr-events
verify``) rather than on every load. They also flag curation gaps: an actor,
place, article or source that nothing refers to.
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import BaseModel

from kpr_events import _jsonio, _problems
from kpr_events._refs import iter_refs
from kpr_events.dataset import Dataset
from kpr_events.errors import DataError, Problem, ResourceError
from kpr_events.models import Actor, Article, Place, Record, Source
from kpr_events.seeds import check_seeds, sha256_of
from kpr_events.values import QuoteSpan

__all__ = ["quote_spans", "verify_dataset"]


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


def _problem(
    dataset: Dataset, record: Record, path: tuple[str | int, ...], code: str, message: str
) -> Problem:
    file, pointer = dataset.location(record.id)
    return Problem(code, message, path=file, pointer=pointer + _problems.pointer(path))


def _quote_problems(dataset: Dataset) -> Iterator[Problem]:
    texts: dict[str, str | None] = {}
    for record in dataset:
        for path, span in quote_spans(record):
            if span.seed not in texts:
                texts[span.seed] = None
                seed = dataset.seed_path(span.seed)
                try:
                    texts[span.seed] = _jsonio.read_text(seed)
                except DataError as exc:
                    # Reported once per seed: a seed that is there but unreadable says why.
                    if seed.is_file():
                        yield from exc.problems
            text = texts[span.seed]
            if text is None:
                if not dataset.seed_path(span.seed).is_file():
                    yield _problem(
                        dataset,
                        record,
                        (*path, "seed"),
                        "seed-missing",
                        f"seed {span.seed!r} is not in the dataset's seeds folder",
                    )
                continue
            found = text[span.start : span.end]
            if found != span.text:
                hint = ""
                elsewhere = text.find(span.text)
                if elsewhere >= 0:
                    hint = f"; the text is at {elsewhere}..{elsewhere + len(span.text)}"
                yield _problem(
                    dataset,
                    record,
                    path,
                    "quote-mismatch",
                    f"{span.seed}[{span.start}:{span.end}] is {_shown(found)}, "
                    f"not the stored text {_shown(span.text)}{hint}",
                )


def _shown(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _hash_problems(dataset: Dataset) -> Iterator[Problem]:
    for source in dataset.sources:
        path = dataset.seed_path(source.seed)
        if not path.is_file():
            yield _problem(dataset, source, ("seed",), "seed-missing", f"no seed file {path}")
        elif (actual := sha256_of(path)) != source.sha256:
            yield _problem(
                dataset,
                source,
                ("sha256",),
                "seed-hash",
                f"{source.seed} has SHA-256 {actual} (expected {source.sha256})",
            )


def _unused(dataset: Dataset) -> Iterator[Problem]:
    used = {ref.target for record in dataset for ref in iter_refs(record)}
    for record in dataset:
        if isinstance(record, (Actor, Place, Article, Source)) and record.id not in used:
            yield _problem(
                dataset,
                record,
                ("id",),
                "unused-record",
                f"no record refers to {record.type} {record.id!r}",
            )


def _unused_seeds(dataset: Dataset) -> Iterator[Problem]:
    used = {source.seed for source in dataset.sources}
    for folder in dataset.seed_folders:
        for path in sorted(folder.glob("*.txt")):
            if path.name not in used:
                message = "no source names this seed (expected a Source record whose seed it is)"
                yield Problem("seed-unused", message, path=str(path))


def verify_dataset(dataset: Dataset) -> list[Problem]:
    """Quotes against seeds, seeds against hashes and manifests, and records nothing uses.

    A dataset that extends another is verified whole: its own seeds folder and
    those of the dataset it extends.
    """
    if not dataset.seed_folders:
        raise ResourceError("this dataset has no seeds folder to verify against")
    problems = list(_quote_problems(dataset))
    problems += _hash_problems(dataset)
    for folder in dataset.seed_folders:
        problems += check_seeds(folder)
    problems += _unused_seeds(dataset)
    problems += _unused(dataset)
    return problems
