"""A few lines of SVG: elements, escaped text, and a rough text width for layout."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from xml.sax.saxutils import escape, quoteattr

SVG_NS = "http://www.w3.org/2000/svg"
FONT = "system-ui, 'Noto Sans', 'Noto Sans CJK SC', sans-serif"


def element(tag: str, children: Iterable[str] = (), /, **attrs: object) -> str:
    """`<tag attrs>children</tag>`; `font_size` is written font-size, `class_` class."""
    parts = [tag]
    for name, value in attrs.items():
        if value is None:
            continue
        key = name.rstrip("_").replace("_", "-")
        parts.append(f"{key}={quoteattr(str(value))}")
    inner = "".join(children)
    return f"<{' '.join(parts)}>{inner}</{tag}>" if inner else f"<{' '.join(parts)}/>"


def text(content: str, /, **attrs: object) -> str:
    return element("text", [escape(content)], **attrs)


def title(content: str) -> str:
    """A tooltip for the enclosing element."""
    return element("title", [escape(content)])


def link(href: str, children: Iterable[str], /, **attrs: object) -> str:
    return element("a", children, href=href, **attrs)


def text_width(content: str, size: float) -> float:
    """An estimate of the rendered width: wide (CJK) characters count as one em, others ~0.58."""
    return sum(size if unicodedata.east_asian_width(c) in "WF" else size * 0.58 for c in content)


def document(width: float, height: float, children: Iterable[str], label: str) -> str:
    """A standalone SVG document (also valid inline in HTML)."""
    return element(
        "svg",
        [title(label), *children],
        xmlns=SVG_NS,
        width=round(width),
        height=round(height),
        viewBox=f"0 0 {round(width)} {round(height)}",
        font_family=FONT,
        role="img",
        aria_label=label,
    )
