"""Security headers (issue 16): nosniff on every response, a Content-Security-Policy on every
HTML page, and no page needing inline script (tests/browser checks that none is refused)."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from cybercrime_kg.web.security import CONTENT_SECURITY_POLICY

HTML_PAGES = [
    "/",
    "/?query=ASK%20%7B%7D",
    "/ontology.html",
    "/search?q=meeting",
    "/id/stance/eg4-rebut-gold-standard",
    "/id/no-such-thing",
    "/pictures/stance-matrix",
    "/pictures/timeline",
    "/builder",
]
OTHER = [
    ("/sparql?query=ASK%20%7B%7D", 200),
    ("/sparql?query=ASK%20%7B", 400),
    ("/sparql?update=DROP%20ALL", 403),
    ("/health", 200),
    ("/metrics", 200),
    ("/static/site.css", 200),
    ("/static/ui/query.js", 200),
    ("/static/ui/builder.js", 200),
    ("/openapi.json", 200),
    ("/ontology.ttl", 200),
    ("/no/such/path", 404),
]
_SCRIPT = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
_DATA_BLOCK = re.compile(r'\btype="application/(?:ld\+)?json"')


@pytest.mark.parametrize("path", HTML_PAGES)
def test_html_pages_carry_a_policy_they_keep(graph_client: FlaskClient, path: str) -> None:
    response = graph_client.get(path, headers={"Accept": "text/html"})
    assert response.mimetype == "text/html"
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    html = response.get_data(as_text=True)
    # every script is a file from this origin or a data block: none needs 'unsafe-inline'
    for attributes in _SCRIPT.findall(html):
        assert 'src="/static/' in attributes or _DATA_BLOCK.search(attributes), attributes
    assert not re.search(r"\son[a-z]+\s*=", html), "an inline event handler"
    assert "javascript:" not in html


@pytest.mark.parametrize(("path", "status"), OTHER)
def test_every_response_is_nosniff(graph_client: FlaskClient, path: str, status: int) -> None:
    with graph_client.get(path) as response:  # static files are streamed from an open file
        assert response.status_code == status
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "Content-Security-Policy" not in response.headers


def test_the_policy_allows_only_this_origin() -> None:
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
