"""The Latin words a Chinese page shows: its visible text, minus what is not prose to translate."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Words a Chinese page may show in Latin letters, each a name or code with no Chinese form:
ALLOWED = {
    "IRI",  # the standard's name, written so in Chinese specifications (国际化资源标识符 is rare)
    "OWL",  # names of W3C standards ("OWL 2 DL") ...
    "DL",
    "RDF",
    "SKOS",
    "PROV",
    "ISO",  # the standards body, as in "ISO 3166-1"
    "SPARQL",  # the site footer's links: a query language's and an interface's names
    "API",
    "pyLODE",  # a program's name (the link to its rendering)
    "CHN",  # an ISO 3166-1 code quoted as an example in a definition
    "ETS",  # a treaty number quoted as written ("ETS No. 185") in a definition
    "No.",
    "CRP.n",  # the pattern of conference room papers' symbols, quoted in a definition
}
_SKIPPED = {"code", "script", "style", "title", "pre", "svg"}
_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "wbr",
}
# a run of Latin letters (with the marks codes use); one with a digit, a colon or a slash is a
# code, a symbol, a CURIE or an IRI, and a lone letter is a sub-item's letter, as in "1(c)"
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_.:/\-]*")
_CODE = re.compile(r"[0-9:/]")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.skipping: list[bool] = []
        self.words: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        lang = dict(attrs).get("lang")
        other = lang is not None and not lang.startswith("zh")
        inherited = self.skipping[-1] if self.skipping else False
        self.skipping.append(inherited or other or tag in _SKIPPED)

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID and self.skipping:
            self.skipping.pop()

    def handle_data(self, data: str) -> None:
        if not (self.skipping and self.skipping[-1]):
            self.words += _WORD.findall(data)


def latin_words(html: str) -> set[str]:
    """Latin words in the text of `html` outside <code>, IRIs, codes and elements whose `lang` is
    not Chinese, and not in ALLOWED."""
    parser = _Text()
    parser.feed(html)
    return {
        word
        for word in parser.words
        if len(word) > 1 and not _CODE.search(word) and word not in ALLOWED
    }
