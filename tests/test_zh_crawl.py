"""Every page in Chinese shows no English: a crawl of every page with ?lang=zh that fails on
any visible Latin word that is not a proper name, a code, a symbol or an IRI.

What counts as visible: text nodes outside <script>, <style>, <code> and <pre> (Turtle), and
the attributes a visitor reads (title, placeholder, aria-label, alt). What is exempt, and why:
- <blockquote> and <q>: a source's sentence quoted verbatim, English titles in it included (the
  Foreign Ministry's summary writes "(Draft Comprehensive Study on Cybercrime)");
- text inside an element whose `lang` is not Chinese: a value the data holds only in that
  language (a state's Arabic name, an English abbreviation), shown tagged as the source has it;
- IRIs and web addresses; prefixed names (dcterms:identifier) and file suffixes (.ttl): codes;
- tokens with a digit, a slash or a dot inside (UNODC/CCPCJ/EG.4/2018/1, 1(b)): symbols;
- all-capital words (UNODC, BRICS, ISO, OWL): acronyms, proper names in every language;
- a text that is a language code and nothing else (ar, zh-Hans), and one-letter words (the
  "(b)" of agenda item 1(b)): codes and list markers;
- FORMAT_NAMES: names of formats and standards, which Chinese writes in Latin letters too, and
  "No" of treaty series numbers ("ETS No. 185");
- capitalised words inside the data's own Chinese text (an element marked lang="zh"): names of
  people, websites and organisations that Chinese writes in Latin letters (Erik Planken(荷兰)).
  The page's chrome (no lang of its own) gets no such leave: every word of it is checked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from xml.etree import ElementTree

import pytest

from cybercrime_kg.sparql.engines.base import rdflib_quietly
from helpers.pages import ID, tree

FORMAT_NAMES = {
    "SPARQL", "Turtle", "JSON", "JSON-LD", "N-Triples", "N-Quads", "RDF", "RDF/XML", "TriG", "SVG",
    "CSV", "TSV", "XML", "OpenAPI", "BibTeX", "CSL-JSON", "GeoNames", "IRI", "URL", "HTML",
    "Unicode", "No",
}  # fmt: skip
SKIPPED = {"script", "style", "code", "pre", "blockquote", "q"}
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]+)*$")
READ_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
WORD = re.compile(r"[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f0-9'\u2019./:_-]*")
IRI = re.compile(r"(?:https?://|/|urn:)\S+")


def visible(
    element: ElementTree.Element, chinese: bool = True, data: bool = False
) -> Iterator[tuple[str, bool]]:
    """(text, whether it is the data's own Chinese text) for every text a visitor of a Chinese
    page reads in Chinese (see the module docstring)."""
    lang = element.get("lang")
    if lang is not None and element.tag != "html":
        chinese, data = lang.startswith("zh"), True
    tag = element.tag.split("}")[-1] if isinstance(element.tag, str) else ""
    data = data or tag == "title"  # the tab's title is the resource's name
    if tag in SKIPPED:
        return
    if chinese:
        yield from ((element.get(a) or "", data) for a in READ_ATTRIBUTES)
        yield element.text or "", data
    for child in element:
        yield from visible(child, chinese, data)
        if chinese:
            yield child.tail or "", data


def english_words(text: str, data: bool = False) -> list[str]:
    """The Latin words in `text` that no exemption covers."""
    found = []
    if LANGUAGE_CODE.match(text.strip()):
        return found
    for token in IRI.sub(" ", text).split():
        if ":" in token or any(c.isdigit() or c in "/." for c in token.rstrip(".")):
            continue  # a code or a symbol
        for word in WORD.findall(token):
            word = word.strip("./:'\u2019-")
            if len(word) < 2 or word in FORMAT_NAMES or word.isupper():
                continue
            if data and word[0].isupper():
                continue  # a proper name in the data's Chinese text
            found.append(word)
    return found


def leaks(html: str) -> list[str]:
    root = tree(html)
    return sorted({w for text, data in visible(root) for w in english_words(text, data)})


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
        ?s a ?type FILTER(STRSTARTS(STR(?s), "{ID}")) }} ORDER BY ?s"""
    with rdflib_quietly():
        return [str(row.s)[len(ID) :] for row in dataset.query(query)]


SITE_PAGES = [
    "/pictures/stance-matrix",
    "/pictures/timeline",
    "/no/such/page",
    "/id/meeting/no-such-meeting",
]


@pytest.mark.parametrize("path", SITE_PAGES)
def test_site_pages_in_chinese_show_no_english(graph_client, path):
    response = graph_client.get(path, query_string={"lang": "zh"}, headers={"Accept": "text/html"})
    assert leaks(response.get_data(as_text=True)) == [], path


@pytest.mark.xfail(strict=True, reason="website names in Chinese labels; fixed with the citations")
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
