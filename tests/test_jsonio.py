"""Reading JSON safely and writing files atomically."""

from __future__ import annotations

from pathlib import Path

import pytest

from kpr_events import DataError
from kpr_events._jsonio import MAX_DEPTH, atomic_writer, line_of, loads, write_text
from kpr_events._problems import pointer


@pytest.mark.parametrize(
    ("data", "code", "line"),
    [
        (b"", "empty-file", 1),
        (b'{\n  "a": 1,\n  "b": \xff\n}', "not-utf8", 3),
        (b'{\n  "a": [1, 2\n', "json-syntax", 3),
        (b'{"a": NaN}', "json-syntax", 1),
        (b'{\n "b": "NaN",\n "a": -Infinity}', "json-syntax", 3),
        (b'{\n "a": 1e400}', "json-syntax", 2),
        (b'{"a": ' + b"9" * 5000 + b"}", "json-syntax", 1),
        (b'{\n "id": "x",\n "id": "y"\n}', "duplicate-key", 3),
        (b"\xef\xbb\xbf{}", "json-syntax", 1),
        (b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1), "too-deep", None),
        (b"[" * 1_000_000, "too-deep", None),
    ],
)
def test_bad_json(data: bytes, code: str, line: int | None) -> None:
    """Each way a file can fail to be JSON has its code and, where it has one, its line."""
    with pytest.raises(DataError) as caught:
        loads(data, "f.json")
    (problem,) = caught.value.problems
    assert (problem.code, problem.line, problem.path) == (code, line, "f.json")


def test_depth_limit_is_inclusive() -> None:
    nested = b"[" * MAX_DEPTH + b"]" * MAX_DEPTH
    assert loads(nested, "f.json") is not None


def test_depth_is_the_deepest_branch() -> None:
    """Objects and arrays both count, and the deepest branch decides, wherever it sits."""
    deep = b'{"a": ' * (MAX_DEPTH - 1) + b"[]" + b"}" * (MAX_DEPTH - 1)
    assert loads(deep, "f.json") is not None
    with pytest.raises(DataError) as caught:
        loads(b'[1, "x", {"b": [2]}, ' + deep + b"]", "f.json")
    assert [p.code for p in caught.value.problems] == ["too-deep"]


def test_duplicate_key_names_the_key() -> None:
    """A key repeated in a nested object is named, on the line of its second use."""
    with pytest.raises(DataError) as caught:
        loads(b'{"a": {"x": 1,\n "y": 2,\n "x": 3}}', "f.json")
    (problem,) = caught.value.problems
    assert (problem.code, problem.line, problem.message) == (
        "duplicate-key",
        3,
        "key 'x' appears twice in one object (expected JSON)",
    )


def test_atomic_write_replaces(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    write_text(target, "old")
    write_text(target, "new")
    assert target.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_interrupted_write_keeps_the_old_file(tmp_path: Path) -> None:
    """An exception half way leaves the earlier file intact and no temporary file behind."""
    target = tmp_path / "out.txt"
    write_text(target, "old")

    def interrupted() -> None:
        with atomic_writer(target) as f:
            f.write("half of the new conte")
            raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError, match="disk on fire"):
        interrupted()
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


DOC = """{
  "a/b": [
    1,
    {
      "~x": 2,
      "y": {"z": [true, "q"]}
    }
  ],
  "s": "line\\nbreak \\" } ]"
}
"""


@pytest.mark.parametrize(
    ("pointer", "line"),
    [
        ("", 1),
        ("/a~1b", 2),
        ("/a~1b/0", 3),
        ("/a~1b/1", 4),
        ("/a~1b/1/~0x", 5),
        ("/a~1b/1/y/z/1", 6),
        ("/s", 9),
        ("/a~1b/1/missing", 4),
        ("/a~1b/7", 2),
    ],
)
def test_line_of_pointer(pointer: str, line: int) -> None:
    """The line a pointer's value starts on; for a missing one, its nearest ancestor's."""
    assert line_of(DOC, pointer) == line


def test_atomic_write_keeps_the_file_mode(tmp_path: Path) -> None:
    """A rewritten file keeps its mode; a new one gets what the umask allows, not 0600."""
    import os

    target = tmp_path / "out.txt"
    write_text(target, "new")
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
    target.chmod(0o640)
    write_text(target, "again")
    assert target.stat().st_mode & 0o777 == 0o640


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        ((), ""),
        (("",), "/"),
        (("records", 3, "quote"), "/records/3/quote"),
        (("a/b", "~x", 0), "/a~1b/~0x/0"),
        ((1,), "/1"),
        ((True,), "/True"),
        (["names", 1], "/names/1"),
    ],
)
def test_pointer(parts: tuple[str | int, ...] | list[str | int], expected: str) -> None:
    """Each part escaped on its own, whatever was asked before (1 and True are not one part)."""
    assert pointer(parts) == expected
    assert pointer(iter(parts)) == expected
