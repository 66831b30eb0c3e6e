"""The W3C SPARQL 1.1 test suite's manifests: which tests there are, and which apply.

Read with rdflib from the folder scripts/fetch-w3c-tests fills (`suite_dir()`). A test that a
read-only query endpoint over local graphs cannot run carries the reason (`not_applicable`).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse
from urllib.request import url2pathname

from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.collection import Collection

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
DAWGT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-dawg#")

ROOT = Path(__file__).resolve().parents[2]
SUITE_ENV = "CYBERCRIME_KG_W3C_DIR"

EVALUATION, CSV_RESULTS, POSITIVE, NEGATIVE = "evaluation", "csv", "positive", "negative"
_KINDS = {
    MF.QueryEvaluationTest: EVALUATION,
    MF.CSVResultFormatTest: CSV_RESULTS,
    MF.PositiveSyntaxTest11: POSITIVE,
    MF.NegativeSyntaxTest11: NEGATIVE,
}
# Out of scope for a read-only query endpoint over local graphs, by manifest (issue 17).
_UPDATE = "SPARQL Update: the endpoint is read-only and refuses updates (out of scope)"
_MANIFEST_SCOPE = {
    "entailment": "entailment regimes: the endpoint evaluates under simple entailment only",
    "service": "SERVICE: federated queries to other endpoints are out of scope",
    "syntax-fed": "SERVICE: federated queries to other endpoints are out of scope",
    "protocol": "SPARQL Protocol tests are prose for a live server with update, no manifest action",
    "service-description": "service description tests need a live server with update",
    "http-rdf-update": "Graph Store Protocol: the endpoint is read-only",
}
_UPDATE_MANIFESTS = [
    "add",
    "basic-update",
    "clear",
    "copy",
    "delete",
    "delete-data",
    "delete-insert",
    "delete-where",
    "drop",
    "move",
    "update-silent",
    "syntax-update-1",
    "syntax-update-2",
]
_MANIFEST_SCOPE.update(dict.fromkeys(_UPDATE_MANIFESTS, _UPDATE))
_TYPE_SCOPE = {
    MF.UpdateEvaluationTest: _UPDATE,
    MF.PositiveUpdateSyntaxTest11: _UPDATE,
    MF.NegativeUpdateSyntaxTest11: _UPDATE,
    MF.ProtocolTest: _MANIFEST_SCOPE["protocol"],
    MF.ServiceDescriptionTest: _MANIFEST_SCOPE["service-description"],
    MF.GraphStoreProtocolTest: _MANIFEST_SCOPE["http-rdf-update"],
}


@dataclass(frozen=True)
class W3CTest:
    """One entry of a manifest and what running it takes."""

    id: str  # "<manifest folder>/<local name of the test IRI>"
    manifest: str
    kind: str  # EVALUATION, CSV_RESULTS, POSITIVE, NEGATIVE, or the type's local name
    query: Path | None = None
    data: tuple[Path, ...] = ()
    graph_data: tuple[Path, ...] = ()
    result: Path | None = None
    not_applicable: str | None = None


def suite_dir() -> Path:
    """Where scripts/fetch-w3c-tests put the sparql11 folder (CYBERCRIME_KG_W3C_DIR overrides)."""
    return Path(os.environ.get(SUITE_ENV) or ROOT / ".cache" / "w3c" / "sparql11")


def _path(node: Any) -> Path:
    return Path(url2pathname(urlparse(str(node)).path))


def _local_name(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1]


def _manifest_files(suite: Path) -> list[Path]:
    top = Graph().parse(suite / "manifest-all.ttl", format="turtle")
    (head,) = top.objects(URIRef((suite / "manifest-all.ttl").as_uri()), MF.include)
    return [_path(item) for item in Collection(top, head)]


def _test(graph: Graph, node: URIRef, manifest: str) -> W3CTest:
    test_id = f"{manifest}/{_local_name(str(node))}"
    types = set(graph.objects(node, RDF.type))
    kind = next((_KINDS[t] for t in types if t in _KINDS), None)
    reason = _MANIFEST_SCOPE.get(manifest) or next(
        (_TYPE_SCOPE[t] for t in types if t in _TYPE_SCOPE), None
    )
    if (node, DAWGT.approval, DAWGT.Withdrawn) in graph:
        reason = "withdrawn by the W3C working group"
    if kind is None:
        names = ", ".join(sorted(_local_name(str(t)) for t in types)) or "no type"
        return W3CTest(test_id, manifest, names, not_applicable=reason or f"test type {names}")
    action = graph.value(node, MF.action)
    result = graph.value(node, MF.result)
    if kind in (POSITIVE, NEGATIVE):
        query = _path(action)
        return W3CTest(test_id, manifest, kind, query=query, not_applicable=reason)
    if reason is None and graph.value(action, QT.serviceData) is not None:
        reason = "SERVICE: federated queries to other endpoints are out of scope"
    return W3CTest(
        test_id,
        manifest,
        kind,
        query=_path(graph.value(action, QT.query)),
        data=tuple(sorted(_path(d) for d in graph.objects(action, QT.data))),
        graph_data=tuple(sorted(_path(d) for d in graph.objects(action, QT.graphData))),
        result=None if result is None else _path(result),
        not_applicable=reason,
    )


def read_suite(suite: Path | None = None) -> list[W3CTest]:
    """Every test of every manifest manifest-all.ttl includes, in manifest order."""
    suite = suite or suite_dir()
    tests: list[W3CTest] = []
    for manifest_file in _manifest_files(suite):
        graph = Graph().parse(manifest_file, format="turtle")
        manifest = manifest_file.parent.name
        for head in graph.objects(None, MF.entries):
            for node in Collection(graph, head):
                assert isinstance(node, URIRef)
                tests.append(_test(graph, node, manifest))
    return tests
