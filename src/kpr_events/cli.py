"""The ``kpr-events`` command: a thin layer over the library.

Each subcommand is one function registered in ``COMMANDS``; it parses nothing
itself and returns an exit status. Any :class:`KprEventsError` is printed to
standard error as one line per problem, never as a traceback, and exits 1.
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import os
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any, TextIO

import attrs

from kpr_events import __version__, _resources, rdf, sparql, store, versioning
from kpr_events._fixturefile import check_root
from kpr_events._jsonio import atomic_writer, read_bounded, read_json, scratch_error, write_text
from kpr_events._sarif import to_sarif
from kpr_events.artifacts import check_artifacts, write_artifacts
from kpr_events.dataset import (
    MANIFEST_FILE,
    Dataset,
    base_dataset,
    fixture_files,
    load_dataset,
    validate_files,
)
from kpr_events.errors import (
    DataError,
    KprEventsError,
    OutputError,
    Problem,
    ResourceError,
    ValidationError,
)
from kpr_events.models import SCHEMA_VERSION
from kpr_events.quote import find_quote_in_file
from kpr_events.schema import generate_schemas
from kpr_events.sparql import read_query
from kpr_events.tables import TABLES, render_csv, write_csv

Command = Callable[[argparse.Namespace], int]
Arguments = Callable[[argparse.ArgumentParser], None]


@attrs.frozen
class _Subcommand:
    run: Command
    arguments: Arguments
    help: str


COMMANDS: dict[str, _Subcommand] = {}


def _no_arguments(parser: argparse.ArgumentParser) -> None:
    del parser


def command(
    name: str, help: str, arguments: Arguments = _no_arguments
) -> Callable[[Command], Command]:
    """Register ``run`` as the subcommand ``name``, its options added by ``arguments``."""

    def register(run: Command) -> Command:
        COMMANDS[name] = _Subcommand(run, arguments, help)
        return run

    return register


def _data_option(parser: argparse._ActionsContainer) -> None:
    parser.add_argument(
        "--data",
        type=Path,
        metavar="DIR",
        help="a dataset directory (DIR/fixtures/*.json, DIR/seeds/*.txt); default: packaged",
    )


# Characters that would let data steer the terminal or break a line of output:
# control characters, bidi embedding/override/isolate controls, lone surrogates.
_UNPRINTABLE = {
    code: f"\\u{code:04x}"
    for code in [
        *range(0x20),
        *range(0x7F, 0xA0),
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
        *range(0xD800, 0xE000),
    ]
}


def _printable(text: str) -> str:
    """``text`` with every character that could garble a terminal line escaped."""
    return text.translate(_UNPRINTABLE)


def _print_problems(problems: Sequence[Problem], fmt: str, out: TextIO) -> None:
    if fmt == "sarif":
        json.dump(to_sarif(problems, __version__), out, ensure_ascii=True, indent=2)
        out.write("\n")
    elif fmt == "json":
        # ASCII escapes keep any string, a lone surrogate included, valid JSON text.
        json.dump([p.to_dict() for p in problems], out, ensure_ascii=True, indent=2)
        out.write("\n")
    else:
        for problem in problems:
            print(_printable(str(problem)), file=out)


# validate ---------------------------------------------------------------------


def _validate_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="fixture files, RDF files (.ttl .nt .nq .jsonld .rdf), or dataset directories "
        "(default: the packaged dataset)",
    )
    parser.add_argument(
        "--format",
        choices=("text", "json", "sarif"),
        default="text",
        help="text: a line per problem; json: a list of problems (file, pointer, line, code, "
        "message); sarif: a SARIF 2.1.0 log for code scanning",
    )


@attrs.frozen
class _Targets:
    """What ``validate`` was asked to check."""

    files: list[Path]
    seeds: Path | None = None
    base: Dataset | None = None
    problems: list[Problem] = attrs.Factory(list)


def _expand(paths: Sequence[Path]) -> _Targets:
    """Fixture files named by ``paths``, each once, and the seeds and base of a dataset given."""
    if not paths:
        root = _resources.data_root()
        return _Targets(fixture_files(root), root / "seeds")
    files: dict[Path, Path] = {}
    seeds = base = None
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir() and (path / "fixtures").is_dir():
            found = fixture_files(path)
            seeds = path / "seeds"
            try:
                base = base_dataset(path) or base
            except DataError as exc:
                problems += exc.problems
        elif path.is_dir():
            found = sorted(path.glob("*.json"))
        else:
            found = [path]
        if path.is_dir() and not found:
            raise ResourceError(f"{path} holds no fixture files (expected *.json)", str(path))
        for file in found:
            files.setdefault(file.resolve(), file)
    return _Targets(list(files.values()), seeds, base, problems)


@command(
    "validate",
    "check fixture files or RDF files: JSON Schema, then the model, then integrity; a dataset "
    "directory is checked whole, with what its dataset.json says it extends",
    _validate_arguments,
)
def _validate(args: argparse.Namespace) -> int:
    from kpr_events._progress import progress  # tqdm, only for the commands that show a bar

    targets = _expand(args.paths)
    problems = targets.problems
    if not problems:
        # Each fixture file is read twice, and a third time to verify quotes against seeds.
        reads = len(targets.files) * (3 if targets.seeds else 2)
        with progress(reads, "validate", unit="file") as bar:
            problems = validate_files(
                targets.files, targets.seeds, base=targets.base, on_progress=bar.advance
            )
    _print_problems(problems, args.format, sys.stdout)
    if args.format == "text":
        verdict = f"{len(problems)} problem(s)" if problems else "valid"
        print(f"{verdict}: {len(targets.files)} file(s) checked", file=sys.stderr)
    return 1 if problems else 0


# schema -----------------------------------------------------------------------


def _schema_arguments(parser: argparse.ArgumentParser) -> None:
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--write", action="store_true", help="regenerate the schema files")
    action.add_argument("--check", action="store_true", help="fail if they differ from the models")
    action.add_argument(
        "--compare",
        type=Path,
        metavar="RELEASED",
        help="list the changes since the schemas in folder RELEASED, and fail unless the "
        "record format version announces them (breaking: major; additive: minor)",
    )
    parser.add_argument(
        "--dir",
        type=Path,
        default=Path("schemas"),
        help="with --write or --check: where the schemas are (default: schemas)",
    )
    parser.add_argument(
        "--changelog",
        type=Path,
        metavar="FILE",
        help="with --compare: also require FILE to name the new `schema_version`",
    )


def _read_schemas(folder: Path) -> dict[str, Any]:
    files = sorted(folder.glob("*.schema.json"))
    if not files:
        raise ResourceError(f"{folder} holds no *.schema.json files", str(folder))
    return {f.name: read_json(f) for f in files}


@command(
    "schema",
    "write or check the files generated from the models: JSON Schemas, JSON-LD context, "
    "ontology and SHACL shapes; or compare the schemas with a release's",
    _schema_arguments,
)
def _schema(args: argparse.Namespace) -> int:
    if args.write:
        changed = write_artifacts(args.dir)
        print(f"{len(changed)} file(s) written to {args.dir}", file=sys.stderr)
    elif args.check:
        check_artifacts(args.dir)
        print(f"the files in {args.dir} match the models", file=sys.stderr)
    else:
        released, current = _read_schemas(args.compare), generate_schemas()
        changelog = (
            None
            if args.changelog is None
            else read_bounded(args.changelog).decode(errors="replace")
        )
        for change in versioning.compare_schemas(released, current):
            print(_printable(str(change)))
        try:
            problems = versioning.version_problems(released, current, changelog)
        except ValueError as exc:
            raise ResourceError(f"{exc} (expected schemas written by kpr-events)") from None
        for problem in problems:
            print(f"kpr-events: {_printable(problem)}", file=sys.stderr)
        if problems:
            return 1
        print(f"version {SCHEMA_VERSION} announces every change", file=sys.stderr)
    return 0


# upgrade ----------------------------------------------------------------------


def _upgrade_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="+",
        type=Path,
        metavar="PATH",
        help="fixture files, dataset.json files, or dataset directories",
    )
    parser.add_argument(
        "--check", action="store_true", help="change nothing; fail if any file needs upgrading"
    )


def _upgrade_targets(paths: Sequence[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir() and (path / "fixtures").is_dir():
            manifest = path / MANIFEST_FILE
            files += [*([manifest] if manifest.is_file() else []), *fixture_files(path)]
        else:
            files.append(path)
    return files


@command(
    "upgrade",
    f"rewrite fixture files and manifests in record format {SCHEMA_VERSION}, checked before "
    "anything is written",
    _upgrade_arguments,
)
def _upgrade(args: argparse.Namespace) -> int:
    files = _upgrade_targets(args.paths)
    changed = versioning.upgrade_files(files, write=not args.check)
    verb = "needs upgrading" if args.check else "upgraded"
    for path in changed:
        print(f"{verb}: {_printable(str(path))}")
    print(
        f"{len(changed)} of {len(files)} file(s) {verb}; format {SCHEMA_VERSION}", file=sys.stderr
    )
    return 1 if args.check and changed else 0


# verify -----------------------------------------------------------------------


@command(
    "verify", "check every quote against its seed and every seed against its hash", _data_option
)
def _verify(args: argparse.Namespace) -> int:
    from kpr_events import _stream
    from kpr_events._progress import progress  # tqdm, only for the commands that show a bar

    root = args.data or _resources.data_root()
    check_root(root)
    files = fixture_files(root)
    with progress(3 * len(files), "verify", unit="file") as bar:
        # Streamed, as load_dataset would check it: a dataset too large to hold verifies too.
        first = _stream.scan(
            files,
            root / "seeds",
            use_schema=False,
            base=base_dataset(root) if args.data else None,
            advance=bar.advance,
        )
        invalid = _stream.check(first)
        if invalid:
            raise ValidationError(invalid)
        problems, seen = _stream.verify(first)
    _print_problems(problems, "text", sys.stdout)
    verdict = f"{len(problems)} problem(s)" if problems else "verified"
    print(f"{verdict}: {seen.spans} quote(s), {seen.sources} source(s)", file=sys.stderr)
    return 1 if problems else 0


# quote ------------------------------------------------------------------------


def _quote_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "seed",
        type=Path,
        metavar="SEED",
        help="a seed article (a UTF-8 text file), or the name of a seed of the dataset "
        "(--data; default: the packaged seeds, e.g. 000_b95b3c31ac6a1fe8.txt)",
    )
    parser.add_argument("text", metavar="TEXT", help="the words to find, as they stand in the seed")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    _data_option(parser)


@command(
    "quote",
    "find words in a seed and print the span to cite, or what differs from the nearest text "
    "(exit 0 only for an exact match)",
    _quote_arguments,
)
def _quote(args: argparse.Namespace) -> int:
    seed = args.seed
    if not seed.exists() and seed.name == str(seed):  # a seed named, not a path
        named = load_dataset(args.data).seed_path(seed.name)
        seed = named if named.is_file() else seed
    search = find_quote_in_file(seed, args.text)
    if args.format == "json":
        # ASCII escapes keep any string, a lone surrogate included, valid JSON text.
        json.dump(search.to_dict(), sys.stdout, ensure_ascii=True, indent=2)
        sys.stdout.write("\n")
    else:
        for line in search.report():
            print(_printable(line))
        print(_printable(search.verdict), file=sys.stderr)
    return 0 if search.found else 1


# export and query -------------------------------------------------------------


def _export_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=[*sorted(rdf.FORMATS), "csv"], default="turtle")
    parser.add_argument(
        "-o",
        "--output",
        metavar="OUTPUT",
        help="write here (atomically); default: stdout. With csv, a folder (existing, or "
        "ending in /) gets one FOLDER/TABLE.csv per table",
    )
    parser.add_argument(
        "--table",
        choices=sorted(TABLES),
        help="with csv: the table to write (default: events; to a folder: all of them)",
    )
    parser.add_argument(
        "--excel",
        action="store_true",
        help="with csv: for spreadsheets, a UTF-8 byte order mark and a ' before any cell "
        "but a number that starts with = + - @ or a tab or line break (see docs/csv.md)",
    )
    parser.add_argument(
        "--stream",
        action="store_true",
        help="with turtle, jsonld or xml: write in flat memory, for a dataset too large to "
        "hold, through Oxigraph's streaming serializers (Turtle grouped only where a "
        "subject's triples are consecutive, JSON-LD expanded); nt and nquads always stream",
    )
    parser.add_argument(
        "--jobs",
        type=_at_least_one,
        metavar="N",
        help="with nt, nquads or --stream: processes that share a large dataset's records "
        "(default: the processors available, up to 4); the output is the same whatever N",
    )
    _data_option(parser)


def _export_csv(args: argparse.Namespace) -> int:
    dataset = load_dataset(args.data)
    excel: bool = args.excel
    # A string, not a Path, so that a trailing "/" (a folder to create) is still there.
    output = None if args.output in (None, "-") else Path(args.output)
    if output is not None and (output.is_dir() or args.output.endswith(("/", os.sep))):
        for table in [args.table] if args.table else sorted(TABLES):
            path = output / f"{table}.csv"
            write_csv(path, dataset, table, bom=excel, formula_guard=excel)
            print(f"csv {table} written to {path}", file=sys.stderr)
        return 0
    table = args.table or "events"
    if output is not None:
        write_csv(output, dataset, table, bom=excel, formula_guard=excel)
        print(f"csv {table} written to {output}", file=sys.stderr)
        return 0
    # UTF-8 whatever the locale says, as docs/csv.md promises; bytes, so no newline translation.
    text = render_csv(dataset, table, bom=excel, formula_guard=excel)
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text)
    else:
        buffer.write(text.encode("utf-8"))
        buffer.flush()
    return 0


def _print_file(path: Path) -> None:
    """A UTF-8 file to standard output, as bytes where it takes them (no newline translation)."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        with path.open(encoding="utf-8", newline="") as text:
            shutil.copyfileobj(text, sys.stdout, 1024 * 1024)
        return
    with path.open("rb") as written:
        shutil.copyfileobj(written, buffer, 1024 * 1024)
    buffer.flush()


