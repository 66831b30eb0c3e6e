"""Reading what is validated: the data graph and the shapes graph, from files or a dataset.

pySHACL validates an rdflib Graph. The fast engine reads the files with Oxigraph's parser into one
N-Triples text, which pyshacl-turbo validates and an Oxigraph store (for the SPARQL constraints)
loads: a million triples in seconds, in a fraction of rdflib's memory. The text, not the store,
is what pyshacl-turbo and pySHACL see, because the store keeps numbers and dates by value
("3.0"^^xsd:decimal comes back as "3"), and sh:pattern or a reported sh:value needs the literal
as written. The shapes are always an rdflib Graph: they are small, and every engine reads them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef

from cybercrime_kg.dataset import Part, parse_turtle, project_parts, turtle_files
from cybercrime_kg.errors import DataError
from cybercrime_kg.namespaces import SHAPES_GRAPH


@dataclass
class Loaded:
    """The data (an rdflib Graph, or an Oxigraph store for the fast engine) and the shapes."""

    shapes: Graph
    graph: Graph | None = None
    store: ox.Store | None = None
    text: str = ""  # the data as N-Triples, beside the store

    @property
    def size(self) -> int:
        """Triples in the data graph."""
        return len(self.graph) if self.graph is not None else len(self.store or ())

    def rdflib_graph(self) -> Graph:
        """The data as an rdflib Graph (parsed from the text when the data is a store)."""
        if self.graph is None:
            self.graph = Graph().parse(data=self.text, format="nt")
        return self.graph


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


def ntriples_of(path: Path) -> bytes:
    """One Turtle file as N-Triples, its blank nodes renamed apart from other files' ones."""
    try:
        triples = ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, rename_blank_nodes=True)
        return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    except SyntaxError as exc:
        parse_file(path, Graph())  # rdflib's message names line and column the same way
        raise DataError(f"{path}: Turtle syntax error: {exc}") from exc
    except OSError as exc:
        raise DataError(f"{path}: {exc.strerror or exc}") from exc


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


def load_parts(parts: Iterable[Part] | None = None, engine: str = "pyshacl") -> Loaded:
    """Read the parts' files the way `engine` validates them."""
    parts = tuple(parts if parts is not None else project_parts())
    if engine == "pyshacl":
        data, shapes = graphs_from_parts(parts)
        return Loaded(shapes, graph=data)
    shapes, chunks = Graph(), []
    for part in parts:
        for path in part.files:
            if part.graph == SHAPES_GRAPH:
                parse_file(path, shapes)
            else:
                chunks.append(ntriples_of(path))
    ntriples = b"".join(chunks)
    chunks.clear()  # a million triples are ~170 MB of N-Triples: hold them once, not twice
    return loaded_text(shapes, ntriples)


def loaded_text(shapes: Graph, ntriples: bytes) -> Loaded:
    """The fast engine's input: the N-Triples text and a store loaded from it."""
    store = ox.Store()
    store.bulk_load(ntriples, format=ox.RdfFormat.N_TRIPLES)
    return Loaded(shapes, store=store, text=ntriples.decode("utf-8"))


def loaded_graph(data: Graph, shapes: Graph) -> Loaded:
    """The fast engine's input for an rdflib Graph."""
    loaded = loaded_text(shapes, data.serialize(format="nt", encoding="utf-8"))
    loaded.graph = data
    return loaded


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
