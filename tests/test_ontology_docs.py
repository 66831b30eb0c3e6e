"""The ontology at its IRI: the site's page for people (pyLODE's on request), RDF for tools
(Protégé's "Open from URL")."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from flask.testing import FlaskClient
from rdflib import DCTERMS, OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.term import Node

from cybercrime_kg.paths import project_layout
from cybercrime_kg.web.i18n import sort_key
from helpers.pages import text_of, tree
from helpers.visible import latin_words
from test_formats import parse_graph

ONTOLOGY = "https://w3id.org/cybercrime-kg/ontology"
NS = ONTOLOGY + "#"
ONTOLOGY_FILE = project_layout().ontology / "ieg.ttl"
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
    return Graph().parse(ONTOLOGY_FILE)


def terms(graph: Graph) -> set[str]:
    return {str(s) for s in graph.subjects() if isinstance(s, URIRef) and s.startswith(NS)}


@pytest.mark.parametrize(("accept", "suffix"), NEGOTIATED, ids=[s for _, s in NEGOTIATED])
def test_ontology_iri_negotiates(graph_client: FlaskClient, accept: str | None, suffix: str):
    headers = {"Accept": accept} if accept else {}
    response = graph_client.get("/ontology", headers=headers)
    assert response.status_code == 200
    assert response.content_type == TYPES[suffix]
    assert response.headers["Content-Location"] == f"/ontology.{suffix}"
    # the page is written in the reader's language, so every answer varies with it too
    assert response.headers["Vary"] == "Accept, Accept-Language"


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
    response = graph_client.get("/ontology/0.3.0", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert response.headers["Content-Location"] == "/ontology/0.3.0.ttl"
    assert response.data == current
    assert graph_client.get("/ontology/0.3.0.ttl").data == current
    html = graph_client.get("/ontology/0.3.0", headers={"Accept": "text/html"})
    assert html.content_type == HTML_TYPE


@pytest.mark.parametrize(
    ("path", "accept", "status", "message"),
    [
        (
            "/ontology/0.1.0",
            "text/plain",
            404,
            "no ontology version <https://w3id.org/cybercrime-kg/ontology/0.1.0> here; "
            "version IRIs: https://w3id.org/cybercrime-kg/ontology/0.3.0",
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
    for path in (
        "/ontology.ttl",
        "/ontology.html",
        "/ontology.html?lang=zh",
        "/ontology?style=pylode",
    ):
        etag = graph_client.get(path).headers["ETag"]
        again = graph_client.get(path, headers={"If-None-Match": etag})
        assert again.status_code == 304, path


def test_each_language_and_style_has_its_own_etag(graph_client: FlaskClient):
    paths = ("/ontology.html", "/ontology.html?lang=zh", "/ontology.html?style=pylode")
    etags = {graph_client.get(path).headers["ETag"] for path in paths}
    assert len(etags) == 3
    by_header = graph_client.get("/ontology.html", headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert by_header.headers["ETag"] == graph_client.get("/ontology.html?lang=zh").headers["ETag"]


def test_pylode_rendering_on_request(graph_client: FlaskClient):
    html = graph_client.get("/ontology.html?style=pylode").get_data(as_text=True)
    assert "<title>UN Expert Group on Cybercrime ontology</title>" in html
    assert 'href="https://github.com/RDFLib/pyLODE"' in html or "pyLODE" in html
    # self-contained: nothing loaded from elsewhere (the icons are data: URIs)
    loaded = re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="([^"]+)"', html)
    assert [url for url in loaded if not url.startswith("data:")] == []
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    sections = re.findall(r'<div class="property entity" id="([^"-]+)">', html)
    # every term of ours lands on its section (pyLODE documents the declared external terms too)
    ours = {iri[len(NS) :] for iri in terms(Graph().parse(ONTOLOGY_FILE))}
    assert ours - set(sections) == set()


def entries(html: str) -> dict[str, ElementTree.Element]:
    """The page's term entries by id."""
    return {
        section.get("id", ""): section
        for section in tree(html).iter("section")
        if section.get("class") == "term"
    }