def _export_stream(args: argparse.Namespace) -> int:
    """Written as the records are read, in flat memory; N-Triples first for other formats."""
    from kpr_events._progress import progress  # tqdm, only for the commands that show a bar
    from kpr_events._stream import default_jobs, reserialize, stream_rdf

    files = len(fixture_files(args.data or _resources.data_root()))
    quads = args.format == "nquads"
    output = None if args.output in (None, "-") else Path(args.output)

    def triples(out: IO[str]) -> None:
        with progress(2 * files, "export", unit="file") as bar:
            jobs = args.jobs or default_jobs()
            stream_rdf(args.data, out, quads=quads, on_progress=bar.advance, jobs=jobs)

    if output is not None and not args.stream:
        with atomic_writer(output) as out:
            triples(out)
        print(f"{args.format} written to {args.output}", file=sys.stderr)
        return 0
    with tempfile.TemporaryDirectory(prefix="kpr-events-") as folder:
        # Spooled: an invalid dataset leaves nothing half-written, on stdout either.
        spool = Path(folder, "export.nq" if quads else "export.nt")
        try:
            with spool.open("w", encoding="utf-8", newline="") as out:
                triples(out)
        except OutputError:
            raise
        except OSError as exc:  # reading the data raises DataError; this is the spool
            raise scratch_error(folder, exc) from None
        if output is not None:
            with atomic_writer(output, "wb") as converted:
                reserialize(spool, converted, args.format)
        else:
            if args.stream:
                written, spool = spool, Path(folder, f"export.{args.format}")
                try:
                    with spool.open("wb") as converted:
                        reserialize(written, converted, args.format)
                except OSError as exc:
                    raise scratch_error(folder, exc) from None
                written.unlink()
            _print_file(spool)
            return 0
    print(f"{args.format} written to {args.output}", file=sys.stderr)
    return 0


