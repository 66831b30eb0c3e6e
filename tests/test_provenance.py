"""Every fact is traced to its source: passages are verbatim, every fact-bearing node has one."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Dataset, Graph, Literal, Namespace, URIRef

from cybercrime_kg.cli.export import union_graph
from cybercrime_kg.namespaces import DATA_GRAPH, ID, IEG, PROV, PUBLIC_RECORD_GRAPH
from cybercrime_kg.paths import Layout
from helpers.source_claims import NATIONAL_ACCOUNT_ONLY

DCTERMS = Namespace("http://purl.org/dc/terms/")
# Classes whose instances state facts and so must say where they come from.
FACT_BEARING = (
    IEG.Stance,
    IEG.Proposition,
    IEG.Argument,
    IEG.AttendanceRecord,
    IEG.Disagreement,
    IEG.Provision,
    IEG.Event,
    IEG.Meeting,
    IEG.Decision,
    IEG.ProcessStep,
    IEG.ProgrammeSlot,
    IEG.CommissionSession,
    IEG.Congress,
    IEG.ProgrammeEntry,
    IEG.AgendaItem,
    IEG.Resolution,
    IEG.Declaration,
    IEG.Convention,
    IEG.Chapter,
    IEG.WorkplanItem,
    IEG.Footnote,
)
DISCOURSE = (IEG.Stance, IEG.Proposition, IEG.Proposal, IEG.Argument, IEG.AttendanceRecord)
MINISTRY = ID["gov/CHN-mfa"]
NATIONAL_ACCOUNT = ID["doc/mfa-summary-2018-04-11"]
# Nodes that name a thing rather than state something: a body, group, place or concept exists
# whoever names it, so one source alone naming it is no claim. A delegation (its composition) and
# a document said to have been submitted are statements, and stay in.
NAMED_THINGS = """
    PREFIX ieg: <https://w3id.org/cybercrime-kg/ontology#>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    ASK {
        ?node a/rdfs:subClassOf* ?kind .
        VALUES ?kind {
            ieg:Place ieg:Concept ieg:OfficialAccount ieg:Organization ieg:Post ieg:Person
        }
        FILTER NOT EXISTS { ?node a/rdfs:subClassOf* ieg:Delegation }
    }
"""


@pytest.fixture(scope="module")
def union(dataset: Dataset) -> Graph:
    """The default graph (every named graph merged), as a plain graph."""
    return union_graph(dataset)


def instances(graph, *classes):  # type: ignore[no-untyped-def]
    return sorted({s for c in classes for s in graph.subjects(RDF.type, c)})


def source_text(layout: Layout, data, document: URIRef) -> str:  # type: ignore[no-untyped-def]
    name = data.value(document, DCTERMS.source)
    assert name is not None, f"{document} names no file in data/sources/ (dcterms:source)"
    return (layout.sources / str(name)).read_text(encoding="utf-8")


def test_every_passage_is_verbatim_in_its_source(dataset: Dataset, layout: Layout) -> None:
    data = dataset.graph(DATA_GRAPH)
    passages = instances(data, IEG.SourcePassage)
    assert len(passages) == 145  # 59 of the ministry's summary, 86 of the agenda
    missing = []
    for passage in passages:
        document = data.value(passage, IEG.inDocument)
        text = data.value(passage, IEG.verbatim)
        assert isinstance(text, Literal) and text.language in ("zh", "en"), passage
        if str(text) not in source_text(layout, data, document):
            missing.append(str(passage))
    assert missing == []


def test_a_changed_passage_is_caught(dataset: Dataset, layout: Layout) -> None:
    data = dataset.graph(DATA_GRAPH)
    passage = ID["passage/mfa-p1-s1"]
    text = str(data.value(passage, IEG.verbatim))
    source = source_text(layout, data, data.value(passage, IEG.inDocument))
    assert text in source
    assert text.replace("94", "95") not in source


def test_source_files_are_the_two_documents(dataset: Dataset, layout: Layout) -> None:
    data = dataset.graph(DATA_GRAPH)
    named = {str(o) for o in data.objects(None, DCTERMS.source) if not str(o).startswith("Unicode")}
    on_disk = {p.name for p in layout.sources.iterdir() if p.suffix == ".txt"}
    assert named == on_disk == {"000_7733b509ce2f1b5a.txt", "004_a93736f9cf16edf6.txt"}


@pytest.mark.parametrize(
    "graph_name", [DATA_GRAPH, PUBLIC_RECORD_GRAPH], ids=["data", "public-record"]
)
def test_every_fact_bearing_node_has_provenance(
    dataset: Dataset, union: Graph, graph_name: URIRef
) -> None:
    graph = dataset.graph(graph_name)
    lacking = [
        str(node)
        for node in instances(graph, *FACT_BEARING)
        if not any(
            (source, RDF.type, kind) in union
            for source in graph.objects(node, PROV.wasDerivedFrom)
            for kind in (IEG.SourcePassage, IEG.WebPage)
        )
    ]
    assert lacking == []


def test_every_stance_and_claim_is_attributed(union: Graph) -> None:
    unattributed = [
        str(node)
        for node in instances(union, *DISCOURSE)
        if union.value(node, IEG.accordingTo) is None
    ]
    assert unattributed == []


def test_stances_are_attributed_to_the_document_they_are_derived_from(union: Graph) -> None:
    """A stance said to come from the ministry's summary is derived from its passages, and so on."""
    wrong = []
    for stance in instances(union, IEG.Stance):
        according_to = union.value(stance, IEG.accordingTo)
        for passage in union.objects(stance, PROV.wasDerivedFrom):
            document = union.value(passage, IEG.inDocument)
            work = union.value(document, IEG.versionOf) or document
            if work != according_to:
                wrong.append((str(stance), str(passage)))
    assert wrong == []


