"""Shared fixtures: the packaged data, scratch dataset directories, and a runner for the CLI."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import settings

from kpr_events import Dataset, load_dataset
from kpr_events._resources import data_root
from kpr_events.cli import main

PROJECT = Path(__file__).resolve().parents[1]

# No time limit on an example: speed is measured by the benchmarks, and a limit
# would fail tests on a busy machine (CI runs several suites side by side).
settings.register_profile("kpr-events", deadline=None)
settings.load_profile("kpr-events")


@pytest.fixture(scope="session")
def packaged_root() -> Path:
    """Where the installed package keeps schemas/, fixtures/ and seeds/."""
    return data_root()


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    return load_dataset()


@pytest.fixture
def dataset_dir(tmp_path: Path, packaged_root: Path) -> Path:
    """A writable copy of the packaged dataset directory."""
    root = tmp_path / "data"
    for kind in ("fixtures", "seeds"):
        shutil.copytree(packaged_root / kind, root / kind)
    return root


@pytest.fixture
def extension_dir(tmp_path: Path) -> Path:
    """A writable copy of the docs' worked example: a dataset that extends the packaged one."""
    root = tmp_path / "examples"
    shutil.copytree(PROJECT / "docs" / "examples", root)
    return root / "extension"


def statements_file(root: Path) -> Path:
    """The first fixture file of statements in a dataset directory."""
    return sorted((root / "fixtures").glob("statements*.json"))[0]


def read_records(path: Path) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["records"]
    return records


def write_fixture(path: Path, records: list[dict[str, Any]], version: str = "1.0") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {"schema_version": version, "records": records}
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


@attrs.frozen
class Result:
    status: int
    out: str
    err: str


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    """Run ``kpr-events ARGS…`` in-process and capture its exit status and output."""

    def runner(*args: str | Path) -> Result:
        status = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Result(status, captured.out, captured.err)

    return runner


@pytest.fixture
def counting_server() -> Any:
    """A local HTTP server that counts the requests it gets and serves a harmless context."""
    import http.server
    import threading

    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            body = b'{"@context": {"name": "https://schema.org/name"}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/ld+json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()
