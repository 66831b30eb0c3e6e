"""Issue 18's reader checks: the pages a researcher uses, in English and Chinese, on a laptop
(1366 px) and a phone (390 px): what the reader sees, and no sideways scrolling on the phone.
Screenshots go to tests/artifacts/reader-<page>-<lang>-<width>.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from test_browser import screenshot

WIDTHS = (1366, 390)
LANGS = ("en", "zh")
PAGES = {
    "claim": "/id/proposition/budapest-gold-standard",
    "stance": "/id/stance/eg4-rebut-gold-standard",
    "meeting": "/id/meeting/4",
    "state": "/id/state/CHN",
    "search": "/search?q=Budapest",
    "matrix": "/pictures/stance-matrix",
    "timeline": "/pictures/timeline",
}
POSITIONS = {"en": ["advocates", "rebuts"], "zh": ["主张", "反驳"]}
REBUT_HOLDERS = {
    "en": ["Algeria", "BRICS", "China", "Egypt", "Iran (Islamic Republic of)", "Kuwait"],
    "zh": ["阿尔及利亚", "埃及", "金砖国家", "科威特", "伊朗", "中国"],
}


def open_page(page: Page, site: str, name: str, lang: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    path = PAGES[name]
    page.goto(f"{site}{path}{'&' if '?' in path else '?'}lang={lang}")
    expect(page.locator("main h1")).to_be_visible()


def sideways_scroll(page: Page) -> int:
    """How many pixels the page is wider than the screen (0: no sideways scrolling)."""
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", list(PAGES))
def test_page_reads_well(page: Page, site: str, name: str, lang: str, width: int):
    open_page(page, site, name, lang, width)
    screenshot(page, f"reader-{name}-{lang}-{width}")
    assert sideways_scroll(page) <= 0
    assert page.locator("html").get_attribute("lang") == lang


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", LANGS)
def test_debate_shows_groups_holders_and_argument_sentence_pairs(
    page: Page, site: str, lang: str, width: int
):
    open_page(page, site, "claim", lang, width)
    debate = page.locator("section#debate")
    expect(debate).to_be_visible()
    assert debate.locator("section.position h4 .badge").all_inner_texts() == POSITIONS[lang]
    rebut = debate.locator("section.position-rebuts article.stance")
    expect(rebut).to_have_count(1)
    holders = rebut.locator("ul.holders > li > a").all_inner_texts()
    assert holders == REBUT_HOLDERS[lang]
    arguments = rebut.locator("ol.arguments > li")
    expect(arguments).to_have_count(4)
    for k in range(4):
        argument = arguments.nth(k)
        claim = argument.locator("p.argument-text")
        sentence = argument.locator("figure.quote blockquote")
        expect(claim).to_be_visible()
        expect(sentence).to_be_visible()
        # the sentence sits right under its own argument, on a laptop as on a phone
        below = sentence.bounding_box()["y"] - claim.bounding_box()["y"]  # type: ignore[index]
        assert 0 < below < 200
    according = rebut.locator("p.according-to")
    expect(according).to_contain_text("外交部" if lang == "zh" else "Ministry of Foreign Affairs")


@pytest.mark.parametrize("lang", LANGS)
def test_stance_page_leads_to_its_debate(page: Page, site: str, lang: str):
    open_page(page, site, "stance", lang, 1366)
    page.locator("p.debate-link a").click()
    expect(page.locator("section#debate")).to_be_in_viewport()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", ["matrix", "timeline"])
def test_pictures_fit_a_phone(page: Page, site: str, name: str, lang: str):
    open_page(page, site, name, lang, 390)
    picture = page.locator("figure.picture svg")
    box = picture.bounding_box()
    assert box is not None and box["width"] <= 390
    expect(picture.locator("a").first).to_be_attached()
