"""A resource's description as compact JSON-LD: the ontology's prefixes, the resource first.

The document is `{"@context": {prefix: namespace ...}, "@graph": [resource, other nodes ...]}`.
An object holding nothing but `@context` and `@graph` is the default graph (JSON-LD 1.1, 4.9),
so rdflib, pyld and the JSON-LD playground read exactly the triples of the Turtle. The other
framing, the resource as the top object with the rest in its `@graph`, would make those nodes a
named graph called by the resource's IRI: a reader would get different triples, or quads.
Nodes stay flat (no embedding): incoming links and shared neighbours cannot nest under the
resource without `@reverse`, which generic clients read less reliably than a flat list.
"""

from __future__ import annotations

import json
from typing import Any

from rdflib import Graph

from cybercrime_kg.dataset import rebase_iri
from cybercrime_kg.namespaces import PREFIXES
from cybercrime_kg.sparql.engines.base import rdflib_quietly


def context(base: str) -> dict[str, str]:
    """The ontology's prefixes, those of the project moved to the configured base."""
    return {prefix: rebase_iri(namespace, base) for prefix, namespace in PREFIXES.items()}


def _expand(value: str, prefixes: dict[str, str]) -> str:
    prefix, colon, rest = value.partition(":")
    if colon and prefix in prefixes and not rest.startswith("//"):
        return prefixes[prefix] + rest
    return value


def _canonical(value: Any) -> Any:
    """Values of one property in a fixed order (JSON-LD arrays without @list are sets)."""
    if isinstance(value, list):
        items = [_canonical(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    if isinstance(value, dict):  # an @list keeps its order: it is an rdf:List
        return {k: v if k == "@list" else _canonical(v) for k, v in value.items()}
    return value


def compact_description(graph: Graph, iri: str, base: str) -> bytes:
    """The description of `iri` as compact JSON-LD, its node first, the others by @id."""
    prefixes = context(base)
    with rdflib_quietly():
        written = graph.serialize(format="json-ld", context=prefixes, auto_compact=True)
    document = json.loads(written)
    nodes = document.get("@graph")
    if nodes is None:  # rdflib writes one node without @graph
        nodes = (
            [{k: v for k, v in document.items() if k != "@context"}] if len(document) > 1 else []
        )
    nodes = [_canonical(node) for node in nodes]
    nodes.sort(
        key=lambda node: (_expand(node.get("@id", ""), prefixes) != iri, node.get("@id", ""))
    )
    framed = {"@context": prefixes, "@graph": nodes}
    return json.dumps(framed, ensure_ascii=False, indent=2).encode("utf-8")
