"""The gunicorn worker `serve` uses: gunicorn's threaded worker, buffering each request first.

Reading. gunicorn's gthread worker gives a connection to a pool thread as soon as it is readable,
and the thread then reads the request with blocking calls: a client that sends its headers (or
part of a body) and goes quiet holds that thread for as long as it likes, and as many such
clients as there are threads stall the server. This worker reads every request into memory in
its event loop, non-blocking, and gives it to a thread only once it is complete (framing.py says
when): a slow, silent or trickling client holds a buffer, never a thread. A request that has not
arrived whole within `READ_TIMEOUT` seconds of the connection (or of its first byte on a
kept-alive one) is answered 408 and dropped. Bodies over `MAX_REQUEST_BYTES`, broken chunked
framing and oversized header blocks are answered here (413, 400, 431) without reaching a thread.

Closing. Every connection that closes does so in the event loop: the write side is shut, and
what the client still sends is read and thrown away (at most `DRAIN_BYTES`, `DRAIN_SECONDS`),
so a client that writes its whole body before reading (urllib, requests, SPARQLWrapper) reads
the 413 instead of a reset (RFC 9112 9.6). gunicorn itself lingers the same way, but blocking,
in the loop's thread.

Lingering. A pool thread that answered keeps the connection for `LINGER` seconds: a client that
sends its next request within that time (a script looping over queries, a page loading its
parts) is answered by the same thread at once, saving two thread switches, a pipe write and two
epoll calls (about 80 microseconds, more than the whole answer of a repeated query takes). What
has not arrived whole by then goes back to the event loop.

A repeated `GET /sparql` whose answer the app keeps in memory (fastpath.py) is written straight
from the parsed request: no WSGI environ, no response object, one write of the kept header lines
and body (another ~50 microseconds). Anything else goes through gunicorn as usual.

Past 300 lines on purpose: reading, closing and lingering are one state machine over the same
connections and the same event loop, overriding gunicorn's methods that share that state; the
framing rules, which need none of it, are apart in framing.py.
"""

from __future__ import annotations

import contextlib
import errno
import select
import selectors
import socket
import time
from email.utils import formatdate
from functools import partial
from http import HTTPStatus
from typing import Any

from gunicorn.workers.gthread import STOP_KEEPALIVE_LINGER, TConn, ThreadWorker

from cybercrime_kg.cli.framing import Verdict, scan
from cybercrime_kg.config import DEFAULTS
from cybercrime_kg.web.fastpath import PATH, FastPath

LINGER = 0.002  # seconds a thread waits for the next request on the connection it served
DRAIN_SECONDS = 2.0  # a closing connection is read (and the bytes dropped) for at most this long
DRAIN_BYTES = 1024 * 1024  # ... or this many bytes
RECV_BYTES = 65536
CHECK_EVERY = 0.1  # seconds between scans for connections past their deadline
_HTTP_11 = (1, 1)
_CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"
_ERROR_PAGE_HEADERS = (
    b"X-Content-Type-Options: nosniff\r\nContent-Security-Policy: default-src 'none'\r\n"
)


def refusal(status: int, message: str) -> bytes:
    """A complete plain-text answer that closes the connection."""
    body = (message + "\n").encode()
    head = (
        f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\n"
        f"Date: {formatdate(usegmt=True)}\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\n"
        "X-Content-Type-Options: nosniff\r\n"
        "Connection: close\r\n\r\n"
    )
    return head.encode() + body


def _receive(sock: Any) -> bytes | None:
    """What a readable socket holds: b"" when the client went away, None when nothing yet."""
    try:
        data: bytes = sock.recv(RECV_BYTES)
    except (BlockingIOError, InterruptedError):
        return None
    except OSError:
        return b""
    return data


class _ErrorPageSocket:
    """The socket gunicorn writes its error pages (400, 414, 431, 501 ...) to, adding the
    headers every answer of the service carries (web/security.py)."""

    def __init__(self, sock: Any) -> None:
        self._sock = sock

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)

    def sendall(self, data: bytes) -> None:
        self._sock.sendall(data.replace(b"\r\n", b"\r\n" + _ERROR_PAGE_HEADERS, 1))


