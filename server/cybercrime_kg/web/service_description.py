"""The SPARQL 1.1 Service Description of /sparql, with a VoID description of the dataset.

Served at GET /sparql (no query) and /.well-known/void; the dumps it points to are /dump.nq,
/dump.trig and /dump.jsonld (named graphs kept), /dump.ttl and /dump.nt (their union).
Statistics are computed once per process from the engine's quads.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from flask import Blueprint, Response, request
from rdflib import RDF, BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, XSD

from cybercrime_kg.formats import Format, graph_format
from cybercrime_kg.namespaces import IEG, PREFIXES
from cybercrime_kg.sparql.engines.base import CONSTRUCT, rdflib_quietly
from cybercrime_kg.sparql.results import formats_for, write_graph
from cybercrime_kg.sparql.service import MemoKey, QueryService
from cybercrime_kg.web.http import conditional, query_service
from cybercrime_kg.web.negotiation import choose

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
RESULT_FORMAT_IRIS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "RDF_XML",
    "N-Quads",
    "TriG",
)
EXAMPLES = 3
DUMPS = {
    "dump.nq": "nquads",
    "dump.trig": "trig",
    "dump.jsonld": "jsonld",
    "dump.ttl": "turtle",
    "dump.nt": "ntriples",
}

bp = Blueprint("description", __name__)


@dataclass(frozen=True)
class Statistics:
    """The VoID figures of the dataset."""

    triples: int
    graph_triples: dict[str, int]
    classes: dict[str, int]  # class -> distinct instances
    properties: dict[str, int]  # property -> triples
    subjects: int
    objects: int
    examples: tuple[str, ...]


STATISTICS: MemoKey[Statistics] = MemoKey("void-statistics")


def statistics() -> Statistics:
    """Count once per process, from the engine's own quads (so both engines agree)."""
    service = query_service()
    return service.memos.get(STATISTICS, lambda: _count(service))


def _count(service: QueryService) -> Statistics:
    union = set()
    per_graph: Counter[str] = Counter()
    for s, p, o, graph in service.engine.quads():
        per_graph[str(graph)] += 1
        union.add((s, p, o))
    instances: defaultdict[str, set] = defaultdict(set)
    properties: Counter[str] = Counter()
    for s, p, o in union:
        properties[str(p)] += 1
        if p == RDF.type:
            instances[str(o)].add(s)
    ours = service.base + "id/"
    typed = sorted({str(s) for s, p, _ in union if p == RDF.type and str(s).startswith(ours)})
    return Statistics(
        triples=len(union),
        graph_triples={g: per_graph[g] for g in service.graphs},
        classes={c: len(members) for c, members in sorted(instances.items())},
        properties=dict(sorted(properties.items())),
        subjects=len({s for s, _, _ in union}),
        objects=len({o for _, _, o in union}),
        examples=tuple(typed[:EXAMPLES]),
    )


