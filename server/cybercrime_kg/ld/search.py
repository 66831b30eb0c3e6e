"""Search: /search?q=[&type=...] finds what people type, as a page or as JSON (Accept, ?format=).

Matching and ranking are `finder`'s (words in English and Chinese, typos, a stance found through
its target claim); this module reads the request, answers the errors (400: no text, text over
200 characters, an unknown type; in the page's language on a page, in English in JSON) and
shows the hits: each with its type (the ontology class's label), its score, and a snippet of
the text that matched with the match marked.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request, url_for
from flask.blueprints import BlueprintSetupState

from cybercrime_kg.errors import RequestError
from cybercrime_kg.formats import HTML, JSON
from cybercrime_kg.ld.corpus import TYPE_KEYS, TYPES, search_index
from cybercrime_kg.ld.finder import Found, Hit, snippet
from cybercrime_kg.ld.labels import LabelIndex, label_index
from cybercrime_kg.ld.pages import Labeller, Term
from cybercrime_kg.web.http import EXTENSION, query_service
from cybercrime_kg.web.i18n import language_name, page_lang, text
from cybercrime_kg.web.negotiation import choose

bp = Blueprint("search", __name__)

MAX_QUERY = 200  # characters
_CLASS = {key: local for key, local in reversed(TYPES) if "/" not in local}


@bp.record_once
def _build_index(state: BlueprintSetupState) -> None:
    """Build the search index at start-up, not on the first search, if the data is here."""
    service = state.app.extensions[EXTENSION]
    if service.engine.local:
        search_index(service)


@dataclass(frozen=True)
class Shown:
    """A hit as the page shows it."""

    resource: Term
    type: str
    type_label: str
    title: list[tuple[str, bool]] | None  # the name with the match marked, when it matched
    via: str  # what the snippet is (the claim a stance is on ...), "" for the name
    snippet: list[tuple[str, bool]]
    snippet_lang: str


def type_label(key: str, index: LabelIndex, lang: str) -> str:
    """The name of a type in `lang`: its ontology class's label, or the page's own word."""
    if key in _CLASS:
        return index.label(f"{index.base}ontology#{_CLASS[key]}", lang)[0]
    return text(f"search.type.{key}", lang)


def _requested_types() -> list[str]:
    """The ?type= keys asked for (repeated or comma-separated); an unknown one is refused."""
    wanted = [t.strip() for v in request.args.getlist("type") for t in v.split(",") if t.strip()]
    for key in wanted:
        if key not in TYPE_KEYS:
            raise _Refused("search.error.type", type=key[:40], types=", ".join(TYPE_KEYS))
    return list(dict.fromkeys(wanted))


class _Refused(Exception):
    """A search the page cannot run: the message key and its fields."""

    def __init__(self, key: str, **fields: Any) -> None:
        super().__init__(key)
        self.key = key
        self.fields = fields


@bp.route("/search")
def search() -> Response:
    """Resources matching q, best first."""
    fmt = choose((HTML, JSON), request.headers.get("Accept"), request.args.getlist("format"))
    index = label_index(query_service())
    lang = page_lang()
    query = request.args.get("q", "")
    try:
        if not query.strip():
            raise _Refused("search.error.missing")
        if len(query) > MAX_QUERY:
            raise _Refused("search.error.too_long", limit=MAX_QUERY)
        types = _requested_types()
    except _Refused as refused:
        if fmt is JSON:
            raise RequestError(text(refused.key, "en", **refused.fields)) from None
        message = text(refused.key, lang, **refused.fields)
        page = _page(index, query[:MAX_QUERY], None, [], lang, message)
        return Response(page, status=400, content_type="text/html; charset=utf-8")
    found = search_index(query_service()).find(query, types)
    headers = {"Vary": "Accept, Accept-Language"}
    if fmt is HTML:
        page = _page(index, query, found, types, lang, "")
        return Response(page, content_type="text/html; charset=utf-8", headers=headers)
    words = Labeller(index, lang)
    results = [_result(hit, words, index, lang) for hit in found.hits]
    response = jsonify(
        query=query,
        lang=lang,
        types=types,
        corrected=found.corrected or None,
        total=found.total,
        counts=found.counts,
        results=results,
        truncated=found.truncated,
    )
    response.headers.update(headers)
    return response


def _result(hit: Hit, words: Labeller, index: LabelIndex, lang: str) -> dict[str, Any]:
    name = words.iri(hit.iri)
    marked = "".join(
        f"<mark>{html.escape(piece, False)}</mark>" if mark else html.escape(piece, False)
        for piece, mark in snippet(hit)
    )
    return {
        "iri": hit.iri,
        "url": name.href,
        "label": name.text,
        "matched": hit.field.text,
        "matchedLang": hit.field.lang,
        "rank": hit.rank,
        "type": hit.type,
        "typeLabel": type_label(hit.type, index, lang),
        "score": hit.score,
        "via": hit.field.kind,
        "snippet": marked,
    }


def _via(hit: Hit, resource: Term, lang: str) -> str:
    """What the snippet is: the name in another language ("English:"), another name, a claim ..."""
    one = hit.field
    if one.kind == "name" and one.lang and one.lang != resource.lang:
        return text("search.via.language", lang, language=language_name(one.lang, lang))
    return text(f"search.via.{one.kind}", lang)


def _page(
    index: LabelIndex, query: str, found: Found | None, types: list[str], lang: str, error: str
) -> str:
    words = Labeller(index, lang)
    shown = []
    for hit in found.hits if found else []:
        resource = words.iri(hit.iri)
        pieces = snippet(hit)
        same = hit.field.kind == "name" and hit.field.text == resource.text
        shown.append(
            Shown(
                resource,
                hit.type,
                type_label(hit.type, index, lang),
                pieces if same else None,
                "" if same else _via(hit, resource, lang),
                pieces,
                hit.field.lang,
            )
        )
    facets = []
    if found:
        chosen = request.args.get("lang")
        for key in TYPE_KEYS:
            if found.counts.get(key):
                href = url_for("search.search", q=query, type=key, lang=chosen)
                label = type_label(key, index, lang)
                facets.append((key, label, found.counts[key], href, key in types))
    return render_template(
        "ld/search.html",
        lang=lang,
        query=query,
        error=error,
        found=found,
        results=shown,
        facets=facets,
        all_href=url_for("search.search", q=query, lang=request.args.get("lang")),
        all_count=sum(found.counts.values()) if found else 0,
        filtered=bool(types),
    )
