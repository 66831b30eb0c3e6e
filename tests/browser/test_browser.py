"""The issue's browser checks: query UI offline, a resource page, the two pictures."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from test_pictures import HOLDERS_EN

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"

STANCE = "/id/stance/eg4-rebut-gold-standard"
STANCE_ZH = (
    "中国以及其他金砖国家、伊朗、埃及、阿尔及利亚、科威特等国从法理、技术和实务等角度予以反驳"
)
STANCE_EN = (
    "China, the other BRICS countries, Iran, Egypt, Algeria, Kuwait and others rebut the claim "
    "that the Budapest Convention is the gold standard"
)


def screenshot(tab: Page, name: str) -> Path:
    """Save a full-page screenshot to tests/artifacts/<name>.png (kept after the run)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=True)
    return path


MEETINGS_EN = [
    "First meeting of the Expert Group",
    "Second meeting of the Expert Group",
    "Third meeting of the Expert Group",
    "Fourth meeting of the Expert Group",
    "Fifth meeting of the Expert Group",
    "Sixth meeting of the Expert Group",
    "Seventh meeting of the Expert Group (stocktaking meeting)",
]


def test_query_ui_runs_a_named_query_offline(page: Page, site: str):
    page.goto(site + "/")
    page.locator('#examples button[data-name="list-meetings"]').click()
    tab = page.locator(".tabPanel.active")
    expect(tab.locator(".CodeMirror-code")).to_contain_text("SELECT ?meeting ?ordinal")
    tab.locator(".yasqe_queryButton").click()
    table = tab.locator(".yasr table.dataTable")
    expect(table.locator("tbody tr")).to_have_count(7)
    headers = table.locator("thead th").all_inner_texts()
    column = headers.index("ordinal")
    ordinals = [
        row.locator("td").nth(column).inner_text() for row in table.locator("tbody tr").all()
    ]
    assert [o.split("^^")[0].strip('"') for o in ordinals] == [str(n) for n in range(1, 8)]
    screenshot(page, "query-ui")


def test_resource_page_shows_both_languages_and_its_source(page: Page, site: str):
    page.goto(f"{site}{STANCE}?lang=zh")
    expect(page.locator("h1")).to_have_text(STANCE_ZH)
    expect(page.locator(".other-name")).to_have_text(STANCE_EN)
    sources = page.locator("section.sources blockquote")
    expect(sources.first).to_have_text(STANCE_ZH)
    expect(page.locator("section.sources figcaption").first).to_contain_text(
        "外交部2018年4月11日综述"
    )
    screenshot(page, "resource-page")
    # its DESCRIBE link opens the query UI with the query ready in a tab of its own
    page.locator('a[href^="/?query="]').first.click()
    expect(page.locator(".tabPanel.active .CodeMirror-code")).to_contain_text(
        f"DESCRIBE <https://w3id.org/cybercrime-kg{STANCE}>"
    )


def test_stance_matrix_renders(page: Page, site: str):
    page.goto(site + "/pictures/stance-matrix")
    holders = page.locator("#stance-matrix svg a.holder")
    expect(holders).to_have_count(len(HOLDERS_EN))
    assert holders.all_text_contents() == HOLDERS_EN
    cells = page.locator("#stance-matrix svg a.cell")
    expected = page.evaluate(
        "fetch('/pictures/stance-matrix.json').then(r => r.json())"
        ".then(d => d.cells.reduce((n, c) => n + c.stances.length, 0))"
    )
    expect(cells).to_have_count(expected)
    box = page.locator("#stance-matrix svg").bounding_box()
    assert box is not None and box["width"] > 600 and box["height"] > 600
    screenshot(page, "stance-matrix")


def test_timeline_renders(page: Page, site: str):
    page.goto(site + "/pictures/timeline")
    meetings = page.locator("#timeline svg a.item.meeting text")
    expect(meetings).to_have_count(7)
    assert [t.split(" · ")[0] for t in meetings.all_text_contents()] == MEETINGS_EN
    planned = page.locator('#timeline svg a.item.meeting circle[fill="#fff"]')
    expect(planned).to_have_count(1)
    expect(page.locator("#timeline svg a.item.workplan")).to_have_count(7)
    screenshot(page, "timeline")


def test_pylode_rendering_renders_under_its_policy(page: Page, site: str):
    response = page.goto(site + "/ontology.html?style=pylode")
    assert (
        response is not None and "script-src 'self'" in response.headers["content-security-policy"]
    )
    expect(page.locator("#Meeting")).to_be_visible()
    # pyLODE's stylesheet is an inline <style>: the policy must let it apply
    assert page.evaluate("document.styleSheets.length") >= 1
    screenshot(page, "ontology-pylode")
