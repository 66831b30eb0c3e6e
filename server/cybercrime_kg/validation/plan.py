"""Which engine checks which shape: SHACL Core to pyshacl-turbo, SPARQL constraints to Oxigraph,
anything else to pySHACL, so that no constraint is ever skipped.

The unit is a root shape (one with a target) together with every shape it reaches through
sh:property, sh:node, sh:not, sh:and, sh:or, sh:xone and sh:qualifiedValueShape. A root whose
shapes use only SHACL Core goes to pyshacl-turbo. A node shape whose only constraints are
sh:sparql SELECT constraints that `sparql_rules` can batch (see there) goes to Oxigraph. Every other
root, and every shape at all when the shapes graph has rules (sh:rule changes the data), goes to
pySHACL, the reference engine.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH
from rdflib.term import Node

TARGETS = frozenset(
    {SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target}
)
CORE = frozenset(
    SH[name]
    for name in (
        "class", "datatype", "nodeKind", "minCount", "maxCount", "minExclusive", "minInclusive",
        "maxExclusive", "maxInclusive", "minLength", "maxLength", "pattern", "flags",
        "languageIn", "uniqueLang", "equals", "disjoint", "lessThan", "lessThanOrEquals", "not",
        "and", "or", "xone", "node", "property", "qualifiedValueShape", "qualifiedMinCount",
        "qualifiedMaxCount", "qualifiedValueShapesDisjoint", "closed", "ignoredProperties",
        "hasValue", "in", "path",
    )
)  # fmt: skip
ANNOTATIONS = frozenset(
    {
        RDF.type, RDFS.label, RDFS.comment, RDFS.isDefinedBy, RDFS.seeAlso, SH.message,
        SH.severity, SH.deactivated, SH.name, SH.description, SH.order, SH.group,
        SH.defaultValue,
    }
)  # fmt: skip
REFERENCES = (SH.property, SH.node, SH["not"], SH.qualifiedValueShape)
LISTS = (SH["and"], SH["or"], SH.xone)
# what a batched SPARQL constraint may not contain: a sub-select (where $this would not be bound),
# the pre-bound $PATH, $currentShape and $shapesGraph, and solution modifiers
UNBATCHABLE = re.compile(
    r"\{\s*SELECT\b|\$(PATH|currentShape|shapesGraph)\b|\b(GROUP|ORDER)\s+BY\b|\bHAVING\b"
    r"|\bLIMIT\b|\bOFFSET\b|\bVALUES\b|\bSERVICE\b|\bGRAPH\b",
    re.IGNORECASE,
)

COMMENT = re.compile(r"(^|\s)#[^\n]*")


@dataclass
class Plan:
    """Root shapes by engine: `core` for pyshacl-turbo, `sparql` for Oxigraph, `pyshacl`."""

    core: list[Node] = field(default_factory=list)
    sparql: list[URIRef] = field(default_factory=list)
    pyshacl: list[Node] = field(default_factory=list)
    everything_to_pyshacl: bool = False

    def counts(self) -> tuple[tuple[str, int], ...]:
        return (
            ("pyshacl-turbo", len(self.core)),
            ("oxigraph", len(self.sparql)),
            ("pyshacl", len(self.pyshacl)),
        )


def roots(shapes: Graph) -> list[Node]:
    """Shapes with a target (explicit, or implicit: a shape that is also a class)."""
    found = {s for p in TARGETS for s in shapes.subjects(p, None)}
    for kind in (SH.NodeShape, SH.PropertyShape):
        for shape in shapes.subjects(RDF.type, kind):
            if {(shape, RDF.type, RDFS.Class), (shape, RDF.type, OWL.Class)} & set(
                shapes.triples((shape, RDF.type, None))
            ):
                found.add(shape)
    return sorted(found, key=str)


def reached(shapes: Graph, root: Node) -> Iterator[Node]:
    """The root and every shape it refers to, each once."""
    seen: set[Node] = set()
    todo = [root]
    while todo:
        shape = todo.pop()
        if shape in seen:
            continue
        seen.add(shape)
        yield shape
        for predicate in REFERENCES:
            todo += shapes.objects(shape, predicate)
        for predicate in LISTS:
            for head in shapes.objects(shape, predicate):
                todo += list(Collection(shapes, head))


def custom_parameters(shapes: Graph) -> set[Node]:
    """The parameters of the constraint components the shapes graph declares itself."""
    return {
        path
        for component in shapes.subjects(RDF.type, SH.ConstraintComponent)
        for parameter in shapes.objects(component, SH.parameter)
        for path in shapes.objects(parameter, SH.path)
    }


def is_core(shapes: Graph, shape: Node, custom: set[Node]) -> bool:
    """Whether the shape uses SHACL Core only (targets other than SPARQL ones included)."""
    for predicate in shapes.predicates(shape):
        if predicate in custom:
            return False
        if predicate == SH.target or (
            str(predicate).startswith(str(SH)) and predicate not in CORE | ANNOTATIONS | TARGETS
        ):
            return False
    return True


def batchable_sparql(shapes: Graph, shape: Node, referenced: set[Node]) -> bool:
    """Whether `sparql_rules` can check this shape: see the module docstring."""
    if not isinstance(shape, URIRef) or shape in referenced or (shape, SH.path, None) in shapes:
        return False
    constraints = list(shapes.objects(shape, SH.sparql))
    if not constraints:
        return False
    for predicate, value in shapes.predicate_objects(shape):
        if predicate not in ANNOTATIONS | TARGETS | {SH.sparql}:
            return False
        if predicate == SH.target and not batchable_query(shapes, value):
            return False
    return all(batchable_query(shapes, c) for c in constraints)


def batchable_query(shapes: Graph, node: Node) -> bool:
    """A SELECT (a SPARQL constraint or target) with nothing UNBATCHABLE, not switched off."""
    select = shapes.value(node, SH.select)
    if select is None or (node, SH.deactivated, None) in shapes:
        return False
    text = COMMENT.sub(" ", str(select))
    head = text[: text.find("{")] if "{" in text else text
    return not UNBATCHABLE.search(text) and "(" not in head and text.rstrip().endswith("}")


def plan(shapes: Graph) -> Plan:
    """Assign every root shape to the engine that checks it."""
    result = Plan()
    all_roots = roots(shapes)
    if (None, SH.rule, None) in shapes or (None, SH.entailment, None) in shapes:
        result.pyshacl = all_roots
        result.everything_to_pyshacl = True
        return result
    custom = custom_parameters(shapes)
    referenced = {o for p in REFERENCES for o in shapes.objects(None, p)}
    for p in LISTS:
        for head in shapes.objects(None, p):
            referenced.update(Collection(shapes, head))
    for root in all_roots:
        if isinstance(root, URIRef) and batchable_sparql(shapes, root, referenced):
            result.sparql.append(root)
        elif all(is_core(shapes, s, custom) for s in reached(shapes, root)):
            result.core.append(root)
        else:
            result.pyshacl.append(root)
    return result


def restricted(shapes: Graph, keep: list[Node]) -> Graph:
    """The shapes graph with the targets of every root but `keep` taken out.

    The other shapes stay, so that `keep` can still refer to them; without a target they check
    nothing by themselves. This names the shapes an engine checks, unnamed ones included.
    """
    kept = set(keep)
    graph = Graph()
    for prefix, namespace in shapes.namespaces():
        graph.bind(prefix, namespace)
    for s, p, o in shapes:
        if s in kept or not (p in TARGETS or (p == RDF.type and o in (RDFS.Class, OWL.Class))):
            graph.add((s, p, o))
    return graph


def closure(shapes: Graph, keep: list[Node]) -> Graph:
    """Only what the roots in `keep` are made of: their triples, their blank nodes' and lists'
    triples, and the shapes they refer to, recursively (pyshacl-turbo refuses a shapes graph
    with anything it cannot compile, such as a constraint component of the graph's own)."""
    wanted = {s for root in keep for s in reached(shapes, root)}
    graph = Graph()
    for prefix, namespace in shapes.namespaces():
        graph.bind(prefix, namespace)
    seen: set[Node] = set()
    todo = list(wanted)
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in shapes.predicate_objects(node):
            graph.add((node, p, o))
            if isinstance(o, BNode) or o in wanted:
                todo.append(o)
    return graph
