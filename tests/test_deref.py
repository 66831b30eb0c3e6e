"""Dereferencing over the project's graph: every kind of resource, every format, suffixes, 404s.

The chosen scheme: the generic URL /id/<kind>/<key> negotiates and answers 200 with the
document's own URL in Content-Location; /id/<kind>/<key>.<suffix> is that document.
"""

from __future__ import annotations

import json

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import PROV

from cybercrime_kg.cli.export import union_graph
from cybercrime_kg.config import DEFAULTS
from cybercrime_kg.ld.describe import description_graph
from cybercrime_kg.sparql.engines.base import rdflib_quietly
from cybercrime_kg.sparql.service import QueryService
from helpers.pages import BASE, ID, RDF_MEDIA, SUFFIX, page
from helpers.sparql import bindings

PASSAGE = ID + "passage/ag-1a"
MEETING = ID + "meeting/4"
EXAMPLES = """
PREFIX ieg: <https://w3id.org/cybercrime-kg/ontology#>
SELECT ?class (MIN(STR(?s)) AS ?example) WHERE {
  ?s a ?class FILTER(STRSTARTS(STR(?s), "https://w3id.org/cybercrime-kg/id/"))
  FILTER(!CONTAINS(STR(?s), "#"))  # a sourced statement is served on its subject's page
} GROUP BY ?class ORDER BY ?class
"""
# The whole description of passage/ag-1a: its triples, the two resources derived from it, and
# the labels of everything it links to or from.
AG_1A = """
@prefix doc: <https://w3id.org/cybercrime-kg/id/doc/> .
@prefix ieg: <https://w3id.org/cybercrime-kg/ontology#> .
@prefix item: <https://w3id.org/cybercrime-kg/id/agenda-item/> .
@prefix meeting: <https://w3id.org/cybercrime-kg/id/meeting/> .
@prefix passage: <https://w3id.org/cybercrime-kg/id/passage/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

@prefix slot: <https://w3id.org/cybercrime-kg/id/slot/> .

item:eg4-1a rdfs:label "Opening of the meeting"@en, "会议开幕"@zh ;
    prov:wasDerivedFrom passage:ag-1a .
doc:UNODC-CCPCJ-EG.4-2018-1 rdfs:label
        '''Annotated provisional agenda of the fourth meeting of the Expert Group \
(UNODC/CCPCJ/EG.4/2018/1)'''@en,
        "全面研究网络犯罪问题专家组第四次会议临时议程说明(UNODC/CCPCJ/EG.4/2018/1)"@zh ;
    prov:wasDerivedFrom passage:ag-1a .
slot:eg4-2018-04-03-am rdfs:label
        "Fourth meeting, plenary meeting 1: Tuesday 3 April 2018, 10 a.m.-1 p.m."@en,
        "第四次会议第 1 次全体会议:4月3日星期二 上午 10 时至 下午 1 时"@zh ;
    prov:wasDerivedFrom passage:ag-1a .
meeting:4 rdfs:label "Fourth meeting of the Expert Group"@en, "专家组第四次会议"@zh ;
    prov:wasDerivedFrom passage:ag-1a .
doc:UNODC-CCPCJ-EG.4-2018-1-zh rdfs:label "UNODC/CCPCJ/EG.4/2018/1, Chinese version"@en,
    "UNODC/CCPCJ/EG.4/2018/1 中文本"@zh .
ieg:SourcePassage rdfs:label "Source passage"@en, "来源段落"@zh .
passage:ag-1a a ieg:SourcePassage ;
    rdfs:label "UNODC/CCPCJ/EG.4/2018/1 (Chinese), annotations, item 1(a)"@en,
        "UNODC/CCPCJ/EG.4/2018/1\uff08中文本\uff09\uff0c说明\uff0c项目1(a)"@zh ;
    ieg:inDocument doc:UNODC-CCPCJ-EG.4-2018-1-zh ;
    ieg:locator "annotations, item 1(a)" ;
    ieg:order 15 ;
    ieg:verbatim "全面研究网络犯罪问题专家组第四次会议将于2018年4月3日星期二上午10时举行。"@zh .
"""


def parse(body: bytes, fmt: str) -> Graph:
    with rdflib_quietly():
        return Graph().parse(data=body, format=fmt)


def path(iri: str) -> str:
    return iri.removeprefix(BASE[:-1])


@pytest.fixture
def examples(graph_client):
    """One instance of every class that has instances, found by query."""
    response = graph_client.get("/sparql", query_string={"query": EXAMPLES})
    return {row["class"]: row["example"] for row in bindings(response.data)}


