"""The named-query API: GET /queries, GET /queries/<name>, and the checks that stop a bad boot.

Answers come from an app over the real graph (conftest's `graph_client`); the expected
summaries are read from the .rq files here, independently of the server's parser.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from rdflib import Literal, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue

from cybercrime_kg.app import create_app
from cybercrime_kg.sparql.named_queries import NamedQueryError, load_named, read_named
from helpers.sparql import bindings, text

QUERIES = Path(__file__).resolve().parent.parent / "queries"
NAMES = sorted(p.stem for p in QUERIES.glob("*.rq"))
ID = "https://w3id.org/cybercrime-kg/id/"
BUDAPEST = ID + "topic/budapest-convention"
RESULT_TYPES = [
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
]
JSON_RESULTS = "application/sparql-results+json; charset=utf-8"


def header(name: str, key: str) -> str:
    """A header value read straight from the file, without the server's parser."""
    found = re.search(rf"^#\+ {key}: (.*)$", (QUERIES / f"{name}.rq").read_text("utf-8"), re.M)
    assert found is not None
    return found.group(1)


def run(client: FlaskClient, name: str, **params: str) -> Any:
    return client.get(f"/queries/{name}", query_string=params)


# --- GET /queries ----------------------------------------------------------------------------


def test_listing_has_every_query_with_its_summaries(graph_client):
    response = graph_client.get("/queries")
    assert (response.status_code, response.content_type) == (200, "application/json")
    assert response.headers["Vary"] == "Accept"
    listed = response.get_json()["queries"]
    assert len(NAMES) == 22
    assert [q["name"] for q in listed] == NAMES
    assert {q["name"]: q["summary"] for q in listed} == {
        n: {"en": header(n, "summary"), "zh": header(n, "summary_zh")} for n in NAMES
    }
    assert {q["name"]: q["query"] for q in listed} == {
        n: (QUERIES / f"{n}.rq").read_text("utf-8") for n in NAMES
    }
    assert {q["name"]: q["url"] for q in listed} == {n: f"/queries/{n}" for n in NAMES}


def test_listing_entry_of_a_parameterised_query(graph_client):
    listed = {q["name"]: q for q in graph_client.get("/queries?format=json").get_json()["queries"]}
    entry = listed["list-stances-on-topic"]
    text, example = entry.pop("query"), entry.pop("exampleQuery")
    # the example is the query with its parameter set to the example value, nothing else
    assert "?_topic_iri" in text and "?_topic_iri" not in example
    assert example == text.replace("?_topic_iri", f"<{BUDAPEST}>")
    assert entry == {
        "name": "list-stances-on-topic",
        "summary": {
            "en": "Every stance taken on a topic (or any narrower topic): holders, position,"
            " target, arguments, the source passages and the document that reports it",
            "zh": "就某一议题(含下位议题)所持的全部立场:"
            "持有方、立场类型、针对主张、论据、来源原文及报道文件",
        },
        "form": "SELECT",
        "parameters": [
            {
                "name": "topic",
                "kind": "iri",
                "description": f"IRI of a topic, e.g. {BUDAPEST}",
                "required": True,
                "example": BUDAPEST,
            }
        ],
        "formats": RESULT_TYPES,
        "url": "/queries/list-stances-on-topic",
    }
    assert listed["list-labels"]["parameters"] == [
        {
            "name": "lang",
            "kind": "literal",
            "description": "a language tag (ar, en, es, fr, ru or zh), e.g. zh",
            "required": True,
            "example": "zh",
        }
    ]
    assert {n for n, q in listed.items() if q["parameters"]} == {
        "list-labels",
        "list-stances-on-topic",
        "show-provenance",
        "show-statement-sources",
    }


def test_listing_as_html_for_browsers(graph_client):
    response = graph_client.get("/queries", headers={"Accept": "text/html,*/*;q=0.8"})
    assert (response.status_code, response.content_type) == (200, "text/html; charset=utf-8")
    page = text(response)
    assert re.findall(r'<section class="named-query" id="([^"]+)">', page) == NAMES
    assert re.findall(r'<form class="query-form" action="([^"]+)"', page) == [
        f"/queries/{n}" for n in NAMES
    ]
    assert header("who-initiated", "summary") in page
    in_chinese = text(graph_client.get("/queries?lang=zh", headers={"Accept": "text/html"}))
    assert header("who-initiated", "summary_zh") in in_chinese


