"""The project's namespaces and the IRIs of its named graphs."""

from __future__ import annotations

from rdflib import Namespace

DEFAULT_BASE = "https://w3id.org/cybercrime-kg/"

IEG = Namespace(DEFAULT_BASE + "ontology#")
ONTOLOGY_IRI = DEFAULT_BASE + "ontology"
ID = Namespace(DEFAULT_BASE + "id/")
GRAPH = Namespace(DEFAULT_BASE + "graph/")

ONTOLOGY_GRAPH = GRAPH["ontology"]
DATA_GRAPH = GRAPH["data"]
SHAPES_GRAPH = GRAPH["shapes"]
# Facts from public sources beyond the two documents, kept apart from what the documents say.
PUBLIC_RECORD_GRAPH = GRAPH["public-record"]

PROV = Namespace("http://www.w3.org/ns/prov#")
ORG = Namespace("http://www.w3.org/ns/org#")
TIME = Namespace("http://www.w3.org/2006/time#")
SCHEMA = Namespace("https://schema.org/")
UNDO = Namespace("https://w3id.org/un/ontology/undo/")
VANN = Namespace("http://purl.org/vocab/vann/")
WD = Namespace("http://www.wikidata.org/entity/")

# One prefix per kind of instance, so Turtle can say `meeting:4` for <.../id/meeting/4>
# ('/' is not allowed bare in a prefixed name).
INSTANCE_KINDS: dict[str, str] = {
    "state": "state",
    "group": "group",
    "body": "body",
    "gov": "gov",
    "delegation": "delegation",
    "post": "post",
    "person": "person",
    "place": "place",
    "meeting": "meeting",
    "event": "event",
    "slot": "slot",
    "entry": "programme-entry",
    "item": "agenda-item",
    "doc": "doc",
    "part": "part",
    "res": "resolution",
    "instr": "instrument",
    "provision": "provision",
    "passage": "passage",
    "stance": "stance",
    "prop": "proposition",
    "arg": "argument",
    "record": "record",
    "disagreement": "disagreement",
    "topic": "topic",
    "offence": "offence",
    "position": "position",
    "argkind": "argument-kind",
    "procedure": "procedure",
    "status": "status",
    "lang": "language",
    "scheme": "scheme",
}

# Prefixes offered to every parser, serializer and the query UI.
PREFIXES: dict[str, str] = {
    "ieg": str(IEG),
    "id": str(ID),
    **{prefix: f"{ID}{path}/" for prefix, path in INSTANCE_KINDS.items()},
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": str(PROV),
    "org": str(ORG),
    "time": str(TIME),
    "schema": str(SCHEMA),
    "undo": str(UNDO),
    "sh": "http://www.w3.org/ns/shacl#",
    "wd": str(WD),
}