def test_every_kind_of_resource_answers_in_every_format(graph_client, examples):
    assert len(examples) == 62
    failures = []
    for cls, iri in examples.items():
        graphs = []
        for fmt, media in RDF_MEDIA.items():
            negotiated = graph_client.get(path(iri), headers={"Accept": media})
            suffixed = graph_client.get(f"{path(iri)}.{SUFFIX[fmt]}")
            expected = (200, f"{media}; charset=utf-8", f"{path(iri)}.{SUFFIX[fmt]}")
            got = (
                negotiated.status_code,
                negotiated.content_type,
                negotiated.headers.get("Content-Location"),
            )
            if got != expected or suffixed.data != negotiated.data:
                failures.append((iri, media, got))
                continue
            graphs.append(parse(negotiated.data, fmt))
        if graphs and not all(isomorphic(graphs[0], g) for g in graphs[1:]):
            failures.append((iri, "formats disagree"))
        if graphs and (URIRef(iri), RDF.type, URIRef(cls)) not in graphs[0]:
            failures.append((iri, "type missing"))
        html = graph_client.get(path(iri), headers={"Accept": "text/html"})
        if (html.status_code, html.headers.get("Content-Location")) != (200, f"{path(iri)}.html"):
            failures.append((iri, "text/html", html.status_code))
    assert failures == []


# The sourced statements that cite passage/ag-1a: the agenda's item 1(a) gives the fourth
# meeting's date, hour and ordinal, the first slot's times, and the agenda's own subject.
AG_1A_STATEMENTS = {
    "doc/UNODC-CCPCJ-EG.4-2018-1#concerns=meeting/4",
    "meeting/4#meetingOf=body/expert-group",
    "meeting/4#ordinal=4",
    "meeting/4#precededBy=meeting/3",
    "meeting/4#startDate=2018-04-03",
    "meeting/4#startTime=2018-04-03T10:00:00+02:00",
    "meeting/4#agenda=doc/UNODC-CCPCJ-EG.4-2018-1",
    "slot/eg4-2018-04-03-am#date=2018-04-03",
    "slot/eg4-2018-04-03-am#endTime=2018-04-03T13:00:00+02:00",
    "slot/eg4-2018-04-03-am#partOfEvent=meeting/4",
    "slot/eg4-2018-04-03-am#startTime=2018-04-03T10:00:00+02:00",
}


def test_description_of_a_passage_is_exactly_its_neighbourhood(graph_client, dataset):
    response = graph_client.get("/id/passage/ag-1a.ttl")
    served = parse(response.data, "turtle")
    union = union_graph(dataset)
    # each statement that cites the passage comes with its names, as any resource citing it does
    statements = Graph()
    for iri in AG_1A_STATEMENTS:
        statement = URIRef(ID + iri)
        statements.add((statement, PROV.wasDerivedFrom, URIRef(PASSAGE)))
        for label in union.objects(statement, RDFS.label):
            statements.add((statement, RDFS.label, label))
    assert len(statements) == 3 * len(AG_1A_STATEMENTS)
    assert isomorphic(served, parse(AG_1A.encode(), "turtle") + statements)


def test_description_of_meeting_4(graph_client):
    graph = parse(graph_client.get("/id/meeting/4", headers={"Accept": "text/turtle"}).data, "ttl")
    m4, ieg = URIRef(MEETING), "https://w3id.org/cybercrime-kg/ontology#"
    rdfs_label = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
    derived = URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")
    assert set(graph.objects(m4, URIRef(ieg + "ordinal"))) == {Literal(4)}
    assert set(graph.objects(m4, rdfs_label)) == {
        Literal("Fourth meeting of the Expert Group", lang="en"),
        Literal("专家组第四次会议", lang="zh"),
    }
    # the documents' passages, and those of the public record (data/public-record)
    # (every passage one of its statements cites: tests/test_statements.py says which states what)
    assert {str(p).removeprefix(ID + "passage/") for p in graph.objects(m4, derived)} == {
        "ag-1a", "ag-1b-p11-s2", "ag-1b-p7-s1", "ag-2-docs-s2b", "ag-3-docs", "ag-5-s1", "ag-5-s3",
        "ag-body", "ag-ch3", "ag-ch4", "ag-dates-venue", "ag-list-1", "ag-list-1a", "ag-list-1b",
        "ag-list-1c", "ag-list-2", "ag-list-3", "ag-list-4", "ag-list-5", "ag-title",
        "mfa-bc-p2-s1a", "mfa-crim-p2-s1a", "mfa-crim-p2-s2", "mfa-crim-p2-s3", "mfa-p1-s1",
        "mfa-p1-s2", "mfa-p1-s3", "mfa-p2-b", "mfa-s1-p2-s4", "mfa-subtitle",
        "pr-unodc-2019-workplan", "pr-a-res-74-173-workplan", "pr-e-cn15-2018-12-cover",
        "pr-a-res-74-247-meetings", "pr-unodc-egm-meetings-1-5",
    }  # fmt: skip
    passage = URIRef(PASSAGE)
    assert set(graph.objects(passage, URIRef(ieg + "verbatim"))) == {
        Literal(
            "全面研究网络犯罪问题专家组第四次会议将于2018年4月3日星期二上午10时举行。", lang="zh"
        )
    }
    assert set(graph.objects(passage, URIRef(ieg + "locator"))) == {
        Literal("annotations, item 1(a)")
    }
    # an incoming link, and the label of the resource it comes from
    assert (URIRef(ID + "meeting/5"), URIRef(ieg + "precededBy"), m4) in graph
    assert set(graph.objects(URIRef(ID + "meeting/5"), rdfs_label)) == {
        Literal("Fifth meeting of the Expert Group", lang="en"),
        Literal("专家组第五次会议", lang="zh"),
    }


