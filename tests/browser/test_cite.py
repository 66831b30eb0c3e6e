"""Cite this, in a browser: the citation and both formats fit a phone and a laptop, in both
languages, and the download links give the files the page shows."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
# the longest title of a source document and a long IRI: the hardest to fit at 390 px
DOCUMENT = "/id/doc/web-technodocbox-e-cn15-2018-12"
TITLE = {
    "en": "E/CN.15/2018/12, Report on the meeting of the Expert Group to Conduct a Comprehensive "
    "Study on Cybercrime, held in Vienna from 3 to 5 April 2018 (third-party copy)",
    "zh": "E/CN.15/2018/12 号文件:专家组 2018 年 4 月 3 日至 5 日维也纳会议的报告(第三方网站副本)",
}
HEADING = {"en": "Cite this", "zh": "引用本条目"}


@pytest.mark.parametrize("width", [390, 1366])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_citation_fits_and_downloads(page: Page, site: str, lang: str, width: int):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{site}{DOCUMENT}?lang={lang}")
    section = page.locator("section.cite")
    expect(section.locator("h2")).to_have_text(HEADING[lang])
    expect(section.locator("p.citation")).to_contain_text(TITLE[lang])
    expect(section.locator("p.citation")).to_contain_text(
        "https://w3id.org/cybercrime-kg" + DOCUMENT
    )
    for summary in section.locator("summary").all():
        summary.click()
    expect(section.locator("pre.bibtex")).to_be_visible()
    expect(section.locator("pre.csl-json")).to_be_visible()
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow == 0, f"{overflow} px of horizontal scroll at {width} px"
    ARTIFACTS.mkdir(exist_ok=True)
    section.screenshot(path=str(ARTIFACTS / f"cite-{lang}-{width}.png"))
    for css, suffix in (("pre.bibtex", "bib"), ("pre.csl-json", "json")):
        with page.expect_download() as download:
            section.locator(f'a[download$=".{suffix}"]').click()
        saved = download.value
        assert (
            saved.suggested_filename
            == f"cybercrime-kg-doc-web-technodocbox-e-cn15-2018-12.{suffix}"
        )
        assert Path(saved.path()).read_text(encoding="utf-8") == section.locator(css).inner_text()
