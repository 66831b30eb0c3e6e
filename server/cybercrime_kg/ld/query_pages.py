"""The named queries' pages: the listing, and one query's form with its answer as a table.

`web/queries_api.py` routes `/queries` and `/queries/<name>` and decides when a page is wanted;
this module makes the pages, because they show every IRI by its label in the page's language,
linked to this server (`pages.Labeller`), and only this layer knows the labels.

A parameter whose header declares the class of its values (`#+ param_<name>_class:`) gets a
`<select>` of the values the data has: the instances of that class (or of its subclasses), by
label, sorted as the page's readers sort (`i18n.sort_key`); for `xsd:language`, the language
tags of the graph's labels, named in the page's language (Babel).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from babel import Locale, UnknownLocaleError
from flask import Flask, render_template, request, url_for

from cybercrime_kg.formats import RESULT_FORMATS
from cybercrime_kg.ld.labels import label_index
from cybercrime_kg.ld.locators import locator_zh
from cybercrime_kg.ld.pages import Labeller, Term
from cybercrime_kg.sparql.named_queries import IRI, LANGUAGE_TAG, NamedQuery, Parameter
from cybercrime_kg.sparql.results import formats_for
from cybercrime_kg.sparql.service import MemoKey, QueryService
from cybercrime_kg.web.http import named_queries, query_service
from cybercrime_kg.web.i18n import sort_key, text
from cybercrime_kg.web.queries_api import register_pages

logger = logging.getLogger(__name__)

# class IRI -> the values the data offers for it; the classes are those the .rq headers declare
CHOICES: MemoKey[dict[str, tuple[str, ...]]] = MemoKey("named-query choices")
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_LANGUAGE_TAGS = f"""
SELECT DISTINCT (LANG(?label) AS ?value)
WHERE {{ ?resource <{_RDFS}label> ?label FILTER (LANG(?label) != "") }}"""
_BABEL_LOCALE = {"en": "en", "zh": "zh_Hans"}
TABLE_FORMS = frozenset({"SELECT", "ASK"})  # a graph's answer is offered as its formats only
LOCATOR_COLUMN = "locator"  # the named queries give ieg:locator values under this name
UNDETERMINED = "und"  # BCP 47: the language of the text is not known
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass(frozen=True)
class Choice:
    """One value a form offers: what is sent, and what the reader sees."""

    value: str
    text: str
    lang: str


@dataclass(frozen=True)
class Field:
    """A parameter as the form shows it."""

    name: str
    label: Term
    hint: str
    value: str
    choices: tuple[Choice, ...]
    example: str


@dataclass(frozen=True)
class Entry:
    """A named query as its pages show it."""

    name: str
    summary: str
    text: str
    url: str
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class Table:
    """A SELECT answer (columns and cells) or an ASK answer (`boolean`), and whether it was cut."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Term | None, ...], ...]
    boolean: bool | None
    truncated: bool


def _run(service: QueryService, text: str) -> dict[str, Any]:
    """The SPARQL JSON answer of a query, through the service's limits and cache."""
    prepared = service.prepare(text)
    fmt = RESULT_FORMATS[0]  # SPARQL JSON
    answer, _ = service.answer(prepared, fmt, service.key(prepared, fmt))
    data: dict[str, Any] = json.loads(answer.body)
    data["truncated"] = answer.truncated
    return data


def _values_of(service: QueryService, value_class: str) -> tuple[str, ...]:
    if value_class == LANGUAGE_TAG:
        data = _run(service, _LANGUAGE_TAGS)
    else:
        instances = f"""
SELECT DISTINCT ?value
WHERE {{ ?value a/<{_RDFS}subClassOf>* <{value_class}> FILTER (isIRI(?value)) }}"""
        data = _run(service, instances)
    if data["truncated"]:
        logger.warning("the values of %s were cut at %d rows", value_class, service.max_rows)
    return tuple(sorted({b["value"]["value"] for b in data["results"]["bindings"]}))


def choice_values(service: QueryService) -> dict[str, tuple[str, ...]]:
    """The values the data offers for every class a named query's parameter declares."""
    classes = sorted(
        {p.value_class for q in named_queries().values() for p in q.parameters if p.value_class}
    )
    return service.memos.get(CHOICES, lambda: {c: _values_of(service, c) for c in classes})


def language_name(tag: str, lang: str) -> str:
    """A language tag's name in `lang` (Babel's CLDR names); the tag itself if unknown."""
    try:
        name = Locale.parse(tag, sep="-").get_display_name(_BABEL_LOCALE.get(lang, "en"))
    except (ValueError, UnknownLocaleError):
        return tag
    return name or tag


