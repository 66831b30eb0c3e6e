"""How to cite a resource: plain text in the page's language, BibTeX and CSL-JSON.

A citation names the resource (its label), the dataset (the site's name), the publisher (the
ontology's `dcterms:creator`), the release's date (`dcterms:issued`), the permanent IRI, and
the version of the data: the release (`owl:versionInfo`, which a test holds equal to the
package's version, so it resolves to `owl:versionIRI`) and the content hash the service
serves (`QueryService.version`, which changes whenever any data file does), so a reader can
tell exactly which data was cited. No access date: with the data version pinned it adds
nothing, and it would make the page change every day.

Both machine formats are served from the resource's own URL, `?cite=bibtex` and `?cite=csl`,
rather than as suffixes or by Accept: a citation is not a description of the resource (the
formats negotiated at /id/ all carry its triples), and a parameter keeps the IRI the reader
cites the one in the address bar.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape
from rdflib import Literal

from cybercrime_kg.formats import Format
from cybercrime_kg.sparql.engines.base import Job
from cybercrime_kg.sparql.service import MemoKey, QueryService
from cybercrime_kg.web.i18n import text, when

BIBTEX = Format("bibtex", "application/x-bibtex", ("bibtex", "bib"), False)
CSL_JSON = Format("csl", "application/vnd.citationstyles.csl+json", ("csl", "csl-json"), False)
CITATION_FORMATS = {fmt.name: fmt for fmt in (BIBTEX, CSL_JSON)}


@dataclass(frozen=True)
class Release:
    """What the ontology says about the release being served."""

    version: str
    issued: str  # ISO date, '' when the ontology gives none
    publisher: str


_RELEASE = """
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT ?version ?issued ?creator WHERE {{
  <{ontology}> owl:versionInfo ?version .
  OPTIONAL {{ <{ontology}> dcterms:issued ?issued }}
  OPTIONAL {{ <{ontology}> dcterms:creator ?creator }}
}} ORDER BY ?version ?issued ?creator LIMIT 1"""
RELEASE: MemoKey[Release] = MemoKey("release")


def release(service: QueryService) -> Release:
    """The served release, read once from the ontology."""

    def build() -> Release:
        query = _RELEASE.format(ontology=f"{service.base}ontology")
        job = Job(query, service.base, max_rows=1, columns=("version", "issued", "creator"))
        rows = service.engine.execute(job).rows
        if not rows:
            return Release("", "", "")
        version, issued, creator = (str(v) if isinstance(v, Literal) else "" for v in rows[0])
        return Release(version, issued, creator)

    return service.memos.get(RELEASE, build)


@dataclass(frozen=True)
class Citation:
    """One resource's citation, ready for a page and for download."""

    key: str  # the BibTeX key and CSL id
    title: str
    lang: str  # the title's language
    dataset: str
    publisher: str
    issued: str  # ISO date
    iri: str
    version: str  # the release
    data_version: str  # the content hash

    @property
    def version_text(self) -> str:
        return f"{self.version} (data {self.data_version})" if self.version else self.data_version

    def plain(self, lang: str) -> str:
        """The citation as a reader copies it, in the page's language."""
        return text("cite.plain", lang, **self._fields(lang, lambda value, _: value, str))

    def html(self, lang: str) -> Markup:
        """The same text for a page, the title and the publisher marked as the data's, each in
        its own language (the publisher is a name the data holds in English only)."""

        def tagged(value: str, tag: str) -> str:
            escaped = str(escape(value))
            return f'<span lang="{tag}">{escaped}</span>' if tag else escaped

        fields = self._fields(lang, tagged, lambda value: str(escape(value)))
        return Markup(text("cite.plain", lang, **fields))

    def _fields(
        self, lang: str, tagged: Callable[[str, str], str], plain: Callable[[str], str]
    ) -> dict[str, str]:
        return {
            "title": tagged(self.title, self.lang),
            "dataset": plain(self.dataset),
            "version": plain(self.version),
            "data": plain(self.data_version),
            "publisher": tagged(self.publisher, "en"),
            "date": plain(when(self.issued, lang) if self.issued else ""),
            "iri": plain(self.iri),
        }

    def bibtex(self) -> str:
        """A biblatex `@dataset` entry (BibTeX styles read it as @misc)."""
        fields = [
            ("author", "{" + _tex(self.publisher) + "}"),  # a body: braces keep it one name
            ("title", "{" + _tex(self.title) + "}"),
            ("organization", _tex(self.dataset)),
            ("publisher", _tex(self.publisher)),
            ("date", self.issued),
            ("year", self.issued[:4]),
            ("version", _tex(self.version_text)),
            ("url", self.iri),
        ]
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
        return f"@dataset{{{self.key},\n{body}\n}}\n"

    def csl(self) -> str:
        """A CSL-JSON array holding the one item (the form citation managers import)."""
        item: dict[str, object] = {
            "id": self.key,
            "type": "dataset",
            "title": self.title,
            "container-title": self.dataset,
            "author": [{"literal": self.publisher}],
            "publisher": self.publisher,
            "version": self.version_text,
            "URL": self.iri,
            "language": self.lang or "en",
        }
        if self.issued:
            item["issued"] = {"date-parts": [[int(p) for p in self.issued.split("-")]]}
        return json.dumps([item], ensure_ascii=False, indent=2) + "\n"


# characters LaTeX reads as commands, written so they print as themselves
_TEX = {c: "\\" + c for c in "&%$#_{}"} | {"~": "\\textasciitilde{}", "^": "\\^{}"}
_TEX["\\"] = "\\textbackslash{}"


def _tex(value: str) -> str:
    return "".join(_TEX.get(c, c) for c in value)


def citation_key(iri: str, base: str) -> str:
    """A key BibTeX and CSL accept: the path under the base, letters, digits and - only."""
    path = iri[len(base) :] if iri.startswith(base) else iri
    path = path.removeprefix("id/")
    return "cybercrime-kg-" + re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-")


def cite(service: QueryService, iri: str, title: str, title_lang: str, lang: str) -> Citation:
    """The citation of `iri`, whose label in the page's language is `title`."""
    served = release(service)
    issued = served.issued
    try:
        date.fromisoformat(issued)
    except ValueError:
        issued = ""
    return Citation(
        key=citation_key(iri, service.base),
        title=title,
        lang=title_lang,
        dataset=text("site.name", lang),
        publisher=served.publisher,
        issued=issued,
        iri=iri,
        version=served.version,
        data_version=service.version,
    )
