"""The visual query builder (/builder) in Chromium: the Budapest question built by clicking,
its SPARQL shown, run on this server's /sparql, and the answer compared with the sources.

The question: which states rebutted the claim that the Budapest Convention is the gold
standard, and with which arguments. The source (data/stances-4.ttl) names the holders of
stance:eg4-rebut-gold-standard: China, Iran, Egypt, Algeria, Kuwait and group:brics ("the other
BRICS countries", whose members it does not name). The question asks for states, so the builder
narrows the holder to ieg:State and BRICS, a group of states, is not among the answers; the same
criterion with the holder left at ieg:Agent brings the group back (checked below too).
"""

from __future__ import annotations

import json
import re
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from rdflib import RDF, RDFS, Graph, URIRef
from test_browser import screenshot

from cybercrime_kg.namespaces import IEG, PREFIXES
from cybercrime_kg.web.i18n import text

DATA = Path(__file__).resolve().parents[2] / "data"


def curie(short: str) -> URIRef:
    prefix, _, local = short.partition(":")
    return URIRef(PREFIXES[prefix] + local)


STANCE = curie("stance:eg4-rebut-gold-standard")
CLAIM = curie("prop:budapest-gold-standard")
REBUTS = curie("position:rebuts")
CHINA = curie("state:CHN")

DIRECT = f"""
PREFIX ieg: <{IEG}>
SELECT DISTINCT ?holder WHERE {{
  ?stance a ieg:Stance ; ieg:target <{CLAIM}> ; ieg:position <{REBUTS}> ; ieg:holder ?holder .
  ?holder a ieg:State .
}}"""


def select(site: str, query: str) -> list[dict[str, str]]:
    """A SELECT on the server's /sparql, as {variable: value} rows."""
    url = f"{site}/sparql?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        data = json.load(response)
    return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


@pytest.fixture(scope="module")
def source_holders() -> tuple[set[str], set[str]]:
    """The holders of the rebutting stance in the source file, and those typed ieg:State."""
    graph = Graph()
    for path in sorted(DATA.glob("*.ttl")):
        graph.parse(path)
    holders = {str(h) for h in graph.objects(STANCE, IEG.holder)}
    states = {h for h in holders if (URIRef(h), RDF.type, IEG.State) in graph}
    return holders, states


def choose(row, field: str, value: str) -> None:
    """Pick an option (by value) once the select offers it (value lists load from /sparql)."""
    select_box = row.locator(f"select.criterion-{field}")
    expect(select_box.locator(f'option[value="{value}"]')).to_have_count(1)
    select_box.select_option(value)


def add_condition(page: Page, prop: str, cls: str | None = None, value: str | None = None):
    page.locator("#builder-add").click()
    row = page.locator("#builder-criteria li.criterion").last
    choose(row, "property", str(prop))
    if cls is not None:
        choose(page.locator("#builder-criteria li.criterion").last, "class", str(cls))
    if value is not None:
        choose(page.locator("#builder-criteria li.criterion").last, "value", str(value))
    return page.locator("#builder-criteria li.criterion").last


def build_budapest_question(page: Page, holder_class: URIRef) -> None:
    page.locator("#builder-class").select_option(str(IEG.Stance))
    add_condition(page, IEG.target, value=CLAIM)
    add_condition(page, IEG.position, value=REBUTS)
    add_condition(page, IEG.holder, cls=holder_class)
    add_condition(page, IEG.argument)


def result_column(page: Page, variable: str) -> list[str]:
    """The IRIs (data-iri) of one column of the result table."""
    table = page.locator("#builder-table")
    headers = table.locator("thead th")
    names = [headers.nth(i).get_attribute("data-var") for i in range(headers.count())]
    column = names.index(variable)
    return [
        row.locator("td").nth(column).locator("a").get_attribute("data-iri") or ""
        for row in table.locator("tbody tr").all()
    ]


