"""Slow, stalled and over-size clients against a live server (issue 16): the worker reads each
request whole in its event loop (cli/gunicorn_worker.py, cli/framing.py), so they hold a buffer,
never a thread, and are answered or dropped by its own code."""

from __future__ import annotations

import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest

from helpers.fuzz_oracle import send_raw
from helpers.sparql import live_server

READ_TIMEOUT = 2.0
STALLED = 64
CONTROL = "/sparql?" + urlencode({"query": "ASK {}"})
FORM = "application/x-www-form-urlencoded"


@pytest.fixture(scope="module")
def root() -> Iterator[str]:
    with live_server("rdflib", "--read-timeout", str(READ_TIMEOUT)) as url:
        yield url


def port(root: str) -> int:
    return int(root.rstrip("/").rsplit(":", 1)[1])


def control_seconds(root: str) -> float:
    """Seconds a fresh connection takes to get the answer to `ASK {}`."""
    started = time.monotonic()
    with urllib.request.urlopen(root.rstrip("/") + CONTROL, timeout=30) as response:
        assert (response.status, response.read()) == (200, b'{"head":{},"boolean":true}')
    return time.monotonic() - started


def post_head(length: int) -> bytes:
    return (
        f"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: {FORM}\r\n"
        f"Content-Length: {length}\r\n\r\n"
    ).encode()


STALLS = {
    "nothing": b"",
    "half-a-request-line": b"GET /sparql?query=AS",
    "headers-unfinished": b"GET /sparql HTTP/1.1\r\nHost: x\r\nX-Slow: 1\r\n",
    "after-headers": post_head(100),
    "mid-body": post_head(100) + b"query=ASK",
    "chunked-mid-body": (
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: " + FORM.encode() + b"\r\n"
        b"Transfer-Encoding: chunked\r\n\r\nfff0\r\nquery="
    ),
}


def test_stalled_connections_neither_delay_others_nor_stay(root: str) -> None:
    before = min(control_seconds(root) for _ in range(3))
    kinds = list(STALLS.values())
    stalled = []
    for i in range(STALLED):
        sock = socket.create_connection(("127.0.0.1", port(root)), timeout=10)
        sock.sendall(kinds[i % len(kinds)])
        stalled.append(sock)
    opened = time.monotonic()
    try:
        during = sorted(control_seconds(root) for _ in range(5))
        assert during[2] < before + 1.0  # the median: one slow answer on a busy machine is noise
        # each is answered (408 where a request had started) and closed after the read timeout
        for sock in stalled:
            received = b""
            while chunk := sock.recv(65536):
                received += chunk
            assert received == b"" or received.startswith(b"HTTP/1.1 408 Request Timeout\r\n")
        closed = time.monotonic() - opened
        assert READ_TIMEOUT - 1 < closed < READ_TIMEOUT + 3
        assert control_seconds(root) < before + 1.0
    finally:
        for sock in stalled:
            sock.close()


def test_a_started_request_gets_408(root: str) -> None:
    with socket.create_connection(("127.0.0.1", port(root)), timeout=10) as sock:
        sock.sendall(STALLS["mid-body"])
        started = time.monotonic()
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    assert time.monotonic() - started < READ_TIMEOUT + 3
    head, _, body = received.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408 Request Timeout\r\n")
    assert b"X-Content-Type-Options: nosniff" in head
    assert body == b"request not received within 2 s\n"


def test_a_trickling_body_is_dropped_at_the_read_timeout(root: str) -> None:
    received = b""
    with socket.create_connection(("127.0.0.1", port(root)), timeout=0.2) as sock:
        sock.sendall(post_head(100))
        started = time.monotonic()
        while time.monotonic() - started < READ_TIMEOUT + 3:
            sock.sendall(b"a")  # a byte every 0.2 s: never silent, never done
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                continue
            if not chunk:
                break
            received += chunk
        elapsed = time.monotonic() - started
    assert received.startswith(b"HTTP/1.1 408 Request Timeout\r\n")
    assert READ_TIMEOUT - 0.5 < elapsed < READ_TIMEOUT + 3


def test_an_over_size_body_sent_whole_by_urllib_reads_413(root: str) -> None:
    body = urlencode({"query": "ASK {} #" + "x" * 300_000}).encode()
    request = urllib.request.Request(
        root.rstrip("/") + "/sparql", data=body, headers={"Content-Type": FORM}
    )
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=30)
    assert caught.value.code == 413
    assert caught.value.read() == b"request body larger than 262144 bytes\n"
    assert control_seconds(root) < 5


