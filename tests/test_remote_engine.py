"""The remote engine against a scripted endpoint on 127.0.0.1: what it sends, how it reads the
answers, and how a remote that is down, slow or broken becomes a clear 502 or 504.

Real triplestores (Oxigraph server, Virtuoso) are in tests/integration/.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask.testing import FlaskClient
from rdflib import BNode, Dataset, Literal, URIRef

from cybercrime_kg.cli import build_parser
from cybercrime_kg.cli.serve import app_config
from cybercrime_kg.sparql.analysis import UPDATE_REFUSED
from cybercrime_kg.sparql.engines.remote_engine import NO_GRAPH, RemoteEngine, to_term
from cybercrime_kg.sparql.service import QueryService
from helpers.sparql import BASE, GRAPHS, free_port, sparql_config, text
from helpers.stub import Reply, Seen, Stub, stub_endpoint

XSD = "http://www.w3.org/2001/XMLSchema#"
UNION = BASE + "graph/union"
LOCAL = sorted(GRAPHS.values())
ROW = {
    "s": {"type": "uri", "value": BASE + "id/meeting/4"},
    "label": {"type": "literal", "value": "第四次会议", "xml:lang": "zh"},
    "n": {"type": "typed-literal", "value": "04", "datatype": XSD + "integer"},
    "plain": {"type": "literal", "value": "x", "datatype": XSD + "string"},
    "b": {"type": "bnode", "value": "b0"},
}
QUERY = "SELECT ?s ?label ?n ?plain ?b ?missing WHERE { ?s ?p ?o }"


def select(*rows: dict[str, Any]) -> bytes:
    return json.dumps({"head": {"vars": list(ROW)}, "results": {"bindings": list(rows)}}).encode()


def is_probe(seen: Seen) -> bool:
    return seen.form["query"][0].startswith("ASK { GRAPH <")


def is_dump(seen: Seen) -> bool:
    """A graph read whole (the VoID statistics, dumps)."""
    return seen.form["query"][0].startswith("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <")


def is_labelling(seen: Seen) -> bool:
    """The label index's query (the names on linked-data pages, search)."""
    return "VALUES ?p { <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>" in seen.form["query"][0]


LABELS = {
    "head": {"vars": ["s", "p", "o"]},
    "results": {
        "bindings": [
            {
                "s": {"type": "uri", "value": BASE + "id/meeting/4"},
                "p": {"type": "uri", "value": "http://www.w3.org/2000/01/rdf-schema#label"},
                "o": {"type": "literal", "value": "Fourth meeting", "xml:lang": "en"},
            }
        ]
    },
}


def is_select(seen: Seen) -> bool:
    """A SELECT (the page's other look-ups: its citation's release and date, say)."""
    return (
        re.search(r"^\s*SELECT\b", seen.form["query"][0], re.MULTILINE | re.IGNORECASE) is not None
    )


def answering(reply: Reply, union: bool = True) -> Any:
    """The stub's script: the union-graph probe answers `union`, graph reads are empty,
    a SELECT gets no rows when `reply` is a graph, every other query gets `reply`."""

    def answer(seen: Seen) -> Reply:
        if is_probe(seen):
            return Reply(body=json.dumps({"boolean": union}).encode())
        if is_dump(seen):
            return Reply(content_type="text/turtle", body=b"")
        if is_labelling(seen):
            return Reply(body=json.dumps(LABELS).encode())
        if reply.content_type != "application/sparql-results+json" and is_select(seen):
            return Reply(
                body=json.dumps({"head": {"vars": []}, "results": {"bindings": []}}).encode()
            )
        return reply

    return answer


@pytest.fixture
def stub() -> Iterator[Stub]:
    with stub_endpoint() as stub:
        stub.answer = answering(Reply(body=select()))
        yield stub


def remote_service(endpoint: str) -> QueryService:
    return QueryService.from_config(
        sparql_config(
            ENGINE="remote",
            ENDPOINT=endpoint,
            QUERY_TIMEOUT=2.0,
            QUERY_WORKERS=1,
            RESULT_CACHE_BYTES=0,
        )
    )


@pytest.fixture
def remote(stub: Stub) -> Iterator[FlaskClient]:
    from cybercrime_kg.app import create_app

    service = remote_service(stub.url)
    app = create_app({"TESTING": True, "QUERY_SERVICE": service, **sparql_config()})
    yield app.test_client()
    service.close()


