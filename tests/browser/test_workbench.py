"""Issue 19, the query page as a workbench: share links that run, labelled local results, chart,
timeline and graph views, autocompletion from the ontology, Chinese chrome; and no page of the
site loads a script or stylesheet from anywhere but this server.

Expected answers come from the project's sources (the `dataset` fixture, parsed by rdflib), never
from the server under test.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import Page, Request, expect
from rdflib import BNode, Dataset, Graph, Literal, URIRef

from cybercrime_kg.cli.export import union_graph
from cybercrime_kg.namespaces import DEFAULT_BASE, IEG, PREFIXES
from cybercrime_kg.paths import project_layout
from cybercrime_kg.sparql.engines.base import rdflib_quietly
from cybercrime_kg.web.i18n import text

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
STANCE = f"{DEFAULT_BASE}id/stance/eg4-rebut-gold-standard"
MEETINGS = """PREFIX ieg: <https://w3id.org/cybercrime-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?meeting ?start WHERE {
  ?meeting a ieg:Meeting ; ieg:meetingOf <https://w3id.org/cybercrime-kg/id/body/expert-group> .
  OPTIONAL { ?meeting ieg:startDate ?start }
}"""
# the site's pages, one of each template
PAGES = (
    "/",
    "/queries",
    "/search?q=x",
    "/id/stance/eg4-rebut-gold-standard",
    "/pictures/timeline",
    "/pictures/stance-matrix",
    "/ontology",
    "/builder",
    "/no/such/page",
)
# words that are the same in both languages: names of standards and programs (the share box
# offers the query as a cURL command), SPARQL's query forms and HTTP's methods and header (in
# the request settings), and the switch to English
SAME_IN_BOTH = {"IRI", "SPARQL", "API", "English", "ASK", "SELECT", "CONSTRUCT", "DESCRIBE"}
SAME_IN_BOTH |= {"GET", "POST", "Accept", "cURL"}


@pytest.fixture(scope="module")
def union(dataset: Dataset) -> Graph:
    """The sources' default graph (every named graph merged), as a plain graph."""
    return union_graph(dataset)