@command(
    "export",
    "write the dataset as RDF (Turtle, N-Triples, N-Quads, JSON-LD, RDF/XML) or as CSV tables "
    "of events and statements for analysts",
    _export_arguments,
)
def _export(args: argparse.Namespace) -> int:
    streamed = args.format in ("nt", "nquads") or args.stream
    if args.stream and args.format not in ("turtle", "jsonld", "xml"):
        print("kpr-events export: --stream applies to turtle, jsonld and xml", file=sys.stderr)
        return 2
    if args.jobs is not None and not streamed:
        print("kpr-events export: --jobs applies to nt, nquads and --stream", file=sys.stderr)
        return 2
    if args.format == "csv":
        return _export_csv(args)
    if args.table is not None or args.excel:
        print("kpr-events export: --table and --excel apply only to --format csv", file=sys.stderr)
        return 2
    if streamed:
        return _export_stream(args)
    text = rdf.serialize(load_dataset(args.data), args.format)
    if args.output is None or args.output == "-":
        sys.stdout.write(text)
    else:
        write_text(Path(args.output), text)
        print(f"{args.format} written to {args.output}", file=sys.stderr)
    return 0


def _remote_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--timeout", type=float, default=30.0, metavar="S", help="seconds per request (default 30)"
    )
    parser.add_argument(
        "--retries",
        type=int,
        default=3,
        metavar="N",
        help="retries of a transient failure, with backoff (default 3)",
    )


