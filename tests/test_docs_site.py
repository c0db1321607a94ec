"""The documentation site: every page in the navigation, and every example on the
getting-started page run as written."""

from __future__ import annotations

import importlib.util
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kpr_events import _docs
from kpr_events.cli import main

from .conftest import PROJECT

DOCS = PROJECT / "docs"
MKDOCS = PROJECT / "mkdocs.yml"
README = PROJECT / "README.md"
GETTING_STARTED = DOCS / "getting-started.md"
pytestmark = pytest.mark.skipif(not MKDOCS.is_file(), reason="needs the source checkout")

# The first pages, in this order; the rest follow in any order.
LEADING = [
    "index.md",
    "getting-started.md",
    "data-model.md",
    "vocabulary.md",
    "competency-questions.md",
    "timeline.md",
    "cli.md",
]


def _nav() -> list[tuple[str, str]]:
    """The ``- Title: page.md`` entries of mkdocs.yml's ``nav``, in order.

    Read by pattern, not with a YAML parser, which the tests do not depend on.
    """
    lines = MKDOCS.read_text(encoding="utf-8").splitlines()
    entries = []
    for line in lines[lines.index("nav:") + 1 :]:
        if line.strip() and not line.startswith((" ", "#")):
            break  # the next top-level key
        entry = re.fullmatch(r"\s+- (.+): (\S+\.md)", line)
        if entry:
            entries.append((entry[1], entry[2]))
    return entries


def _heading(page: Path) -> str:
    first = page.read_text(encoding="utf-8").lstrip().splitlines()[0]
    return first.removeprefix("# ").strip()


def test_nav_lists_every_page_once() -> None:
    """Every page in docs/ is in the site's navigation, and every entry there is a page."""
    listed = [page for _, page in _nav()]
    pages = sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md"))
    missing = [p for p in pages if p not in listed]
    assert not missing, "add to the nav in mkdocs.yml:\n" + "\n".join(
        f"  - {_heading(DOCS / p)}: {p}" for p in missing
    )
    dead = [p for p in listed if not (DOCS / p).is_file()]
    assert not dead, f"the nav in mkdocs.yml lists pages that do not exist: {dead}"
    assert len(listed) == len(set(listed)), "a page is listed twice in the nav"


def test_nav_starts_with_the_main_pages() -> None:
    assert [page for _, page in _nav()][: len(LEADING)] == LEADING


