"""The SPARQL 1.1 Protocol query operation at /sparql (GET, form POST, direct POST).

Parameters are decoded here, strictly: Werkzeug would replace bytes that are not UTF-8 and
keep only one of several `query` parameters, both of which the protocol makes errors.
"""

from __future__ import annotations

import hashlib
import logging
from urllib.parse import parse_qsl

from flask import Blueprint, Response, current_app, g, request, url_for

from cybercrime_kg.errors import PayloadTooLarge, RequestError, UnsupportedMediaType, UpdateRefused
from cybercrime_kg.sparql.lexer import UPDATE_REFUSED
from cybercrime_kg.sparql.results import formats_for
from cybercrime_kg.web import fastpath
from cybercrime_kg.web.http import answer_response, query_service
from cybercrime_kg.web.negotiation import choose, wants_html
from cybercrime_kg.web.service_description import describe_service

logger = logging.getLogger(__name__)

bp = Blueprint("sparql", __name__)

ALLOWED_METHODS = "GET, HEAD, POST, OPTIONS"
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
Params = dict[str, list[str]]


def _utf8(raw: bytes, what: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RequestError(f"{what} is not UTF-8 (invalid byte at offset {exc.start})") from None


def _parse_params(raw: bytes, what: str) -> Params:
    params: Params = {}
    try:
        pairs = parse_qsl(_utf8(raw, what), keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        raise RequestError(f"{what} is not UTF-8 once percent-decoded") from None
    for key, value in pairs:
        params.setdefault(key, []).append(value)
    return params


def _body() -> bytes:
    limit = current_app.config["MAX_REQUEST_BYTES"]
    if request.content_length is not None and request.content_length > limit:
        raise PayloadTooLarge(f"request body larger than {limit} bytes")
    data = request.get_data(cache=True)
    # a chunked body has no Content-Length, and Werkzeug stops reading it at the limit without
    # a word: one more byte left unread means the body was longer, never a truncated query
    chunked = request.content_length is None
    if chunked and len(data) >= limit and request.environ["wsgi.input"].read(1):
        raise PayloadTooLarge(f"request body larger than {limit} bytes")
    return data


def _check_charset() -> None:
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(f"charset {charset} is not supported: send UTF-8")


def read_request() -> tuple[str | None, Params]:
    """The query text (None if there is none) and every protocol parameter of the request."""
    url_params = _parse_params(request.query_string, "the query string")
    if request.method in ("GET", "HEAD"):
        params = url_params
        body_query = None
    else:
        mimetype = request.mimetype
        if not mimetype:
            raise UnsupportedMediaType(f"missing Content-Type: POST a query as {FORM} or {DIRECT}")
        if mimetype == UPDATE:
            raise UpdateRefused(UPDATE_REFUSED)
        if mimetype == FORM:
            _check_charset()
            params = _parse_params(_body(), "the request body")
            params.setdefault("format", []).extend(url_params.get("format", []))
            body_query = None
        elif mimetype == DIRECT:
            _check_charset()
            params = url_params
            body_query = _utf8(_body(), "the request body")
        else:
            raise UnsupportedMediaType(
                f"unsupported Content-Type {mimetype}: POST a query as {FORM} or {DIRECT}"
            )
    if "update" in params or "using-graph-uri" in params or "using-named-graph-uri" in params:
        raise UpdateRefused(UPDATE_REFUSED)
    queries = params.get("query", [])
    if body_query is not None:
        queries = [*queries, body_query]
    if len(queries) > 1:
        raise RequestError("several query parameters: send exactly one query per request")
    if not queries:
        return None, params
    text = queries[0]
    limit = current_app.config["MAX_REQUEST_BYTES"]
    if len(text.encode("utf-8")) > limit:
        raise PayloadTooLarge(f"query longer than {limit} bytes")
    if not text.strip():
        raise RequestError("the query is empty")
    return text, params


def _preflight() -> Response:
    return Response(
        status=204,
        headers={
            "Allow": ALLOWED_METHODS,
            "Access-Control-Allow-Methods": ALLOWED_METHODS,
            "Access-Control-Allow-Headers": "Accept, Content-Type, If-None-Match",
            "Access-Control-Max-Age": "86400",
        },
    )


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"], provide_automatic_options=False)
def sparql() -> Response:
    """Answer a query, or describe the service when a GET carries no query."""
    if request.method == "OPTIONS":
        return _preflight()
    text, params = read_request()
    if text is not None:
        g.query_hash = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    if text is None:
        if request.method in ("GET", "HEAD") and not params and wants_html():
            # a browser opening /sparql wants the query UI (as Fuseki's and WDQS's users expect)
            return Response(status=303, headers={"Location": url_for("ui.query_page")})
        if request.method in ("GET", "HEAD") and not set(params) - {"format"}:
            return describe_service(params.get("format", []))
        raise RequestError("missing query parameter: send a SPARQL query as 'query'")
    service = query_service()
    prepared = service.prepare(
        text, params.get("default-graph-uri", []), params.get("named-graph-uri", [])
    )
    fmt = choose(
        formats_for(prepared.outline.form), request.headers.get("Accept"), params.get("format", [])
    )
    response = answer_response(service, prepared, fmt, {"Vary": "Accept"}, _note_cache)
    if response.status_code == 200 and fastpath.KEY in request.environ:
        request.environ[fastpath.KEEP] = g.query_hash  # the same GET will get this very response
    return response


def _note_cache(cached: bool) -> None:
    g.cache_hit = cached