def _transport(args: argparse.Namespace) -> store.Transport:
    if args.timeout <= 0 or args.retries < 0:
        raise ResourceError("--timeout must be positive and --retries not negative")
    return store.Transport(
        timeout=args.timeout,
        retry=store.RetryPolicy(attempts=args.retries + 1),
        credentials=store.Credentials.from_env(),
    )


def _query_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("query", type=Path, metavar="FILE.rq", help="a SPARQL query")
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table")
    where = parser.add_mutually_exclusive_group()
    _data_option(where)
    where.add_argument(
        "--endpoint",
        metavar="URL",
        help="run the query on this SPARQL endpoint instead (e.g. http://host:7878/query)",
    )
    parser.add_argument(
        "--default-graph",
        action="append",
        default=[],
        metavar="IRI",
        help="with --endpoint: a graph the query sees as its default graph (repeatable)",
    )
    _remote_options(parser)


@command(
    "query",
    "run a SPARQL query over the dataset, or on a store's endpoint, and print its results",
    _query_arguments,
)
def _query(args: argparse.Namespace) -> int:
    text = read_query(args.query)
    if args.endpoint is None:
        result = sparql.run(load_dataset(args.data), text)
    else:
        endpoint = store.SparqlEndpoint(args.endpoint, _transport(args), args.default_graph)
        result = endpoint.run(text)
    sys.stdout.write(sparql.render(result, args.format))
    return 0


