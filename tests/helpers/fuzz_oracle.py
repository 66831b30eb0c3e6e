"""What every answer of the endpoint must look like, and how fuzz requests are sent.

`problems()` is the oracle of tests/test_fuzz.py and bench/fuzz_long.py: a well-formed 2xx, 3xx,
4xx or 503 with the right Content-Type, a body that parses as that type, and no trace of the
server's internals. `send_raw()` speaks HTTP/1.1 over a bare socket, so a request can carry what
http.client refuses to send (bytes that are not UTF-8, mangled request lines).
"""

from __future__ import annotations

import http.client
import json
import socket
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path

from rdflib import Dataset

from cybercrime_kg.formats import GRAPH_FORMATS, RDFLIB_FORMAT, RESULT_FORMATS
from cybercrime_kg.sparql.engines.base import rdflib_quietly
from helpers.fuzz_requests import FuzzRequest

# 414/431: gunicorn's answers to an over-long request line or header
ALLOWED = frozenset({200, 204, 304, 308, 400, 403, 404, 405, 406, 413, 414, 415, 431, 503})
ERROR_TYPES = ("text/plain; charset=utf-8", "application/json")
ANSWER_TYPES = {f.content_type: f for f in (*RESULT_FORMATS, *GRAPH_FORMATS)}
REPO = str(Path(__file__).resolve().parents[2])
# what a stack trace, a module or a file of the server looks like in a response
LEAKS = ("Traceback", 'File "', "site-packages", REPO, "cybercrime_kg.", "cybercrime-kg-data-")

Answer = tuple[int, Mapping[str, str], bytes]


def leaks(body: bytes) -> list[str]:
    """The marks of server internals found in a response body."""
    text = body.decode("utf-8", errors="replace")
    return [f"leaks {mark!r}" for mark in LEAKS if mark in text]


def _parses(fmt_name: str, body: bytes) -> str | None:
    """None if `body` is a well-formed document of the format, else why not."""
    try:
        if fmt_name == "json":
            data = json.loads(body)
            if "head" not in data or not ("results" in data or "boolean" in data):
                return "SPARQL JSON without head and results/boolean"
        elif fmt_name == "xml":
            ET.fromstring(body)
        elif fmt_name in ("csv", "tsv"):
            body.decode("utf-8")
        else:
            with rdflib_quietly():
                Dataset().parse(data=body, format=RDFLIB_FORMAT[fmt_name])
    except Exception as exc:
        return f"body is not {fmt_name}: {type(exc).__name__}: {str(exc)[:200]}"
    return None


def _from_gunicorn(status: int, content_type: str, body: bytes) -> bool:
    """gunicorn's own page for a request it could not parse (the app never saw it)."""
    return status in (400, 414, 431) and content_type == "text/html" and body.startswith(b"<html>")


def _error_problems(status: int, content_type: str, body: bytes) -> list[str]:
    if not content_type.startswith(ERROR_TYPES):
        return [f"{status} with Content-Type {content_type!r}"]
    if not body.strip():
        return [f"{status} without a message"]
    if content_type.startswith("application/json"):
        error = json.loads(body).get("error", {})
        if error.get("status") != status or not error.get("message"):
            return [f"{status} with JSON error {error!r}"]
    return []


# what the remote engine answers when the store itself fails on a query (Virtuoso does on some
# valid ones): the store's fault, said as such
STORE_FAILED = "the remote SPARQL endpoint answered HTTP 500"


def problems(request: FuzzRequest, answer: Answer, store_may_fail: bool = False) -> list[str]:
    """Everything wrong with `answer` as a response to `request` (empty when it is well-formed).

    `store_may_fail`: behind a store known to fail on some valid queries, a 502 saying so is
    a right answer."""
    status, headers, body = answer
    content_type = headers.get("Content-Type", "")
    found = leaks(body)
    if store_may_fail and status == 502 and body.decode("utf-8", "replace").strip() == STORE_FAILED:
        return found
    if status not in ALLOWED:
        found.append(f"status {status}")
    if request.method == "HEAD" or status in (204, 304):
        if body:
            found.append(f"{request.method} {status} with a body")
    elif status >= 400 and not _from_gunicorn(status, content_type, body):
        found += _error_problems(status, content_type, body)
    if status == 405 and "Allow" not in headers:
        found.append("405 without Allow")
    if status == 308 and "Location" not in headers:  # Werkzeug's redirect from //sparql
        found.append("308 without Location")
    if status == 200 and request.path == "/sparql" and request.method != "OPTIONS":
        fmt = ANSWER_TYPES.get(content_type)
        if fmt is None:
            found.append(f"answer with Content-Type {content_type!r}")
        elif request.method != "HEAD":
            found += [p for p in [_parses(fmt.name, body)] if p]
    elif status == 200 and not content_type:
        found.append("200 without Content-Type")
    return found


def via_client(client: object, request: FuzzRequest) -> Answer:
    """Send through a Flask test client."""
    response = client.open(  # type: ignore[attr-defined]
        request.path,
        method=request.method,
        query_string=request.query_string,
        headers=request.headers,
        data=request.body,
    )
    return response.status_code, response.headers, response.get_data()


def raw_bytes(request: FuzzRequest, host: str) -> bytes:
    """The request as it goes on the wire, with Connection: close."""
    head = [f"{request.method} {request.target} HTTP/1.1", f"Host: {host}", "Connection: close"]
    head += [f"{name}: {value}" for name, value in request.headers.items()]
    if request.body or request.method in ("POST", "PUT", "PATCH"):
        head.append(f"Content-Length: {len(request.body)}")
    return "\r\n".join(head).encode("latin-1", errors="replace") + b"\r\n\r\n" + request.body


def send_raw(root: str, data: bytes, method: str, timeout: float = 60) -> Answer:
    """Send raw bytes to the server at `root` (http://127.0.0.1:PORT/) and read one response.

    A server that neither answers nor closes within `timeout` seconds raises TimeoutError:
    that is a hang, whatever the request was.
    """
    host, port = root.removeprefix("http://").rstrip("/").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as sock:
        sock.sendall(data)
        response = http.client.HTTPResponse(sock, method=method)
        response.begin()
        body = response.read()
        return response.status, dict(response.getheaders()), body
