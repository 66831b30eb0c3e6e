"""Synthetic graphs of the project's ontology at a chosen size, deterministic from a seed.

    python scripts/gen_synthetic.py --size 100k --seed 7 --out bench/.data/synthetic-100k

The output is a copy of the project layout (ontology, shapes and queries as they are) whose
data and public-record graphs hold the real ones plus N synthetic copies of them, so serve,
query, load and validate all work on it with CYBERCRIME_KG_HOME=<out>. Copy k renames every
instance under id/ (meeting/4 -> meeting/4-s<k>: more meetings, states, stances, documents,
passages, bodies ...) except the shared vocabularies (topics, positions, statuses ...), suffixes
its rdfs:labels with [s<k>], gives its blank nodes their own names, and moves all its dates and
years by the same whole number of leap cycles (4 to 60 years, drawn from the seed), so each copy
meets every shape the real data meets, and the uniqueness rules between nodes too.
The data is written as N-Triples (which is Turtle) in data/synthetic.ttl and
data/public-record/synthetic.ttl.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import RDFS, XSD
from rdflib.term import Node

from cybercrime_kg.dataset import load_dataset, project_parts
from cybercrime_kg.namespaces import DATA_GRAPH, ID, IEG, PUBLIC_RECORD_GRAPH
from cybercrime_kg.paths import Layout, project_layout

# kinds of instance every copy shares: vocabularies and places, not facts of the process
SHARED_KINDS = frozenset(
    {
        "topic",
        "position",
        "offence",
        "scheme",
        "language",
        "status",
        "argument-kind",
        "procedure",
        "place",
    }
)
DATED = frozenset({XSD.date, XSD.dateTime, XSD.gYear, XSD.gYearMonth})
YEAR_PROPERTIES = frozenset({IEG.year})
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}
_LEADING_YEAR = re.compile(r"^(-?)(\d{4})")


def parse_size(text: str) -> int:
    """10k, 100k, 1M, or a plain number of triples."""
    return SIZES.get(text) or int(text.replace("_", ""))


def copy_count(target: int, fixed: int, first: int, per_copy: int) -> int:
    """Synthetic copies that bring the whole graph nearest to `target` triples (at least 0)."""
    return max(0, round((target - fixed - first) / per_copy))


def renamer(k: int, shift: int) -> Callable[[Node, Node], Node]:
    """The term map of copy k: (predicate, term) -> term."""
    suffix = f"-s{k}"

    def term(predicate: Node, node: Node) -> Node:
        if isinstance(node, URIRef):
            if node.startswith(ID):
                kind = node[len(ID) :].split("/", 1)[0]
                if kind not in SHARED_KINDS:
                    return URIRef(node + suffix)
            return node
        if isinstance(node, BNode):
            return BNode(f"{node}s{k}")
        if isinstance(node, Literal):
            if predicate == RDFS.label:
                return Literal(f"{node} [s{k}]", lang=node.language, datatype=node.datatype)
            if node.datatype in DATED:
                lexical = _LEADING_YEAR.sub(
                    lambda m: f"{m.group(1)}{int(m.group(2)) + shift:04d}", str(node), count=1
                )
                return Literal(lexical, datatype=node.datatype, normalize=False)
            if predicate in YEAR_PROPERTIES:
                return Literal(int(node) + shift)
        return node

    return term


def copies(graph: Graph, count: int, seed: int) -> Iterator[Graph]:
    """Copy 0 (the graph itself), then `count` synthetic copies, each from its own draw.

    A copy holds the renamed subjects' triples only, so copies are the same size as each other
    but a little smaller than copy 0."""
    yield graph
    # a sourced statement of a year holds the year as its value: it moves with the triple's
    years = {
        st for st, prop in graph.subject_objects(IEG.statementProperty) if prop in YEAR_PROPERTIES
    }
    draw = random.Random(seed)
    for k in range(1, count + 1):
        term = renamer(k, 4 * draw.randint(1, 15))
        copy = Graph()
        for s, p, o in graph:
            subject = term(p, s)
            if subject != s:  # facts about shared vocabularies and places are stated once
                as_if = IEG.year if p == IEG.statementValue and s in years else p
                copy.add((subject, p, term(as_if, o)))
        yield copy


def write(graph: Graph, count: int, seed: int, path: Path) -> int:
    """Every copy as N-Triples into one file; the number of triples written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with path.open("wb") as out:
        for copy in copies(graph, count, seed):
            lines = sorted(copy.serialize(format="nt", encoding="utf-8").splitlines(keepends=True))
            out.writelines(line for line in lines if line.strip())
            written += len(copy)
    return written


def generate(target: int, seed: int, out: Path, source: Layout | None = None) -> dict[str, int]:
    """Write a synthetic layout of about `target` triples; triples per graph."""
    source = source or project_layout()
    parts = project_parts(source)
    dataset = load_dataset(parts)
    # canonical blank node names, so the same seed writes the same bytes in any process
    graphs = {
        name: Graph() + to_canonical_graph(dataset.graph(name))
        for name in (DATA_GRAPH, PUBLIC_RECORD_GRAPH)
    }
    fixed = sum(len(dataset.graph(p.graph)) for p in parts if p.graph not in graphs)
    per_copy = sum(len(next(islice(copies(g, 1, seed), 1, None))) for g in graphs.values())
    count = copy_count(target, fixed, sum(len(g) for g in graphs.values()), per_copy)
    if out.exists():
        shutil.rmtree(out)
    for folder in ("ontology", "shapes", "queries"):
        shutil.copytree(getattr(source, folder), out / folder)
    layout = Layout(out)
    # the same seed for both graphs: copy k moves its dates alike in both
    return {
        "ontology+shapes": fixed,
        "data": write(graphs[DATA_GRAPH], count, seed, layout.data / "synthetic.ttl"),
        "public-record": write(
            graphs[PUBLIC_RECORD_GRAPH], count, seed, layout.public_record / "synthetic.ttl"
        ),
        "copies": count,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="10k", help="10k, 100k, 1M or a number of triples")
    parser.add_argument("--seed", type=int, default=7, help="seed of the date shifts (7)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write (replaced)")
    args = parser.parse_args(argv)
    figures = generate(parse_size(args.size), args.seed, args.out)
    total = figures["ontology+shapes"] + figures["data"] + figures["public-record"]
    print(f"{args.out}: {figures['copies']} synthetic copies, {total:,} triples ({figures})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
