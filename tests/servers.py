"""Real servers on 127.0.0.1 for the triplestore tests: Oxigraph, and a scripted HTTP peer.

The Oxigraph server is the real store (PyPI package ``oxigraph``). The scripted
peer is a real HTTP server too, for what a healthy store never does: refuse,
stall, redirect, or answer garbage.
"""

from __future__ import annotations

import http.server
import shutil
import signal
import socket
import subprocess
import sysconfig
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import attrs


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def oxigraph_binary() -> str:
    """The ``oxigraph`` command of this environment (its scripts folder need not be on PATH)."""
    here = Path(sysconfig.get_path("scripts")) / "oxigraph"
    found = str(here) if here.is_file() else shutil.which("oxigraph")
    if found is None:
        raise RuntimeError("the oxigraph server is not installed: pip install '.[test]'")
    return found


@attrs.define
class OxigraphServer:
    """``oxigraph serve`` on a free port over a store kept in ``location``."""

    location: Path
    read_only: bool = False
    port: int = attrs.field(factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def store(self) -> str:
        return f"{self.url}/store"

    @property
    def query(self) -> str:
        return f"{self.url}/query"

    def start(self) -> OxigraphServer:
        mode = "serve-read-only" if self.read_only else "serve"
        command = [oxigraph_binary(), mode, "--location", str(self.location)]
        command += ["--bind", f"127.0.0.1:{self.port}"]
        if not self.read_only:
            command.append("--union-default-graph")
        log = self.location.parent / f"{self.location.name}.log"
        with log.open("ab") as stderr:
            self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"oxigraph exited at start: {log.read_text()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("oxigraph did not start listening within 20 s")

    def kill(self) -> None:
        """Kill the server at once, as a crash or an operator would."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()


@contextmanager
def oxigraph(location: Path, read_only: bool = False) -> Iterator[OxigraphServer]:
    server = OxigraphServer(location, read_only).start()
    try:
        yield server
    finally:
        server.stop()


@attrs.frozen
class Answer:
    """What the scripted peer sends: an HTTP answer, raw bytes, or silence."""

    status: int = 200
    headers: dict[str, str] = attrs.field(factory=dict)
    body: bytes = b""
    raw: bytes | None = None
    stall: float = 0.0


@attrs.frozen
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Scripted

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        self.server.seen.append(Seen(self.command, self.path, dict(self.headers), body))
        script = self.server.script
        answer = script.pop(0) if len(script) > 1 else script[0]
        if answer.stall:
            time.sleep(answer.stall)
        if answer.raw is not None:
            self.wfile.write(answer.raw)
            self.close_connection = True
            return
        self.send_response(answer.status)
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        self.wfile.write(answer.body)

    do_GET = do_PUT = do_POST = _serve

    def log_message(self, format: str, *args: object) -> None:
        del format, args


class _Scripted(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, script: list[Answer]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.script = script
        self.seen: list[Seen] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@contextmanager
def scripted(*answers: Answer) -> Iterator[_Scripted]:
    """A server that gives ``answers`` in turn, then the last one forever."""
    server = _Scripted(list(answers))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
