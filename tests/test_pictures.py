"""The stance matrix and the timeline: SVG in a page, SVG alone, JSON; every link resolves."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask.testing import FlaskClient
from rdflib import Dataset

from cybercrime_kg.paths import project_layout
from cybercrime_kg.sparql.engines.base import rdflib_quietly

ID = "https://w3id.org/cybercrime-kg/id/"
HOLDERS_EN = [
    "Algeria", "All States (at the fourth meeting)", "All parties (at the fourth meeting)",
    "BRICS", "Canada", "China", "Egypt", "Germany", "Iran (Islamic Republic of)", "Jordan",
    "Kuwait", "Most experts at the second meeting", "Most speakers at the third meeting",
    "Participants in the third meeting", "Russian Federation", "Some European countries",
    "Some developed countries", "Some developing countries", "South Africa", "Sri Lanka",
    "United States of America", 'Unnamed speakers at the second meeting ("it was pointed out")',
]  # fmt: skip
TOPICS_EN = [
    "Challenges of new technologies (cloud computing, big data, Internet of Things)",
    "Criminalization", "Cross-border access to electronic evidence",
    "Human rights safeguards: personal privacy and freedom of expression",
    "International cooperation", "Legislation and frameworks",
    "Relationship between cybersecurity and cybercrime",
    "Technical assistance and capacity-building",
    "The Budapest Convention and a new global instrument",
]  # fmt: skip
MANDATES = [
    ("General Assembly resolution 65/230", "2010-12-21"),
    ("General Assembly resolution 70/174", "2015-12-17"),
    ("Commission on Crime Prevention and Criminal Justice resolution 26/4", "2017-05-26"),
    ("General Assembly resolution 73/187", "2018-12-17"),
    ("General Assembly resolution 74/247", "2019-12-27"),
]
# (ordinal, status: the public record's where it gives one, else the documents')
MEETINGS = [(1, "held"), (2, "held"), (3, "held"), (4, "held"), (5, "held"), (6, "planned"),
            (7, "held")]  # fmt: skip
WORKPLAN = {
    "Workplan topic: Legislation and frameworks", "Workplan topic: Criminalization",
    "Workplan topic: Law enforcement and investigations",
    "Workplan topic: Electronic evidence and criminal justice",
    "Workplan topic: International cooperation", "Workplan topic: Prevention",
}  # fmt: skip
PICTURES = ("stance-matrix", "timeline")
TYPES = {
    "html": "text/html; charset=utf-8",
    "svg": "image/svg+xml; charset=utf-8",
    "json": "application/json",
}


def expected_stances(dataset: Dataset) -> dict[tuple[str, str, str, str], list[str]]:
    """The named query's answer, evaluated by rdflib straight on the loaded dataset: each
    (holder, topic, position, stance) with its passages' sentences in source order."""
    text = (project_layout().queries / "show-stance-matrix.rq").read_text(encoding="utf-8")
    with rdflib_quietly():
        rows: list[Any] = list(dataset.query(text))
    passages: dict[tuple[str, str, str, str], set[tuple[int, str]]] = {}
    for r in rows:
        key = (str(r.holder), str(r.topic), str(r.position), str(r.stance))
        found = passages.setdefault(key, set())
        if r.verbatim is not None:
            found.add((int(r.order), str(r.verbatim)))
    return {key: [v for _, v in sorted(found)] for key, found in passages.items()}


