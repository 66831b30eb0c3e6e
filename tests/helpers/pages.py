"""Read the linked-data pages the way a test needs them: title, language, links, blocks of text."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from xml.etree import ElementTree

import html5lib

BASE = "https://w3id.org/cybercrime-kg/"
ID = BASE + "id/"
RDF_MEDIA = {
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "json-ld": "application/ld+json",
    "xml": "application/rdf+xml",
}  # rdflib parser name -> media type
SUFFIX = {"turtle": "ttl", "nt": "nt", "json-ld": "jsonld", "xml": "rdf"}


@dataclass
class Page(HTMLParser):
    """The parts of an HTML page the tests look at."""

    lang: str = ""
    title: str = ""
    anchors: list[tuple[str, str]] = field(default_factory=list)  # (href, text)
    urls: list[str] = field(default_factory=list)  # every href and src
    alternates: list[tuple[str, str]] = field(default_factory=list)  # (type, href)
    texts: dict[str, list[str]] = field(default_factory=dict)  # tag -> texts (h1, blockquote ...)
    # the site's chrome (base.html's header and footer, the same on every page) is kept apart:
    # anchors and texts above are the page's own
    chrome_anchors: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__()
        self._open: list[tuple[str, list[str]]] = []
        self._chrome: str | None = None  # the chrome element we are inside

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag in ("header", "footer") and found.get("class") == "site" and not self._chrome:
            self._chrome = tag
        if tag == "html":
            self.lang = found.get("lang", "")
        for key in ("href", "src"):
            if key in found:
                self.urls.append(found[key])
        if tag == "link" and found.get("rel") == "alternate":
            self.alternates.append((found["type"], found["href"]))
        if tag in ("title", "h1", "a", "blockquote", "figcaption", "th", "li", "p"):
            self._open.append((tag, [found.get("href", "")]))

    def handle_endtag(self, tag: str) -> None:
        if tag == self._chrome:
            self._chrome = None
        for i in range(len(self._open) - 1, -1, -1):
            name, parts = self._open[i]
            if name == tag:
                del self._open[i]
                text = " ".join("".join(parts[1:]).split())
                if self._chrome:
                    if tag == "a":
                        self.chrome_anchors.append((parts[0], text))
                    return
                if tag == "a":
                    self.anchors.append((parts[0], text))
                elif tag == "title":
                    self.title = text
                self.texts.setdefault(tag, []).append(text)
                return

    def handle_data(self, data: str) -> None:
        for _, parts in self._open:
            parts.append(data)


def page(html: str) -> Page:
    parsed = Page()
    parsed.feed(html)
    parsed.close()
    return parsed


def tree(html: str) -> ElementTree.Element:
    """The page as an element tree (html5lib, as a browser parses it), for tests that need its
    structure: which sentence sits beside which argument, under which heading."""
    return html5lib.parse(html, namespaceHTMLElements=False)


def text_of(element: ElementTree.Element) -> str:
    """The element's visible text, whitespace collapsed."""
    return " ".join("".join(element.itertext()).split())