def sent(stub: Stub) -> list[dict[str, list[str]]]:
    """The parameters of every query the stub received, probes and graph reads left out."""
    return [
        seen.form
        for seen in stub.seen
        if not (is_probe(seen) or is_dump(seen) or is_labelling(seen))
    ]


def test_select_terms_are_read_as_sent(remote: FlaskClient, stub: Stub) -> None:
    stub.answer = answering(Reply(body=select(ROW)))
    response = remote.get("/sparql", query_string={"query": QUERY})
    assert response.status_code == 200, text(response)
    assert response.json == {
        "head": {"vars": ["s", "label", "n", "plain", "b", "missing"]},
        "results": {
            "bindings": [
                {
                    "s": {"type": "uri", "value": BASE + "id/meeting/4"},
                    "label": {"type": "literal", "value": "第四次会议", "xml:lang": "zh"},
                    "n": {"type": "literal", "value": "04", "datatype": XSD + "integer"},
                    "plain": {"type": "literal", "value": "x"},
                    "b": {"type": "bnode", "value": "b0"},
                }
            ]
        },
    }


def test_default_dataset_is_the_union_graph_and_the_local_graphs(remote, stub) -> None:
    stub.answer = answering(Reply(body=select()))
    assert remote.get("/sparql", query_string={"query": QUERY}).status_code == 200
    (probe,) = [seen.form for seen in stub.seen if is_probe(seen)]
    assert probe["default-graph-uri"] == [NO_GRAPH]
    assert probe["named-graph-uri"] == [UNION]
    (form,) = sent(stub)
    assert form["query"] == [f"BASE <{BASE}>\n{QUERY}"]
    assert form["default-graph-uri"] == [UNION]
    assert form["named-graph-uri"] == LOCAL
    assert set(form) == {"query", "default-graph-uri", "named-graph-uri"}


def test_without_union_graph_the_local_graphs_are_the_default(remote, stub) -> None:
    stub.answer = answering(Reply(body=select()), union=False)
    assert remote.get("/sparql", query_string={"query": QUERY}).status_code == 200
    (form,) = sent(stub)
    assert form["default-graph-uri"] == LOCAL
    assert form["named-graph-uri"] == LOCAL


@pytest.mark.parametrize(
    ("clause", "default", "named"),
    [
        (f"FROM <{GRAPHS['data']}>", [GRAPHS["data"]], [NO_GRAPH]),
        (f"FROM NAMED <{GRAPHS['shapes']}>", [NO_GRAPH], [GRAPHS["shapes"]]),
        (
            f"FROM <{GRAPHS['data']}> FROM <{GRAPHS['ontology']}> FROM NAMED <{GRAPHS['data']}>",
            [GRAPHS["data"], GRAPHS["ontology"]],
            [GRAPHS["data"]],
        ),
    ],
    ids=["from", "from-named", "both"],
)
def test_dataset_clause_is_sent_as_parameters(remote, stub, clause, default, named) -> None:
    stub.answer = answering(Reply(body=select()))
    query = QUERY.replace("WHERE", f"{clause} WHERE")
    assert remote.get("/sparql", query_string={"query": query}).status_code == 200
    (form,) = sent(stub)
    assert (form["default-graph-uri"], form["named-graph-uri"]) == (default, named)
    assert not any(is_probe(seen) for seen in stub.seen)  # the union graph is not needed


def test_ask(remote, stub) -> None:
    stub.answer = answering(Reply(body=b'{"head": {}, "boolean": false}'))
    response = remote.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
    assert response.json == {"head": {}, "boolean": False}


@pytest.mark.parametrize(
    ("rows", "boolean"),
    [([{"__ASK_RETVAL": {"type": "literal", "value": "1"}}], True), ([], False)],
    ids=["true", "false"],
)
def test_ask_as_virtuoso_may_answer_it(remote, stub, rows, boolean) -> None:
    body = {"head": {"vars": ["__ASK_RETVAL"]}, "results": {"bindings": rows}}
    stub.answer = answering(Reply(body=json.dumps(body).encode()))
    response = remote.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
    assert response.json == {"head": {}, "boolean": boolean}


