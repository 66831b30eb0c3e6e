"""The chrome every page shares (templates/base.html, web/site.py): the site's own 404 for any
unknown path, the favicon, the language switch, and one stylesheet on every page."""

from __future__ import annotations

import json

import pytest

from helpers.pages import page

PAGES = [
    "/",
    "/id/meeting/4",
    "/search?q=China",
    "/pictures/timeline",
    "/queries",
    "/builder",
    "/nowhere",
]


@pytest.mark.parametrize(
    ("lang", "h1", "message"),
    [
        ("en", "Not found", "This site has no page at /no/such/page."),
        ("zh", "未找到", "本网站没有 /no/such/page 这个页面。"),
    ],
)
def test_unknown_path_gets_the_sites_own_404_page(graph_client, lang, h1, message):
    response = graph_client.get(
        f"/no/such/page?lang={lang}", headers={"Accept": "text/html,*/*;q=0.8"}
    )
    assert (response.status_code, response.content_type) == (404, "text/html; charset=utf-8")
    html = page(response.get_data(as_text=True))
    assert (html.lang, html.texts["h1"], html.texts["p"][0]) == (lang, [h1], message)
    assert "/static/site.css" in html.urls


def test_unknown_path_for_a_program_is_plain_text_or_json(graph_client):
    plain = graph_client.get("/no/such/page")
    assert (plain.status_code, plain.content_type) == (404, "text/plain; charset=utf-8")
    as_json = graph_client.get("/no/such/page", headers={"Accept": "application/json"})
    assert as_json.status_code == 404
    assert json.loads(as_json.data)["error"]["status"] == 404


def test_favicon(graph_client):
    response = graph_client.get("/favicon.ico")
    assert (response.status_code, response.headers["Location"]) == (301, "/static/favicon.svg")
    with graph_client.get("/static/favicon.svg") as icon:
        assert (icon.status_code, icon.content_type) == (200, "image/svg+xml; charset=utf-8")
        assert icon.get_data(as_text=True).startswith("<svg ")


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_one_design_and_a_switch_to_the_other_language(graph_client, path):
    response = graph_client.get(path, headers={"Accept": "text/html"})
    html = page(response.get_data(as_text=True))
    sheets = [url for url in html.urls if url.endswith(".css") and "vendor" not in url]
    assert sheets == ["/static/site.css"]
    switch = [href for href, text in html.chrome_anchors if text == "中文"]
    assert len(switch) == 1 and switch[0].endswith("lang=zh")
    zh = page(graph_client.get(switch[0], headers={"Accept": "text/html"}).get_data(as_text=True))
    assert zh.lang == "zh"
    assert [text for _, text in zh.chrome_anchors][:1] == ["网络犯罪知识图谱"]


def test_every_message_has_english_and_chinese(tmp_path):
    from cybercrime_kg.web.i18n import MESSAGES, load_messages

    assert MESSAGES["nav.query"] == ("Query", "查询")
    (tmp_path / "a.toml").write_text('["x"]\nen = "X"\nzh = "甲"\n', encoding="utf-8")
    (tmp_path / "b.toml").write_text('["y"]\nen = "Y"\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"^b.toml: message 'y' needs exactly en and zh$"):
        load_messages(tmp_path)
    (tmp_path / "b.toml").write_text('["x"]\nen = "X"\nzh = "甲"\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"^b.toml: message 'x' is already defined$"):
        load_messages(tmp_path)


@pytest.mark.parametrize(
    ("value", "lang", "shown"),
    [
        ("2018-04-03T10:00:00+02:00", "en", "3 Apr 2018 10:00 (UTC+2)"),
        ("2018-04-03T10:00:00+02:00", "zh", "2018年4月3日 10:00 (UTC+2)"),
        ("2018-04-03", "en", "3 April 2018"),
        ("2018-04-03", "zh", "2018年4月3日"),
        ("not a date", "zh", "not a date"),
    ],
)
def test_dates_and_times_as_each_language_writes_them(value, lang, shown):
    from cybercrime_kg.web.i18n import when

    assert when(value, lang) == shown


def test_spans_of_days_and_language_names():
    from cybercrime_kg.web.i18n import language_name, short_date

    assert short_date("2011-01-17", "en", "2011-01-21") == "17\u201321 Jan 2011"
    assert short_date("2011-01-17", "zh", "2011-01-21") == "2011年1月17日至21日"
    assert short_date("2018-04-03", "zh") == "2018年4月3日"
    assert (language_name("ar", "en"), language_name("ar", "zh")) == ("Arabic", "阿拉伯语")


def test_chinese_sorts_by_pinyin_english_alphabetically():
    from cybercrime_kg.web.i18n import sort_key

    names = ["中国", "阿尔及利亚", "伊朗", "埃及", "科威特", "金砖国家"]
    assert sorted(names, key=lambda n: sort_key(n, "zh")) == [
        "阿尔及利亚", "埃及", "金砖国家", "科威特", "伊朗", "中国"
    ]  # fmt: skip
    assert sorted(["egypt", "Algeria", "China"], key=lambda n: sort_key(n, "en")) == [
        "Algeria", "China", "egypt"
    ]  # fmt: skip
