"""Ontology quality (STYLE.md, Turtle): labels, definitions, header, prefixes, a tidy hierarchy.

Each test collects every offender and asserts the list is empty, so a failure names them all.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from cybercrime_kg.dataset import turtle_files
from cybercrime_kg.namespaces import (
    DATA_GRAPH,
    DEFAULT_BASE,
    IEG,
    ONTOLOGY_GRAPH,
    ONTOLOGY_IRI,
    VANN,
)
from cybercrime_kg.paths import Layout
from helpers.assertions import assert_none

ONTOLOGY = URIRef(ONTOLOGY_IRI)
TERM_KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
MAX_TOP_CLASSES = 8


@pytest.fixture(scope="session")
def ontology(dataset: Dataset) -> Graph:
    return dataset.graph(ONTOLOGY_GRAPH)


def ours(term: Node) -> bool:
    return isinstance(term, URIRef) and term.startswith(str(IEG))


def terms(graph: Graph, *kinds: URIRef) -> list[URIRef]:
    """Our classes and properties of the given kinds, sorted."""
    return sorted({s for kind in kinds for s in graph.subjects(RDF.type, kind) if ours(s)})


def name(term: Node) -> str:
    return f"ieg:{term[len(IEG) :]}" if ours(term) else str(term)


@pytest.mark.parametrize(
    ("predicate", "language"),
    [(RDFS.label, "en"), (RDFS.label, "zh"), (SKOS.definition, "en")],
    ids=["label@en", "label@zh", "definition@en"],
)
def test_one_text_per_language(ontology: Graph, predicate: URIRef, language: str):
    offenders = []
    for term in terms(ontology, *TERM_KINDS):
        texts = [
            o
            for o in ontology.objects(term, predicate)
            if isinstance(o, Literal) and o.language == language
        ]
        if len(texts) != 1:
            offenders.append(f"{name(term)}: {len(texts)} {ontology.qname(predicate)}@{language}")
    assert_none(offenders, f"terms without exactly one {predicate}@{language}")


def test_defined_by_the_ontology(ontology: Graph):
    ours_all = terms(ontology, *TERM_KINDS)
    assert ours_all, f"no class or property in {IEG}"
    offenders = [
        name(term)
        for term in ours_all
        if set(ontology.objects(term, RDFS.isDefinedBy)) != {ONTOLOGY}
    ]
    assert_none(offenders, f"terms whose rdfs:isDefinedBy is not (only) <{ONTOLOGY}>")


def project_version(layout: Layout) -> str:
    with (layout.root / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)["project"]["version"]


def test_ontology_header(ontology: Graph, layout: Layout):
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in ontology
    missing = [
        ontology.qname(p)
        for p in (DCTERMS.title, DCTERMS.description, DCTERMS.license, OWL.versionIRI)
        if ontology.value(ONTOLOGY, p) is None
    ]
    assert_none(missing, "header properties missing")
    version = project_version(layout)
    assert [str(v) for v in ontology.objects(ONTOLOGY, OWL.versionInfo)] == [version]
    assert list(ontology.objects(ONTOLOGY, VANN.preferredNamespacePrefix)) == [Literal("ieg")]
    assert [str(v) for v in ontology.objects(ONTOLOGY, VANN.preferredNamespaceUri)] == [str(IEG)]


@pytest.mark.parametrize("graph_name", [ONTOLOGY_GRAPH, DATA_GRAPH], ids=["ontology", "data"])
def test_labels_have_a_language(dataset: Dataset, graph_name: URIRef):
    graph = dataset.graph(graph_name)
    offenders = sorted(
        f"{name(s)}: {o!r}"
        for s, o in graph.subject_objects(RDFS.label)
        if not (isinstance(o, Literal) and o.language)
    )
    assert_none(offenders, "labels without a language tag")


def own_turtle_files(layout: Layout) -> list[Path]:
    return [
        p for folder in (layout.ontology, layout.data, layout.shapes) for p in turtle_files(folder)
    ]


PREFIX_LINE = re.compile(r"\s*(@prefix|prefix)\s", re.IGNORECASE)
OUR_IRI = re.compile(rf"<{re.escape(DEFAULT_BASE)}[^>]*>")


def test_no_hand_typed_iri_of_our_namespace(layout: Layout):
    """Our IRIs are written with a prefix; only the prefix declarations spell them out.

    Generated statement files (data/**/statements/*.ttl) are written by scripts/gen_statements.py,
    not by hand: a statement's IRI is its subject's with a fragment, which no prefix can shorten."""
    lines: dict[str, list[int]] = {}
    for path in own_turtle_files(layout):
        if path.parent.name == "statements":
            continue
        text = path.read_text(encoding="utf-8")
        for number, line in enumerate(text.splitlines(), start=1):
            for iri in [] if PREFIX_LINE.match(line) else OUR_IRI.findall(line):
                lines.setdefault(f"{path.relative_to(layout.root)}: {iri}", []).append(number)
    offenders = [f"{where} on lines {', '.join(map(str, ns))}" for where, ns in lines.items()]
    assert_none(offenders, "hand-typed IRIs of our namespace (write them with a prefix)")


def named_superclasses(graph: Graph, cls: URIRef) -> set[Node]:
    return {o for o in graph.objects(cls, RDFS.subClassOf) if isinstance(o, URIRef)}


def test_tidy_hierarchy(ontology: Graph):
    """All but a handful of top classes sit below another class of ours."""
    top = [
        name(cls)
        for cls in terms(ontology, OWL.Class)
        if not any(ours(s) for s in named_superclasses(ontology, cls))
    ]
    assert len(top) <= MAX_TOP_CLASSES, (
        f"{len(top)} top classes (no superclass of ours), at most {MAX_TOP_CLASSES} allowed:\n"
        + "\n".join(top)
    )


def test_properties_have_a_domain_range_or_parent(ontology: Graph):
    connections = (RDFS.domain, RDFS.range, RDFS.subPropertyOf)
    offenders = [
        name(prop)
        for prop in terms(
            ontology, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty
        )
        if not any(ontology.value(prop, p) is not None for p in connections)
    ]
    assert_none(offenders, "properties with no rdfs:domain, rdfs:range or rdfs:subPropertyOf")


def mentioned(graph: Graph, node: Node) -> Iterator[Node]:
    """`node`, and every IRI inside it if it is a blank node (a union, a restriction ...)."""
    yield node
    if isinstance(node, BNode):
        for _, o in graph.predicate_objects(node):
            yield from mentioned(graph, o)


def test_no_orphan_classes(ontology: Graph):
    """Every class is in a subclass axiom or is (part of) a domain or range."""
    used: set[Node] = set()
    for s, o in ontology.subject_objects(RDFS.subClassOf):
        used |= {s, *mentioned(ontology, o)}
    for predicate in (RDFS.domain, RDFS.range):
        for o in ontology.objects(None, predicate):
            used |= set(mentioned(ontology, o))
    offenders = [name(cls) for cls in terms(ontology, OWL.Class) if cls not in used]
    assert_none(offenders, "classes in no subclass axiom, domain or range")


@pytest.mark.parametrize("language", ["en", "zh"])
def test_no_two_terms_share_a_label(ontology: Graph, language: str):
    """Protégé shows labels: "agenda item" for a class and a property cannot be told apart."""
    holders: dict[str, list[str]] = {}
    for term in terms(ontology, *TERM_KINDS):
        for label in ontology.objects(term, RDFS.label):
            if isinstance(label, Literal) and label.language == language:
                holders.setdefault(str(label).casefold(), []).append(name(term))
    offenders = [
        f"{label!r}: {', '.join(sorted(ns))}" for label, ns in holders.items() if len(ns) > 1
    ]
    assert_none(offenders, f"labels@{language} that more than one term carries")
