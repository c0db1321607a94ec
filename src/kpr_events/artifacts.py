"""Everything generated from the models, written to and checked against ``schemas/``.

The JSON Schemas, the JSON-LD context, the ``kpr:`` ontology and the SHACL
shapes are all derived from the models; ``kpr-events schema --write``
regenerates them and ``--check`` fails when a committed file has drifted.
"""

from __future__ import annotations

import json
from pathlib import Path

from kpr_events import _jsonio
from kpr_events.errors import ResourceError, SchemaDriftError
from kpr_events.ontology import ontology
from kpr_events.rdf import context
from kpr_events.schema import generate_schemas
from kpr_events.shacl import shapes

__all__ = ["CONTEXT_FILE", "check_artifacts", "generate_artifacts", "write_artifacts"]

CONTEXT_FILE = "context.jsonld"
ONTOLOGY_FILE = "kpr.ttl"
SHAPES_FILE = "shapes.ttl"


def generate_artifacts() -> dict[str, str]:
    """Every generated file, by name, as the text it must hold."""
    files = {name: _jsonio.dumps(schema) for name, schema in generate_schemas().items()}
    files[CONTEXT_FILE] = json.dumps(context(), indent=2, sort_keys=True) + "\n"
    files[ONTOLOGY_FILE] = ontology().serialize(format="turtle")
    files[SHAPES_FILE] = shapes().serialize(format="turtle")
    return dict(sorted(files.items()))


def _generated(path: Path) -> bool:
    return path.name.endswith((".schema.json", ".jsonld", ".ttl"))


def write_artifacts(directory: Path) -> list[str]:
    """Write every generated file into ``directory``; returns the names of files that changed."""
    changed = []
    for name, text in generate_artifacts().items():
        target = directory / name
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            _jsonio.write_text(target, text)
            changed.append(name)
    return changed


def check_artifacts(directory: Path) -> None:
    """Raise :class:`SchemaDriftError` unless ``directory`` holds exactly the generated files."""
    if not directory.is_dir():
        raise ResourceError(
            f"{directory} is not a folder (expected the schemas folder; pass --dir)",
            path=str(directory),
        )
    expected = generate_artifacts()
    present = {p.name for p in directory.iterdir() if _generated(p)}
    stale = sorted(
        name
        for name in expected.keys() | present
        if name not in present
        or name not in expected
        or (directory / name).read_text(encoding="utf-8") != expected[name]
    )
    if stale:
        raise SchemaDriftError(stale, str(directory))
