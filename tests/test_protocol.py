"""The SPARQL 1.1 Protocol query operation: every way to send a query, every error case.

Each test runs once per engine (the `client` fixture is parametrised in conftest.py).
"""

from __future__ import annotations

import logging
import uuid

import pytest

from cybercrime_kg.sparql.analysis import UPDATE_REFUSED
from helpers.sparql import (
    BASE,
    COUNT,
    GRAPHS,
    PREFIXES,
    SELECT_JSON,
    SIZES,
    bindings,
    count,
    text,
)

LABELS = PREFIXES + "SELECT ?s ?label WHERE { ?s rdfs:label ?label } ORDER BY ?s ?label"
LABEL_ROWS = [
    ("meeting-1", "First meeting"),
    ("meeting-2", "Second meeting"),
    ("state-at", "Austria"),
    ("state-at", "奥地利"),
    ("state-br", "Brazil, Federative Republic of"),
    ("ontology#Meeting", "Meeting"),
    ("ontology#State", "State"),
]
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
SEVERAL = "several query parameters: send exactly one query per request\n"
MISSING = "missing query parameter: send a SPARQL query as 'query'\n"
ALLOW = "GET, HEAD, POST, OPTIONS"


def label_rows(body: bytes) -> list[tuple[str, str]]:
    return [
        (row["s"].removeprefix(BASE).removeprefix("id/"), row["label"]) for row in bindings(body)
    ]


def expected_labels() -> list[tuple[str, str]]:
    return sorted(LABEL_ROWS, key=lambda r: (("id/" if "#" not in r[0] else "") + r[0], r[1]))


# --- The three ways to send a query ---


def test_get(client):
    response = client.get("/sparql", query_string={"query": LABELS})
    assert response.status_code == 200
    assert response.content_type == SELECT_JSON
    assert label_rows(response.data) == expected_labels()


def test_post_form(client):
    response = client.post("/sparql", data={"query": LABELS})
    assert response.status_code == 200
    assert label_rows(response.data) == expected_labels()


@pytest.mark.parametrize("content_type", [DIRECT, f"{DIRECT}; charset=UTF-8"])
def test_post_direct(client, content_type):
    response = client.post("/sparql", data=LABELS.encode(), headers={"Content-Type": content_type})
    assert response.status_code == 200
    assert label_rows(response.data) == expected_labels()


def test_head_has_get_headers_and_no_body(client):
    get = client.get("/sparql", query_string={"query": COUNT})
    head = client.head("/sparql", query_string={"query": COUNT})
    assert head.status_code == 200
    assert head.data == b""
    for header in ("Content-Type", "ETag", "Vary", "Content-Length"):
        assert head.headers[header] == get.headers[header]


# --- Malformed requests ---


@pytest.mark.parametrize(
    ("method", "kwargs"),
    [
        ("get", {"query_string": [("query", COUNT), ("query", COUNT)]}),
        ("post", {"data": {"query": [COUNT, COUNT]}}),
        ("post", {"query_string": {"query": COUNT}, "data": COUNT, "content_type": DIRECT}),
    ],
    ids=["get", "form", "direct-and-url"],
)
def test_several_queries(client, method, kwargs):
    response = getattr(client, method)("/sparql", **kwargs)
    assert (response.status_code, text(response)) == (400, SEVERAL)


def test_missing_content_type(client):
    response = client.post("/sparql", data=COUNT.encode())
    assert response.status_code == 415
    assert text(response) == (
        "missing Content-Type: POST a query as application/x-www-form-urlencoded "
        "or application/sparql-query\n"
    )


def test_wrong_content_type(client):
    response = client.post("/sparql", data=COUNT, content_type="text/plain")
    assert response.status_code == 415
    assert text(response) == (
        "unsupported Content-Type text/plain: POST a query as "
        "application/x-www-form-urlencoded or application/sparql-query\n"
    )


