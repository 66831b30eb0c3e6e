"""The gunicorn worker of `serve` (worker.py) on a live server: requests that follow each other
on one kept-alive connection, pipelined requests, and idle connections that must not hold the
threads other clients need."""

from __future__ import annotations

import http.client
import socket
import time
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest

from helpers.sparql import live_server

QUERY = "/sparql?" + urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
TSV = {"Accept": "text/tab-separated-values"}
ANSWER = b'?n\n"25"^^<http://www.w3.org/2001/XMLSchema#integer>\n'
THREADS = 4  # live_server's --threads


@pytest.fixture(scope="module")
def port() -> Iterator[int]:
    with live_server("rdflib") as root:
        yield int(root.rstrip("/").rsplit(":", 1)[1])


def answer(connection: http.client.HTTPConnection) -> tuple[int, bytes]:
    connection.request("GET", QUERY, headers=TSV)
    response = connection.getresponse()
    return response.status, response.read()


def test_back_to_back_requests_on_one_connection(port: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    answers = [answer(connection) for _ in range(200)]
    # with pauses longer than the worker lingers: the connection goes back to the poller
    for _ in range(3):
        time.sleep(0.05)
        answers.append(answer(connection))
    connection.close()
    assert answers == [(200, ANSWER)] * 203


def test_pipelined_requests_are_answered_in_order(port: int) -> None:
    first = f"GET {QUERY} HTTP/1.1\r\nHost: x\r\nAccept: text/tab-separated-values\r\n\r\n"
    second = f"GET {QUERY}&x=1 HTTP/1.1\r\nHost: x\r\nAccept: application/sparql-results+json\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall((first + second + "Connection: close\r\n\r\n").encode())
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    responses = received.split(b"HTTP/1.1 ")[1:]
    assert [r.split(b"\r\n", 1)[0] for r in responses] == [b"200 OK", b"200 OK"]
    assert responses[0].endswith(ANSWER)
    assert responses[1].endswith(
        b'"value":"25","datatype":"http://www.w3.org/2001/XMLSchema#integer"}}]}}'
    )


def test_idle_kept_alive_connections_hold_no_thread(port: int) -> None:
    idle = []
    for _ in range(THREADS * 3):  # more idle connections than the worker has threads
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        assert answer(connection) == (200, ANSWER)
        idle.append(connection)
    time.sleep(0.1)  # well past the linger: each is back on the poller, its thread free
    # a thread held by an idle connection would leave this client waiting past its timeout
    other = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    answers = [answer(other) for _ in range(THREADS * 3)]
    assert answers == [(200, ANSWER)] * (THREADS * 3)
    # the idle ones are still open and served
    assert [answer(connection) for connection in idle] == [(200, ANSWER)] * (THREADS * 3)
    for connection in [*idle, other]:
        connection.close()


def raw(port: int, request: str) -> tuple[str, dict[str, str], bytes]:
    """One request on its own connection: status line, headers (Date left out), body."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request.encode())
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines)
    headers.pop("Date")
    return status, headers, body


def test_a_kept_answer_is_written_with_the_headers_of_the_first(port: int) -> None:
    query = "/sparql?" + urlencode({"query": "ASK { ?s ?p ?o }", "x": "kept"})
    get = f"GET {query} HTTP/1.1\r\nHost: x\r\nAccept: application/sparql-results+json\r\n"
    first = raw(port, get + "Connection: close\r\n\r\n")  # answered by Flask, then kept
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", query, headers={"Accept": "application/sparql-results+json"})
    response = connection.getresponse()
    repeated = (response.status, dict(response.getheaders()), response.read())
    connection.close()
    repeated[1].pop("Date")
    assert first == (
        "HTTP/1.1 200 OK",
        {**repeated[1], "Connection": "close"},
        b'{"head":{},"boolean":true}',
    )
    assert (repeated[0], repeated[1]["Connection"], repeated[2]) == (200, "keep-alive", first[2])
    # conditional requests, HTTP/1.0 and closing connections are left to gunicorn and Flask
    etag = repeated[1]["ETag"]
    not_modified = raw(port, get + f"If-None-Match: {etag}\r\nConnection: close\r\n\r\n")
    old = raw(port, f"GET {query} HTTP/1.0\r\nAccept: application/sparql-results+json\r\n\r\n")
    assert (not_modified[0], not_modified[2]) == ("HTTP/1.1 304 NOT MODIFIED", b"")
    assert (old[0], old[1]["Connection"], old[2]) == ("HTTP/1.0 200 OK", "close", first[2])
