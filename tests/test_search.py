"""Search by name over the project's graph: Chinese and English substrings, ranking, limits."""

from __future__ import annotations

import json

import pytest

from helpers.pages import ID, page

BUDAPEST = {
    "instrument/budapest-convention",
    "topic/budapest-convention",
    "proposition/adopt-budapest",
    "instrument/budapest-additional-protocol",
    "proposition/budapest-gold-standard",
    "stance/eg4-europe-adopt-budapest",
    "event/pr-budapest-opened-for-signature",
    "argument/budapest-regional",
    "stance/eg4-coe-additional-protocol",
    "stance/eg4-europe-gold-standard",
    "proposition/technology-neutral-legislation",
    "stance/eg4-technology-neutral-legislation",
    "proposition/coe-negotiating-protocol",
}


def found(client, q, **args):
    response = client.get("/search", query_string={"q": q, "format": "json", **args})
    assert response.status_code == 200
    return json.loads(response.data)


def keys(answer):
    return [r["iri"].removeprefix(ID) for r in answer["results"]]


def test_chinese_substring_finds_the_budapest_convention(graph_client):
    answer = found(graph_client, "布达佩斯")
    assert set(keys(answer)) == BUDAPEST
    assert answer["results"][0] == {
        "iri": ID + "instrument/budapest-convention",
        "url": "/id/instrument/budapest-convention",
        "label": "Council of Europe Convention on Cybercrime (Budapest Convention)",
        "matched": "《布达佩斯公约》",
        "matchedLang": "zh",
        "rank": "substring",
    }


def test_english_is_case_insensitive_and_prefix_ranks_first(graph_client):
    answer = found(graph_client, "BUDAPEST")
    # the English labels name one more: the stance that rebuts the "gold standard" claim
    assert set(keys(answer)) == BUDAPEST | {"stance/eg4-rebut-gold-standard"}
    assert [(r["rank"], r["matched"]) for r in answer["results"][:1]] == [
        ("prefix", "Budapest Convention")
    ]
    assert answer["truncated"] is False


def test_exact_before_prefix_before_substring(graph_client):
    answer = found(graph_client, "china")
    ranks = [r["rank"] for r in answer["results"]]
    assert ranks == ["exact"] + ["prefix"] * 13 + ["substring"] * 12
    assert keys(answer)[0] == "state/CHN"
    assert "event/chn-presents-legislation" in keys(answer)[14:]  # "... presents China's ..."


def test_chinese_exact_match_first_and_labels_in_the_chosen_language(graph_client):
    answer = found(graph_client, "专家组第四次会议", lang="zh")
    assert keys(answer)[:2] == ["meeting/4", "doc/eg4-report"]
    assert [r["label"] for r in answer["results"][:2]] == [
        "专家组第四次会议",
        "专家组第四次会议报告",
    ]
    assert len(answer["results"]) == 11


def test_results_are_capped(graph_client):
    answer = found(graph_client, "e")
    assert (len(answer["results"]), answer["truncated"]) == (50, True)


def test_html_by_default_and_json_by_accept(graph_client):
    html = graph_client.get("/search?q=维也纳&lang=zh")
    assert (html.status_code, html.content_type) == (200, "text/html; charset=utf-8")
    parsed = page(html.get_data(as_text=True))
    assert parsed.lang == "zh"
    assert [a for a in parsed.anchors if a[0].startswith("/id/")] == [
        ("/id/place/vienna", "维也纳"),
        ("/id/gov/CHN-mission-vienna", "驻维也纳代表团"),
        (
            "/id/passage/pr-a-res-74-247-meetings",
            "A/RES/74/247 序言部分:专家组 2011-2019 年在维也纳举行的会议",
        ),
    ]
    by_accept = graph_client.get("/search?q=维也纳", headers={"Accept": "application/json"})
    assert by_accept.content_type == "application/json"
    assert keys(json.loads(by_accept.data)) == [
        "place/vienna",
        "gov/CHN-mission-vienna",
        "passage/pr-a-res-74-247-meetings",
    ]


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ("", "missing search text: send it as q"),
        ("   ", "missing search text: send it as q"),
        ("x" * 201, "search text longer than 200 characters"),
    ],
)
def test_bad_search_text_is_400(graph_client, q, message):
    as_json = graph_client.get(
        "/search", query_string={"q": q}, headers={"Accept": "application/json"}
    )
    assert (as_json.status_code, json.loads(as_json.data)) == (
        400,
        {"error": {"status": 400, "message": message}},
    )
    as_html = graph_client.get("/search", query_string={"q": q}, headers={"Accept": "text/html"})
    assert as_html.status_code == 400
    assert page(as_html.get_data(as_text=True)).texts["p"] == [message]


def test_missing_q_is_400(graph_client):
    response = graph_client.get("/search?format=json")
    assert (response.status_code, response.get_data(as_text=True)) == (
        400,
        "missing search text: send it as q\n",
    )
