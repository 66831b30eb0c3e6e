"""The two validators: pySHACL, the reference, and "fast", which splits the shapes by `plan`.

fast: SHACL Core shapes on pyshacl-turbo (Rust), the SPARQL constraints as one query each on the
Oxigraph store (`sparql_rules`), and whatever neither can check on pySHACL, so nothing is skipped.
Its report equals pySHACL's as a set of (focus, path, value, shape, component, severity):
tests/test_differential.py checks that on every shape fixture and on the project's data.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pyoxigraph as ox
import pyshacl
import pyshacl_turbo
from pyshacl_turbo.rdf import Input
from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from cybercrime_kg.terms import to_oxigraph, to_rdflib
from cybercrime_kg.validation import sparql_rules
from cybercrime_kg.validation.loading import Loaded, loaded_graph
from cybercrime_kg.validation.plan import closure, plan, restricted, roots
from cybercrime_kg.validation.report import Report, best_label, violations_of

logger = logging.getLogger(__name__)

ENGINES = ("fast", "pyshacl")
INFERENCE_CHOICES = ("none", "rdfs")


def validate_graphs(
    data: Graph, shapes: Graph, inference: str = "none", engine: str = "pyshacl"
) -> Report:
    """Validate `data` against `shapes` (the fast engine copies the data into a store first)."""
    if engine == "pyshacl":
        return validate_loaded(Loaded(shapes, graph=data), engine, inference)
    return validate_loaded(loaded_graph(data, shapes), engine, inference)


def validate_loaded(loaded: Loaded, engine: str = "pyshacl", inference: str = "none") -> Report:
    """Validate what `load_parts` read; inference other than none always runs on pySHACL."""
    if engine not in ENGINES:
        raise ValueError(f"unknown SHACL engine {engine!r}: one of {', '.join(ENGINES)}")
    started = time.perf_counter()
    if engine == "pyshacl" or inference != "none":
        data = loaded.rdflib_graph()
        conforms, results = run_pyshacl(data, loaded.shapes, inference)
        engines: tuple[tuple[str, int], ...] = (("pyshacl", len(roots(loaded.shapes))),)
        label_of = graph_labels(data)
    else:
        conforms, results, engines = run_fast(loaded)
        label_of = store_labels(loaded)
    seconds = time.perf_counter() - started
    violations = violations_of(results, label_of)
    logger.debug("validated %d triples in %.2f s (%s)", loaded.size, seconds, engine)
    return Report(conforms, tuple(violations), results, seconds, engines)


def run_pyshacl(data: Graph, shapes: Graph, inference: str = "none") -> tuple[bool, Graph]:
    """pySHACL with SHACL-SPARQL and SHACL-AF on; warnings do not break conformance."""
    conforms, results, _ = pyshacl.validate(
        data, shacl_graph=shapes, inference=inference, advanced=True, allow_warnings=True
    )
    assert isinstance(results, Graph)
    return bool(conforms), results


def run_fast(loaded: Loaded) -> tuple[bool, Graph, tuple[tuple[str, int], ...]]:
    """Each root shape on the engine `plan` gives it; the results merged into one report."""
    assert loaded.store is not None
    shapes = loaded.shapes
    chosen = plan(shapes)
    parts: list[Graph] = []
    # pyshacl-turbo and Oxigraph both release the GIL: the Core shapes run in a thread while the
    # SPARQL constraints run here (100k triples: 36 s instead of 47 s on a busy 2-core machine)
    with ThreadPoolExecutor(max_workers=1) as pool:
        core = pool.submit(turbo, loaded, closure(shapes, chosen.core)) if chosen.core else None
        if chosen.sparql:
            found = Graph()
            handed_back = sparql_rules.check(loaded.store, shapes, chosen.sparql, found)
            chosen.sparql = [s for s in chosen.sparql if s not in handed_back]
            chosen.pyshacl += handed_back
            parts.append(found)
        if core is not None:
            parts.append(core.result())
    if chosen.pyshacl:
        logger.info(
            "pySHACL checks %d shapes the fast engine cannot: %s",
            len(chosen.pyshacl),
            ", ".join(str(s) for s in chosen.pyshacl[:5]),
        )
        parts.append(run_pyshacl(loaded.rdflib_graph(), restricted(shapes, chosen.pyshacl))[1])
    conforms, results = merged(parts)
    return conforms, results, chosen.counts()


def merged(parts: list[Graph]) -> tuple[bool, Graph]:
    """One sh:ValidationReport over the results of every part (each may have its own report)."""
    report, results = BNode(), Graph()
    top: list[Node] = []
    for part in parts:
        reports = set(part.subjects(RDF.type, SH.ValidationReport))
        for triple in part:
            if triple[0] not in reports:
                results.add(triple)
        if reports:
            top += [r for each in reports for r in part.objects(each, SH.result)]
        else:
            top += part.subjects(RDF.type, SH.ValidationResult)
    violations = any((r, SH.resultSeverity, SH.Violation) in results for r in top)
    results.add((report, RDF.type, SH.ValidationReport))
    results.add((report, SH.conforms, Literal(not violations)))
    for result in top:
        results.add((report, SH.result, result))
    return not violations, results


def turbo(loaded: Loaded, shapes: Graph) -> Graph:
    """pyshacl-turbo's results on the N-Triples text, blank node labels kept (as it reads a
    store's dump)."""
    data = Input(loaded.text, "oxigraph-nquads", None, {}, preserve_ids=True)
    _, results, _ = pyshacl_turbo.validate(
        data, shacl_graph=shapes, advanced=True, allow_warnings=True
    )
    assert isinstance(results, Graph)
    return results


def graph_labels(data: Graph) -> Callable[[Node | None], str]:
    """A label_of that reads an rdflib Graph."""
    return lambda node: best_label(list(data.objects(node, RDFS.label)))


def store_labels(loaded: Loaded) -> Callable[[Node | None], str]:
    """A label_of that reads the store."""
    label = ox.NamedNode(str(RDFS.label))

    def label_of(node: Node | None) -> str:
        if node is None or loaded.store is None:
            return ""
        try:
            subject = to_oxigraph(node)
        except TypeError:
            return ""
        if isinstance(subject, ox.Literal):
            return ""
        return best_label(
            [to_rdflib(q.object) for q in loaded.store.quads_for_pattern(subject, label, None)]
        )

    return label_of
