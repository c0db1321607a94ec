"""Reading inputs that are slow or explosive for a naive parser: kpr-events beside rdflib.

Run on demand, not by the tests:

    python benchmarks/hostile_readers.py [--timeout 60]

Each input is parsed in a fresh process, once by ``kpr_events.read_graph`` and
once by rdflib's own parser (the reference), and the wall time and peak memory
of each are printed side by side. A reader that runs past the timeout is
stopped and shown as such.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_RDF_XML = (
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:p="urn:p#">'
    '<rdf:Description rdf:about="urn:a"><p:x>{}</p:x></rdf:Description></rdf:RDF>'
)
_LAUGHS = '<!ENTITY e0 "lol">' + "".join(
    f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, 10)
)

INPUTS = {
    "RDF/XML, billion laughs (9 levels)": (
        "xml",
        f'<?xml version="1.0"?><!DOCTYPE rdf:RDF [{_LAUGHS}]>' + _RDF_XML.format("&e9;"),
    ),
    "RDF/XML, 800,000 &amp; in one literal": ("xml", _RDF_XML.format("&amp;" * 800_000)),
    "RDF/XML, 2,000,000 lines in one literal": ("xml", _RDF_XML.format("a\n" * 2_000_000)),
    "N-Triples, 1,000,000 escapes in one literal": (
        "nt",
        '<urn:a> <urn:p> "' + "a\\n" * 1_000_000 + '" .\n',
    ),
    "Turtle, 400,000 escapes in one literal": (
        "turtle",
        '<urn:a> <urn:p> "' + "a\\n" * 400_000 + '" .\n',
    ),
    "Turtle, blank nodes nested 100,000 deep": (
        "turtle",
        "<urn:a> <urn:p> " + "[ <urn:p> " * 100_000 + "<urn:b>" + " ]" * 100_000 + " .\n",
    ),
}

_OURS = """
import resource, sys
from pathlib import Path
from kpr_events import KprEventsError, read_graph
try:
    print(len(read_graph(Path(sys.argv[1]), sys.argv[2])), "triples")
except KprEventsError as exc:
    print("refused:", exc.code)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

_RDFLIB = """
import resource, sys
import rdflib
names = {"xml": "xml", "nt": "nt", "turtle": "turtle"}
try:
    graph = rdflib.Graph().parse(sys.argv[1], format=names[sys.argv[2]])
    print(len(graph), "triples")
except RecursionError:
    print("crashed: RecursionError")
except Exception as exc:
    print("failed:", type(exc).__name__)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def _run(code: str, path: Path, fmt: str, timeout: float) -> tuple[str, float, str]:
    """The reader's verdict, its wall time in seconds and its peak RSS in MB."""
    start = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-c", code, str(path), fmt],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return f"stopped after {timeout:g} s", time.perf_counter() - start, "-"
    elapsed = time.perf_counter() - start
    lines = done.stdout.split("\n")
    if done.returncode or len(lines) < 2:
        return f"exit {done.returncode}", elapsed, "-"
    return lines[0], elapsed, f"{int(lines[1]) / 1024:.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args()
    print(f"{'input':45} {'reader':10} {'verdict':28} {'seconds':>8} {'peak MB':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, (fmt, text) in INPUTS.items():
            path = Path(tmp) / "input"
            path.write_text(text, encoding="utf-8")
            for reader, code in (("kpr-events", _OURS), ("rdflib", _RDFLIB)):
                verdict, seconds, peak = _run(code, path, fmt, args.timeout)
                print(f"{name:45} {reader:10} {verdict:28} {seconds:8.2f} {peak:>8}")


if __name__ == "__main__":
    main()
