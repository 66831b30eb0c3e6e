"""Dereferencing: every instance IRI under the base answers at the same path on this server.

`<base>id/<kind>/<key>` is served at `/id/<kind>/<key>`. The generic URL negotiates (Accept,
or `?format=`) and answers 200 with the chosen document's own URL in Content-Location; the
suffixed URLs (`.html .ttl .nt .jsonld .rdf .nq .trig`) are those documents, one format each.
Unknown IRIs are 404: a page with suggestions for browsers, plain text or JSON for tools.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, request
from flask.blueprints import BlueprintSetupState

from cybercrime_kg.formats import (
    DOCUMENT_OFFERS,
    DOCUMENT_SUFFIXES,
    HTML,
    SUFFIX_OF,
    Format,
    graph_format,
)
from cybercrime_kg.ld.debate import debate_graph, read_debate
from cybercrime_kg.ld.describe import (
    describe_query,
    description_graph,
    description_key,
)
from cybercrime_kg.ld.labels import LabelIndex, fold, label_index
from cybercrime_kg.ld.pages import Labeller, document_page, not_found_page, resource_page
from cybercrime_kg.web.http import (
    EXTENSION,
    answer_etag,
    answer_response,
    conditional,
    query_service,
)
from cybercrime_kg.web.i18n import page_lang
from cybercrime_kg.web.negotiation import negotiate, parse_accept

bp = Blueprint("deref", __name__)

MAX_PATH = 300  # longer than any key of the graph; longer paths are 404 without a lookup
SUGGESTIONS = 10


@bp.record_once
def _build_index(state: BlueprintSetupState) -> None:
    """Build the label index at start-up, not on the first request, if the data is here."""
    service = state.app.extensions[EXTENSION]
    if service.engine.local:
        label_index(service)


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
    path = f"{request.script_root}/id/{stem}"
    fmt, headers = negotiate(path, DOCUMENT_OFFERS, fixed, SUFFIX_OF)
    if fmt is not HTML:
        return answer_response(
            service, service.prepare(describe_query(iri, service.base)), fmt, headers
        )
    lang = page_lang()
    key = description_key(service, iri)

    def page() -> bytes:
        graph = description_graph(service, iri)
        debate = read_debate(debate_graph(service, iri), iri, Labeller(index, lang))
        return resource_page(index, graph, iri, path, lang, debate or None).encode("utf-8")

    cache_key = f"page:{key}:{lang}:{request.script_root}"
    return conditional(
        f'{answer_etag(service, key)[:-1]}-{lang}"',
        headers,
        HTML.content_type,
        lambda: (service.kept(cache_key, page), ""),
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
