"""SHACL validation of the ontology and data, and the serving gate that relies on it.

The data graph is ontology + data + public record, validated without inference. SHACL's sh:class
and sh:targetClass already follow rdfs:subClassOf in the data graph, which holds the ontology, so
subclass instances are recognised. RDFS inference would do harm here: range entailment types any
IRI used as an object, so a dangling or mistyped reference would pass sh:class, and sub-property
entailment (ieg:accordingTo below prov:wasDerivedFrom) would put documents where passages belong.
pySHACL validates in memory; no file is ever written.

The serving gate: data that does not conform to the shapes is not served unless allowed.
Validating the whole graph with pySHACL takes seconds (87 s at 100k triples), so a success is
remembered per data version (a hash of every file's content): a server restarted on unchanged
data starts at once, and so does the first one when `cybercrime-kg validate` has passed the same
data before (a deployment can validate once, ahead of serving).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, NamespaceManager
from rdflib.term import Node

from cybercrime_kg.dataset import Part, parse_turtle, project_parts, turtle_files, version_of
from cybercrime_kg.errors import DataError, NotConforming
from cybercrime_kg.namespaces import PREFIXES, SHAPES_GRAPH

logger = logging.getLogger(__name__)

SHAPES_NS = "https://w3id.org/cybercrime-kg/shapes#"
INFERENCE_CHOICES = ("none", "rdfs")
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


@dataclass(frozen=True)
class Report:
    """The outcome of one validation: conformance, the results, and the raw results graph."""

    conforms: bool
    violations: tuple[Violation, ...]
    results: Graph
    seconds: float

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


# --- Loading ---------------------------------------------------------------------------------


def parse_file(path: Path, into: Graph) -> None:
    """Parse one Turtle file; a syntax error names the file, line and column."""
    try:
        parse_turtle(path, into)
    except DataError as exc:
        text, index = getattr(exc.__cause__, "_str", None), getattr(exc.__cause__, "_i", None)
        if not isinstance(text, bytes | str) or not isinstance(index, int):
            raise
        # rdflib keeps the input as bytes and the error position as a byte offset
        before = (
            text[:index].decode("utf-8", "replace") if isinstance(text, bytes) else text[:index]
        )
        line = before.count("\n") + 1
        column = len(before) - before.rfind("\n")
        why = getattr(exc.__cause__, "_why", "") or "bad syntax"
        raise DataError(f"{path}:{line}:{column}: Turtle syntax error: {why}") from exc.__cause__


def files_of(paths: Iterable[Path]) -> list[Path]:
    """The Turtle files named, a folder standing for every .ttl file below it."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += turtle_files(path)
        elif path.exists():
            files.append(path)
        else:
            raise DataError(f"{path}: no such file")
    return files


def graphs_from_parts(parts: Iterable[Part]) -> tuple[Graph, Graph]:
    """The data graph (every part but the shapes) and the shapes graph, parsed from files."""
    data, shapes = Graph(), Graph()
    for part in parts:
        for path in part.files:
            parse_file(path, shapes if part.graph == SHAPES_GRAPH else data)
    return data, shapes


def graphs_from_dataset(dataset: Dataset) -> tuple[Graph, Graph]:
    """The data graph (every named graph but the shapes) and the shapes graph of a dataset."""
    data, shapes = Graph(), Graph()
    for graph in dataset.graphs():
        target = shapes if graph.identifier == SHAPES_GRAPH else data
        for triple in graph:
            target.add(triple)
    return data, shapes


def command_parts(paths: Sequence[Path], shapes: Sequence[Path]) -> list[Part]:
    """The project's own parts, with the data (and the shapes) replaced by those named."""
    parts = list(project_parts())
    if paths:
        data = tuple(files_of(paths))
        parts = [p for p in parts if p.graph == parts[0].graph or p.graph == SHAPES_GRAPH]
        parts.append(Part(URIRef("urn:x-cybercrime-kg:command-line"), data))
    if shapes:
        parts = [p for p in parts if p.graph != SHAPES_GRAPH]
        parts.append(Part(SHAPES_GRAPH, tuple(files_of(shapes))))
    return parts


