"""The named-query API (grlc's convention): GET /queries lists them, GET /queries/<name> runs one.

A named query runs through the QueryService like any query sent to /sparql, so the same time
limit, row cap, cache, ETag and content negotiation (Accept or `?format=`) apply.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Flask,
    Response,
    g,
    jsonify,
    render_template,
    request,
    url_for,
)
from werkzeug.exceptions import NotFound

from cybercrime_kg.errors import RequestError
from cybercrime_kg.formats import HTML, JSON
from cybercrime_kg.paths import project_layout
from cybercrime_kg.sparql.named_queries import NamedQuery, load_named
from cybercrime_kg.sparql.results import formats_for
from cybercrime_kg.web.http import NAMED_QUERIES, answer_response, named_queries, query_service
from cybercrime_kg.web.negotiation import choose

bp = Blueprint("queries", __name__)

LIST_FORMATS = (JSON, HTML)


def init_app(app: Flask) -> None:
    """Load and check every named query (a broken one stops the boot); register the routes."""
    folder = app.config.get("QUERIES_DIR") or project_layout().queries
    app.extensions[NAMED_QUERIES] = load_named(Path(folder), app.config["BASE"])
    app.register_blueprint(bp)


def describe(query: NamedQuery) -> dict[str, Any]:
    """A named query as the listing gives it, raw text included (the query UI loads it)."""
    return {
        "name": query.name,
        "summary": {"en": query.summary, "zh": query.summary_zh},
        "form": query.form,
        "parameters": [
            {
                "name": p.name,
                "kind": p.kind,
                "description": p.description,
                "required": True,
                "example": p.example,
            }
            for p in query.parameters
        ],
        "formats": [f.media_type for f in formats_for(query.form)],
        "url": url_for("queries.run_query", name=query.name),
        "query": query.text,
    }


@bp.get("/queries")
def list_queries() -> Response | str:
    """Every named query: JSON by default, an HTML page for browsers."""
    fmt = choose(LIST_FORMATS, request.headers.get("Accept"), request.args.getlist("format"))
    entries = [describe(q) for q in named_queries().values()]
    if fmt is HTML:
        page = render_template(
            "queries/list.html", queries=entries, openapi=url_for("openapi.document")
        )
        response = Response(page, content_type="text/html; charset=utf-8")
    else:
        response = jsonify(queries=entries)
    response.headers["Vary"] = "Accept"
    return response


def _values(query: NamedQuery) -> dict[str, str]:
    """The query's parameter values from the query string, each given exactly once."""
    values: dict[str, str] = {}
    for key, given in request.args.lists():
        if key == "format":
            continue
        if len(given) > 1:
            raise RequestError(f"parameter {key} is given {len(given)} times; give it once")
        values[key] = given[0]
    missing = query.missing(values)
    if missing:
        first = missing[0]
        hint = f": {first.description}" if first.description else ""
        raise RequestError(f"named query {query.name} needs the parameter {first.name}{hint}")
    return values


@bp.get("/queries/<name>")
def run_query(name: str) -> Response:
    """Run one named query with the query string's parameter values."""
    query = named_queries().get(name)
    if query is None:
        raise NotFound(f"no named query {name!r}; available: {', '.join(named_queries())}")
    text = query.bind(_values(query))
    g.query_hash = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    service = query_service()
    prepared = service.prepare(text)
    fmt = choose(
        formats_for(query.form), request.headers.get("Accept"), request.args.getlist("format")
    )
    return answer_response(service, prepared, fmt, {"Vary": "Accept"})
