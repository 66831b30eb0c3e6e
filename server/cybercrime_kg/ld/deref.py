"""Dereferencing: every instance IRI under the base answers at the same path on this server.

`<base>id/<kind>/<key>` is served at `/id/<kind>/<key>`. The generic URL negotiates (Accept,
or `?format=`) and answers 200 with the chosen document's own URL in Content-Location; the
suffixed URLs (`.html .ttl .nt .jsonld .rdf .nq .trig`) are those documents, one format each.
Unknown IRIs are 404: a page with suggestions for browsers, plain text or JSON for tools.
Every document names the others in `Link` headers (RFC 8288, `web.negotiation.link_header`):
`rel="alternate"` with its `type=` for each other format, and `rel="describedby"` for the
Turtle description of the resource (anchored at the resource's IRI, so the statement holds on
every document). JSON-LD is compact, the resource's node first (`ld/jsonld.py`).
"""

from __future__ import annotations

import functools

from flask import Blueprint, Response, abort, request
from flask.blueprints import BlueprintSetupState
from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS

from cybercrime_kg.formats import (
    DOCUMENT_OFFERS,
    DOCUMENT_SUFFIXES,
    HTML,
    SUFFIX_OF,
    Format,
    graph_format,
)
from cybercrime_kg.ld.citation import BIBTEX, CITATION_FORMATS, Citation, cite
from cybercrime_kg.ld.debate import debate_graph, has_debate, read_debate
from cybercrime_kg.ld.describe import (
    describe_query,
    description_answer,
    description_graph,
    description_key,
)
from cybercrime_kg.ld.jsonld import compact_description
from cybercrime_kg.ld.labels import LabelIndex, fold, label_index
from cybercrime_kg.ld.pages import Labeller, document_page, not_found_page, resource_page
from cybercrime_kg.paths import project_layout
from cybercrime_kg.web.http import (
    EXTENSION,
    answer_etag,
    answer_response,
    conditional,
    query_service,
)
from cybercrime_kg.web.i18n import page_lang, text
from cybercrime_kg.web.negotiation import link_header, negotiate, parse_accept

bp = Blueprint("deref", __name__)

MAX_PATH = 300  # longer than any key of the graph; longer paths are 404 without a lookup
SUGGESTIONS = 10
JSONLD = graph_format("jsonld")
DESCRIBED_BY = graph_format("turtle")


@bp.record_once
def _build_index(state: BlueprintSetupState) -> None:
    """Build the label index at start-up, not on the first request, if the data is here."""
    service = state.app.extensions[EXTENSION]
    if service.engine.local:
        label_index(service)


@bp.record_once
def _citations_in_pages(state: BlueprintSetupState) -> None:
    """`citation_of(iri, title, title_lang, lang)` for templates/ld/cite.html."""
    state.app.jinja_env.globals["citation_of"] = _page_citation


def _page_citation(iri: str, title: str, title_lang: str, lang: str) -> Citation:
    return cite(query_service(), iri, title, title_lang, lang)


@functools.cache
def _source_files() -> frozenset[Literal]:
    """The names of the repository's transcripts of the seed documents (data/sources/)."""
    folder = project_layout().sources
    names = (path.name for path in folder.iterdir()) if folder.is_dir() else ()
    return frozenset(Literal(name) for name in names)


def for_readers(graph: Graph) -> Graph:
    """The description less what only this repository can resolve.

    A seed document's `dcterms:source` names the file its transcript is kept in: provenance
    the graph keeps (SPARQL, the dumps and the RDF documents carry it), but a file name is
    nothing a reader can open or cite, so the page leaves it out. The document's public
    record (publisher, date, where it was published) is on the page.
    """
    for name in _source_files():
        graph.remove((None, DCTERMS.source, name))
    return graph


def wants_html() -> bool:
    """True when the client names text/html in Accept (a browser), not merely */*."""
    return any(
        r.type == "text" and r.subtype == "html" and r.q > 0
        for r in parse_accept(request.headers.get("Accept"))
    )


def _encoded_separator() -> bool:
    """An encoded / or \\ in the raw path: decoded, it would name another resource."""
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI") or ""
    path = raw.split("?", 1)[0].lower()
    return "%2f" in path or "%5c" in path


def _resolve(rest: str, index: LabelIndex) -> tuple[str, str, Format | None] | None:
    """(IRI, path without suffix, the suffix's fixed format) for a path under /id/, or None."""
    if len(rest) > MAX_PATH or _encoded_separator():
        return None
    base = index.base + "id/"
    if base + rest in index:
        return base + rest, rest, None
    stem, dot, suffix = rest.rpartition(".")
    if dot and suffix in DOCUMENT_SUFFIXES and base + stem in index:
        return base + stem, stem, DOCUMENT_SUFFIXES[suffix]
    return None


