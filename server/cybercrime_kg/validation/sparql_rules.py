"""SHACL-SPARQL constraints of node shapes, checked for all focus nodes at once on Oxigraph.

pySHACL runs a constraint's SELECT once per focus node with $this pre-bound. Here it runs once,
with $this free, and its solutions are kept where $this is a focus node (the targets, found by
a query of their own): the same solutions as long as every solution binds $this, since a
pattern with $this then matches exactly the triples it matches with $this pre-bound. A solution
without $this hands the shape back to pySHACL, and `plan` sends a constraint with a sub-select,
$PATH, $currentShape, $shapesGraph, VALUES, GRAPH, SERVICE or a solution modifier to pySHACL.
Each solution becomes a result as in pySHACL (SHACL 1.0, 5.3.2): focus $this, path ?path, value
?value or else the focus, the constraint's sh:message with {?var} and {$var} filled in.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH
from rdflib.term import Node

from cybercrime_kg.terms import to_rdflib

HEAD = "SELECT"


def prefixes(shapes: Graph, node: Node) -> str:
    """PREFIX lines for the sh:prefixes of a constraint or target."""
    lines = []
    for ontology in shapes.objects(node, SH.prefixes):
        for declaration in shapes.objects(ontology, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(sorted(set(lines)))


def split_select(text: str) -> tuple[str, str]:
    """The projection and the group of a SELECT query ('$this ?path ?value', '{ ... }')."""
    start = text.upper().index(HEAD) + len(HEAD)
    brace = text.index("{", start)
    projection = text[start:brace]
    projection = " ".join(w for w in projection.split() if w.upper() not in ("WHERE", "DISTINCT"))
    return projection, text[brace : text.rindex("}") + 1]


def target_patterns(shapes: Graph, shape: URIRef) -> Iterator[str]:
    """One group pattern per target of the shape, each binding ?this."""
    implicit = [shape] if {RDFS.Class, OWL.Class} & set(shapes.objects(shape, RDF.type)) else []
    for cls in [*shapes.objects(shape, SH.targetClass), *implicit]:
        yield f"{{ ?this <{RDF.type}>/<{RDFS.subClassOf}>* <{cls}> }}"
    for node in shapes.objects(shape, SH.targetNode):
        yield f"{{ BIND ({sparql_term(node)} AS ?this) }}"
    for predicate in shapes.objects(shape, SH.targetSubjectsOf):
        yield f"{{ ?this <{predicate}> [] }}"
    for predicate in shapes.objects(shape, SH.targetObjectsOf):
        yield f"{{ [] <{predicate}> ?this }}"
    for target in shapes.objects(shape, SH.target):
        _, group = split_select(str(shapes.value(target, SH.select)))
        yield f"{{ SELECT ?this WHERE {group} }}"


def sparql_term(node: Node) -> str:
    """A target node as SPARQL writes it."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3()
    raise ValueError(f"a target node must be an IRI or a literal: {node!r}")


def targets_query(shapes: Graph, shape: URIRef) -> str:
    """The query for the shape's focus nodes (?this)."""
    heads = {prefixes(shapes, t) for t in shapes.objects(shape, SH.target)}
    union = " UNION ".join(target_patterns(shapes, shape))
    return "\n".join(sorted(h for h in heads if h)) + f"\nSELECT DISTINCT ?this WHERE {{ {union} }}"


def constraint_query(shapes: Graph, constraint: Node) -> str:
    """The constraint's SELECT with its prefixes, $this left free."""
    return f"{prefixes(shapes, constraint)}\n{shapes.value(constraint, SH.select)}"


def focus_nodes(store: ox.Store, shapes: Graph, shape: URIRef) -> set[Node]:
    solutions = store.query(targets_query(shapes, shape))
    assert isinstance(solutions, ox.QuerySolutions)
    return {to_rdflib(s["this"]) for s in solutions if s["this"] is not None}


def check(store: ox.Store, shapes: Graph, shape_iris: list[URIRef], results: Graph) -> list[URIRef]:
    """Add a result per solution to `results`; the shapes it could not check (see below).

    A solution that leaves $this unbound means the constraint does not bind $this in every
    solution by itself, so its free evaluation need not equal the pre-bound one: such a shape is
    handed back, for pySHACL.
    """
    handed_back = []
    for shape in shape_iris:
        if (shape, SH.deactivated, Literal(True)) in shapes:
            continue
        found = Graph()
        if not check_shape(store, shapes, shape, found):
            handed_back.append(shape)
            continue
        results += found
    return handed_back


def check_shape(store: ox.Store, shapes: Graph, shape: URIRef, results: Graph) -> bool:
    """Check every SPARQL constraint of `shape`; False when one leaves $this unbound."""
    focus = focus_nodes(store, shapes, shape)
    if not focus:
        return True
    severity = shapes.value(shape, SH.severity) or SH.Violation
    for constraint in shapes.objects(shape, SH.sparql):
        messages = list(shapes.objects(constraint, SH.message)) or list(
            shapes.objects(shape, SH.message)
        )
        solutions = store.query(constraint_query(shapes, constraint))
        assert isinstance(solutions, ox.QuerySolutions)
        variables = solutions.variables
        seen: set[tuple[object, ...]] = set()
        for solution in solutions:
            row = bindings(solution, variables)
            if "this" not in row:
                return False
            if row["this"] not in focus or "failure" in row:
                continue
            this = row.pop("this")
            path, value = row.pop("path", None), row.pop("value", None)
            key = (this, path, value, tuple(sorted(row.items())))
            if key in seen:
                continue
            seen.add(key)
            value = this if value is None else value
            texts = [fill(m, this, path, value, row) for m in messages]
            add_result(results, shape, constraint, severity, this, path, value, texts)
    return True


def bindings(solution: ox.QuerySolution, variables: list[ox.Variable]) -> dict[str, Node]:
    """The solution's bound variables, by name, as rdflib terms."""
    return {v.value: to_rdflib(solution[v]) for v in variables if solution[v] is not None}


def fill(
    message: Node, focus: Node, path: Node | None, value: Node, row: dict[str, Node]
) -> Literal:
    """The message with {?var} and {$var} replaced by the solution's values, as pySHACL does."""
    text = str(message)
    named = {**row, "this": focus, "value": value, **({"path": path} if path is not None else {})}
    for name, term in named.items():
        text = text.replace(f"{{?{name}}}", str(term)).replace(f"{{${name}}}", str(term))
    language = message.language if isinstance(message, Literal) else None
    return Literal(text, lang=language)


def add_result(
    results: Graph,
    shape: URIRef,
    constraint: Node,
    severity: Node,
    focus: Node,
    path: Node | None,
    value: Node,
    messages: list[Literal],
) -> None:
    result = BNode()
    results.add((result, RDF.type, SH.ValidationResult))
    results.add((result, SH.focusNode, focus))
    results.add((result, SH.value, value))
    results.add((result, SH.sourceShape, shape))
    results.add((result, SH.sourceConstraint, constraint))
    results.add((result, SH.sourceConstraintComponent, SH.SPARQLConstraintComponent))
    results.add((result, SH.resultSeverity, severity))
    if path is not None:
        results.add((result, SH.resultPath, path))
    for message in messages:
        results.add((result, SH.resultMessage, message))
