"""The shape fixtures (tests/fixtures/shapes/), validated in one batch instead of one by one.

Fixtures live in tests/fixtures/shapes/<Shape>/: `invalid-<case>.ttl` holds one defect and
`# expect: <focus> <path or -> <source shape> <constraint component>` lines naming the exact set
of results it must produce; `valid-<case>.ttl` must conform. Each is meant to be validated with the
ontology and world.ttl, a small world with one well-formed node of every class.

The batch is one graph: the ontology, world.ttl once, and every fixture whose triples are all
about nodes of its own (subjects that world.ttl and the ontology do not describe), with those
nodes renamed `<iri>-b<k>` so that no two fixtures share one. A result then belongs to the fixture
whose node is its focus, and the renaming is undone before it is compared. A fixture that adds to
a shared node, whose expected results are on a shared node, or whose shape is a SHACL-SPARQL
rule (which may relate nodes of different fixtures: a gap in meeting ordinals that another
fixture's meeting fills) is validated on its own, as before. A batch result whose focus is a
shared node cannot be given to a fixture: `split` files those under '', and a test requires
there be none.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import SH

from cybercrime_kg.dataset import parse_turtle
from cybercrime_kg.namespaces import ID
from cybercrime_kg.paths import Layout
from cybercrime_kg.validation import SHAPES_NS, Report, Violation, bind_prefixes

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "shapes"
WORLD = FIXTURES / "world.ttl"
EXPECT = re.compile(r"^# expect: (\S+) (\S+) (\S+) (\S+)\s*$", re.MULTILINE)
INVALID = sorted(FIXTURES.glob("*/invalid-*.ttl"))
VALID = sorted(FIXTURES.glob("*/valid-*.ttl"))

Expected = tuple[str, str, str, str]
Validate = Callable[[Graph, Graph], Report]


def load_shapes(layout: Layout) -> Graph:
    return parse_turtle(layout.shapes / "ieg.shapes.ttl")


def load_world(layout: Layout) -> Graph:
    """The ontology and world.ttl."""
    return parse_turtle(WORLD, parse_turtle(layout.ontology / "ieg.ttl"))


def fixture_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


def expected(path: Path) -> set[Expected]:
    """The `# expect:` lines of a fixture, with '-' for a result without a path."""
    found = {
        (focus, "" if result_path == "-" else result_path, shape, component)
        for focus, result_path, shape, component in EXPECT.findall(path.read_text(encoding="utf-8"))
    }
    assert found, f"{path} has no '# expect:' line"
    return found


@dataclass
class Batch:
    """The batch graph, which fixture owns which renamed node, and the fixtures left alone."""

    graph: Graph
    owner: dict[str, tuple[str, str]] = field(default_factory=dict)  # n3 -> (fixture, n3)
    members: list[Path] = field(default_factory=list)
    alone: list[Path] = field(default_factory=list)


def build(world: Graph, shapes: Graph, paths: list[Path]) -> Batch:
    """One graph holding `world` and every fixture that can share it (see the docstring)."""
    names = bind_prefixes(Graph()).namespace_manager
    shared = set(world.subjects())
    batch = Batch(Graph())
    batch.graph += world
    for k, path in enumerate(paths):
        fixture = parse_turtle(path)
        if (URIRef(SHAPES_NS + path.parent.name), SH.sparql, None) in shapes:
            batch.alone.append(path)  # a SPARQL rule may relate its nodes to other fixtures'
            continue
        if shared & set(fixture.subjects()):
            batch.alone.append(path)
            continue
        own = {s for s in fixture.subjects() if isinstance(s, URIRef) and s.startswith(ID)}
        if path in INVALID and {e[0] for e in expected(path)} - {s.n3(names) for s in own}:
            batch.alone.append(path)  # its defect shows on a shared node
            continue
        renamed = {s: URIRef(f"{s}-b{k}") for s in own}
        for s, p, o in fixture:
            batch.graph.add((renamed.get(s, s), p, renamed.get(o, o)))  # type: ignore[arg-type]
        for node in {*fixture.subjects(), *fixture.objects()}:
            if isinstance(node, BNode):
                batch.owner[node.n3()] = (fixture_id(path), node.n3())
        for original, new in renamed.items():
            batch.owner[new.n3(names)] = (fixture_id(path), original.n3(names))
        batch.members.append(path)
    return batch


def split(batch: Batch, report: Report) -> dict[str, list[Violation]]:
    """The batch's results by fixture, focus renamed back; shared-node results under ''."""
    found: dict[str, list[Violation]] = {fixture_id(p): [] for p in batch.members}
    found[""] = []
    for v in report.violations:
        fixture, focus = batch.owner.get(v.focus, ("", v.focus))
        found[fixture].append(Violation(**{**v.__dict__, "focus": focus}))
    return found


def alone(world: Graph, path: Path) -> Graph:
    """World and one fixture, as one graph."""
    data = Graph()
    data += world
    return parse_turtle(path, data)


def validate_all(world: Graph, shapes: Graph, validate: Validate) -> dict[str, list[Violation]]:
    """Every fixture's results: the batch once, then each fixture that must stay alone."""
    batch = build(world, shapes, [*VALID, *INVALID])
    results = split(batch, validate(batch.graph, shapes))
    for path in batch.alone:
        results[fixture_id(path)] = list(validate(alone(world, path), shapes).violations)
    return results
