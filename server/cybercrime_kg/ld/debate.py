"""The debate on a claim or a topic: the stances on it, grouped by position, each with its
holders, its arguments in source order beside their own sentences, and whose account it is.

One CONSTRUCT through the QueryService gathers the structure around the claim (its stances,
their holders and groups' members, arguments, passages and their sentences, the documents that
report them and who published those, and any disagreement the claim is an account in; names
come from the label index); this module turns
that graph into plain values for templates/ld/debate.html. Nothing here is specific to one
claim: a proposition page shows its debate, a topic page the debate on each claim of the
topic, a stance page links to the debate it belongs to.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from string import Template

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.term import Node

from cybercrime_kg.ld.describe import constructed_graph
from cybercrime_kg.ld.pages import Labeller, Term
from cybercrime_kg.namespaces import PROV
from cybercrime_kg.sparql.service import QueryService
from cybercrime_kg.web.i18n import sort_key

# Every triple a debate shows, as ?s ?p ?o: one pattern per hop from the stances on <X>.
_QUERY = Template("""\
PREFIX ieg: <${ieg}>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
CONSTRUCT { ?s ?p ?o }
WHERE {
  VALUES ?x { <${iri}> }
  {
    { ?stance ieg:target ?x } UNION { ?stance ieg:topic ?x }
    ?stance a ieg:Stance .
    ?stance (ieg:holder | ieg:argument | ieg:accordingTo | prov:wasDerivedFrom
             | ieg:argument/prov:wasDerivedFrom | prov:wasDerivedFrom/ieg:inDocument
             | ieg:argument/prov:wasDerivedFrom/ieg:inDocument)? ?s .
  } UNION {
    ?dis ieg:account ?x .
    ?dis (ieg:account | ieg:account/prov:wasDerivedFrom | ieg:account/ieg:accordingTo
          | ieg:account/prov:wasDerivedFrom/ieg:inDocument)? ?s .
  }
  VALUES ?p { rdf:type ieg:order ieg:verbatim ieg:inDocument ieg:hasMember ieg:issuedBy
              ieg:accordingTo prov:wasAttributedTo prov:wasDerivedFrom ieg:openEnded ieg:holder
              ieg:argument ieg:position ieg:atMeeting ieg:onAgendaItem ieg:target
              ieg:respondsTo ieg:topic ieg:account }
  ?s ?p ?o .
}
""")

# The order positions are shown in: those for a claim, then those that weigh it, then against.
POSITION_ORDER = (
    "advocates",
    "proposes",
    "endorses",
    "agrees",
    "supports",
    "stresses",
    "states",
    "notes",
    "expresses-concern",
    "requests",
    "encourages",
    "invites",
    "decides",
    "rebuts",
    "opposes",
)


@dataclass(frozen=True)
class Quote:
    """A source sentence as the document has it, where it lies, and in which document."""

    verbatim: Term
    where: Term
    document: Term | None


@dataclass(frozen=True)
class Account:
    """Whose account a statement is: the documents that report it, their publishers and kind."""

    documents: tuple[Term, ...]
    publishers: tuple[Term, ...]
    kinds: tuple[Term, ...]
    attributed_to: tuple[Term, ...]


@dataclass(frozen=True)
class Holder:
    """A state or group holding a stance; a group's members expanded."""

    who: Term
    members: tuple[Term, ...]


@dataclass(frozen=True)
class Argument:
    """One argument, in the page's language, beside the sentences it comes from."""

    argument: Term
    quotes: tuple[Quote, ...]


@dataclass(frozen=True)
class StanceView:
    stance: Term
    holders: tuple[Holder, ...]
    open_ended: bool
    arguments: tuple[Argument, ...]
    quotes: tuple[Quote, ...]
    meetings: tuple[Term, ...]
    agenda_items: tuple[Term, ...]
    responds_to: tuple[Term, ...]
    account: Account


@dataclass(frozen=True)
class PositionGroup:
    position: Term
    key: str  # the position's local name (a CSS hook: rebuts, advocates ...)
    stances: tuple[StanceView, ...]


@dataclass(frozen=True)
class ClaimDebate:
    """The stances on one claim, by position."""

    claim: Term | None  # None: stances of a topic that target no one claim
    groups: tuple[PositionGroup, ...]


@dataclass(frozen=True)
class Side:
    """One account in a disagreement between sources."""

    claim: Term
    quotes: tuple[Quote, ...]
    account: Account


@dataclass(frozen=True)
class Disagreement:
    disagreement: Term
    sides: tuple[Side, ...]


@dataclass(frozen=True)
class Debate:
    claims: tuple[ClaimDebate, ...]
    disagreements: tuple[Disagreement, ...]

    def __bool__(self) -> bool:
        return bool(self.claims or self.disagreements)


def has_debate(description: Graph, iri: str, base: str) -> bool:
    """Whether a debate can be on `iri`: its description (which holds the triples pointing to it)
    has a stance targeting it or on it as a topic, or a disagreement with it as an account. Other
    pages skip the debate's query."""
    this = URIRef(iri)
    return any(
        (None, URIRef(f"{base}ontology#{name}"), this) in description
        for name in ("target", "topic", "account")
    )


def debate_graph(service: QueryService, iri: str) -> Graph:
    """The neighbourhood a debate on `iri` shows, through the QueryService (limits, cache)."""
    return constructed_graph(service, _QUERY.substitute(ieg=f"{service.base}ontology#", iri=iri))