def labels(graph: Graph, lang: str) -> dict[str, str]:
    return {
        str(term)[len(NS) :]: str(label)
        for term, label in graph.subject_objects(RDFS.label)
        if str(term).startswith(NS) and isinstance(label, Literal) and label.language == lang
    }


def definitions(graph: Graph, lang: str) -> dict[str, str]:
    return {
        str(term)[len(NS) :]: str(text)
        for term, text in graph.subject_objects(SKOS.definition)
        if str(term).startswith(NS) and isinstance(text, Literal) and text.language == lang
    }


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_term_has_its_entry_at_its_local_name(
    graph_client: FlaskClient, source: Graph, lang: str
):
    html = graph_client.get(f"/ontology.html?lang={lang}").get_data(as_text=True)
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    shown = {
        fid: text_of(entry.find(".//code[@class='full']"))  # type: ignore[arg-type]
        for fid, entry in entries(html).items()
    }
    expected = {iri[len(NS) :]: iri for iri in terms(source)}
    assert shown == expected
    assert shown["Meeting"] == NS + "Meeting"
    assert shown["ordinal"] == NS + "ordinal"


@pytest.mark.parametrize(("lang", "other"), [("en", "zh"), ("zh", "en")])
def test_entries_name_and_define_in_the_page_language_first(
    graph_client: FlaskClient, source: Graph, lang: str, other: str
):
    html = graph_client.get("/ontology", headers={"Accept-Language": lang}).get_data(as_text=True)
    found = entries(html)
    first = {fid: entry.find("h3/span") for fid, entry in found.items()}
    beside = {fid: entry.find("h3/span[@class='other-lang-text']") for fid, entry in found.items()}
    assert {fid: (e.get("lang"), text_of(e)) for fid, e in first.items() if e is not None} == {
        fid: (lang, label) for fid, label in labels(source, lang).items()
    }
    assert {fid: (e.get("lang"), text_of(e)) for fid, e in beside.items() if e is not None} == {
        fid: (other, label) for fid, label in labels(source, other).items()
    }
    shown = {
        fid: [
            (p.get("lang"), text_of(p))
            for p in entry.iter("p")
            if "definition" in (p.get("class") or "")
        ]
        for fid, entry in found.items()
    }
    assert shown == {
        fid: [(lang, text), (other, definitions(source, other)[fid])]
        for fid, text in definitions(source, lang).items()
    }


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_terms_are_listed_in_the_page_language_order(
    graph_client: FlaskClient, source: Graph, lang: str
):
    html = graph_client.get(f"/ontology?lang={lang}").get_data(as_text=True)
    names = labels(source, lang)
    for section in tree(html).iter("section"):
        if section.get("class") != "terms":
            continue
        ids = [s.get("id", "") for s in section.iter("section") if s.get("class") == "term"]
        assert ids == sorted(ids, key=lambda fid: sort_key(names[fid], lang)), section.get("id")
    if lang == "zh":  # pinyin: 版本所属文件 (ban) before 编写者 (bian), not by code point
        order = list(entries(html))
        assert order.index("versionOf") < order.index("preparedBy")


def named(graph: Graph, node: Node) -> set[URIRef]:
    """The named terms of a class expression: itself, or those its union or restriction names."""
    if isinstance(node, URIRef):
        return {node}
    found: set[URIRef] = set()
    for predicate, value in graph.predicate_objects(node):
        if predicate in (OWL.unionOf, OWL.intersectionOf):
            for member in Collection(graph, value):
                found |= named(graph, member)
        elif predicate != RDF.type:
            found |= named(graph, value)
    return found


