"""The command line: exit codes, problems with file and pointer, never a traceback."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kpr_events import Dataset
from kpr_events.cli import COMMANDS

from .conftest import PROJECT, Result, read_records, write_fixture
from .test_dataset import INVALID, MANIFEST

Run = Callable[..., Result]


def test_validate_packaged_data(run: Run) -> None:
    result = run("validate")
    assert result.status == 0
    assert result.out == ""
    assert "valid" in result.err


def test_validate_a_dataset_directory(run: Run, dataset_dir: Path) -> None:
    assert run("validate", dataset_dir).status == 0


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_validate_reports_each_broken_file(run: Run, name: str) -> None:
    """Exit 1, one line per problem naming the file and place, the rule code, no traceback."""
    expected = MANIFEST[name]
    result = run("validate", INVALID / name)
    assert result.status == 1
    place = f"#{expected['pointer']}" if expected["pointer"] else f":{expected['line'] or ''}"
    line = next(li for li in result.out.splitlines() if f"[{expected['code']}]" in li)
    assert line.startswith(f"{INVALID / name}{place}".rstrip(":"))
    assert "Traceback" not in result.out + result.err


def test_validate_json_format(run: Run) -> None:
    """--format json lists problems as objects a CI system can read."""
    result = run("validate", "--format", "json", INVALID / "malformed-id.json")
    assert result.status == 1
    problems = json.loads(result.out)
    assert {"code": "invalid-id", "pointer": "/records/0/id"}.items() <= problems[0].items()
    assert problems[0]["path"] == str(INVALID / "malformed-id.json")


def test_validate_across_files(run: Run, dataset_dir: Path) -> None:
    """Integrity is checked across all the files given together."""
    actors = dataset_dir / "fixtures" / "actors.json"
    write_fixture(dataset_dir / "fixtures" / "copy.json", read_records(actors)[:1])
    result = run("validate", actors, dataset_dir / "fixtures" / "copy.json")
    assert result.status == 1
    assert "[duplicate-id]" in result.out


def test_missing_file(run: Run, tmp_path: Path) -> None:
    result = run("validate", tmp_path / "absent.json")
    assert result.status == 1
    assert "[file-unreadable]" in result.out


def test_schema_check_and_write(run: Run, tmp_path: Path) -> None:
    """--check fails on an empty folder, --write fills it, then --check passes."""
    failed = run("schema", "--check", "--dir", tmp_path)
    assert failed.status == 1
    assert "kpr-events schema --write" in failed.err
    absent = run("schema", "--check", "--dir", tmp_path / "absent")
    assert absent.status == 1
    assert "is not a folder" in absent.err
    assert run("schema", "--write", "--dir", tmp_path).status == 0
    assert run("schema", "--check", "--dir", tmp_path).status == 0


def test_stats(run: Run, dataset: Dataset) -> None:
    """Counts per type, per source and per speaker add up to the dataset."""
    result = run("stats")
    assert result.status == 0
    assert result.out.startswith(f"{len(dataset)} records")
    rows = dict(
        line.split() for line in result.out.split("statements per speaker")[1].splitlines() if line
    )
    assert sum(map(int, rows.values())) == len(dataset.statements)


def test_stats_on_broken_data(run: Run, dataset_dir: Path) -> None:
    """A dataset that does not load: every problem on stderr, exit 1, no traceback."""
    (dataset_dir / "fixtures" / "bad.json").write_bytes(b"\xff")
    result = run("stats", "--data", dataset_dir)
    assert result.status == 1
    assert "bad.json:1: byte 0 (0xff) is not valid UTF-8" in result.err
    assert "Traceback" not in result.err


def test_usage_errors_exit_2(run: Run) -> None:
    with pytest.raises(SystemExit) as caught:
        run("no-such-command")
    assert caught.value.code == 2


def test_every_command_has_help(run: Run) -> None:
    for name in COMMANDS:
        with pytest.raises(SystemExit) as caught:
            run(name, "--help")
        assert caught.value.code == 0


def test_console_script_runs() -> None:
    """The installed entry point and python -m both work."""
    script = str(Path(sys.executable).parent / "kpr-events")
    for command in ([script], [sys.executable, "-m", "kpr_events"]):
        done = subprocess.run([*command, "--version"], capture_output=True, text=True, check=False)
        assert done.returncode == 0
        assert done.stdout.startswith("kpr-events ")


def _script() -> str:
    return str(Path(sys.executable).parent / "kpr-events")


def test_output_survives_hostile_keys_and_encodings(tmp_path: Path) -> None:
    """A lone surrogate or control character in a key, a Latin-1 terminal: lines, not tracebacks."""
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"schema_version": "1.0", "records": [{"id": "russia", "type": "Actor", '
        '"kind": "state", "name": {"en": "Russia"}, "\\ud800": 1, "a\\nb\\u001b[31m": 2}]}',
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONIOENCODING": "latin-1"}
    for fmt in ("text", "json"):
        done = subprocess.run(
            [_script(), "validate", "--format", fmt, str(bad)],
            capture_output=True,
            env=env,
            check=False,
        )
        assert done.returncode == 1
        assert b"Traceback" not in done.stderr
        assert b"\x1b" not in done.stdout
    lines = subprocess.run(
        [_script(), "validate", str(bad)], capture_output=True, text=True, check=False
    ).stdout.splitlines()
    assert len(lines) == 2
    assert all(line.startswith(f"{bad}#/records/0/") for line in lines)


def test_closed_pipe_is_not_an_error_trace(tmp_path: Path) -> None:
    """`kpr-events … | head -1` stops quietly."""
    done = subprocess.run(
        f"'{_script()}' validate '{INVALID}' | head -1",
        shell=True,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.stdout.count("\n") == 1
    assert "Traceback" not in done.stderr


def test_a_folder_without_fixtures_is_an_error(run: Run, tmp_path: Path) -> None:
    result = run("validate", tmp_path)
    assert result.status == 1
    assert "holds no fixture files" in result.err


def test_a_file_named_twice_is_read_once(run: Run, dataset_dir: Path) -> None:
    actors = dataset_dir / "fixtures" / "actors.json"
    result = run("validate", dataset_dir, actors)
    assert result.status == 0, result.out


# The pre-commit hook -------------------------------------------------------------

HOOKS = PROJECT / ".pre-commit-hooks.yaml"


@pytest.mark.skipif(not HOOKS.is_file(), reason="needs the source checkout")
def test_pre_commit_hook(run: Run, extension_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """pre-commit's own loader accepts the hook; its command passes a good dataset, fails a
    broken one, and it fires on the files that make up a dataset."""
    from pre_commit.clientlib import load_manifest

    (hook,) = load_manifest(str(HOOKS))
    assert hook["id"] == "kpr-events-validate"
    assert not hook["pass_filenames"]
    command = [*shlex.split(hook["entry"]), *hook["args"]]
    assert command[0] == "kpr-events"
    fires = re.compile(hook["files"])
    for name in ("fixtures/actors.json", "data/fixtures/a.json", "seeds/x.txt", "dataset.json"):
        assert fires.search(name), name
    for name in ("README.md", "fixtures/sub/a.json", "src/fixtures.py", "schemas/a.json"):
        assert not fires.search(name), name
    monkeypatch.chdir(extension_dir)
    assert run(*command[1:]).status == 0
    (extension_dir / "fixtures" / "actors.json").write_text("{", encoding="utf-8")
    failed = run(*command[1:])
    assert failed.status == 1
    assert "[json-syntax]" in failed.out