def test_listing_refuses_what_it_cannot_give(graph_client):
    response = graph_client.get("/queries", headers={"Accept": "text/csv"})
    assert (response.status_code, text(response)) == (
        406,
        "no acceptable format for Accept: text/csv; available: application/json, text/html\n",
    )


# --- GET /queries/<name> ---------------------------------------------------------------------


def test_list_meetings_answers_as_sparql_does(graph_client):
    via_api = run(graph_client, "list-meetings")
    via_sparql = graph_client.post(
        "/sparql", data={"query": (QUERIES / "list-meetings.rq").read_text()}
    )
    assert (via_api.status_code, via_api.content_type) == (200, JSON_RESULTS)
    assert via_api.headers["Vary"] == "Accept"
    assert json.loads(via_api.data) == json.loads(via_sparql.data)
    assert [row["meeting"] for row in bindings(via_api.data)] == [
        f"{ID}meeting/{n}" for n in range(1, 8)
    ]


@pytest.mark.parametrize(
    ("params", "accept", "content_type"),
    [
        ({"format": "csv"}, None, "text/csv; charset=utf-8"),
        ({}, "text/tab-separated-values", "text/tab-separated-values; charset=utf-8"),
        ({}, "application/sparql-results+xml", "application/sparql-results+xml; charset=utf-8"),
        ({"format": "json"}, "text/csv", JSON_RESULTS),
    ],
    ids=["format-csv", "accept-tsv", "accept-xml", "format-wins-over-accept"],
)
def test_negotiation_as_for_sparql(graph_client, params, accept, content_type):
    headers = {"Accept": accept} if accept else {}
    via_api = graph_client.get("/queries/list-meetings", query_string=params, headers=headers)
    via_sparql = graph_client.get(
        "/sparql",
        query_string={"query": (QUERIES / "list-meetings.rq").read_text(), **params},
        headers=headers,
    )
    assert (via_api.status_code, via_api.content_type) == (200, content_type)
    assert via_api.data == via_sparql.data


def test_stances_on_the_budapest_convention(graph_client):
    response = run(graph_client, "list-stances-on-topic", topic=BUDAPEST)
    assert response.status_code == 200
    assert {row["stance"] for row in bindings(response.data)} == {
        f"{ID}stance/{name}"
        for name in (
            "eg4-europe-gold-standard",
            "eg4-europe-adopt-budapest",
            "eg4-europe-no-new-convention",
            "eg4-rebut-gold-standard",
            "eg4-advocate-global-instrument",
        )
    }


def test_labels_in_chinese(graph_client):
    rows = bindings(run(graph_client, "list-labels", lang="zh").data)
    assert {"resource": f"{ID}state/CHN", "label": "中国", "language": "zh"} in rows


def test_etag_gives_not_modified(graph_client):
    first = run(graph_client, "list-meetings")
    again = graph_client.get(
        "/queries/list-meetings", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert (again.status_code, again.data) == (304, b"")


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        (
            "/queries/list-stances-on-topic",
            400,
            f"named query list-stances-on-topic needs the parameter topic: IRI of a topic, e.g. "
            f"{BUDAPEST}",
        ),
        (
            "/queries/list-stances-on-topic?topic=budapest-convention",
            400,
            "parameter topic must be an absolute http(s) IRI",
        ),
        (
            "/queries/list-stances-on-topic?topic=ftp://example.org/topic",
            400,
            "parameter topic must be an absolute http(s) IRI",
        ),
        (
            "/queries/list-stances-on-topic?topic=https:///no-host",
            400,
            "parameter topic must be an absolute http(s) IRI",
        ),
        (
            f"/queries/list-stances-on-topic?topic={BUDAPEST}&topic={BUDAPEST}",
            400,
            "parameter topic is given 2 times; give it once",
        ),
        (
            "/queries/list-meetings?year=2018",
            400,
            "named query list-meetings has no parameter year; it takes: no parameters",
        ),
        (
            f"/queries/list-stances-on-topic?topic={BUDAPEST}&lang=zh",
            400,
            "named query list-stances-on-topic has no parameter lang; it takes: topic",
        ),
        (
            "/queries/list-meetings?format=turtle",
            406,
            "format=turtle is not available for this answer; available: " + ", ".join(RESULT_TYPES),
        ),
        ("/queries/nope", 404, f"no named query 'nope'; available: {', '.join(NAMES)}"),
    ],
    ids=[
        "missing",
        "relative-iri",
        "ftp-iri",
        "no-host",
        "twice",
        "unknown-param",
        "other-query-param",
        "graph-format",
        "unknown-query",
    ],
)
def test_errors(graph_client, url, status, message):
    response = graph_client.get(url, headers={"Accept": "application/json"})
    assert (response.status_code, response.get_json()) == (
        status,
        {"error": {"status": status, "message": message}},
    )


