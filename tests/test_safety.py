"""The service never fetches anything a query names: a local canary HTTP server counts requests."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from cybercrime_kg.app import create_app
from cybercrime_kg.sparql.analysis import UPDATE_REFUSED
from cybercrime_kg.sparql.engines.base import Job
from cybercrime_kg.sparql.service import QueryService
from helpers.fuzz_oracle import STORE_FAILED
from helpers.sparql import COUNT, GRAPHS, bindings, sparql_config, text

CANARY_ANSWER = {
    "head": {"vars": ["x"]},
    "results": {"bindings": [{"x": {"type": "literal", "value": "from the canary"}}]},
}


class Canary(ThreadingHTTPServer):
    """Answers every request with one SPARQL JSON row, and counts them."""

    hits = 0


class _Handler(BaseHTTPRequestHandler):
    def _answer(self) -> None:
        assert isinstance(self.server, Canary)
        self.server.hits += 1
        body = json.dumps(CANARY_ANSWER).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def canary() -> Iterator[Canary]:
    server = Canary(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def url(server: Canary) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/sparql"


LOCAL = ", ".join(f"<{GRAPHS[n]}>" for n in ("data", "ontology", "public-record", "shapes"))
NOT_LOCAL = (
    "{where} <{iri}> is not a graph of this dataset; this service never fetches graphs, "
    f"it only selects among its own: {LOCAL}\n"
)
NO_FEDERATION = "SERVICE <{iri}> refused: federated queries are disabled on this endpoint\n"
PASSWD = "file:///etc/passwd"
GLUED = (
    "'1SERVICE' reads as a SERVICE call whose endpoint cannot be told: write SERVICE, a space "
    "and the endpoint's IRI (and rename any prefix or name that holds the word SERVICE)\n"
)

# (id, query, extra parameters, status, message template); {c} is the canary's URL
ATTEMPTS = [
    ("from", "SELECT * FROM <{c}> WHERE { ?s ?p ?o }", {}, 400, ("FROM", "{c}")),
    ("from-named", "SELECT * FROM NAMED <{c}> { ?s ?p ?o }", {}, 400, ("FROM NAMED", "{c}")),
    ("from-file", f"SELECT * FROM <{PASSWD}> {{ ?s ?p ?o }}", {}, 400, ("FROM", PASSWD)),
    ("service", "SELECT * { SERVICE <{c}> { ?s ?p ?o } }", {}, 400, "{c}"),
    ("service-silent", "SELECT * { SERVICE SILENT <{c}> { ?s ?p ?o } }", {}, 400, "{c}"),
    ("service-file", f"SELECT * {{ SERVICE <{PASSWD}> {{ ?s ?p ?o }} }}", {}, 400, PASSWD),
    # spellings a greedy parser (Oxigraph's) reads as SERVICE; the lexer must see them too
    ("service-glued-iri", "SELECT * { SERVICE<{c}> { ?s ?p ?o } }", {}, 400, "{c}"),
    ("service-case", "SELECT * { sErViCe SiLeNt <{c}> { ?s ?p ?o } }", {}, 400, "{c}"),
    ("service-glued-silent", "SELECT * { SERVICESILENT <{c}> { ?s ?p ?o } }", {}, 400, "{c}"),
    (
        "service-glued-prefixed",
        "PREFIX c: <{c}#> SELECT * { SERVICEc:x { ?s ?p ?o } }",
        {},
        400,
        "{c}#x",
    ),
    ("service-escaped", "SELECT * { \\u0053ERVICE <{c}> { ?s ?p ?o } }", {}, 400, "{c}"),
    ("service-after-number", "SELECT * { ?s ?p 1SERVICE <{c}> { ?s ?p ?o } }", {}, 400, "!"),
    ("service-comment-between", "SELECT * { SERVICE # x\n <{c}> { ?s ?p ?o } }", {}, 400, "{c}"),
    ("load", "LOAD <{c}>", {}, 403, None),
    ("load-file", f"LOAD <{PASSWD}> INTO GRAPH <urn:x>", {}, 403, None),
    ("default-graph-uri", COUNT, {"default-graph-uri": "{c}"}, 400, ("default-graph-uri", "{c}")),
    ("named-graph-uri", COUNT, {"named-graph-uri": "{c}"}, 400, ("named-graph-uri", "{c}")),
    (
        "default-graph-file",
        COUNT,
        {"default-graph-uri": PASSWD},
        400,
        ("default-graph-uri", PASSWD),
    ),
]


def expected_message(status: int, detail: object, canary_url: str) -> str:
    if status == 403:
        return UPDATE_REFUSED + "\n"
    if isinstance(detail, tuple):
        where, iri = detail
        return NOT_LOCAL.format(where=where, iri=iri.format(c=canary_url))
    assert isinstance(detail, str)
    if detail == "!":
        return GLUED
    return NO_FEDERATION.format(iri=detail.format(c=canary_url))


@pytest.mark.parametrize(
    ("query", "params", "status", "detail"),
    [a[1:] for a in ATTEMPTS],
    ids=[a[0] for a in ATTEMPTS],
)
def test_refused_without_any_request(client, canary, query, params, status, detail):
    c = url(canary)
    response = client.get(
        "/sparql",
        query_string={
            "query": query.replace("{c}", c),
            **{k: v.format(c=c) for k, v in params.items()},
        },
    )
    assert (response.status_code, text(response)) == (status, expected_message(status, detail, c))
    assert canary.hits == 0


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { GRAPH <{c}> { ?s ?p ?o } }",
        "DESCRIBE <{c}>",
        "SELECT * WHERE { <{c}> ?p ?o }",
        f"SELECT * WHERE {{ GRAPH <{PASSWD}> {{ ?s ?p ?o }} }}",
    ],
    ids=["graph-pattern", "describe", "subject", "graph-file"],
)
def test_iris_in_patterns_are_just_names(client, canary, query):
    response = client.get("/sparql", query_string={"query": query.replace("{c}", url(canary))})
    assert response.status_code == 200
    assert canary.hits == 0


def test_engine_ignores_from_even_if_asked_directly(sparql_service, canary):
    """Defence in depth: an engine given a FROM it was not told about still fetches nothing."""
    query = f"SELECT (COUNT(*) AS ?n) FROM <{url(canary)}> FROM NAMED <{PASSWD}> {{ ?s ?p ?o }}"
    result = sparql_service.engine.execute(Job(query, sparql_service.base))
    assert result.rows[0][0].toPython() == 25
    assert canary.hits == 0


def test_variable_service_is_refused(client):
    response = client.get("/sparql", query_string={"query": "SELECT * { SERVICE ?e { ?s ?p ?o } }"})
    assert (response.status_code, text(response)) == (
        400,
        "SERVICE ?e refused: federated queries are disabled on this endpoint\n",
    )


@pytest.fixture
def federated(sparql_service, canary) -> Iterator[QueryService]:
    """A service of the same engine that may call the canary, and nothing else."""
    config = sparql_config(
        ENGINE=sparql_service.engine.name,
        ENDPOINT=getattr(sparql_service.engine, "endpoint", ""),  # the remote engine's (issue 7)
        SERVICE_ALLOWLIST=[url(canary)],
        QUERY_WORKERS=1,
    )
    service = QueryService.from_config(config)
    yield service
    service.close()


def test_allowlisted_service_is_called(federated, canary, engine_name):
    client = create_app(
        {**sparql_config(), "TESTING": True, "QUERY_SERVICE": federated}
    ).test_client()
    query = f"SELECT ?x WHERE {{ SERVICE <{url(canary)}> {{ ?x ?y ?z }} }}"
    response = client.get("/sparql", query_string={"query": query})
    if engine_name == "virtuoso":  # its SPARQL user may not federate: the store refuses
        assert (response.status_code, text(response), canary.hits) == (502, STORE_FAILED + "\n", 0)
    else:
        assert response.status_code == 200, text(response)
        assert bindings(response.data) == [{"x": "from the canary"}]
        assert canary.hits == 1
    calls = canary.hits
    other = client.get(
        "/sparql",
        query_string={"query": "SELECT * { SERVICE <http://127.0.0.1:9/s> { ?s ?p ?o } }"},
    )
    assert (other.status_code, text(other)) == (
        400,
        "SERVICE <http://127.0.0.1:9/s> refused: the endpoint is not on this service's allowlist\n",
    )
    variable = client.get("/sparql", query_string={"query": "SELECT * { SERVICE ?e { ?s ?p ?o } }"})
    assert text(variable) == "SERVICE ?e refused: SERVICE on a variable is never allowed\n"
    assert canary.hits == calls
