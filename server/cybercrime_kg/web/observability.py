"""Liveness (/health), basic metrics (/metrics) and one structured log line per request.

Metrics are per process (each gunicorn worker counts its own requests), in the Prometheus
text format. Logs carry method, path, status, duration and a hash of the query, never the query
text, headers or parameters, so nothing a client sends in them can leak into the log.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter

from flask import Blueprint, Flask, Response, current_app, g, jsonify, request

from cybercrime_kg import __version__
from cybercrime_kg.web.http import query_service

logger = logging.getLogger("cybercrime_kg.access")

bp = Blueprint("observability", __name__)


class Metrics:
    """Counters shared by the threads of one process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests: Counter[tuple[str, int]] = Counter()
        self.latency_sum = 0.0
        self.latency_count = 0
        self.queries = 0
        self.cache_hits = 0
        self.timeouts = 0
        self.started = time.time()

    def record(self, path: str, status: int, seconds: float, query: bool, cache_hit: bool) -> None:
        with self._lock:
            self.requests[(path, status)] += 1
            self.latency_sum += seconds
            self.latency_count += 1
            self.queries += query
            self.cache_hits += cache_hit
            self.timeouts += query and status == 503 and bool(g.get("timed_out"))

    def text(self) -> str:
        with self._lock:
            lines = [
                "# TYPE cybercrime_kg_requests_total counter",
                *(
                    f'cybercrime_kg_requests_total{{path="{path}",status="{status}"}} {n}'
                    for (path, status), n in sorted(self.requests.items())
                ),
                "# TYPE cybercrime_kg_request_seconds summary",
                f"cybercrime_kg_request_seconds_sum {self.latency_sum:.6f}",
                f"cybercrime_kg_request_seconds_count {self.latency_count}",
                "# TYPE cybercrime_kg_queries_total counter",
                f"cybercrime_kg_queries_total {self.queries}",
                "# TYPE cybercrime_kg_result_cache_hits_total counter",
                f"cybercrime_kg_result_cache_hits_total {self.cache_hits}",
                "# TYPE cybercrime_kg_query_timeouts_total counter",
                f"cybercrime_kg_query_timeouts_total {self.timeouts}",
            ]
        return "\n".join(lines) + "\n"


def _metrics() -> Metrics:
    metrics: Metrics = current_app.extensions["cybercrime_kg.metrics"]
    return metrics


@bp.route("/health")
def health() -> Response:
    service = query_service()
    return jsonify(
        status="ok",
        version=__version__,
        data_version=service.version,
        engine=service.engine.name,
        graphs=list(service.graphs),
    )


@bp.route("/metrics")
def metrics() -> Response:
    return Response(_metrics().text(), content_type="text/plain; version=0.0.4; charset=utf-8")


def _start() -> None:
    g.started = time.perf_counter()


def _finish(response: Response) -> Response:
    seconds = time.perf_counter() - g.get("started", time.perf_counter())
    query_hash = g.get("query_hash")
    path = request.url_rule.rule if request.url_rule else "<unknown>"
    _metrics().record(
        path, response.status_code, seconds, query_hash is not None, g.get("cache_hit", False)
    )
    logger.info(
        "method=%s path=%s status=%d duration_ms=%.2f query_hash=%s cache=%s bytes=%s",
        request.method,
        path,
        response.status_code,
        seconds * 1000,
        query_hash or "-",
        "hit" if g.get("cache_hit") else "miss",
        response.content_length if response.content_length is not None else "-",
    )
    response.headers["Access-Control-Allow-Origin"] = "*"
    # Link and Content-Location: a script on another origin reads the alternates of a resource
    response.headers["Access-Control-Expose-Headers"] = (
        "ETag, Link, Content-Location, Retry-After, X-SPARQL-Truncated"
    )
    return response


def init_app(app: Flask) -> None:
    """Register the blueprint, the metrics and the per-request hooks."""
    app.extensions["cybercrime_kg.metrics"] = Metrics()
    app.register_blueprint(bp)
    app.before_request(_start)
    app.after_request(_finish)
