"""Resource pages over the project's graph: language, labels, links, provenance, escaping."""

from __future__ import annotations

import re

import pytest

from helpers.pages import BASE, page

SITE_EN = " · Expert Group on Cybercrime knowledge graph"
SITE_ZH = " · 网络犯罪专家组知识图谱"
VERBATIM_AG_1A = "全面研究网络犯罪问题专家组第四次会议将于2018年4月3日星期二上午10时举行。"


def html_of(client, url, **headers):
    response = client.get(url, headers=headers)
    assert (response.status_code, response.content_type) == (200, "text/html; charset=utf-8")
    return page(response.get_data(as_text=True))


@pytest.mark.parametrize(
    ("query", "accept_language", "lang", "title"),
    [
        ("?lang=zh", None, "zh", "专家组第四次会议" + SITE_ZH),
        ("?lang=en", "zh", "en", "Fourth meeting of the Expert Group" + SITE_EN),
        ("?lang=fr", "zh", "en", "Fourth meeting of the Expert Group" + SITE_EN),
        ("", None, "en", "Fourth meeting of the Expert Group" + SITE_EN),
        ("", "zh-CN,zh;q=0.9,en;q=0.8", "zh", "专家组第四次会议" + SITE_ZH),
        ("", "fr, en;q=0.5", "en", "Fourth meeting of the Expert Group" + SITE_EN),
        ("", "fr, zh;q=0.5", "zh", "专家组第四次会议" + SITE_ZH),
    ],
)
def test_title_in_the_chosen_language(graph_client, query, accept_language, lang, title):
    headers = {"Accept-Language": accept_language} if accept_language else {}
    html = html_of(graph_client, "/id/meeting/4" + query, **headers)
    assert (html.lang, html.title) == (lang, title)


def test_meeting_page_shows_both_names_types_and_labelled_properties(graph_client):
    html = html_of(graph_client, "/id/meeting/4")
    assert html.texts["h1"] == ["Fourth meeting of the Expert Group"]
    assert "专家组第四次会议 Chinese" in html.texts["li"]  # the other name, with its language
    anchors = set(html.anchors)
    assert {
        ("/ontology#Meeting", "Meeting"),
        ("/ontology#ordinal", "ordinal"),
        ("/ontology#venue", "venue"),
        ("/id/place/vienna", "Vienna"),
        ("/id/state/CHN", "China"),
        ("/ontology#precededBy", "preceded by"),
        ("/id/meeting/3", "Third meeting of the Expert Group"),
        ("/id/meeting/5", "Fifth meeting of the Expert Group"),  # incoming: meeting 5 follows it
        ("http://www.w3.org/ns/prov#wasDerivedFrom", "was derived from"),
    } <= anchors
    # the ordinal, with the passages that state it: the agenda's item 1(a), the ministry's subtitle
    assert any(re.fullmatch(r"4\[\d+, \d+\]", text) for text in html.texts["li"])


def test_chinese_page_labels_properties_in_chinese(graph_client):
    html = html_of(graph_client, "/id/meeting/4?lang=zh")
    assert html.texts["h1"] == ["专家组第四次会议"]
    assert "Fourth meeting of the Expert Group 英语" in html.texts["li"]
    assert {
        ("/ontology?lang=zh#Meeting", "会议"),
        ("/id/place/vienna?lang=zh", "维也纳"),
        ("/id/state/CHN?lang=zh", "中国"),
    } <= set(html.anchors)  # links keep the Chinese the reader chose
    assert ("/id/meeting/4?lang=en", "English") in html.chrome_anchors


def test_source_passages_verbatim_with_document_and_locator(graph_client):
    html = html_of(graph_client, "/id/meeting/4")
    assert VERBATIM_AG_1A in html.texts["blockquote"]
    # the passage's name says where it lies; the English-only locator is not repeated
    assert (
        "UNODC/CCPCJ/EG.4/2018/1 (Chinese), annotations, item 1(a) · "
        "UNODC/CCPCJ/EG.4/2018/1, Chinese version"
    ) in html.texts["figcaption"]
    zh = html_of(graph_client, "/id/meeting/4?lang=zh")
    assert all("annotations" not in caption for caption in zh.texts["figcaption"])
    assert ("/id/doc/UNODC-CCPCJ-EG.4-2018-1-zh", "UNODC/CCPCJ/EG.4/2018/1, Chinese version") in (
        html.anchors
    )


def test_alternates_and_describe_link(graph_client):
    html = html_of(graph_client, "/id/stance/eg4-rebut-gold-standard")
    stem = "/id/stance/eg4-rebut-gold-standard"
    assert html.alternates == [
        ("text/turtle", stem + ".ttl"),
        ("application/n-triples", stem + ".nt"),
        ("application/ld+json", stem + ".jsonld"),
        ("application/rdf+xml", stem + ".rdf"),
    ]
    describe = f"/?query=DESCRIBE%20%3C{BASE}id/stance/eg4-rebut-gold-standard%3E&run=1"
    assert (describe, "Open its description query in the query UI") in html.anchors


@pytest.mark.parametrize(
    "url",
    [
        "/id/meeting/4",
        "/id/state/CHN?lang=zh",
        "/id/stance/eg4-rebut-gold-standard",
        "/id/passage/ag-1a",
        "/id/doc/web-unodc-eg-2019",
    ],
)
def test_no_bare_iri_where_a_label_exists(graph_client, url):
    html = html_of(graph_client, url)
    bare = [(href, text) for href, text in html.anchors if text.startswith(("http:", "https:"))]
    # only IRIs and addresses nobody labels: GeoNames features, web page addresses
    assert all(
        text == href and href.startswith(("https://sws.geonames.org/", "https://unodc.org/"))
        for href, text in bare
    ), bare
    assert all(text for _, text in html.anchors)


def test_external_iris_are_external_links(graph_client):
    html = html_of(graph_client, "/id/state/CHN")
    assert ("http://www.wikidata.org/entity/Q148", "Wikidata Q148") in html.anchors
    assert ("https://sws.geonames.org/1814991/", "GeoNames 1814991") in html.anchors


def test_text_is_escaped(graph_client):
    body = graph_client.get("/id/meeting/4").get_data(as_text=True)
    assert "Adoption of the Chair&#39;s proposal for the workplan" in body
    assert "Chair's proposal" not in body


@pytest.mark.parametrize(("lang", "words"), [("en", "According to"), ("zh", "据")])
def test_an_attributed_claim_says_whose_account_it_is(graph_client, lang, words):
    """The foreign ministry's account is shown as its account, on every claim built from it."""
    for path in ("argument/budapest-outdated", "event/brics-push-eg3"):
        page_html = graph_client.get(f"/id/{path}?lang={lang}").get_data(as_text=True)
        found = re.search(r'<p class="according-to">(.*?)</p>', page_html, re.S)
        assert found is not None, path
        assert found.group(1).startswith(words)
        links = set(re.findall(r'href="([^"]+)"', found.group(1)))
        kept = "?lang=zh" if lang == "zh" else ""  # a Chinese reader's links stay Chinese
        assert links == {f"/id/gov/CHN-mfa{kept}", f"/id/doc/mfa-summary-2018-04-11{kept}"}, path


def test_a_fact_is_not_shown_as_anyones_account(graph_client):
    page_html = graph_client.get("/id/meeting/4").get_data(as_text=True)
    assert 'class="according-to"' not in page_html
