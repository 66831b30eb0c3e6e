"""Sourced statements: which passage states which triple of a node built from several passages.

The audit tables (data/**/statements/*.tsv) are turned into Turtle by scripts/gen_statements.py;
these tests hold the generated files to their tables, every triple that needs a statement to one,
the attribution of what only the foreign ministry's account states, the known gaps, the generator's
refusals, and what a reader and a linked-data client are served.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import ModuleType

import pytest
from rdflib import RDF, Dataset, Graph, URIRef
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

from cybercrime_kg.cli.export import union_graph
from cybercrime_kg.namespaces import DATA_GRAPH, ID, IEG, PREFIXES, PROV, PUBLIC_RECORD_GRAPH
from cybercrime_kg.paths import Layout
from helpers.scripts import load_script

MEETING_4 = ID["meeting/4"]
MINISTRY = ID["gov/CHN-mfa"]
NATIONAL_ACCOUNT = ID["doc/mfa-summary-2018-04-11"]
# The triples a table lists as stated by no passage of their graph, each with its reason there.
UNSOURCED = {
    "data": {
        "group:brics ieg:hasMember state:BRA",
        "group:brics ieg:hasMember state:IND",
        "group:brics ieg:hasMember state:RUS",
        "group:brics ieg:hasMember state:ZAF",
        "place:vienna ieg:locatedIn state:AUT",
        "post:chair ieg:postIn body:bureau",
        "post:rapporteur ieg:postIn body:bureau",
        "event:eg4-adopts-workplan ieg:concerns item:eg4-1c",
        'doc:UNODC-CCPCJ-EG.4-2018-1 ieg:symbol "UNODC/CCPCJ/EG.4/2018/1"',
        'doc:UNODC-CCPCJ-EG.4-2018-1-zh ieg:symbol "UNODC/CCPCJ/EG.4/2018/1"',
        "doc:UNODC-CCPCJ-EG.4-2018-1 ieg:preparedBy body:unodc",
        "doc:mfa-summary-2018-04-11 ieg:issuedBy gov:CHN-mfa",
    },
    "public-record": {
        "disagreement:pr-hanoi-signatory-count ieg:account prop:pr-hanoi-signatories-65",
        'doc:UNODC-CCPCJ-EG.4-2021-CRP.1 ieg:date "2021-01-17"^^xsd:date',
        'doc:UNODC-CCPCJ-EG.4-2021-CRP.1 ieg:symbol "UNODC/CCPCJ/EG.4/2021/CRP.1"',
        # the date of resolution 74/173, in the research note but in no stored passage
        'res:ga-74-173 ieg:year "2019"^^xsd:integer',
        'res:ga-74-173 ieg:month "12"^^xsd:integer',
    },
}


@pytest.fixture(scope="module")
def gen(layout: Layout) -> ModuleType:
    """The generator script, imported from its file (scripts/ is not a package)."""
    return load_script(layout, "gen_statements")


@pytest.fixture(scope="module")
def union(dataset: Dataset) -> Graph:
    return union_graph(dataset)


@pytest.fixture(scope="module")
def names() -> NamespaceManager:
    manager = NamespaceManager(Graph(), bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        manager.bind(prefix, namespace)
    return manager


def folders(layout: Layout) -> dict[str, Path]:
    return {
        "data": layout.data / "statements",
        "public-record": layout.data / "public-record" / "statements",
    }


def test_every_generated_file_is_its_table(gen: ModuleType, layout: Layout):
    tables = gen.tables(layout.data)
    assert {t.parent for t in tables} <= set(folders(layout).values())
    assert {t.stem for t in tables if t.parent == layout.data / "statements"} >= {
        "meetings", "actors", "instruments", "study", "agenda-4", "programme-4", "documents",
        "stances-4", "stances-earlier", "disagreements",
    }  # fmt: skip
    stale = [
        t.name
        for t in tables
        if t.with_suffix(".ttl").read_text(encoding="utf-8") != gen.generate(t, layout.data)
    ]
    assert stale == [], "run python scripts/gen_statements.py"


@pytest.mark.parametrize(
    "name, graph", [("data", DATA_GRAPH), ("public-record", PUBLIC_RECORD_GRAPH)]
)
def test_every_triple_of_a_node_with_several_passages_has_its_statement(
    gen: ModuleType,
    layout: Layout,
    dataset: Dataset,
    names: NamespaceManager,
    name: str,
    graph: URIRef,
):
    data = dataset.graph(graph)
    _, known = gen.loaded_statements(folders(layout)[name])
    missing = [" ".join(t.n3(names) for t in triple) for triple in gen.uncovered(data, data, known)]
    assert missing == [], "python scripts/gen_statements.py --todo lists them with their passages"


@pytest.mark.parametrize("name", ["data", "public-record"])
def test_the_triples_no_passage_states_are_the_known_ones(
    gen: ModuleType, layout: Layout, names: NamespaceManager, name: str
):
    _, known = gen.loaded_statements(folders(layout)[name])
    assert {" ".join(t.n3(names) for t in triple) for triple in known} == UNSOURCED[name]


def documents_of(union: Graph, statement: URIRef) -> set[URIRef]:
    """The works (not language versions) a statement's passages lie in."""
    found = set()
    for passage in union.objects(statement, PROV.wasDerivedFrom):
        version = union.value(passage, IEG.inDocument) or passage
        found.add(union.value(version, IEG.versionOf) or version)
    return found  # type: ignore[return-value]