def test_every_resource_has_english_and_chinese_labels(union: Graph) -> None:
    lacking = []
    for subject in {s for s in union.subjects() if isinstance(s, URIRef) and s.startswith(ID)}:
        languages = [label.language for label in union.objects(subject, RDFS.label)]
        if languages.count("en") != 1 or languages.count("zh") != 1:
            lacking.append((str(subject), sorted(filter(None, languages))))
    assert lacking == []


def test_no_label_lacks_a_language_tag(union: Graph) -> None:
    untagged = [
        (str(s), str(o))
        for s, o in union.subject_objects(RDFS.label)
        if not isinstance(o, Literal) or not o.language
    ]
    assert untagged == []


def test_data_files_are_split_by_topic(layout: Layout) -> None:
    names = {p.name for p in layout.data.glob("*.ttl")}
    assert {
        "actors.ttl",
        "agenda-4.ttl",
        "concepts.ttl",
        "disagreements.ttl",
        "documents.ttl",
        "instruments.ttl",
        "meetings.ttl",
        "passages-agenda.ttl",
        "passages-mfa.ttl",
        "programme-4.ttl",
        "proposals-chn-4.ttl",
        "stances-4.ttl",
        "stances-earlier.ttl",
        "states.ttl",
        "study.ttl",
    } == names


def test_data_sources_are_never_turtle(layout: Layout) -> None:
    assert not list(Path(layout.sources).glob("*.ttl"))


def sources(union: Graph, node: URIRef) -> set[URIRef]:
    """The documents (works, not language versions) and web pages a node is derived from."""
    found = set()
    for passage in union.objects(node, PROV.wasDerivedFrom):
        version = union.value(passage, IEG.inDocument)
        if version is None and (passage, RDF.type, IEG.WebPage) in union:
            version = passage
        if version is not None:
            found.add(union.value(version, IEG.versionOf) or version)
    return found


def only_the_national_account(dataset: Dataset, union: Graph) -> set[str]:
    """Statements of the data graph whose every source is the foreign ministry's summary."""
    data = dataset.graph(DATA_GRAPH)
    return {
        str(node).removeprefix(str(ID))
        for node in set(data.subjects(PROV.wasDerivedFrom, None))
        if sources(union, node) == {NATIONAL_ACCOUNT}
        and not union.query(NAMED_THINGS, initBindings={"node": node}).askAnswer
        # a sourced statement of one triple is checked in test_statements.py
        and (node, RDF.type, IEG.Statement) not in union
    }


def test_what_only_the_national_account_says_is_listed(dataset: Dataset, union: Graph) -> None:
    """The list written from the documents equals the nodes the graph derives from seed A alone."""
    assert only_the_national_account(dataset, union) == NATIONAL_ACCOUNT_ONLY


def test_every_statement_of_the_national_account_alone_is_an_attributed_claim(
    dataset: Dataset, union: Graph
) -> None:
    """Each names who asserts it (the ministry) and where (its summary); none is a plain fact."""
    unattributed = [
        path
        for path in sorted(only_the_national_account(dataset, union))
        if (ID[path], RDF.type, IEG.AttributedClaim) not in union
        or set(union.objects(ID[path], PROV.wasAttributedTo)) != {MINISTRY}
        or set(union.objects(ID[path], IEG.accordingTo)) != {NATIONAL_ACCOUNT}
    ]
    assert unattributed == []


def test_facts_other_sources_state_are_not_attributed_claims(union: Graph) -> None:
    """Facts the UN document or the public record also states stay facts, with all their sources."""
    claims = {
        str(node).removeprefix(str(ID))
        for node in union.subjects(RDF.type, IEG.AttributedClaim)
        if (node, RDF.type, IEG.Statement) not in union  # see test_statements.py
    }
    assert claims == NATIONAL_ACCOUNT_ONLY
    shared = [
        str(node)
        for node in union.subjects(RDF.type, IEG.AttributedClaim)
        if sources(union, node) != {NATIONAL_ACCOUNT}
    ]
    assert shared == []


def test_a_fact_both_documents_state_stays_a_fact(union: Graph) -> None:
    """The establishment of the Expert Group: seed A and seed B both state it."""
    node = ID["event/establishment-expert-group"]
    assert sources(union, node) == {NATIONAL_ACCOUNT, ID["doc/UNODC-CCPCJ-EG.4-2018-1"]}
    assert (node, RDF.type, IEG.AttributedClaim) not in union
    assert union.value(node, PROV.wasAttributedTo) is None


def test_every_concept_has_a_skos_preferred_label_beside_its_label(union: Graph) -> None:
    """SKOS tools read skos:prefLabel: each concept and scheme has its rdfs:label as one."""
    skos = Namespace("http://www.w3.org/2004/02/skos/core#")
    nodes = {
        s
        for kind in (IEG.Topic, IEG.OffenceType, IEG.PositionKind, IEG.ArgumentKind)
        for s in union.subjects(RDF.type, kind)
    }
    nodes |= {
        s
        for kind in (IEG.Procedure, IEG.Status, IEG.Language, skos.ConceptScheme)
        for s in union.subjects(RDF.type, kind)
    }
    assert len(nodes) > 70
    differ = [
        str(node)
        for node in sorted(nodes)
        if set(union.objects(node, skos.prefLabel)) != set(union.objects(node, RDFS.label))
    ]
    assert differ == []
