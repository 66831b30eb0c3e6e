"""The search index: what people type, matched by word in English and Chinese, typos forgiven.

A resource is a document of fields (`corpus` makes them: names, a stance's target claim and
arguments, a passage's sentence, a description), each of a kind with a weight. A query word
matches a field as a whole word (1.0), as the start of a longer word (0.8: "state" finds
"states"; a word of three letters or fewer only when it is no word itself), inside a word (0.5,
only when it is no word itself: "crim" finds "cybercrime", "crime" does not), or, when no word
of the graph starts so, within one or two edits (rapidfuzz, OSA distance: 0.6, 0.45; one edit
up to 7 letters); a Chinese word (jieba, `words`) as a word of the field (1.0) or inside its
text (0.7: segmentation is not always the same in a query and in a text).

A word's score in a document is its best field's weight times the match, plus a quarter of its
other fields' (a stance that names the Convention and whose target claim does too is more about
it); the document's score is the mean over the query's words weighted by rarity (idf), plus a
bonus when a name is the query (+2) or starts with it (+0.5) and, for queries of several words,
when a field holds them as typed (+0.3 x the field's weight), times a prior of at most +10 % for
well-linked resources (DBpedia Lookup ranks by links the same way). A document must match words
worth 60 % of the query's weight, so one word of nonsense in two sinks a query, and nonsense
alone finds nothing. Queries touch only this index: about a millisecond on the project's graph
(bench/search.py).
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

from cybercrime_kg.ld.words import WORD, has_han, query_words, spans, squash, text_words

# field kind -> weight: names count most, a stance's target claim and arguments less, the
# sentences of the sources and descriptions least (a name that matches beats a sentence that does)
WEIGHTS = {"name": 1.0, "target": 0.6, "argument": 0.4, "verbatim": 0.35, "description": 0.3}
MIN_COVERAGE = 0.6
MAX_RESULTS = 50
SNIPPET = 220  # characters of a long field shown around its first match

_PUNCTUATION = re.compile(r"^[\W_]+|[\W_]+$")


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
    type: str  # a key of corpus.TYPES
    prior: float = 0.0  # 0-1, how well linked it is
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
        self.all_fields: list[tuple[int, int, str]] = []
        for d, document in enumerate(documents):
            for f, one in enumerate(document.fields):
                alphabetic, chinese = text_words(one.folded)
                for word in alphabetic:
                    self.alphabetic[word].append((d, f))
                for word in chinese:
                    self.chinese[word].append((d, f))
                self.all_fields.append((d, f, one.folded))
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

    def _symbols(self, text: str) -> _Word:
        """A query of no word at all ("%", "——"): the fields that hold it as typed."""
        found = _Word(text, chinese=True, marked={text})
        found.add(((d, f) for d, f, folded in self.all_fields if text in folded), 0.7)
        return found

    def find(self, query: str, types: Sequence[str] = (), limit: int = MAX_RESULTS) -> Found:
        """The documents that match `query`, best first, of the given types (all if none)."""
        wanted = squash(query)
        words = [
            self._chinese(w) if chinese else self._alphabetic(w)
            for w, chinese in query_words(wanted)
        ] or [self._symbols(wanted)]
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
                bare_phrase = bare(phrase) or phrase
                for f, one in enumerate(document.fields):
                    if one.kind == "name" and one.bare == bare_phrase:
                        extra, kind_of = 2.0, "exact"
                    elif one.kind == "name" and one.bare.startswith(bare_phrase):
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


def bare(folded: str) -> str:
    """A folded text without the punctuation around it."""
    return _PUNCTUATION.sub("", folded)


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
