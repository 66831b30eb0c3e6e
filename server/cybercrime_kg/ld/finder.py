"""The search index: what people type, matched by word in English and Chinese, typos forgiven.

Each resource under the base is a document of fields: its names (rdfs:label, skos:altLabel,
skos:prefLabel, every language), for a stance the names of its target claim and of its
arguments (so "黄金标准" finds the stances on the "gold standard" claim although their own names
never say it), a passage's verbatim sentence and a description. A query word matches a field
as a whole word (1.0), as the start of a word (0.8), inside a word (0.5), or, when the graph has
no word that starts so, within one or two edits (rapidfuzz, OSA distance: 0.6, 0.45); a Chinese
word (jieba) as a word of the field (1.0) or inside its text (0.7). A word's score in a document
is its best field's weight times the match, plus a quarter of its other fields' (a stance that
names the Convention and whose target claim does too is more about it); the document's score
is the mean over the query's words weighted by rarity (idf), plus a bonus when a name is the
query (+2) or starts with it (+0.5) and, for queries of several words, when a field holds them
as typed (+0.3 x weight), times a small prior for well-linked resources (DBpedia Lookup ranks by
links in the same way). A document must match words worth 60 % of the query's weight.

Every resource gets one type, the first of `TYPES` its classes fall under (subclasses count),
shown with the class's own label in the page's language.

Built once per QueryService from two queries (see `search_index`); a query then touches only
this index: a few milliseconds on the project's graph (bench/search.py).
"""

from __future__ import annotations

import bisect
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import OSA
from rdflib import OWL, RDF, RDFS, Literal
from rdflib.namespace import DCTERMS, SKOS

from cybercrime_kg.ld.words import WORD, fold, has_han, query_words, spans, squash, text_words
from cybercrime_kg.sparql.engines.base import Job
from cybercrime_kg.sparql.service import MemoKey, QueryService

# field kind -> weight: names count most, a stance's target claim and arguments less, the
# sentences of the sources and descriptions least (a name that matches beats a sentence that does)
WEIGHTS = {"name": 1.0, "target": 0.6, "argument": 0.4, "verbatim": 0.35, "description": 0.3}
# (type key used in ?type=, the ontology class local name or an IRI), first match wins
TYPES: tuple[tuple[str, str], ...] = (
    ("stance", "Stance"),
    ("proposition", "Proposition"),
    ("argument", "Argument"),
    ("disagreement", "Disagreement"),
    ("record", "AttendanceRecord"),
    ("state", "State"),
    ("group", "GroupOfStates"),
    ("person", "Person"),
    ("organization", "Organization"),
    ("agent", "Agent"),
    ("meeting", "Meeting"),
    ("event", "Event"),
    ("passage", "SourcePassage"),
    ("part", "DocumentPart"),
    ("document", "Document"),
    ("topic", "Topic"),
    ("concept", "Concept"),
    ("place", "Place"),
    ("term", str(OWL.Class)),
    ("term", str(OWL.ObjectProperty)),
    ("term", str(OWL.DatatypeProperty)),
    ("term", str(OWL.AnnotationProperty)),
    ("term", str(OWL.Ontology)),
)
OTHER = "other"  # anything else (concept schemes ...)
TYPE_KEYS = tuple(dict.fromkeys([key for key, _ in TYPES] + [OTHER]))
MIN_COVERAGE = 0.6
MAX_RESULTS = 50
SNIPPET = 220  # characters of a long field shown around its first match

_PUNCTUATION = re.compile(r"^[\W_]+|[\W_]+$")
_FIELDS = {
    # ieg terms by local name (the base is configurable); a document's symbol is a name too
    "verbatim": "verbatim",
    "symbol": "name",
    str(RDFS.label): "name",
    str(SKOS.altLabel): "name",
    str(SKOS.prefLabel): "name",
    str(DCTERMS.description): "description",
}
_SEARCHABLE = f"""
SELECT ?s ?p ?o WHERE {{
  VALUES ?p {{ <{RDFS.label}> <{SKOS.altLabel}> <{SKOS.prefLabel}> <{DCTERMS.description}>
              <{RDF.type}> <{RDFS.subClassOf}> ?verbatim ?symbol ?target ?argument }}
  ?s ?p ?o .
  FILTER (isIRI(?s))
}}"""
# how many statements link each resource to or from another IRI: the prior
_LINKS = """
SELECT ?r (COUNT(*) AS ?n) WHERE {
  { ?r ?p ?o FILTER (isIRI(?o)) } UNION { ?x ?p ?r }
  FILTER (isIRI(?r) && STRSTARTS(STR(?r), STR(<>)))
} GROUP BY ?r"""


