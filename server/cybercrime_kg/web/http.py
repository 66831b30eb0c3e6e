"""What every route of the service shares: the query service, conditional requests, one answer.

Each route hands this module the ETag it computed and a way to make the body; `conditional`
answers 304 when the client already has it, else the body with the truncation signal. The
query answers of /sparql, /queries, the resource documents and the ontology all go through
`answer_response`, so their ETags, caching and row-cap header cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, current_app, request

from cybercrime_kg.formats import TRUNCATED_HEADER, Format
from cybercrime_kg.sparql.named_queries import NamedQuery
from cybercrime_kg.sparql.service import Prepared, QueryService

EXTENSION = "cybercrime_kg"
NAMED_QUERIES = "cybercrime_kg.named_queries"


def query_service() -> QueryService:
    """The QueryService of the running app."""
    service: QueryService = current_app.extensions[EXTENSION]
    return service


def named_queries() -> dict[str, NamedQuery]:
    """The named queries of the running app, by name (loaded by `queries_api.init_app`)."""
    queries: dict[str, NamedQuery] = current_app.extensions[NAMED_QUERIES]
    return queries


def not_modified(etag: str) -> bool:
    """True when a GET or HEAD has an If-None-Match naming this ETag (or *)."""
    if request.method not in ("GET", "HEAD"):
        return False
    header = request.headers.get("If-None-Match")
    if not header:
        return False
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return "*" in tags or etag in tags


def conditional(
    etag: str,
    headers: dict[str, str],
    content_type: str,
    make: Callable[[], tuple[bytes | str, str]],
) -> Response:
    """304 when the client has `etag`, else `make()`'s body and, when something was cut, the
    truncation header's value it gives (e.g. max-rows=10000)."""
    headers["ETag"] = etag
    if not_modified(etag):
        return Response(status=304, headers=headers)
    body, cut = make()
    if cut:
        headers[TRUNCATED_HEADER] = cut
    return Response(body, content_type=content_type, headers=headers)


def answer_etag(service: QueryService, key: str) -> str:
    """The ETag of a query answer: the data version and the answer's cache key."""
    return f'"{service.version}-{key[:16]}"'


def answer_response(
    service: QueryService,
    prepared: Prepared,
    fmt: Format,
    headers: dict[str, str] | None = None,
    on_answer: Callable[[bool], None] | None = None,
) -> Response:
    """A checked query's answer in `fmt`, with its ETag (304 when the client has it).

    `on_answer(cached)` is told whether the answer came from the cache (for the metrics).
    """
    key = service.key(prepared, fmt)

    def make() -> tuple[bytes, str]:
        answer, cached = service.answer(prepared, fmt, key)
        if on_answer is not None:
            on_answer(cached)
        return answer.body, answer.cut_header(service.max_rows, service.max_bytes)

    return conditional(answer_etag(service, key), dict(headers or {}), fmt.content_type, make)
