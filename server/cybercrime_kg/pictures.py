"""Pictures of the graph: the stance matrix and the timeline, as SVG (in a page or alone) and JSON.

The data comes from named queries run through the QueryService, so every rule of the endpoint
(time limit, row cap, cache) applies: show-stance-matrix for the matrix; show-timeline,
list-mandates, list-meetings and list-workplan for the timeline.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, render_template, request
from markupsafe import Markup

from . import charts
from .negotiation import choose
from .pages import HTML, page_lang
from .protocol import query_service
from .queries_api import named_queries
from .results import RESULT_FORMATS, Format

logger = logging.getLogger(__name__)

bp = Blueprint("pictures", __name__, url_prefix="/pictures")

SVG = Format("svg", "image/svg+xml", ("svg",), False)
JSON = Format("json", "application/json", ("json",), False)
OFFERS = (HTML, SVG, JSON)
SUFFIXES = {"html": HTML, "svg": SVG, "json": JSON}
Rows = list[dict[str, str]]


def select(name: str) -> Rows:
    """The rows of a named SELECT query (no parameters) as {variable: value}."""
    service = query_service()
    prepared = service.prepare(named_queries()[name].text)
    fmt = RESULT_FORMATS[0]  # SPARQL JSON
    answer, _ = service.answer(prepared, fmt, service.key(prepared, fmt))
    if answer.truncated:
        logger.warning("named query %s was cut at %d rows", name, service.max_rows)
    data = json.loads(answer.body)
    return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


def local(iri: str) -> str:
    """Where this server answers for an IRI under the base (the base maps to this origin)."""
    base = query_service().base
    if iri.startswith(base):
        return f"{request.script_root}/{iri[len(base) :]}"
    return iri


def _labelled(row: dict[str, str], key: str) -> dict[str, str]:
    iri = row[key]
    return {
        "iri": iri,
        "href": local(iri),
        "label_en": row.get(f"{key}_en", iri),
        "label_zh": row.get(f"{key}_zh", row.get(f"{key}_en", iri)),
    }


def stance_matrix_data() -> dict[str, Any]:
    """Holders (states and groups) x topics; each cell the stances with position and passage."""
    holders: dict[str, dict[str, str]] = {}
    topics: dict[str, dict[str, str]] = {}
    cells: dict[tuple[str, str], list[dict[str, str]]] = {}
    position_zh: dict[str, str] = {}
    for row in select("show-stance-matrix"):
        holders.setdefault(row["holder"], _labelled(row, "holder"))
        topics.setdefault(row["topic"], _labelled(row, "topic"))
        position = row.get("position", "")
        position_zh[position] = row.get("position_zh", position)
        entry = {
            "position": position,
            "position_zh": position_zh[position],
            "stance": row["stance"],
            "passage": row["passage"],
            "passage_href": local(row["passage"]),
        }
        stances = cells.setdefault((row["holder"], row["topic"]), [])
        if entry not in stances:
            stances.append(entry)
    return {
        "holders": list(holders.values()),
        "topics": sorted(topics.values(), key=lambda t: t["label_en"]),
        "positions": [{"label_en": en, "label_zh": position_zh[en]} for en in sorted(position_zh)],
        "cells": [
            {"holder": holder, "topic": topic, "stances": sorted(stances, key=_stance_order)}
            for (holder, topic), stances in cells.items()
        ],
    }


def _stance_order(stance: dict[str, str]) -> tuple[str, str, str]:
    return stance["position"], stance["stance"], stance["passage"]


def _when(row: dict[str, str]) -> dict[str, str | None]:
    return {
        "start": row.get("start") or row.get("date"),
        "end": row.get("end"),
        "year": row.get("year"),
    }


def timeline_data() -> dict[str, Any]:
    """Mandate resolutions, congresses and Commission sessions, meetings, workplan topics, steps."""
    items: list[dict[str, Any]] = []
    seen: set[str] = set()
    for row in select("list-mandates"):
        if row.get("date") and row["instrument"] not in seen:
            seen.add(row["instrument"])
            items.append(
                {**_labelled_as(row, "instrument", "label"), "lane": "mandate", **_when(row)}
            )
    for row in select("list-meetings"):
        status = row.get("status_public_record") or row.get("status", "")
        items.append(
            {
                **_labelled_as(row, "meeting", "label"),
                "lane": "meeting",
                **_when(row),
                "ordinal": int(row["ordinal"]),
                "status": status,
                "status_documents": row.get("status", ""),
                "venue": row.get("venue"),
            }
        )
    meetings = {item["iri"]: item for item in items if item["lane"] == "meeting"}
    for row in select("list-workplan"):
        meeting = meetings[row["meeting"]]
        topic = _labelled(row, "topic") if row.get("topic") else None
        items.append(
            {
                **(topic or {"iri": row["meeting"], "href": local(row["meeting"])}),
                "label_en": f"Workplan topic: {topic['label_en']}" if topic else row["task_en"],
                "label_zh": f"工作计划议题:{topic['label_zh']}" if topic else row["task_en"],
                "lane": "workplan",
                "start": meeting["start"],
                "end": None,
                "year": row["year"],
                "meeting": row["meeting"],
            }
        )
    by_event: dict[str, dict[str, Any]] = {}
    for row in select("show-timeline"):
        lane = LANE_OF_KIND.get(row.get("kind", ""))
        if lane is None or (row["event"] in by_event and not row.get("start")):
            continue
        by_event[row["event"]] = {**_labelled_as(row, "event", "label"), "lane": lane, **_when(row)}
    items.extend(by_event.values())
    items.sort(key=charts.sort_key)
    return {
        "lanes": [{"id": i, "label_en": en, "label_zh": zh} for i, en, zh in LANES],
        "items": items,
    }


def _labelled_as(row: dict[str, str], key: str, label: str) -> dict[str, str]:
    return _labelled(
        {
            key: row[key],
            f"{key}_en": row.get(f"{label}_en", row[key]),
            f"{key}_zh": row.get(f"{label}_zh", row.get(f"{label}_en", row[key])),
        },
        key,
    )


LANES = (
    ("mandate", "Mandate", "授权"),
    ("congress", "Congresses and Commission", "大会和委员会"),
    ("meeting", "Expert Group meetings", "专家组会议"),
    ("workplan", "Workplan topics", "工作计划议题"),
    ("step", "Decisions and steps", "决定和步骤"),
)
# show-timeline's kinds (class labels) by lane; its meetings come from list-meetings instead
LANE_OF_KIND = {
    "UN crime congress": "congress",
    "Commission session": "congress",
    "Decision": "step",
    "Process step": "step",
}


def _picture(
    name: str,
    suffix: str | None,
    data: Callable[[], dict[str, Any]],
    draw: Callable[[dict[str, Any], str], str],
    heading: dict[str, str],
) -> Response:
    if suffix is None:
        fmt = choose(OFFERS, request.headers.get("Accept"), request.args.getlist("format"))
        headers = {
            "Content-Location": f"{request.script_root}/pictures/{name}.{fmt.name}",
            "Vary": "Accept, Accept-Language",
        }
    elif suffix in SUFFIXES:
        fmt, headers = SUFFIXES[suffix], {"Vary": "Accept-Language"}
    else:
        return Response(
            f"no picture /pictures/{name}.{suffix}\n",
            status=404,
            content_type="text/plain; charset=utf-8",
        )
    values = data()
    if fmt is JSON:
        body = json.dumps(values, ensure_ascii=False, indent=1)
        return Response(body, content_type="application/json", headers=headers)
    lang = page_lang()
    svg = draw(values, lang)
    if fmt is SVG:
        return Response(svg, content_type="image/svg+xml; charset=utf-8", headers=headers)
    page = render_template(
        "pictures/picture.html",
        svg=Markup(svg),  # built by charts.py, every text escaped
        name=name,
        endpoint=name.replace("-", "_"),
        heading=heading.get(lang, heading["en"]),
        lang=lang,
    )
    return Response(page, content_type=HTML.content_type, headers=headers)


@bp.get("/stance-matrix")
@bp.get("/stance-matrix.<suffix>")
def stance_matrix(suffix: str | None = None) -> Response:
    """Who took which position on which topic, each cell linking to its source passages."""
    heading = {
        "en": "Stance matrix: states and groups by topic",
        "zh": "立场矩阵:国家和国家集团与议题",
    }
    return _picture("stance-matrix", suffix, stance_matrix_data, charts.stance_matrix, heading)


@bp.get("/timeline")
@bp.get("/timeline.<suffix>")
def timeline(suffix: str | None = None) -> Response:
    """The process from the mandate to the stocktaking meeting and after."""
    heading = {"en": "Timeline of the Expert Group process", "zh": "专家组进程时间线"}
    return _picture("timeline", suffix, timeline_data, charts.timeline, heading)
