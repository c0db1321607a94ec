"""Reading JSON with errors that say where, and writing files atomically."""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from kpr_events.errors import DataError, OutputError, Problem

MAX_DEPTH = 64
"""How deep JSON may nest; real fixtures need under 10."""

MAX_INPUT_BYTES = 256 * 1024 * 1024
"""The largest file read as one document: far beyond any real one, and a bound on memory."""


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _fail(code: str, message: str, path: str, line: int | None = None) -> DataError:
    return DataError([Problem(code, message, path=path, line=line)])


def _depth(value: Any, limit: int = MAX_DEPTH) -> int:
    """Nesting depth, counted up to ``limit + 1``: enough to tell whether it is too deep.

    Level by level over the containers only, with no stack to exhaust, and
    stopping once past ``limit``: cheap on a large document, which is mostly
    strings and numbers.
    """
    level, layer = 0, [value] if isinstance(value, (dict, list)) else []
    while layer and level <= limit:
        level += 1
        layer = [
            child
            for item in layer
            for child in (item.values() if isinstance(item, dict) else item)
            if isinstance(child, (dict, list))
        ]
    return level


class _Refused(ValueError):
    """JSON that Python's parser takes but JSON (or this library) does not."""

    def __init__(self, message: str, token: str, occurrence: int = 1) -> None:
        super().__init__(message)
        self.token, self.occurrence = token, occurrence


def _no_constant(name: str) -> Any:
    # Python's json accepts NaN and Infinity, which JSON does not have.
    raise _Refused(f"{name} is not a JSON value", rf"(?<![\w\"]){re.escape(name)}(?!\w)")


def _finite(text: str) -> float:
    number = float(text)
    if number in (float("inf"), float("-inf")):
        raise _Refused(f"the number {text[:20]} is too large", re.escape(text))
    return number


def _integer(text: str) -> int:
    if len(text) > 100:
        raise _Refused(f"an integer of {len(text)} digits is too long", re.escape(text[:100]))
    return int(text)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    unique = dict(pairs)  # in C: a repeated key shows only as a shorter dict
    if len(unique) < len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                # Parsers disagree on which of two equal keys wins; refuse both.
                token = re.escape(json.dumps(key, ensure_ascii=False)) + r"\s*:"
                raise _Refused(f"key {key!r} appears twice in one object", token, occurrence=2)
            seen.add(key)
    return unique


def _line_of_token(text: str, refused: _Refused) -> int | None:
    for count, match in enumerate(re.finditer(refused.token, text), start=1):
        if count == refused.occurrence:
            return text.count("\n", 0, match.start()) + 1
    return None


