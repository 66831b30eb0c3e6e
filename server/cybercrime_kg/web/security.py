"""Security headers on every response: nosniff everywhere, a Content-Security-Policy on HTML.

Every script the pages run is a file under /static (the query UI, YASGUI); the JSON and JSON-LD
blocks in pages are data, which CSP does not treat as script. Styles may be inline: pyLODE's
ontology page carries its stylesheet in a <style> element and the server-drawn SVG pictures and
YASGUI set style attributes. Images may be data: URLs (pyLODE's icons, YASGUI's sprites).
Nothing is loaded from another origin, and no page may be framed.
"""

from __future__ import annotations

from flask import Flask, Response

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)


def add_security_headers(response: Response) -> Response:
    response.headers["X-Content-Type-Options"] = "nosniff"
    if response.mimetype in ("text/html", "application/xhtml+xml"):
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)