@dataclass(frozen=True)
class Field:
    """One searchable text of a resource."""

    kind: str
    text: str
    lang: str
    folded: str
    bare: str  # folded, without the punctuation around it ("《布达佩斯公约》": "布达佩斯公约")


@dataclass
class Document:
    """A resource as search sees it."""

    iri: str
    type: str = OTHER
    prior: float = 0.0
    fields: list[Field] = field(default_factory=list)


@dataclass(frozen=True)
class Hit:
    """One result: the resource, how well and how it matched, the field to show."""

    iri: str
    type: str
    score: float
    rank: str  # exact | prefix | substring | words | fuzzy
    field: Field
    marks: tuple[tuple[int, int], ...]  # spans of `field.text` to mark


@dataclass(frozen=True)
class Found:
    """The answer to a query: the best hits, how many matched, by type."""

    hits: list[Hit]
    total: int  # after the type filter
    counts: dict[str, int]  # type -> matches, before the type filter
    corrected: str  # the query as the typo correction read it, or ""

    @property
    def truncated(self) -> bool:
        return self.total > len(self.hits)


@dataclass
class _Word:
    """How one query word matched: (document, field) -> quality, and the words to mark."""

    typed: str
    chinese: bool
    matches: dict[tuple[int, int], float] = field(default_factory=dict)
    marked: set[str] = field(default_factory=set)
    fuzzy_only: bool = False
    correction: str = ""

    def add(self, places: Iterable[tuple[int, int]], quality: float) -> None:
        for place in places:
            if self.matches.get(place, 0.0) < quality:
                self.matches[place] = quality


