"""An in-memory index of every label in the dataset: names for pages, the 404 page's suggestions.

The data is read-only, so the index is built once per QueryService with one query for the
labelling statements only, and shared by every request (/search has its own index, `corpus`). An
embedded engine builds it at start-up; over a remote engine it is built on first use, and a
failure (the endpoint down) is not remembered, so the next request tries again.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import SKOS

from cybercrime_kg.namespaces import PREFIXES
from cybercrime_kg.sparql.engines.base import Job
from cybercrime_kg.sparql.service import MemoKey, QueryService
from cybercrime_kg.web.i18n import DEFAULT_LANG, LANGS

# Terms of other vocabularies the data uses, which the graph itself does not label.
_VOCABULARY: dict[str, tuple[str, str]] = {
    str(RDF.type): ("type", "类型"),
    str(RDFS.label): ("label", "标签"),
    str(SKOS.altLabel): ("alternative label", "别名"),
    str(SKOS.broader): ("broader concept", "上位概念"),
    str(SKOS.related): ("related concept", "相关概念"),
    str(SKOS.inScheme): ("in scheme", "所属概念体系"),
    str(SKOS.hasTopConcept): ("top concept", "顶层概念"),
    str(SKOS.notation): ("notation", "编码"),
    str(SKOS.scopeNote): ("scope note", "范围注释"),
    str(SKOS.exactMatch): ("exact match", "完全对应"),
    str(SKOS.closeMatch): ("close match", "近似对应"),
    str(RDFS.seeAlso): ("see also", "另见"),
    "http://purl.org/dc/terms/title": ("title", "标题"),
    "http://purl.org/dc/terms/description": ("description", "描述"),
    "http://purl.org/dc/terms/source": ("source", "来源"),
    "http://www.w3.org/ns/prov#wasDerivedFrom": ("was derived from", "来源于"),
    "http://www.w3.org/ns/prov#wasAttributedTo": ("was attributed to", "归属于"),
    str(SKOS.prefLabel): ("preferred label", "首选标签"),
    str(SKOS.ConceptScheme): ("concept scheme", "概念体系"),
}
MAX_RESULTS = 50
# every labelling statement about an IRI, in whichever graph it is stated
_LABELLING = f"""
SELECT DISTINCT ?s ?p ?o WHERE {{
  VALUES ?p {{ <{RDF.type}> <{RDFS.label}> <{SKOS.altLabel}> }}
  ?s ?p ?o .
  FILTER (isIRI(?s))
}}"""


def fold(text: str) -> str:
    """The form labels and queries are compared in: NFKC, case-folded, trimmed."""
    return unicodedata.normalize("NFKC", text).casefold().strip()


@dataclass(frozen=True)
class SearchHit:
    """One search result: the resource and the label that matched."""

    iri: str
    matched: str
    lang: str
    rank: int  # 0 exact, 1 prefix, 2 substring


@dataclass
class LabelIndex:
    """Labels by IRI and language, the types of each IRI, and the folded labels to search."""

    base: str
    names: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    types: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    # (folded label, label, language, IRI) of every label of an IRI under the base
    entries: list[tuple[str, str, str, str]] = field(default_factory=list)

    def add(self, s: str, p: URIRef, o: Literal | URIRef) -> None:
        if p == RDF.type:
            self.types[s].add(str(o))
            return
        if not isinstance(o, Literal):
            return
        lang = o.language or ""
        if p == RDFS.label:
            self.names[s].setdefault(lang, str(o))
        # a sourced statement (<.../id/subject#property=value>) is found through its subject's page
        if s.startswith(self.base) and not (s.startswith(self.base + "id/") and "#" in s):
            self.entries.append((fold(str(o)), str(o), lang, s))

    def __contains__(self, iri: str) -> bool:
        return iri in self.types or iri in self.names

    def label(self, iri: str, lang: str) -> tuple[str, str]:
        """The name of `iri` and its language: `lang`, else English, else any, else a short form."""
        names = self.names.get(iri)
        if names:
            for wanted in (lang, DEFAULT_LANG):
                if wanted in names:
                    return names[wanted], wanted
            first = min(names)
            return names[first], first
        vocabulary = _VOCABULARY.get(iri)
        if vocabulary:
            return vocabulary[LANGS.index(lang)] if lang in LANGS else vocabulary[0], lang
        return short_form(iri), ""

    def search(self, query: str, limit: int = MAX_RESULTS) -> tuple[list[SearchHit], bool]:
        """Resources with a label containing `query`: exact, then prefix, then substring matches."""
        wanted = fold(query)
        best: dict[str, tuple[tuple[int, int, str], SearchHit]] = {}
        for folded, label, lang, iri in self.entries:
            if wanted not in folded:
                continue
            rank = 0 if folded == wanted else 1 if folded.startswith(wanted) else 2
            key = (rank, len(label), label)
            if iri not in best or key < best[iri][0]:
                best[iri] = (key, SearchHit(iri, label, lang, rank))
        ordered = [hit for _, hit in sorted(best.values(), key=lambda kv: (kv[0], kv[1].iri))]
        return ordered[:limit], len(ordered) > limit

    def of_kind(self, prefix: str, limit: int) -> list[str]:
        """Some IRIs starting with `prefix` (suggestions when an IRI is unknown)."""
        return sorted(iri for iri in self.names if iri.startswith(prefix))[:limit]


def short_form(iri: str) -> str:
    """`prefix:name` for IRIs in a known namespace, else the IRI itself."""
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


LABELS: MemoKey[LabelIndex] = MemoKey("labels")


def label_index(service: QueryService) -> LabelIndex:
    """The service's label index, built on first use (start-up) and then shared."""
    return service.memos.get(LABELS, lambda: _build_index(service))


def _build_index(service: QueryService) -> LabelIndex:
    index = LabelIndex(service.base)
    job = Job(_LABELLING, service.base, max_rows=2**62, columns=("s", "p", "o"))
    for s, p, o in service.engine.execute(job).rows:
        index.add(str(s), p, o)  # type: ignore[arg-type]
    return index
