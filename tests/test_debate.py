"""The debate view (ld/debate.py, templates/ld/debate.html) on proposition, topic and stance
pages: stances by position, holders with groups' members, arguments in source order beside their
own sentences, whose account each is, and disagreeing sources side by side. Every expectation
is read from the data with rdflib, so the page must show the whole answer and nothing else."""

from __future__ import annotations

from typing import Any

import pytest
from rdflib import Dataset

from cybercrime_kg.ld.debate import debate_graph, has_debate
from cybercrime_kg.ld.describe import description_graph
from cybercrime_kg.sparql.engines.base import rdflib_quietly
from helpers.pages import ID, text_of, tree

IEG = "https://w3id.org/cybercrime-kg/ontology#"
CLAIM = ID + "proposition/budapest-gold-standard"
REBUT = ID + "stance/eg4-rebut-gold-standard"


PREFIXES = f"""PREFIX ieg: <{IEG}>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
# the page's Chinese punctuation, written as escapes so the source stays plain ASCII
OPEN_PAREN, OTHERS_ZH = (
    "\uff08",
    "\u7b49\uff08\u6765\u6e90\u7684\u5217\u4e3e\u5e76\u672a\u7a77\u5c3d\uff09",
)


def rows(dataset: Dataset, query: str) -> list[Any]:
    with rdflib_quietly():
        return list(dataset.query(PREFIXES + query))


def label(dataset: Dataset, iri: str, lang: str = "en") -> str:
    found = rows(dataset, f'SELECT ?l {{ <{iri}> rdfs:label ?l FILTER(lang(?l) = "{lang}") }}')
    return str(found[0].l)


def page_tree(client, path: str):
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200, path
    return tree(response.get_data(as_text=True))


def debate_of(root) -> dict[str, dict[str, Any]]:
    """{position badge: {stance name: {holders, arguments: [(argument, [sentences])], ...}}}"""
    section = root.find(".//section[@id='debate']")
    assert section is not None
    found: dict[str, dict[str, Any]] = {}
    for group in section.iter("section"):
        if "position" not in group.get("class", "").split():
            continue
        badge = text_of(group.find("./h4/span[@class='badge']"))
        stances = found.setdefault(badge, {})
        for stance in group.findall("./article"):
            name = text_of(stance.find("./h5"))
            stances[name] = {
                "holders": [text_of(li) for li in stance.findall(".//ul[@class='holders']/li")],
                "holder_names": [
                    text_of(a) for a in stance.findall(".//ul[@class='holders']/li/a")
                ],
                "arguments": [
                    (
                        text_of(li.find("./p[@class='argument-text']")),
                        [text_of(q) for q in li.findall("./figure/blockquote")],
                    )
                    for li in stance.findall("./ol[@class='arguments']/li")
                ],
                "according": text_of(stance.find("./p[@class='according-to']")),
            }
    return found


def expected_arguments(dataset: Dataset, stance: str, lang: str) -> list[tuple[str, list[str]]]:
    found = rows(
        dataset,
        f"""
        SELECT ?arg ?order ?label ?verbatim ?porder WHERE {{
          <{stance}> ieg:argument ?arg . ?arg ieg:order ?order ; rdfs:label ?label .
          FILTER(lang(?label) = "{lang}")
          OPTIONAL {{ ?arg prov:wasDerivedFrom ?p . ?p ieg:verbatim ?verbatim ; ieg:order ?porder }}
        }}""",
    )
    by_arg: dict[str, tuple[int, str, list[tuple[int, str]]]] = {}
    for r in found:
        entry = by_arg.setdefault(str(r.arg), (int(r.order), str(r.label), []))
        if r.verbatim is not None:
            entry[2].append((int(r.porder), str(r.verbatim)))
    return [(name, [v for _, v in sorted(q)]) for _, name, q in sorted(by_arg.values())]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_claim_page_shows_its_debate(graph_client, dataset: Dataset, lang: str):
    root = page_tree(graph_client, f"/id/proposition/budapest-gold-standard?lang={lang}")
    debate = debate_of(root)
    stances = rows(
        dataset,
        f"""
        SELECT ?stance ?position WHERE {{
          ?stance ieg:target <{CLAIM}> ; ieg:position ?position
        }}""",
    )
    expected: dict[str, set[str]] = {}
    for r in stances:
        expected.setdefault(label(dataset, str(r.position), lang), set()).add(
            label(dataset, str(r.stance), lang)
        )
    assert {badge: set(s) for badge, s in debate.items()} == expected
    # positions for the claim come before those against it
    assert list(debate) == (["advocates", "rebuts"] if lang == "en" else ["主张", "反驳"])

    rebut = debate["rebuts" if lang == "en" else "反驳"][label(dataset, REBUT, lang)]
    assert rebut["arguments"] == expected_arguments(dataset, REBUT, lang)
    assert rebut["arguments"][0][0].startswith(
        "The Budapest Convention is a regional convention"
        if lang == "en"
        else "《布达佩斯公约》系地区性公约"
    )
    holders = rows(dataset, f"SELECT ?h {{ <{REBUT}> ieg:holder ?h }}")
    names = {label(dataset, str(r.h), lang) for r in holders}
    assert set(rebut["holder_names"]) == names
    brics = next(
        h for h in rebut["holders"] if h.startswith(label(dataset, ID + "group/brics", lang))
    )
    members = rows(dataset, f"SELECT ?m {{ <{ID}group/brics> ieg:hasMember ?m }}")
    assert all(label(dataset, str(r.m), lang) in brics for r in members) and len(members) == 5
    assert rebut["holders"][-1] == (
        "and others (the source's list is open-ended)" if lang == "en" else OTHERS_ZH
    )
    publisher = label(dataset, ID + "gov/CHN-mfa", lang)
    kind = label(dataset, IEG + "OfficialAccount", lang)
    assert publisher in rebut["according"] and kind in rebut["according"]


def test_chinese_holders_sort_by_pinyin(graph_client):
    root = page_tree(graph_client, "/id/proposition/budapest-gold-standard?lang=zh")
    rebut = debate_of(root)["反驳"]
    names = next(iter(rebut.values()))["holder_names"]
    assert names == ["阿尔及利亚", "埃及", "金砖国家", "科威特", "伊朗", "中国"]


def test_topic_page_shows_the_debate_on_each_claim(graph_client, dataset: Dataset):
    topic = ID + "topic/budapest-convention"
    root = page_tree(graph_client, "/id/topic/budapest-convention")
    section = root.find(".//section[@id='debate']")
    headings = [text_of(h) for h in section.findall("./section[@class='claim']/h3")]
    claims = rows(
        dataset,
        f"""
        SELECT DISTINCT ?claim WHERE {{ ?s ieg:topic <{topic}> ; ieg:target ?claim }}""",
    )
    untargeted = rows(
        dataset,
        f"""
        ASK {{ ?s a ieg:Stance ; ieg:topic <{topic}> FILTER NOT EXISTS {{ ?s ieg:target ?c }} }}""",
    )
    expected = sorted(f"Claim: {label(dataset, str(r.claim))}" for r in claims)
    if bool(untargeted[0]) if untargeted else False:
        expected.append("Stances on this topic that answer no single claim")
    assert sorted(headings) == sorted(expected)
    stances = rows(dataset, f"SELECT DISTINCT ?s {{ ?s a ieg:Stance ; ieg:topic <{topic}> }}")
    shown = {text_of(h) for h in section.findall(".//article/h5")}
    assert shown == {label(dataset, str(r.s)) for r in stances}


def test_stance_page_links_to_the_debate(graph_client):
    response = graph_client.get(REBUT.replace("https://w3id.org/cybercrime-kg", ""),
                                headers={"Accept": "text/html"})  # fmt: skip
    root = tree(response.get_data(as_text=True))
    links = [a.get("href") for a in root.findall(".//p[@class='debate-link']/a")]
    assert links == ["/id/proposition/budapest-gold-standard#debate"]
    assert root.find(".//section[@id='debate']") is None


def test_disagreeing_sources_side_by_side(graph_client, dataset: Dataset):
    root = page_tree(graph_client, "/id/proposition/eg2-no-outcome")
    section = root.find(".//section[@class='disagreement']")
    assert section is not None
    sides = section.findall("./div[@class='sides']/div[@class='side']")
    accounts = rows(
        dataset,
        f"""
        SELECT ?claim {{ <{ID}disagreement/eg2-outcome> ieg:account ?claim }}""",
    )
    assert sorted(text_of(s.find("./h4")) for s in sides) == sorted(
        label(dataset, str(r.claim)) for r in accounts
    )
    according = {
        text_of(s.find("./h4")): text_of(s.find("./p[@class='according-to']")) for s in sides
    }
    assert (
        label(dataset, ID + "gov/CHN-mfa")
        in according[label(dataset, ID + "proposition/eg2-no-outcome")]
    )
    assert all(s.findall("./figure/blockquote") for s in sides)  # each with its own sentence


def test_only_a_page_with_a_debate_asks_for_one(graph_service, dataset: Dataset):
    """The debate's query runs only where its description shows a stance on the resource or a
    disagreement about it: exactly the resources whose debate query finds anything."""
    debated = {
        str(row[0])
        for row in rows(
            dataset,
            """PREFIX ieg: <https://w3id.org/cybercrime-kg/ontology#>
            SELECT DISTINCT ?x WHERE {
              { ?s a ieg:Stance . { ?s ieg:target ?x } UNION { ?s ieg:topic ?x } }
              UNION { ?d ieg:account ?x }
            }""",
        )
    }
    resources = {
        str(row[0])
        for row in rows(
            dataset,
            f'SELECT DISTINCT ?s WHERE {{ ?s a ?c FILTER(STRSTARTS(STR(?s), "{ID}")'
            ' && !CONTAINS(STR(?s), "#")) }',
        )
    }
    assert len(debated) > 40 and debated <= resources
    asks = {
        iri
        for iri in resources
        if has_debate(description_graph(graph_service, iri), iri, graph_service.base)
    }
    # a topic that meetings deal with but no stance takes up asks and finds no debate
    assert debated <= asks
    assert {iri for iri in asks - debated if not iri.startswith(ID + "topic/")} == set()
    assert all(not debate_graph(graph_service, iri) for iri in asks - debated)