def test_builder_builds_and_runs_the_budapest_question(
    page: Page, site: str, source_holders: tuple[set[str], set[str]]
):
    holders, states = source_holders
    assert holders - states == {str(curie("group:brics"))}  # the one holder that is not a state
    direct = {row["holder"] for row in select(site, DIRECT)}
    assert direct == states

    page.goto(site + "/builder")
    build_budapest_question(page, IEG.State)
    page.locator("#builder-show-root").uncheck()  # states and arguments, not the stance itself
    sparql = page.locator("#builder-sparql")
    expect(sparql).to_contain_text("SELECT DISTINCT ?holder ?argument WHERE")
    expect(sparql).to_contain_text("VALUES ?target { prop:budapest-gold-standard }")
    expect(sparql).to_contain_text("VALUES ?position { position:rebuts }")
    expect(sparql).to_contain_text("?holder rdf:type/rdfs:subClassOf* ieg:State .")
    page.locator("#builder-run").click()
    expect(page.locator("#builder-status")).to_have_text(re.compile(r"^\d+ rows$"))
    assert set(result_column(page, "holder")) == direct == states
    # every argument the source gives the stance, for each state
    arguments = {
        str(a) for a in Graph().parse(DATA / "stances-4.ttl").objects(STANCE, IEG.argument)
    }
    assert set(result_column(page, "argument")) == arguments
    assert page.locator("#builder-table tbody tr").count() == len(states) * len(arguments)
    # labels, and links to this server's own pages
    china = page.locator(f'#builder-table a[data-iri="{CHINA}"]').first
    expect(china).to_have_text("China")
    expect(china).to_have_attribute("href", "/id/state/CHN")
    screenshot(page, "builder-budapest")

    # the same query opens in the editor
    query = sparql.inner_text()
    href = page.locator("#builder-editor").get_attribute("href") or ""
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(href).query)["query"] == [query]
    page.locator("#builder-editor").click()
    expect(page.locator(".tabPanel.active .CodeMirror-code")).to_contain_text(
        "VALUES ?target { prop:budapest-gold-standard }"
    )


def test_any_agent_as_holder_brings_the_group_back(
    page: Page, site: str, source_holders: tuple[set[str], set[str]]
):
    holders, _ = source_holders
    page.goto(site + "/builder")
    build_budapest_question(page, IEG.Agent)
    expect(page.locator("#builder-sparql")).not_to_contain_text("?holder rdf:type")
    page.locator("#builder-run").click()
    expect(page.locator("#builder-status")).to_have_text(re.compile(r"^\d+ rows$"))
    assert set(result_column(page, "holder")) == holders


def test_builder_in_chinese_on_a_phone(page: Page, site: str):
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        page.goto(site + "/builder?lang=zh")
        expect(page.locator("html")).to_have_attribute("lang", "zh")
        build_budapest_question(page, IEG.State)
        page.locator("#builder-run").click()
        expect(page.locator("#builder-status")).to_have_text(re.compile(r"^共 \d+ 行$"))
        expect(page.locator(f'#builder-table a[data-iri="{CHINA}"]').first).to_have_text("中国")
        # no horizontal scroll of the page itself
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390
        # the page's own words are Chinese, the names of every class and property offered too:
        # no Latin word outside the SPARQL, the data (values, results) and the language switch
        chrome = page.evaluate(
            """() => {
              const skip = 'pre, code, .criterion-value, #builder-table tbody, .other-lang';
              const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
              const words = [];
              for (let n = walker.nextNode(); n; n = walker.nextNode()) {
                if (n.parentElement.closest(skip) || n.parentElement.closest('script')) continue;
                words.push(n.textContent);
              }
              return words.join(' ');
            }"""
        )
        english = set(re.findall(r"[A-Za-z]{3,}", chrome)) - {"SPARQL", "API", "SHACL", "ISO"}
        assert english == set()
        screenshot(page, "builder-zh-390")
    finally:
        page.set_viewport_size({"width": 1400, "height": 1000})


def test_a_text_condition_filters_on_the_words_typed(page: Page, site: str):
    direct = select(
        site,
        f"""PREFIX ieg: <{IEG}>
        SELECT DISTINCT ?state WHERE {{
          ?state a ieg:State ; <{RDFS.label}> ?label .
          FILTER(CONTAINS(LCASE(STR(?label)), "ia"))
        }}""",
    )
    expected = {row["state"] for row in direct}
    assert len(expected) > 1  # Austria, Algeria, India, the Russian Federation
    page.goto(site + "/builder")
    page.locator("#builder-class").select_option(str(IEG.State))
    row = add_condition(page, RDFS.label)
    row.locator("input.criterion-text").fill("IA")
    row.locator("input.criterion-show").uncheck()
    expect(page.locator("#builder-sparql")).to_contain_text(
        'FILTER(CONTAINS(LCASE(STR(?label)), "ia"))'
    )
    page.locator("#builder-run").click()
    expect(page.locator("#builder-status")).to_have_text(f"{len(expected)} rows")
    assert set(result_column(page, "state")) == expected


def test_a_refused_query_says_so(page: Page, site: str):
    page.goto(site + "/builder?lang=zh")
    page.locator("#builder-class").select_option(str(IEG.Stance))
    page.route(
        "**/sparql",
        lambda route: route.fulfill(status=503, body="Query timed out", content_type="text/plain"),
    )
    page.locator("#builder-run").click()
    failed = text("builder.error", "zh", reason="503: Query timed out")
    expect(page.locator("#builder-status")).to_have_text(failed)
    expect(page.locator("#builder-table tr")).to_have_count(0)