def test_a_statement_is_the_ministrys_claim_exactly_when_only_its_account_states_it(union: Graph):
    statements = set(union.subjects(RDF.type, IEG.Statement))
    assert len(statements) > 400
    wrong = []
    for statement in sorted(statements):
        alone = documents_of(union, statement) == {NATIONAL_ACCOUNT}
        attribution = (
            (statement, RDF.type, IEG.AttributedClaim) in union,
            set(union.objects(statement, PROV.wasAttributedTo)),
            set(union.objects(statement, IEG.accordingTo)),
        )
        expected = (True, {MINISTRY}, {NATIONAL_ACCOUNT}) if alone else (False, set(), set())
        if attribution != expected:
            wrong.append(str(statement))
    assert wrong == []


def statements_of_one(union: Graph, statement: Node) -> set[tuple[str, str]]:
    """The statement's (property, value), with the project's short names."""
    prop = union.value(statement, IEG.statementProperty)
    value = union.value(statement, IEG.statementObject) or union.value(
        statement, IEG.statementValue
    )
    return {(str(prop).removeprefix(str(IEG)), str(value).removeprefix(str(ID)))}


def statements_of(union: Graph, subject: URIRef) -> dict[tuple[str, str], set[str]]:
    """(property, value) -> passages, with the project's short names."""
    found: dict[tuple[str, str], set[str]] = {}
    for statement in union.subjects(IEG.statementSubject, subject):
        prop = union.value(statement, IEG.statementProperty)
        value = union.value(statement, IEG.statementObject) or union.value(
            statement, IEG.statementValue
        )
        key = (str(prop).removeprefix(str(IEG)), str(value).removeprefix(str(ID)))
        found[key] = {
            str(p).removeprefix(str(ID) + "passage/")
            for p in union.objects(statement, PROV.wasDerivedFrom)
        }
    return found