class SearchIndex:
    """Documents, and their words: alphabetic words by word, Chinese words by word and by text."""

    def __init__(self, documents: list[Document]) -> None:
        self.documents = documents
        self.alphabetic: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self.chinese: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self.han_fields: list[tuple[int, int, str]] = []
        for d, document in enumerate(documents):
            for f, one in enumerate(document.fields):
                alphabetic, chinese = text_words(one.folded)
                for word in alphabetic:
                    self.alphabetic[word].append((d, f))
                for word in chinese:
                    self.chinese[word].append((d, f))
                if has_han(one.folded):
                    self.han_fields.append((d, f, one.folded))
        self.vocabulary = sorted(self.alphabetic)

    def _alphabetic(self, word: str) -> _Word:
        found = _Word(word, chinese=False)
        known = word in self.alphabetic
        if known:
            found.add(self.alphabetic[word], 1.0)
            found.marked.add(word)
        start = bisect.bisect_left(self.vocabulary, word)
        end = bisect.bisect_left(self.vocabulary, word + "\U0010ffff")
        # "state" finds "states"; a short word only when it is no word itself ("bud", not "the")
        if len(word) >= 4 or (len(word) >= 2 and not known):
            for other in self.vocabulary[start:end]:
                if other != word:
                    found.add(self.alphabetic[other], 0.8)
                    found.marked.add(other)
        if not known and len(word) >= 3:  # a piece of a word: "crime" alone is a word
            for other in self.vocabulary:
                if word in other and not other.startswith(word):
                    found.add(self.alphabetic[other], 0.5)
                    found.marked.add(other)
        if start == end and len(word) >= 4:  # no word of the graph starts so: a typo?
            edits = 1 if len(word) < 8 else 2
            near = process.extract(
                word, self.vocabulary, scorer=OSA.distance, score_cutoff=edits, limit=None
            )
            for other, distance, _ in near:
                found.add(self.alphabetic[other], 0.6 if distance <= 1 else 0.45)
                found.marked.add(other)
            if near and not found.marked - {n[0] for n in near}:
                found.fuzzy_only = True
                best = min(near, key=lambda n: (n[1], -len(self.alphabetic[n[0]]), n[0]))
                found.correction = best[0]
        return found

    def _chinese(self, word: str) -> _Word:
        found = _Word(word, chinese=True, marked={word})
        found.add(self.chinese.get(word, ()), 1.0)
        found.add(((d, f) for d, f, folded in self.han_fields if word in folded), 0.7)
        return found

    def find(self, query: str, types: Sequence[str] = (), limit: int = MAX_RESULTS) -> Found:
        """The documents that match `query`, best first, of the given types (all if none)."""
        wanted = squash(query)
        words = [
            self._chinese(w) if chinese else self._alphabetic(w)
            for w, chinese in query_words(wanted) or [(wanted, True)]
        ]
        fixes = {word.typed: word.correction for word in words if word.correction}
        corrected = WORD.sub(lambda m: fixes.get(m.group(), m.group()), wanted)
        scores = self._score(wanted, corrected, words)
        counts: dict[str, int] = defaultdict(int)
        for d in scores:
            counts[self.documents[d].type] += 1
        chosen = [d for d in scores if not types or self.documents[d].type in types]
        chosen.sort(key=lambda d: (-scores[d][0], self.documents[d].iri))
        hits = [self._hit(d, *scores[d], words, wanted) for d in chosen[:limit]]
        return Found(hits, len(chosen), dict(counts), corrected if corrected != wanted else "")

    def _score(
        self, wanted: str, corrected: str, words: list[_Word]
    ) -> dict[int, tuple[float, str, int]]:
        """document -> (score, rank, field to show), for documents that match enough words."""
        count = len(self.documents)
        rarity = []
        for word in words:
            matched = {d for d, _ in word.matches}
            rarity.append(math.log(1 + count / (1 + len(matched))))
        total = sum(rarity)
        per_document: dict[int, float] = defaultdict(float)  # weighted word scores
        coverage: dict[int, float] = defaultdict(float)
        fuzzy: set[int] = set()
        field_scores: dict[tuple[int, int], float] = defaultdict(float)
        for word, idf in zip(words, rarity, strict=True):
            kinds: dict[int, dict[str, float]] = defaultdict(dict)
            for (d, f), quality in word.matches.items():
                kind = self.documents[d].fields[f].kind
                value = WEIGHTS[kind] * quality
                field_scores[(d, f)] += idf * value
                if kinds[d].get(kind, 0.0) < value:
                    kinds[d][kind] = value
            for d, values in kinds.items():
                best = max(values.values())
                per_document[d] += idf * (best + 0.25 * (sum(values.values()) - best))
                coverage[d] += idf
                if word.fuzzy_only:
                    fuzzy.add(d)
        best_field: dict[int, tuple[float, int]] = {}
        for (d, f), value in field_scores.items():
            if d not in best_field or value > best_field[d][0]:
                best_field[d] = (value, f)
        several = len(words) > 1
        answer = {}
        for d, value in per_document.items():
            if coverage[d] < MIN_COVERAGE * total:
                continue
            document = self.documents[d]
            bonus, rank, shown = 0.0, "fuzzy" if d in fuzzy else "words", best_field[d][1]
            for phrase, factor in ((wanted, 1.0), (corrected, 0.6)):
                if factor < 1.0 and phrase == wanted:
                    continue
                bare = _bare(phrase) or phrase
                for f, one in enumerate(document.fields):
                    if one.kind == "name" and one.bare == bare:
                        extra, kind_of = 2.0, "exact"
                    elif one.kind == "name" and one.bare.startswith(bare):
                        extra, kind_of = 0.5, "prefix"
                    elif several and phrase in one.folded:
                        extra, kind_of = 0.3 * WEIGHTS[one.kind], "substring"
                    else:
                        continue
                    if extra * factor > bonus:
                        bonus, shown = extra * factor, f
                        rank = kind_of if factor == 1.0 else rank
            if rank == "words" and not several and wanted in document.fields[shown].folded:
                rank = "substring"
            score = (value / total + bonus) * (1 + 0.1 * document.prior)
            answer[d] = (score, rank, shown)
        return answer

    def _hit(self, d: int, score: float, rank: str, f: int, words: list[_Word], wanted: str) -> Hit:
        document = self.documents[d]
        one = document.fields[f]
        alphabetic = {w for word in words if not word.chinese for w in word.marked}
        chinese = {w for word in words if word.chinese for w in word.marked}
        marks = spans(one.folded, alphabetic, chinese)
        if not marks and wanted in one.folded:
            start = one.folded.find(wanted)
            marks = [(start, start + len(wanted))]
        return Hit(document.iri, document.type, round(score, 4), rank, one, tuple(marks))


