"""`pip install .` (not only editable) ships the graph, and the installed package finds it."""

from __future__ import annotations

import zipfile
from pathlib import Path

from helpers.packaging import run_installed

ROOT = Path(__file__).resolve().parent.parent


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


def test_installed_package_loads_its_own_graph(wheel: Path, tmp_path: Path) -> None:
    probe = (
        "from cybercrime_kg.paths import project_layout;"
        "from cybercrime_kg.dataset import load_dataset;"
        "layout = project_layout(); print(layout.root); print(len(load_dataset()))"
    )
    root, triples = run_installed(wheel, tmp_path, probe).split()
    assert Path(root) == tmp_path / "site" / "cybercrime_kg" / "_resources"
    assert int(triples) > 5000