def test_the_fourth_meeting_says_which_passage_states_what(dataset: Dataset):
    statements = statements_of(dataset.graph(DATA_GRAPH), MEETING_4)
    # the agenda's cover and item 1(a), and the ministry's first sentence, all give the dates
    assert statements[("startDate", "2018-04-03")] == {"ag-dates-venue", "ag-1a", "mfa-p1-s1"}
    assert statements[("endDate", "2018-04-05")] == {"ag-dates-venue", "mfa-p1-s1"}
    assert statements[("startTime", "2018-04-03T10:00:00+02:00")] == {"ag-1a"}
    # one sentence of the agenda gives the six plenary meetings and the six languages
    interpretation = {v for (p, v), s in statements.items() if p == "interpretation"}
    assert {v for v in interpretation if statements[("interpretation", v)] == {"ag-1b-p11-s2"}} == {
        "language/ar", "language/zh", "language/en", "language/fr", "language/ru", "language/es",
    }  # fmt: skip
    assert statements[("plenaryMeetingCount", "6")] == {"ag-1b-p11-s2"}
    # each agenda item is stated by its line of the provisional agenda
    assert {v: s for (p, v), s in statements.items() if p == "agendaItem"} == {
        "agenda-item/eg4-1": {"ag-list-1"}, "agenda-item/eg4-1a": {"ag-list-1a"},
        "agenda-item/eg4-1b": {"ag-list-1b"}, "agenda-item/eg4-1c": {"ag-list-1c"},
        "agenda-item/eg4-2": {"ag-list-2"}, "agenda-item/eg4-3": {"ag-list-3"},
        "agenda-item/eg4-4": {"ag-list-4"}, "agenda-item/eg4-5": {"ag-list-5"},
    }  # fmt: skip


def test_what_of_the_fourth_meeting_only_the_ministry_says(union: Graph, dataset: Dataset):
    """Of the two documents; the public record, a graph of its own, bears out two of the claims."""
    attributed = {
        s for s in union.subjects(IEG.statementSubject, MEETING_4)
        if (s, RDF.type, IEG.AttributedClaim) in union
    }  # fmt: skip
    claimed = set().union(*(statements_of_one(union, s) for s in attributed))
    # who took part (the UN agenda, written before the meeting, names no one), that it was held,
    # and that it adopted the workplan
    participants = {
        "body/eu", "body/coe", "body/sco", "delegation/CHN-eg4", "group/brics", "state/CHN",
        "state/RUS", "state/ZAF", "state/USA", "state/DEU", "state/CAN", "state/LKA", "state/JOR",
        "state/IRN", "state/EGY", "state/DZA", "state/KWT",
    }  # fmt: skip
    assert claimed == {("participant", p) for p in participants} | {
        ("status", "status/held"),
        ("adopts", "doc/workplan-2018-2021"),
    }
    public = statements_of(dataset.graph(PUBLIC_RECORD_GRAPH), MEETING_4)
    assert {key for key in claimed if key in public} == {
        ("status", "status/held"),
        ("adopts", "doc/workplan-2018-2021"),
    }


# --- what a reader and a client are served ------------------------------------------------------


