"""The service's settings: defaults, then CYBERCRIME_KG_* environment variables, then the caller's.

Every key can be set from the environment with the prefix, e.g. CYBERCRIME_KG_ENGINE=oxigraph,
CYBERCRIME_KG_QUERY_TIMEOUT=30, CYBERCRIME_KG_SERVICE_ALLOWLIST='["https://query.wikidata.org/sparql"]'
(values are read as JSON where they parse as JSON, as Flask's `from_prefixed_env` does).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from cybercrime_kg.namespaces import DEFAULT_BASE

ENV_PREFIX = "CYBERCRIME_KG"

DEFAULTS: dict[str, Any] = {
    # which Engine evaluates queries: "oxigraph" (embedded, Rust), "rdflib" (embedded, pure
    # Python), or "remote"
    "ENGINE": "oxigraph",
    # the SPARQL 1.1 query endpoint the remote engine forwards to (docs/production.md)
    "ENDPOINT": "",
    # base IRI of the data and of relative IRIs in queries
    "BASE": DEFAULT_BASE,
    # seconds a query may run before its worker process is killed and the client gets 503
    "QUERY_TIMEOUT": 10.0,
    # query worker processes per HTTP worker: the cap on concurrent queries (0: run in-thread,
    # without an enforceable time limit; only for the command line)
    "QUERY_WORKERS": 4,
    # seconds a request waits for a free query worker before 503
    "QUEUE_WAIT": 5.0,
    # most rows (SELECT) or triples (CONSTRUCT/DESCRIBE) in one answer; more are cut and flagged
    "MAX_ROWS": 10_000,
    # largest answer body in bytes: an answer beyond it is cut to whole rows or triples below it
    # and flagged, as with MAX_ROWS
    "MAX_RESPONSE_BYTES": 16 * 1024 * 1024,
    # memory one query process may take beyond the loaded engine it shares, in bytes: a query
    # that needs more is stopped (503) and its process replaced; 0: no cap
    "QUERY_MEMORY": 1024 * 1024 * 1024,
    # largest request body, and largest query text, in bytes (413 beyond)
    "MAX_REQUEST_BYTES": 256 * 1024,
    # seconds a client has to send a whole request (headers and body) once it connects, or once
    # it starts a request on a kept-alive connection; later it is answered 408 and dropped
    "READ_TIMEOUT": 10.0,
    # SERVICE endpoints queries may call; empty: federated queries are refused
    "SERVICE_ALLOWLIST": [],
    # answers kept in memory per HTTP worker (the data is read-only): total bytes, half for
    # rendered answers, half for whole responses, each entry counted with 1 KiB of overhead;
    # 0 to disable
    "RESULT_CACHE_BYTES": 64 * 1024 * 1024,
}


INTEGERS = (
    "QUERY_WORKERS",
    "MAX_ROWS",
    "MAX_RESPONSE_BYTES",
    "QUERY_MEMORY",
    "MAX_REQUEST_BYTES",
    "RESULT_CACHE_BYTES",
)


def configure(app: Flask, config: Mapping[str, Any] | None = None) -> None:
    """Apply defaults, then the environment, then `config`, and check the result."""
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env(ENV_PREFIX)
    if config:
        app.config.from_mapping(config)
    app.config["MAX_CONTENT_LENGTH"] = int(app.config["MAX_REQUEST_BYTES"])
    for key in ("QUERY_TIMEOUT", "QUEUE_WAIT", "READ_TIMEOUT"):
        app.config[key] = float(app.config[key])
    for key in INTEGERS:
        app.config[key] = int(app.config[key])
    allowlist = app.config["SERVICE_ALLOWLIST"]
    if isinstance(allowlist, str):  # a single IRI, or a comma-separated list, from the shell
        allowlist = [s.strip() for s in allowlist.split(",") if s.strip()]
    app.config["SERVICE_ALLOWLIST"] = list(allowlist)
    if not str(app.config["BASE"]).endswith(("/", "#")):
        raise ValueError(f"BASE must end with / or #: {app.config['BASE']!r}")
