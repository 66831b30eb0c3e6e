"""The Flask application factory: configuration, the query service, blueprints, error handlers."""

from __future__ import annotations

import atexit
import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException

from cybercrime_kg.config import configure
from cybercrime_kg.errors import KGError, QueryTimeout, RequestError
from cybercrime_kg.ld import builder, deref, ontology_docs, pictures, search
from cybercrime_kg.sparql.service import QueryService
from cybercrime_kg.web import (
    endpoint,
    observability,
    openapi,
    queries_api,
    security,
    service_description,
    site,
    ui,
)
from cybercrime_kg.web.fastpath import FastPath
from cybercrime_kg.web.http import EXTENSION
from cybercrime_kg.web.negotiation import wants_html

logger = logging.getLogger(__name__)


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then CYBERCRIME_KG_* variables, then `config`.

    `config["QUERY_SERVICE"]` may hold a ready QueryService (tests share one per engine);
    otherwise the dataset is loaded (`config["PARTS"]`, else the project's files) into
    `config["ENGINE"]` and its query worker processes are forked here.
    """
    app = Flask(__name__)
    configure(app, config)
    service = app.config.get("QUERY_SERVICE")
    if service is None:
        service = QueryService.from_config(app.config)
        atexit.register(service.close)
    app.extensions[EXTENSION] = service
    app.register_blueprint(endpoint.bp)
    app.register_blueprint(service_description.bp)
    app.register_blueprint(deref.bp)
    app.register_blueprint(search.bp)
    app.register_blueprint(ui.bp)
    app.register_blueprint(ontology_docs.bp)
    queries_api.init_app(app)  # a broken queries/*.rq stops the boot here
    app.register_blueprint(openapi.bp)
    app.register_blueprint(pictures.bp)
    app.register_blueprint(builder.bp)
    site.init_app(app)
    observability.init_app(app)
    security.init_app(app)
    # repeated GET queries skip Flask entirely; 7/16 of the cache budget goes to whole
    # responses (QueryService says where the rest goes)
    app.wsgi_app = FastPath(  # type: ignore[method-assign]
        app.wsgi_app,
        app.extensions["cybercrime_kg.metrics"],
        app.config["RESULT_CACHE_BYTES"] * 7 // 16,
    )
    app.register_error_handler(KGError, _kg_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
    return app


def _error(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    """The error as JSON if the client prefers it to plain text, else plain text."""
    accept = request.accept_mimetypes
    if accept.best_match(["text/plain", "application/json"]) == "application/json" and (
        accept["application/json"] > accept["text/plain"]
    ):
        response = jsonify(error={"status": status, "message": message})
    else:
        response = Response(message + "\n", content_type="text/plain; charset=utf-8")
    response.status_code = status
    response.headers.update(headers or {})
    return response


def _kg_error(exc: KGError) -> Response:
    if isinstance(exc, QueryTimeout):
        g.timed_out = True
    if isinstance(exc, RequestError):
        return _error(exc.status, exc.message, exc.headers)
    logger.error("%s: %s", type(exc).__name__, exc)
    return _error(exc.status, str(exc))


def _http_error(exc: HTTPException) -> Response:
    headers = {k: v for k, v in exc.get_headers() if k.lower() != "content-type"}
    if exc.code == 405:
        headers["Allow"] = (
            endpoint.ALLOWED_METHODS if request.path == "/sparql" else headers.get("Allow", "")
        )
        message = f"method {request.method} not allowed; use {headers['Allow']}"
    elif exc.code == 413:
        message = f"request body larger than {request.max_content_length} bytes"
    else:
        message = exc.description or exc.name
    if exc.code == 404 and wants_html():
        return site.not_found_page(message)
    return _error(exc.code or 500, message, headers)


def _unexpected(exc: Exception) -> Response:
    logger.exception("unexpected error on %s %s", request.method, request.path)
    return _error(500, "internal server error")
