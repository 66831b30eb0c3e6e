"""The query UI at `/`: YASGUI, served from the package, on the local endpoint.

The editor starts with the graph's prefixes, lists every named query (from the named-query
API's JSON listing) as a ready example, and opens `?query=` in a tab of its own (the DESCRIBE
links of the resource pages land here).
"""

from __future__ import annotations

import logging

from flask import Blueprint, render_template, request, url_for

from cybercrime_kg.namespaces import PREFIXES

logger = logging.getLogger(__name__)

bp = Blueprint("ui", __name__)

STARTER = "SELECT ?resource ?label WHERE {\n  ?resource rdfs:label ?label .\n} LIMIT 20\n"


def prefix_block() -> str:
    """The graph's prefixes as SPARQL PREFIX lines."""
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())


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
