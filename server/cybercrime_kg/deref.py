"""Dereferencing: every instance IRI under the base answers at the same path on this server.

`<base>id/<kind>/<key>` is served at `/id/<kind>/<key>`. The generic URL negotiates (Accept,
or `?format=`) and answers 200 with the chosen document's own URL in Content-Location; the
suffixed URLs (`.html .ttl .nt .jsonld .rdf .nq .trig`) are those documents, one format each.
Unknown IRIs are 404: a page with suggestions for browsers, plain text or JSON for tools.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, request
from flask.blueprints import BlueprintSetupState

from .describe import (
    describe_query,
    description_graph,
    description_key,
    prepared_description,
)
from .engine import Answer
from .labels import LabelIndex, fold, label_index
from .negotiation import choose, parse_accept
from .pages import HTML, document_page, not_found_page, page_lang, resource_page
from .protocol import not_modified, query_service
from .results import GRAPH_FORMATS, TRUNCATED_HEADER, Format
from .service import QueryService

bp = Blueprint("deref", __name__)

OFFERS = (HTML, *GRAPH_FORMATS)  # a URL with no Accept header (or */*) gets the page
SUFFIXES = {
    "html": "html",
    "ttl": "turtle",
    "nt": "ntriples",
    "jsonld": "jsonld",
    "rdf": "rdfxml",
    "nq": "nquads",
    "trig": "trig",
}
SUFFIX_OF = {name: suffix for suffix, name in SUFFIXES.items()}
BY_NAME = {f.name: f for f in OFFERS}
MAX_PATH = 300  # longer than any key of the graph; longer paths are 404 without a lookup
SUGGESTIONS = 10


@bp.record_once
def _build_index(state: BlueprintSetupState) -> None:
    """Build the label index at start-up, not on the first request, if the data is here."""
    service = state.app.extensions["cybercrime_kg"]
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
    if dot and suffix in SUFFIXES and base + stem in index:
        return base + stem, stem, BY_NAME[SUFFIXES[suffix]]
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
    fmt, headers = _negotiate(path, fixed)
    if fmt is not HTML:
        return _rdf(service, describe_query(iri, service.base), fmt, headers, prepare=False)
    lang = page_lang()
    key = description_key(service, iri)
    headers["ETag"] = f'"{service.version}-{key[:16]}-{lang}"'
    if not_modified(headers["ETag"]):
        return Response(status=304, headers=headers)
    cache_key = f"page:{key}:{lang}:{request.script_root}"
    cached = service.cache.get(cache_key)
    if cached is None:
        graph = description_graph(service, iri)
        body = resource_page(index, graph, iri, path, lang).encode("utf-8")
        cached = Answer(body, False, len(graph))
        service.cache.put(cache_key, cached, len(body))
    return Response(cached.body, content_type=HTML.content_type, headers=headers)


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
    if suffix is not None and suffix not in SUFFIXES:
        abort(404, description=f"no format .{suffix}; use one of .{', .'.join(SUFFIXES)}")
    stem = request.path.rsplit(".", 1)[0] if suffix else request.path
    fmt, headers = _negotiate(stem, BY_NAME[SUFFIXES[suffix]] if suffix else None)
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"
    if fmt is not HTML:
        return _rdf(service, query, fmt, headers, prepare=True)
    turtle = BY_NAME["turtle"]
    prepared = service.prepare(query)
    answer, _ = service.answer(prepared, turtle, service.key(prepared, turtle))
    page = document_page(iri, stem, answer.body.decode("utf-8"), page_lang())
    return Response(page, content_type=HTML.content_type, headers=headers)


def _negotiate(path: str, fixed: Format | None) -> tuple[Format, dict[str, str]]:
    """The format (the suffix's, else negotiated) and the headers that say how it was chosen."""
    if fixed is not None:
        return fixed, {"Vary": "Accept-Language"} if fixed is HTML else {}
    fmt = choose(OFFERS, request.headers.get("Accept"), request.args.getlist("format"))
    return fmt, {
        "Content-Location": f"{path}.{SUFFIX_OF[fmt.name]}",
        "Vary": "Accept, Accept-Language",
    }


def _rdf(
    service: QueryService, query: str, fmt: Format, headers: dict[str, str], prepare: bool
) -> Response:
    """A CONSTRUCT's answer in an RDF format, with the endpoint's ETag and truncation flag."""
    prepared = service.prepare(query) if prepare else prepared_description(service, query)
    key = service.key(prepared, fmt)
    headers["ETag"] = f'"{service.version}-{key[:16]}"'
    if not_modified(headers["ETag"]):
        return Response(status=304, headers=headers)
    answer, _ = service.answer(prepared, fmt, key)
    if answer.truncated:
        headers[TRUNCATED_HEADER] = f"max-rows={service.max_rows}"
    return Response(answer.body, content_type=fmt.content_type, headers=headers)


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
