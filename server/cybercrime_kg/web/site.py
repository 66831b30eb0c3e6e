"""The chrome every HTML page shares (templates/base.html): its sections, the language switch,
the favicon, and the site's own page for any unknown path.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Flask, Response, current_app, redirect, render_template, request
from werkzeug.exceptions import HTTPException

from cybercrime_kg.web import i18n

# The site's sections, in menu order (message key, path); one appears once its route exists.
SECTIONS = (
    ("nav.query", "/"),
    ("nav.queries", "/queries"),
    ("nav.builder", "/builder"),
    ("nav.matrix", "/pictures/stance-matrix"),
    ("nav.timeline", "/pictures/timeline"),
    ("nav.ontology", "/ontology"),
)


def served(path: str) -> bool:
    """Whether this app answers GET `path`."""
    adapter = current_app.url_map.bind("localhost")
    try:
        adapter.match(path, method="GET")
    except HTTPException:
        return False
    return True


def other_lang_url() -> str:
    """This page in the other language: the same path and query, `lang` switched."""
    other = "en" if i18n.page_lang() == "zh" else "zh"
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    args.append(("lang", other))
    return f"{request.script_root}{request.path}?{urlencode(args)}"


def not_found_page(message: str) -> Response:
    """The site's 404 page, in the design of every other page."""
    page = render_template("not_found.html", message=message)
    return Response(
        page,
        status=404,
        content_type="text/html; charset=utf-8",
        headers={"Vary": "Accept, Accept-Language"},
    )


def init_app(app: Flask) -> None:
    """The template helpers of base.html, and /favicon.ico (browsers ask for it unprompted)."""
    i18n.init_app(app)

    @app.context_processor
    def _chrome() -> dict[str, Any]:
        return {
            "site_sections": lambda: [(key, path) for key, path in SECTIONS if served(path)],
            "other_lang_url": other_lang_url,
        }

    @app.get("/favicon.ico")
    def favicon() -> Any:
        return redirect(f"{request.script_root}/static/favicon.svg", code=301)
