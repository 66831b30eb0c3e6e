"""Pictures of the graph: the stance matrix and the timeline, as SVG (in a page or alone) and JSON.

The data comes from named queries run through the QueryService, so every rule of the endpoint
(time limit, row cap, cache) applies: show-stance-matrix for the matrix; show-timeline,
list-mandates, list-meetings and list-workplan for the timeline.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from flask import Blueprint, Response, render_template, request
from markupsafe import Markup

from cybercrime_kg.formats import HTML, JSON, RESULT_FORMATS, SVG
from cybercrime_kg.ld import charts
from cybercrime_kg.ld.labels import label_index
from cybercrime_kg.web.http import named_queries, query_service
from cybercrime_kg.web.i18n import page_lang, text
from cybercrime_kg.web.negotiation import negotiate

logger = logging.getLogger(__name__)

bp = Blueprint("pictures", __name__, url_prefix="/pictures")

OFFERS = (HTML, SVG, JSON)
SUFFIXES = {fmt.name: fmt for fmt in OFFERS}
SUFFIX_OF = {fmt.name: fmt.name for fmt in OFFERS}
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
    """Holders (states and groups) x topics; each cell the stances, one entry per stance with
    its position, its page and its source sentences in source order."""
    holders: dict[str, dict[str, str]] = {}
    topics: dict[str, dict[str, str]] = {}
    cells: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
    position_zh: dict[str, str] = {}
    for row in select("show-stance-matrix"):
        holders.setdefault(row["holder"], _labelled(row, "holder"))
        topics.setdefault(row["topic"], _labelled(row, "topic"))
        position = row.get("position", "")
        position_zh[position] = row.get("position_zh", position)
        stances = cells.setdefault((row["holder"], row["topic"]), {})
        entry = stances.setdefault(
            row["stance"],
            {
                "position": position,
                "position_zh": position_zh[position],
                "stance": row["stance"],
                "href": local(row["stance"]),
                "passages": [],
            },
        )
        passage = (int(row.get("order") or 0), row["passage"], row.get("verbatim", ""))
        if passage not in entry["passages"]:
            entry["passages"].append(passage)
    for stances in cells.values():
        for entry in stances.values():
            entry["sentences"] = [v for _, _, v in sorted(entry.pop("passages")) if v]
    return {
        "holders": list(holders.values()),
        "topics": sorted(topics.values(), key=lambda t: t["label_en"]),
        "positions": [{"label_en": en, "label_zh": position_zh[en]} for en in sorted(position_zh)],
        "cells": [
            {
                "holder": holder,
                "topic": topic,
                "stances": sorted(stances.values(), key=lambda s: (s["position"], s["stance"])),
            }
            for (holder, topic), stances in cells.items()
        ],
    }


@dataclass
class TimelineItem:
    """One mark of the timeline: what it is, where it links, its lane and its dates.

    The lane-specific fields (a meeting's ordinal, status and venue; the meeting a workplan
    topic belongs to) are left out of the JSON when they do not apply.
    """

    iri: str
    href: str
    label_en: str
    label_zh: str
    lane: str
    start: str | None = None
    end: str | None = None
    year: str | None = None
    ordinal: int | None = None
    status: str | None = None
    status_zh: str | None = None
    status_documents: str | None = None
    venue: str | None = None
    venue_zh: str | None = None
    meeting: str | None = None

    def as_json(self) -> dict[str, Any]:
        values = asdict(self)
        for key in _LANE_FIELDS:
            if values[key] is None:
                del values[key]
        return values

    def sort_key(self) -> tuple[str, int, str]:
        """Chronological; a year-only item sorts at the start of its year, then by lane order."""
        when = self.start or f"{self.year or '9999'}-00-00"
        return when, LANE_IDS.index(self.lane), self.label_en


_LANE_FIELDS = (
    "ordinal",
    "status",
    "status_zh",
    "status_documents",
    "venue",
    "venue_zh",
    "meeting",
)


def _item(row: dict[str, str], key: str, lane: str, **extra: Any) -> TimelineItem:
    """The item for `row[key]`, named by the row's label_en/label_zh, dated by its dates."""
    iri = row[key]
    names = label_index(query_service()).names.get(iri, {})
    english = row.get("label_en") or names.get("en", iri)
    return TimelineItem(
        iri=iri,
        href=local(iri),
        label_en=english,
        label_zh=row.get("label_zh") or names.get("zh", english),
        lane=lane,
        start=row.get("start") or row.get("date"),
        end=row.get("end"),
        year=row.get("year"),
        **extra,
    )


