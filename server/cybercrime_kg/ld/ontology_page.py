"""The ontology documentation page in the site's design, in English or Chinese.

Everything on it is read from the ontology graph: the header's metadata, then one entry per term
of the ontology's namespace (classes, object, datatype and annotation properties, individuals),
each with the term's local name as its id (so `/ontology#Meeting` lands on ieg:Meeting), its
label and definition in the page's language (the other language beside it), and its relations
(super/sub terms, domain, range, inverse, disjoint and aligned terms). Lists sort the way the
page's language reads (pinyin for Chinese).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from flask import render_template
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from cybercrime_kg.errors import DataError
from cybercrime_kg.ld.pages import Term
from cybercrime_kg.namespaces import PREFIXES
from cybercrime_kg.web.i18n import LANGS, sort_key, text

VANN = "http://purl.org/vocab/vann/"
# (message key of the section, its id, the OWL types of its terms)
KINDS: tuple[tuple[str, str, tuple[URIRef, ...]], ...] = (
    ("onto.classes", "classes", (OWL.Class,)),
    ("onto.object_properties", "object-properties", (OWL.ObjectProperty,)),
    ("onto.datatype_properties", "datatype-properties", (OWL.DatatypeProperty,)),
    ("onto.annotation_properties", "annotation-properties", (OWL.AnnotationProperty,)),
    ("onto.individuals", "individuals", (OWL.NamedIndividual,)),
)
CHARACTERISTICS = (
    OWL.FunctionalProperty,
    OWL.InverseFunctionalProperty,
    OWL.TransitiveProperty,
    OWL.SymmetricProperty,
    OWL.AsymmetricProperty,
    OWL.ReflexiveProperty,
    OWL.IrreflexiveProperty,
)
RESTRICTIONS = {
    OWL.someValuesFrom: "onto.some",
    OWL.allValuesFrom: "onto.only",
    OWL.hasValue: "onto.value",
}


@dataclass(frozen=True)
class Expression:
    """A class or property expression as the page writes it: a named term (`term`), a union or
    intersection of expressions (`members` joined by the `joiner` message), or a restriction (the
    `pattern` message with a property and a filler)."""

    term: Term | None = None
    members: tuple[Expression, ...] = ()
    joiner: str = ""
    pattern: str = ""
    on: Expression | None = None
    filler: Expression | None = None


@dataclass
class Entry:
    """One term's entry: its id (local name), labels, IRI, definition and relation rows."""

    id: str
    iri: str
    curie: str
    label: Term
    other_labels: list[Term]
    definition: Term | None
    other_definitions: list[Term]
    characteristics: list[str] = field(default_factory=list)
    rows: list[tuple[str, list[Expression]]] = field(default_factory=list)
    deprecated: bool = False


@dataclass
class Section:
    key: str
    id: str
    entries: list[Entry]