def test_charset_other_than_utf8(client):
    response = client.post("/sparql", data=COUNT, content_type=f"{DIRECT}; charset=latin-1")
    assert (response.status_code, text(response)) == (
        415,
        "charset latin-1 is not supported: send UTF-8\n",
    )


def test_direct_body_not_utf8(client):
    body = 'SELECT ("caf\xe9" AS ?x) {}'.encode("latin-1")
    response = client.post("/sparql", data=body, content_type=DIRECT)
    assert (response.status_code, text(response)) == (
        400,
        "the request body is not UTF-8 (invalid byte at offset 12)\n",
    )


def test_form_body_not_utf8(client):
    response = client.post("/sparql", data=b"query=SELECT%20%FF", content_type=FORM)
    assert (response.status_code, text(response)) == (
        400,
        "the request body is not UTF-8 once percent-decoded\n",
    )


def test_query_string_not_utf8(client):
    response = client.get("/sparql?query=ASK%7B%7D%FF")
    assert (response.status_code, text(response)) == (
        400,
        "the query string is not UTF-8 once percent-decoded\n",
    )


# The query form is read before any engine sees the query (lexer.py); the rest of the syntax
# is the engine's own parser's, in the query process.
KEYWORD_ERROR = (
    "SPARQL syntax error at line 1, column 1: "
    "expected SELECT, CONSTRUCT, DESCRIBE or ASK, found 'SELEKT'"
)
SYNTAX_ERRORS = {
    "rdflib": {
        "filter": "SPARQL syntax error at line 3, column 20: Expected SelectQuery, found 'FILTER'",
        "limit": "SPARQL syntax error at line 1, column 30: Expected end of text, found 'LIMIT'",
    },
    "oxigraph": {
        "filter": "SPARQL syntax error at line 3, column 29: expected one of ABS, AVG, DAY, IRI, "
        "MAX, MD5, MIN, NOT, NOW, STR, SUM, URI, found the end of the line",
        "limit": "SPARQL syntax error at line 1, column 35: "
        "expected one of GROUP, LATERAL, ORDER, SERVICE, found the end of the line",
    },
}
SYNTAX_QUERIES = {
    "filter": "PREFIX x: <http://x/>\nSELECT ?s\nWHERE { ?s ?p ?o . FILTER( }",
    "limit": "SELECT ?s WHERE { ?s ?p ?o } LIMIT",
    "keyword": "SELEKT * {}",
}


@pytest.mark.parametrize("case", SYNTAX_QUERIES)
def test_syntax_error_has_message_and_position(client, engine_name, case):
    response = client.get("/sparql", query_string={"query": SYNTAX_QUERIES[case]})
    expected = KEYWORD_ERROR if case == "keyword" else SYNTAX_ERRORS.get(engine_name, {}).get(case)
    assert response.status_code == 400
    if expected is not None:  # a remote store words its own errors
        assert text(response) == expected + "\n"


