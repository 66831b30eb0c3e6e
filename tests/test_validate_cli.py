"""`cybercrime-kg validate` end to end: exit status and message for each kind of input; the gate."""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cybercrime_kg.dataset import Part, project_parts
from cybercrime_kg.errors import NotConforming
from cybercrime_kg.namespaces import DATA_GRAPH, ONTOLOGY_GRAPH, SHAPES_GRAPH
from cybercrime_kg.validation import require_conformance

FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
WORLD = FIXTURES / "world.ttl"


def validate(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run the installed command as a user would, in a fresh process."""
    command = [sys.executable, "-m", "cybercrime_kg.cli", "validate", *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture(scope="module")
def project_run() -> subprocess.CompletedProcess[str]:
    return validate()


def test_project_data_conforms(project_run: subprocess.CompletedProcess[str]):
    assert project_run.returncode == 0, project_run.stdout + project_run.stderr
    assert project_run.stdout.startswith("Conforms:")


def test_the_files_are_never_modified(layout, project_run):  # type: ignore[no-untyped-def]
    before = {p: p.read_bytes() for part in project_parts(layout) for p in part.files}
    validate("--format", "json")
    assert {p: p.read_bytes() for p in before} == before


@pytest.mark.parametrize(
    ("fixture", "shown"),
    [
        ("StanceShape/invalid-position-missing.ttl", "shape:Stance-position"),
        ("ResourceShape/invalid-ordinal-wrong-datatype.ttl", "shape:ordinal"),
        ("DocumentShape/invalid-symbol-bad-pattern.ttl", "shape:Document-symbol"),
        ("SlotAgendaRule/invalid-item-of-another-meeting.ttl", "shape:SlotAgendaRule"),
        ("DanglingReferenceRule/invalid-untyped-reference.ttl", "state:ZZZ"),
        ("StanceClosedShape/invalid-stray-property.ttl", "shape:StanceClosedShape"),
    ],
    ids=["cardinality", "datatype", "pattern", "sparql-rule", "dangling", "closed"],
)
def test_each_kind_of_violation_exits_1(fixture: str, shown: str):
    run = validate(WORLD, FIXTURES / fixture)
    assert run.returncode == 1, run.stderr
    assert run.stdout.startswith("Does not conform: ")
    assert shown in run.stdout
    assert "message: " in run.stdout and "path: " in run.stdout


def test_text_report_names_focus_label_path_value_message_shape():
    run = validate(WORLD, FIXTURES / "ResourceShape/invalid-year-too-small.ttl")
    assert run.returncode == 1
    assert run.stdout.splitlines()[2:7] == [
        'event:session-defect  "Session"',
        "  path: ieg:year",
        '  value: "1944"^^xsd:integer',
        "  message: ieg:year is a four-digit xsd:integer between 1945 and 2100 "
        '(write 2019, not "2019"), at most two of them (a step the source dates to two years).',
        "  shape: shape:year (sh:MinInclusiveConstraintComponent)",
    ]


def test_json_report():
    run = validate("--format", "json", WORLD, FIXTURES / "StanceShape/invalid-holder-missing.ttl")
    assert run.returncode == 1
    report = json.loads(run.stdout)
    assert report["conforms"] is False
    assert [(v["focus"], v["path"], v["shape"]) for v in report["violations"]] == [
        ("stance:reply-defect", "ieg:holder", "shape:Stance-holder")
    ]


def test_turtle_report():
    run = validate("--format", "turtle", WORLD, FIXTURES / "StanceShape/invalid-holder-missing.ttl")
    assert run.returncode == 1
    assert "sh:conforms false" in run.stdout
    assert "sh:sourceShape shape:Stance-holder" in run.stdout


def test_conforming_paths_exit_0():
    run = validate("--format", "json", WORLD)
    assert run.returncode == 0, run.stdout
    assert json.loads(run.stdout) == {"conforms": True, "violations": []}


def test_syntax_error_names_file_line_and_column(tmp_path: Path):
    broken = tmp_path / "broken.ttl"
    broken.write_text(
        '@prefix ieg: <urn:x:> .\n\nieg:a ieg:b "c" ;\n    ieg:d .\n', encoding="utf-8"
    )
    run = validate(broken)
    assert run.returncode == 2
    assert run.stdout == ""
    assert f"{broken}:4:10: Turtle syntax error" in run.stderr


def test_missing_file_exits_2(tmp_path: Path):
    run = validate(tmp_path / "nowhere.ttl")
    assert run.returncode == 2
    assert f"{tmp_path / 'nowhere.ttl'}: no such file" in run.stderr


def test_a_folder_stands_for_its_turtle_files(tmp_path: Path):
    shutil.copy(WORLD, tmp_path / "world.ttl")
    shutil.copy(FIXTURES / "StanceShape/invalid-holder-missing.ttl", tmp_path / "stance.ttl")
    run = validate(tmp_path)
    assert run.returncode == 1
    assert "shape:Stance-holder" in run.stdout


# --- The serving gate ----------------------------------------------------------------------


def invalid_parts() -> list[Part]:
    parts = [p for p in project_parts() if p.graph in (ONTOLOGY_GRAPH, SHAPES_GRAPH)]
    bad = FIXTURES / "StanceShape/invalid-holder-missing.ttl"
    return [*parts, Part(DATA_GRAPH, (WORLD, bad))]


def test_gate_refuses_data_that_does_not_conform():
    with pytest.raises(
        NotConforming, match=r"(?s)1 SHACL violations.*stance:reply-defect ieg:holder"
    ):
        require_conformance(invalid_parts(), allow_invalid=False)


def test_gate_warns_when_told_to_allow(caplog: pytest.LogCaptureFixture):
    with caplog.at_level(logging.WARNING, logger="cybercrime_kg.validation"):
        report = require_conformance(invalid_parts(), allow_invalid=True)
    assert not report.conforms
    assert "does not conform" in caplog.text


def test_gate_accepts_a_loaded_dataset(dataset):  # type: ignore[no-untyped-def]
    assert require_conformance(dataset).conforms


@pytest.mark.parametrize("engine", ["fast", "pyshacl"])
def test_both_engines_give_the_same_report(engine: str):
    defect = FIXTURES / "StanceShape/invalid-holder-missing.ttl"
    run = validate("--engine", engine, "--format", "json", WORLD, defect)
    assert run.returncode == 1
    assert [(v["focus"], v["path"], v["shape"]) for v in json.loads(run.stdout)["violations"]] == [
        ("stance:reply-defect", "ieg:holder", "shape:Stance-holder")
    ]


def test_an_unknown_engine_in_the_environment_exits_2(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CYBERCRIME_KG_VALIDATOR", "topbraid")
    run = validate("--format", "json", WORLD)
    assert run.returncode == 2
    assert "CYBERCRIME_KG_VALIDATOR='topbraid'" in run.stderr
