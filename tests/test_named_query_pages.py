"""The named queries' pages (ld/query_pages.py behind web/queries_api.py): the listing in both
languages, forms whose choices come from the data, answers as tables with labels and local links,
and programs still getting the answers they got before.

Expected values are read from the graph here with rdflib's own API (the union of the `dataset`
fixture), not through the server's queries.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from rdflib import RDF, RDFS, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SKOS

from cybercrime_kg.cli.export import union_graph
from cybercrime_kg.web.i18n import sort_key
from helpers.sparql import bindings, text
from helpers.visible import leaks

ID = "https://w3id.org/cybercrime-kg/id/"
IEG = Namespace("https://w3id.org/cybercrime-kg/ontology#")
BUDAPEST = ID + "topic/budapest-convention"
EVIDENCE = ID + "topic/electronic-evidence-and-criminal-justice"
MESSAGES = Path(__file__).resolve().parent.parent / "server/cybercrime_kg/messages/queries.toml"
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
# words a Chinese page may show in Latin letters: names of formats and standards
LATIN_ALLOWED = {"SPARQL", "JSON", "CSV", "TSV", "XML", "OpenAPI", "API", "IRI"}


@dataclass
class Html(HTMLParser):
    """What these tests read from a page: selects, the results table, visible text by language."""

    selects: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # name -> options
    rows: list[dict[str, tuple[str, str]]] = field(default_factory=list)  # column -> (text, href)
    # visible text outside code, pre and elements in another language than the page's
    visible: list[str] = field(default_factory=list)
    anchors: list[tuple[str, str]] = field(default_factory=list)  # (class, href)

    def __post_init__(self) -> None:
        super().__init__()
        self._stack: list[tuple[str, dict[str, str]]] = []
        self._select = ""
        self._option: tuple[str, list[str]] | None = None
        self._cell: tuple[str, list[str], list[str]] | None = None
        self._page_lang = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "html":
            self._page_lang = found.get("lang", "")
        if tag not in ("meta", "link", "input", "br", "img"):
            self._stack.append((tag, found))
        if tag == "select":
            self._select = found["name"]
            self.selects[self._select] = []
        elif tag == "option":
            self._option = (found.get("value", ""), [])
        elif tag == "tr" and any(t == "tbody" for t, _ in self._stack):
            self.rows.append({})
        elif tag == "td" and self.rows:
            self._cell = (found["data-column"], [], [])
        elif tag == "a":
            self.anchors.append((found.get("class", ""), found.get("href", "")))
            if self._cell is not None:
                self._cell[2].append(found.get("href", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self._option is not None:
            self.selects[self._select].append((self._option[0], "".join(self._option[1])))
            self._option = None
        elif tag == "td" and self._cell is not None:
            column, parts, hrefs = self._cell
            self.rows[-1][column] = ("".join(parts).strip(), hrefs[0] if hrefs else "")
            self._cell = None
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] == tag:
                del self._stack[i:]
                break

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._option[1].append(data)
        if self._cell is not None:
            self._cell[1].append(data)
        # data (labels offered, cells of an answer) is checked apart from the chrome around it
        hidden = any(
            t in ("code", "pre", "script", "style", "title", "option", "td")
            or a.get("lang", self._page_lang) != self._page_lang
            for t, a in self._stack
        )
        if not hidden and data.strip():
            self.visible.append(data.strip())


def read(response) -> Html:  # type: ignore[no-untyped-def]
    parsed = Html()
    parsed.feed(text(response))
    parsed.close()
    return parsed


def label(graph: Graph, iri: URIRef, lang: str) -> str:
    """The resource's label in `lang`, else in English (the pages' fallback)."""
    labels = {o.language: str(o) for o in graph.objects(iri, RDFS.label) if isinstance(o, Literal)}
    return labels.get(lang) or labels["en"]


def topics(graph: Graph) -> set[URIRef]:
    """Every instance of ieg:Topic or of a subclass of it."""
    classes = set(graph.transitive_subjects(RDFS.subClassOf, IEG.Topic))
    return {s for c in classes for s in graph.subjects(RDF.type, c) if isinstance(s, URIRef)}


def stances_on(graph: Graph, topic: str) -> set[URIRef]:
    """The stances on a topic or on any topic narrower than it."""
    narrower = set(graph.transitive_subjects(SKOS.broader, URIRef(topic)))
    return {
        s
        for t in narrower
        for s in graph.subjects(IEG.topic, t)
        if (s, RDF.type, IEG.Stance) in graph
    }


@pytest.fixture(scope="module")
def graph(dataset: Dataset) -> Graph:
    """The union of the served graphs, as the queries see it."""
    return union_graph(dataset)


# --- the listing -----------------------------------------------------------------------------


def test_the_listing_in_english(graph_client):
    response = graph_client.get("/queries", headers=BROWSER)
    assert (response.status_code, response.content_type) == (200, "text/html; charset=utf-8")
    assert response.headers["Vary"] == "Accept, Accept-Language"
    page = text(response)
    assert '<html lang="en">' in page
    assert page.count('<details class="query-text">') == 22
    assert "Open in the query editor" not in page  # that link is on a query's own page
    messages = tomllib.loads(MESSAGES.read_text("utf-8"))
    for key in ("queries.intro", "queries.text", "queries.run", "queries.choose"):
        assert messages[key]["en"] in page


def test_the_listing_in_chinese_has_no_english_chrome(graph_client):
    page = read(graph_client.get("/queries?lang=zh", headers=BROWSER))
    latin = {w for t in page.visible for w in re.findall(r"[A-Za-z][A-Za-z-]+", t)}
    assert latin - LATIN_ALLOWED == set()
    messages = tomllib.loads(MESSAGES.read_text("utf-8"))
    visible = " ".join(page.visible)
    assert all(m["zh"] in visible for k, m in messages.items() if k in ("queries.intro",))


def test_summaries_follow_the_page_language(graph_client):
    english = read(graph_client.get("/queries", headers=BROWSER)).visible
    chinese = read(graph_client.get("/queries", headers={**BROWSER, "Accept-Language": "zh"}))
    debate = [t for t in chinese.visible if "《布达佩斯公约》的辩论" in t]
    assert len(debate) == 1 and debate[0].startswith("关于《布达佩斯公约》的辩论(按报道顺序)")
    assert [t for t in english if "Budapest Convention debate" in t] == [
        "The Budapest Convention debate as it was reported: one row per stance and per argument,"
        " in the order of the account, with its position, the source sentences it comes from,"
        " the document that reports it and who asserts it"
    ]


# --- forms: choices from the data ------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_topic_choices_are_the_topics_of_the_data(graph_client, graph, lang):
    page = read(graph_client.get(f"/queries?lang={lang}", headers=BROWSER))
    options = page.selects["topic"]
    assert options[0][0] == ""  # "choose ...", so nothing is run unasked
    offered = options[1:]
    expected = {(str(t), label(graph, t, lang)) for t in topics(graph)}
    assert len(expected) == 47
    assert set(offered) == expected and len(offered) == len(expected)
    assert [t for _, t in offered] == sorted(
        (t for _, t in offered), key=lambda t: sort_key(t, lang)
    )


def test_the_language_choices_are_the_languages_of_the_labels(graph_client, graph):
    options = read(graph_client.get("/queries?lang=zh", headers=BROWSER)).selects["lang"][1:]
    tags = {o.language for o in graph.objects(None, RDFS.label) if isinstance(o, Literal)}
    assert {value for value, _ in options} == tags - {None} == {"ar", "en", "es", "fr", "ru", "zh"}
    assert dict(options)["ar"] == "阿拉伯语"


def test_a_parameter_without_a_class_is_a_text_field(graph_client):
    page = text(graph_client.get("/queries", headers=BROWSER))
    field_html = re.search(r'<input id="show-provenance-resource"[^>]*>', page)
    assert field_html is not None
    assert 'value="https://w3id.org/cybercrime-kg/id/stance/eg4-rebut-gold-standard"' in (
        field_html.group(0)
    )


# --- a query's page: the answer as a table ---------------------------------------------------


@pytest.mark.parametrize("topic", [BUDAPEST, EVIDENCE])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_stances_on_a_chosen_topic_and_only_those(graph_client, graph, topic, lang):
    response = graph_client.get(
        "/queries/list-stances-on-topic",
        query_string={"topic": topic, "format": "html", "lang": lang},
    )
    assert (response.status_code, response.content_type) == (200, "text/html; charset=utf-8")
    page = read(response)
    assert dict(page.selects["topic"])[topic] == label(graph, URIRef(topic), lang)
    assert re.search(rf'<option value="{re.escape(topic)}"[^>]* selected>', text(response))
    expected = stances_on(graph, topic)
    assert expected  # the chosen topics have stances
    shown = {(row["stance"][1], row["stance"][0]) for row in page.rows}
    keep = "?lang=zh" if lang == "zh" else ""  # a link keeps the page's language
    assert shown == {(f"/id/{s.removeprefix(ID)}{keep}", label(graph, s, lang)) for s in expected}
    # other IRIs link here too, by their label: the documents that report the stances
    assert {row["according_to"][0] for row in page.rows} <= {
        label(graph, d, "en") for s in expected for d in graph.objects(s, IEG.accordingTo)
    }


def test_the_budapest_debate_reads_in_chinese(graph_client, graph):
    page = read(graph_client.get("/queries/show-budapest-debate?lang=zh", headers=BROWSER))
    assert len(page.rows) == 14
    positions = {row["position"] for row in page.rows}
    assert positions == {
        (label(graph, URIRef(ID + f"position/{p}"), "zh"), f"/id/position/{p}?lang=zh")
        for p in ("advocates", "opposes", "rebuts")
    }
    reporters = {row["reported_by"] for row in page.rows}
    assert reporters == {
        (label(graph, URIRef(ID + "gov/CHN-mfa"), "zh"), "/id/gov/CHN-mfa?lang=zh")
    }
    arguments = {row["argument"][1] for row in page.rows} - {""}
    assert len(arguments) == 8


def test_open_in_the_query_editor_keeps_the_parameters(graph_client):
    response = graph_client.get(
        "/queries/list-stances-on-topic", query_string={"topic": BUDAPEST}, headers=BROWSER
    )
    links = [href for css, href in read(response).anchors if css == "open-ui"]
    assert len(links) == 1
    url = urlsplit(links[0])
    args = parse_qs(url.query)
    assert (url.path, args["run"]) == ("/", ["1"])
    assert f"?t skos:broader* <{BUDAPEST}> ." in args["query"][0]
    assert "?_topic_iri" not in args["query"][0]


def test_a_page_without_its_values_asks_for_them(graph_client):
    response = graph_client.get("/queries/list-stances-on-topic", headers=BROWSER)
    assert response.status_code == 200
    page = text(response)
    assert '<p class="needs-values">' in page and '<table class="results"' not in page


def test_a_page_with_a_wrong_value_is_the_same_400(graph_client):
    response = graph_client.get(
        "/queries/list-stances-on-topic?topic=budapest-convention", headers=BROWSER
    )
    assert (response.status_code, text(response)) == (
        400,
        "parameter topic must be an absolute http(s) IRI\n",
    )


# --- programs get what they got before -------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "fmt", "content_type"),
    [
        (None, None, "application/sparql-results+json; charset=utf-8"),
        ("*/*", None, "application/sparql-results+json; charset=utf-8"),
        ("application/json", None, "application/sparql-results+json; charset=utf-8"),
        ("text/csv", None, "text/csv; charset=utf-8"),
        (BROWSER["Accept"], "csv", "text/csv; charset=utf-8"),
        (BROWSER["Accept"], "json", "application/sparql-results+json; charset=utf-8"),
        (BROWSER["Accept"], None, "text/html; charset=utf-8"),
        (None, "html", "text/html; charset=utf-8"),
    ],
)
def test_html_only_when_preferred_or_asked_for(graph_client, accept, fmt, content_type):
    headers = {"Accept": accept} if accept else {}
    query = {"topic": BUDAPEST, **({"format": fmt} if fmt else {})}
    response = graph_client.get(
        "/queries/list-stances-on-topic", query_string=query, headers=headers
    )
    assert (response.status_code, response.content_type) == (200, content_type)


def test_the_json_answer_is_unchanged_by_the_pages(graph_client, graph):
    response = graph_client.get("/queries/list-stances-on-topic", query_string={"topic": BUDAPEST})
    assert {r["stance"] for r in bindings(response.data)} == {
        str(s) for s in stances_on(graph, BUDAPEST)
    }


# --- every page in Chinese, read as test_zh_crawl reads a page ----------------------------------

NAMES = sorted(p.stem for p in (Path(__file__).resolve().parent.parent / "queries").glob("*.rq"))
VALUES = {
    "list-stances-on-topic": {"topic": BUDAPEST},
    "show-provenance": {"resource": ID + "stance/eg4-rebut-gold-standard"},
    "show-statement-sources": {"resource": ID + "meeting/4"},
    "list-labels": {"lang": "zh"},
}
ZH_PAGES = NAMES


@pytest.mark.parametrize("name", ZH_PAGES)
def test_every_query_page_in_chinese_shows_no_english(graph_client, name):
    query = {"format": "html", "lang": "zh", **VALUES.get(name, {})}
    response = graph_client.get(f"/queries/{name}", query_string=query)
    assert response.status_code == 200
    page = text(response)
    assert '<html lang="zh">' in page and '<table class="results"' in page
    assert leaks(page) == []


def test_the_listing_in_chinese_shows_no_english_as_the_crawl_reads_it(graph_client):
    assert leaks(text(graph_client.get("/queries?lang=zh", headers=BROWSER))) == []
