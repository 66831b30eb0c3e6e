"""The search corpus: every resource under the base as a document of fields, with its type.

A resource's fields are its names (rdfs:label, skos:altLabel, skos:prefLabel, ieg:symbol, every
language), for a stance the names of its target claim and of its arguments (so "黄金标准" finds
the stance that rebuts the "gold standard" claim although its own name never says it), a
passage's verbatim sentence, and a description. Its type is the first of `TYPES` its classes
fall under (subclasses count), shown with the class's own label in the page's language; its
prior is how many statements link it to other IRIs (log-scaled, 0-1).

Built once per QueryService from two queries, like the label index: an embedded engine at
start-up, a remote one on first use, and a failure (the store down) is not remembered.
"""

from __future__ import annotations

import math
from collections import defaultdict

from rdflib import OWL, RDF, RDFS, Literal
from rdflib.namespace import DCTERMS, SKOS

from cybercrime_kg.ld.finder import Document, Field, SearchIndex, bare
from cybercrime_kg.ld.words import fold
from cybercrime_kg.sparql.engines.base import Job
from cybercrime_kg.sparql.service import MemoKey, QueryService

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
# (a sourced statement repeats a triple of its subject's, so its links are not counted again)
_LINKS = """
SELECT ?r (COUNT(*) AS ?n) WHERE {
  { ?r ?p ?o FILTER (isIRI(?o)) } UNION { ?x ?p ?r FILTER NOT EXISTS { ?x a <%sStatement> } }
  FILTER (isIRI(?r) && STRSTARTS(STR(?r), "%s"))
} GROUP BY ?r"""


SEARCH: MemoKey[SearchIndex] = MemoKey("search")


def search_index(service: QueryService) -> SearchIndex:
    """The service's search index, built on first use and then shared (a failure is retried)."""
    return service.memos.get(SEARCH, lambda: _build(service))


def _build(service: QueryService) -> SearchIndex:
    """One query for the texts, types, classes and stance links, one for the link counts."""
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
    counts = Job(_LINKS % (ieg, base), base, max_rows=2**62, columns=("r", "n"))
    # a graph with nothing under the base (the W3C tests' data) gives rdflib's GROUP BY one row
    # of unbound values: no resource, no count
    degree = {
        str(r): int(n)  # type: ignore[call-overload]
        for r, n in service.engine.execute(counts).rows
        if r is not None and n is not None
    }
    most = math.log(1 + max(degree.values(), default=0)) or 1.0
    classes = [(key, c if "/" in c else ieg + c) for key, c in TYPES]
    documents = []
    for iri in sorted(own):
        if f"{ieg}Statement" in types[iri]:
            continue  # found through its subject, whose page shows it
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
                    Field(kind, value, literal.language or "", folded, bare(folded))
                )
        documents.append(document)
    return SearchIndex(documents)


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