def test_relations_come_from_the_graph(graph_client: FlaskClient, source: Graph):
    """Each class's superclasses and each property's domain and range, as links: the term's own
    entry for an ontology term, its IRI for another vocabulary's."""
    html = graph_client.get("/ontology?lang=en").get_data(as_text=True)

    def href(node: URIRef) -> str:
        return "#" + node[len(NS) :] if node.startswith(NS) else str(node)

    shown: dict[tuple[str, str], set[str]] = {}
    for fid, entry in entries(html).items():
        dl = entry.find("dl")
        items = list(dl) if dl is not None else []
        for dt, dd in zip(items[::2], items[1::2], strict=True):
            shown[(fid, text_of(dt))] = {a.get("href", "") for a in dd.iter("a")}
    for prop, row in (
        (RDFS.subClassOf, "Subclass of"),
        (RDFS.domain, "Domain"),
        (RDFS.range, "Range"),
    ):
        expected: dict[tuple[str, str], set[str]] = {}
        for term, value in source.subject_objects(prop):
            if str(term).startswith(NS):
                links = {href(n) for n in named(source, value)}
                expected.setdefault((str(term)[len(NS) :], row), set()).update(links)
        assert {k: v for k, v in shown.items() if k[1] == row} == expected, row


def test_chinese_page_shows_no_english(graph_client: FlaskClient):
    for headers, path in (({}, "/ontology?lang=zh"), ({"Accept-Language": "zh"}, "/ontology")):
        html = graph_client.get(path, headers=headers).get_data(as_text=True)
        assert latin_words(html) == set(), path
        assert '<html lang="zh">' in html


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


@pytest.mark.parametrize(
    ("lang", "rows"),
    [
        (
            "en",
            {
                "IRI": ONTOLOGY,
                "Version IRI": ONTOLOGY + "/0.3.0",
                "Version": "0.3.0",
                "Issued": "22 November 2026",
                "Licence": "https://creativecommons.org/licenses/by/4.0/",
                "Creators": "cybercrime-kg contributors",
                "Namespace": NS + " (prefix ieg:)",
                "See also": "https://www.unodc.org/unodc/en/cybercrime/egm-on-cybercrime.html",
            },
        ),
        (
            "zh",
            {
                "IRI": ONTOLOGY,
                "版本 IRI": ONTOLOGY + "/0.3.0",
                "版本": "0.3.0",
                "发布日期": "2026年11月22日",
                "许可协议": "https://creativecommons.org/licenses/by/4.0/",
                "创建者": "cybercrime-kg contributors",
                "命名空间": NS + " (前缀 ieg:)",
                "另见": "https://www.unodc.org/unodc/en/cybercrime/egm-on-cybercrime.html",
            },
        ),
    ],
)
def test_header_gives_the_ontologys_metadata(
    graph_client: FlaskClient, source: Graph, lang: str, rows: dict[str, str]
):
    html = graph_client.get(f"/ontology?lang={lang}").get_data(as_text=True)
    page = tree(html)
    metadata = next(dl for dl in page.iter("dl") if dl.get("class") == "metadata")
    items = list(metadata)
    shown = {text_of(dt): text_of(dd) for dt, dd in zip(items[::2], items[1::2], strict=True)}
    assert {key: shown[key] for key in rows} == rows
    titles = {t.language: str(t) for t in source.objects(URIRef(ONTOLOGY), DCTERMS.title)}
    descriptions = {
        d.language: str(d) for d in source.objects(URIRef(ONTOLOGY), DCTERMS.description)
    }
    assert [text_of(h1) for h1 in page.iter("h1")] == [titles[lang]]
    about = next(s for s in page.iter("section") if s.get("class") == "description")
    assert [text_of(p) for p in about.iter("p")] == [
        descriptions[lang],
        descriptions["zh" if lang == "en" else "en"],
    ]


def test_the_latin_word_check_sees_english_and_spares_codes():
    html = (
        '<html lang="zh"><head><title>Title</title></head><body><p>会议 Meeting、见 ieg:Meeting、'
        '<code>UNODC</code>、项目1(c)、A/RES/65/230、OWL 2 DL</p><p lang="en">an English line</p>'
        "<p>the end</p></body></html>"
    )
    assert latin_words(html) == {"Meeting", "the", "end"}