def test_ci_builds_the_site_strictly() -> None:
    """CI installs the docs extra and fails on any warning of the site build."""
    ci = (PROJECT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install --quiet '.[docs]'" in ci
    assert 'mkdocs build --strict --site-dir "$work/site"' in ci
    pyproject = (PROJECT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(
        r'^docs = \[\n\s+"mkdocs>=1\.6,<2",\n\s+"mkdocs-material>=9\.5,<10",', pyproject, re.M
    )


def test_cli_page_is_current() -> None:
    """docs/cli.md shows every subcommand and option the parser has now."""
    page = DOCS / "cli.md"
    assert page.read_text(encoding="utf-8") == _docs.render_cli(), (
        f"docs/cli.md is out of date; run: {_docs.CLI_COMMAND}"
    )


def test_cli_page_names_every_option() -> None:
    """The reference is drawn from the parser: nothing it accepts is left out."""
    import argparse

    from kpr_events.cli import build_parser

    rendered = _docs.render_cli()
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    for name, parser in sub.choices.items():
        assert f"\n## {name}\n" in rendered
        section = rendered.split(f"\n## {name}\n")[1].split("\n## ")[0]
        for action in parser._actions:
            for option in action.option_strings:
                if option not in ("-h", "--help"):
                    assert f"`{option}`" in section, (name, option)


def _build_site(site: Path) -> None:
    """``mkdocs build --strict``: no broken link, no page left out, no warning at all."""
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        # Material's notice about MkDocs 2 is advice, not a warning about this site.
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )
    assert built.returncode == 0, built.stderr
    assert (site / "timeline.svg").is_file()


@pytest.mark.skipif(importlib.util.find_spec("mkdocs") is None, reason="needs '.[docs]'")
def test_site_builds_strictly(tmp_path: Path) -> None:
    """The site builds with every warning an error, as CI builds it."""
    _build_site(tmp_path)


# The getting-started page ---------------------------------------------------------------


def _blocks(page: Path) -> list[tuple[str, str, str]]:
    """Each fenced block as (language, the rest of its opening line, body)."""
    text = page.read_text(encoding="utf-8")
    return re.findall(r"^```(\w+)([^\n]*)\n(.*?)^```$", text, re.S | re.M)


def _readme_commands() -> list[str]:
    return [
        line.strip()
        for language, _, body in _blocks(README)
        if language == "sh"
        for line in body.splitlines()
        if line.strip()
    ]


def test_getting_started_copies_the_quick_start() -> None:
    """The install commands are the README's, word for word."""
    shown = [
        line.strip()
        for language, _, body in _blocks(GETTING_STARTED)
        if language == "sh"
        for line in body.splitlines()
    ]
    for command in _readme_commands():
        assert command in shown


class _Runner:
    """Runs a page's examples in order in one folder, as a reader would."""

    def __init__(self, capsys: pytest.CaptureFixture[str], site: Path) -> None:
        self.capsys = capsys
        self.site = site
        self.namespace: dict[str, Any] = {}
        self.last_output: str | None = None
        self.printed = False

    def python(self, body: str) -> None:
        exec(compile(body, str(GETTING_STARTED), "exec"), self.namespace)
        self.printed |= bool(self.capsys.readouterr().out.strip())

    def shell(self, line: str) -> None:
        command, _, comment = line.partition("  #")
        expected = int(m[1]) if (m := re.search(r"exits (\d+)", comment)) else 0
        for part in command.strip().split(" && "):
            self.command(command.strip(), part.strip(), expected)

    def command(self, line: str, part: str, expected: int) -> None:
        words = shlex.split(part)
        if words[0] == "kpr-events":
            status = main(words[1:])
            captured = self.capsys.readouterr()
            self.last_output = captured.out + captured.err
            assert status == expected, (part, self.last_output)
        elif line in _readme_commands() and words[0] in ("pip", "pytest"):
            pass  # the README's own commands, which CI runs (tests/test_readme.py)
        elif words == ["pip", "install", ".[docs]"]:
            pyproject = (PROJECT / "pyproject.toml").read_text(encoding="utf-8")
            assert re.search(r"^docs = \[", pyproject, re.M), "no docs extra in pyproject.toml"
        elif words == ["mkdocs", "build", "--strict"]:
            if importlib.util.find_spec("mkdocs") is not None:
                _build_site(self.site)
        else:
            pytest.fail(f"no way to run {part!r} from {GETTING_STARTED.name}; teach this test one")


def test_getting_started_examples_run(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every block runs in order in a scratch folder of a checkout: Python blocks in one
    namespace, each command line as written (its expected exit status in a ``# exits N``
    comment), a file block with a ``title`` written to that file, and a ``text`` block after
    a command is its output."""
    work = tmp_path / "work"
    work.mkdir()
    (work / "src").symlink_to(PROJECT / "src", target_is_directory=True)
    monkeypatch.chdir(work)
    runner = _Runner(capsys, tmp_path / "site")
    previous = ""
    for language, opening, body in _blocks(GETTING_STARTED):
        title = re.search(r'title="([^"]+)"', opening)
        if title:
            (work / title[1]).write_text(body, encoding="utf-8")
        elif language == "python":
            runner.python(body)
        elif language == "sh":
            for line in filter(str.strip, body.splitlines()):
                runner.shell(line)
        elif language == "text" and previous == "sh":
            assert runner.last_output == body
        else:
            pytest.fail(f"a {language} block this test does not know how to check")
        previous = language
    assert runner.printed, "the Python examples print what they show"
    assert (work / "kpr-events.ttl").is_file()
