"""The query UI at `/`: YASGUI, served from the package, on the local endpoint.

The editor starts with the graph's prefixes, lists every named query (from the named-query
API's JSON listing) as a ready example, and opens `?query=` in a tab of its own (the DESCRIBE
links of the resource pages land here).
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, current_app, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from cybercrime_kg.namespaces import PREFIXES

logger = logging.getLogger(__name__)

bp = Blueprint("ui", __name__)

# The site's sections, in menu order; a section appears once its blueprint is registered.
SECTIONS = (
    ("Query", "/"),
    ("Ontology", "/ontology"),
    ("Named queries", "/queries"),
    ("Stance matrix", "/pictures/stance-matrix"),
    ("Timeline", "/pictures/timeline"),
)
STARTER = "SELECT ?resource ?label WHERE {\n  ?resource rdfs:label ?label .\n} LIMIT 20\n"


def prefix_block() -> str:
    """The graph's prefixes as SPARQL PREFIX lines."""
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())


def _served(path: str) -> bool:
    adapter = current_app.url_map.bind("localhost")
    try:
        adapter.match(path, method="GET")
    except HTTPException:
        return False
    return True


@bp.app_context_processor
def navigation() -> dict[str, Any]:
    """`nav_links()` for every template: the sections this app serves; `search_served()`."""
    return {
        "nav_links": lambda: [(label, path) for label, path in SECTIONS if _served(path)],
        "search_served": lambda: _served("/search"),
    }


@bp.get("/")
def query_page() -> str:
    """The query editor, configured for this server's /sparql."""
    config = {
        "endpoint": url_for("sparql.sparql"),
        "prefixes": PREFIXES,
        "starter": prefix_block() + "\n" + STARTER,
        "examples": url_for("queries.list_queries", format="json"),
        "query": request.args.get("query", ""),
    }
    return render_template("ui/query.html", config=config)
