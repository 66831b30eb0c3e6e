"""RDF terms between rdflib and pyoxigraph: the SPARQL engine and the SHACL engine both cross."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

_PLAIN = (str(XSD.string), "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString")


def to_oxigraph(term: Node) -> Any:
    """An rdflib term as the pyoxigraph term with the same value."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        datatype = term.datatype
        return ox.Literal(str(term), datatype=ox.NamedNode(str(datatype)) if datatype else None)
    raise TypeError(f"not an RDF term for Oxigraph: {term!r}")


def to_rdflib(term: Any, exact: bool = False) -> Node:
    """A pyoxigraph term as an rdflib term; xsd:string literals become simple literals.

    `exact` keeps a typed literal's lexical form as Oxigraph holds it (answers must show what
    is stored: rdflib would write "01"^^xsd:integer as "1"); without it rdflib normalises it,
    as it does when it parses a file (what pySHACL's reports, compared with ours, contain).
    """
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype in _PLAIN:
            return Literal(term.value)
        if exact:
            return Literal(term.value, datatype=URIRef(datatype), normalize=False)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"not an RDF term from Oxigraph: {term!r}")
