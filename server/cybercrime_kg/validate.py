"""`cybercrime-kg validate`: check ontology and data against the SHACL shapes; the serving gate.

The data graph is ontology + data + public record, validated without inference. SHACL's sh:class
and sh:targetClass already follow rdfs:subClassOf in the data graph, which holds the ontology, so
subclass instances are recognised. RDFS inference would do harm here: range entailment types any
IRI used as an object, so a dangling or mistyped reference would pass sh:class, and sub-property
entailment (ieg:accordingTo below prov:wasDerivedFrom) would put documents where passages belong.
pySHACL validates in memory; no file is ever written.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, NamespaceManager
from rdflib.term import Node

from . import gate
from .dataset import Part, parse_turtle, project_parts, turtle_files
from .errors import DataError, NotConforming
from .namespaces import PREFIXES, SHAPES_GRAPH

logger = logging.getLogger(__name__)

SHAPES_NS = "https://w3id.org/cybercrime-kg/shapes#"
INFERENCE_CHOICES = ("none", "rdfs")
FORMATS = ("text", "turtle", "json")
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


# --- Rendering -------------------------------------------------------------------------------


def render_text(report: Report) -> str:
    if report.conforms:
        return f"Conforms: the data satisfies every shape ({report.seconds:.1f} s).\n"
    blocks = []
    for v in report.violations:
        lines = [f"{v.focus}" + (f'  "{v.label}"' if v.label else "")]
        lines += [f"  {k}: {x}" for k, x in (("path", v.path), ("value", v.value)) if x]
        lines += [f"  message: {v.message}", f"  shape: {v.shape} ({v.component})"]
        blocks.append("\n".join(lines))
    focus_count = len({v.focus for v in report.violations})
    head = f"Does not conform: {len(report.violations)} violations on {focus_count} nodes."
    return "\n\n".join([head, *blocks]) + "\n"


def render_json(report: Report) -> str:
    document = {"conforms": report.conforms, "violations": [asdict(v) for v in report.violations]}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def render_turtle(report: Report) -> str:
    return report.results.serialize(format="turtle")


RENDERERS = {"text": render_text, "turtle": render_turtle, "json": render_json}


# --- Command ---------------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATHS",
        help="data files or folders to check with the project's ontology (default: its data)",
    )
    parser.add_argument(
        "--shapes",
        action="append",
        type=Path,
        default=[],
        help="shapes file or folder instead of the project's",
    )
    parser.add_argument(
        "--format", choices=FORMATS, default="text", help="report format (default: text)"
    )
    parser.add_argument(
        "--inference",
        choices=INFERENCE_CHOICES,
        default="none",
        help="pySHACL inference on a copy of the data (default: none, see the module docstring)",
    )


def run(args: argparse.Namespace) -> int:
    """0 when the data conforms, 1 when it does not, 2 when a file cannot be read."""
    try:
        parts = command_parts(args.paths, args.shapes)
        report = validate_parts(parts, args.inference)
    except DataError as exc:
        sys.stderr.write(f"cybercrime-kg validate: {exc}\n")
        return 2
    sys.stdout.write(RENDERERS[args.format](report))
    if report.conforms and not args.paths and not args.shapes and args.inference == "none":
        gate.remember(parts)  # exactly the serving gate's check, so `serve` need not repeat it
    return 0 if report.conforms else 1
