"""Oxigraph's answers in the wire formats, written by Oxigraph itself and cut to the caps.

Rows are cut on its TSV and triples on its N-Triples, where one line is one solution or one
triple (both escape line breaks); the evaluation stops as soon as no more lines can be kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyoxigraph as ox

from cybercrime_kg.namespaces import PREFIXES
from cybercrime_kg.sparql.engines.base import Answer, Job

_TSV = ox.QueryResultsFormat.TSV
WIRE = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": _TSV,
}
_NT = ox.RdfFormat.N_TRIPLES
_GRAPHWIRE = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": _NT,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "nquads": ox.RdfFormat.N_QUADS,  # the triples, in the default graph
    "trig": ox.RdfFormat.TRIG,
}


class _Enough(Exception):
    """Raised inside Oxigraph's writer once the answer has all the lines it may keep."""


class _CappedWriter:
    """Collects what Oxigraph writes; stops the evaluation once `lines` lines are written or
    `max_bytes` bytes (more cannot be kept, so evaluating further would be wasted)."""

    def __init__(self, lines: int, max_bytes: int) -> None:
        self.lines = lines
        self.max_bytes = max_bytes or 2**62
        self.chunks: list[bytes] = []
        self.count = 0
        self.size = 0

    def write(self, chunk: bytes) -> int:
        self.chunks.append(bytes(chunk))
        self.count += chunk.count(b"\n")
        self.size += len(chunk)
        if self.count > self.lines or self.size > self.max_bytes:
            raise _Enough
        return len(chunk)

    def flush(self) -> None:
        pass


def _stream(
    answer: Any, wire: ox.QueryResultsFormat | ox.RdfFormat, lines: int, max_bytes: int
) -> tuple[bytes, bool]:
    """The complete lines of an answer in a line-based format, written until `lines` lines or
    about `max_bytes` bytes are there, and whether the answer went on (evaluated no further)."""
    writer = _CappedWriter(lines, max_bytes + max_bytes // 4)
    try:
        answer.serialize(output=writer, format=wire)
    except _Enough:
        written = b"".join(writer.chunks)
        return written[: written.rfind(b"\n") + 1], True
    return b"".join(writer.chunks), False


def serialized(answer: Any, wire: ox.QueryResultsFormat | ox.RdfFormat) -> bytes:
    """Solutions, triples or a boolean written by Oxigraph (evaluating the query as it goes)."""
    body: bytes = answer.serialize(format=wire)
    return body


def _first_lines(lines: bytes, count: int) -> bytes:
    return b"".join(lines.splitlines(keepends=True)[:count])


def _fitted(
    lines: bytes, head: int, job: Job, convert: Callable[[bytes], bytes], more: bool
) -> Answer:
    """The answer from the first `head` lines and at most `job.max_rows` more, converted to the
    wire format and cut by whole rows below `job.max_bytes`; flagged when something was cut."""
    size = lines.count(b"\n") - head
    truncated = more or size > job.max_rows
    size = min(size, job.max_rows)
    body = convert(_first_lines(lines, head + size))
    by_bytes = False
    while job.max_bytes and len(body) > job.max_bytes and size > 0:
        size = min(size - 1, int(size * job.max_bytes / len(body) * 0.95))
        body = convert(_first_lines(lines, head + size))
        truncated = by_bytes = True
    return Answer(body, truncated, size, by_bytes)


def solutions(answer: Any, fmt: str, job: Job) -> Answer | None:
    wire = WIRE.get(fmt)
    if wire is None:
        return None
    tsv, more = _stream(answer, _TSV, 1 + job.max_rows, job.max_bytes)

    def convert(lines: bytes) -> bytes:
        if wire is _TSV:
            return lines
        return serialized(ox.parse_query_results(lines, format=_TSV), wire)

    return _fitted(tsv, 1, job, convert, more)


def triples(answer: Any, fmt: str, job: Job) -> Answer | None:
    wire = _GRAPHWIRE.get(fmt)
    if wire is None:
        return None
    nt, more = _stream(answer, _NT, job.max_rows, job.max_bytes)

    def convert(lines: bytes) -> bytes:
        if wire is _NT or wire is ox.RdfFormat.N_QUADS:  # N-Triples is N-Quads too
            return lines
        prefixes = {p: str(ns) for p, ns in PREFIXES.items() if str(ns).encode() in lines}
        body = ox.serialize(ox.parse(lines, format=_NT), format=wire, prefixes=prefixes)
        assert body is not None  # without an output, serialize returns the bytes
        return body

    return _fitted(nt, 0, job, convert, more)
