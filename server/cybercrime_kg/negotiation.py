"""Pick the response format from `?format=` or the Accept header (RFC 9110 q-values)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .errors import NotAcceptable
from .results import Format


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