# push -------------------------------------------------------------------------


def _push_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--endpoint",
        required=True,
        metavar="URL",
        help="the store's Graph Store Protocol endpoint (e.g. http://host:7878/store)",
    )
    parser.add_argument(
        "--graph",
        metavar="IRI",
        help="put everything in this one graph (default: a graph per source, and a shared one)",
    )
    parser.add_argument(
        "--gzip", action="store_true", help="compress each graph (Content-Encoding: gzip)"
    )
    _data_option(parser)
    _remote_options(parser)


@command(
    "push",
    "send the dataset to a triplestore, replacing each of its graphs there with a PUT "
    f"(credentials from {store.TOKEN_VARIABLE}, or {store.USER_VARIABLE} and "
    f"{store.PASSWORD_VARIABLE})",
    _push_arguments,
)
def _push(args: argparse.Namespace) -> int:
    dataset = load_dataset(args.data)

    def report(pushed: store.PushedGraph) -> None:
        verb = "created" if pushed.created else "replaced"
        print(f"{verb} {pushed.iri}: {pushed.triples} triples", file=sys.stderr)

    pushed = store.push(
        dataset,
        args.endpoint,
        graph=args.graph,
        transport=_transport(args),
        compress=args.gzip,
        on_graph=report,
    )
    total = sum(p.triples for p in pushed)
    print(f"pushed {total} triples in {len(pushed)} graph(s) to {args.endpoint}", file=sys.stderr)
    return 0


