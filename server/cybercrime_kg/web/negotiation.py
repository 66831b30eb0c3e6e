"""Choose the response format: a URL suffix, `?format=`, or Accept (RFC 9110 q-values)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from flask import request

from cybercrime_kg.errors import NotAcceptable
from cybercrime_kg.formats import HTML, Format


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float

    @property
    def specificity(self) -> int:
        return (self.type != "*") + (self.subtype != "*")

    def matches(self, media_type: str) -> bool:
        kind, _, sub = media_type.partition("/")
        return self.type in ("*", kind) and self.subtype in ("*", sub)


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an Accept header; a malformed range is skipped, a bad q is 0."""
    ranges = []
    for item in (header or "").split(","):
        media, *params = (part.strip() for part in item.split(";"))
        kind, slash, sub = media.lower().partition("/")
        if not slash or not kind or not sub:
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append(MediaRange(kind, sub, q))
    return ranges


def _quality(ranges: Sequence[MediaRange], offer: Format) -> float:
    """The q of the most specific range that matches (RFC 9110, 12.5.1).

    A range naming an alias exactly (application/json for SPARQL JSON results) counts too.
    """
    aliases = {a for a in offer.aliases if "/" in a}
    best: MediaRange | None = None
    for candidate in ranges:
        exact_alias = (
            candidate.specificity == 2 and f"{candidate.type}/{candidate.subtype}" in aliases
        )
        if (candidate.matches(offer.media_type) or exact_alias) and (
            best is None or candidate.specificity > best.specificity
        ):
            best = candidate
    return best.q if best else 0.0


def _unacceptable(offers: Sequence[Format], what: str) -> NotAcceptable:
    listing = ", ".join(f.media_type for f in offers)
    return NotAcceptable(f"{what}; available: {listing}")


def choose(offers: Sequence[Format], accept: str | None, overrides: Sequence[str] = ()) -> Format:
    """The format to answer in; `offers` are in server preference order.

    `overrides` are the `format` parameter's values (SPARQLWrapper sends a name and a media
    type): the first that names an offered format wins, whatever Accept says.
    """
    for value in overrides:
        wanted = value.strip().lower()
        for offer in offers:
            if wanted in (offer.name, offer.media_type, *offer.aliases):
                return offer
    if overrides:
        raise _unacceptable(offers, f"format={overrides[0]} is not available for this answer")
    ranges = parse_accept(accept)
    if not ranges:
        return offers[0]
    best, best_q = offers[0], 0.0
    for offer in offers:
        q = _quality(ranges, offer)
        if q > best_q:
            best, best_q = offer, q
    if best_q == 0.0:
        raise _unacceptable(offers, f"no acceptable format for Accept: {accept}")
    return best


def negotiate(
    path: str,
    offers: Sequence[Format],
    fixed: Format | None,
    suffix_of: Mapping[str, str],
    by_language: Collection[Format] = (HTML,),
) -> tuple[Format, dict[str, str]]:
    """The format of the document at `path` (without suffix) and the headers that say how.

    A suffix in the URL fixes the format (`fixed`); otherwise Accept or `?format=` chooses among
    `offers`, and Content-Location names the chosen document: `path` and the suffix `suffix_of`
    gives the format's name. Formats in `by_language` are written in the page's language, so
    their answers vary with Accept-Language too.
    """
    if fixed is not None:
        return fixed, {"Vary": "Accept-Language"} if fixed in by_language else {}
    fmt = choose(offers, request.headers.get("Accept"), request.args.getlist("format"))
    vary = "Accept, Accept-Language" if by_language else "Accept"
    return fmt, {"Content-Location": f"{path}.{suffix_of[fmt.name]}", "Vary": vary}


def link_header(
    path: str,
    offers: Sequence[Format],
    served: Format,
    suffix_of: Mapping[str, str],
    described_by: Format | None = None,
    anchor: str | None = None,
) -> str:
    """RFC 8288 links from the document of `path` in `served`: `rel="alternate"` to the same
    document in each other offer, and `rel="describedby"` to the one in `described_by`, anchored
    at `anchor` (the thing described, so the link holds on every document of it)."""
    links = [
        f'<{path}.{suffix_of[fmt.name]}>; rel="alternate"; type="{fmt.media_type}"'
        for fmt in offers
        if fmt is not served
    ]
    if described_by is not None and anchor is not None:
        links.append(
            f'<{path}.{suffix_of[described_by.name]}>; rel="describedby"; '
            f'type="{described_by.media_type}"; anchor="{anchor}"'
        )
    return ", ".join(links)


def wants_html() -> bool:
    """Whether the client prefers a page to plain text or JSON (a browser does; `*/*` does not)."""
    accept = request.accept_mimetypes
    best = accept.best_match(["text/html", "text/plain", "application/json"])
    return best == "text/html" and accept["text/html"] > accept["text/plain"]