# --- Validation ------------------------------------------------------------------------------


def bind_prefixes(graph: Graph) -> Graph:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    graph.bind("shape", SHAPES_NS)
    return graph


def validate_graphs(data: Graph, shapes: Graph, inference: str = "none") -> Report:
    """Validate `data` against `shapes` with pySHACL (SHACL-SPARQL and SHACL-AF on)."""
    started = time.perf_counter()
    conforms, results, _ = shacl_validate(
        data,
        shacl_graph=shapes,
        inference=inference,
        advanced=True,
        allow_warnings=True,
    )
    seconds = time.perf_counter() - started
    assert isinstance(results, Graph)
    bind_prefixes(results)
    names = bind_prefixes(Graph()).namespace_manager
    violations = sorted(
        (
            violation(results, data, result, names)
            for result in results.subjects(RDF.type, SH.ValidationResult)
        ),
        key=lambda v: (v.focus, v.path, v.shape, v.value),
    )
    logger.debug("validated %d triples in %.2f s", len(data), seconds)
    return Report(bool(conforms), tuple(violations), results, seconds)


def violation(results: Graph, data: Graph, result: Node, names: NamespaceManager) -> Violation:
    def term(predicate: URIRef) -> str:
        value = results.value(result, predicate)
        return "" if value is None else value.n3(names)

    focus = results.value(result, SH.focusNode)
    return Violation(
        focus=term(SH.focusNode),
        label=label_of(data, focus),
        path=term(SH.resultPath),
        value=term(SH.value),
        message=str(results.value(result, SH.resultMessage) or ""),
        shape=term(SH.sourceShape),
        component=term(SH.sourceConstraintComponent),
        severity=term(SH.resultSeverity),
    )


def label_of(data: Graph, node: Node | None) -> str:
    """The node's English label, else any label, else ''."""
    labels = [o for o in data.objects(node, RDFS.label) if isinstance(o, Literal)]
    english = [o for o in labels if o.language == "en"]
    return str((english or labels)[0]) if labels else ""


def validate_parts(parts: Iterable[Part] | None = None, inference: str = "none") -> Report:
    """Validate the project's files (or the given parts): ontology, data and public record."""
    data, shapes = graphs_from_parts(parts if parts is not None else project_parts())
    return validate_graphs(data, shapes, inference)


def require_conformance(
    source: Dataset | Iterable[Part] | None = None, allow_invalid: bool = False
) -> Report:
    """The serving gate: raise NotConforming unless the data conforms or `allow_invalid` is set."""
    if isinstance(source, Dataset):
        report = validate_graphs(*graphs_from_dataset(source))
    else:
        report = validate_parts(source)
    if not report.conforms:
        if not allow_invalid:
            raise NotConforming(report.summary())
        logger.warning(
            "serving data that does not conform (allowed explicitly):\n%s", report.summary()
        )
    return report


# --- The serving gate ------------------------------------------------------------------------


def cache_dir() -> Path:
    """Where successful validations are remembered ($XDG_CACHE_HOME or ~/.cache)."""
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "cybercrime-kg" / "conforms"


def remember(parts: Sequence[Part]) -> None:
    """Note that this data version conforms, so that serving it need not validate it again."""
    marker = cache_dir() / version_of(parts)
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text("conforms\n", encoding="utf-8")
    except OSError as exc:  # a read-only home only costs the next start-up a validation
        logger.warning("cannot remember the validation in %s: %s", marker, exc)


def serving_gate(parts: Sequence[Part], allow_invalid: bool = False) -> None:
    """Raise NotConforming unless the data conforms (or `allow_invalid`, which logs a warning)."""
    marker = cache_dir() / version_of(parts)
    if marker.exists():
        logger.info("data version %s was validated before: conforms", marker.name)
        return
    report = require_conformance(parts, allow_invalid=allow_invalid)
    if report.conforms:
        remember(parts)
        logger.info("data conforms to the shapes (%.1f s)", report.seconds)