def test_both_engines_give_the_same_description(graph_service):
    rdflib_service = QueryService.from_config({**DEFAULTS, "QUERY_WORKERS": 0})
    try:
        for iri in (MEETING, PASSAGE, ID + "state/CHN", ID + "stance/eg4-rebut-gold-standard"):
            ours = description_graph(rdflib_service, iri)
            theirs = description_graph(graph_service, iri)
            assert isomorphic(ours, theirs), iri
    finally:
        rdflib_service.close()


@pytest.mark.parametrize(
    ("accept", "query", "media", "location"),
    [
        (None, "", "text/html", "/id/meeting/4.html"),
        ("*/*", "", "text/html", "/id/meeting/4.html"),
        (
            "text/turtle;q=0.5, application/ld+json",
            "",
            "application/ld+json",
            "/id/meeting/4.jsonld",
        ),
        ("text/html;q=0.1, application/rdf+xml", "", "application/rdf+xml", "/id/meeting/4.rdf"),
        ("application/*", "", "application/n-triples", "/id/meeting/4.nt"),
        ("text/html", "?format=ttl", "text/turtle", "/id/meeting/4.ttl"),
        (None, "?format=nt", "application/n-triples", "/id/meeting/4.nt"),
        (None, "?format=jsonld", "application/ld+json", "/id/meeting/4.jsonld"),
        (None, "?format=rdf", "application/rdf+xml", "/id/meeting/4.rdf"),
        ("text/turtle", "?format=html", "text/html", "/id/meeting/4.html"),
        ("application/n-quads", "", "application/n-quads", "/id/meeting/4.nq"),
    ],
)
def test_negotiation(graph_client, accept, query, media, location):
    headers = {"Accept": accept} if accept else {}
    response = graph_client.get("/id/meeting/4" + query, headers=headers)
    assert response.status_code == 200
    assert response.content_type == f"{media}; charset=utf-8"
    assert response.headers["Content-Location"] == location
    assert response.headers["Vary"] == "Accept, Accept-Language"


@pytest.mark.parametrize(
    ("suffix", "media", "vary"),
    [
        ("html", "text/html", "Accept-Language"),
        ("ttl", "text/turtle", None),
        ("nt", "application/n-triples", None),
        ("jsonld", "application/ld+json", None),
        ("rdf", "application/rdf+xml", None),
        ("nq", "application/n-quads", None),
        ("trig", "application/trig", None),
    ],
)
def test_suffix_urls_have_one_format_whatever_accept_says(graph_client, suffix, media, vary):
    response = graph_client.get(
        f"/id/doc/UNODC-CCPCJ-EG.4-2018-1.{suffix}", headers={"Accept": "x/y"}
    )
    assert (response.status_code, response.content_type) == (200, f"{media}; charset=utf-8")
    assert "Content-Location" not in response.headers
    assert response.headers.get("Vary") == vary


