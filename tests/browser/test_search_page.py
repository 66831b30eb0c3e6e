"""The search page in Chromium: results readable on a 390 px phone and a 1366 px laptop."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"


@pytest.mark.parametrize("width", [390, 1366])
@pytest.mark.parametrize(
    ("lang", "q", "badges"),
    [
        ("en", "gold standard rebut", ["Stance", "Stance", "Proposition"]),
        ("zh", "黄金标准", ["立场", "主张", "立场", "来源段落"]),
    ],
)
def test_search_results_are_readable(page: Page, site: str, width, lang, q, badges):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{site}/search?q={quote(q)}&lang={lang}")
    results = page.locator("ol.results > li")
    expect(results).to_have_count(len(badges))
    assert results.locator(".badge").all_inner_texts() == badges
    first = results.first
    expect(first.locator("a").first).to_have_attribute(
        "href",
        "/id/stance/eg4-rebut-gold-standard"
        if lang == "en"
        else "/id/stance/eg4-europe-gold-standard?lang=zh",  # a Chinese reader stays Chinese
    )
    # every result's marks are on screen, and nothing is wider than the window
    for mark in page.locator("ol.results mark").all():
        expect(mark).to_be_visible()
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"horizontal scroll at {width} px: {scroll} > {inner}"
    for box in (page.locator("nav.type-filter").bounding_box(), first.bounding_box()):
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= inner
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"search-{lang}-{width}.png"), full_page=True)
