"""The ontology at its own IRI: a documentation page for people, RDF for tools (Protégé).

`/ontology` negotiates (Accept or `?format=`) and answers 200 with the chosen document's URL in
Content-Location, as the resource IRIs under /id/ do; `/ontology.html|.ttl|.rdf|.jsonld|.nt|...`
are those documents. The version IRI (`/ontology/0.3.0`) serves the same. The HTML is the site's
own page (ld/ontology_page.py) in the reader's language; each term's entry has the term's local
name as its id, so `/ontology#Meeting` lands on ieg:Meeting. `?style=pylode` gives pyLODE's
rendering, the field's reference layout, kept because it costs one cached render: it is English
only (it cannot show two languages side by side), so it is an alternative, not the page.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections import Counter

from flask import Blueprint, Response, abort, request
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF

from cybercrime_kg.errors import DataError
from cybercrime_kg.formats import DOCUMENT_OFFERS, DOCUMENT_SUFFIXES, HTML, SUFFIX_OF, Format
from cybercrime_kg.ld.describe import constructed_graph
from cybercrime_kg.ld.ontology_page import ontology_page
from cybercrime_kg.ld.pages import ALTERNATES
from cybercrime_kg.sparql.service import MemoKey, Prepared, QueryService
from cybercrime_kg.web.http import answer_response, conditional, query_service
from cybercrime_kg.web.i18n import page_lang
from cybercrime_kg.web.negotiation import link_header, negotiate

logger = logging.getLogger(__name__)

bp = Blueprint("ontology_docs", __name__)

CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <%s> { ?s ?p ?o } }"
_ID = re.compile(r'\bid="([^"]+)"')
ONTOLOGY_GRAPH: MemoKey[Graph] = MemoKey("ontology-graph")
DOCS: MemoKey[str] = MemoKey("ontology-docs")


def ontology_iri(service: QueryService) -> str:
    return service.base + "ontology"


def ontology_query(service: QueryService) -> Prepared:
    """The CONSTRUCT of the ontology graph, checked by the query service."""
    return service.prepare(CONSTRUCT % (service.base + "graph/ontology"))


def ontology_graph(service: QueryService) -> Graph:
    """The ontology as an rdflib Graph, parsed once per service."""
    query = CONSTRUCT % (service.base + "graph/ontology")
    return service.memos.get(ONTOLOGY_GRAPH, lambda: constructed_graph(service, query))


def _english(graph: Graph) -> Graph:
    """The graph without non-English literals: pyLODE would run "Meeting" and "会议" together."""
    out = Graph()
    out += (
        (s, p, o)
        for s, p, o in graph
        if not (isinstance(o, Literal) and o.language and o.language != "en")
    )
    return out


def _unique_ids(html: str) -> str:
    """pyLODE gives a term one section per kind (a functional datatype property has two) with the
    same id; the first keeps it, so the term's IRI lands on its main section."""
    seen: Counter[str] = Counter()

    def rename(match: re.Match[str]) -> str:
        name = match.group(1)
        seen[name] += 1
        return match.group(0) if seen[name] == 1 else f'id="{name}-{seen[name]}"'

    return _ID.sub(rename, html)


def _ontpub() -> type:
    """pyLODE's OntPub class; importing pyLODE sets the root logger to DEBUG, so undo that."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    try:
        from pylode import OntPub
    finally:
        root.setLevel(level)
        root.handlers[:] = handlers
    return OntPub


def render_docs(graph: Graph, namespace: str) -> str:
    """The pyLODE (OntPub) page of an ontology graph, with each term's local name as its anchor."""
    if not any(graph.subjects(RDF.type, OWL.Ontology)):
        raise DataError("the ontology graph has no owl:Ontology to document")
    ontpub = _ontpub()
    with warnings.catch_warnings():
        # pyLODE reads its stylesheet without closing the file
        warnings.simplefilter("ignore", ResourceWarning)
        doc = ontpub(_english(graph))
        for term in set(graph.subjects()):
            if isinstance(term, URIRef) and term.startswith(namespace):
                doc.fids[str(term)] = term[len(namespace) :]
        html: str = doc.make_html()
    return _unique_ids(html)


def pylode_html(service: QueryService) -> str:
    """pyLODE's page, rendered on first use and kept for the life of the service."""
    return service.memos.get(DOCS, lambda: _render(service))


def _render(service: QueryService) -> str:
    logger.info("rendering the ontology documentation with pyLODE")
    return render_docs(ontology_graph(service), ontology_iri(service) + "#")


def _version_iris(service: QueryService) -> set[str]:
    return {str(v) for v in ontology_graph(service).objects(None, OWL.versionIRI)}


def _document(path: str, fixed: Format | None) -> Response:
    """The ontology at `path` (without suffix), negotiated unless a suffix fixed the format."""
    service = query_service()
    fmt, headers = negotiate(f"{request.script_root}{path}", DOCUMENT_OFFERS, fixed, SUFFIX_OF)
    headers["Link"] = link_header(
        f"{request.script_root}{path}",
        DOCUMENT_OFFERS,
        fmt,
        SUFFIX_OF,
        DOCUMENT_SUFFIXES["ttl"],
        ontology_iri(service),
    )
    if fmt is not HTML:
        return answer_response(service, ontology_query(service), fmt, headers)
    if request.args.get("style") == "pylode":
        return conditional(
            f'"{service.version}-ontology-pylode"',
            headers,
            HTML.content_type,
            lambda: (pylode_html(service), ""),
        )
    lang = page_lang()
    base = f"{request.script_root}{path}"
    formats = [(f"{base}.{suffix}", media, name) for suffix, media, name in ALTERNATES]

    def page() -> bytes:
        return ontology_page(ontology_graph(service), lang, formats).encode("utf-8")

    return conditional(
        f'"{service.version}-ontology-html-{lang}"',
        headers,
        HTML.content_type,
        lambda: (service.kept(f"ontology-page:{lang}:{base}", page), ""),
    )


def _split(name: str) -> tuple[str, Format | None]:
    """`name` without a known suffix, and the suffix's format (None when there is none)."""
    stem, dot, suffix = name.rpartition(".")
    if dot and suffix in DOCUMENT_SUFFIXES:
        return stem, DOCUMENT_SUFFIXES[suffix]
    return name, None


@bp.get("/ontology")
@bp.get("/ontology.<suffix>")
def ontology(suffix: str | None = None) -> Response:
    """The ontology, negotiated at its IRI, or one document by suffix."""
    if suffix is None:
        return _document("/ontology", None)
    if suffix not in DOCUMENT_SUFFIXES:
        abort(404, description=f"no ontology document /ontology.{suffix}")
    return _document("/ontology", DOCUMENT_SUFFIXES[suffix])


@bp.get("/ontology/<version>")
def ontology_version(version: str) -> Response:
    """The ontology at its version IRI (the current version only)."""
    service = query_service()
    stem, fixed = _split(version)
    iri = f"{ontology_iri(service)}/{stem}"
    if iri not in _version_iris(service):
        known = ", ".join(sorted(_version_iris(service))) or "none"
        abort(404, description=f"no ontology version <{iri}> here; version IRIs: {known}")
    return _document(f"/ontology/{stem}", fixed)