@bp.route("/id/<path:rest>")
def resource(rest: str) -> Response:
    """A resource's page or description, negotiated or by suffix."""
    service = query_service()
    index = label_index(service)
    resolved = _resolve(rest, index)
    if resolved is None:
        return _not_found(rest, index)
    iri, stem, fixed = resolved
    if "cite" in request.args:
        return _citation(iri, stem, index)
    path = f"{request.script_root}/id/{stem}"
    fmt, headers = negotiate(path, DOCUMENT_OFFERS, fixed, SUFFIX_OF)
    headers["Link"] = link_header(path, DOCUMENT_OFFERS, fmt, SUFFIX_OF, DESCRIBED_BY, iri)
    key = description_key(service, iri)
    if fmt is JSONLD:
        return _compact_jsonld(iri, key, headers)
    if fmt is not HTML:
        return answer_response(
            service, service.prepare(describe_query(iri, service.base)), fmt, headers
        )
    lang = page_lang()

    def page() -> bytes:
        graph = for_readers(description_graph(service, iri))
        debate = None
        if has_debate(graph, iri, service.base):
            debate = read_debate(debate_graph(service, iri), iri, Labeller(index, lang)) or None
        return resource_page(index, graph, iri, path, lang, debate).encode("utf-8")

    cache_key = f"page:{key}:{lang}:{request.script_root}"
    return conditional(
        f'{answer_etag(service, key)[:-1]}-{lang}"',
        headers,
        HTML.content_type,
        lambda: (service.kept(cache_key, page), ""),
    )


def _citation(iri: str, stem: str, index: LabelIndex) -> Response:
    """?cite=bibtex or ?cite=csl: the resource's citation as a file to download."""
    wanted = request.args.get("cite", "")
    lang = page_lang()
    fmt = CITATION_FORMATS.get(wanted)
    if fmt is None:
        abort(400, description=text("cite.bad_format", lang, value=wanted[:40]))
    service = query_service()
    title, title_lang = index.label(iri, lang)
    citation = cite(service, iri, title, title_lang, lang)
    name = f"{citation.key}.{'bib' if fmt is BIBTEX else 'json'}"
    headers = {
        "Content-Disposition": f'attachment; filename="{name}"',
        "Vary": "Accept-Language",
    }
    return conditional(
        f'"{service.version}-{fmt.name}-{lang}-{citation.key}"',
        headers,
        fmt.content_type,
        lambda: (citation.bibtex() if fmt is BIBTEX else citation.csl(), ""),
    )


def _compact_jsonld(iri: str, key: str, headers: dict[str, str]) -> Response:
    """The description as compact JSON-LD, kept in the answer cache beside the others."""
    service = query_service()

    def compact() -> bytes:
        return compact_description(description_graph(service, iri), iri, service.base)

    def make() -> tuple[bytes, str]:
        body = service.kept(f"jsonld:{key}", compact)
        cut = description_answer(service, iri).cut_header(service.max_rows, service.max_bytes)
        return body, cut

    return conditional(
        f'{answer_etag(service, key)[:-1]}-jsonld"', headers, JSONLD.content_type, make
    )


@bp.route("/shapes")
@bp.route("/shapes.<suffix>")
@bp.route("/graph/<name>")
@bp.route("/graph/<name>.<suffix>")
def graph_document(name: str = "shapes", suffix: str | None = None) -> Response:
    """A named graph as one document: /shapes (whose IRIs are <base>shapes#...) and /graph/*."""
    service = query_service()
    iri = f"{service.base}graph/{name}"
    if iri not in service.graphs:
        abort(404, description=f"no graph <{iri}> in this dataset")
    if suffix is not None and suffix not in DOCUMENT_SUFFIXES:
        listing = ", .".join(DOCUMENT_SUFFIXES)
        abort(404, description=f"no format .{suffix}; use one of .{listing}")
    stem = request.path.rsplit(".", 1)[0] if suffix else request.path
    fmt, headers = negotiate(
        stem, DOCUMENT_OFFERS, DOCUMENT_SUFFIXES[suffix] if suffix else None, SUFFIX_OF
    )
    headers["Link"] = link_header(stem, DOCUMENT_OFFERS, fmt, SUFFIX_OF)
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"
    if fmt is not HTML:
        return answer_response(service, service.prepare(query), fmt, headers)
    turtle = graph_format("turtle")
    prepared = service.prepare(query)
    answer, _ = service.answer(prepared, turtle, service.key(prepared, turtle))
    page = document_page(iri, stem, answer.body.decode("utf-8"), page_lang())
    return Response(page, content_type=HTML.content_type, headers=headers)


def _not_found(rest: str, index: LabelIndex) -> Response:
    wanted = f"{index.base}id/{rest[:MAX_PATH]}"
    if not wants_html():
        abort(404, description=f"no resource <{wanted}> in this graph")
    kind, _, key = rest[:MAX_PATH].partition("/")
    words = " ".join(fold(key).replace("-", " ").replace("_", " ").split())
    hits, _ = index.search(words, SUGGESTIONS) if words else ([], False)
    suggestions = [h.iri for h in hits] or index.of_kind(f"{index.base}id/{kind}/", SUGGESTIONS)
    page = not_found_page(index, wanted, suggestions, page_lang())
    return Response(page, status=404, content_type="text/html; charset=utf-8")