class QueryPages:
    """The pages of the named queries, for `web.queries_api.register_pages`."""

    def _choices(self, param: Parameter, words: Labeller) -> tuple[Choice, ...]:
        if not param.value_class:
            return ()
        values = choice_values(query_service()).get(param.value_class, ())
        if param.value_class == LANGUAGE_TAG:
            named = [Choice(v, language_name(v, words.lang), words.lang) for v in values]
        else:
            named = []
            for value in values:
                term = words.iri(value)
                named.append(Choice(value, term.text, term.lang))
        return tuple(sorted(named, key=lambda c: (sort_key(c.text, words.lang), c.value)))

    def _field(self, param: Parameter, value: str, words: Labeller) -> Field:
        if param.value_class == LANGUAGE_TAG:
            label = Term(text("queries.language", words.lang), words.lang)
        elif param.value_class:
            label = words.iri(param.value_class)
        else:
            key = "queries.value_iri" if param.kind == IRI else "queries.value_text"
            label = Term(text(key, words.lang), words.lang)
        # the header's description is English: a Chinese page shows the label alone
        hint = param.description if words.lang == "en" else ""
        return Field(
            param.name,
            label,
            hint,
            value,
            self._choices(param, words),
            param.example or "",
        )

    def _entry(self, query: NamedQuery, values: Mapping[str, str], words: Labeller) -> Entry:
        summary = query.summary_zh if words.lang == "zh" and query.summary_zh else query.summary
        return Entry(
            query.name,
            summary,
            query.text,
            url_for("queries.run_query", name=query.name),
            tuple(self._field(p, values.get(p.name, ""), words) for p in query.parameters),
        )

    def listing(self, queries: Sequence[NamedQuery], lang: str) -> str:
        words = Labeller(label_index(query_service()), lang)
        return render_template(
            "queries/list.html",
            lang=lang,
            queries=[self._entry(q, {}, words) for q in queries],
            openapi=url_for("openapi.document"),
            json_listing=url_for("queries.list_queries", format="json"),
        )

    def results(
        self, query: NamedQuery, values: Mapping[str, str], complete: bool, lang: str
    ) -> str:
        service = query_service()
        words = Labeller(label_index(service), lang)
        table = ui_link = None
        downloads: list[tuple[str, str]] = []
        if complete:
            bound = query.bind(values)
            if query.form in TABLE_FORMS:
                table = _table(_run(service, bound), words)
            ui_args = {"query": bound, "run": "1", **({"lang": lang} if lang != "en" else {})}
            ui_link = url_for("ui.query_page") + "?" + urlencode(ui_args)
            for fmt in formats_for(query.form):
                args = urlencode({**values, "format": fmt.name})
                downloads.append((fmt.name.upper(), f"{request.path}?{args}"))
        return render_template(
            "queries/results.html",
            lang=lang,
            entry=self._entry(query, values, words),
            complete=complete,
            table=table,
            ui_link=ui_link,
            downloads=downloads,
            listing=url_for("queries.list_queries"),
            max_rows=service.max_rows,
        )


def _cell(column: str, binding: Mapping[str, str] | None, words: Labeller) -> Term | None:
    if binding is None:
        return None
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return words.iri(value)  # a Chinese reader's link keeps ?lang=zh (Labeller.local)
    if kind == "bnode":
        return Term(f"_:{value}")
    if column == LOCATOR_COLUMN and words.lang == "zh" and "datatype" not in binding:
        # the data keeps a passage's locator in English; a Chinese page reads it translated,
        # as the resource pages show it (an unknown form stays English, tagged so)
        translated = locator_zh(value)
        return Term(translated, "zh") if translated else Term(value, "en")
    if binding.get("datatype") == XSD_BOOLEAN:
        return Term(text("queries.yes" if value in ("true", "1") else "queries.no", words.lang))
    if "xml:lang" in binding:
        return Term(value, binding["xml:lang"])
    # a string with no language tag (a symbol, a word the query itself writes): its language
    # is not known, and the page says so rather than pass it off as the page's own
    return Term(value, UNDETERMINED if binding.get("datatype", XSD_STRING) == XSD_STRING else "")


def _table(data: Mapping[str, Any], words: Labeller) -> Table:
    if "boolean" in data:
        return Table((), (), bool(data["boolean"]), False)
    columns = tuple(data["head"]["vars"])
    rows = tuple(
        tuple(_cell(c, b.get(c), words) for c in columns) for b in data["results"]["bindings"]
    )
    return Table(columns, rows, None, bool(data["truncated"]))


def init_app(app: Flask) -> None:
    """Make the named queries' pages."""
    register_pages(app, QueryPages())
