"""The seed articles and their SHA-256 manifest.

``seeds/SHA256SUMS`` is in the format ``sha256sum`` writes, so the seeds can be
checked without this library: ``cd seeds && sha256sum -c SHA256SUMS``.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from kpr_events._jsonio import read_text
from kpr_events.errors import DataError, Problem

__all__ = ["MANIFEST", "check_seeds", "read_manifest", "sha256_of"]

MANIFEST = "SHA256SUMS"


def sha256_of(path: Path) -> str:
    """The file's SHA-256, read in pieces: a large file costs no memory."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while piece := f.read(1 << 20):
            digest.update(piece)
    return digest.hexdigest()


_ENTRY = re.compile(r"([0-9a-f]{64}) [ *](\S.*)")


def read_manifest(folder: Path) -> dict[str, str]:
    """File name to SHA-256, from ``folder/SHA256SUMS``; damage is a :class:`DataError`."""
    manifest = folder / MANIFEST
    where = str(manifest)
    text = read_text(manifest)
    entries = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        entry = _ENTRY.fullmatch(line)
        if entry is None:
            message = "not a manifest line (expected '<sha256>  <file name>', as sha256sum writes)"
            raise DataError([Problem("seed-hash", message, where, line=number)])
        entries[entry.group(2)] = entry.group(1)
    return entries


def check_seeds(folder: Path) -> list[Problem]:
    """Every seed listed is present with its recorded hash, and every seed is listed."""
    manifest = folder / MANIFEST
    if not manifest.is_file():
        return [Problem("seed-missing", f"no {MANIFEST} manifest", path=str(folder))]
    try:
        listed = read_manifest(folder)
    except DataError as exc:
        return list(exc.problems)
    problems = []
    for name, digest in sorted(listed.items()):
        path = folder / name
        if not path.is_file():
            problems.append(Problem("seed-missing", "listed in the manifest but absent", str(path)))
        elif (actual := sha256_of(path)) != digest:
            problems.append(
                Problem("seed-hash", f"SHA-256 is {actual} (expected {digest})", str(path))
            )
    for path in sorted(folder.glob("*.txt")):
        if path.name not in listed:
            problems.append(
                Problem("seed-hash", f"not listed in {MANIFEST} (expected an entry)", str(path))
            )
    return problems