@pytest.mark.parametrize("name", PICTURES)
@pytest.mark.parametrize(
    ("accept", "suffix"),
    [("text/html", "html"), ("image/svg+xml", "svg"), ("application/json", "json")],
)
def test_negotiation(graph_client: FlaskClient, name: str, accept: str, suffix: str):
    response = graph_client.get(f"/pictures/{name}", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.content_type == TYPES[suffix]
    assert response.headers["Content-Location"] == f"/pictures/{name}.{suffix}"
    fixed = graph_client.get(f"/pictures/{name}.{suffix}", headers={"Accept": "text/plain"})
    assert fixed.status_code == 200
    assert fixed.content_type == TYPES[suffix]
    assert "Content-Location" not in fixed.headers


@pytest.mark.parametrize("name", PICTURES)
def test_unknown_suffix_is_404(graph_client: FlaskClient, name: str):
    response = graph_client.get(f"/pictures/{name}.png")
    assert response.status_code == 404
    assert response.get_data(as_text=True) == f"no picture /pictures/{name}.png\n"


def test_stance_matrix_data_is_the_named_query(graph_client: FlaskClient, dataset: Dataset):
    data = graph_client.get("/pictures/stance-matrix.json").get_json()
    assert [h["label_en"] for h in data["holders"]] == HOLDERS_EN
    assert [t["label_en"] for t in data["topics"]] == TOPICS_EN
    served = {
        (c["holder"], c["topic"], s["position"], s["stance"]): s["sentences"]
        for c in data["cells"]
        for s in c["stances"]
    }
    assert served == expected_stances(dataset)
    assert sum(len(c["stances"]) for c in data["cells"]) == len(served)  # one entry per stance
    assert data["positions"] == [
        {"label_en": "advocates", "label_zh": "主张"},
        {"label_en": "agrees", "label_zh": "认同"},
        {"label_en": "expresses concern about", "label_zh": "关注"},
        {"label_en": "notes", "label_zh": "注意到"},
        {"label_en": "opposes", "label_zh": "反对"},
        {"label_en": "proposes", "label_zh": "提出"},
        {"label_en": "rebuts", "label_zh": "反驳"},
        {"label_en": "states", "label_zh": "表示"},
        {"label_en": "stresses", "label_zh": "强调"},
    ]
    assert [p["label_en"] for p in data["positions"]] == sorted({row[2] for row in served})
    china = next(h for h in data["holders"] if h["iri"] == ID + "state/CHN")
    assert china == {
        "iri": ID + "state/CHN",
        "href": "/id/state/CHN",
        "label_en": "China",
        "label_zh": "中国",
    }


def test_stance_matrix_svg_has_one_linked_mark_per_stance(graph_client: FlaskClient):
    data = graph_client.get("/pictures/stance-matrix.json").get_json()
    svg = graph_client.get("/pictures/stance-matrix.svg").get_data(as_text=True)
    marks = re.findall(r'<a href="([^"]+)" class="cell" data-position="([^"]+)">', svg)
    expected = [(s["href"], s["position"]) for c in data["cells"] for s in c["stances"]]
    assert sorted(marks) == sorted(expected)
    assert all(href.startswith("/id/stance/") for href, _ in marks)
    holders = re.findall(r'class="holder" data-iri="([^"]+)"', svg)
    by_name = sorted(data["holders"], key=lambda h: h["label_en"].casefold())
    assert holders == [h["iri"] for h in by_name]
    zh = graph_client.get("/pictures/stance-matrix.svg?lang=zh").get_data(as_text=True)
    assert ">中国<" in zh and ">刑事定罪<" in zh and ">China<" not in zh
    legend = re.findall(r'<rect x="[^"]+" y="[^"]+" width="14" height="14" fill="([^"]+)"[^>]*/>'
                        r'<text [^>]*>([^<]+)</text>', zh)  # fmt: skip
    # positions for a claim first, those against it last (charts.POSITION_COLOURS' order)
    assert [name for _, name in legend] == [
        "主张", "提出", "认同", "强调", "表示", "注意到", "关注", "反驳", "反对"
    ]  # fmt: skip
    assert "<title>中国——反驳——《布达佩斯公约》" in zh
    zh_holders = re.findall(r'class="holder" data-iri="[^"]+"><text [^>]*>([^<]+)</text>', zh)
    assert zh_holders[:3] == ["阿尔及利亚", "埃及", "部分欧洲国家"]  # by pinyin: a, ai, bu


def test_timeline_data(graph_client: FlaskClient):
    data = graph_client.get("/pictures/timeline.json").get_json()
    assert [lane["id"] for lane in data["lanes"]] == [
        "mandate", "congress", "meeting", "workplan", "step"
    ]  # fmt: skip
    items = data["items"]
    by_lane = {lane: [i for i in items if i["lane"] == lane] for lane in ("mandate", "meeting")}
    assert [(i["label_en"], i["start"]) for i in by_lane["mandate"]] == MANDATES
    assert [(i["ordinal"], i["status"]) for i in by_lane["meeting"]] == MEETINGS
    assert {
        i["label_en"] for i in items if i["lane"] == "workplan" and "topic" in i["label_en"]
    } == WORKPLAN
    congresses = {i["iri"] for i in items if i["lane"] == "congress"}
    assert congresses == {
        ID + "event/congress-12", ID + "event/congress-13",
        ID + "event/ccpcj-22", ID + "event/ccpcj-26",
    }  # fmt: skip
    dates = [i["start"] or i["year"] for i in items]
    assert dates == sorted(dates, key=lambda d: d if len(d) > 4 else d + "-00-00")


def test_timeline_svg_shows_every_item(graph_client: FlaskClient):
    data = graph_client.get("/pictures/timeline.json").get_json()
    svg = graph_client.get("/pictures/timeline.svg").get_data(as_text=True)
    linked = re.findall(r'class="item (\w+)" data-iri="([^"]+)"', svg)
    assert linked == [(i["lane"], i["iri"]) for i in data["items"]]
    assert svg.count('fill="#fff" stroke="#D55E00"') == 1  # one planned meeting: the sixth


@pytest.mark.parametrize("name", PICTURES)
def test_page_embeds_the_svg_and_every_link_resolves(graph_client: FlaskClient, name: str):
    html = graph_client.get(f"/pictures/{name}?lang=zh").get_data(as_text=True)
    assert (
        '<figure class="picture" id="' + name + '"><svg xmlns="http://www.w3.org/2000/svg"' in html
    )
    hrefs = sorted(set(re.findall(r'href="(/[^"]*)"', html)))
    assert f"/pictures/{name}.svg?lang=zh" in hrefs
    assert f"/pictures/{name}.json" in hrefs
    for href in hrefs:
        with graph_client.get(
            href, headers={"Accept": "text/html"}, follow_redirects=True
        ) as response:
            assert response.status_code == 200, href
