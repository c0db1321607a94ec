"""Problems as a SARIF 2.1.0 log, the format code-scanning services annotate pull requests from.

Every rule code is declared as a SARIF rule, in the order of :data:`RULES`, so a
result's ``ruleIndex`` is stable across runs. A problem's file becomes the
result's location, relative to the working directory when it lies inside it
(as GitHub code scanning expects); its line, where known, the region; its JSON
pointer, a logical location.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kpr_events.errors import RULES, STORE_ERRORS, Problem

__all__ = ["SARIF_SCHEMA", "to_sarif"]

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_INFORMATION = "https://w3id.org/kpr-events/"
_CODES = {**RULES, **STORE_ERRORS}
_ROOT = "SRCROOT"


def _artifact(path: str, root: Path) -> dict[str, str]:
    where = Path(path).absolute()
    try:
        return {"uri": where.relative_to(root).as_posix(), "uriBaseId": _ROOT}
    except ValueError:
        return {"uri": where.as_uri()}


def _result(problem: Problem, index: dict[str, int], root: Path) -> dict[str, Any]:
    located = f"#{problem.pointer}: " if problem.pointer else ""
    result: dict[str, Any] = {
        "ruleId": problem.code,
        "level": "error",
        "message": {"text": located + problem.message},
    }
    if problem.code in index:
        result["ruleIndex"] = index[problem.code]
    if problem.path is not None:
        physical: dict[str, Any] = {"artifactLocation": _artifact(problem.path, root)}
        if problem.line is not None:
            physical["region"] = {"startLine": problem.line}
        location: dict[str, Any] = {"physicalLocation": physical}
        if problem.pointer:
            location["logicalLocations"] = [{"fullyQualifiedName": problem.pointer}]
        result["locations"] = [location]
    return result


def to_sarif(problems: Sequence[Problem], version: str, root: Path | None = None) -> dict[str, Any]:
    """A SARIF log of one run of ``kpr-events validate`` that found ``problems``."""
    root = (root or Path.cwd()).absolute()
    index = {code: i for i, code in enumerate(_CODES)}
    rules = [{"id": code, "shortDescription": {"text": text}} for code, text in _CODES.items()]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "kpr-events",
                        "version": version,
                        "informationUri": _INFORMATION,
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {_ROOT: {"uri": root.as_uri() + "/"}},
                "results": [_result(p, index, root) for p in problems],
            }
        ],
    }