# --- injection -------------------------------------------------------------------------------

EVIL_LITERAL = 'zh") } } SELECT * WHERE { ?s ?p ?o } #\\\n'
EVIL_IRI = f"{BUDAPEST}> }} UNION {{ ?t ?p ?o }} #"


def _terms(node: Any) -> Iterator[Any]:
    """Every term in a translated query's algebra."""
    if isinstance(node, CompValue | dict):
        for value in node.values():
            yield from _terms(value)
    elif isinstance(node, list | tuple | set):
        for item in node:
            yield from _terms(item)
    else:
        yield node


def test_a_literal_value_stays_one_literal():
    named = read_named(QUERIES / "list-labels.rq")
    bound = named.bind({"lang": EVIL_LITERAL})
    assert bound == named.text.replace(
        "?_lang", '"zh\\") } } SELECT * WHERE { ?s ?p ?o } #\\\\\\n"'
    )
    assert Literal(EVIL_LITERAL) in set(_terms(prepareQuery(bound).algebra))


def test_an_injected_literal_changes_nothing_but_the_value(graph_client):
    evil = run(graph_client, "list-labels", lang=EVIL_LITERAL)
    unknown_language = run(graph_client, "list-labels", lang="xx")
    assert evil.status_code == 200
    assert evil.data == unknown_language.data
    assert {row["language"] for row in bindings(evil.data)} == {"en"}


def test_an_iri_value_stays_one_iri():
    named = read_named(QUERIES / "show-provenance.rq")
    odd = "https://example.org/a#b?c'd=(e)"
    bound = named.bind({"resource": odd})
    assert bound == named.text.replace("?_resource_iri", f"<{odd}>")
    assert URIRef(odd) in set(_terms(prepareQuery(bound).algebra))


def test_an_iri_value_cannot_close_its_brackets(graph_client):
    response = run(graph_client, "list-stances-on-topic", topic=EVIL_IRI)
    assert (response.status_code, text(response)) == (
        400,
        "parameter topic must be an absolute http(s) IRI\n",
    )


# --- checks at start-up ----------------------------------------------------------------------

