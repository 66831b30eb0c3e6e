"""The ontology at its own IRI: pyLODE documentation for people, RDF for tools (Protégé).

`/ontology` negotiates (Accept or `?format=`) and answers 200 with the chosen document's URL in
Content-Location, as the resource IRIs under /id/ do; `/ontology.html|.ttl|.rdf|.jsonld|.nt|...`
are those documents. The version IRI (`/ontology/0.1.0`) serves the same. Each term's section
in the HTML has the term's local name as its id, so `/ontology#Meeting` lands on ieg:Meeting.
"""

from __future__ import annotations

import logging
import re
import threading
import warnings
from collections import Counter

from flask import Blueprint, Response, abort, request
from markupsafe import escape
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from .deref import BY_NAME, OFFERS, SUFFIX_OF
from .deref import SUFFIXES as RESOURCE_SUFFIXES
from .engine import rdflib_quietly
from .errors import DataError
from .negotiation import choose
from .pages import HTML
from .protocol import not_modified, query_service
from .results import TRUNCATED_HEADER, Format
from .service import QueryService

logger = logging.getLogger(__name__)

bp = Blueprint("ontology_docs", __name__)

# the same offers and file suffixes as the resources under /id/
SUFFIXES = {suffix: BY_NAME[name] for suffix, name in RESOURCE_SUFFIXES.items()}
CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <%s> { ?s ?p ?o } }"
_ID = re.compile(r'\bid="([^"]+)"')
_render_lock = threading.Lock()


def ontology_iri(service: QueryService) -> str:
    return service.base + "ontology"


def ontology_answer(service: QueryService, fmt: Format) -> tuple[bytes, str, bool]:
    """The ontology graph in `fmt` through the query service: body, cache key, truncated."""
    prepared = service.prepare(CONSTRUCT % (service.base + "graph/ontology"))
    key = service.key(prepared, fmt)
    answer, _ = service.answer(prepared, fmt, key)
    return answer.body, key, answer.truncated


def ontology_graph(service: QueryService) -> Graph:
    """The ontology as an rdflib Graph, parsed once per service."""
    graph: Graph | None = service.extras.get("ontology_graph")
    if graph is None:
        body, _, _ = ontology_answer(service, SUFFIXES["nt"])
        graph = Graph()
        with rdflib_quietly():
            graph.parse(data=body.decode("utf-8"), format="nt")
        service.extras["ontology_graph"] = graph
    return graph


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


_SECTION = re.compile(r'(<div class="[^"]*\bentity" id="([^"]+)">.*?</tr>)', re.DOTALL)
ZH_ROW = (
    "\n            <tr>\n              <th>Label (Chinese) / 中文标签</th>\n"
    '              <td lang="zh">%s</td>\n            </tr>'
)


def _with_chinese_labels(html: str, graph: Graph, namespace: str) -> str:
    """Each term's section gets its Chinese label after its IRI row (pyLODE shows English only)."""
    chinese = {
        str(s)[len(namespace) :]: str(o)
        for s, o in graph.subject_objects(RDFS.label)
        if isinstance(o, Literal) and o.language == "zh" and str(s).startswith(namespace)
    }

    def add(match: re.Match[str]) -> str:
        label = chinese.get(match.group(2))
        return match.group(1) + ZH_ROW % escape(label) if label else match.group(1)

    return _SECTION.sub(add, html)


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
    # Chinese labels first, while every section of a term still has the term's local name as id
    return _unique_ids(_with_chinese_labels(html, graph, namespace))


def docs_html(service: QueryService) -> str:
    """The documentation page, rendered on first use and kept for the life of the service."""
    with _render_lock:
        html: str | None = service.extras.get("ontology_docs")
        if html is None:
            logger.info("rendering the ontology documentation with pyLODE")
            html = render_docs(ontology_graph(service), ontology_iri(service) + "#")
            service.extras["ontology_docs"] = html
    return html


def _version_iris(service: QueryService) -> set[str]:
    return {str(v) for v in ontology_graph(service).objects(None, OWL.versionIRI)}


def _document(path: str, fixed: Format | None) -> Response:
    """The ontology at `path` (without suffix), negotiated unless a suffix fixed the format."""
    service = query_service()
    headers: dict[str, str] = {}
    if fixed is None:
        fmt = choose(OFFERS, request.headers.get("Accept"), request.args.getlist("format"))
        headers["Content-Location"] = f"{request.script_root}{path}.{SUFFIX_OF[fmt.name]}"
        headers["Vary"] = "Accept"
    else:
        fmt = fixed
    if fmt is HTML:
        headers["ETag"] = f'"{service.version}-ontology-html"'
        if not_modified(headers["ETag"]):
            return Response(status=304, headers=headers)
        return Response(docs_html(service), content_type=HTML.content_type, headers=headers)
    body, key, truncated = ontology_answer(service, fmt)
    headers["ETag"] = f'"{service.version}-{key[:16]}"'
    if not_modified(headers["ETag"]):
        return Response(status=304, headers=headers)
    if truncated:
        headers[TRUNCATED_HEADER] = f"max-rows={service.max_rows}"
    return Response(body, content_type=fmt.content_type, headers=headers)


def _split(name: str) -> tuple[str, Format | None]:
    """`name` without a known suffix, and the suffix's format (None when there is none)."""
    stem, dot, suffix = name.rpartition(".")
    if dot and suffix in SUFFIXES:
        return stem, SUFFIXES[suffix]
    return name, None


@bp.get("/ontology")
@bp.get("/ontology.<suffix>")
def ontology(suffix: str | None = None) -> Response:
    """The ontology, negotiated at its IRI, or one document by suffix."""
    if suffix is None:
        return _document("/ontology", None)
    if suffix not in SUFFIXES:
        abort(404, description=f"no ontology document /ontology.{suffix}")
    return _document("/ontology", SUFFIXES[suffix])


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
