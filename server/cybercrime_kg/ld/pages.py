"""HTML pages of the linked data: a resource's description, the 404 page, a named graph.

Pages are Jinja templates (autoescaped); everything they show is prepared here as plain
values, so templates never touch rdflib. Every IRI is shown by its label in the page's
language, linked to this server when it lies under the base, to its owner otherwise.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from urllib.parse import quote, unquote

from flask import render_template, request
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from cybercrime_kg.ld.labels import LabelIndex, short_form
from cybercrime_kg.ld.locators import locator_zh
from cybercrime_kg.namespaces import PROV
from cybercrime_kg.web.i18n import language_name, sort_key, text, when, with_lang

# Alternate formats linked from every resource page: (suffix, media type, name shown)
ALTERNATES = (
    ("ttl", "text/turtle", "Turtle"),
    ("nt", "application/n-triples", "N-Triples"),
    ("jsonld", "application/ld+json", "JSON-LD"),
    ("rdf", "application/rdf+xml", "RDF/XML"),
)
_FIRST = (str(RDF.type), str(RDFS.label))
# Other datasets' IRIs the graph links to without naming them: (namespace, message key)
EXTERNAL_NAMES = (
    ("http://www.wikidata.org/entity/", "external.wikidata"),
    ("https://sws.geonames.org/", "external.geonames"),
    ("https://undocs.org/", "external.undocs"),  # a UN document's symbol, percent-encoded
)


@dataclass(frozen=True)
class Term:
    """An RDF term as a page shows it: text in a language, maybe a link."""

    text: str
    lang: str = ""
    href: str | None = None
    external: bool = False
    quote: bool = False  # a source's words, verbatim
    cites: tuple[int, ...] = ()  # numbers of the sources that state this value (a statement's)
    claimed_by: tuple[Term, ...] = ()  # who alone asserts it, when only a national account does


@dataclass(frozen=True)
class Row:
    """A property and its values (or, for incoming links, the resources that point here)."""

    predicate: Term
    values: tuple[Term, ...]


@dataclass(frozen=True)
class Source:
    """A passage the resource is derived from (its name, in the page's language, says where it
    lies in the document)."""

    passage: Term
    verbatim: Term | None
    document: Term | None


class Labeller:
    """Turns IRIs and literals into Terms in one language, with links on this server."""

    def __init__(self, index: LabelIndex, lang: str) -> None:
        self.index = index
        self.lang = lang
        self.root = request.script_root

    def local(self, iri: str) -> str | None:
        """This server's path for an IRI under the base, else None."""
        if iri.startswith(self.index.base):
            return with_lang(f"{self.root}/{iri[len(self.index.base) :]}")
        return None

    def iri(self, iri: str) -> Term:
        local = self.local(iri)
        text, lang = self.index.label(iri, self.lang)
        if local is not None:
            return Term(text, lang, local)
        external = iri.startswith(("http://", "https://"))
        if external and not lang and text == short_form(iri):  # nobody names it
            text, lang = self.external_name(iri, text), self.lang
        return Term(text, lang, iri if external else None, external)

    def external_name(self, iri: str, short: str) -> str:
        """An unlabelled IRI of another dataset named by its dataset and key ("Wikidata Q148");
        a vocabulary's term keeps its prefixed name (dcterms:identifier), a code."""
        for namespace, key in EXTERNAL_NAMES:
            if iri.startswith(namespace):
                return text(key, self.lang, id=unquote(iri[len(namespace) :].strip("/")))
        return short

    def term(self, node: Node) -> Term:
        if isinstance(node, URIRef):
            return self.iri(str(node))
        if isinstance(node, Literal):
            value = str(node)
            if node.datatype == XSD.anyURI and value.startswith(("http://", "https://")):
                return Term(value, "", value, True)
            if node.datatype == XSD.boolean:
                return Term(
                    text("value.true" if node.toPython() is True else "value.false", self.lang),
                    self.lang,
                )
            if node.datatype in (XSD.date, XSD.dateTime) and isinstance(node.toPython(), date):
                return Term(when(node.toPython(), self.lang), self.lang)
            return Term(value, node.language or "")
        return Term(str(node))

    def sorted_terms(self, nodes: Iterable[Node]) -> tuple[Term, ...]:
        """Values in the page's language first, then as its readers order names (pinyin, a-z)."""
        return self.ordered({self.term(n) for n in nodes})

    def ordered(self, terms: Iterable[Term]) -> tuple[Term, ...]:
        """Terms in the page's language first, then as its readers order names."""
        return tuple(
            sorted(
                terms, key=lambda t: (t.lang not in ("", self.lang), sort_key(t.text, self.lang))
            )
        )

    def rows(self, pairs: Iterable[tuple[Node, Node]], cited: Cited | None = None) -> list[Row]:
        """(predicate, value) pairs grouped by predicate: type and label first, then by name;
        a value with a sourced statement in `cited` carries its sources' numbers."""
        grouped: defaultdict[str, list[Node]] = defaultdict(list)
        locator = self.index.base + "ontology#locator"
        for prop, value in pairs:
            if str(prop) == locator and self.lang == "zh":  # English in the data: a Chinese page
                chinese = locator_zh(str(value))  # shows it in Chinese where the grammar allows
                value = Literal(chinese, lang="zh") if chinese else Literal(str(value), lang="en")
            grouped[str(prop)].append(value)
        order = {p: i for i, p in enumerate(_FIRST)}
        keyed = []
        verbatim = self.index.base + "ontology#verbatim"
        for p, values in grouped.items():
            predicate = self.iri(p)
            key = (order.get(p, len(order)), sort_key(predicate.text, self.lang))
            terms = self.cited_terms(p, values, cited) if cited else self.sorted_terms(values)
            if p == verbatim:
                terms = tuple(replace(term, quote=True) for term in terms)
            keyed.append((key, Row(predicate, terms)))
        return [row for _, row in sorted(keyed, key=lambda kv: kv[0])]

    def cited_terms(self, prop: str, values: list[Node], cited: Cited) -> tuple[Term, ...]:
        """The values as sorted_terms gives them, each with the sources of its statement."""
        terms = []
        for value in values:
            term = self.term(value)
            numbers, agents = cited.get((prop, value), ((), ()))
            terms.append(replace(term, cites=numbers, claimed_by=self.sorted_terms(agents)))
        return self.ordered(set(terms))