def test_error_as_json_when_preferred(client):
    response = client.get(
        "/sparql", query_string={"query": "SELEKT"}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 400
    assert response.json["error"]["status"] == 400
    assert response.json["error"]["message"].startswith("SPARQL syntax error at line 1, column 1")


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods(client, method):
    response = getattr(client, method)("/sparql")
    assert response.status_code == 405
    assert response.headers["Allow"] == ALLOW
    assert text(response) == f"method {method.upper()} not allowed; use {ALLOW}\n"


def test_cors_preflight(client):
    response = client.options("/sparql", headers={"Origin": "https://example.org"})
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Access-Control-Allow-Methods"] == ALLOW
    assert "Access-Control-Allow-Credentials" not in response.headers


def test_cors_on_answers_and_errors(client):
    for query in (COUNT, "SELEKT"):
        response = client.get("/sparql", query_string={"query": query})
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert "Access-Control-Allow-Credentials" not in response.headers


@pytest.mark.parametrize(
    ("method", "kwargs"),
    [
        ("post", {"data": {"query": ""}}),
        ("get", {"query_string": {"query": "  \n"}}),
    ],
    ids=["form", "get"],
)
def test_empty_query(client, method, kwargs):
    response = getattr(client, method)("/sparql", **kwargs)
    assert (response.status_code, text(response)) == (400, "the query is empty\n")


@pytest.mark.parametrize(
    ("method", "kwargs"),
    [
        ("post", {"data": {"default-graph-uri": GRAPHS["data"]}}),
        ("get", {"query_string": {"named-graph-uri": GRAPHS["data"]}}),
    ],
    ids=["form", "get-with-dataset"],
)
def test_missing_query(client, method, kwargs):
    response = getattr(client, method)("/sparql", **kwargs)
    assert (response.status_code, text(response)) == (400, MISSING)


# --- Read-only ---


@pytest.mark.parametrize(
    ("method", "kwargs"),
    [
        ("get", {"query_string": {"update": "INSERT DATA { <a:b> <a:c> <a:d> }"}}),
        ("post", {"data": {"update": "INSERT DATA { <a:b> <a:c> <a:d> }"}}),
        ("post", {"data": "DROP ALL", "content_type": "application/sparql-update"}),
        ("get", {"query_string": {"query": "INSERT DATA { <a:b> <a:c> <a:d> }"}}),
        ("post", {"data": {"query": "CLEAR DEFAULT"}}),
        ("post", {"data": "LOAD <http://example.org/x>", "content_type": DIRECT}),
    ],
    ids=["get-update", "form-update", "direct-update", "insert-as-query", "clear", "load"],
)
def test_updates_are_refused(client, method, kwargs):
    response = getattr(client, method)("/sparql", **kwargs)
    assert (response.status_code, text(response)) == (403, UPDATE_REFUSED + "\n")
    assert count(client.get("/sparql", query_string={"query": COUNT}).data) == 25


# --- Dataset ---


def graph_count(client, query: str = COUNT, **params: str | list[str]) -> int:
    response = client.get("/sparql", query_string={"query": query, **params})
    assert response.status_code == 200, text(response)
    return count(response.data)


def test_default_graph_is_union_of_named_graphs(client):
    assert graph_count(client) == sum(SIZES.values())


@pytest.mark.parametrize("name", sorted(SIZES))
def test_from_selects_one_graph(client, name):
    query = f"SELECT (COUNT(*) AS ?n) FROM <{GRAPHS[name]}> WHERE {{ ?s ?p ?o }}"
    assert graph_count(client, query) == SIZES[name]


def test_from_twice_merges(client):
    query = (
        f"SELECT (COUNT(*) AS ?n) FROM <{GRAPHS['ontology']}> FROM <{GRAPHS['data']}> "
        "WHERE { ?s ?p ?o }"
    )
    assert graph_count(client, query) == SIZES["ontology"] + SIZES["data"]


NAMED = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"


def named(client, query: str = NAMED, **params: str | list[str]) -> list[str]:
    response = client.get("/sparql", query_string={"query": query, **params})
    assert response.status_code == 200, text(response)
    return [row["g"] for row in bindings(response.data)]


def test_every_non_empty_graph_is_named_by_default(client):
    assert named(client) == sorted(GRAPHS[n] for n in ("data", "ontology", "shapes"))


def test_from_named_only_leaves_default_graph_empty(client):
    query = f"SELECT (COUNT(*) AS ?n) FROM NAMED <{GRAPHS['shapes']}> WHERE {{ ?s ?p ?o }}"
    assert graph_count(client, query) == 0
    query = NAMED.replace("WHERE", f"FROM NAMED <{GRAPHS['shapes']}> WHERE")
    assert named(client, query) == [GRAPHS["shapes"]]


def test_from_only_leaves_no_named_graphs(client):
    assert named(client, NAMED.replace("WHERE", f"FROM <{GRAPHS['data']}> WHERE")) == []


def test_dataset_parameters_override_from(client):
    query = f"SELECT (COUNT(*) AS ?n) FROM <{GRAPHS['data']}> WHERE {{ ?s ?p ?o }}"
    assert graph_count(client, query, **{"default-graph-uri": GRAPHS["shapes"]}) == 3
    assert named(client, **{"named-graph-uri": [GRAPHS["ontology"], GRAPHS["data"]]}) == [
        GRAPHS["data"],
        GRAPHS["ontology"],
    ]


def test_dataset_parameters_on_direct_post(client):
    response = client.post(
        "/sparql",
        query_string={"default-graph-uri": GRAPHS["ontology"]},
        data=COUNT,
        content_type=DIRECT,
    )
    assert count(response.data) == SIZES["ontology"]


UNKNOWN = (
    "{where} <{iri}> is not a graph of this dataset; this service never fetches graphs, it "
    "only selects among its own: "
    + ", ".join(f"<{GRAPHS[n]}>" for n in ("data", "ontology", "public-record", "shapes"))
    + "\n"
)


@pytest.mark.parametrize(
    ("where", "params", "query"),
    [
        ("FROM", {}, "SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }"),
        ("FROM NAMED", {}, "SELECT * FROM NAMED <http://example.org/g> WHERE { ?s ?p ?o }"),
        ("default-graph-uri", {"default-graph-uri": "http://example.org/g"}, COUNT),
        ("named-graph-uri", {"named-graph-uri": "http://example.org/g"}, COUNT),
    ],
    ids=["from", "from-named", "default-graph-uri", "named-graph-uri"],
)
def test_unknown_graph_is_400(client, where, params, query):
    response = client.get("/sparql", query_string={"query": query, **params})
    assert response.status_code == 400
    assert text(response) == UNKNOWN.format(where=where, iri="http://example.org/g")


def test_graph_pattern_on_unknown_graph_is_empty(client):
    query = "SELECT * WHERE { GRAPH <http://example.org/g> { ?s ?p ?o } }"
    response = client.get("/sparql", query_string={"query": query})
    assert bindings(response.data) == []


def test_relative_iris_resolve_against_the_base(client):
    response = client.get("/sparql", query_string={"query": "SELECT (<id/x> AS ?i) {}"})
    assert bindings(response.data) == [{"i": BASE + "id/x"}]
    query = "SELECT (COUNT(*) AS ?n) FROM <graph/data> WHERE { ?s ?p ?o }"
    assert graph_count(client, query) == SIZES["data"]


# --- Limits, caching headers, size caps ---


def test_row_cap_is_signalled(client):
    query = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 200
    assert len(bindings(response.data)) == 100
    assert response.headers["X-SPARQL-Truncated"] == "max-rows=100"
    small = client.get("/sparql", query_string={"query": COUNT})
    assert "X-SPARQL-Truncated" not in small.headers


def test_construct_cap_is_signalled(client):
    query = "CONSTRUCT { ?a ?b ?f } WHERE { ?a ?b ?c . ?d ?e ?f }"
    response = client.get("/sparql", query_string={"query": query, "format": "ntriples"})
    assert len(text(response).strip().splitlines()) == 100
    assert response.headers["X-SPARQL-Truncated"] == "max-rows=100"


def test_etag_and_not_modified(client, sparql_service):
    first = client.get("/sparql", query_string={"query": COUNT})
    etag = first.headers["ETag"]
    assert etag.startswith(f'"{sparql_service.version}-')
    again = client.get("/sparql", query_string={"query": COUNT}, headers={"If-None-Match": etag})
    assert (again.status_code, again.data) == (304, b"")
    assert again.headers["ETag"] == etag
    other = client.get("/sparql", query_string={"query": COUNT, "format": "csv"})
    assert other.headers["ETag"] != etag
    posted = client.post("/sparql", data={"query": COUNT}, headers={"If-None-Match": etag})
    assert posted.status_code == 200


def test_request_body_cap(client):
    query = COUNT + " #" + "x" * 5000
    response = client.post("/sparql", data=query, content_type=DIRECT)
    assert (response.status_code, text(response)) == (413, "request body larger than 4096 bytes\n")


def test_query_length_cap_on_get(client):
    query = COUNT + " #" + "x" * 5000
    response = client.get("/sparql", query_string={"query": query})
    assert (response.status_code, text(response)) == (413, "query longer than 4096 bytes\n")


# --- Health, metrics, logs, unexpected errors ---


def test_health(client, sparql_service):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json["status"] == "ok"
    assert response.json["data_version"] == sparql_service.version
    assert response.json["engine"] == sparql_service.engine.name


def test_metrics_count_requests(client):
    client.get("/sparql", query_string={"query": COUNT})
    client.get("/sparql", query_string={"query": "SELEKT"})
    body = text(client.get("/metrics"))
    assert 'cybercrime_kg_requests_total{path="/sparql",status="200"} 1' in body
    assert 'cybercrime_kg_requests_total{path="/sparql",status="400"} 1' in body
    assert "cybercrime_kg_queries_total 2" in body
    assert "cybercrime_kg_query_timeouts_total 0" in body


def test_log_line_has_hash_not_query(client, caplog):
    secret = "SELECT * WHERE { ?s ?p 'secret-token-123' }"
    with caplog.at_level(logging.INFO, logger="cybercrime_kg.access"):
        client.get("/sparql", query_string={"query": secret}, headers={"Authorization": "x"})
    (line,) = [r.getMessage() for r in caplog.records if r.name == "cybercrime_kg.access"]
    assert line.startswith("method=GET path=/sparql status=200 duration_ms=")
    assert "query_hash=" in line
    assert "secret" not in line


def test_unexpected_error_is_500_without_details(client, sparql_service, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("internal detail /etc/secret")

    monkeypatch.setattr(sparql_service, "answer", explode)
    response = client.get("/sparql", query_string={"query": COUNT})
    assert (response.status_code, text(response)) == (500, "internal server error\n")


def test_repeated_get_is_served_whole_from_memory(client):
    query = f"{COUNT} # {uuid.uuid4()}"  # not in the session-wide result cache
    first = client.get("/sparql", query_string={"query": query}, headers={"Accept": "text/csv"})
    again = client.get("/sparql", query_string={"query": query}, headers={"Accept": "text/csv"})
    other = client.get("/sparql", query_string={"query": query})
    assert (again.data, list(again.headers)) == (first.data, list(first.headers))
    assert (again.content_type, other.content_type) == ("text/csv; charset=utf-8", SELECT_JSON)
    assert "cybercrime_kg_result_cache_hits_total 1" in text(client.get("/metrics"))
    conditional = client.get(
        "/sparql",
        query_string={"query": query},
        headers={"Accept": "text/csv", "If-None-Match": first.headers["ETag"]},
    )
    assert conditional.status_code == 304


@pytest.mark.parametrize(
    ("query", "columns"),
    [
        ("SELECT * WHERE { ?zeta ?mid ?alpha } LIMIT 1", ["zeta", "mid", "alpha"]),
        (
            "SELECT * WHERE { ?s ?p ?o BIND (STR(?o) AS ?a) OPTIONAL { ?s ?q ?c } } LIMIT 1",
            ["s", "p", "o", "a", "q", "c"],
        ),
        (
            "SELECT * WHERE { { SELECT ?y ?x WHERE { ?x ?y ?w } LIMIT 1 } VALUES ?k { 1 } }",
            ["y", "x", "k"],
        ),
    ],
    ids=["triple", "bind-optional", "subquery-values"],
)
def test_select_star_columns_in_order_of_appearance(client, query, columns):
    # the variables in scope, left to right (a subquery contributes its projection only)
    headers = {"Accept": "application/sparql-results+json"}
    response = client.get("/sparql", query_string={"query": query}, headers=headers)
    assert (response.status_code, response.json["head"]["vars"]) == (200, columns)