BROKEN = {
    "unknown-key": (
        "#+ summary: s\n#+ endpoint: http://example.org/sparql\nSELECT * { ?s ?p ?o }\n",
        "unknown header key 'endpoint' (known: summary, summary_zh, params,"
        " and param_<name>, param_<name>_class for each name in params)",
    ),
    "description-of-no-param": (
        "#+ summary: s\n#+ param_who: a state\nSELECT * { ?s ?p ?o }\n",
        "unknown header key 'param_who' (known: summary, summary_zh, params,"
        " and param_<name>, param_<name>_class for each name in params)",
    ),
    "class-of-no-param": (
        "#+ summary: s\n#+ params: who\n#+ param_whom_class: ieg:State\n"
        "SELECT * { ?s ?p ?_who_iri }\n",
        "unknown header key 'param_whom_class' (known: summary, summary_zh, params,"
        " and param_<name>, param_<name>_class for each name in params)",
    ),
    "class-unknown-prefix": (
        "#+ summary: s\n#+ params: who\n#+ param_who_class: foo:State\n"
        "SELECT * { ?s ?p ?_who_iri }\n",
        "param_who_class must be <IRI> or a CURIE of a known prefix, not 'foo:State'",
    ),
    "class-of-a-literal": (
        "#+ summary: s\n#+ params: who\n#+ param_who_class: ieg:State\nSELECT * { ?s ?p ?_who }\n",
        "param_who_class must be xsd:language for a literal parameter",
    ),
    "language-of-an-iri": (
        "#+ summary: s\n#+ params: who\n#+ param_who_class: xsd:language\n"
        "SELECT * { ?s ?p ?_who_iri }\n",
        "param_who_class must be a class whose instances it takes, not xsd:language,"
        " for an IRI parameter",
    ),
    "param-never-used": (
        "#+ summary: s\n#+ params: who\nSELECT * { ?s ?p ?o }\n",
        "parameter who never occurs as ?_who or ?_who_iri in the query",
    ),
    "placeholder-not-declared": (
        "#+ summary: s\nSELECT * { ?s ?p ?_who_iri }\n",
        "parameter who occurs in the query but not in '#+ params:'",
    ),
    "both-kinds": (
        "#+ summary: s\n#+ params: who\nSELECT * { ?_who_iri ?p ?_who }\n",
        "parameter who occurs both as ?_who and ?_who_iri",
    ),
    "reserved-name": (
        "#+ summary: s\n#+ params: format\nSELECT * { ?s ?p ?_format }\n",
        "parameter name 'format' must be letters and digits",
    ),
    "no-summary": (
        "#+ summary_zh: 摘要\nSELECT * { ?s ?p ?o }\n",
        "the header has no '#+ summary:'",
    ),
    "key-twice": (
        "#+ summary: s\n#+ summary: t\nSELECT * { ?s ?p ?o }\n",
        "header key 'summary' appears twice",
    ),
    "syntax": (
        "#+ summary: s\nSELECT * { ?s ?p }\n",
        "SPARQL syntax error at line 2, column 12: Expected SelectQuery, found '?'",
    ),
    "update": (
        "#+ summary: s\nDELETE WHERE { ?s ?p ?o }\n",
        "SPARQL Update is not accepted: this endpoint is read-only",
    ),
}


@pytest.mark.parametrize(("content", "message"), BROKEN.values(), ids=BROKEN.keys())
def test_a_broken_query_is_named_with_its_fault(tmp_path, content, message):
    path = tmp_path / "broken.rq"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(NamedQueryError) as raised:
        load_named(tmp_path)
    assert str(raised.value) == f"{path}: {message}"


def test_a_file_name_must_be_kebab_case(tmp_path):
    path = tmp_path / "List_Meetings.rq"
    path.write_text("#+ summary: s\nASK {}\n")
    with pytest.raises(NamedQueryError) as raised:
        load_named(tmp_path)
    assert str(raised.value) == f"{path}: a named query's file name must be kebab-case"


def test_a_broken_query_stops_the_boot(tmp_path, graph_service):
    (tmp_path / "fine.rq").write_text("#+ summary: fine\nASK {}\n")
    (tmp_path / "unused.rq").write_text("#+ summary: s\n#+ params: x\nASK {}\n")
    with pytest.raises(NamedQueryError) as raised:
        create_app({"QUERY_SERVICE": graph_service, "QUERIES_DIR": str(tmp_path)})
    assert str(raised.value) == (
        f"{tmp_path / 'unused.rq'}: parameter x never occurs as ?_x or ?_x_iri in the query"
    )


def test_another_queries_folder(tmp_path, graph_service):
    (tmp_path / "ask-anything.rq").write_text("#+ summary: anything at all?\nASK { ?s ?p ?o }\n")
    client = create_app(
        {"QUERY_SERVICE": graph_service, "QUERIES_DIR": str(tmp_path)}
    ).test_client()
    assert [q["name"] for q in client.get("/queries").get_json()["queries"]] == ["ask-anything"]
    response = client.get("/queries/ask-anything")
    assert (response.status_code, response.get_json()) == (200, {"head": {}, "boolean": True})
