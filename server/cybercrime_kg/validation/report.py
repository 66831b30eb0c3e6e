"""A validation's outcome: the results as Violation rows, and the SHACL results graph."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD, NamespaceManager
from rdflib.term import Node

from cybercrime_kg.namespaces import PREFIXES

SHAPES_NS = "https://w3id.org/cybercrime-kg/shapes#"
SUMMARY_LIMIT = 10


@dataclass(frozen=True)
class Violation:
    """One validation result, with every term written as a prefixed name where it has one."""

    focus: str
    label: str
    path: str
    value: str
    message: str
    shape: str
    component: str
    severity: str

    def key(self) -> tuple[str, str, str, str, str, str]:
        """What two engines must agree on: focus, path, value, shape, component, severity."""
        return (self.focus, self.path, self.value, self.shape, self.component, self.severity)


@dataclass(frozen=True)
class Report:
    """The outcome of one validation: conformance, the results, and the raw results graph.

    `engines` says which engine checked which shapes (engine -> number of shapes), so a caller can
    see that nothing was skipped.
    """

    conforms: bool
    violations: tuple[Violation, ...]
    results: Graph
    seconds: float
    engines: tuple[tuple[str, int], ...] = ()

    def summary(self, limit: int = SUMMARY_LIMIT) -> str:
        """A few lines a person can act on: the count, then the first `limit` results."""
        if self.conforms:
            return f"the data conforms to the shapes ({self.seconds:.1f} s)"
        lines = [f"{len(self.violations)} SHACL violations, e.g.:"]
        lines += [f"  {one_line(v)}" for v in self.violations[:limit]]
        if len(self.violations) > limit:
            lines.append(
                f"  ... and {len(self.violations) - limit} more (see `cybercrime-kg validate`)"
            )
        return "\n".join(lines)


def one_line(v: Violation) -> str:
    """A violation on one line: focus, path, value, message, shape."""
    where = f"{v.focus} {v.path}".strip()
    value = f" = {v.value}" if v.value else ""
    return f"{where}{value}: {v.message} [{v.shape}]"


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the project's prefixes (and shape:) so that terms print as prefixed names."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    graph.bind("shape", SHAPES_NS)
    return graph


def violations_of(results: Graph, label_of: Callable[[Node | None], str]) -> list[Violation]:
    """The results of a SHACL results graph as Violation rows, sorted."""
    bind_prefixes(results)
    names = bind_prefixes(Graph()).namespace_manager
    return sorted(
        (
            violation(results, result, names, label_of)
            for result in results.subjects(RDF.type, SH.ValidationResult)
        ),
        key=lambda v: (v.focus, v.path, v.shape, v.value),
    )


def violation(
    results: Graph, result: Node, names: NamespaceManager, label_of: Callable[[Node | None], str]
) -> Violation:
    def term(predicate: URIRef) -> str:
        value = results.value(result, predicate)
        if isinstance(value, Literal) and value.datatype == XSD.string:
            value = Literal(str(value))  # RDF 1.1: the same term; rdflib parses "x" without one
        return "" if value is None else value.n3(names)

    return Violation(
        focus=term(SH.focusNode),
        label=label_of(results.value(result, SH.focusNode)),
        path=term(SH.resultPath),
        value=term(SH.value),
        message=str(results.value(result, SH.resultMessage) or ""),
        shape=term(SH.sourceShape),
        component=term(SH.sourceConstraintComponent),
        severity=term(SH.resultSeverity),
    )


def best_label(labels: list[Node]) -> str:
    """The English label among `labels`, else any, else ''."""
    literals = [o for o in labels if isinstance(o, Literal)]
    english = [o for o in literals if o.language == "en"]
    return str((english or literals)[0]) if literals else ""
