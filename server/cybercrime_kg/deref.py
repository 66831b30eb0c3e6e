"""Dereferencing: every instance IRI under the base answers at the same path on this server.

`<base>id/<kind>/<key>` is served at `/id/<kind>/<key>`. The generic URL negotiates (Accept,
or `?format=`) and answers 200 with the chosen document's own URL in Content-Location; the
suffixed URLs (`.html .ttl .nt .jsonld .rdf .nq .trig`) are those documents, one format each.
Unknown IRIs are 404: a page with suggestions for browsers, plain text or JSON for tools.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, request
from flask.blueprints import BlueprintSetupState

from .describe import describe, description_graph
from .labels import LabelIndex, fold, label_index
from .negotiation import choose, parse_accept
from .pages import HTML, not_found_page, page_lang, resource_page
from .protocol import not_modified, query_service
from .results import GRAPH_FORMATS, TRUNCATED_HEADER, Format

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
    """Build the label index at start-up, not on the first request."""
    label_index(state.app.extensions["cybercrime_kg"])


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
    headers: dict[str, str] = {}
    if fixed is None:
        fmt = choose(OFFERS, request.headers.get("Accept"), request.args.getlist("format"))
        headers["Content-Location"] = f"{path}.{SUFFIX_OF[fmt.name]}"
        headers["Vary"] = "Accept, Accept-Language"
    else:
        fmt = fixed
        if fmt is HTML:
            headers["Vary"] = "Accept-Language"
    if fmt is HTML:
        lang = page_lang()
        graph, key = description_graph(service, iri)
        headers["ETag"] = f'"{service.version}-{key[:16]}-{lang}"'
        if not_modified(headers["ETag"]):
            return Response(status=304, headers=headers)
        page = resource_page(index, graph, iri, path, lang)
        return Response(page, content_type="text/html; charset=utf-8", headers=headers)
    body, key, truncated = describe(service, iri, fmt)
    headers["ETag"] = f'"{service.version}-{key[:16]}"'
    if not_modified(headers["ETag"]):
        return Response(status=304, headers=headers)
    if truncated:
        headers[TRUNCATED_HEADER] = f"max-rows={service.max_rows}"
    return Response(body, content_type=fmt.content_type, headers=headers)


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