class _Reader:
    """Reads one debate graph into page values in one language."""

    def __init__(self, graph: Graph, words: Labeller) -> None:
        self.graph = graph
        self.words = words
        self.ieg = words.index.base + "ontology#"

    def p(self, name: str) -> URIRef:
        return URIRef(self.ieg + name)

    def label(self, node: Node) -> Term:
        """A node's name in the page's language (the label index knows every IRI's names)."""
        return self.words.term(node)

    def ordered(self, nodes: Iterable[Node]) -> list[Node]:
        """By ieg:order where the data gives it (source order), then by name."""

        def key(node: Node) -> tuple[int, tuple[object, ...]]:
            order = self.graph.value(node, self.p("order"))
            number = int(order) if isinstance(order, Literal) else 1_000_000
            return number, sort_key(self.label(node).text, self.words.lang)

        return sorted(set(nodes), key=key)

    def terms(self, nodes: Iterable[Node]) -> tuple[Term, ...]:
        return tuple(self.label(n) for n in self.ordered(nodes))

    def quotes(self, node: Node) -> tuple[Quote, ...]:
        quotes = []
        for passage in self.ordered(self.graph.objects(node, PROV.wasDerivedFrom)):
            verbatim = self.graph.value(passage, self.p("verbatim"))
            if verbatim is None:
                continue
            document = self.graph.value(passage, self.p("inDocument"))
            quotes.append(
                Quote(
                    self.words.term(verbatim),
                    self.label(passage),
                    self.label(document) if document is not None else None,
                )
            )
        return tuple(quotes)

    def account(self, node: Node) -> Account:
        documents = set(self.graph.objects(node, self.p("accordingTo")))
        if not documents:  # a UN record: the documents its passages lie in
            for passage in self.graph.objects(node, PROV.wasDerivedFrom):
                documents.update(self.graph.objects(passage, self.p("inDocument")))
        publishers = {p for d in documents for p in self.graph.objects(d, self.p("issuedBy"))}
        kinds = {
            k
            for d in documents
            for k in self.graph.objects(d, RDF.type)
            if str(k).startswith(self.ieg)
        }
        return Account(
            self.terms(documents),
            self.terms(publishers),
            self.terms(kinds),
            self.terms(self.graph.objects(node, PROV.wasAttributedTo)),
        )

    def holder(self, node: Node) -> Holder:
        return Holder(self.label(node), self.terms(self.graph.objects(node, self.p("hasMember"))))

    def stance(self, node: Node) -> StanceView:
        g = self.graph
        open_ended = g.value(node, self.p("openEnded"))
        arguments = tuple(
            Argument(self.label(a), self.quotes(a))
            for a in self.ordered(g.objects(node, self.p("argument")))
        )
        beside_arguments = {q for a in arguments for q in a.quotes}
        return StanceView(
            stance=self.label(node),
            holders=tuple(self.holder(h) for h in self.ordered(g.objects(node, self.p("holder")))),
            open_ended=isinstance(open_ended, Literal) and open_ended.toPython() is True,
            arguments=arguments,
            # the stance's own sentences, less those already shown beside its arguments
            quotes=tuple(q for q in self.quotes(node) if q not in beside_arguments),
            meetings=self.terms(g.objects(node, self.p("atMeeting"))),
            agenda_items=self.terms(g.objects(node, self.p("onAgendaItem"))),
            responds_to=self.terms(g.objects(node, self.p("respondsTo"))),
            account=self.account(node),
        )

    def groups(self, stances: Iterable[Node]) -> tuple[PositionGroup, ...]:
        by_position: dict[Node, list[Node]] = {}
        for stance in stances:
            for position in self.graph.objects(stance, self.p("position")):
                by_position.setdefault(position, []).append(stance)

        def rank(position: Node) -> tuple[int, str]:
            name = str(position).rsplit("/", 1)[-1]
            known = name in POSITION_ORDER
            return (POSITION_ORDER.index(name) if known else len(POSITION_ORDER), name)

        return tuple(
            PositionGroup(
                self.label(position),
                str(position).rsplit("/", 1)[-1],
                tuple(self.stance(s) for s in self.ordered(members)),
            )
            for position, members in sorted(by_position.items(), key=lambda kv: rank(kv[0]))
        )

    def disagreement(self, node: Node) -> Disagreement:
        sides = tuple(
            Side(self.label(claim), self.quotes(claim), self.account(claim))
            for claim in self.ordered(self.graph.objects(node, self.p("account")))
        )
        return Disagreement(self.label(node), sides)


def read_debate(graph: Graph, iri: str, words: Labeller) -> Debate:
    """The debate on `iri` (a claim or a topic) from its debate graph, in the Labeller's language.

    A stance's own page gets no debate: its page links to the claim's.
    """
    reader = _Reader(graph, words)
    this = URIRef(iri)
    stance_class = reader.p("Stance")
    if (this, RDF.type, stance_class) in graph:
        return Debate((), ())
    stances = set(graph.subjects(RDF.type, stance_class))
    by_claim: dict[Node | None, list[Node]] = {}
    for stance in stances:
        targets: list[Node | None] = list(graph.objects(stance, reader.p("target")))
        for target in targets or [None]:
            by_claim.setdefault(target, []).append(stance)
    if this in by_claim:  # a proposition: its own debate only
        by_claim = {this: by_claim[this]}
    claims = sorted(
        by_claim,
        key=lambda c: (c is None, sort_key(reader.label(c).text, words.lang) if c else ()),
    )
    debates = tuple(
        ClaimDebate(reader.label(c) if c is not None else None, reader.groups(by_claim[c]))
        for c in claims
    )
    disagreements = tuple(
        reader.disagreement(d) for d in reader.ordered(graph.subjects(reader.p("account"), this))
    )
    return Debate(debates, disagreements)