def description(root: str) -> Graph:
    """The service description and VoID graph, with IRIs under this server's `root` URL."""
    service = query_service()
    stats = statistics()
    graph = Graph()
    for prefix, namespace in (("sd", SD), ("void", VOID), ("formats", FORMATS)):
        graph.bind(prefix, namespace)
    endpoint = URIRef(root + "sparql")
    dataset = URIRef(root + ".well-known/void#dataset")
    add = graph.add
    add((endpoint, RDF.type, SD.Service))
    add((endpoint, SD.endpoint, endpoint))
    add((endpoint, SD.supportedLanguage, SD.SPARQL11Query))
    add((endpoint, SD.feature, SD.UnionDefaultGraph))
    if service.allowlist:
        add((endpoint, SD.feature, SD.BasicFederatedQuery))
    add((endpoint, SD.defaultEntailmentRegime, URIRef("http://www.w3.org/ns/entailment/Simple")))
    for name in RESULT_FORMAT_IRIS:
        add((endpoint, SD.resultFormat, FORMATS[name]))
    add((endpoint, SD.defaultDataset, dataset))

    add((dataset, RDF.type, SD.Dataset))
    add((dataset, RDF.type, VOID.Dataset))
    add(
        (
            dataset,
            DCTERMS.title,
            Literal("UN Expert Group on Cybercrime knowledge graph", lang="en"),
        )
    )
    add((dataset, VOID.sparqlEndpoint, endpoint))
    add((dataset, VOID.uriSpace, Literal(service.base + "id/")))
    add((dataset, VOID.vocabulary, URIRef(str(IEG))))
    for dump in DUMPS:
        add((dataset, VOID.dataDump, URIRef(root + dump)))
    _figures(graph, dataset, stats.triples)
    add((dataset, VOID.classes, Literal(len(stats.classes))))
    add((dataset, VOID.properties, Literal(len(stats.properties))))
    add((dataset, VOID.distinctSubjects, Literal(stats.subjects)))
    add((dataset, VOID.distinctObjects, Literal(stats.objects)))
    for example in stats.examples:
        add((dataset, VOID.exampleResource, URIRef(example)))
    for cls, count in stats.classes.items():
        partition = BNode()
        add((dataset, VOID.classPartition, partition))
        add((partition, VOID["class"], URIRef(cls)))
        add((partition, VOID.entities, Literal(count)))
    for prop, count in stats.properties.items():
        partition = BNode()
        add((dataset, VOID.propertyPartition, partition))
        add((partition, VOID.property, URIRef(prop)))
        add((partition, VOID.triples, Literal(count)))

    default = BNode()
    add((dataset, SD.defaultGraph, default))
    add((default, RDF.type, SD.Graph))
    add((default, DCTERMS.description, Literal("the union of the named graphs", lang="en")))
    _figures(graph, default, stats.triples)
    for name, count in stats.graph_triples.items():
        named, described = BNode(), BNode()
        add((dataset, SD.namedGraph, named))
        add((named, RDF.type, SD.NamedGraph))
        add((named, SD.name, URIRef(name)))
        add((named, SD.graph, described))
        add((described, RDF.type, SD.Graph))
        add((dataset, VOID.subset, described))
        add((described, RDF.type, VOID.Dataset))
        _figures(graph, described, count)
    return graph


def _figures(graph: Graph, node: URIRef | BNode, triples: int) -> None:
    graph.add((node, VOID.triples, Literal(triples, datatype=XSD.integer)))


def _respond(render: str, formats: Sequence[Format], overrides: Sequence[str]) -> Response:
    """One description, negotiated, with an ETag tied to the data version.

    The description names this server's URL, which comes from the client's Host header, so its
    bodies are kept in the byte-capped answer cache, never in a store that clients could grow.
    """
    service = query_service()
    fmt = choose(formats, request.headers.get("Accept"), overrides)
    root = request.url_root if render == "description" else ""
    key = f"{render}:{root}:{fmt.name}"
    return conditional(
        f'"{service.version}-{render}-{fmt.name}"',
        {"Vary": "Accept"},
        fmt.content_type,
        lambda: (service.kept(key, lambda: _render(render, fmt, root).encode("utf-8")), ""),
    )


def _render(what: str, fmt: Format, root: str) -> str:
    if what == "description":
        return write_graph(description(root), fmt)
    quads = query_service().engine.quads()
    if fmt.name in ("turtle", "ntriples"):  # triple formats: the union of the named graphs
        union = Graph()
        for s, p, o, _ in quads:
            union.add((s, p, o))
        return write_graph(union, fmt)
    with rdflib_quietly():
        dataset = Dataset()
        for prefix, namespace in PREFIXES.items():
            dataset.bind(prefix, namespace)
        for s, p, o, g in quads:
            dataset.add((s, p, o, dataset.graph(g)))
        if fmt.name == "jsonld":  # compact, with the prefixes as @context (as /id/ documents)
            return dataset.serialize(format="json-ld", context=dict(PREFIXES), auto_compact=True)
        return dataset.serialize(format=fmt.name)


def describe_service(overrides: Sequence[str]) -> Response:
    """GET /sparql without a query: the service description."""
    return _respond("description", formats_for(CONSTRUCT), overrides)


@bp.route("/.well-known/void")
def void() -> Response:
    return _respond("description", formats_for(CONSTRUCT), request.args.getlist("format"))


@bp.route("/dump.nq")
@bp.route("/dump.trig")
@bp.route("/dump.jsonld")
@bp.route("/dump.ttl")
@bp.route("/dump.nt")
def dump() -> Response:
    name = DUMPS[request.path.lstrip("/")]
    fmt = graph_format(name)
    return _respond("dump", (fmt,), (fmt.name,))  # a dump has one format, whatever Accept says
