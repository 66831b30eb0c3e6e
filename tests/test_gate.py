"""The serving gate: non-conforming data is refused at start-up unless explicitly allowed."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cybercrime_kg import validation
from cybercrime_kg.dataset import project_parts, version_of
from cybercrime_kg.errors import NotConforming
from cybercrime_kg.paths import Layout

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "shapes"
DEFECT = FIXTURES / "StanceShape" / "invalid-position-missing.ttl"


def small_home(tmp_path: Path, *data_files: Path) -> Layout:
    """A project copy with the real ontology, shapes and queries and only the given data files."""
    home = tmp_path / "home"
    for name in ("ontology", "shapes", "queries"):
        shutil.copytree(ROOT / name, home / name)
    (home / "data").mkdir()
    for path in data_files:
        shutil.copy(path, home / "data" / path.name)
    return Layout(home)


@pytest.fixture(autouse=True)
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_conforming_data_passes_and_is_remembered(tmp_path: Path, monkeypatch) -> None:
    parts = project_parts(small_home(tmp_path, FIXTURES / "world.ttl"))
    validation.serving_gate(parts)
    assert (validation.cache_dir() / version_of(parts)).read_text() == "conforms\n"

    def must_not_run(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("validated again although this data version conforms")

    monkeypatch.setattr(validation.gate, "require_conformance", must_not_run)
    validation.serving_gate(parts)


def test_non_conforming_data_is_refused(tmp_path: Path) -> None:
    parts = project_parts(small_home(tmp_path, FIXTURES / "world.ttl", DEFECT))
    with pytest.raises(NotConforming) as caught:
        validation.serving_gate(parts)
    assert str(caught.value) == (
        "1 SHACL violations, e.g.:\n  stance:reply-defect ieg:position: A stance needs exactly one"
        " ieg:position, an ieg:PositionKind (position:supports, position:opposes ...)."
        " [shape:Stance-position]"
    )
    assert not validation.cache_dir().exists()


def test_allow_invalid_serves_with_a_warning(tmp_path: Path, caplog) -> None:
    parts = project_parts(small_home(tmp_path, FIXTURES / "world.ttl", DEFECT))
    with caplog.at_level(logging.WARNING, logger="cybercrime_kg.validation"):
        validation.serving_gate(parts, allow_invalid=True)
    assert [r.message.splitlines()[0] for r in caplog.records] == [
        "serving data that does not conform (allowed explicitly):"
    ]
    assert not validation.cache_dir().exists()  # nothing remembered: the next start checks again


def test_serve_refuses_non_conforming_data(tmp_path: Path) -> None:
    home = small_home(tmp_path, FIXTURES / "world.ttl", DEFECT)
    env = {**os.environ, "CYBERCRIME_KG_HOME": str(home.root), "XDG_CACHE_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "cybercrime_kg.cli", "serve", "--port", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "cannot serve: the data does not conform to the shapes" in done.stderr
    assert "stance:reply-defect ieg:position: A stance needs exactly one" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_passing_validate_command_lets_serve_start_without_validating(tmp_path: Path) -> None:
    # A deployment can validate once, ahead of serving: `validate` on the project's own data
    # (no paths, the project's shapes, no inference) remembers the version as the gate does.
    home = small_home(tmp_path, FIXTURES / "world.ttl")
    cache = tmp_path / "cache"
    env = {**os.environ, "CYBERCRIME_KG_HOME": str(home.root), "XDG_CACHE_HOME": str(cache)}
    command = [sys.executable, "-m", "cybercrime_kg.cli", "validate"]
    for extra in (["--inference", "rdfs"], [str(FIXTURES / "world.ttl")]):
        done = subprocess.run([*command, *extra], env=env, capture_output=True, timeout=300)
        assert not (cache / "cybercrime-kg").exists()  # not the gate's check: nothing noted
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    marker = cache / "cybercrime-kg" / "conforms" / version_of(project_parts(home))
    assert marker.read_text() == "conforms\n"
    assert sorted(p.name for p in marker.parent.iterdir()) == [marker.name]


@pytest.mark.parametrize(
    ("setting", "engines"), [("", "fast"), ("fast", "fast"), ("pyshacl", "pyshacl")]
)
def test_the_gate_validates_with_the_engine_the_environment_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setting: str, engines: str
) -> None:
    monkeypatch.setenv("CYBERCRIME_KG_VALIDATOR", setting)
    parts = project_parts(small_home(tmp_path, FIXTURES / "world.ttl", DEFECT))
    report = validation.require_conformance(parts, allow_invalid=True)
    used = {name for name, count in report.engines if count}
    assert used == ({"pyshacl"} if engines == "pyshacl" else {"pyshacl-turbo", "oxigraph"})
    assert [(v.focus, v.shape) for v in report.violations] == [
        ("stance:reply-defect", "shape:Stance-position")
    ]
