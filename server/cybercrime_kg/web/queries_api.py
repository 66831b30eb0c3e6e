"""The named-query API (grlc's convention): GET /queries lists them, GET /queries/<name> runs one.

A named query runs through the QueryService like any query sent to /sparql, so the same time
limit, row cap, cache, ETag and content negotiation (Accept or `?format=`) apply.

People get pages instead: the listing, and a query's form and results, when the client prefers
HTML (a browser) or asks `?format=html`. Those pages show every IRI by its label, which only
the linked-data layer knows, so this layer routes and negotiates and the pages come from the
`QueryPages` that a layer above registers (`register_pages`; `ld/query_pages.py` does), never
from an import upwards.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    g,
    jsonify,
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
from cybercrime_kg.web.i18n import page_lang
from cybercrime_kg.web.negotiation import choose, wants_html

bp = Blueprint("queries", __name__)

LIST_FORMATS = (JSON, HTML)
PAGES = "cybercrime_kg.named_query_pages"
PAGE_LANG = "lang"  # the page language's query-string name, site-wide (web/i18n.py)


class QueryPages(Protocol):
    """What makes the HTML pages of the named queries (registered by a layer above)."""

    def listing(self, queries: Sequence[NamedQuery], lang: str) -> str:
        """Every named query with its summary, text and form."""

    def results(
        self, query: NamedQuery, values: Mapping[str, str], complete: bool, lang: str
    ) -> str:
        """One query's form with `values` filled in and, when `complete`, its answer as a table."""


def register_pages(app: Flask, pages: QueryPages) -> None:
    """Serve `pages` to clients that want HTML."""
    app.extensions[PAGES] = pages


def _pages() -> QueryPages:
    pages: QueryPages = current_app.extensions[PAGES]
    return pages


def _html_page(page: str) -> Response:
    """A page: in the request's language, so it varies with Accept-Language as well."""
    return Response(
        page,
        content_type="text/html; charset=utf-8",
        headers={"Vary": "Accept, Accept-Language"},
    )


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
        # the query with its parameters set to their examples: what the query UI opens, so an
        # example answers one topic's question rather than every topic's at once
        "exampleQuery": _with_examples(query),
    }


def _with_examples(query: NamedQuery) -> str:
    examples = {p.name: p.example for p in query.parameters if p.example}
    if len(examples) < len(query.parameters):
        return query.text
    return query.bind(examples)


@bp.get("/queries")
def list_queries() -> Response | str:
    """Every named query: JSON by default, an HTML page for browsers."""
    fmt = choose(LIST_FORMATS, request.headers.get("Accept"), request.args.getlist("format"))
    if fmt is HTML:
        return _html_page(_pages().listing(list(named_queries().values()), page_lang()))
    response = jsonify(queries=[describe(q) for q in named_queries().values()])
    response.headers["Vary"] = "Accept"
    return response


def _given(query: NamedQuery, page: bool) -> dict[str, str]:
    """The query string's values, each given exactly once; on a page, `lang` is the page's
    language unless the query itself takes a parameter of that name."""
    values: dict[str, str] = {}
    for key, given in request.args.lists():
        if key == "format" or (page and key == PAGE_LANG and key not in query.params):
            continue
        if len(given) > 1:
            raise RequestError(f"parameter {key} is given {len(given)} times; give it once")
        values[key] = given[0]
    return values


def _values(query: NamedQuery) -> dict[str, str]:
    """The query's parameter values from the query string: all of them, or a 400."""
    values = _given(query, page=False)
    missing = query.missing(values)
    if missing:
        first = missing[0]
        hint = f": {first.description}" if first.description else ""
        raise RequestError(f"named query {query.name} needs the parameter {first.name}{hint}")
    return values


def _wants_page() -> bool:
    """A page when `?format=` names HTML before any format of an answer, or, without `?format=`,
    when the client prefers HTML to plain text and JSON (a browser; `*/*` is not enough)."""
    for value in request.args.getlist("format"):
        wanted = value.strip().lower()
        if wanted in (HTML.name, HTML.media_type, *HTML.aliases):
            return True
        if wanted:
            return False
    return not request.args.getlist("format") and wants_html()


@bp.get("/queries/<name>")
def run_query(name: str) -> Response:
    """Run one named query with the query string's parameter values."""
    query = named_queries().get(name)
    if query is None:
        raise NotFound(f"no named query {name!r}; available: {', '.join(named_queries())}")
    if _wants_page():
        # an empty field of the form is a value not chosen yet: the page asks for it
        values = {k: v for k, v in _given(query, page=True).items() if v}
        query.check(values)
        complete = not query.missing(values)
        return _html_page(_pages().results(query, values, complete, page_lang()))
    text = query.bind(_values(query))
    g.query_hash = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    service = query_service()
    prepared = service.prepare(text)
    fmt = choose(
        formats_for(query.form), request.headers.get("Accept"), request.args.getlist("format")
    )
    return answer_response(service, prepared, fmt, {"Vary": "Accept"})
