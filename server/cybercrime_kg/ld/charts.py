"""The two drawings, as SVG: the stance matrix and the timeline (data from pictures.py)."""

from __future__ import annotations

import re
from typing import Any

from cybercrime_kg.ld.svg import document, element, link, text, text_width, title
from cybercrime_kg.web.i18n import short_date, sort_key
from cybercrime_kg.web.i18n import text as i18n_text

# Okabe-Ito colours where they go, then darker shades; unknown positions are grey
POSITION_COLOURS = {
    "advocates": "#0072B2",
    "proposes": "#56B4E9",
    "agrees": "#009E73",
    "stresses": "#E69F00",
    "states": "#CC79A7",
    "notes": "#9E9E9E",
    "expresses concern about": "#F0E442",
    "rebuts": "#D55E00",
    "opposes": "#7F1D1D",
}
OTHER = "#555555"
LANE_COLOURS = {
    "mandate": "#0072B2",
    "congress": "#CC79A7",
    "meeting": "#D55E00",
    "workplan": "#009E73",
    "step": "#6B7280",
}
SIZE = 13  # font size of labels
CELL_W, CELL_H = 64, 26


def label(item: dict[str, Any], lang: str) -> str:
    return str(item.get(f"label_{lang}") or item["label_en"])


def _legend(entries: list[tuple[str, str]], y: float, width: float) -> tuple[list[str], float]:
    """Coloured squares with their names, in rows no wider than `width`; (marks, height)."""
    out, x = [], 0.0
    for name, colour in entries:
        step = 20 + text_width(name, SIZE) + 24
        if x and x + step - 24 > width:
            x, y = 0.0, y + 20
        out.append(element("rect", x=x, y=y, width=14, height=14, fill=colour, stroke="#333"))
        out.append(text(name, x=x + 20, y=y + 12, font_size=SIZE))
        x += step
    return out, y + 20


def _position_rank(position: dict[str, Any]) -> tuple[int, str]:
    names = list(POSITION_COLOURS)
    name = position["label_en"]
    return (names.index(name) if name in names else len(names), name)


def stance_matrix(data: dict[str, Any], lang: str) -> str:
    """Rows: holders; columns: topics; a cell holds one mark per stance, coloured by position,
    linked to the stance; names, order and legend in the page's language."""
    by_name = lambda item: sort_key(label(item, lang), lang)  # noqa: E731
    holders = sorted(data["holders"], key=by_name)
    topics = sorted(data["topics"], key=by_name)
    left = max([text_width(label(h, lang), SIZE) for h in holders] or [100]) + 16
    # a slanted heading rises by width x sin 45 degrees; the widest sets the band above the grid
    rise = max([text_width(label(t, lang), SIZE) * 0.71 for t in topics] or [100])
    width = left + len(topics) * CELL_W + rise
    positions = sorted(data["positions"], key=_position_rank)
    out, legend_h = _legend(
        [(label(p, lang), POSITION_COLOURS.get(p["label_en"], OTHER)) for p in positions], 0, width
    )
    top = legend_h + rise + 14
    cells = {(c["holder"], c["topic"]): c["stances"] for c in data["cells"]}
    out += [_topic_heading(topic, left + j * CELL_W, top, lang) for j, topic in enumerate(topics)]
    for i, holder in enumerate(holders):
        y = top + i * CELL_H
        out.append(_holder_name(holder, left, y, lang))
        for j, topic in enumerate(topics):
            stances = cells.get((holder["iri"], topic["iri"]), [])
            out += _cell(holder, topic, stances, left + j * CELL_W, y, lang)
    height = top + len(holders) * CELL_H + 10
    return document(width, height, out, i18n_text("pictures.matrix", lang))


def _topic_heading(topic: dict[str, Any], x: float, top: float, lang: str) -> str:
    """A column's topic, slanted above it and linked to the topic's page."""
    x, y = x + CELL_W / 2, top - 8
    slanted = text(label(topic, lang), x=x, y=y, font_size=SIZE, transform=f"rotate(-45 {x} {y})")
    return link(topic["href"], [slanted], class_="topic")


def _holder_name(holder: dict[str, Any], left: float, y: float, lang: str) -> str:
    """A row's holder, right-aligned before the grid and linked to the holder's page."""
    name = text(
        label(holder, lang), x=left - 8, y=y + CELL_H / 2 + 4, font_size=SIZE, text_anchor="end"
    )
    return link(holder["href"], [name], class_="holder", data_iri=holder["iri"])