def timeline_data() -> dict[str, Any]:
    """Mandate resolutions, congresses and Commission sessions, meetings, workplan topics, steps."""
    items: list[TimelineItem] = []
    seen: set[str] = set()
    for row in select("list-mandates"):
        if row.get("date") and row["instrument"] not in seen:
            seen.add(row["instrument"])
            items.append(_item(row, "instrument", "mandate"))
    meetings: dict[str, TimelineItem] = {}
    for row in select("list-meetings"):
        meeting = _item(
            row,
            "meeting",
            "meeting",
            ordinal=int(row["ordinal"]),
            status=row.get("status_public_record") or row.get("status", ""),
            status_zh=row.get("status_public_record_zh") or row.get("status_zh", ""),
            status_documents=row.get("status", ""),
            venue=row.get("venue"),
            venue_zh=row.get("venue_zh"),
        )
        meetings[meeting.iri] = meeting
        items.append(meeting)
    for row in select("list-workplan"):
        items.append(_workplan_item(row, meetings[row["meeting"]]))
    by_event: dict[str, TimelineItem] = {}
    for row in select("show-timeline"):
        lane = LANE_OF_KIND.get(row.get("kind", ""))
        if lane is None or (row["event"] in by_event and not row.get("start")):
            continue
        by_event[row["event"]] = _item(row, "event", lane)
    items.extend(by_event.values())
    items.sort(key=TimelineItem.sort_key)
    return {
        "lanes": [{"id": i, "label_en": en, "label_zh": zh} for i, en, zh in LANES],
        "items": [item.as_json() for item in items],
    }


def _workplan_item(row: dict[str, str], meeting: TimelineItem) -> TimelineItem:
    """A workplan topic (or, without one, the task) at the meeting that examines it."""
    if row.get("topic"):
        topic = _labelled(row, "topic")
        iri, href = topic["iri"], topic["href"]
        english = f"Workplan topic: {topic['label_en']}"
        chinese = f"工作计划议题:{topic['label_zh']}"
    else:
        iri, href = row["meeting"], local(row["meeting"])
        english = row["task_en"]
        chinese = row.get("task_zh") or english
    return TimelineItem(
        iri=iri,
        href=href,
        label_en=english,
        label_zh=chinese,
        lane="workplan",
        start=meeting.start,
        year=row["year"],
        meeting=row["meeting"],
    )


LANES = (
    ("mandate", "Mandate", "授权"),
    ("congress", "Congresses and Commission", "大会和委员会"),
    ("meeting", "Expert Group meetings", "专家组会议"),
    ("workplan", "Workplan topics", "工作计划议题"),
    ("step", "Decisions and steps", "决定和步骤"),
)
LANE_IDS = tuple(lane for lane, _, _ in LANES)
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
) -> Response:
    if suffix is not None and suffix not in SUFFIXES:
        return Response(
            f"no picture /pictures/{name}.{suffix}\n",
            status=404,
            content_type="text/plain; charset=utf-8",
        )
    path = f"{request.script_root}/pictures/{name}"
    fixed = SUFFIXES[suffix] if suffix else None
    # the JSON holds both languages, but the same URL answers the others, so it varies too
    fmt, headers = negotiate(path, OFFERS, fixed, SUFFIX_OF, OFFERS)
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
        heading=text(f"pictures.{name}.heading", lang),
        lang=lang,
    )
    return Response(page, content_type=HTML.content_type, headers=headers)


@bp.get("/stance-matrix")
@bp.get("/stance-matrix.<suffix>")
def stance_matrix(suffix: str | None = None) -> Response:
    """Who took which position on which topic, each cell linking to its source passages."""
    return _picture("stance-matrix", suffix, stance_matrix_data, charts.stance_matrix)


@bp.get("/timeline")
@bp.get("/timeline.<suffix>")
def timeline(suffix: str | None = None) -> Response:
    """The process from the mandate to the stocktaking meeting and after."""
    return _picture("timeline", suffix, timeline_data, charts.timeline)