CHUNKED = (
    b"POST /sparql HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: "
    + FORM.encode()
    + b"\r\nTransfer-Encoding: chunked\r\n"
)
FRAMING = [
    ("chunk-size-not-hex", CHUNKED + b"\r\nzz\r\nquery=ASK{}\r\n0\r\n\r\n", 400),
    ("chunk-size-too-long", CHUNKED + b"\r\n" + b"0" * 20 + b"b\r\nquery=ASK{}\r\n0\r\n\r\n", 400),
    ("chunk-extension-bad", CHUNKED + b"\r\nb;=x\r\nquery=ASK{}\r\n0\r\n\r\n", 400),
    ("chunk-extension-bare-cr", CHUNKED + b"\r\nb;a\rb\r\nquery=ASK{}\r\n0\r\n\r\n", 400),
    ("chunk-not-terminated", CHUNKED + b"\r\n3\r\nqueXX0\r\n\r\n", 400),
    ("huge-trailers", CHUNKED + b"\r\n0\r\n" + b"X-T: " + b"a" * 9000 + b"\r\n\r\n", 431),
    ("forbidden-trailer", CHUNKED + b"\r\n0\r\nContent-Length: 5\r\n\r\n", 400),
    ("bad-trailer", CHUNKED + b"\r\n0\r\nno colon here\r\n\r\n", 400),
    ("chunked-over-size", CHUNKED + b"\r\n40001\r\nquery=", 413),
    ("chunk-extension-flood", CHUNKED + b"\r\n" + (b"1;x=" + b"a" * 8000 + b"\r\nq\r\n") * 80, 413),
    ("script-name-header", b"GET /sparql HTTP/1.1\r\nHost: x\r\nSCRIPT_NAME: /x\r\n\r\n", 400),
    ("script-name-lower", b"GET /sparql HTTP/1.1\r\nHost: x\r\nscript_name: /x\r\n\r\n", 400),
    ("headers-over-64k", b"GET / HTTP/1.1\r\n" + b"X-A: b\r\n" * 9000 + b"\r\n", 431),
]


@pytest.mark.parametrize(("wire", "status"), [f[1:] for f in FRAMING], ids=[f[0] for f in FRAMING])
def test_malformed_framing_is_a_client_error(root: str, wire: bytes, status: int) -> None:
    got, headers, body = send_raw(root, wire, "POST", timeout=10)
    assert (got, headers["Connection"], headers["X-Content-Type-Options"]) == (
        status,
        "close",
        "nosniff",
    )
    assert body.strip() and b"Traceback" not in body and b"Internal" not in body
    assert control_seconds(root) < 5


def test_a_valid_chunked_request_with_trailers_is_answered(root: str) -> None:
    wire = CHUNKED + b"\r\n6;ext=1\r\nquery=\r\n5\r\nASK{}\r\n0\r\nX-Check: 1\r\n\r\n"
    got, _, body = send_raw(root, wire, "POST", timeout=10)
    assert (got, body) == (200, b'{"head":{},"boolean":true}')


def test_expect_100_continue_is_answered_before_the_body(root: str) -> None:
    body = urlencode({"query": "ASK {}"}).encode()
    head = post_head(len(body)).replace(b"\r\n\r\n", b"\r\nExpect: 100-continue\r\n\r\n")
    with socket.create_connection(("127.0.0.1", port(root)), timeout=10) as sock:
        sock.sendall(head)
        assert sock.recv(65536) == b"HTTP/1.1 100 Continue\r\n\r\n"
        sock.sendall(body)
        received = b""
        # HTTP allows more than one interim 100 before the answer (the worker may send a second)
        while b'{"head":{},"boolean":true}' not in received and (chunk := sock.recv(65536)):
            received += chunk
        assert b'{"head":{},"boolean":true}' in received


def test_pipelined_requests_split_anywhere_are_all_answered(root: str) -> None:
    one = f"GET {CONTROL} HTTP/1.1\r\nHost: x\r\n\r\n".encode()
    wire = one * 3 + one.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n")
    with socket.create_connection(("127.0.0.1", port(root)), timeout=10) as sock:
        for at in range(0, len(wire), 7):  # a few bytes at a time, requests cut mid-line
            sock.sendall(wire[at : at + 7])
            time.sleep(0.001)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    assert received.count(b"HTTP/1.1 200 OK\r\n") == 4
