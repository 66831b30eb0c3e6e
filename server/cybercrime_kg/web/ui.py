"""The query workbench at `/`: YASGUI, served from the package, on the local endpoint.

The editor starts with the graph's prefixes and lists every named query (from the named-query
API's JSON listing) as a ready example. `?query=` opens a query in a tab of its own and
`&run=1` runs it (the DESCRIBE links of the resource pages); YASGUI's share links
(`/#query=...`) are read by the page's script. Everything the script needs comes in one JSON
block: the endpoint, the base (IRIs under it link to this server), the page's strings in its
language, and the English strings of YASGUI's own chrome with their translation.

`/ui/terms.json` lists the ontology's classes and properties with their labels, for the
editor's autocompletion (built once per query service; nothing is looked up elsewhere).
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request, url_for
from rdflib import Literal

from cybercrime_kg.namespaces import PREFIXES
from cybercrime_kg.sparql.engines.base import Job
from cybercrime_kg.sparql.service import MemoKey, QueryService
from cybercrime_kg.web.http import query_service
from cybercrime_kg.web.i18n import LANGS, MESSAGES, page_lang, text

logger = logging.getLogger(__name__)

bp = Blueprint("ui", __name__)

STARTER = "SELECT ?resource ?label WHERE {\n  ?resource rdfs:label ?label .\n} LIMIT 20\n"
# Keys of messages/workbench.toml: `workbench.*` are the page's own strings, `yasgui.*` the
# English strings YASGUI draws itself (their `en` is YASGUI's exact text, matched by the script).
PAGE_KEYS = "workbench."
CHROME_KEYS = "yasgui."
# What the result views load when first opened (static/vendor/, copied by scripts/build-ui).
VIEW_SCRIPTS = {
    "plot": ("vendor/d3/d3.min.js", "vendor/plot/plot.umd.min.js"),
    "graph": ("vendor/cytoscape/cytoscape.min.js",),
}

# Every class and property the graph declares, with its labels (the ontology's, in en and zh).
_TERMS = """
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?term ?kind ?label WHERE {
  VALUES (?type ?kind) {
    (owl:Class "class") (rdfs:Class "class")
    (owl:ObjectProperty "property") (owl:DatatypeProperty "property")
    (owl:AnnotationProperty "property") (rdf:Property "property")
  }
  ?term a ?type .
  FILTER (isIRI(?term))
  FILTER NOT EXISTS { ?term owl:deprecated true }
  OPTIONAL { ?term rdfs:label ?label }
}"""

TERMS: MemoKey[list[dict[str, Any]]] = MemoKey("ui.terms")


def prefix_block() -> str:
    """The graph's prefixes as SPARQL PREFIX lines."""
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())


def ontology_terms(service: QueryService) -> list[dict[str, Any]]:
    """Classes and properties with their labels by language, sorted by IRI (built once)."""
    return service.memos.get(TERMS, lambda: _build_terms(service))


def _build_terms(service: QueryService) -> list[dict[str, Any]]:
    job = Job(_TERMS, service.base, max_rows=2**62, columns=("term", "kind", "label"))
    terms: dict[str, dict[str, Any]] = {}
    for term, kind, label in service.engine.execute(job).rows:
        entry = terms.setdefault(str(term), {"iri": str(term), "kind": str(kind), "labels": {}})
        if str(kind) == "class":  # a term declared as both is offered where classes go
            entry["kind"] = "class"
        if isinstance(label, Literal) and (label.language or "") in LANGS:
            entry["labels"].setdefault(label.language, str(label))
    return [terms[iri] for iri in sorted(terms)]


def page_strings(lang: str) -> dict[str, str]:
    """The page's own strings in `lang`, keyed without their `workbench.` prefix."""
    return {key[len(PAGE_KEYS) :]: text(key, lang) for key in MESSAGES if key.startswith(PAGE_KEYS)}


def chrome_strings(lang: str) -> dict[str, str]:
    """YASGUI's English strings and what the page shows instead (empty in English)."""
    if lang not in LANGS or lang == "en":
        return {}
    return {
        english: text(key, lang)
        for key, (english, _) in MESSAGES.items()
        if key.startswith(CHROME_KEYS)
    }


@bp.get("/")
def query_page() -> str:
    """The query workbench, configured for this server's /sparql."""
    lang = page_lang()
    config = {
        "endpoint": url_for("sparql.sparql"),
        "root": request.script_root,
        "base": query_service().base,
        "lang": lang,
        "prefixes": PREFIXES,
        "starter": prefix_block() + "\n" + STARTER,
        "examples": url_for("queries.list_queries", format="json"),
        "terms": url_for("ui.terms"),
        "query": request.args.get("query", ""),
        "run": request.args.get("run") == "1",
        "views": {
            name: [url_for("static", filename=path) for path in paths]
            for name, paths in VIEW_SCRIPTS.items()
        },
        "text": page_strings(lang),
        # what a tab is called by default in every language (renamed to this page's)
        "tab_names": {key: list(MESSAGES[f"workbench.{key}"]) for key in ("tab", "tab_from_link")},
        "chrome": chrome_strings(lang),
    }
    return render_template("ui/query.html", config=config)


@bp.get("/ui/terms.json")
def terms() -> Response:
    """The ontology's classes and properties with their labels (the editor's autocompletion)."""
    response = jsonify(terms=ontology_terms(query_service()))
    response.headers["Cache-Control"] = "public, max-age=300"
    return response
