"""Where the packaged schemas, fixtures and seeds are.

A wheel carries them in ``kpr_events/_data`` and ``importlib.resources`` finds
them there. An editable install from a checkout has no ``_data``: the files
are read from the checkout's root, where the project keeps them.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from kpr_events.errors import ResourceError

_KINDS = ("schemas", "fixtures", "seeds")


@cache
def data_root() -> Path:
    """The folder holding ``schemas/``, ``fixtures/`` and ``seeds/``."""
    packaged = resources.files("kpr_events") / "_data"
    if packaged.is_dir():
        # A wheel is installed unzipped, so its resources are real files.
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "pyproject.toml").is_file() and all((checkout / k).is_dir() for k in _KINDS):
        return checkout
    raise ResourceError(
        "kpr_events ships its data in kpr_events/_data, which is missing "
        "(expected an installed wheel or a source checkout)",
        path=str(packaged),
    )


def data_dir(kind: str) -> Path:
    return data_root() / kind


@cache
def packaged_schemas() -> dict[str, dict[str, Any]]:
    """The shipped JSON Schemas, by file name."""
    folder = data_dir("schemas")
    return {
        p.name: json.loads(p.read_text(encoding="utf-8"))
        for p in sorted(folder.glob("*.schema.json"))
    }
