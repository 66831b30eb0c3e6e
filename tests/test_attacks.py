"""Attacks over the wire, against the real gunicorn server (tests/test_safety.py covers the app).

- Every way a query can name a graph, pointed at a loopback canary: no request reaches it.
- The same pointed at a local file holding a secret: the secret is in no response.
- Request smuggling basics (conflicting lengths, transfer codings, huge headers and lines):
  gunicorn refuses them, exactly one response per connection, and the server keeps answering.
- Error responses carry a message, never a stack trace, a module or a path of the server.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from urllib.parse import urlencode

import pytest

from helpers.fuzz_oracle import leaks, send_raw
from helpers.sparql import COUNT, bindings, count
from test_safety import ATTEMPTS, expected_message, url
from test_safety import canary as canary

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"


def request_bytes(
    method: str, target: str, headers: dict[str, str] | None = None, body: bytes = b""
) -> bytes:
    lines = [f"{method} {target} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    if body:
        lines.append(f"Content-Length: {len(body)}")
    return "\r\n".join(lines).encode() + b"\r\n\r\n" + body


def ask(root: str, method: str, query: str, params: dict[str, str]) -> tuple[int, bytes]:
    """Send a query by GET, form POST or direct POST; the status and the body."""
    if method == "GET":
        wire = request_bytes("GET", "/sparql?" + urlencode({"query": query, **params}))
    elif method == "form":
        body = urlencode({"query": query, **params}).encode()
        wire = request_bytes("POST", "/sparql", {"Content-Type": FORM}, body)
    else:
        target = "/sparql?" + urlencode(params) if params else "/sparql"
        wire = request_bytes("POST", target, {"Content-Type": DIRECT}, query.encode())
    status, _, body = send_raw(root, wire, "GET")
    return status, body


def control(root: str) -> None:
    """The server still answers a query, from the engine (a fresh text misses every cache)."""
    query = f"{COUNT} # {uuid.uuid4()}"
    status, body = ask(root, "GET", query, {})
    assert (status, count(body)) == (200, 25)


# --- loopback canary, over gunicorn ----------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "form", "direct"])
@pytest.mark.parametrize(
    ("query", "params", "status", "detail"),
    [a[1:] for a in ATTEMPTS],
    ids=[a[0] for a in ATTEMPTS],
)
def test_canary_never_called_over_the_wire(
    live_root, canary, method, query, params, status, detail
):
    c = url(canary)
    got = ask(
        live_root, method, query.replace("{c}", c), {k: v.format(c=c) for k, v in params.items()}
    )
    assert got == (status, expected_message(status, detail, c).encode())
    assert canary.hits == 0


# --- a local file with a secret --------------------------------------------------------------


@pytest.fixture
def secret(tmp_path: Path) -> tuple[str, str]:
    """A Turtle file whose only literal is a secret marker: (its file: IRI, the marker)."""
    marker = f"SECRET-{uuid.uuid4().hex}"
    path = tmp_path / "secret.ttl"
    path.write_text(f'<urn:x:secret> <urn:x:says> "{marker}" .\n', encoding="utf-8")
    return path.as_uri(), marker


SELECT_ALL = "SELECT ?o WHERE { ?s ?p ?o }"
# (id, query with {f} for the file IRI and {d} for its folder, parameters, status, rows if 200)
FILE_ATTEMPTS = [
    ("from", "SELECT ?o FROM <{f}> WHERE { ?s ?p ?o }", {}, 400),
    ("from-named", "SELECT ?o FROM NAMED <{f}> WHERE { GRAPH ?g { ?s ?p ?o } }", {}, 400),
    ("from-relative", "BASE <{d}/> SELECT ?o FROM <secret.ttl> WHERE { ?s ?p ?o }", {}, 400),
    ("service", "SELECT ?o WHERE { SERVICE <{f}> { ?s ?p ?o } }", {}, 400),
    ("service-silent", "SELECT ?o WHERE { SERVICE SILENT <{f}> { ?s ?p ?o } }", {}, 400),
    ("load", "LOAD <{f}>", {}, 403),
    ("load-into", "LOAD SILENT <{f}> INTO GRAPH <urn:x:g>", {}, 403),
    ("insert-where", "INSERT { ?s ?p ?o } WHERE { SERVICE <{f}> { ?s ?p ?o } }", {}, 403),
    ("default-graph-uri", SELECT_ALL, {"default-graph-uri": "{f}"}, 400),
    ("named-graph-uri", SELECT_ALL, {"named-graph-uri": "{f}"}, 400),
    ("graph-pattern", "SELECT ?o WHERE { GRAPH <{f}> { ?s ?p ?o } }", {}, 200),
    ("describe", "DESCRIBE <{f}>", {}, 200),
    ("iri-function", 'SELECT ?o WHERE { BIND(IRI("{f}") AS ?g) GRAPH ?g { ?s ?p ?o } }', {}, 200),
]


@pytest.mark.parametrize("method", ["GET", "form", "direct"])
@pytest.mark.parametrize(
    ("query", "params", "status"), [a[1:] for a in FILE_ATTEMPTS], ids=[a[0] for a in FILE_ATTEMPTS]
)
def test_local_file_never_read(live_root, secret, method, query, params, status):
    iri, marker = secret
    folder = iri.rsplit("/", 1)[0]
    text = query.replace("{f}", iri).replace("{d}", folder)
    got_status, body = ask(live_root, method, text, {k: v.format(f=iri) for k, v in params.items()})
    assert marker.encode() not in body
    assert got_status == status
    if status == 200 and not text.startswith("DESCRIBE"):
        assert bindings(body) == []


# --- request smuggling and oversized requests, handled by gunicorn ---------------------------

FORM_BODY = b"query=ASK%7B%7D"  # 15 bytes


def post(headers: str, body: bytes = FORM_BODY) -> bytes:
    head = f"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: {FORM}\r\n{headers}Connection: close"
    return head.encode() + b"\r\n\r\n" + body


def chunked(body: bytes) -> bytes:
    pieces = [body[i : i + 8192] for i in range(0, len(body), 8192)]
    return b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in pieces) + b"0\r\n\r\n"


def get(headers: bytes = b"", target: bytes = b"/sparql") -> bytes:
    return b"GET " + target + b" HTTP/1.1\r\nHost: x\r\n" + headers + b"Connection: close\r\n\r\n"


SMUGGLING = [
    ("two-content-lengths", post("Content-Length: 15\r\nContent-Length: 40\r\n"), 400),
    ("same-content-length-twice", post("Content-Length: 15\r\nContent-Length: 15\r\n"), 400),
    (
        "content-length-and-chunked",
        post("Content-Length: 4\r\nTransfer-Encoding: chunked\r\n", chunked(FORM_BODY)),
        400,
    ),
    (
        "chunked-and-content-length",
        post("Transfer-Encoding: chunked\r\nContent-Length: 4\r\n", chunked(FORM_BODY)),
        400,
    ),
    (
        "two-transfer-encodings",
        post("Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n", chunked(FORM_BODY)),
        400,
    ),
    ("space-before-colon", post("Transfer-Encoding : chunked\r\n", chunked(FORM_BODY)), 400),
    ("unknown-transfer-coding", post("Transfer-Encoding: xchunked\r\n", b""), 501),
    ("negative-content-length", post("Content-Length: -1\r\n"), 400),
    ("signed-content-length", post("Content-Length: +15\r\n"), 400),
    ("header-over-8k", get(b"X-Big: " + b"a" * 9000 + b"\r\n"), 431),
    ("150-headers", get(b"".join(b"X-H%d: 1\r\n" % i for i in range(150))), 431),
    ("request-line-over-8k", get(target=b"/sparql?query=" + b"a" * 9000), 414),
    ("obsolete-line-folding", get(b"X-A: 1\r\n continued\r\n"), 400),
    ("nul-in-header", get(b"X-A: a\x00b\r\n"), 400),
    ("space-in-header-name", get(b"Bad Name: 1\r\n"), 400),
    ("bare-line-feeds", b"GET /sparql HTTP/1.1\nHost: x\nConnection: close\n\n", 400),
    ("http-0.9", b"GET /sparql\r\n\r\n", 400),
    ("unknown-http-version", get().replace(b"HTTP/1.1", b"HTTP/9.9", 1), 400),
    ("chunked-within-limit", post("Transfer-Encoding: chunked\r\n", chunked(FORM_BODY)), 200),
    (
        "chunked-over-limit",
        post("Transfer-Encoding: chunked\r\n", chunked(b"query=" + b"a" * 300_000)),
        413,
    ),
]


@pytest.mark.parametrize(
    ("wire", "status"), [s[1:] for s in SMUGGLING], ids=[s[0] for s in SMUGGLING]
)
def test_malformed_framing_is_refused(live_root, wire, status):
    got, _, body = send_raw(live_root, wire, "POST")
    assert got == status
    assert b"HTTP/1." not in body  # one response: nothing was read as a second request
    assert leaks(body) == []
    control(live_root)


# --- what error responses may say -------------------------------------------------------------

ERRORS = [
    # not a query at all: refused from its tokens, whatever the client accepts
    ("syntax", get(target=b"/sparql?query=SELEKT%20*%20WHERE%20%7B"), 400),
    ("update", get(target=b"/sparql?update=DROP%20ALL"), 403),
    ("not-utf8", get(target=b"/sparql?query=%FF"), 400),
    ("unknown-path", get(target=b"/etc/passwd"), 404),
    ("traversal", get(target=b"/../../etc/passwd"), 404),
    ("method", b"DELETE /sparql HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 405),
    ("format", get(target=b"/sparql?query=ASK%7B%7D&format=text/x-nope"), 406),
    ("media-type", post("Content-Length: 15\r\n").replace(FORM.encode(), b"text/x-nope"), 415),
    ("bad-request-line", b"GET /sparql?a b HTTP/1.1\r\nHost: x\r\n\r\n", 400),
]


@pytest.mark.parametrize("accept", [b"text/plain", b"application/json"])
@pytest.mark.parametrize(("wire", "status"), [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS])
def test_errors_reveal_nothing_of_the_server(live_root, wire, status, accept):
    wire = wire.replace(b"Host: x\r\n", b"Host: x\r\nAccept: " + accept + b"\r\n", 1)
    got, _, body = send_raw(live_root, wire, "GET")
    assert (got, leaks(body)) == (status, [])
    assert body.strip()
