"""Search by name: /search?q= over every label (rdfs:label, skos:altLabel), Chinese and English.

A case-insensitive substring match on the in-memory label index, exact matches first, then
prefixes, then the rest; answered as a page or as JSON (Accept, or ?format=json).
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from cybercrime_kg.errors import RequestError
from cybercrime_kg.formats import HTML, JSON
from cybercrime_kg.ld.labels import label_index
from cybercrime_kg.ld.pages import Labeller, search_page
from cybercrime_kg.web.http import query_service
from cybercrime_kg.web.i18n import page_lang
from cybercrime_kg.web.negotiation import choose

bp = Blueprint("search", __name__)

MAX_QUERY = 200  # characters


@bp.route("/search")
def search() -> Response:
    """Resources whose name contains q."""
    fmt = choose((HTML, JSON), request.headers.get("Accept"), request.args.getlist("format"))
    index = label_index(query_service())
    lang = page_lang()
    query = request.args.get("q", "")
    error = ""
    if not query.strip():
        error = "missing search text: send it as q"
    elif len(query) > MAX_QUERY:
        error = f"search text longer than {MAX_QUERY} characters"
    if error and fmt is JSON:
        raise RequestError(error)
    if error:
        page = search_page(index, query[:MAX_QUERY], [], False, error, lang)
        return Response(page, status=400, content_type="text/html; charset=utf-8")
    hits, truncated = index.search(query)
    headers = {"Vary": "Accept, Accept-Language"}
    if fmt is HTML:
        page = search_page(index, query, hits, truncated, "", lang)
        return Response(page, content_type="text/html; charset=utf-8", headers=headers)
    words = Labeller(index, lang)
    results = []
    for hit in hits:
        name = words.iri(hit.iri)
        results.append(
            {
                "iri": hit.iri,
                "url": name.href,
                "label": name.text,
                "matched": hit.matched,
                "matchedLang": hit.lang,
                "rank": ("exact", "prefix", "substring")[hit.rank],
            }
        )
    response = jsonify(query=query, lang=lang, results=results, truncated=truncated)
    response.headers.update(headers)
    return response
