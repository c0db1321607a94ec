"""The built wheel: installed in a fresh environment outside the source tree, it finds its data."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from .conftest import PROJECT

pytestmark = pytest.mark.skipif(
    not (PROJECT / "pyproject.toml").is_file(), reason="needs the source checkout to build"
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out)],
        cwd=PROJECT,
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("*.whl")
    return built


def test_wheel_carries_the_data(wheel: Path) -> None:
    """Schemas, fixtures, seeds and the type marker are inside the wheel."""
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("schemas", "fixtures", "seeds"):
        shipped = {
            n.rsplit("/", 1)[1] for n in names if n.startswith(f"kpr_events/_data/{folder}/")
        }
        assert shipped == {p.name for p in (PROJECT / folder).iterdir() if p.is_file()}
    assert "kpr_events/py.typed" in names


def test_installed_wheel_loads_its_dataset(wheel: Path, tmp_path: Path) -> None:
    """In a new venv, from an unrelated folder, the package loads and validates its own data."""
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # The dependencies come from this environment, behind the new one's own site-packages
    # (a plain path line: this environment's own .pth files, an editable install's, are not run).
    deps = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(purelib) / "test-deps.pth").write_text("\n".join(sorted(deps)) + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--quiet",
         "--target", purelib, str(wheel)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    entry = "import sys; from kpr_events.cli import main; sys.exit(main())"
    script = (
        "import kpr_events, pathlib;"
        "d = kpr_events.load_dataset();"
        "root = pathlib.Path(kpr_events.__file__).parent;"
        "assert (root / '_data' / 'fixtures').is_dir(), root;"
        "print(len(d), kpr_events.__file__)"
    )
    work = tmp_path / "elsewhere"
    work.mkdir()
    clean = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        [python, "-c", script], cwd=work, capture_output=True, text=True, env=clean, check=False
    )
    assert done.returncode == 0, done.stderr
    count, location = done.stdout.split()
    assert int(count) > 0
    assert str(env_dir) in location
    validated = subprocess.run(
        [python, "-c", entry, "validate"], cwd=work, capture_output=True, text=True, env=clean
    )
    assert validated.returncode == 0, validated.stdout + validated.stderr
