"""Every fact is traced to its source: passages are verbatim, every fact-bearing node has one."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Dataset, Graph, Literal, Namespace, URIRef

from cybercrime_kg.cli.export import union_graph
from cybercrime_kg.namespaces import DATA_GRAPH, ID, IEG, PROV, PUBLIC_RECORD_GRAPH
from cybercrime_kg.paths import Layout

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