class LingeringThreadWorker(ThreadWorker):
    """gthread, reading whole requests in the event loop before a pool thread answers them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reading: dict[Any, float] = {}  # connection -> when its request must have arrived
        self.draining: dict[Any, float] = {}  # closing connection -> when it is dropped anyway
        self.read_timeout = float(DEFAULTS["READ_TIMEOUT"])
        self.max_body = int(DEFAULTS["MAX_REQUEST_BYTES"])
        self._next_check = 0.0

    def run(self) -> None:
        config = getattr(self.wsgi, "config", {})  # the Flask app, loaded by now
        self.read_timeout = float(config.get("READ_TIMEOUT", self.read_timeout))
        self.max_body = int(config.get("MAX_REQUEST_BYTES", self.max_body))
        super().run()

    # --- the event loop's thread -------------------------------------------------------------

    def accept(self, listener: Any) -> None:
        try:
            client, address = listener.accept()
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        self.nr_conns += 1
        conn = TConn(self.cfg, client, address, listener.getsockname())  # non-blocking
        conn.pending = bytearray()
        conn.kept = False
        self._await_request(conn, self.read_timeout)

    def _await_request(self, conn: Any, timeout: float) -> None:
        """Read on `conn` in the event loop until its buffered request is whole."""
        conn.continued = False
        if conn.pending and self._act(conn, scan(conn.pending, self.max_body)):
            return
        self.reading[conn] = time.monotonic() + timeout
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._on_readable, conn))

    def _on_readable(self, conn: Any, sock: Any) -> None:
        data = _receive(sock)
        if data is None:
            return
        if not data:  # the client went away
            self._unregister(conn)
            self._drop(conn)
            return
        if conn.kept and not conn.pending:  # an idle kept-alive connection starts a request
            self.reading[conn] = time.monotonic() + self.read_timeout
        conn.pending += data
        verdict = scan(conn.pending, self.max_body)
        if verdict.state != "more":
            self._unregister(conn)
        self._act(conn, verdict)

    def _act(self, conn: Any, verdict: Verdict) -> bool:
        """Hand a whole request to a thread, or refuse it; False: keep reading."""
        if verdict.state == "complete":
            self.enqueue_req(conn)
            return True
        if verdict.state == "refuse":
            self.log.info(
                "refused request from %s: %d %s", conn.client, verdict.status, verdict.message
            )
            self._send(conn, refusal(verdict.status, verdict.message))
            self._close(conn)
            return True
        if verdict.expects_continue and not conn.continued:
            conn.continued = True
            self._send(conn, _CONTINUE)
        return False

    def _send(self, conn: Any, data: bytes) -> None:
        """A small write that fits the socket buffer; a client that does not read loses it."""
        with contextlib.suppress(OSError):
            conn.sock.setblocking(False)
            conn.sock.send(data)

    def _close(self, conn: Any) -> None:
        """Shut the write side, then read and drop what the client still sends, then close."""
        try:
            conn.sock.setblocking(False)
            conn.sock.shutdown(socket.SHUT_WR)
        except OSError:
            self._drop(conn)
            return
        conn.drained = 0
        self.draining[conn] = time.monotonic() + DRAIN_SECONDS
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._on_drainable, conn))

    def _on_drainable(self, conn: Any, sock: Any) -> None:
        data = _receive(sock)
        if data is None:
            return
        conn.drained += len(data)
        if not data or conn.drained > DRAIN_BYTES:
            self._unregister(conn)
            self._drop(conn)

    def _unregister(self, conn: Any) -> None:
        self.reading.pop(conn, None)
        self.draining.pop(conn, None)
        with contextlib.suppress(KeyError, ValueError, OSError):
            self.poller.unregister(conn.sock)

    def _drop(self, conn: Any) -> None:
        self.nr_conns -= 1
        conn.close()

    def murder_pending(self) -> None:
        """Drop connections whose request did not arrive in time (408), or that drained long
        enough; runs after every turn of the event loop."""
        super().murder_pending()
        now = time.monotonic()
        if now < self._next_check:
            return
        self._next_check = now + CHECK_EVERY
        for conn, deadline in list(self.reading.items()):
            if deadline <= now:
                self._unregister(conn)
                if conn.pending:
                    message = f"request not received within {self.read_timeout:g} s"
                    self.log.info("dropped slow request from %s", conn.client)
                    self._send(conn, refusal(408, message))
                    self._close(conn)
                else:
                    self._drop(conn)
        for conn, deadline in list(self.draining.items()):
            if deadline <= now:
                self._unregister(conn)
                self._drop(conn)

    def _cap_keepalive(self, deadline: float) -> None:
        """A stopping worker waits for requests still arriving until `deadline` at most."""
        super()._cap_keepalive(deadline)
        for conn, until in self.reading.items():
            self.reading[conn] = min(until, deadline)
        self._next_check = 0.0

    def finish_request(self, conn: Any, fs: Any) -> None:
        """A thread is done with `conn`: read its next request in the loop, or close it."""
        try:
            keep = fs.result() if not fs.cancelled() else False
        except Exception:
            keep = False
        if keep is not True or conn.parser is None:
            self._close(conn)
            return
        conn.pending += conn.parser.unreader.take_buffered()
        conn.kept = True
        timeout = self.read_timeout if conn.pending else float(self.cfg.keepalive)
        if not self.alive:
            timeout = min(timeout, STOP_KEEPALIVE_LINGER)
        try:
            conn.sock.setblocking(False)
            self._await_request(conn, timeout)
        except (OSError, ValueError):
            self._unregister(conn)
            self._drop(conn)

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        super().handle_error(req, _ErrorPageSocket(client), addr, exc)

    # --- pool threads ------------------------------------------------------------------------

    def handle(self, conn: Any) -> Any:
        """Answer the buffered request, then those that follow on the connection at once."""
        try:
            conn.sock.setblocking(True)
            conn.init()
        except OSError:
            return False
        keep = self._answer(conn)
        # True: the response kept the connection alive (else False)
        while keep is True and self.alive and not getattr(conn, "is_http2", False):
            if not self._linger(conn):
                break
            keep = self._answer(conn)
        return keep

    def _answer(self, conn: Any) -> Any:
        """One request, from the buffer (framing.py has checked that it is all there)."""
        conn.parser.unreader.unread(bytes(conn.pending))
        conn.pending = bytearray()
        return super().handle(conn)

    def _linger(self, conn: Any) -> bool:
        """Whether the next request arrives whole within LINGER (else the loop waits for it)."""
        conn.pending += conn.parser.unreader.take_buffered()
        deadline = time.monotonic() + LINGER
        while scan(conn.pending, self.max_body).state != "complete":
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([conn.sock], [], [], remaining)[0]:
                return False
            try:
                data = conn.sock.recv(RECV_BYTES)
            except OSError:
                return False
            if not data:
                return False
            conn.pending += data
        return True

    def handle_request(self, req: Any, conn: Any) -> Any:
        started = time.perf_counter()
        fastpath = getattr(self.wsgi, "wsgi_app", None)  # create_app puts it in front of Flask
        if not isinstance(fastpath, FastPath) or not self._may_answer_here(req):
            return super().handle_request(req, conn)
        accept = [value for name, value in req.headers if name == "ACCEPT"]
        hit = fastpath.lookup(req.query, accept[0] if accept else "") if len(accept) < 2 else None
        if hit is None:
            return super().handle_request(req, conn)
        self.nr += 1
        status = "HTTP/1.1 200 OK\r\nServer: gunicorn\r\nConnection: keep-alive\r\n"
        date = f"Date: {formatdate(usegmt=True)}\r\n"
        conn.sock.sendall(b"".join(((status + date).encode(), hit.head, b"\r\n", hit.body)))
        fastpath.served(hit, time.perf_counter() - started)
        return True

    def _may_answer_here(self, req: Any) -> bool:
        """A plain HTTP/1.1 GET of /sparql with a query, on a connection that stays open."""
        return bool(
            req.method == "GET"
            and req.path == PATH
            and req.query
            and req.version == _HTTP_11
            and not req.should_close()
            and self.alive
            and self.cfg.keepalive
            and self.nr + 1 < self.max_requests
            and len(self.reading) < self.max_keepalived
            and not any(name == "IF-NONE-MATCH" for name, _ in req.headers)
        )