def test_the_description_carries_the_statements(graph_client, union: Graph):
    response = graph_client.get("/id/meeting/4", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    served = Graph().parse(data=response.data, format="turtle")
    expected = {
        (s, p, o)
        for s in union.subjects(IEG.statementSubject, MEETING_4)
        for p, o in union.predicate_objects(s)
    }
    got = {(s, p, o) for s, p, o in served if (s, IEG.statementSubject, MEETING_4) in served}
    assert got == expected and len(expected) > 400


def page_sources(html: str) -> dict[str, str]:
    """Source number -> passage key, from the page's numbered list."""
    return dict(
        re.findall(
            r'<li id="source-(\d+)">\s*<figure class="source">.*?href="/id/passage/([^"?]+)',
            html,
            re.S,
        )
    )


@pytest.mark.parametrize(
    "lang, participant, claimed",
    [("en", "Canada", "(according to <a"), ("zh", "加拿大", "\uff08仅据<a")],
)
def test_the_page_marks_each_value_with_its_passages(
    graph_client, union: Graph, lang: str, participant: str, claimed: str
):
    html = graph_client.get(
        "/id/meeting/4", query_string={"lang": lang}, headers={"Accept": "text/html"}
    ).get_data(as_text=True)
    sources = page_sources(html)
    assert set(sources.values()) == {
        str(p).removeprefix(str(ID) + "passage/")
        for p in union.objects(MEETING_4, PROV.wasDerivedFrom)
    }
    item = re.search(
        rf'<li><a href="/id/state/CAN[^"]*" lang="{lang}">{participant}</a>(.*?)</li>', html, re.S
    )
    assert item is not None
    cited = re.findall(r'<a href="#source-(\d+)"', item.group(1))
    assert [sources[n] for n in cited] == ["mfa-crim-p2-s1a"]
    assert claimed in item.group(1)
    # a value both documents state carries no "according to ... alone"
    dates = re.search(r"<li><span[^>]*>(?:3 April 2018|2018年4月3日)</span>(.*?)</li>", html, re.S)
    assert dates is not None
    # both documents and the public record state the date: one statement in each graph
    assert {sources[n] for n in re.findall(r'href="#source-(\d+)"', dates.group(1))} == {
        "ag-1a", "ag-dates-venue", "mfa-p1-s1", "pr-a-res-74-247-meetings",
        "pr-unodc-egm-meetings-1-5", "pr-a-res-74-173-workplan", "pr-e-cn15-2018-12-cover",
    }  # fmt: skip
    assert "claimed" not in dates.group(1)


# --- the generator's refusals ---------------------------------------------------------------------

HEADER = "subject\tproperty\tvalue\tpassages\tnote\n"


@pytest.mark.parametrize(
    "text, error",
    [
        (
            "subject\tproperty\tvalue\n",
            "t.tsv: expected the columns subject, property, value, passages, note",
        ),
        (
            HEADER + "# a comment\nmeeting:4\tieg:ordinal\t4\n",
            "t.tsv line 3: expected 4 or 5 tab-separated columns",
        ),
        (
            HEADER + "meeting:4\tieg:ordinal\t4\t\n",
            "t.tsv line 2: no passage given (write - and say why in the note)",
        ),
        (
            HEADER + "meeting:4\tieg:ordinal\t4\t-\n",
            "t.tsv line 2: a triple no passage states needs a note saying why",
        ),
        (
            HEADER + 'meeting:4\tieg:ordinal\t"4\tpassage:ag-1a\n',
            "t.tsv line 2: not Turtle terms (",
        ),
        (
            HEADER + 'meeting:4\tieg:ordinal\t4\t"ag-1a"\n',
            "t.tsv line 2: the subject and the passages must be IRIs",
        ),
        (
            HEADER
            + "meeting:4\tieg:ordinal\t4\tpassage:ag-1a\n"
            + "meeting:4\tieg:ordinal\t4\tpassage:mfa-subtitle\n",
            f"t.tsv: a triple listed twice: {MEETING_4}#ordinal=4",
        ),
    ],
    ids=["columns", "cells", "no-passage", "no-reason", "turtle", "literal-passage", "twice"],
)
def test_a_malformed_table_is_refused_with_where_and_why(
    gen: ModuleType, tmp_path: Path, text: str, error: str
):
    table = tmp_path / "t.tsv"
    table.write_text(text, encoding="utf-8")
    with pytest.raises(gen.StatementTableError) as refused:
        gen.read_table(table)
    assert str(refused.value).startswith(error)


def test_a_row_the_data_does_not_bear_out_is_refused(
    gen: ModuleType, layout: Layout, tmp_path: Path
):
    table = tmp_path / "t.tsv"
    table.write_text(
        HEADER
        + "meeting:4\tieg:ordinal\t5\tpassage:ag-1a\n"  # no such triple
        + "meeting:4\tieg:ordinal\t4\tpassage:nowhere\n"  # no such passage
        # a passage meeting 4 is not derived from
        + "meeting:4\tieg:dayCount\t3\tpassage:ag-1b-p2-s1\n",
        encoding="utf-8",
    )
    graph = gen.load_graph(layout.data / "statements" / "t.tsv", layout.data)
    with pytest.raises(gen.StatementTableError) as refused:
        gen.check(gen.read_table(table), graph, "t.tsv")
    assert str(refused.value).splitlines() == [
        f"t.tsv: {MEETING_4}#ordinal=5: the graph has no such triple",
        f"t.tsv: {MEETING_4}#ordinal=4: {ID}passage/nowhere is not a source passage",
        f"t.tsv: {MEETING_4}#dayCount=3: add {ID}passage/ag-1b-p2-s1"
        " to the subject's prov:wasDerivedFrom",
    ]
