"""Where the first HTTP/1.1 request in a buffer ends, checked before a thread is given to it.

The worker (gunicorn_worker.py) reads every request into memory in its event loop and only then
hands it to a thread, so a slow or silent client holds a buffer, never a thread. This module
answers the one question that needs: is the request complete, still arriving, too large, or
framed so badly that it can be refused here (400/431) without the application seeing it?

Only what decides where the request ends is checked: the header block's end, Content-Length,
and chunked framing (sizes, extensions, trailers), with the same rules as gunicorn's parser.
Anything else ambiguous (two Content-Lengths, another transfer coding, a bad header name ...)
is left to gunicorn, which refuses it from the header block alone, before reading a body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_HEAD = 64 * 1024  # bytes of request line and headers (gunicorn's own limits are tighter)
MAX_CHUNK_LINE = 8190  # a chunk-size line, with its extensions
MAX_TRAILERS = 8190  # the trailer section of a chunked body

_HEAD_END = re.compile(rb"\r?\n\r?\n")
_TOKEN = rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
_QUOTED_STRING = rb'"(?:[\t !#-\[\]-~\x80-\xff]|\\[\t -~\x80-\xff])*"'
_CHUNK_EXT = re.compile(  # RFC 9112 7.1.1, as gunicorn's body.py reads it
    rb"(?:[ \t]*;[ \t]*"
    + _TOKEN
    + rb"(?:[ \t]*=[ \t]*(?:"
    + _TOKEN
    + rb"|"
    + _QUOTED_STRING
    + rb"))?)*"
)
_HEX = re.compile(rb"[0-9A-Fa-f]{1,16}")
_TRAILER_LINE = re.compile(rb"(" + _TOKEN + rb")[ \t]*:[\t -~\x80-\xff]*")
# RFC 9110 6.5.1: fields a trailer may not carry
_FORBIDDEN_TRAILERS = {b"host", b"content-length", b"transfer-encoding", b"trailer", b"te"}
_FORBIDDEN_TRAILERS |= {b"authorization"}


@dataclass(frozen=True)
class Verdict:
    """`state` is "more" (keep reading), "complete" (the first request ends at `end`),
    or "refuse" (answer `status` with `message` and close)."""

    state: str
    end: int = 0
    status: int = 0
    message: str = ""
    expects_continue: bool = False


MORE = Verdict("more")


def refuse(status: int, message: str) -> Verdict:
    return Verdict("refuse", status=status, message=message)


def scan(data: bytes | bytearray, max_body: int) -> Verdict:
    """Whether `data` starts with a whole request whose body is at most `max_body` bytes."""
    first = 0
    while data.startswith(b"\r\n", first):  # RFC 9112 2.2: empty lines before a request
        first += 2
    match = _HEAD_END.search(data, first, first + MAX_HEAD + 4)
    if match is None:
        if len(data) - first > MAX_HEAD:
            return refuse(431, f"request line and headers larger than {MAX_HEAD} bytes")
        return MORE
    start = match.end()
    lengths: list[bytes] = []
    codings: list[bytes] = []
    expects_continue = False
    for line in bytes(data[first : match.start()]).split(b"\n")[1:]:
        name, colon, value = line.partition(b":")
        if not colon:
            continue  # gunicorn refuses it
        name = name.lower()
        value = value.strip(b" \t\r")
        if name == b"content-length":
            lengths.append(value)
        elif name == b"transfer-encoding":
            codings.append(value.lower())
        elif name == b"expect":
            expects_continue = value.lower() == b"100-continue"
        elif name == b"script_name":  # gunicorn would mount the app below the client's path
            return refuse(400, "header SCRIPT_NAME not allowed")
    if codings:
        if codings != [b"chunked"] or lengths:
            return Verdict("complete", start)  # gunicorn refuses it from the headers
        return _chunked(data, start, max_body, expects_continue)
    if not lengths:
        return Verdict("complete", start)
    if len(lengths) > 1 or not lengths[0].isdigit():
        return Verdict("complete", start)  # gunicorn refuses it from the headers
    size = int(lengths[0])
    if size > max_body:
        return refuse(413, f"request body larger than {max_body} bytes")
    if len(data) - start < size:
        return Verdict("more", expects_continue=expects_continue)
    return Verdict("complete", start + size)


def _chunked(data: bytes | bytearray, at: int, max_body: int, expects_continue: bool) -> Verdict:
    """The end of a chunked body starting at `at`, checked as gunicorn's ChunkedReader does."""
    # chunk lines can carry far more bytes than data (extensions): bound what is buffered
    more = Verdict("more", expects_continue=expects_continue)
    if len(data) - at > 2 * max_body + MAX_HEAD:
        more = refuse(413, f"chunked request body larger than {2 * max_body + MAX_HEAD} bytes")
    total = 0
    while True:
        eol = data.find(b"\r\n", at, at + MAX_CHUNK_LINE + 2)
        if eol < 0:
            if len(data) - at > MAX_CHUNK_LINE:
                return refuse(400, "chunk size line too long")
            return more
        line = bytes(data[at:eol])
        size_text, semicolon, extensions = line.partition(b";")
        if semicolon:
            size_text = size_text.rstrip(b" \t")
            if not _CHUNK_EXT.fullmatch(b";" + extensions):
                return refuse(400, "invalid chunk extension")
        if not _HEX.fullmatch(size_text):
            return refuse(400, "invalid chunk size")
        size = int(size_text, 16)
        total += size
        if total > max_body:
            return refuse(413, f"request body larger than {max_body} bytes")
        at = eol + 2
        if size == 0:
            return _trailers(data, at)
        if len(data) < at + size + 2:
            return more
        if data[at + size : at + size + 2] != b"\r\n":
            return refuse(400, "chunk not terminated by CRLF")
        at += size + 2


def _trailers(data: bytes | bytearray, at: int) -> Verdict:
    """The end of a trailer section (RFC 9112 7.1.2) starting at `at`."""
    if data[at : at + 2] == b"\r\n":
        return Verdict("complete", at + 2)
    end = data.find(b"\r\n\r\n", at, at + MAX_TRAILERS + 4)
    if end < 0:
        if len(data) - at > MAX_TRAILERS:
            return refuse(431, f"trailer section larger than {MAX_TRAILERS} bytes")
        if data.count(b"\n", at) != data.count(b"\r\n", at):
            return refuse(400, "bare LF in trailer section")
        return MORE
    for line in bytes(data[at:end]).split(b"\r\n"):
        field = _TRAILER_LINE.fullmatch(line)
        if field is None:
            return refuse(400, "invalid trailer field")
        name = field.group(1).lower()
        if name in _FORBIDDEN_TRAILERS or name == b"script_name":
            return refuse(400, f"trailer field {name.decode()} not allowed")
    return Verdict("complete", end + 4)