def snippet(hit: Hit) -> list[tuple[str, bool]]:
    """The hit's field as (text, marked) pieces, cut around the first mark if it is long."""
    text, marks = hit.field.text, list(hit.marks)
    start, end = 0, len(text)
    if len(text) > SNIPPET:
        first = marks[0][0] if marks else 0
        start = max(0, min(first - SNIPPET // 3, len(text) - SNIPPET))
        end = start + SNIPPET
        if start and " " in text[start : first or start + 1]:
            start = text.index(" ", start) + 1
        if end < len(text) and " " in text[max(first, end - 30) : end]:
            end = text.rindex(" ", max(first, end - 30), end)
    pieces: list[tuple[str, bool]] = [("…", False)] if start else []
    position = start
    for mark_start, mark_end in marks:
        mark_start, mark_end = max(mark_start, start), min(mark_end, end)
        if mark_start >= mark_end:
            continue
        if mark_start > position:
            pieces.append((text[position:mark_start], False))
        pieces.append((text[mark_start:mark_end], True))
        position = mark_end
    if position < end:
        pieces.append((text[position:end], False))
    if end < len(text):
        pieces.append(("…", False))
    return pieces


SEARCH: MemoKey[SearchIndex] = MemoKey("search")


def search_index(service: QueryService) -> SearchIndex:
    """The service's search index, built on first use and then shared (a failure is retried)."""
    return service.memos.get(SEARCH, lambda: _build(service))


def _build(service: QueryService) -> SearchIndex:
    base = service.base
    ieg = base + "ontology#"
    text = _SEARCHABLE
    for term in ("verbatim", "symbol", "target", "argument"):
        text = text.replace(f"?{term}", f"<{ieg}{term}>")
    rows = service.engine.execute(Job(text, base, max_rows=2**62, columns=("s", "p", "o"))).rows
    own: dict[str, list[tuple[str, Literal]]] = defaultdict(list)
    links: dict[str, list[tuple[str, str]]] = defaultdict(list)  # stance -> (kind, target)
    types: dict[str, set[str]] = defaultdict(set)
    parents: dict[str, set[str]] = defaultdict(set)
    for subject, predicate, o in rows:
        s, p = str(subject), str(predicate)
        if p == str(RDF.type):
            types[s].add(str(o))
        elif p == str(RDFS.subClassOf):
            parents[s].add(str(o))
        elif p in (f"{ieg}target", f"{ieg}argument"):
            links[s].append(("target" if p.endswith("target") else "argument", str(o)))
        elif isinstance(o, Literal) and s.startswith(base):
            own[s].append((_FIELDS.get(p) or _FIELDS[p.rpartition("#")[2]], o))
    count = service.engine.execute(Job(_LINKS, base, max_rows=2**62, columns=("r", "n"))).rows
    degree = {str(r): int(n) for r, n in count}  # type: ignore[call-overload]
    most = math.log(1 + max(degree.values(), default=0)) or 1.0
    classes = [(key, c if "/" in c else ieg + c) for key, c in TYPES]
    documents = []
    for iri in sorted(own):
        document = Document(iri, _type(types[iri], parents, classes))
        document.prior = math.log(1 + degree.get(iri, 0)) / most
        seen: set[tuple[str, str]] = set()
        related = [(kind, lit) for kind, other in links[iri] for _, lit in _names(own[other])]
        for kind, literal in own[iri] + related:
            value = str(literal)
            if (kind, value) not in seen:
                seen.add((kind, value))
                folded = fold(value)
                document.fields.append(
                    Field(kind, value, literal.language or "", folded, _bare(folded))
                )
        documents.append(document)
    return SearchIndex(documents)


def _bare(folded: str) -> str:
    return _PUNCTUATION.sub("", folded)


def _names(literals: list[tuple[str, Literal]]) -> list[tuple[str, Literal]]:
    return [(kind, lit) for kind, lit in literals if kind == "name"]


def _type(asserted: set[str], parents: dict[str, set[str]], classes: list[tuple[str, str]]) -> str:
    """The first type key whose class is among `asserted` or their superclasses."""
    closure, todo = set(), list(asserted)
    while todo:
        c = todo.pop()
        if c not in closure:
            closure.add(c)
            todo.extend(parents.get(c, ()))
    return next((key for key, c in classes if c in closure), OTHER)
