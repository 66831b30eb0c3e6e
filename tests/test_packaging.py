"""`pip install .` (not only editable) ships the graph, and the installed package finds it."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("cybercrime_kg-*.whl")
    return built


def test_wheel_carries_every_resource_file(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("ontology", "data", "shapes", "queries"):
        expected = {
            f"cybercrime_kg/_resources/{p.relative_to(ROOT).as_posix()}"
            for p in (ROOT / folder).rglob("*")
            if p.is_file() and "__pycache__" not in p.parts
        }
        assert expected and expected <= names, folder
    assert "cybercrime_kg/_resources/data/sources/000_7733b509ce2f1b5a.txt" in names


def run_installed(wheel: Path, tmp_path: Path, probe: str) -> str:
    """Install the wheel with --target far from any checkout and run `probe` with it; stdout."""
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def test_installed_package_loads_its_own_graph(wheel: Path, tmp_path: Path) -> None:
    probe = (
        "from cybercrime_kg.paths import project_layout;"
        "from cybercrime_kg.dataset import load_dataset;"
        "layout = project_layout(); print(layout.root); print(len(load_dataset()))"
    )
    root, triples = run_installed(wheel, tmp_path, probe).split()
    assert Path(root) == tmp_path / "site" / "cybercrime_kg" / "_resources"
    assert int(triples) > 5000