# stats ------------------------------------------------------------------------


def _table(title: str, counts: Counter[str], out: TextIO) -> None:
    print(f"\n{title}", file=out)
    width = max((len(k) for k in counts), default=0)
    for key, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {key:<{width}}  {count:>4}", file=out)


@command(
    "stats",
    "summarise a dataset: records per type and source, statements per speaker",
    _data_option,
)
def _stats(args: argparse.Namespace) -> int:
    dataset: Dataset = load_dataset(args.data)
    out = sys.stdout
    print(f"{len(dataset)} records", file=out)
    _table("records per type", Counter(r.type for r in dataset), out)
    per_source: Counter[str] = Counter(s.source for s in dataset.statements)
    per_source.update({s.id: 0 for s in dataset.sources})
    _table("statements per source", per_source, out)
    _table("statements per speaker", Counter(s.speaker for s in dataset.statements), out)
    return 0


# synth ------------------------------------------------------------------------


def _at_least_one(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"{number} is less than 1")
    return number


def _synth_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--statements",
        type=_at_least_one,
        required=True,
        metavar="N",
        help="how many statements; sources, actors, places and events follow in proportion",
    )
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar="DIR",
        help="the dataset directory to create: new, or empty",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=0,
        metavar="S",
        help="the random seed; the same N and S give the same bytes (default: 0)",
    )


@command(
    "synth",
    "write a synthetic dataset directory of invented records and seeds, for testing at "
    "scale; it validates and verifies, and is marked synthetic throughout; a progress bar "
    "shows on a terminal's standard error (KPR_EVENTS_PROGRESS=0 hides it, =1 forces it)",
    _synth_arguments,
)
def _synth(args: argparse.Namespace) -> int:
    # Only this command needs them, tqdm included.
    from kpr_events._progress import progress
    from kpr_events.synth import synthesize

    with progress(args.statements, "synth", unit="statement") as bar:
        summary = synthesize(args.output, args.statements, seed=args.seed, on_progress=bar.advance)
    print(
        f"synthetic dataset written to {_printable(str(summary.directory))}: "
        f"{summary.statements} statements, {summary.sources} sources, {summary.actors} actors, "
        f"{summary.places} places, {summary.events} events in {summary.fixture_files} "
        "fixture file(s)",
        file=sys.stderr,
    )
    return 0


# entry point ------------------------------------------------------------------


class _Notes(logging.Handler):
    """Library notes (a retry, say) as ``kpr-events: …`` lines on the current standard error."""

    def emit(self, record: logging.LogRecord) -> None:
        print(f"kpr-events: {_printable(record.getMessage())}", file=sys.stderr)


def _show_notes() -> None:
    logger = logging.getLogger("kpr_events")
    if not any(isinstance(h, _Notes) for h in logger.handlers):
        logger.addHandler(_Notes(logging.INFO))
        logger.setLevel(logging.INFO)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kpr-events",
        description="Curated, citable event data on North Korean troops in Kursk oblast.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, spec in COMMANDS.items():
        child = sub.add_parser(name, help=spec.help, description=spec.help)
        spec.arguments(child)
        child.set_defaults(run=spec.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        # Whatever the terminal's encoding, a problem is printed, not a traceback.
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    args = build_parser().parse_args(argv)
    _show_notes()
    try:
        status: int = args.run(args)
        sys.stdout.flush()
    except DataError as exc:
        _print_problems(exc.problems, "text", sys.stderr)
        return 1
    except KprEventsError as exc:
        print(f"kpr-events: {_printable(str(exc))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`kpr-events … | head`): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    return status


if __name__ == "__main__":
    sys.exit(main())