# (property IRI, value) -> (numbers of the sources that state it, who alone asserts it)
Cited = dict[tuple[str, Node], tuple[tuple[int, ...], tuple[Node, ...]]]


def _cited(graph: Graph, this: URIRef, sources: list[URIRef], ieg: str) -> Cited:
    """The resource's sourced statements: for each of its triples, which of its sources state it,
    and who asserts it when every statement of it (one per named graph) is one account's claim."""
    number = {passage: k for k, passage in enumerate(sources, start=1)}
    passages: defaultdict[tuple[str, Node], set[int]] = defaultdict(set)
    claims: defaultdict[tuple[str, Node], list[tuple[Node, ...]]] = defaultdict(list)
    for statement in graph.subjects(URIRef(ieg + "statementSubject"), this):
        prop = graph.value(statement, URIRef(ieg + "statementProperty"))
        value = graph.value(statement, URIRef(ieg + "statementObject")) or graph.value(
            statement, URIRef(ieg + "statementValue")
        )
        if prop is None or value is None:
            continue
        key = (str(prop), value)
        for passage in graph.objects(statement, PROV.wasDerivedFrom):
            if isinstance(passage, URIRef) and passage in number:
                passages[key].add(number[passage])
        claimed = (statement, RDF.type, URIRef(ieg + "AttributedClaim")) in graph
        claims[key].append(tuple(graph.objects(statement, PROV.wasAttributedTo)) if claimed else ())
    return {
        key: (tuple(sorted(passages[key])), agents[0] if all(agents) else ())
        for key, agents in claims.items()
    }


def _passages(graph: Graph, this: URIRef) -> list[URIRef]:
    """The passages the resource is derived from, in the order the page numbers them."""
    return sorted(
        (p for p in graph.objects(this, PROV.wasDerivedFrom) if isinstance(p, URIRef)), key=str
    )


