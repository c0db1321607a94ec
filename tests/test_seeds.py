"""The seed articles: byte-for-byte copies, listed in a SHA-256 manifest."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from kpr_events import Dataset
from kpr_events.seeds import MANIFEST, check_seeds, read_manifest, sha256_of

from .conftest import PROJECT

SHARED = PROJECT.parent / "shared" / "seeds"


def test_manifest_matches_the_seeds(packaged_root: Path) -> None:
    seeds = packaged_root / "seeds"
    assert check_seeds(seeds) == []
    assert len(read_manifest(seeds)) == len(list(seeds.glob("*.txt"))) == 5


def test_manifest_checks_with_sha256sum(packaged_root: Path) -> None:
    """The manifest is in sha256sum's format, so the seeds check without this library."""
    done = subprocess.run(
        ["sha256sum", "--check", "--strict", MANIFEST],
        cwd=packaged_root / "seeds",
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.skipif(not SHARED.is_dir(), reason="no ../shared/seeds beside the checkout")
def test_seeds_are_copies_of_the_originals(packaged_root: Path) -> None:
    originals = sorted(SHARED.glob("*.txt"))
    assert [p.name for p in originals] == sorted(read_manifest(packaged_root / "seeds"))
    for original in originals:
        assert (packaged_root / "seeds" / original.name).read_bytes() == original.read_bytes()


def test_altered_seed_is_caught(dataset_dir: Path) -> None:
    seed = next((dataset_dir / "seeds").glob("*.txt"))
    seed.write_bytes(seed.read_bytes() + b" ")
    (problem,) = check_seeds(dataset_dir / "seeds")
    assert problem.code == "seed-hash"
    assert problem.path == str(seed)


def test_unlisted_and_missing_seeds(dataset_dir: Path) -> None:
    seeds = dataset_dir / "seeds"
    (seeds / "999_extra.txt").write_text("x", encoding="utf-8")
    listed = sorted(read_manifest(seeds))
    (seeds / listed[0]).unlink()
    codes = sorted((p.code, Path(p.path or "").name) for p in check_seeds(seeds))
    assert codes == [("seed-hash", "999_extra.txt"), ("seed-missing", listed[0])]


def test_sources_record_their_seed_hash(dataset: Dataset, packaged_root: Path) -> None:
    """Every Source names a shipped seed and carries that seed's SHA-256."""
    for source in dataset.sources:
        assert source.sha256 == sha256_of(packaged_root / "seeds" / source.seed)


def test_quotes_slice_their_seed(dataset: Dataset) -> None:
    """Every quote's span cuts exactly its text out of its seed."""
    spans = [s.quote for s in dataset.statements]
    spans += [q for e in dataset.events for q in e.evidence]
    spans += [q for a in dataset.articles for q in a.text]
    assert spans
    for span in spans:
        assert dataset.seed_text(span.seed)[span.start : span.end] == span.text
