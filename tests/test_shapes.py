"""The SHACL shapes (issue 4): the project's data conforms, and each constraint catches its defect.

Fixtures live in tests/fixtures/shapes/<Shape>/: `invalid-<case>.ttl` holds one defect and
`# expect: <focus> <path or -> <source shape> <constraint component>` lines naming the exact set
of results it must produce; `valid-<case>.ttl` must conform. Each is validated together with the
ontology and world.ttl, a small world with one well-formed node of every class.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pyshacl import validate as shacl_validate
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF, SH

from cybercrime_kg.dataset import parse_turtle
from cybercrime_kg.namespaces import ID
from cybercrime_kg.paths import Layout
from cybercrime_kg.validation import Report, one_line, validate_graphs, validate_parts
from helpers.assertions import assert_none

FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
WORLD = FIXTURES / "world.ttl"
EXPECT = re.compile(r"^# expect: (\S+) (\S+) (\S+) (\S+)\s*$", re.MULTILINE)
INVALID = sorted(FIXTURES.glob("*/invalid-*.ttl"))
VALID = sorted(FIXTURES.glob("*/valid-*.ttl"))

Result = tuple[str, str, str, str]


def fixture_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


def expected(path: Path) -> set[Result]:
    """The `# expect:` lines of a fixture, with '-' for a result without a path."""
    found = {
        (focus, "" if result_path == "-" else result_path, shape, component)
        for focus, result_path, shape, component in EXPECT.findall(path.read_text(encoding="utf-8"))
    }
    assert found, f"{path} has no '# expect:' line"
    return found


@pytest.fixture(scope="session")
def shapes(layout: Layout) -> Graph:
    return parse_turtle(layout.shapes / "ieg.shapes.ttl")


@pytest.fixture(scope="session")
def world(layout: Layout) -> Graph:
    graph = parse_turtle(layout.ontology / "ieg.ttl")
    return parse_turtle(WORLD, graph)


def validate_fixture(world: Graph, shapes: Graph, path: Path | None) -> Report:
    data = Graph()
    for triple in world:
        data.add(triple)
    if path is not None:
        parse_turtle(path, data)
    return validate_graphs(data, shapes)


def test_shapes_pass_meta_shacl(shapes: Graph):
    conforms, _, text = shacl_validate(Graph(), shacl_graph=shapes, meta_shacl=True, advanced=True)
    assert conforms, text


def test_project_data_conforms():
    report = validate_parts()
    assert report.conforms, report.summary(limit=50)


def test_world_conforms(world: Graph, shapes: Graph):
    report = validate_fixture(world, shapes, None)
    assert report.conforms, report.summary(limit=50)


@pytest.mark.parametrize("path", VALID, ids=fixture_id)
def test_valid_fixture_conforms(world: Graph, shapes: Graph, path: Path):
    report = validate_fixture(world, shapes, path)
    assert report.conforms, report.summary(limit=50)


@pytest.mark.parametrize("path", INVALID, ids=fixture_id)
def test_invalid_fixture_gives_exactly_its_results(world: Graph, shapes: Graph, path: Path):
    report = validate_fixture(world, shapes, path)
    got = {(v.focus, v.path, v.shape, v.component) for v in report.violations}
    assert not report.conforms
    assert got == expected(path), "\n".join(one_line(v) for v in report.violations)
    assert all(v.message for v in report.violations)


def constraints(shapes: Graph) -> set[tuple[URIRef, URIRef]]:
    """(shape, constraint component) of every named shape: the unit a fixture must cover."""
    components = {
        SH["class"]: "Class", SH.minCount: "MinCount", SH.maxCount: "MaxCount",
        SH.datatype: "Datatype", SH.pattern: "Pattern", SH.minInclusive: "MinInclusive",
        SH.maxInclusive: "MaxInclusive", SH.languageIn: "LanguageIn", SH.uniqueLang: "UniqueLang",
        SH.qualifiedMinCount: "QualifiedMinCount", SH.nodeKind: "NodeKind",
        SH.hasValue: "HasValue", SH["in"]: "In", SH["or"]: "Or", SH.closed: "Closed",
        SH.sparql: "SPARQL",
    }  # fmt: skip
    found = set()
    for shape in shapes.subjects(RDF.type, None):
        if not isinstance(shape, URIRef):
            continue
        for parameter, name in components.items():
            if (shape, parameter, None) in shapes:
                found.add((shape, SH[f"{name}ConstraintComponent"]))
    return found


def test_every_constraint_has_a_negative_fixture(shapes: Graph):
    names = shapes.namespace_manager
    covered = {(shape, component) for path in INVALID for _, _, shape, component in expected(path)}
    offenders = sorted(
        f"{shape.n3(names)} {component.n3(names)}"
        for shape, component in constraints(shapes)
        if (shape.n3(names), component.n3(names)) not in covered
    )
    assert_none(offenders, "constraints without an invalid fixture")


def test_every_constraint_has_a_message(shapes: Graph):
    offenders = sorted(
        shape.n3(shapes.namespace_manager)
        for shape, component in constraints(shapes)
        if not any(
            m.language == "en"
            for m in [
                *shapes.objects(shape, SH.message),
                *shapes.objects(shapes.value(shape, SH.sparql), SH.message),
            ]
        )
    )
    assert_none(offenders, "shapes with a constraint but no sh:message@en")


def test_a_named_shape_for_every_class_with_instances(dataset: Dataset, shapes: Graph):
    targeted = set(shapes.objects(None, SH.targetClass))
    used = {o for s, _, o, _ in dataset.quads((None, RDF.type, None, None)) if s.startswith(ID)}
    assert_none(sorted(str(c) for c in used - targeted), "classes with instances but no shape")
