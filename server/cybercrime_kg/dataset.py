"""Load the ontology, data, public record and shapes as named graphs of one read-only dataset."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.term import Node

from cybercrime_kg.errors import DataError
from cybercrime_kg.namespaces import (
    DATA_GRAPH,
    DEFAULT_BASE,
    ONTOLOGY_GRAPH,
    PUBLIC_RECORD_GRAPH,
    SHAPES_GRAPH,
)
from cybercrime_kg.paths import Layout, project_layout

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Part:
    """One named graph and the Turtle files it is read from."""

    graph: URIRef
    files: tuple[Path, ...]


def turtle_files(folder: Path, exclude: Path | None = None) -> tuple[Path, ...]:
    """Every .ttl file below `folder` (but not below `exclude`), in a stable order."""
    return tuple(
        sorted(p for p in folder.rglob("*.ttl") if exclude is None or exclude not in p.parents)
    )


def project_parts(layout: Layout | None = None) -> tuple[Part, ...]:
    """The project's own named graphs: ontology, data, public-record enrichment, shapes."""
    layout = layout or project_layout()
    return (
        Part(ONTOLOGY_GRAPH, turtle_files(layout.ontology)),
        Part(DATA_GRAPH, turtle_files(layout.data, exclude=layout.public_record)),
        Part(PUBLIC_RECORD_GRAPH, turtle_files(layout.public_record)),
        Part(SHAPES_GRAPH, turtle_files(layout.shapes)),
    )


@contextmanager
def reading(path: Path) -> Iterator[None]:
    """A Turtle file that is missing, or is a folder, as a DataError naming it (any parser)."""
    try:
        yield
    except FileNotFoundError as exc:
        raise DataError(f"{path}: no such file") from exc
    except IsADirectoryError as exc:
        raise DataError(f"{path}: is a directory, not a Turtle file") from exc


def parse_turtle(path: Path, into: Graph | None = None) -> Graph:
    """Parse one Turtle file, turning a syntax error into a DataError naming the file."""
    graph = into if into is not None else Graph()
    with reading(path):
        try:
            graph.parse(path, format="turtle")
        except (FileNotFoundError, IsADirectoryError):
            raise  # reading() names them
        except UnicodeDecodeError as exc:
            raise DataError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})") from exc
        except Exception as exc:  # rdflib raises a BadSyntax (and others) with a position
            raise DataError(f"{path}: {syntax_message(exc)}") from exc
    return graph


def syntax_message(exc: Exception) -> str:
    """A one-line account of an rdflib parse error, with line number where it has one."""
    lines = getattr(exc, "lines", None)
    message = getattr(exc, "_why", None) or str(exc).strip().splitlines()[-1]
    if lines is not None:
        return f"line {lines + 1}: Turtle syntax error: {message}"
    return f"Turtle syntax error: {message}"


def rebase_iri(iri: str, base: str) -> str:
    """An IRI under the default base moved to the configured base; any other IRI as it is."""
    if base != DEFAULT_BASE and iri.startswith(DEFAULT_BASE):
        return base + iri[len(DEFAULT_BASE) :]
    return iri


def rebase(term: Node, base: str) -> Node:
    """Move an IRI under the default base to the configured base."""
    if base != DEFAULT_BASE and isinstance(term, URIRef):
        return URIRef(rebase_iri(term, base))
    return term


def _rebased(graph: Graph, base: str) -> Iterator[tuple[Node, Node, Node]]:
    for s, p, o in graph:
        yield rebase(s, base), rebase(p, base), rebase(o, base)


def load_dataset(parts: Iterable[Part] | None = None, base: str = DEFAULT_BASE) -> Dataset:
    """Parse every file into its named graph; the default graph is their union."""
    dataset = Dataset(default_union=True)
    for part in parts if parts is not None else project_parts():
        target = dataset.graph(URIRef(str(rebase(part.graph, base))))
        for path in part.files:
            graph = parse_turtle(path)
            for triple in _rebased(graph, base):
                target.add(triple)
        logger.debug("loaded %d triples into %s", len(target), part.graph)
    return dataset


def version_of(parts: Iterable[Part]) -> str:
    """A content hash of every file: changes exactly when the served data changes."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(str(part.graph).encode())
        for path in part.files:
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
