"""The two drawings, as SVG: the stance matrix and the timeline (data from pictures.py)."""

from __future__ import annotations

from typing import Any

from cybercrime_kg.ld.svg import document, element, link, text, text_width, title

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


def _legend(entries: list[tuple[str, str]], y: float) -> list[str]:
    """Coloured squares with their names in one row."""
    out, x = [], 0.0
    for name, colour in entries:
        out.append(element("rect", x=x, y=y, width=14, height=14, fill=colour, stroke="#333"))
        out.append(text(name, x=x + 20, y=y + 12, font_size=SIZE))
        x += 20 + text_width(name, SIZE) + 24
    return out


def stance_matrix(data: dict[str, Any], lang: str) -> str:
    """Rows: holders; columns: topics; a cell is one stripe per stance and passage."""
    holders, topics = data["holders"], data["topics"]
    left = max([text_width(label(h, lang), SIZE) for h in holders] or [100]) + 16
    top = max([text_width(label(t, lang), SIZE) * 0.72 for t in topics] or [100]) + 40
    cells = {(c["holder"], c["topic"]): c["stances"] for c in data["cells"]}
    out = _legend(
        [(label(p, lang), POSITION_COLOURS.get(p["label_en"], OTHER)) for p in data["positions"]], 0
    )
    out += [_topic_heading(topic, left + j * CELL_W, top, lang) for j, topic in enumerate(topics)]
    for i, holder in enumerate(holders):
        y = top + i * CELL_H
        out.append(_holder_name(holder, left, y, lang))
        for j, topic in enumerate(topics):
            stances = cells.get((holder["iri"], topic["iri"]), [])
            out += _cell(holder, topic, stances, left + j * CELL_W, y, lang)
    width = left + len(topics) * CELL_W + top * 0.72
    height = top + len(holders) * CELL_H + 10
    return document(width, height, out, "Stance matrix")


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
    stances: list[dict[str, str]],
    x: float,
    y: float,
    lang: str,
) -> list[str]:
    """One cell: its frame and a stripe per stance, coloured by position, linked to its source."""
    out = [element("rect", x=x, y=y, width=CELL_W, height=CELL_H, fill="#fff", stroke="#d0d4da")]
    width = CELL_W / max(len(stances), 1)
    for k, stance in enumerate(stances):
        position = stance["position_zh"] if lang == "zh" else stance["position"]
        tip = f"{label(holder, lang)} {position}: {label(topic, lang)}\n{stance['passage']}"
        stripe = element(
            "rect",
            [title(tip)],
            x=round(x + k * width, 2),
            y=y + 1,
            width=round(width, 2),
            height=CELL_H - 2,
            fill=POSITION_COLOURS.get(stance["position"], OTHER),
        )
        out.append(
            link(stance["passage_href"], [stripe], class_="cell", data_position=stance["position"])
        )
    return out


def _date(item: dict[str, Any]) -> str:
    start, end = item.get("start"), item.get("end")
    if start and end and end != start:
        return f"{start} to {end}"
    return str(start or item.get("year") or "")


ROW, LANE_W = 24, 30


def timeline(data: dict[str, Any], lang: str) -> str:
    """One row per item in time order; a marker in its lane's column; year bands."""
    lanes = [lane["id"] for lane in data["lanes"]]
    names = [(label(lane, lang), LANE_COLOURS[lane["id"]]) for lane in data["lanes"]]
    out = _legend(names, 0)
    date_w, top = 170, 44
    label_x = date_w + len(lanes) * LANE_W + 12
    for k, lane in enumerate(lanes):
        x = date_w + k * LANE_W + LANE_W / 2
        out.append(
            element(
                "line",
                x1=x,
                x2=x,
                y1=top,
                y2=top + len(data["items"]) * ROW,
                stroke=LANE_COLOURS[lane],
                stroke_opacity=0.25,
                stroke_width=2,
            )
        )
    year, widest = None, 0.0
    for i, item in enumerate(data["items"]):
        y = top + i * ROW
        item_year = str(item.get("start") or item.get("year") or "")[:4]
        if item_year != year:
            year = item_year
            out.append(element("line", x1=0, x2="100%", y1=y, y2=y, stroke="#c7ccd4"))
            out.append(text(year, x=0, y=y + 16, font_size=SIZE, font_weight="bold"))
        out.append(text(_date(item), x=44, y=y + 16, font_size=SIZE - 2, fill="#444"))
        cx = date_w + lanes.index(item["lane"]) * LANE_W + LANE_W / 2
        colour = LANE_COLOURS[item["lane"]]
        planned = item.get("status") == "planned"
        marker = element(
            "circle",
            [title(f"{label(item, lang)} ({_date(item)})")],
            cx=cx,
            cy=y + ROW / 2,
            r=7,
            fill="#fff" if planned else colour,
            stroke=colour,
            stroke_width=2,
        )
        name = label(item, lang)
        if item["lane"] == "meeting":
            name = f"{name} · {item.get('venue') or ''} · {item.get('status', '')}".replace(
                " ·  ·", " ·"
            )
        widest = max(widest, text_width(name, SIZE))
        out.append(
            link(
                item["href"],
                [marker, text(name, x=label_x, y=y + 16, font_size=SIZE)],
                class_=f"item {item['lane']}",
                data_iri=item["iri"],
            )
        )
    width = max(label_x + widest + 20, 800)
    return document(width, top + len(data["items"]) * ROW + 10, out, "Timeline")