def test_not_acceptable_lists_the_formats(graph_client):
    response = graph_client.get("/id/meeting/4", headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert response.get_data(as_text=True) == (
        "no acceptable format for Accept: image/png; available: text/html, text/turtle, "
        "application/n-triples, application/ld+json, application/rdf+xml, application/n-quads, "
        "application/trig\n"
    )


def test_etag_gives_304(graph_client):
    first = graph_client.get("/id/state/CHN.ttl")
    again = graph_client.get("/id/state/CHN.ttl", headers={"If-None-Match": first.headers["ETag"]})
    assert (again.status_code, again.data) == (304, b"")
    head = graph_client.head("/id/state/CHN", headers={"Accept": "text/turtle"})
    assert (head.status_code, head.data) == (200, b"")


@pytest.mark.parametrize(
    ("url", "accept", "status", "body"),
    [
        (
            "/id/meeting/99",
            None,
            404,
            "no resource <https://w3id.org/cybercrime-kg/id/meeting/99> in this graph\n",
        ),
        (
            "/id/meeting/4.xyz",
            "text/turtle",
            404,
            "no resource <https://w3id.org/cybercrime-kg/id/meeting/4.xyz> in this graph\n",
        ),
        (
            "/id/meeting/4.ttl.ttl",
            None,
            404,
            "no resource <https://w3id.org/cybercrime-kg/id/meeting/4.ttl.ttl> in this graph\n",
        ),
        (
            "/id/../sparql",
            None,
            404,
            "no resource <https://w3id.org/cybercrime-kg/id/../sparql> in this graph\n",
        ),
        (
            "/id/meeting%2F4",
            None,
            404,
            "no resource <https://w3id.org/cybercrime-kg/id/meeting/4> in this graph\n",
        ),
        (
            "/id/meeting/4%00",
            None,
            404,
            "no resource <https://w3id.org/cybercrime-kg/id/meeting/4\x00> in this graph\n",
        ),
        (
            "/id/" + "a" * 5000,
            None,
            404,
            f"no resource <https://w3id.org/cybercrime-kg/id/{'a' * 300}> in this graph\n",
        ),
    ],
    ids=["unknown", "unknown-suffix", "double-suffix", "dot-dot", "encoded-slash", "nul", "long"],
)
def test_unknown_and_hostile_paths_are_404(graph_client, url, accept, status, body):
    response = graph_client.get(url, headers={"Accept": accept} if accept else {})
    assert (response.status_code, response.get_data(as_text=True)) == (status, body)


def test_unknown_iri_as_json(graph_client):
    response = graph_client.get("/id/meeting/99", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert json.loads(response.data) == {
        "error": {
            "status": 404,
            "message": "no resource <https://w3id.org/cybercrime-kg/id/meeting/99> in this graph",
        }
    }


def test_unknown_iri_page_for_browsers_suggests_resources(graph_client):
    response = graph_client.get("/id/state/ZZZ", headers={"Accept": "text/html"})
    assert (response.status_code, response.content_type) == (404, "text/html; charset=utf-8")
    html = page(response.get_data(as_text=True))
    suggestions = [(href, text) for href, text in html.anchors if href.startswith("/id/")]
    assert suggestions == [
        ("/id/state/AUT", "Austria"),
        ("/id/state/BRA", "Brazil"),
        ("/id/state/CAN", "Canada"),
        ("/id/state/CHN", "China"),
        ("/id/state/DEU", "Germany"),
        ("/id/state/DZA", "Algeria"),
        ("/id/state/EGY", "Egypt"),
        ("/id/state/IND", "India"),
        ("/id/state/IRN", "Iran (Islamic Republic of)"),
        ("/id/state/JOR", "Jordan"),
    ]


def test_unknown_iri_page_suggests_by_name(graph_client):
    response = graph_client.get("/id/meeting/budapest-convention", headers={"Accept": "text/html"})
    html = page(response.get_data(as_text=True))
    assert response.status_code == 404
    assert [href for href, _ in html.anchors if href.startswith("/id/")][:2] == [
        "/id/instrument/budapest-convention",
        "/id/topic/budapest-convention",
    ]


def test_page_etag_gives_304(graph_client):
    first = graph_client.get("/id/meeting/4?lang=zh")
    assert first.headers["ETag"].endswith('-zh"')
    again = graph_client.get(
        "/id/meeting/4?lang=zh", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304


def test_shapes_and_named_graphs_are_documents(graph_client):
    shapes = graph_client.get("/shapes", headers={"Accept": "text/turtle"})
    assert (shapes.status_code, shapes.headers["Content-Location"]) == (200, "/shapes.ttl")
    graph = parse(shapes.data, "turtle")
    node_shape = URIRef("http://www.w3.org/ns/shacl#NodeShape")
    assert (URIRef(BASE + "shapes#MeetingShape"), RDF.type, node_shape) in graph
    page_of_shapes = graph_client.get("/shapes#MeetingShape", headers={"Accept": "text/html"})
    assert (page_of_shapes.status_code, page_of_shapes.content_type) == (
        200,
        "text/html; charset=utf-8",
    )
    data = graph_client.get("/graph/data.nt")
    assert (data.status_code, data.content_type) == (200, "application/n-triples; charset=utf-8")
    assert (URIRef(MEETING), URIRef(BASE + "ontology#ordinal"), Literal(4)) in parse(
        data.data, "nt"
    )


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/graph/nope", "no graph <https://w3id.org/cybercrime-kg/graph/nope> in this dataset\n"),
        ("/shapes.xyz", "no format .xyz; use one of .html, .ttl, .nt, .jsonld, .rdf, .nq, .trig\n"),
    ],
)
def test_unknown_graph_documents_are_404(graph_client, url, message):
    response = graph_client.get(url)
    assert (response.status_code, response.get_data(as_text=True)) == (404, message)
