"""The ontology page in the site's design, in English and Chinese, on a laptop and a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from rdflib import Graph, URIRef
from test_browser import ARTIFACTS

from cybercrime_kg.paths import project_layout
from helpers.visible import latin_words

NS = "https://w3id.org/cybercrime-kg/ontology#"
WIDTHS = (1366, 390)
MEETING = {"en": ("Meeting", "会议"), "zh": ("会议", "Meeting")}


@pytest.fixture(scope="module")
def anchors() -> set[str]:
    """The local names of every term of the ontology, as its file says."""
    graph = Graph().parse(project_layout().ontology / "ieg.ttl")
    return {
        str(s)[len(NS) :] for s in graph.subjects() if isinstance(s, URIRef) and s.startswith(NS)
    }


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_ontology_page(page: Page, site: str, anchors: set[str], lang: str, width: int):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{site}/ontology?lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    ids = page.locator("section.term").evaluate_all("nodes => nodes.map(n => n.id)")
    assert sorted(ids) == sorted(anchors)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot_top(page, f"ontology-{lang}-{width}")
    if lang == "zh":
        assert latin_words(page.content()) == set()
    # a term's fragment link lands on its entry, named in the page's language first
    page.goto(f"{site}/ontology?lang={lang}#Meeting")
    meeting = page.locator("#Meeting")
    expect(meeting).to_be_in_viewport()
    first, other = MEETING[lang]
    expect(meeting.locator("h3 > span").first).to_have_text(first)
    expect(meeting.locator("h3 > span.other-lang-text")).to_have_text(other)
    screenshot_top(page, f"ontology-{lang}-{width}-meeting")


def screenshot_top(page: Page, name: str) -> None:
    """The screen in view, kept in tests/artifacts (the whole page is some 30 screens long)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