def _cell(
    holder: dict[str, Any],
    topic: dict[str, Any],
    stances: list[dict[str, Any]],
    x: float,
    y: float,
    lang: str,
) -> list[str]:
    """One cell: its frame and one mark per stance, coloured by position, linked to the stance,
    its tooltip the holder, the position, the topic and the source sentences."""
    out = [element("rect", x=x, y=y, width=CELL_W, height=CELL_H, fill="#fff", stroke="#d0d4da")]
    width = CELL_W / max(len(stances), 1)
    for k, stance in enumerate(stances):
        position = stance["position_zh"] if lang == "zh" else stance["position"]
        quoted = "\n".join(f"“{sentence}”" for sentence in stance["sentences"])
        tip = i18n_text(
            "pictures.matrix_tip",
            lang,
            holder=label(holder, lang),
            position=position,
            topic=label(topic, lang),
        )
        mark = element(
            "rect",
            [title(f"{tip}\n{quoted}" if quoted else tip)],
            x=round(x + k * width + 1, 2),
            y=y + 2,
            width=round(max(width - 2, 1), 2),
            height=CELL_H - 4,
            rx=2,
            fill=POSITION_COLOURS.get(stance["position"], OTHER),
        )
        out.append(link(stance["href"], [mark], class_="cell", data_position=stance["position"]))
    return out


def _date(item: dict[str, Any], lang: str) -> str:
    start = item.get("start")
    if start:
        return short_date(start, lang, item.get("end"))
    return str(item.get("year") or "")  # a year only: the year band beside it says the same


def _name(item: dict[str, Any], lang: str) -> str:
    """An item's name; a meeting's with its venue and status, in the page's language."""
    name = label(item, lang)
    if item["lane"] != "meeting":
        return name
    venue = item.get("venue_zh") if lang == "zh" else item.get("venue")
    status = item.get("status_zh") if lang == "zh" else item.get("status")
    return " · ".join(part for part in (name, venue or item.get("venue"), status) if part)


def _wrap(words: str, width: float) -> list[str]:
    """Lines no wider than `width` (spaces break Latin text; CJK text breaks anywhere)."""
    lines, line = [], ""
    tokens = re.findall(r"\S+\s*|\s+", words) if " " in words else list(words)
    for token in tokens:
        if line and text_width(line + token.rstrip(), SIZE) > width:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    return [*lines, line.rstrip()] if line.strip() else lines


ROW, LINE, LANE_W, NAME_W = 24, 16, 26, 520


def timeline(data: dict[str, Any], lang: str) -> str:
    """One row per item in time order; a marker in its lane's column; year bands. Long names
    wrap, so the drawing stays about 900 px wide and scales down on a phone."""
    lanes = [lane["id"] for lane in data["lanes"]]
    date_w = 150 if lang == "zh" else 190
    label_x = date_w + len(lanes) * LANE_W + 12
    width = label_x + NAME_W + 10
    names = [(label(lane, lang), LANE_COLOURS[lane["id"]]) for lane in data["lanes"]]
    out, legend_h = _legend(names, 0, width)
    top = legend_h + 14
    rows: list[str] = []
    y, year = top, None
    for item in data["items"]:
        lines = _wrap(_name(item, lang), NAME_W)
        height = ROW + LINE * (len(lines) - 1)
        item_year = str(item.get("start") or item.get("year") or "")[:4]
        if item_year != year:
            year = item_year
            rows.append(element("line", x1=0, x2=width, y1=y, y2=y, stroke="#c7ccd4"))
            rows.append(text(year, x=0, y=y + 16, font_size=SIZE, font_weight="bold"))
        if item.get("start"):  # a year-only item: its year band says it
            rows.append(text(_date(item, lang), x=40, y=y + 16, font_size=SIZE - 2, fill="#444"))
        cx = date_w + lanes.index(item["lane"]) * LANE_W + LANE_W / 2
        colour = LANE_COLOURS[item["lane"]]
        planned = item.get("status") == "planned"
        marker = element(
            "circle",
            [title(f"{label(item, lang)} ({_date(item, lang)})")],
            cx=cx,
            cy=y + ROW / 2,
            r=7,
            fill="#fff" if planned else colour,
            stroke=colour,
            stroke_width=2,
        )
        name = [
            text(line, x=label_x, y=y + 16 + LINE * k, font_size=SIZE)
            for k, line in enumerate(lines)
        ]
        rows.append(
            link(
                item["href"],
                [marker, *name],
                class_=f"item {item['lane']}",
                data_iri=item["iri"],
            )
        )
        y += height
    for k, lane in enumerate(lanes):
        x = date_w + k * LANE_W + LANE_W / 2
        out.append(
            element(
                "line",
                x1=x,
                x2=x,
                y1=top,
                y2=y,
                stroke=LANE_COLOURS[lane],
                stroke_opacity=0.25,
                stroke_width=2,
            )
        )
    return document(width, y + 10, out + rows, i18n_text("pictures.timeline", lang))