class OntologyPage:
    """Reads the ontology graph in one language: names, links and expressions of its terms."""

    def __init__(self, graph: Graph, lang: str) -> None:
        ontologies = list(graph.subjects(RDF.type, OWL.Ontology))
        if not ontologies:
            raise DataError("the ontology graph has no owl:Ontology to document")
        self.graph, self.lang, self.ontology = graph, lang, ontologies[0]
        self.namespace = str(graph.value(self.ontology, URIRef(VANN + "preferredNamespaceUri")))
        self.own = {
            s for s in graph.subjects() if isinstance(s, URIRef) and s.startswith(self.namespace)
        }
        self._names: dict[URIRef, Term] = {}

    # --- words in the page's language ---

    def literals(self, subject: Node, predicate: URIRef) -> tuple[Term | None, list[Term]]:
        """The value in the page's language (else English, else any) and the others, as terms."""
        values = [o for o in self.graph.objects(subject, predicate) if isinstance(o, Literal)]
        order = [self.lang, *(lang for lang in LANGS if lang != self.lang)]

        def rank(value: Literal) -> tuple[int, str]:
            lang = value.language or ""
            return (order.index(lang) if lang in order else len(order), str(value))

        values.sort(key=rank)
        terms = [Term(str(v), v.language or "") for v in values]
        return (terms[0] if terms else None), terms[1:]

    def curie(self, iri: str) -> str:
        best = max(
            (prefix for prefix, ns in PREFIXES.items() if iri.startswith(ns)),
            key=lambda prefix: len(PREFIXES[prefix]),
            default=None,
        )
        return f"{best}:{iri[len(PREFIXES[best]) :]}" if best else iri

    def name(self, node: URIRef) -> Term:
        """An ontology term by its label (a link to its entry); another vocabulary's term by its
        CURIE (a link to its IRI)."""
        if node not in self._names:
            self._names[node] = self._name(node)
        return self._names[node]

    def _name(self, node: URIRef) -> Term:
        if node in self.own:
            label, _ = self.literals(node, RDFS.label)
            local = str(node)[len(self.namespace) :]
            return Term(label.text if label else local, label.lang if label else "", "#" + local)
        return Term(self.curie(str(node)), "", str(node), external=True)

    def expression(self, node: Node) -> Expression:
        """A named term, or a union, intersection, complement or restriction of them."""
        if isinstance(node, URIRef):
            return Expression(term=self.name(node))
        for predicate, joiner in ((OWL.unionOf, "onto.or"), (OWL.intersectionOf, "onto.and")):
            items = self.graph.value(node, predicate)
            if items is not None:
                members = tuple(self.expression(m) for m in Collection(self.graph, items))
                return Expression(members=members, joiner=joiner)
        on = self.graph.value(node, OWL.onProperty)
        for predicate, pattern in RESTRICTIONS.items():
            filler = self.graph.value(node, predicate)
            if on is not None and filler is not None:
                return Expression(
                    pattern=pattern, on=self.expression(on), filler=self.expression(filler)
                )
        return Expression(term=Term(str(node)))

    def sorted(self, nodes: Iterable[Node]) -> list[Expression]:
        """Named terms first, in the page language's order; then anonymous expressions."""
        named = sorted(
            (n for n in set(nodes) if isinstance(n, URIRef)),
            key=lambda n: sort_key(self.name(n).text, self.lang),
        )
        anonymous = [n for n in nodes if isinstance(n, BNode)]
        return [self.expression(n) for n in [*named, *anonymous]]

    # --- the page ---

    def disjoint(self, term: URIRef) -> set[Node]:
        """Classes declared disjoint with `term` (pairwise or in an owl:AllDisjointClasses)."""
        found = set(self.graph.objects(term, OWL.disjointWith))
        found |= set(self.graph.subjects(OWL.disjointWith, term))
        for group in self.graph.subjects(RDF.type, OWL.AllDisjointClasses):
            items = self.graph.value(group, OWL.members)
            members = list(Collection(self.graph, items)) if items is not None else []
            if term in members:
                found |= {m for m in members if m != term}
        return found

    def relations(self, term: URIRef) -> Iterator[tuple[str, list[Expression]]]:
        g = self.graph
        inverse = {*g.objects(term, OWL.inverseOf), *g.subjects(OWL.inverseOf, term)}
        equivalent = {
            *g.objects(term, OWL.equivalentClass),
            *g.subjects(OWL.equivalentClass, term),
            *g.objects(term, OWL.equivalentProperty),
            *g.subjects(OWL.equivalentProperty, term),
        }
        rows = (
            ("onto.super_classes", g.objects(term, RDFS.subClassOf)),
            ("onto.sub_classes", g.subjects(RDFS.subClassOf, term)),
            ("onto.super_properties", g.objects(term, RDFS.subPropertyOf)),
            ("onto.sub_properties", g.subjects(RDFS.subPropertyOf, term)),
            ("onto.domain", g.objects(term, RDFS.domain)),
            ("onto.range", g.objects(term, RDFS.range)),
            ("onto.inverse", inverse),
            ("onto.equivalent", equivalent),
            ("onto.disjoint", self.disjoint(term)),
            ("onto.in_domain_of", g.subjects(RDFS.domain, term)),
            ("onto.in_range_of", g.subjects(RDFS.range, term)),
            ("onto.types", (t for t in g.objects(term, RDF.type) if t not in _DECLARATIONS)),
            ("onto.exact_match", g.objects(term, SKOS.exactMatch)),
            ("onto.close_match", g.objects(term, SKOS.closeMatch)),
            ("onto.replaced_by", g.objects(term, DCTERMS.isReplacedBy)),
            ("onto.see_also", g.objects(term, RDFS.seeAlso)),
        )
        for key, nodes in rows:
            expressions = self.sorted(list(nodes))
            if expressions:
                yield key, expressions

    def entry(self, term: URIRef) -> Entry:
        local = str(term)[len(self.namespace) :]
        label, other_labels = self.literals(term, RDFS.label)
        definition, other_definitions = self.literals(term, SKOS.definition)
        if definition is None:
            definition, other_definitions = self.literals(term, RDFS.comment)
        types = set(self.graph.objects(term, RDF.type))
        return Entry(
            id=local,
            iri=str(term),
            curie=self.curie(str(term)),
            label=label or Term(local),
            other_labels=other_labels,
            definition=definition,
            other_definitions=other_definitions,
            characteristics=[
                "onto." + str(c)[len(str(OWL)) :] for c in CHARACTERISTICS if c in types
            ],
            rows=list(self.relations(term)),
            deprecated=bool(self.graph.value(term, OWL.deprecated)),
        )

    def sections(self) -> list[Section]:
        """One section per kind of term that the ontology has, entries in the page's order."""
        out = []
        for key, anchor, kinds in KINDS:
            terms = {t for kind in kinds for t in self.graph.subjects(RDF.type, kind)}
            entries = sorted(
                (self.entry(t) for t in self.own if t in terms),
                key=lambda e: sort_key(e.label.text, self.lang),
            )
            if entries:
                out.append(Section(key, anchor, entries))
        return out

    def external(self) -> list[tuple[str, list[Term]]]:
        """The other vocabularies' terms the ontology declares, by kind, as CURIE links."""
        out = []
        for key, _, kinds in KINDS:
            terms = {
                t
                for kind in kinds
                for t in self.graph.subjects(RDF.type, kind)
                if isinstance(t, URIRef) and t not in self.own
            }
            if terms:
                out.append((key, sorted((self.name(t) for t in terms), key=lambda t: t.text)))
        return out

    def namespaces(self) -> list[tuple[str, str]]:
        """(prefix, namespace) of every vocabulary the ontology's statements use."""
        used = {
            str(node)
            for triple in self.graph
            for node in triple
            if isinstance(node, URIRef) and node != self.ontology
        }
        return sorted(
            (prefix, ns)
            for prefix, ns in PREFIXES.items()
            if any(iri.startswith(ns) and self.curie(iri).startswith(prefix + ":") for iri in used)
        )

    def header(self) -> dict[str, object]:
        g, o = self.graph, self.ontology
        title, other_titles = self.literals(o, DCTERMS.title)
        description, other_descriptions = self.literals(o, DCTERMS.description)
        return {
            "iri": str(o),
            "title": title or Term(str(o)),
            "other_titles": other_titles,
            "description": description,
            "other_descriptions": other_descriptions,
            "version_iri": g.value(o, OWL.versionIRI),
            "version_info": g.value(o, OWL.versionInfo),
            "issued": g.value(o, DCTERMS.issued),
            "modified": g.value(o, DCTERMS.modified),
            "licenses": sorted(str(v) for v in g.objects(o, DCTERMS.license)),
            "creators": sorted(str(v) for v in g.objects(o, DCTERMS.creator)),
            "imports": sorted(str(v) for v in g.objects(o, OWL.imports)),
            "see_also": sorted(str(v) for v in g.objects(o, RDFS.seeAlso)),
            "prefix": g.value(o, URIRef(VANN + "preferredNamespacePrefix")),
            "namespace": self.namespace,
        }


_DECLARATIONS = {kind for _, _, kinds in KINDS for kind in kinds} | set(CHARACTERISTICS)


def ontology_page(graph: Graph, lang: str, formats: list[tuple[str, str, str]]) -> str:
    """The documentation page of the ontology `graph` in `lang`."""
    page = OntologyPage(graph, lang)
    header = page.header()
    return render_template(
        "ontology/page.html",
        lang=lang,
        header=header,
        sections=page.sections(),
        external=page.external(),
        namespaces=page.namespaces(),
        formats=formats,
        title=text("onto.title", lang),
    )
