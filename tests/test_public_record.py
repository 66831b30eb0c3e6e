"""The public-record enrichment (issue 3): facts from public sources beyond the two documents.

They live in their own named graph, each derived from a web page (or a passage quoted from one),
and never in the data graph; where they contradict a document, both accounts are kept. The
expected values below are written from shared/public-record.md, which these tests do not read
(CI need not have it beside the repository).
"""

from __future__ import annotations

from collections import Counter

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from cybercrime_kg.namespaces import DATA_GRAPH, ID, IEG, PROV, PUBLIC_RECORD_GRAPH
from helpers.assertions import assert_none

EXPERT_GROUP = ID["body/expert-group"]
# Nodes that carry provenance rather than facts.
SOURCE_CLASSES = {IEG.WebPage, IEG.SourcePassage}


def iri(kind: str, key: str) -> URIRef:
    return ID[f"{kind}/{key}"]


@pytest.fixture(scope="module")
def public_record(dataset: Dataset) -> Graph:
    return dataset.graph(PUBLIC_RECORD_GRAPH)


@pytest.fixture(scope="module")
def data(dataset: Dataset) -> Graph:
    return dataset.graph(DATA_GRAPH)


@pytest.fixture(scope="module")
def union(data: Graph, public_record: Graph) -> Graph:
    """Data and public record together: a web page the agenda cites is typed in the data graph."""
    both = Graph()
    both += data
    both += public_record
    return both


# --- (a) Meeting dates ---

MEETING_DATES = {
    1: ("2011-01-17", "2011-01-21"),
    2: ("2013-02-25", "2013-02-28"),
    3: ("2017-04-10", "2017-04-13"),
    4: ("2018-04-03", "2018-04-05"),
    5: ("2019-03-27", "2019-03-29"),
    6: ("2020-07-27", "2020-07-29"),  # postponed from 6-8 April 2020 (COVID-19)
    7: ("2021-04-06", "2021-04-08"),
}


def test_meeting_dates_from_the_public_record_only(data: Graph, public_record: Graph):
    # Which node is meeting n comes from the data graph; its dates from the public record alone.
    meetings = {
        int(n): m
        for m in data.subjects(IEG.meetingOf, EXPERT_GROUP)
        if (m, RDF.type, IEG.Meeting) in data
        for n in data.objects(m, IEG.ordinal)
    }
    found = {
        (n, str(start), str(end))
        for n, m in meetings.items()
        for start in public_record.objects(m, IEG.startDate)
        for end in public_record.objects(m, IEG.endDate)
    }
    assert found == {(n, start, end) for n, (start, end) in MEETING_DATES.items()}


def test_postponed_dates_of_meeting_6_are_not_meeting_dates(public_record: Graph):
    meeting_6 = iri("meeting", "6")
    starts = {str(d) for d in public_record.objects(meeting_6, IEG.startDate)}
    assert starts == {"2020-07-27"}
    step = iri("event", "pr-eg6-postponement")
    assert (step, RDF.type, IEG.ProcessStep) in public_record
    assert (step, IEG.concerns, meeting_6) in public_record


# --- (b) Provenance: every fact traces to a web page ---


def test_every_fact_bearing_node_derives_from_a_web_source(union: Graph, public_record: Graph):
    def web_page(node: URIRef) -> bool:
        return IEG.WebPage in set(union.objects(node, RDF.type)) and any(
            union.objects(node, IEG.url)
        )

    def web_source(node: URIRef) -> bool:
        if web_page(node):
            return True
        if IEG.SourcePassage not in set(union.objects(node, RDF.type)):
            return False
        return any(web_page(d) for d in union.objects(node, IEG.inDocument))

    offenders = []
    for subject in sorted(set(public_record.subjects())):
        if set(public_record.objects(subject, RDF.type)) & SOURCE_CLASSES:
            continue
        sources = list(public_record.objects(subject, PROV.wasDerivedFrom))
        if not any(web_source(s) for s in sources):
            offenders.append(subject)
    assert_none(offenders, "public-record nodes without a web page or passage as source")


def test_every_web_page_has_one_address(union: Graph, public_record: Graph):
    offenders = [
        page
        for page in sorted(public_record.subjects(RDF.type, IEG.WebPage))
        if len(list(union.objects(page, IEG.url))) != 1
    ]
    assert_none(offenders, "web pages without exactly one ieg:url")


# --- (c) Passages stay with their sources ---


def test_no_public_record_passage_points_into_the_seed_documents(
    union: Graph, public_record: Graph, data: Graph
):
    # The seed documents carry dcterms:source (their file name); their language versions too.
    seeds = {s for s, p, _ in data if p.endswith("/terms/source")}
    seeds |= {w for s in list(seeds) for w in data.objects(s, IEG.versionOf)}
    seeds |= {v for s in list(seeds) for v in data.subjects(IEG.versionOf, s)}
    assert iri("doc", "mfa-summary-2018-04-11") in seeds
    passages = set(public_record.subjects(RDF.type, IEG.SourcePassage))
    assert passages
    offenders = [
        (passage, document)
        for passage in sorted(passages)
        for document in public_record.objects(passage, IEG.inDocument)
        if document in seeds or IEG.WebPage not in set(union.objects(document, RDF.type))
    ]
    assert_none(offenders, "public-record passages not quoted from a web page")