def _sources(graph: Graph, passages: list[URIRef], words: Labeller) -> list[Source]:
    ieg = words.index.base + "ontology#"
    sources = []
    for passage in passages:
        verbatim = graph.value(passage, URIRef(ieg + "verbatim"))
        document = graph.value(passage, URIRef(ieg + "inDocument"))
        sources.append(
            Source(
                words.term(passage),
                words.term(verbatim) if verbatim is not None else None,
                words.term(document) if document is not None else None,
            )
        )
    return sources


@dataclass(frozen=True)
class Attribution:
    """Who asserts an attributed claim (a national account), and in which documents."""

    agents: tuple[Term, ...]
    documents: tuple[Term, ...]


def _attribution(graph: Graph, this: URIRef, words: Labeller) -> Attribution | None:
    ieg = words.index.base + "ontology#"
    if (this, RDF.type, URIRef(ieg + "AttributedClaim")) not in graph:
        return None
    return Attribution(
        words.sorted_terms(graph.objects(this, PROV.wasAttributedTo)),
        words.sorted_terms(graph.objects(this, URIRef(ieg + "accordingTo"))),
    )


def describe_link(iri: str, lang: str) -> str:
    """The query workbench running a DESCRIBE of the IRI, in the page's language."""
    link = f"{request.script_root}/?query=" + quote(f"DESCRIBE <{iri}>", safe=":/") + "&run=1"
    return link + "&lang=zh" if lang == "zh" else link


def resource_page(
    index: LabelIndex, graph: Graph, iri: str, path: str, lang: str, debate: object = None
) -> str:
    """The page of one resource, from its description graph (and its debate, if it has one)."""
    words = Labeller(index, lang)
    this = URIRef(iri)
    title = words.iri(iri)
    names = sorted(index.names.get(iri, {}).items())
    other_names = [
        (Term(name, tag), language_name(tag, lang)) for tag, name in names if tag != title.lang
    ]
    ieg = index.base + "ontology#"
    is_stance = (this, RDF.type, URIRef(ieg + "Stance")) in graph
    debate_links = (
        words.sorted_terms(graph.objects(this, URIRef(ieg + "target"))) if is_stance else ()
    )
    types = words.sorted_terms(graph.objects(this, RDF.type))
    outgoing = ((p, o) for p, o in graph.predicate_objects(this) if p != RDF.type)
    statement_of = URIRef(ieg + "statementSubject")  # shown as numbers beside each value
    incoming = ((p, s) for s, p in graph.subject_predicates(this) if p != statement_of)
    passages = _passages(graph, this)  # numbered in this order on the page
    cited = _cited(graph, this, passages, ieg)
    return render_template(
        "ld/resource.html",
        lang=lang,
        title=title,
        other_names=other_names,
        iri=iri,
        types=types,
        properties=words.rows(outgoing, cited),
        cited=bool(cited),
        incoming=words.rows(incoming),
        sources=_sources(graph, passages, words),
        attribution=_attribution(graph, this, words),
        debate=debate,
        debate_links=debate_links,
        alternates=[(f"{path}.{suffix}", media, name) for suffix, media, name in ALTERNATES],
        describe=describe_link(iri, lang),
        path=path,
    )


def not_found_page(index: LabelIndex, wanted: str, suggestions: Sequence[str], lang: str) -> str:
    """The 404 page: what was asked for, a search box, resources with similar names."""
    words = Labeller(index, lang)
    return render_template(
        "ld/not_found.html",
        lang=lang,
        wanted=wanted,
        suggestions=[words.iri(iri) for iri in suggestions],
        query="",
    )


def document_page(iri: str, path: str, turtle: str, lang: str) -> str:
    """A named graph (the shapes, say) as a page: its Turtle, and links to the other formats."""
    return render_template(
        "ld/document.html",
        lang=lang,
        iri=iri,
        turtle=turtle,
        alternates=[(f"{path}.{suffix}", media, name) for suffix, media, name in ALTERNATES],
    )
