"""The wire formats the service speaks: one registry for answers, pages and pictures.

Every route picks among these `Format`s (`web.negotiation.choose`); the SPARQL layer writes
answers in the first two families, the pages and pictures use the rest.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    """One wire format: a short name, its media type, and the aliases `?format=` accepts."""

    name: str
    media_type: str
    aliases: tuple[str, ...]
    graph: bool  # True: for CONSTRUCT/DESCRIBE (and descriptions); False: SELECT/ASK

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8"


# Server preference order within each kind: the first is the default.
RESULT_FORMATS = (
    Format("json", "application/sparql-results+json", ("json", "application/json"), False),
    Format("xml", "application/sparql-results+xml", ("xml", "application/xml", "text/xml"), False),
    Format("csv", "text/csv", ("csv",), False),
    Format("tsv", "text/tab-separated-values", ("tsv",), False),
)
GRAPH_FORMATS = (
    Format("turtle", "text/turtle", ("turtle", "ttl", "n3", "application/x-turtle"), True),
    Format("ntriples", "application/n-triples", ("ntriples", "nt", "n-triples"), True),
    Format("jsonld", "application/ld+json", ("jsonld", "json-ld", "json"), True),
    Format("rdfxml", "application/rdf+xml", ("rdfxml", "rdf+xml", "rdf", "xml"), True),
    Format("nquads", "application/n-quads", ("nquads", "nq"), True),
    Format("trig", "application/trig", ("trig",), True),
)
# the name rdflib gives each graph format (its parsers and serialisers)
RDFLIB_FORMAT = {
    "turtle": "turtle",
    "ntriples": "nt",
    "jsonld": "json-ld",
    "rdfxml": "xml",
    "nquads": "nquads",
    "trig": "trig",
}
TRUNCATED_HEADER = "X-SPARQL-Truncated"

# Documents that are not RDF or SPARQL results: pages, JSON listings, pictures.
HTML = Format("html", "text/html", ("html", "application/xhtml+xml"), False)
JSON = Format("json", "application/json", ("json",), False)
SVG = Format("svg", "image/svg+xml", ("svg",), False)


# A resource, a named graph or the ontology is a page or an RDF document; a URL suffix names one.
# With no Accept header (or */*) a client gets the first: the page.
DOCUMENT_OFFERS = (HTML, *GRAPH_FORMATS)
DOCUMENT_SUFFIXES = {
    "html": HTML,
    "ttl": GRAPH_FORMATS[0],
    "nt": GRAPH_FORMATS[1],
    "jsonld": GRAPH_FORMATS[2],
    "rdf": GRAPH_FORMATS[3],
    "nq": GRAPH_FORMATS[4],
    "trig": GRAPH_FORMATS[5],
}
SUFFIX_OF = {fmt.name: suffix for suffix, fmt in DOCUMENT_SUFFIXES.items()}


def graph_format(name: str) -> Format:
    """The graph format called `name` (turtle, ntriples ...)."""
    return next(f for f in GRAPH_FORMATS if f.name == name)
