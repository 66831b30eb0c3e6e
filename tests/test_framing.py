"""cli/framing.py: where the first request in a buffer ends, and what is refused before a thread
sees it (the worker acts on these verdicts; tests/test_slow_clients.py drives it over the wire)."""

from __future__ import annotations

import pytest

from cybercrime_kg.cli.framing import MAX_HEAD, scan

GET = b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n\r\n"
POST = b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Length: 12\r\n\r\n"
CHUNKED = b"POST /sparql HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
CAP = 1000


@pytest.mark.parametrize(
    ("data", "end"),
    [
        (GET, len(GET)),
        (GET + GET[:10], len(GET)),  # the next pipelined request is not read as this one's
        (b"\r\n" + GET, len(GET) + 2),  # an empty line before the request line is allowed
        (POST + b"query=ASK{}!", len(POST) + 12),
        (POST + b"query=ASK{}!" + GET, len(POST) + 12),
        (CHUNKED + b"6\r\nquery=\r\n0\r\n\r\n", len(CHUNKED) + 16),
        (CHUNKED + b"6;a=b;c\r\nquery=\r\n0\r\nX-T: 1\r\n\r\n" + GET, len(CHUNKED) + 30),
        # ambiguous framing is gunicorn's to refuse, from the header block alone
        (POST.replace(b"\r\n\r\n", b"\r\nContent-Length: 13\r\n\r\n"), len(POST) + 20),
        (CHUNKED.replace(b"chunked", b"gzip, chunked"), len(CHUNKED) + 6),
        (b"GET /x HTTP/1.1\nHost: x\n\n", 25),  # bare LF: gunicorn answers 400
    ],
)
def test_complete(data: bytes, end: int) -> None:
    assert (scan(data, CAP).state, scan(data, CAP).end) == ("complete", end)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        GET[:-2],
        POST + b"query=",
        CHUNKED + b"6\r\nque",
        CHUNKED + b"6\r\nquery=\r\n",
        CHUNKED + b"6\r\nquery=\r\n0\r\nX-T: 1\r\n",
        CHUNKED + b"6;a=b",
    ],
)
def test_more(data: bytes) -> None:
    assert scan(data, CAP).state == "more"


def test_expect_continue_is_noticed_while_the_body_is_missing() -> None:
    data = POST.replace(b"\r\n\r\n", b"\r\nExpect: 100-continue\r\n\r\n")
    assert scan(data, CAP).expects_continue
    assert not scan(POST, CAP).expects_continue


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        (POST.replace(b"12", b"1001"), 413, "request body larger than 1000 bytes"),
        (CHUNKED + b"3e9\r\n", 413, "request body larger than 1000 bytes"),
        (CHUNKED + b"1f4\r\n" + b"a" * 500 + b"\r\n1f5\r\n", 413, "request body larger"),
        (CHUNKED + (b"1;x=" + b"a" * 100 + b"\r\nq\r\n") * 700, 413, "chunked request body"),
        (CHUNKED + b"zz\r\n", 400, "invalid chunk size"),
        (CHUNKED + b"\r\n", 400, "invalid chunk size"),
        (CHUNKED + b"1" * 17 + b"\r\n", 400, "invalid chunk size"),
        (CHUNKED + b"6;=x\r\n", 400, "invalid chunk extension"),
        (CHUNKED + b"6;a\rb\r\n", 400, "invalid chunk extension"),
        (CHUNKED + b"6" * 9000, 400, "chunk size line too long"),
        (CHUNKED + b"2\r\nabcd", 400, "chunk not terminated by CRLF"),
        (CHUNKED + b"0\r\nX: " + b"a" * 9000, 431, "trailer section larger than 8190 bytes"),
        (CHUNKED + b"0\r\nX: 1\n", 400, "bare LF in trailer section"),
        (CHUNKED + b"0\r\nno colon\r\n\r\n", 400, "invalid trailer field"),
        (CHUNKED + b"0\r\nHost: y\r\n\r\n", 400, "trailer field host not allowed"),
        (GET.replace(b"Host", b"SCRIPT_NAME"), 400, "header SCRIPT_NAME not allowed"),
        (b"GET / HTTP/1.1\r\n" + b"X: y\r\n" * (MAX_HEAD // 6 + 1), 431, "request line and"),
    ],
)
def test_refused(data: bytes, status: int, message: str) -> None:
    verdict = scan(data, CAP)
    assert (verdict.state, verdict.status) == ("refuse", status)
    assert verdict.message.startswith(message)
