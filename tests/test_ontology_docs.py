"""The ontology at its IRI: pyLODE HTML for people, RDF for tools (Protégé's "Open from URL")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from rdflib import RDFS, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from cybercrime_kg.paths import project_layout
from test_formats import parse_graph

ONTOLOGY = "https://w3id.org/cybercrime-kg/ontology"
NS = ONTOLOGY + "#"
# What the OWL API (Protégé's loader) sends when it opens an ontology from a URL
PROTEGE_ACCEPT = (
    "application/rdf+xml, application/xml; q=0.7, text/xml; q=0.6, text/plain; q=0.1, */*; q=0.09"
)
HTML_TYPE = "text/html; charset=utf-8"
TYPES = {
    "html": HTML_TYPE,
    "ttl": "text/turtle; charset=utf-8",
    "nt": "application/n-triples; charset=utf-8",
    "jsonld": "application/ld+json; charset=utf-8",
    "rdf": "application/rdf+xml; charset=utf-8",
    "nq": "application/n-quads; charset=utf-8",
    "trig": "application/trig; charset=utf-8",
}
RDFLIB = {
    "ttl": "turtle",
    "nt": "nt",
    "jsonld": "json-ld",
    "rdf": "xml",
    "nq": "nquads",
    "trig": "trig",
}
NEGOTIATED = [
    (None, "html"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "html"),
    ("text/turtle", "ttl"),
    (PROTEGE_ACCEPT, "rdf"),
    ("text/turtle, application/rdf+xml;q=0.9, */*;q=0.1", "ttl"),
    ("application/ld+json", "jsonld"),
    ("application/n-triples", "nt"),
]


@pytest.fixture(scope="module")
def source() -> Graph:
    """The ontology as its file says it."""
    return Graph().parse(project_layout().ontology / "ieg.ttl")


def terms(graph: Graph) -> set[str]:
    return {str(s) for s in graph.subjects() if isinstance(s, URIRef) and s.startswith(NS)}


@pytest.mark.parametrize(("accept", "suffix"), NEGOTIATED, ids=[s for _, s in NEGOTIATED])
def test_ontology_iri_negotiates(graph_client: FlaskClient, accept: str | None, suffix: str):
    headers = {"Accept": accept} if accept else {}
    response = graph_client.get("/ontology", headers=headers)
    assert response.status_code == 200
    assert response.content_type == TYPES[suffix]
    assert response.headers["Content-Location"] == f"/ontology.{suffix}"
    assert response.headers["Vary"] == "Accept"


@pytest.mark.parametrize("suffix", sorted(TYPES))
def test_suffix_urls_are_one_document_each(graph_client: FlaskClient, suffix: str):
    response = graph_client.get(f"/ontology.{suffix}", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert response.content_type == TYPES[suffix]
    assert "Content-Location" not in response.headers


@pytest.mark.parametrize("suffix", sorted(RDFLIB))
def test_rdf_documents_hold_exactly_the_ontology(
    graph_client: FlaskClient, source: Graph, suffix: str
):
    body = graph_client.get(f"/ontology.{suffix}").data
    assert isomorphic(parse_graph(body, RDFLIB[suffix]), source)


def test_format_parameter_wins(graph_client: FlaskClient):
    response = graph_client.get("/ontology?format=ttl", headers={"Accept": "text/html"})
    assert response.content_type == TYPES["ttl"]
    assert response.headers["Content-Location"] == "/ontology.ttl"


def test_version_iri_serves_the_same(graph_client: FlaskClient):
    current = graph_client.get("/ontology.ttl").data
    response = graph_client.get("/ontology/0.2.0", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert response.headers["Content-Location"] == "/ontology/0.2.0.ttl"
    assert response.data == current
    assert graph_client.get("/ontology/0.2.0.ttl").data == current
    html = graph_client.get("/ontology/0.2.0", headers={"Accept": "text/html"})
    assert html.content_type == HTML_TYPE


@pytest.mark.parametrize(
    ("path", "accept", "status", "message"),
    [
        (
            "/ontology/0.1.0",
            "text/plain",
            404,
            "no ontology version <https://w3id.org/cybercrime-kg/ontology/0.1.0> here; "
            "version IRIs: https://w3id.org/cybercrime-kg/ontology/0.2.0",
        ),
        ("/ontology.pdf", "text/plain", 404, "no ontology document /ontology.pdf"),
        (
            "/ontology",
            "application/pdf",
            406,
            "no acceptable format for Accept: application/pdf; available: text/html, "
            "text/turtle, application/n-triples, application/ld+json, application/rdf+xml, "
            "application/n-quads, application/trig",
        ),
    ],
    ids=["unknown-version", "unknown-suffix", "unacceptable"],
)
def test_refusals(graph_client: FlaskClient, path: str, accept: str, status: int, message: str):
    response = graph_client.get(path, headers={"Accept": accept})
    assert response.status_code == status
    assert response.get_data(as_text=True) == message + "\n"


def test_etag_gives_304(graph_client: FlaskClient):
    for path in ("/ontology.ttl", "/ontology.html"):
        etag = graph_client.get(path).headers["ETag"]
        again = graph_client.get(path, headers={"If-None-Match": etag})
        assert again.status_code == 304, path


def test_html_is_pylode_documentation(graph_client: FlaskClient):
    html = graph_client.get("/ontology.html").get_data(as_text=True)
    assert "<title>UN Expert Group on Cybercrime ontology</title>" in html
    assert 'href="https://github.com/RDFLib/pyLODE"' in html or "pyLODE" in html
    # self-contained: nothing loaded from elsewhere (the icons are data: URIs)
    loaded = re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="([^"]+)"', html)
    assert [url for url in loaded if not url.startswith("data:")] == []
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))


def test_every_term_iri_lands_on_its_section(graph_client: FlaskClient, source: Graph):
    html = graph_client.get("/ontology.html").get_data(as_text=True)
    sections = dict(
        (match.group(1), match.group(2))
        for match in re.finditer(
            r'<div class="property entity" id="([^"]+)">.*?<code>([^<]+)</code>', html, re.S
        )
    )
    expected = {iri[len(NS) :]: iri for iri in terms(source)}
    assert {fid: sections.get(fid) for fid in expected} == expected
    assert sections["Meeting"] == NS + "Meeting"


@pytest.mark.java
def test_owl_api_loads_what_protege_is_served(graph_client: FlaskClient, tmp_path: Path):
    from test_owl import found, parse_profile

    response = graph_client.get("/ontology", headers={"Accept": PROTEGE_ACCEPT})
    document = tmp_path / "ontology.owl"
    document.write_bytes(response.data)
    events = parse_profile([document])
    # the OWL API tries its Turtle parsers first; they fail on XML, the RDF/XML parser must not
    errors = found(events, "parse-error", "parser", "message")
    assert [(parser, m) for parser, m in errors if "Turtle" not in parser] == []
    assert found(events, "loaded", "format", "ontology") == [("RDFXMLDocumentFormat", ONTOLOGY)]
    assert found(events, "unparsed-triple", "triple") == []
    assert found(events, "profile-violation", "kind", "message") == []


def test_every_term_section_gives_its_chinese_label(graph_client: FlaskClient, source: Graph):
    html = graph_client.get("/ontology.html").get_data(as_text=True)
    shown = {
        match.group(1): match.group(2)
        for match in re.finditer(
            r'<div class="property entity" id="([^"-]+)">(?:(?!<div ).)*?</tr>\s*<tr>\s*'
            r'<th>Label \(Chinese\) / 中文标签</th>\s*<td lang="zh">([^<]+)</td>',
            html,
            re.S,
        )
    }
    expected = {
        str(term)[len(NS) :]: str(label)
        for term, label in source.subject_objects(RDFS.label)
        if str(term).startswith(NS) and isinstance(label, Literal) and label.language == "zh"
    }
    assert shown == expected
    assert shown["Meeting"] == "会议"
    assert shown["Stance"] == "立场"
