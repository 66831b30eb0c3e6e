"""No page shows the repository: every resource page, in English and Chinese, is crawled for
repository paths, file names and the words of the project's own notes.

What a page may hold that looks like a path: a web address (`http://`, `https://`), in a link or
in its text. Those are public: the IRIs of the graph (permanent, even where an old key names the
site a copy came from), the addresses of the web pages the facts come from (one ends `.pdf.txt`),
and the site's own links (`/id/meeting/4.ttl` is a document of this server, not a file of the
repository); and the citation key made from an IRI's path (`cybercrime-kg-doc-web-...`). They
are taken out before the search; nothing else is allowed.
"""

from __future__ import annotations

import re

import pytest

from cybercrime_kg.ld.deref import for_readers
from cybercrime_kg.ld.describe import description_graph
from cybercrime_kg.sparql.engines.base import Job
from helpers.pages import BASE, ID, page

# (a sourced statement, <subject#property=value>, is served on its subject's page)
SUBJECTS = (
    "SELECT DISTINCT ?s WHERE { ?s ?p ?o "
    f"FILTER(STRSTARTS(STR(?s), '{ID}') && !CONTAINS(STR(?s), '#')) }}"
)
# where a path or a file name is a link's target, not text: taken out with the web addresses and
# the citation keys (ld/citation.py: the IRI's path)
_LINKS = re.compile(
    r"""\b(?:href|src|action|download)="[^"]*"|https?://[^\s"'<>]+|\bcybercrime-kg-[\w.-]+"""
)
INTERNAL = re.compile(
    r"shared/|data/"  # folders of the repository and the shared notes
    r"|[\w.-]+\.(?:md|ttl|txt)\b"  # the notes, the data files, the source transcripts
    r"|technodocbox|quoted in|public-record\.md|seed [AB]\b",  # words of the project's notes
    re.I,
)


def offences(html: str) -> list[str]:
    text = _LINKS.sub(" ", html)
    return [text[max(0, m.start() - 40) : m.end() + 20] for m in INTERNAL.finditer(text)]


@pytest.fixture(scope="module")
def subjects(graph_service) -> list[str]:
    rows = graph_service.engine.execute(Job(SUBJECTS, BASE, max_rows=100_000)).rows
    return sorted(str(row[0]) for row in rows)


def test_the_search_catches_what_the_pages_used_to_show():
    shown = (
        "<td>list of documents; quoted in shared/public-record.md §2.1</td>",
        "<li>Transcript of E/CN.15/2018/12 (technodocbox)</li>",
        "<td>source</td><td>000_7733b509ce2f1b5a.txt</td>",
        '<a href="https://technodocbox.com/x.html">https://technodocbox.com/x.html</a>',
    )
    assert [bool(offences(html)) for html in shown] == [True, True, True, False]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_resource_page_shows_a_repository_path_or_internal_word(graph_client, subjects, lang):
    assert len(subjects) > 600
    found = {}
    for iri in subjects:
        response = graph_client.get(f"{iri.removeprefix(BASE[:-1])}?lang={lang}")
        assert response.status_code == 200, iri
        assert response.content_type == "text/html; charset=utf-8"
        bad = offences(response.get_data(as_text=True))
        if bad:
            found[iri] = bad
    ontology = graph_client.get(f"/ontology?lang={lang}", headers={"Accept": "text/html"})
    assert ontology.status_code == 200
    bad = offences(ontology.get_data(as_text=True))
    if bad:
        found["ontology"] = bad
    assert found == {}


def test_the_source_files_stay_in_the_data_and_its_documents(graph_client, graph_service):
    # provenance back to the transcript is kept for SPARQL and the RDF documents
    document = ID + "doc/mfa-summary-2018-04-11"
    turtle = graph_client.get("/id/doc/mfa-summary-2018-04-11.ttl").get_data(as_text=True)
    assert '"000_7733b509ce2f1b5a.txt"' in turtle
    graph = description_graph(graph_service, document)
    sources = {str(o) for p, o in graph.predicate_objects() if str(p).endswith("terms/source")}
    assert sources == {"000_7733b509ce2f1b5a.txt"}
    assert not any(str(p).endswith("terms/source") for p in for_readers(graph).predicates())


WEB_PAGES = """
PREFIX ieg: <https://w3id.org/cybercrime-kg/ontology#>
SELECT ?page ?url WHERE { ?page a ieg:WebPage ; ieg:url ?url }"""


def test_every_web_source_page_links_its_public_address(graph_client, graph_service):
    rows = graph_service.engine.execute(Job(WEB_PAGES, BASE, max_rows=10_000)).rows
    assert len(rows) > 40
    missing = []
    for resource, url in rows:
        html = graph_client.get(str(resource).removeprefix(BASE[:-1]) + ".html").get_data(
            as_text=True
        )
        if (str(url), str(url)) not in page(html).anchors:
            missing.append(str(resource))
    assert missing == []


def test_the_seed_agenda_links_the_page_that_publishes_it(graph_client):
    # UNODC's 2018 page lists UNODC/CCPCJ/EG.4/2018/1 in the six languages (the public record)
    for key in ("UNODC-CCPCJ-EG.4-2018-1", "UNODC-CCPCJ-EG.4-2018-1-zh"):
        parsed = page(graph_client.get(f"/id/doc/{key}.html").get_data(as_text=True))
        assert ("/id/doc/web-eg-2018", "The Expert Group's 2018 web page") in parsed.anchors
    published = page(graph_client.get("/id/doc/web-eg-2018.html").get_data(as_text=True))
    address = (
        "http://www.unodc.org/unodc/en/organized-crime/open-ended-intergovernmental-expert-group-"
        "to-conduct-a-comprehensive-study-of-the-problem-of-cybercrime2018.html"
    )
    assert (address, address) in published.anchors