def decode(data: bytes, path: str) -> str:
    """UTF-8 bytes as text; anything else is a ``not-utf8`` problem naming the byte and line."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _fail(
            "not-utf8",
            f"byte {exc.start} (0x{data[exc.start]:02x}) is not valid UTF-8 (expected UTF-8 text)",
            path,
            _line_of(data, exc.start),
        ) from None


def loads(data: bytes, path: str) -> Any:
    """Parse JSON bytes, raising :class:`DataError` that names ``path`` and the line."""
    text = decode(data, path)
    if not text.strip():
        raise _fail("empty-file", "the file is empty (expected a JSON document)", path, 1)
    try:
        value = json.loads(
            text,
            parse_constant=_no_constant,
            parse_float=_finite,
            parse_int=_integer,
            object_pairs_hook=_unique_keys,
        )
    except json.JSONDecodeError as exc:
        raise _fail(
            "json-syntax", f"{exc.msg} at column {exc.colno} (expected JSON)", path, exc.lineno
        ) from None
    except _Refused as exc:
        code = "duplicate-key" if exc.occurrence == 2 else "json-syntax"
        raise _fail(code, f"{exc} (expected JSON)", path, _line_of_token(text, exc)) from None
    except RecursionError:
        raise _fail(
            "too-deep", f"the JSON nests too deeply (expected at most {MAX_DEPTH} levels)", path
        ) from None
    if _depth(value) > MAX_DEPTH:
        raise _fail(
            "too-deep", f"the JSON nests deeper than {MAX_DEPTH} levels (expected fewer)", path
        )
    return value


_DECODER = json.JSONDecoder()
_scanstring: Any = getattr(json.decoder, "scanstring")  # noqa: B009 - public, but untyped in typeshed
_SPACE = re.compile(r"[ \t\n\r]*")


def pointer_part(key: str | int) -> str:
    """One reference token of an RFC 6901 JSON pointer."""
    return str(key).replace("~", "~0").replace("/", "~1")


def line_map(text: str) -> dict[str, int]:
    """The line on which each value of well-formed JSON ``text`` starts, by JSON pointer.

    One pass over the text, so a file with thousands of problems costs no more
    than one with a single problem.
    """
    lines: dict[str, int] = {}
    position = [0, 1]  # an index into text, and the line it is on

    def skip(index: int) -> int:
        match = _SPACE.match(text, index)
        return match.end() if match else index

    def mark(pointer: str, index: int) -> None:
        position[1] += text.count("\n", position[0], index)
        position[0] = index
        lines[pointer] = position[1]

    def value(index: int, pointer: str) -> int:
        index = skip(index)
        mark(pointer, index)
        opening = text[index]
        if opening not in "{[":
            return int(_DECODER.raw_decode(text, index)[1])
        closing, count = ("}" if opening == "{" else "]"), 0
        index = skip(index + 1)
        while text[index] != closing:
            if opening == "{":
                key, index = _scanstring(text, index + 1)
                index = value(skip(index) + 1, f"{pointer}/{pointer_part(key)}")
            else:
                index = value(index, f"{pointer}/{count}")
                count += 1
            index = skip(index)
            if text[index] == ",":
                index = skip(index + 1)
        return index + 1

    value(0, "")
    return lines


def line_of(text: str, pointer: str, lines: dict[str, int] | None = None) -> int | None:
    """The line where the value at ``pointer`` starts, or its nearest ancestor's.

    A missing field has no line of its own; the object that lacks it does.
    """
    lines = line_map(text) if lines is None else lines
    while pointer not in lines and pointer:
        pointer = pointer.rsplit("/", 1)[0]
    return lines.get(pointer)


def read_bounded(path: Path, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of ``path``, refusing more than ``limit`` (``/dev/zero`` included)."""
    try:
        with path.open("rb") as f:
            data = f.read(limit + 1)
    except OSError as exc:
        raise _fail("file-unreadable", f"cannot read the file: {exc.strerror}", str(path)) from None
    if len(data) > limit:
        raise _fail("too-large", f"the file is larger than {limit} bytes (the limit)", str(path))
    return data


def read_text(path: Path, limit: int = MAX_INPUT_BYTES) -> str:
    """A UTF-8 text file of at most ``limit`` bytes; every failure is a :class:`DataError`."""
    return decode(read_bounded(path, limit), str(path))


def read_json(path: Path) -> Any:
    """Read and parse a JSON file; every failure is an :class:`DataError`."""
    return loads(read_bounded(path), str(path))


def dumps(value: Any) -> str:
    """JSON the way generated files are written: sorted, indented, final newline."""
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _mode_for(path: Path) -> int:
    """The file's mode: the old file's, or what the umask allows a new one (not mkstemp's 0600)."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextmanager
def atomic_writer(path: Path, mode: str = "w") -> Iterator[IO[Any]]:
    """Write to a temporary file beside ``path`` and rename it into place on success.

    A failure part-way leaves any earlier file untouched and no temporary file behind.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write it ({exc.strerror or exc})", str(path)) from None
    try:
        encoding = None if "b" in mode else "utf-8"
        with os.fdopen(fd, mode, encoding=encoding, newline=None if encoding is None else "") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, _mode_for(path))
        os.replace(tmp, path)
    except OutputError:  # another file failed (a temporary one): it says which
        Path(tmp).unlink(missing_ok=True)
        raise
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(
            f"{path}: cannot write it ({exc.strerror or exc}); the earlier file is unchanged",
            str(path),
        ) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def scratch_error(where: str, exc: OSError) -> OutputError:
    """A temporary file in ``where`` could not be written (a full disk, most often)."""
    return OutputError(
        f"{where}: cannot write a temporary file there ({exc.strerror or exc}); "
        "TMPDIR names a folder with more room",
        where,
    )


def write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically."""
    with atomic_writer(path) as f:
        f.write(text)
