"""Every page in Chinese shows no English: a crawl of every page with ?lang=zh that fails on
any visible Latin word that is not a proper name, a code, a symbol or an IRI (what is exempt,
and why: tests/helpers/visible.py)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from cybercrime_kg.sparql.engines.base import rdflib_quietly
from helpers.pages import ID
from helpers.visible import leaks


def test_the_check_finds_english_and_spares_what_is_exempt():
    html = (
        '<html lang="zh"><body><p title="Search">立场 and 主张</p><p lang="en">Vienna</p>'
        "<p>UNODC/CCPCJ/EG.4/2018/1 · 1(b) · BRICS · dcterms:identifier · JSON-LD · "
        "https://w3id.org/x</p><code>SELECT ?x</code><script>var a;</script>"
        '<p>Erik Planken</p><p lang="zh">Erik Planken(荷兰) · 转录本(technodocbox)</p>'
        "<q>(Draft Comprehensive Study on Cybercrime)</q></body></html>"
    )
    assert leaks(html) == ["Erik", "Planken", "Search", "and", "technodocbox"]


def resources(dataset) -> list[str]:
    """Every resource with a page: the IRIs under /id/ that the graph names."""
    query = f"""SELECT DISTINCT ?s WHERE {{
        ?s a ?type FILTER(STRSTARTS(STR(?s), "{ID}") && !CONTAINS(STR(?s), "#")) }}
        ORDER BY ?s"""
    with rdflib_quietly():
        return [str(row.s)[len(ID) :] for row in dataset.query(query)]


SITE_PAGES = [
    "/search?q=%E4%B8%AD%E5%9B%BD",
    "/search?q=gold+standard+rebut",
    "/search?q=",
    "/builder",
    "/ontology",
    "/pictures/stance-matrix",
    "/pictures/timeline",
    "/no/such/page",
    "/id/meeting/no-such-meeting",
]


@pytest.mark.parametrize("path", SITE_PAGES)
def test_site_pages_in_chinese_show_no_english(graph_client, path):
    url = f"{path}{'&' if '?' in path else '?'}lang=zh"
    response = graph_client.get(url, headers={"Accept": "text/html"})
    typed = parse_qs(urlsplit(path).query).get("q", [""])[0]
    assert leaks(response.get_data(as_text=True), typed) == [], path


def test_every_resource_page_in_chinese_shows_no_english(graph_client, dataset):
    paths = resources(dataset)
    assert len(paths) > 500
    leaking = {}
    for rest in paths:
        response = graph_client.get(f"/id/{rest}?lang=zh", headers={"Accept": "text/html"})
        assert response.status_code == 200, rest
        found = leaks(response.get_data(as_text=True))
        if found:
            leaking[rest] = found
    assert leaking == {}