def test_construct_is_read_from_turtle(remote, stub) -> None:
    turtle = b'<urn:a> <urn:b> "c"@en , 4 .'
    stub.answer = answering(Reply(content_type="text/turtle", body=turtle))
    response = remote.get(
        "/sparql",
        query_string={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
        headers={"Accept": "application/n-triples"},
    )
    assert sorted(text(response).splitlines()) == [
        '<urn:a> <urn:b> "4"^^<http://www.w3.org/2001/XMLSchema#integer> .',
        '<urn:a> <urn:b> "c"@en .',
    ]
    (form,) = sent(stub)
    assert form["query"] == [f"BASE <{BASE}>\nCONSTRUCT WHERE {{ ?s ?p ?o }}"]


def test_rows_are_cut_at_max_rows(remote, stub) -> None:
    stub.answer = answering(Reply(body=select(*[ROW] * 101)))
    response = remote.get("/sparql", query_string={"query": QUERY})
    assert response.headers["X-SPARQL-Truncated"] == "max-rows=100"
    assert len(response.json["results"]["bindings"]) == 100


@pytest.mark.parametrize(
    ("method", "kwargs"),
    [
        ("post", {"data": {"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}}),
        ("get", {"query_string": {"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}}),
        ("get", {"query_string": {"query": "LOAD <http://example.org/x>"}}),
        (
            "post",
            {"data": "DROP ALL", "headers": {"Content-Type": "application/sparql-update"}},
        ),
    ],
    ids=["update-form", "update-as-query", "load", "update-direct"],
)
def test_updates_never_reach_the_remote(remote, stub, method, kwargs) -> None:
    response = getattr(remote, method)("/sparql", **kwargs)
    assert (response.status_code, text(response)) == (403, UPDATE_REFUSED + "\n")
    assert sent(stub) == []


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (Reply(status=500, body=b"boom"), "the remote SPARQL endpoint answered HTTP 500"),
        (Reply(status=503, body=b"busy"), "the remote SPARQL endpoint answered HTTP 503"),
        (
            Reply(body=b"<html>not json</html>"),
            "the remote SPARQL endpoint sent an answer this service cannot read",
        ),
        (
            Reply(body=b'{"head": {"vars": ["s"]}}'),
            "the remote SPARQL endpoint sent an answer this service cannot read",
        ),
    ],
    ids=["500", "503", "not-json", "no-results"],
)
def test_remote_failure_is_502(remote, stub, reply, message) -> None:
    stub.answer = answering(reply)
    response = remote.get("/sparql", query_string={"query": QUERY})
    assert (response.status_code, text(response)) == (502, message + "\n")


def test_query_the_remote_cannot_parse_is_400(remote, stub) -> None:
    stub.answer = answering(Reply(status=400, body=b"Parser error at 1:7"))
    response = remote.get("/sparql", query_string={"query": QUERY})
    assert (response.status_code, text(response)) == (
        400,
        "the remote SPARQL endpoint cannot parse the query (HTTP 400)\n",
    )


def test_remote_down_is_502_and_the_service_stays_up() -> None:
    from cybercrime_kg.app import create_app

    port = free_port()
    # query workers fork before the stub listens, so none of them holds its socket
    service = remote_service(f"http://127.0.0.1:{port}/sparql")
    client = create_app({"TESTING": True, "QUERY_SERVICE": service}).test_client()
    try:
        response = client.get("/sparql", query_string={"query": QUERY})
        assert (response.status_code, text(response)) == (
            502,
            "the remote SPARQL endpoint cannot be reached\n",
        )
        response = client.get(
            "/sparql", query_string={"query": QUERY}, headers={"Accept": "application/json"}
        )
        assert response.json == {
            "error": {"status": 502, "message": "the remote SPARQL endpoint cannot be reached"}
        }
        assert client.get("/health").status_code == 200
    finally:
        service.close()


def test_pages_wait_for_a_remote_that_was_down_at_start_up() -> None:
    from cybercrime_kg.app import create_app

    port = free_port()
    service = remote_service(f"http://127.0.0.1:{port}/sparql")
    client = create_app({"TESTING": True, "QUERY_SERVICE": service}).test_client()
    page = {"path": "/id/meeting/4", "headers": {"Accept": "text/html"}}
    try:
        response = client.get(**page)  # type: ignore[arg-type]
        assert response.status_code == 502
        assert "the remote SPARQL endpoint cannot be reached" in text(response)
        with stub_endpoint(port) as stub:  # the endpoint comes up: the index is built now
            description = (
                "<https://w3id.org/cybercrime-kg/id/meeting/4> "
                '<http://www.w3.org/2000/01/rdf-schema#label> "Fourth meeting"@en .'
            )
            stub.answer = answering(
                Reply(content_type="application/n-triples", body=description.encode())
            )
            response = client.get(**page)  # type: ignore[arg-type]
            assert response.status_code == 200, text(response)
            assert '<h1 lang="en">Fourth meeting</h1>' in text(response)
            assert sum(is_labelling(seen) for seen in stub.seen) == 1
    finally:
        service.close()


def test_slow_remote_is_504_and_the_next_query_is_answered(remote, stub) -> None:
    stub.answer = answering(Reply(body=select(ROW), delay=3.0))
    response = remote.get("/sparql", query_string={"query": QUERY})
    # QUERY_TIMEOUT 2 s: the remote gets 80 % of it in whole seconds, before the pool's limit
    assert (response.status_code, text(response)) == (
        504,
        "the remote SPARQL endpoint did not answer within 1 s\n",
    )
    stub.answer = answering(Reply(body=select(ROW)))
    response = remote.get("/sparql", query_string={"query": QUERY})
    assert response.status_code == 200
    assert response.json["results"]["bindings"][0]["s"]["value"] == BASE + "id/meeting/4"


def test_quads_come_graph_by_graph(stub) -> None:
    def answer(seen: Seen) -> Reply:
        (graph,) = seen.form["named-graph-uri"]
        return Reply(content_type="text/turtle", body=f"<urn:s> <urn:p> <{graph}> .".encode())

    stub.answer = answer
    engine = RemoteEngine(stub.url, LOCAL, BASE, 1)
    assert sorted(engine.quads()) == [
        (URIRef("urn:s"), URIRef("urn:p"), URIRef(g), URIRef(g)) for g in LOCAL
    ]


@pytest.mark.parametrize(
    ("binding", "term"),
    [
        ({"type": "uri", "value": "urn:a"}, URIRef("urn:a")),
        ({"type": "bnode", "value": "x1"}, BNode("x1")),
        ({"type": "literal", "value": "a"}, Literal("a")),
        ({"type": "literal", "value": "a", "xml:lang": "zh"}, Literal("a", lang="zh")),
        (
            {
                "type": "literal",
                "value": "a",
                "datatype": "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString",
            },
            Literal("a"),
        ),
        (
            {"type": "literal", "value": "2018-04-03", "datatype": XSD + "date"},
            Literal("2018-04-03", datatype=URIRef(XSD + "date")),
        ),
        (
            {"type": "typed-literal", "value": "1", "datatype": XSD + "boolean"},
            Literal("true", datatype=URIRef(XSD + "boolean")),
        ),
        (
            {"type": "typed-literal", "value": "0", "datatype": XSD + "boolean"},
            Literal("false", datatype=URIRef(XSD + "boolean")),
        ),
    ],
    ids=[
        "uri",
        "bnode",
        "simple",
        "lang",
        "langString-without-tag",
        "date",
        "boolean-1",
        "boolean-0",
    ],
)
def test_to_term(binding, term) -> None:
    assert to_term(binding) == term


def test_unknown_term_type() -> None:
    with pytest.raises(ValueError, match=r"^unknown term type 'triple'$"):
        to_term({"type": "triple", "value": ""})


def test_open_needs_an_http_endpoint() -> None:
    with pytest.raises(
        ValueError, match=r"^the remote engine needs an http\(s\) ENDPOINT, not ''$"
    ):
        QueryService.from_config(sparql_config(ENGINE="remote"))


def test_from_dataset_is_refused() -> None:
    with pytest.raises(TypeError, match="holds no dataset"):
        RemoteEngine.from_dataset(Dataset())


def test_serve_takes_the_endpoint() -> None:
    args = build_parser().parse_args(
        ["serve", "--engine", "remote", "--endpoint", "http://127.0.0.1:7878/query"]
    )
    assert app_config(args) == {"ENGINE": "remote", "ENDPOINT": "http://127.0.0.1:7878/query"}
