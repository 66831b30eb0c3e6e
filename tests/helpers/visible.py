"""The English a Chinese page shows: its visible text, less what is exempt, and why.

What counts as visible: text nodes outside <script>, <style>, <code> and <pre> (Turtle), and
the attributes a visitor reads (title, placeholder, aria-label, alt). What is exempt:
- <blockquote> and <q>: a source's sentence quoted verbatim, English titles in it included (the
  Foreign Ministry's summary writes "(Draft Comprehensive Study on Cybercrime)");
- text inside an element whose `lang` is not Chinese: a value the data holds only in that
  language (a state's Arabic name, an English abbreviation), shown tagged as the source has it;
- IRIs and web addresses; prefixed names (dcterms:identifier) and file suffixes (.ttl): codes;
- tokens with a digit, a slash or a dot inside (UNODC/CCPCJ/EG.4/2018/1, 1(b), CRP.n): symbols;
- all-capital words (UNODC, BRICS, ISO, OWL, DL): acronyms, proper names in every language;
- a text that is a language code and nothing else (ar, zh-Hans), and one-letter words (the
  "(b)" of agenda item 1(b)): codes and list markers;
- FORMAT_NAMES: names of formats, standards and programs, which Chinese writes in Latin letters
  too, and "No" of treaty series numbers ("ETS No. 185");
- capitalised words inside the data's own Chinese text (an element marked lang="zh") and the
  tab's title (a resource's name): names of people, websites and organisations that Chinese
  writes in Latin letters (Erik Planken(荷兰)). The page's chrome (no lang of its own) gets no
  such leave: every word of it is checked;
- what the visitor typed (a search's words), which the page shows back.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from xml.etree import ElementTree

from helpers.pages import tree

FORMAT_NAMES = {
    "SPARQL", "Turtle", "JSON", "JSON-LD", "N-Triples", "N-Quads", "RDF", "RDF/XML", "TriG", "SVG",
    "CSV", "TSV", "XML", "OpenAPI", "BibTeX", "CSL-JSON", "GeoNames", "IRI", "URL", "HTML",
    "Unicode", "No", "pyLODE",
}  # fmt: skip
SKIPPED = {"script", "style", "code", "pre", "blockquote", "q"}
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]+)*$")
READ_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
WORD = re.compile(r"[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f0-9'\u2019./:_-]*")
IRI = re.compile(r"(?:https?://|/|urn:)\S+")


def visible(
    element: ElementTree.Element, chinese: bool = True, data: bool = False
) -> Iterator[tuple[str, bool]]:
    """(text, whether it is the data's own Chinese text) for every text a visitor of a Chinese
    page reads in Chinese (see the module docstring)."""
    lang = element.get("lang")
    if lang is not None and element.tag != "html":
        chinese, data = lang.startswith("zh"), True
    tag = element.tag.split("}")[-1] if isinstance(element.tag, str) else ""
    data = data or tag == "title"  # the tab's title is the resource's name
    if tag in SKIPPED:
        return
    if chinese:
        yield from ((element.get(a) or "", data) for a in READ_ATTRIBUTES)
        yield element.text or "", data
    for child in element:
        yield from visible(child, chinese, data)
        if chinese:
            yield child.tail or "", data


def english_words(text: str, data: bool = False) -> list[str]:
    """The Latin words in `text` that no exemption covers."""
    found = []
    if LANGUAGE_CODE.match(text.strip()):
        return found
    for token in IRI.sub(" ", text).split():
        if ":" in token or any(c.isdigit() or c in "/." for c in token.rstrip(".")):
            continue  # a code or a symbol
        for word in WORD.findall(token):
            word = word.strip("./:'\u2019-")
            if len(word) < 2 or word in FORMAT_NAMES or word.isupper():
                continue
            if data and word[0].isupper():
                continue  # a proper name in the data's Chinese text
            found.append(word)
    return found


def leaks(html: str, typed: str = "") -> list[str]:
    """The English words of a Chinese page, less what the visitor typed (a search's words)."""
    root = tree(html)
    own = set(typed.split())
    return sorted(
        {w for text, data in visible(root) for w in english_words(text, data) if w not in own}
    )


def latin_words(html: str) -> set[str]:
    """The English words of a Chinese page (see the module docstring)."""
    return set(leaks(html))
