"""Complete Chinese in the data: every text a page shows in English has its Chinese beside it.

An ontology term's definition and a data resource's scope note, definition, title and
description are shown on the pages in the reader's language, so each `@en` one needs a `@zh`
one. Not checked, on purpose: `ieg:verbatim` (the source's own words, in the source's language),
`skos:altLabel` (abbreviations and other names, not translations) and the shapes' `sh:message`.
"""

from __future__ import annotations

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDFS, SKOS

from cybercrime_kg.namespaces import DATA_GRAPH, DEFAULT_BASE, IEG, ONTOLOGY_GRAPH

TEXTS = (SKOS.scopeNote, SKOS.definition, DCTERMS.title, DCTERMS.description)
# (subject, property) pairs allowed an @en text without @zh, with the reason: none today.
EXCEPTIONS: dict[tuple[str, str], str] = {}


@pytest.fixture(scope="module")
def ontology(dataset: Dataset) -> Graph:
    return dataset.graph(ONTOLOGY_GRAPH)


def languages(graph: Graph, subject: URIRef, prop: URIRef) -> set[str]:
    return {o.language or "" for o in graph.objects(subject, prop) if isinstance(o, Literal)}


def test_every_ontology_term_is_defined_in_english_and_chinese(ontology: Graph):
    terms = {s for s in ontology.subjects() if isinstance(s, URIRef) and s.startswith(IEG)}
    assert len(terms) == 166
    undefined = {
        str(term): sorted(
            {"en", "zh"}
            - languages(ontology, term, SKOS.definition)
            - languages(ontology, term, RDFS.comment)
        )
        for term in terms
    }
    assert {term: missing for term, missing in undefined.items() if missing} == {}


def test_no_english_text_without_chinese(dataset: Dataset):
    untranslated = set()
    for name in (ONTOLOGY_GRAPH, DATA_GRAPH):
        graph = dataset.graph(name)
        for prop in TEXTS:
            for subject in set(graph.subjects(prop, None)):
                if not (isinstance(subject, URIRef) and subject.startswith(DEFAULT_BASE)):
                    continue
                found = languages(graph, subject, prop)
                if "en" in found and "zh" not in found:
                    untranslated.add((str(subject), str(prop)))
    assert untranslated == set(EXCEPTIONS)


def test_the_chinese_is_chinese(dataset: Dataset):
    """A @zh text is written in Chinese characters, not an English text with a Chinese tag."""
    latin_only = [
        (str(s), str(o))
        for name in (ONTOLOGY_GRAPH, DATA_GRAPH)
        for s, p, o in dataset.graph(name)
        if p in TEXTS
        and isinstance(o, Literal)
        and o.language == "zh"
        and not any("\u4e00" <= ch <= "\u9fff" for ch in str(o))
    ]
    assert latin_only == []