def test_public_record_keys_never_enter_the_data_graph(data: Graph):
    offenders = sorted(
        s for s in set(data.subjects()) if isinstance(s, URIRef) and "/pr-" in str(s)
    )
    assert_none(offenders, "public-record nodes in the data graph")


# --- (d) Disagreements, each account with its own source ---

DISAGREEMENTS = {
    iri("disagreement", "pr-eg-establishment-year"): {
        iri("proposition", "eg-established-2011"),
        iri("proposition", "pr-eg-requested-2010"),
    },
    iri("disagreement", "pr-eg4-attendance-count"): {
        iri("record", "eg4-attendance-mfa"),
        iri("record", "eg4-attendance-sco"),
    },
    iri("disagreement", "pr-eg4-report-symbol"): {
        iri("proposition", "pr-eg4-report-is-e-cn15-2018-12"),
        iri("proposition", "pr-eg4-report-listed-as-unodc-cn5"),
    },
    iri("disagreement", "pr-hanoi-signatory-count"): {
        iri("proposition", "pr-hanoi-signatories-72"),
        iri("proposition", "pr-hanoi-signatories-69"),
        iri("proposition", "pr-hanoi-signatories-65"),
    },
}


def test_exact_disagreements_and_their_accounts(public_record: Graph):
    found = {
        d: set(public_record.objects(d, IEG.account))
        for d in public_record.subjects(RDF.type, IEG.Disagreement)
    }
    assert found == DISAGREEMENTS


def test_each_account_has_its_own_source(union: Graph):
    offenders = [
        account
        for accounts in DISAGREEMENTS.values()
        for account in sorted(accounts)
        if not any(union.objects(account, IEG.accordingTo))
    ]
    assert_none(offenders, "accounts without ieg:accordingTo")
    sources = [
        {frozenset(union.objects(a, IEG.accordingTo)) for a in accounts}
        for accounts in DISAGREEMENTS.values()
    ]
    assert all(len(s) == len(a) for s, a in zip(sources, DISAGREEMENTS.values(), strict=True))


def test_attendance_counts_are_both_kept(union: Graph):
    counts = {
        int(n)
        for record in DISAGREEMENTS[iri("disagreement", "pr-eg4-attendance-count")]
        for n in union.objects(record, IEG.memberStateCount)
    }
    assert counts == {94, 91}


def test_report_symbol_is_not_given_the_odd_symbol(union: Graph):
    symbols = {str(s) for s in union.objects(iri("doc", "eg4-report"), IEG.symbol)}
    assert symbols == {"E/CN.15/2018/12"}


# --- (e) Passages: verbatim, language-tagged ---


def test_passages_are_non_empty_and_language_tagged(public_record: Graph):
    offenders = []
    for passage in sorted(public_record.subjects(RDF.type, IEG.SourcePassage)):
        texts = list(public_record.objects(passage, IEG.verbatim))
        locators = list(public_record.objects(passage, IEG.locator))
        ok = len(texts) == 1 and isinstance(texts[0], Literal)
        ok = ok and bool(str(texts[0]).strip()) and texts[0].language in {"en", "zh"}
        if not ok or len(locators) != 1:
            offenders.append(passage)
    assert_none(offenders, "passages without one tagged verbatim text and one locator")


def test_xinhua_passage_is_chinese(public_record: Graph):
    [text] = public_record.objects(iri("passage", "pr-xinhua-sa-chair"), IEG.verbatim)
    assert text.language == "zh"


# --- Labels of the new resources ---


def test_new_resources_have_one_label_in_english_and_chinese(public_record: Graph, data: Graph):
    known = set(data.subjects())
    offenders = []
    for subject in sorted(set(public_record.subjects()) - known):
        languages = Counter(label.language for label in public_record.objects(subject, RDFS.label))
        # a state is named in all six UN languages, as data/states.ttl names the others (issue 20)
        six = (subject, RDF.type, IEG.State) in public_record
        wanted = (
            {"ar": 1, "zh": 1, "en": 1, "fr": 1, "ru": 1, "es": 1} if six else {"en": 1, "zh": 1}
        )
        if languages != Counter(wanted):
            offenders.append(f"{subject}: {dict(languages)}")
    assert_none(offenders, "new public-record resources without one @en and one @zh label")


def test_existing_nodes_get_no_second_label(public_record: Graph, data: Graph):
    offenders = sorted(
        s for s in set(public_record.subjects(RDFS.label)) if s in set(data.subjects())
    )
    assert_none(offenders, "labels added to nodes of the data graph")


def test_treaty_series_numbers_are_identifiers(union: Graph):
    """The Council of Europe's treaty numbers (public-record.md, the glossary): the standard
    dcterms:identifier a linked-data client reads, the same as their ieg:number."""
    identifiers = {
        (str(s).removeprefix(ID), str(o))
        for s, o in union.subject_objects(URIRef("http://purl.org/dc/terms/identifier"))
        if str(o).startswith(("ETS", "CETS"))
    }
    assert identifiers == {
        ("instrument/budapest-convention", "ETS No. 185"),
        ("instrument/budapest-first-additional-protocol", "ETS No. 189"),
        ("instrument/budapest-second-additional-protocol", "CETS No. 224"),
    }
    assert all((ID[s], IEG.number, Literal(n)) in union for s, n in identifiers)
