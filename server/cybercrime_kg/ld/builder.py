"""The visual query builder at /builder: choose classes and properties, see the SPARQL, run it.

The choices come from the shapes and the ontology as this server serves them (`choices`), named
in the page's language by the label index; the page's script (static/ui/builder.js) writes the
SPARQL, runs it on this server's /sparql, names every IRI in the answer with one label query,
and links the query to the editor at `/?query=`.

Why not Sparnatural (npm `sparnatural` 11.1.1), the SHACL-configured builder the issue names:
its own words (Find, where, Select a value..., Any, Optional...) exist in English and French
only, chosen by `language === "fr"` inside the bundle with no way to add a language from
outside: loaded under this site's Content-Security-Policy (which it keeps) with lang="zh", it
greets the reader with "Search for resources" and "Tout". It also brings 2 MB of script
(jQuery, Leaflet, select2, Bootstrap) for what builder.js does in ~430 lines.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, render_template, request, url_for
from rdflib import Graph

from cybercrime_kg.ld.choices import BuilderChoices, builder_choices
from cybercrime_kg.ld.describe import constructed_graph
from cybercrime_kg.ld.labels import LabelIndex, label_index, short_form
from cybercrime_kg.ld.ontology_docs import CONSTRUCT, ontology_graph
from cybercrime_kg.namespaces import PREFIXES
from cybercrime_kg.sparql.service import MemoKey, QueryService
from cybercrime_kg.web.http import query_service
from cybercrime_kg.web.i18n import MESSAGES, page_lang, sort_key, text

logger = logging.getLogger(__name__)

bp = Blueprint("builder", __name__)

CHOICES: MemoKey[BuilderChoices] = MemoKey("builder-choices")
# the strings builder.js shows: every builder.* message, in the page's language
SCRIPT_MESSAGES = tuple(key for key in MESSAGES if key.startswith("builder."))


def shapes_graph(service: QueryService) -> Graph:
    """The shapes graph as this server serves it (the base may be rebased)."""
    return constructed_graph(service, CONSTRUCT % (service.base + "graph/shapes"))


def service_choices(service: QueryService) -> BuilderChoices:
    """The builder's choices for this service, read once."""
    return service.memos.get(
        CHOICES, lambda: builder_choices(shapes_graph(service), ontology_graph(service))
    )


def named(index: LabelIndex, iri: str, lang: str) -> dict[str, Any]:
    return {"iri": iri, "label": index.label(iri, lang)[0], "curie": short_form(iri)}


def builder_config(choices: BuilderChoices, index: LabelIndex, lang: str) -> dict[str, Any]:
    """Classes and properties with their names in `lang`, each list in the reader's order."""

    def by_label(iris: Any) -> list[str]:
        return sorted(iris, key=lambda iri: sort_key(index.label(iri, lang)[0], lang))

    classes: dict[str, Any] = {}
    for cls in choices.classes():
        entry = named(index, cls, lang)
        entry["subclasses"] = by_label(choices.subclasses[cls])
        entry["superclasses"] = choices.superclasses[cls]
        own = choices.own.get(cls, {})
        # each class lists only its own shapes' properties; the page adds those from above
        entry["properties"] = [
            {
                **named(index, iri, lang),
                "ranges": sorted(own[iri].ranges),
                "literal": own[iri].literal,
            }
            for iri in sorted(own)
        ]
        classes[cls] = entry
    return {"start": by_label(choices.start), "classes": classes}


@bp.get("/builder")
def builder_page() -> str:
    """The builder, configured from the shapes, for this server's /sparql."""
    service = query_service()
    lang = page_lang()
    config = builder_config(service_choices(service), label_index(service), lang)
    config.update(
        {
            "lang": lang,
            "endpoint": url_for("sparql.sparql"),
            "editor": url_for("ui.query_page"),
            "root": request.script_root,
            "base": service.base,
            "prefixes": PREFIXES,
            "messages": {key: text(key, lang) for key in SCRIPT_MESSAGES},
        }
    )
    return render_template("builder/builder.html", config=config)