def screenshot(tab: Page, name: str) -> Path:
    """Save a full-page screenshot to tests/artifacts/<name>.png (kept after the run)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=True)
    return path


def open_query(tab: Page, site: str, query: str, lang: str = "en") -> None:
    """The workbench running `query` from a ?query=&run=1 link; waits for the answer."""
    suffix = "&lang=zh" if lang == "zh" else ""
    tab.goto(f"{site}/?query={quote(query)}&run=1{suffix}")
    expect(tab.locator(".tabPanel.active .yasr_response_chip")).not_to_be_empty()


def label(union: Graph, iri: str, lang: str) -> str:
    """The rdfs:label of `iri` in `lang` (the page's choice: that language, else English)."""
    query = "SELECT ?label WHERE { ?iri <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
    found = union.query(query, initBindings={"iri": URIRef(iri)})
    labels = {row.label.language: str(row.label) for row in found}  # type: ignore[union-attr]
    return labels.get(lang) or labels["en"]


def meetings(union: Graph) -> dict[str, str | None]:
    """Every Expert Group meeting and its start date (None where the sources give none)."""
    return {
        str(row.meeting): (str(row.start) if row.start is not None else None)  # type: ignore[union-attr]
        for row in union.query(MEETINGS)
    }


def test_share_link_opens_and_runs_the_same_query_in_a_fresh_browser(
    page: Page, fresh_page: Page, site: str
):
    page.goto(site + "/")
    page.locator('#examples button[data-name="list-meetings"]').click()
    panel = page.locator(".tabPanel.active")
    query = page.evaluate("window.cybercrimeKg.yasgui.getTab().getQuery()")
    panel.locator(".yasqe_share").click()
    link = panel.locator(".yasqe_sharePopup input").input_value()
    assert urlsplit(link).fragment.startswith("query=")

    fresh_page.goto(link)
    fresh = fresh_page.locator(".tabPanel.active")
    expect(fresh.locator(".yasr table.dataTable tbody tr")).to_have_count(7)
    assert fresh_page.evaluate("window.cybercrimeKg.yasgui.getTab().getQuery()") == query
    expect(fresh_page.locator(".tabsList .tab.active")).to_contain_text("list-meetings")
    # the link has been read: a reload shows the stored tabs, the shared one among them
    assert urlsplit(fresh_page.url).fragment == ""
    fresh_page.reload()
    expect(fresh_page.locator(".tabsList .tab.active")).to_contain_text("list-meetings")
    assert fresh_page.evaluate("window.cybercrimeKg.yasgui.getTab().getQuery()") == query
    screenshot(fresh_page, "workbench-share-link")


def test_describe_link_of_a_resource_page_runs(page: Page, site: str):
    page.goto(site + "/id/stance/eg4-rebut-gold-standard")
    page.locator('a[href*="run=1"]').first.click()
    panel = page.locator(".tabPanel.active")
    expect(panel.locator(".CodeMirror-code")).to_contain_text(f"DESCRIBE <{STANCE}>")
    expect(panel.locator(".yasr table.dataTable tbody tr").first).to_be_visible()


def test_result_iris_show_labels_from_one_query_and_open_local_pages(
    fresh_page: Page, site: str, union: Graph
):
    page = fresh_page  # no stored tab whose answer would be labelled too
    label_queries: list[Request] = []
    page.on(
        "request",
        lambda r: label_queries.append(r) if "VALUES" in (r.post_data or "") else None,
    )
    open_query(page, site, MEETINGS)
    # the first column after the row number: ?meeting
    cells = page.locator(".tabPanel.active .yasr tbody td:nth-child(2) a.iri")
    expected = meetings(union)
    expect(cells).to_have_count(len(expected))
    shown = {
        a.get_attribute("title"): (a.inner_text(), a.get_attribute("href")) for a in cells.all()
    }
    assert shown == {
        iri: (label(union, iri, "en"), "/" + iri.removeprefix(DEFAULT_BASE)) for iri in expected
    }
    assert len(label_queries) == 1, "one labels query per result set"

    # the prefixed names on demand
    page.locator('#iri-display input[value="curie"]').check()
    expect(cells.first).to_have_text(re.compile(r"^meeting:\d+$"))
    page.locator('#iri-display input[value="label"]').check()

    fourth = f"{DEFAULT_BASE}id/meeting/4"
    with page.expect_navigation():
        page.locator(f'.tabPanel.active .yasr tbody a[title="{fourth}"]').click()
    assert page.url == f"{site}/id/meeting/4"
    assert len(page.context.pages) >= 1 and page.context.pages[-1] == page, "same tab"
    expect(page.locator("h1")).to_have_text(label(union, fourth, "en"))


def named_query(dataset: Dataset, name: str) -> list[Any]:
    """A named query's answer, evaluated by rdflib straight on the sources."""
    text = (project_layout().queries / f"{name}.rq").read_text(encoding="utf-8")
    with rdflib_quietly():
        return list(dataset.query(text))


def run_example(tab: Page, site: str, name: str) -> None:
    """The workbench with a named query opened from the list and run."""
    tab.goto(site + "/")
    tab.locator(f'#examples button[data-name="{name}"]').click()
    panel = tab.locator(".tabPanel.active")
    panel.locator(".yasqe_queryButton").click()
    expect(panel.locator(".yasr_response_chip")).not_to_be_empty()


def test_bar_chart_counts_the_rows_of_each_value(
    page: Page, site: str, dataset: Dataset, union: Graph
):
    # the stance matrix's query: a bar per ?holder, as long as its number of rows
    expected = Counter(str(row.holder) for row in named_query(dataset, "show-stance-matrix"))
    assert len(expected) > 10
    run_example(page, site, "show-stance-matrix")
    page.locator(".tabPanel.active .select_chart").click()
    # the bars' length: the number of rows (the default would be its first numeric column)
    length = page.locator(".tabPanel.active .view-controls select").nth(1)
    length.select_option("")
    chart = page.locator(".tabPanel.active .view-chart svg[data-bars]")
    expect(chart).to_have_attribute("data-bars", str(len(expected)))
    bars = chart.locator('g[aria-label="bar"] a')
    expect(bars).to_have_count(len(expected))
    drawn = {a.get_attribute("href"): a.locator("title").text_content() for a in bars.all()}
    assert drawn == {
        "/" + iri.removeprefix(DEFAULT_BASE): f"{label(union, iri, 'en')}: {rows}"
        for iri, rows in expected.items()
    }
    ticks = set(chart.locator('g[aria-label="y-axis tick label"] text').all_text_contents())
    names = {label(union, iri, "en") for iri in expected}
    assert ticks == {n if len(n) <= 40 else n[:39] + "…" for n in names}
    screenshot(page, "workbench-chart")


def test_timeline_places_each_meeting_on_its_dates(
    page: Page, site: str, dataset: Dataset, union: Graph
):
    rows = [r for r in named_query(dataset, "list-meetings") if r.start is not None]
    assert len(rows) >= 6
    run_example(page, site, "list-meetings")
    page.locator(".tabPanel.active .select_timeline").click()
    timeline = page.locator(".tabPanel.active .view-timeline svg[data-items]")
    expect(timeline).to_have_attribute("data-items", str(len(rows)))
    dots = timeline.locator('g[aria-label="dot"] a')
    expect(dots).to_have_count(len(rows))

    def when(row: Any) -> str:
        name = label(union, str(row.meeting), "en")
        if row.end is not None and str(row.end) > str(row.start):
            return f"{name}: {row.start} \N{EN DASH} {row.end}"
        return f"{name}: {row.start}"

    assert {a.locator("title").text_content() for a in dots.all()} == {when(r) for r in rows}
    years = timeline.locator('g[aria-label="x-axis tick label"] text').all_text_contents()
    first, last = min(str(r.start)[:4] for r in rows), max(str(r.start)[:4] for r in rows)
    assert years and all(int(first) <= int(year) <= int(last) + 1 for year in years)
    screenshot(page, "workbench-timeline")


def test_graph_view_draws_the_resources_of_a_describe(page: Page, site: str):
    open_query(page, site, f"DESCRIBE <{STANCE}>")
    page.locator(".tabPanel.active .select_graph").click()
    canvas = page.locator(".tabPanel.active .view-graph .graph-canvas")
    expect(canvas.locator("canvas").first).to_be_attached()
    # what the endpoint answered, read back from the page's own copy of the response
    turtle = page.evaluate(
        "window.cybercrimeKg.yasgui.getTab().getYasr().results.getOriginalResponseAsString()"
    )
    described = Graph().parse(data=turtle, format="turtle")
    resources = {
        node
        for s, _, o in described
        if isinstance(o, (URIRef, BNode))
        for node in (s, o)
        if not isinstance(node, Literal)
    }
    links = {(s, p, o) for s, p, o in described if isinstance(o, (URIRef, BNode))}
    expect(canvas).to_have_attribute("data-nodes", str(len(resources)))
    expect(canvas).to_have_attribute("data-edges", str(len(links)))
    assert len(resources) > 10
    # a drawn canvas has ink on it
    inked = page.evaluate(
        """(el) => [...el.querySelectorAll('canvas')].some((c) => {
             const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
             for (let i = 3; i < data.length; i += 4) if (data[i]) return true;
             return false; })""",
        canvas.element_handle(),
    )
    assert inked
    screenshot(page, "workbench-graph")


def test_a_view_whose_library_cannot_load_says_so(fresh_page: Page, site: str):
    fresh_page.route("**/vendor/cytoscape/cytoscape.min.js", lambda route: route.abort())
    open_query(fresh_page, site, f"DESCRIBE <{STANCE}>")
    panel = fresh_page.locator(".tabPanel.active")
    panel.locator(".select_graph").click()
    expect(panel.locator(".view-graph .workbench-notice")).to_have_text(
        text("workbench.view_failed", "en", error="/static/vendor/cytoscape/cytoscape.min.js")
    )
    # the other views still work
    panel.locator(".select_table").click()
    expect(panel.locator(".yasr tbody tr").first).to_be_visible()


def test_autocompletion_offers_the_ontologys_classes_with_labels(page: Page, site: str):
    page.goto(site + "/?lang=zh")
    panel = page.locator(".tabPanel.active")
    panel.locator(".CodeMirror").click()
    page.keyboard.press("Control+A")
    page.keyboard.type(f"PREFIX ieg: <{IEG}>\nSELECT * WHERE {{ ?m a ieg:Meet")
    hints = page.locator(".CodeMirror-hints li")
    expect(hints.first).to_be_visible()
    assert "ieg:Meeting · 会议 (类)" in hints.all_inner_texts()
    page.keyboard.press("Escape")
    # properties where a predicate goes, found by their label as well as their name
    page.keyboard.type(" ; ieg:start")
    expect(hints.first).to_be_visible()
    assert "ieg:startDate · 开始日期 (属性)" in hints.all_inner_texts()
    page.keyboard.press("Escape")
    # the graph's prefixes, and no others (YASGUI's bundled list of the web's prefixes)
    page.keyboard.press("Control+A")
    page.keyboard.type("PREFIX ")
    page.keyboard.press("Control+Space")
    expect(hints.first).to_be_visible()
    offered = hints.all_inner_texts()
    assert offered == sorted(f"{p}: <{iri}>" for p, iri in PREFIXES.items())


def visible_english(tab: Page) -> list[str]:
    """Words of Latin script in the page's chrome: text shown and labels read out."""
    found: list[str] = tab.evaluate(
        """() => {
        const content = '.CodeMirror-lines, .CodeMirror-hints, '
          + '.yasr_results tbody, .yasr_results thead, .yasr_results pre, code, '
          + '.workbench-view svg, .graph-canvas, option, '
          + '[lang="en"], script, style';
        const shown = (el) =>
          el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden';
        const found = [];
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const el = node.parentElement;
          if (el && !el.closest(content) && shown(el)) found.push(node.nodeValue);
        }
        for (const el of document.body.querySelectorAll('[title], [placeholder], [aria-label]')) {
          if (el.closest(content) || !shown(el)) continue;
          for (const name of ['title', 'placeholder', 'aria-label']) {
            if (el.hasAttribute(name)) found.push(el.getAttribute(name));
          }
        }
        return found;
      }"""
    )
    words = {w for text in found for w in re.findall(r"[A-Za-z]{2,}", text)}
    return sorted(words - SAME_IN_BOTH)


def test_chinese_page_shows_no_english_chrome(fresh_page: Page, site: str, union: Graph):
    page = fresh_page
    open_query(page, site, MEETINGS, lang="zh")
    panel = page.locator(".tabPanel.active")
    # the resources by their Chinese names, linked to their Chinese pages
    cells = panel.locator(".yasr tbody td:nth-child(2) a.iri")
    expected = meetings(union)
    expect(cells).to_have_count(len(expected))
    assert {(a.inner_text(), a.get_attribute("href")) for a in cells.all()} == {
        (label(union, iri, "zh"), "/" + iri.removeprefix(DEFAULT_BASE) + "?lang=zh")
        for iri in expected
    }
    assert visible_english(page) == []
    for view in ("chart", "timeline"):
        panel.locator(f".select_{view}").click()
        expect(panel.locator(f".view-{view} svg")).to_be_visible()
        assert visible_english(page) == [], view
    # the timeline chosen, then an answer without dates: YASR says it falls back to the table
    page.evaluate(
        "window.cybercrimeKg.yasgui.getTab().setQuery("
        "'SELECT ?meeting WHERE { ?meeting a <https://w3id.org/cybercrime-kg/ontology#Meeting> }')"
        " && null"
    )
    panel.locator(".yasqe_queryButton").click()
    fallback = text("workbench.fallback_view", "zh", wanted="时间线", shown="表格")
    expect(panel.locator(".yasr_fallback_info")).to_have_text(fallback)
    assert visible_english(page) == []
    panel.locator(".tabContextButton").click()  # the request settings
    assert visible_english(page) == []
    page.keyboard.press("Escape")
    panel.locator(".yasqe_share").click()
    assert visible_english(page) == []
    screenshot(page, "workbench-zh")


def test_workbench_fits_a_phone(page: Page, site: str):
    page.set_viewport_size({"width": 390, "height": 844})
    open_query(page, site, MEETINGS)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    editor = page.locator(".tabPanel.active .CodeMirror").bounding_box()
    assert editor is not None and editor["width"] > 300
    screenshot(page, "workbench-phone")


@pytest.mark.parametrize("path", PAGES)
def test_pages_load_scripts_and_styles_from_this_server_only(page: Page, site: str, path: str):
    response = page.goto(site + path)
    assert response is not None and response.status == (404 if "no/such" in path else 200), path
    loaded = page.evaluate(
        """() => [
          ...[...document.querySelectorAll('script[src]')].map((e) => e.src),
          ...[...document.querySelectorAll('link[rel~="stylesheet"], link[rel~="preload"]')]
            .map((e) => e.href),
        ]"""
    )
    elsewhere = [url for url in loaded if urlsplit(url).netloc != urlsplit(site).netloc]
    assert elsewhere == [], path
    # and no script is written into the page: only JSON data blocks
    inline = page.evaluate(
        """() => [...document.querySelectorAll('script:not([src])')]
          .map((e) => e.type || 'text/javascript')
          .filter((t) => !['application/json', 'application/ld+json'].includes(t))"""
    )
    assert inline == [], path
