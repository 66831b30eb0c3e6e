"""A resource's description: its triples, incoming links, labels of its neighbours, provenance,
and its sourced statements (which passage states which of its triples).

One CONSTRUCT through the QueryService, so the time limit, the triple cap and the answer cache
apply as they do to /sparql, and both engines give the same graph.
"""

from __future__ import annotations

from string import Template

from rdflib import Graph

from cybercrime_kg.formats import graph_format
from cybercrime_kg.sparql.engines.base import Answer, rdflib_quietly
from cybercrime_kg.sparql.service import QueryService

# Labels of neighbours in the languages the pages are written in; the resource's own labels
# (states have six) come in full as its own triples.
DESCRIBE = Template("""\
PREFIX ieg: <${ieg}>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT {
  ?this ?p ?o . ?o rdfs:label ?oLabel .
  ?in ?ip ?this . ?in rdfs:label ?inLabel .
  ?source ieg:verbatim ?verbatim ; ieg:locator ?locator ; ieg:inDocument ?doc .
  ?doc rdfs:label ?docLabel .
  ?statement ?sp ?so .
}
WHERE {
  VALUES ?this { <${iri}> }
  { ?this ?p ?o OPTIONAL { ?o rdfs:label ?oLabel FILTER(LANG(?oLabel) IN ("en", "zh")) } }
  UNION
  { ?in ?ip ?this OPTIONAL { ?in rdfs:label ?inLabel FILTER(LANG(?inLabel) IN ("en", "zh")) } }
  UNION
  { ?statement ieg:statementSubject ?this ; ?sp ?so }
  UNION
  {
    ?this prov:wasDerivedFrom ?source .
    OPTIONAL { ?source ieg:verbatim ?verbatim }
    OPTIONAL { ?source ieg:locator ?locator }
    OPTIONAL {
      ?source ieg:inDocument ?doc
      OPTIONAL { ?doc rdfs:label ?docLabel FILTER(LANG(?docLabel) IN ("en", "zh")) }
    }
  }
}
""")
NTRIPLES = graph_format("ntriples")


def describe_query(iri: str, base: str) -> str:
    """The CONSTRUCT for one IRI (an IRI of the dataset: it holds no `>` or spaces)."""
    return DESCRIBE.substitute(ieg=f"{base}ontology#", iri=iri)


def description_key(service: QueryService, iri: str) -> str:
    """The cache key of the description (for ETags), without running it."""
    prepared = service.prepare(describe_query(iri, service.base))
    return service.key(prepared, NTRIPLES)


def description_answer(service: QueryService, iri: str) -> Answer:
    """The description in N-Triples, from the answer cache when it is there."""
    prepared = service.prepare(describe_query(iri, service.base))
    answer, _ = service.answer(prepared, NTRIPLES, service.key(prepared, NTRIPLES))
    return answer


def description_graph(service: QueryService, iri: str) -> Graph:
    """The description as a graph (for pages)."""
    return _parsed(description_answer(service, iri))


def constructed_graph(service: QueryService, query: str) -> Graph:
    """A CONSTRUCT's answer as an rdflib graph, run through the QueryService like any query
    (its time limit, triple cap and answer cache): what pages read the graph with."""
    prepared = service.prepare(query)
    answer, _ = service.answer(prepared, NTRIPLES, service.key(prepared, NTRIPLES))
    return _parsed(answer)


def _parsed(answer: Answer) -> Graph:
    graph = Graph()
    with rdflib_quietly():
        graph.parse(data=answer.body.decode("utf-8"), format="nt")
    return graph
