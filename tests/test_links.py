"""Every local link (href, src) on the linked-data pages resolves on this server.

Starting from a meeting, a stance, a state, a topic, a passage and a search, each link found
is followed once; every one must answer 200 (the generic URLs answer 200 with Content-Location,
never a redirect). Failures are collected so one run lists them all.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from helpers.pages import page

START = (
    "/id/meeting/4",
    "/id/stance/eg4-rebut-gold-standard?lang=zh",
    "/id/state/CHN",
    "/id/topic/budapest-convention",
    "/id/passage/ag-1a",
    "/search?q=budapest",
)


def local_links(html: str) -> set[str]:
    """Links to this server, without their fragment."""
    links = set()
    for url in page(html).urls:
        parts = urlsplit(url)
        if not parts.scheme and not parts.netloc and parts.path.startswith("/"):
            links.add(parts.path + (f"?{parts.query}" if parts.query else ""))
    return links


def test_every_local_link_resolves(graph_client):
    links: set[str] = set()
    for start in START:
        response = graph_client.get(start, headers={"Accept": "text/html"})
        assert response.status_code == 200, start
        links |= local_links(response.get_data(as_text=True))
    assert len(links) > 150
    failures = []
    for link in sorted(links):
        response = graph_client.get(link, headers={"Accept": "text/html"})
        if response.status_code != 200:
            failures.append((link, response.status_code))
        response.close()  # static files are streamed from an open file
    assert failures == []


def test_links_cover_every_kind_of_target(graph_client):
    links: set[str] = set()
    for start in START:
        links |= local_links(graph_client.get(start).get_data(as_text=True))
    kinds = {link.split("?")[0].split("/")[1] for link in links}
    # the site's sections (its header and footer) and the resources' own links
    assert kinds == {
        "",
        "id",
        "ontology",
        "static",
        "queries",
        "pictures",
        "search",
        "openapi.json",
        "builder",
    }
