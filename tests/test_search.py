"""Search over the project's graph: words in English and Chinese, typos, ranks, types, snippets.

Whole answers are compared with what the graph says, asked by SPARQL (`saying`): a resource is
found when one of its texts (names, symbol, description, a passage's verbatim sentence), or a
name of a stance's target claim or argument, holds the word.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from html.parser import HTMLParser

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from cybercrime_kg.ld.corpus import TYPES
from cybercrime_kg.ld.words import fold, query_words
from cybercrime_kg.sparql.engines.base import Job
from helpers.pages import BASE, ID, page
from helpers.sparql import free_port
from helpers.stub import Reply, Seen, stub_endpoint
from test_remote_engine import answering, remote_service

REBUTTAL = ID + "stance/eg4-rebut-gold-standard"
CLAIM = ID + "proposition/budapest-gold-standard"

# every resource of the graph that has a text matching FILTER (?text is the text)
_SAYING = """
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX ieg: <https://w3id.org/cybercrime-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?s WHERE {
  { ?s rdfs:label|skos:altLabel|skos:prefLabel|ieg:symbol|dcterms:description|ieg:verbatim ?text }
  UNION
  { ?s ieg:target|ieg:argument ?o . ?o rdfs:label|skos:altLabel|skos:prefLabel|ieg:symbol ?text }
  FILTER (STRSTARTS(STR(?s), "%s") && %s)
  FILTER NOT EXISTS { ?s a ieg:Statement }  # found through its subject
}"""


def saying(service, condition):
    """IRIs of the resources with a text for which the SPARQL `condition` on ?text holds."""
    job = Job(_SAYING % (BASE, condition), BASE, max_rows=10_000, columns=("s",))
    return {str(row[0]) for row in service.engine.execute(job).rows}


def found(client, q, **args):
    response = client.get("/search", query_string={"q": q, "format": "json", **args})
    assert response.status_code == 200
    return json.loads(response.data)


def keys(answer):
    return [r["iri"].removeprefix(ID) for r in answer["results"]]


def iris(answer):
    return [r["iri"] for r in answer["results"]]


def test_a_chinese_word_finds_every_resource_that_says_it(graph_client, graph_service):
    answer = found(graph_client, "布达佩斯")
    expected = saying(graph_service, 'CONTAINS(STR(?text), "布达佩斯")')
    assert set(iris(answer)) == expected
    # 13 resources by name, the stance that rebuts the "gold standard" claim through its
    # target, 5 passages through their verbatim sentences
    assert len(expected) == 19 and REBUTTAL in expected
    assert answer["results"][0] == {
        "iri": ID + "instrument/budapest-convention",
        "url": "/id/instrument/budapest-convention",
        "label": "Council of Europe Convention on Cybercrime (Budapest Convention)",
        "matched": "《布达佩斯公约》",
        "matchedLang": "zh",
        "rank": "prefix",
        "type": "document",
        "typeLabel": "Document",
        "score": answer["results"][0]["score"],
        "via": "name",
        "snippet": "《<mark>布达佩斯</mark>公约》",
    }
    passages = [r for r in answer["results"] if r["type"] == "passage"]
    assert passages == answer["results"][-len(passages) :]  # sentences rank below names
    assert {r["via"] for r in passages} == {"verbatim"}


def test_an_english_word_finds_every_resource_with_a_word_starting_so(graph_client, graph_service):
    answer = found(graph_client, "BUDAPEST")
    assert set(iris(answer)) == saying(graph_service, 'REGEX(STR(?text), "(^|\\\\W)budapest", "i")')
    assert [(r["rank"], r["matched"]) for r in answer["results"][:1]] == [
        ("prefix", "Budapest Convention")
    ]
    assert answer["truncated"] is False
    assert answer["total"] == len(answer["results"])
    assert answer["counts"] == Counter(r["type"] for r in answer["results"])


@pytest.mark.parametrize("q", ["gold standard rebut", "Budapset", "黄金标准", "中国反驳黄金标准"])
def test_what_people_type_finds_the_rebuttal_in_the_top_3(graph_client, q):
    assert REBUTTAL in iris(found(graph_client, q))[:3]


def test_words_need_not_stand_together(graph_client):
    answer = found(graph_client, "gold standard rebut")
    # the only name with all three words; the two texts with "gold standard" follow
    assert keys(answer) == [
        "stance/eg4-rebut-gold-standard",
        "stance/eg4-europe-gold-standard",
        "proposition/budapest-gold-standard",
    ]
    assert answer["results"][0]["rank"] == "words"
    assert "<mark>rebut</mark>" in answer["results"][0]["snippet"]


def test_a_stance_is_found_through_its_target_claim(graph_client, graph_service):
    job = Job(
        f'SELECT ?l WHERE {{ <{CLAIM}> <{RDFS.label}> ?l FILTER (LANG(?l) = "zh") }}',
        BASE,
        columns=("l",),
    )
    [[claim_zh]] = graph_service.engine.execute(job).rows
    claim_zh = str(claim_zh)
    answer = found(graph_client, "黄金标准")
    rebuttal = next(r for r in answer["results"] if r["iri"] == REBUTTAL)
    assert "黄金标准" not in rebuttal["label"]  # its own name never says it
    assert (rebuttal["via"], rebuttal["matched"], rebuttal["matchedLang"]) == (
        "target",
        claim_zh,
        "zh",
    )
    assert rebuttal["snippet"] == claim_zh.replace("黄金标准", "<mark>黄金标准</mark>")


@pytest.mark.parametrize(("q", "lang"), [("China", "en"), ("中国", "zh"), ("Китай", "en")])
def test_an_exact_name_ranks_its_resource_first(graph_client, q, lang):
    answer = found(graph_client, q, lang=lang)
    first = answer["results"][0]
    assert (first["iri"], first["rank"], first["type"]) == (ID + "state/CHN", "exact", "state")
    assert first["typeLabel"] == {"en": "State", "zh": "国家"}[lang]
    assert all(r["rank"] != "exact" for r in answer["results"][1:])


def test_chinese_exact_match_first_and_labels_in_the_chosen_language(graph_client):
    answer = found(graph_client, "专家组第四次会议", lang="zh")
    assert keys(answer)[:2] == ["meeting/4", "doc/eg4-report"]
    assert [(r["label"], r["rank"]) for r in answer["results"][:2]] == [
        ("专家组第四次会议", "exact"),
        ("专家组第四次会议报告", "prefix"),
    ]


def test_the_type_filter_returns_only_that_type(graph_client):
    everything = found(graph_client, "Budapest")
    stances = found(graph_client, "Budapest", type="stance")
    assert set(keys(stances)) == {
        "stance/eg4-rebut-gold-standard",
        "stance/eg4-europe-adopt-budapest",
        "stance/eg4-europe-gold-standard",
        "stance/eg4-coe-additional-protocol",
        "stance/eg4-technology-neutral-legislation",
    }
    # the same hits in the same order as unfiltered, and the counts still of every type
    assert iris(stances) == [r["iri"] for r in everything["results"] if r["type"] == "stance"]
    assert (stances["types"], stances["total"], stances["counts"]) == (
        ["stance"],
        5,
        everything["counts"],
    )
    two = found(graph_client, "Budapest", type=["stance", "proposition"])
    assert {r["type"] for r in two["results"]} == {"stance", "proposition"}
    assert two["total"] == everything["counts"]["stance"] + everything["counts"]["proposition"]
    assert found(graph_client, "Budapest", type="stance,proposition")["results"] == two["results"]


def test_an_unknown_type_is_400(graph_client):
    known = ", ".join(dict.fromkeys([key for key, _ in TYPES] + ["other"]))
    response = graph_client.get(
        "/search?q=Budapest&type=stances", headers={"Accept": "application/json"}
    )
    message = f"unknown type stances: use one of {known}"
    assert (response.status_code, json.loads(response.data)["error"]["message"]) == (400, message)
    as_zh = graph_client.get("/search?q=Budapest&type=stances&lang=zh")
    assert as_zh.status_code == 400
    assert page(as_zh.get_data(as_text=True)).texts["p"] == [
        f"未知类型 stances：可用的类型为 {known}"
    ]


def test_typos_are_read_but_nonsense_finds_nothing(graph_client):
    typo, right = found(graph_client, "Budapset"), found(graph_client, "Budapest")
    assert (set(iris(typo)), typo["corrected"], right["corrected"]) == (
        set(iris(right)),
        "budapest",
        None,
    )
    assert {r["rank"] for r in typo["results"]} == {"fuzzy"}
    for nonsense in ("qwxzv", "budapest qwxzv", "zzzzzzzzzz"):
        answer = found(graph_client, nonsense)
        assert (answer["results"], answer["total"], answer["counts"]) == ([], 0, {})


def test_type_names_are_the_ontology_class_labels(graph_client, layout):
    ontology = Graph().parse(layout.ontology / "ieg.ttl")
    for _, local in TYPES:
        if "/" in local:
            continue
        labels = {
            o.language: str(o)
            for o in ontology.objects(URIRef(BASE + "ontology#" + local), RDFS.label)
            if isinstance(o, Literal)
        }
        assert set(labels) == {"en", "zh"}, local
    answer = found(graph_client, "黄金标准", lang="zh")
    assert [(r["type"], r["typeLabel"]) for r in answer["results"]] == [
        ("stance", "立场"),
        ("proposition", "主张"),
        ("stance", "立场"),
        ("passage", "来源段落"),
    ]


def test_results_are_capped(graph_client, graph_service):
    answer = found(graph_client, "2018")
    assert (len(answer["results"]), answer["truncated"]) == (50, True)
    expected = saying(graph_service, 'REGEX(STR(?text), "(^|\\\\W)2018")')
    assert answer["total"] == sum(answer["counts"].values()) == len(expected)


def test_html_by_default_and_json_by_accept(graph_client):
    html = graph_client.get("/search?q=维也纳&lang=zh")
    assert (html.status_code, html.content_type) == (200, "text/html; charset=utf-8")
    parsed = page(html.get_data(as_text=True))
    assert parsed.lang == "zh"
    by_accept = graph_client.get("/search?q=维也纳&lang=zh", headers={"Accept": "application/json"})
    assert by_accept.content_type == "application/json"
    answer = json.loads(by_accept.data)
    # the page lists the same resources, in the same order, by their Chinese names
    assert [a for a in parsed.anchors if a[0].startswith("/id/")] == [
        (r["url"], r["label"]) for r in answer["results"]
    ]
    assert keys(answer)[:3] == [
        "place/vienna",
        "passage/pr-a-res-74-247-meetings",
        "gov/CHN-mission-vienna",
    ]


class _Text(HTMLParser):
    """The text of <main>, with the language of the element each piece stands in."""

    def __init__(self) -> None:
        super().__init__()
        self.langs: list[str] = []
        self.inside = 0
        self.pieces: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        self.inside += tag == "main"
        self.langs.append(found.get("lang") or (self.langs[-1] if self.langs else ""))

    def handle_endtag(self, tag):
        self.inside -= tag == "main"
        self.langs.pop()

    def handle_data(self, data):
        if self.inside and data.strip():
            self.pieces.append((self.langs[-1], data.strip()))


def test_the_chinese_page_has_no_english_chrome(graph_client):
    html = graph_client.get("/search?q=黄金标准&lang=zh").get_data(as_text=True)
    text = _Text()
    text.feed(html)
    # everything in <main> is Chinese but the numbers: the heading, count, filter, badges,
    # what each snippet is, and the names and sentences (all Chinese for this query)
    latin = [piece for _, piece in text.pieces if re.search("[A-Za-z]", piece)]
    assert latin == []
    parsed = page(html)
    assert parsed.texts["h1"] == ["搜索：黄金标准"]
    assert [a[1] for a in parsed.anchors if a[0].startswith("/search")] == [
        "全部类型 4",
        "立场 2",
        "主张 1",
        "来源段落 1",
    ]
    assert "共 4 条结果" in parsed.texts["p"]


def test_the_english_page_shows_badges_snippets_and_the_filter(graph_client):
    html = graph_client.get("/search?q=黄金标准&type=stance").get_data(as_text=True)
    parsed = page(html)
    assert "2 results" in parsed.texts["p"]
    assert re.findall(r'<span class="badge">([^<]*)</span>', html) == ["Stance", "Stance"]
    assert (
        '<p class="snippet"><span class="via">On the claim:</span> <span lang="zh">'
        "《布达佩斯公约》是当今世界打击网络犯罪国际合作的唯一“<mark>黄金标准</mark>”</span></p>"
    ) in html
    # a name in another language than the page's says which
    other = graph_client.get("/search?q=布达佩斯").get_data(as_text=True)
    assert re.findall(r'<span class="via">([^<]*)</span>', other)[:1] == ["In Chinese:"]
    current = re.findall(r'<a href="([^"]*)"[^>]*aria-current="true"', html)
    assert current == ["/search?q=%E9%BB%84%E9%87%91%E6%A0%87%E5%87%86&amp;type=stance"]


def test_a_type_with_no_match_says_so_and_offers_the_others(graph_client):
    parsed = page(graph_client.get("/search?q=Budapest&type=state").get_data(as_text=True))
    assert "No resource of this type matches this text: choose another type." in parsed.texts["p"]
    assert [a[1] for a in parsed.anchors if a[0].startswith("/search")] == [
        "All types 17",
        "Stance 5",
        "Proposition 4",
        "Argument 1",
        "Event 1",
        "Source passage 3",  # the public record's quotes of the Council of Europe's treaty texts
        "Document 2",
        "Topic 1",
    ]


@pytest.mark.parametrize(
    ("q", "message", "message_zh"),
    [
        ("", "missing search text: send it as q", "缺少搜索文本：请在搜索框中输入要查找的内容"),
        ("   ", "missing search text: send it as q", "缺少搜索文本：请在搜索框中输入要查找的内容"),
        ("x" * 201, "search text longer than 200 characters", "搜索文本超过 200 个字符"),
    ],
)
def test_bad_search_text_is_400(graph_client, q, message, message_zh):
    as_json = graph_client.get(
        "/search", query_string={"q": q, "lang": "zh"}, headers={"Accept": "application/json"}
    )
    assert (as_json.status_code, json.loads(as_json.data)) == (
        400,
        {"error": {"status": 400, "message": message}},
    )
    as_html = graph_client.get("/search", query_string={"q": q}, headers={"Accept": "text/html"})
    assert as_html.status_code == 400
    assert page(as_html.get_data(as_text=True)).texts["p"] == [message]
    as_zh = graph_client.get("/search", query_string={"q": q, "lang": "zh"})
    assert as_zh.status_code == 400
    assert page(as_zh.get_data(as_text=True)).texts["p"] == [message_zh]


def test_missing_q_is_400(graph_client):
    response = graph_client.get("/search?format=json")
    assert (response.status_code, response.get_data(as_text=True)) == (
        400,
        "missing search text: send it as q\n",
    )


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("C\u00f4te d\u2019Ivoire", "cote d\u2019ivoire"),  # accents dropped
        ("\uff21\uff22\uff23\uff11\uff12\uff13", "abc123"),  # full-width forms
        ("《布达佩斯公约》", "《布达佩斯公约》"),
        ("Straße", "straße"),  # "ss" would move every later position
    ],
)
def test_folding_keeps_every_position(text, folded):
    assert (fold(text), len(fold(text))) == (folded, len(text))


def test_a_query_splits_into_words_of_each_script():
    assert query_words(fold("中国 China反驳the黄金标准 2018")) == [
        ("中国", True),
        ("china", False),
        ("反驳", True),
        ("the", False),
        ("黄金", True),
        ("标准", True),
        ("2018", False),
    ]


def _remote_answers(seen: Seen) -> Reply:
    """A scripted remote store that holds one meeting: its label, its type, its links."""
    query = seen.form["query"][0]
    if "ontology#verbatim>" in query:  # the search index's texts and types
        bindings = [
            {
                "s": {"type": "uri", "value": ID + "meeting/4"},
                "p": {"type": "uri", "value": str(RDFS.label)},
                "o": {"type": "literal", "value": "Fourth meeting", "xml:lang": "en"},
            },
            {
                "s": {"type": "uri", "value": ID + "meeting/4"},
                "p": {"type": "uri", "value": str(RDF.type)},
                "o": {"type": "uri", "value": BASE + "ontology#Meeting"},
            },
        ]
        return Reply(
            body=json.dumps(
                {"head": {"vars": ["s", "p", "o"]}, "results": {"bindings": bindings}}
            ).encode()
        )
    if "COUNT(*) AS ?n" in query:  # the links of each resource
        return Reply(
            body=json.dumps({"head": {"vars": ["r", "n"]}, "results": {"bindings": []}}).encode()
        )
    return answering(Reply(body=b""))(seen)


def test_over_a_remote_store_the_index_is_built_once_it_answers():
    from cybercrime_kg.app import create_app

    port = free_port()
    service = remote_service(f"http://127.0.0.1:{port}/sparql")
    client = create_app({"TESTING": True, "QUERY_SERVICE": service}).test_client()
    search = {"path": "/search?q=fourth", "headers": {"Accept": "application/json"}}
    try:
        down = client.get(**search)
        assert (down.status_code, down.json["error"]["message"]) == (
            502,
            "the remote SPARQL endpoint cannot be reached",
        )
        with stub_endpoint(port) as stub:  # the store comes up: the failure was not kept
            stub.answer = _remote_answers
            for _ in range(2):
                answer = client.get(**search)
                assert answer.status_code == 200, answer.get_data(as_text=True)
                assert [(r["iri"], r["type"], r["rank"]) for r in answer.json["results"]] == [
                    (ID + "meeting/4", "meeting", "prefix")
                ]
            built = [s for s in stub.seen if "ontology#verbatim>" in s.form["query"][0]]
            assert len(built) == 1
    finally:
        service.close()
