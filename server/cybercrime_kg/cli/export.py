"""`cybercrime-kg export`: the whole graph, or one named graph, in an RDF format."""

from __future__ import annotations

import argparse
import sys

from rdflib import Dataset, Graph

from cybercrime_kg.dataset import load_dataset
from cybercrime_kg.errors import DataError
from cybercrime_kg.namespaces import GRAPH, PREFIXES

# command-line name -> rdflib serializer
FORMATS = {
    "turtle": "turtle",
    "ntriples": "nt",
    "nquads": "nquads",
    "trig": "trig",
    "jsonld": "json-ld",
    "rdfxml": "xml",
}
QUAD_FORMATS = {"nquads", "trig"}
PARTS = ("all", "ontology", "data", "public-record", "shapes")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", "-f", choices=sorted(FORMATS), default="turtle")
    parser.add_argument(
        "--graph", choices=PARTS, default="all", help="one named graph, or all of them (default)"
    )
    parser.add_argument("--output", "-o", help="file to write (default: standard output)")


def union_graph(dataset: Dataset) -> Graph:
    """Every triple of every named graph, in one graph with the project's prefixes."""
    union = Graph()
    for prefix, namespace in PREFIXES.items():
        union.bind(prefix, namespace)
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def run(args: argparse.Namespace) -> int:
    fmt = FORMATS[args.format]
    if fmt in QUAD_FORMATS and args.graph != "all":
        print("cybercrime-kg export: quad formats always hold all graphs", file=sys.stderr)
        return 2
    try:
        dataset = load_dataset()
    except DataError as exc:
        print(f"cybercrime-kg export: {exc}", file=sys.stderr)
        return 2
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace)
    source: Graph
    if fmt in QUAD_FORMATS:
        source = dataset
    elif args.graph == "all":
        source = union_graph(dataset)
    else:
        source = dataset.graph(GRAPH[args.graph])
    text = source.serialize(format=fmt)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as out:
            out.write(text)
    else:
        sys.stdout.write(text)
    return 0
