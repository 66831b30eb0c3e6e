"""Answer a repeated GET query straight from memory, before Flask builds a request.

The data is read-only, so a 200 answer to `GET /sparql?<query string>` with a given Accept
header is the same every time until the process restarts with new data. Flask's routing,
request parsing and hooks cost more than half a millisecond; this WSGI layer serves such a
repeat in tens of microseconds, with the same headers, log line and metrics. Anything else
(POST, HEAD, conditional requests, errors, answers not marked cacheable) goes to Flask.

The gunicorn worker of `serve` (worker.py) asks `lookup` itself before it builds a WSGI
environ, and writes a hit's pre-encoded headers and body in one call (`CachedResponse.head`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from cybercrime_kg.cache import ByteLRU

logger = logging.getLogger("cybercrime_kg.access")

KEY = "cybercrime_kg.fastpath_key"  # set here on a miss; the view answers whether to keep it
KEEP = "cybercrime_kg.fastpath_keep"  # set by the view: the query hash, when the answer may be kept
PATH = "/sparql"

Headers = list[tuple[str, str]]


@dataclass(frozen=True)
class CachedResponse:
    """A kept 200 answer: its headers, as a list and as HTTP/1.1 header lines, and its body."""

    headers: Headers
    head: bytes  # "Name: value\r\n" for each header, latin-1 as HTTP/1.1 wants
    body: bytes
    query_hash: str


class FastPath:
    """WSGI middleware with a byte-capped LRU of whole responses."""

    def __init__(self, wsgi_app: Callable[..., Any], metrics: Any, max_bytes: int) -> None:
        self.wsgi_app = wsgi_app
        self.metrics = metrics
        self.max_bytes = max_bytes
        self._cache: ByteLRU[CachedResponse] = ByteLRU(max_bytes)

    def lookup(self, query_string: str, accept: str) -> CachedResponse | None:
        """The kept answer to `GET /sparql?<query_string>` with this Accept header, if any."""
        return self._cache.get((query_string, accept)) if self.max_bytes else None

    def served(self, hit: CachedResponse, seconds: float) -> None:
        """Count and log a hit, as every other request is counted and logged."""
        self.metrics.record(PATH, 200, seconds, True, True)
        logger.info(
            "method=GET path=/sparql status=200 duration_ms=%.2f query_hash=%s cache=hit bytes=%d",
            seconds * 1000,
            hit.query_hash,
            len(hit.body),
        )

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        if (
            environ["REQUEST_METHOD"] != "GET"
            or environ.get("PATH_INFO") != PATH
            or "HTTP_IF_NONE_MATCH" in environ
            or not environ.get("QUERY_STRING")
            or not self.max_bytes
        ):
            return self.wsgi_app(environ, start_response)
        key = (environ["QUERY_STRING"], environ.get("HTTP_ACCEPT", ""))
        hit = self._cache.get(key)
        if hit is not None:
            started = time.perf_counter()
            start_response("200 OK", hit.headers)
            self.served(hit, time.perf_counter() - started)
            return [hit.body]
        environ[KEY] = key
        return self._capture(environ, start_response, key)

    def _capture(
        self, environ: dict[str, Any], start_response: Callable[..., Any], key: tuple[str, str]
    ) -> Iterable[bytes]:
        seen: dict[str, Any] = {}

        def capturing(status: str, headers: Headers, exc_info: Any = None) -> Any:
            seen["status"], seen["headers"] = status, headers
            return (
                start_response(status, headers, exc_info)
                if exc_info
                else start_response(status, headers)
            )

        iterable = self.wsgi_app(environ, capturing)
        try:
            chunks = list(iterable)
        finally:
            if hasattr(iterable, "close"):
                iterable.close()
        query_hash = environ.get(KEEP)
        if query_hash and seen.get("status", "").startswith("200 "):
            body = b"".join(chunks)
            headers = list(seen["headers"])
            try:
                head = "".join(f"{name}: {value}\r\n" for name, value in headers).encode("latin-1")
            except UnicodeEncodeError:  # not a header HTTP/1.1 can carry as it is: not kept
                return chunks
            size = len(body) + len(head) + len(key[0])
            self._cache.put(key, CachedResponse(headers, head, body, query_hash), size)
        return chunks
