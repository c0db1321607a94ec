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

from kpr_events.errors import InputError, Problem

MAX_DEPTH = 64
"""How deep JSON may nest; real fixtures need under 10."""


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _fail(code: str, message: str, path: str, line: int | None = None) -> InputError:
    return InputError([Problem(code, message, path=path, line=line)])


def _depth(value: Any) -> int:
    """Nesting depth, iteratively, so that a deep document cannot exhaust the stack."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in item.values())
        elif isinstance(item, list):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in item)
    return deepest


def _no_constant(name: str) -> Any:
    # Python's json accepts NaN and Infinity, which JSON does not have.
    raise ValueError(f"{name} is not JSON")


def loads(data: bytes, path: str) -> Any:
    """Parse JSON bytes, raising :class:`InputError` that names ``path`` and the line."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _fail(
            "not-utf8",
            f"byte {exc.start} (0x{data[exc.start]:02x}) is not valid UTF-8 (expected UTF-8 text)",
            path,
            _line_of(data, exc.start),
        ) from None
    if not text.strip():
        raise _fail("empty-file", "the file is empty (expected a JSON document)", path, 1)
    try:
        value = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise _fail(
            "json-syntax", f"{exc.msg} at column {exc.colno} (expected JSON)", path, exc.lineno
        ) from None
    except ValueError as exc:
        raise _fail("json-syntax", f"{exc} (expected JSON)", path) from None
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


def _skip_space(text: str, index: int) -> int:
    match = _SPACE.match(text, index)
    return match.end() if match else index


def line_of(text: str, pointer: str) -> int | None:
    """The line where the value at ``pointer`` starts in JSON ``text``, or its nearest ancestor's.

    A missing field has no line of its own; the object that lacks it does.
    """
    while True:
        line = _line_of_value(text, pointer)
        if line is not None or not pointer:
            return line
        pointer = pointer.rsplit("/", 1)[0]


def _line_of_value(text: str, pointer: str) -> int | None:
    parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]
    index = _skip_space(text, 0)
    try:
        for part in parts:
            if text[index] == "{":
                index = _skip_space(text, index + 1)
                while text[index] != "}":
                    key, index = _scanstring(text, index + 1)
                    index = _skip_space(text, _skip_space(text, index) + 1)  # past ':'
                    if key == part:
                        break
                    index = _skip_space(text, _DECODER.raw_decode(text, index)[1])
                    index = _skip_space(text, index + 1) if text[index] == "," else index
                else:
                    return None
            elif text[index] == "[":
                index = _skip_space(text, index + 1)
                for _ in range(int(part)):
                    index = _skip_space(text, _DECODER.raw_decode(text, index)[1])
                    index = _skip_space(text, index + 1)  # past ','
            else:
                return None
    except (ValueError, IndexError):
        return None
    return text.count("\n", 0, index) + 1


def read_json(path: Path) -> Any:
    """Read and parse a JSON file; every failure is an :class:`InputError`."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _fail("file-unreadable", f"cannot read the file: {exc.strerror}", str(path)) from None
    return loads(data, str(path))


def dumps(value: Any) -> str:
    """JSON the way generated files are written: sorted, indented, final newline."""
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


@contextmanager
def atomic_writer(path: Path, mode: str = "w") -> Iterator[IO[Any]]:
    """Write to a temporary file beside ``path`` and rename it into place on success.

    A failure part-way leaves any earlier file untouched and no temporary file behind.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        encoding = None if "b" in mode else "utf-8"
        with os.fdopen(fd, mode, encoding=encoding, newline=None if encoding is None else "") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically."""
    with atomic_writer(path) as f:
        f.write(text)
