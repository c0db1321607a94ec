"""The README's examples run, and CI runs the README's own test command."""

from __future__ import annotations

import re

import pytest

from .conftest import PROJECT

README = PROJECT / "README.md"
pytestmark = pytest.mark.skipif(not README.is_file(), reason="needs the source checkout")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def test_python_examples_run(capsys: pytest.CaptureFixture[str]) -> None:
    """Every Python block in the README runs as written and prints something."""
    blocks = _blocks("python")
    assert blocks
    for block in blocks:
        exec(compile(block, str(README), "exec"), {})
    assert capsys.readouterr().out.strip()


def test_ci_runs_the_readme_test_command() -> None:
    """The quick start's test command is the very line .ci/run executes."""
    commands = [line.strip() for block in _blocks("sh") for line in block.splitlines()]
    test_command = next(c for c in commands if "pytest" in c)
    ci = (PROJECT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_command in ci
