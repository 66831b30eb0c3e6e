"""The named queries' pages in Chromium, offline: choose a topic in a form, run it, read only that
topic's stances, by their labels, linked to this server's pages; and the pages fit a phone."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from rdflib import Dataset, Graph, URIRef
from test_browser import screenshot

from cybercrime_kg.cli.export import union_graph
from test_named_query_pages import BUDAPEST, ID, label, stances_on

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def expected_rows(graph: Graph, topic: str, lang: str) -> set[tuple[str, str]]:
    """(local link, label in `lang`) of every stance on the topic or a narrower one; a link
    keeps a Chinese page's language."""
    keep = "?lang=zh" if lang == "zh" else ""
    return {
        (f"/id/{s.removeprefix(ID)}{keep}", label(graph, s, lang)) for s in stances_on(graph, topic)
    }


def shown_stances(tab: Page) -> set[tuple[str, str]]:
    links = tab.locator('#results td[data-column="stance"] a')
    return {(str(link.get_attribute("href")), link.inner_text()) for link in links.all()}


def no_sideways_scroll(tab: Page) -> bool:
    return bool(tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_a_chosen_topic_gives_only_its_stances(page: Page, site: str, dataset: Dataset):
    graph = union_graph(dataset)
    page.set_viewport_size(DESKTOP)
    page.goto(site + "/queries?lang=zh")
    expect(page.locator("h1")).to_have_text("命名查询")
    form = page.locator("#list-stances-on-topic form.query-form")
    topic = form.locator('select[name="topic"]')
    # the choices are labelled in Chinese, the topic among them
    expect(topic.locator(f'option[value="{BUDAPEST}"]')).to_have_text(
        label(graph, URIRef(BUDAPEST), "zh")
    )
    topic.select_option(BUDAPEST)
    form.locator('button[type="submit"]').click()
    expect(page.locator("#results")).to_be_visible()
    assert page.url.startswith(site + "/queries/list-stances-on-topic?")
    expected = expected_rows(graph, BUDAPEST, "zh")
    assert len(expected) == 5
    assert shown_stances(page) == expected
    # the form keeps the choice; the SPARQL text is folded until asked for
    expect(page.locator('select[name="topic"]')).to_have_value(BUDAPEST)
    expect(page.locator("details.query-text pre")).to_be_hidden()
    screenshot(page, "named-query-results-zh")
    # a label links to this server's page for it, in the same tab
    first = page.locator('#results td[data-column="stance"] a').first
    href = str(first.get_attribute("href"))
    name = first.inner_text()
    first.click()
    page.wait_for_url(site + href)
    expect(page.locator("h1")).to_have_text(name)


def test_the_pages_fit_a_phone(page: Page, site: str, dataset: Dataset):
    graph = union_graph(dataset)
    page.set_viewport_size(PHONE)
    page.goto(site + "/queries")
    expect(page.locator("#list-stances-on-topic select")).to_be_visible()
    assert no_sideways_scroll(page)
    screenshot(page, "named-queries-390")
    page.locator("#list-stances-on-topic").screenshot(
        path=str(screenshot(page, "named-queries-390").with_name("named-query-form-390.png"))
    )
    page.goto(f"{site}/queries/list-stances-on-topic?format=html&topic={BUDAPEST}")
    assert shown_stances(page) == expected_rows(graph, BUDAPEST, "en")
    assert no_sideways_scroll(page)
    screenshot(page, "named-query-results-390")
    page.goto(site + "/queries/show-budapest-debate?lang=zh")
    expect(page.locator("#results tbody tr")).to_have_count(14)
    assert no_sideways_scroll(page)
    screenshot(page, "budapest-debate-390-zh")
    page.screenshot(
        path=str(
            screenshot(page, "budapest-debate-390-zh").with_name("budapest-debate-390-zh-top.png")
        )
    )
    page.set_viewport_size(DESKTOP)
    screenshot(page, "budapest-debate-zh")
