"""The gunicorn worker `serve` uses: gunicorn's threaded worker, minus two costs per request.

gunicorn's gthread worker answers a request in a pool thread, then hands the kept-alive
connection back to its main thread, which registers it with its poller and, when the next
request arrives, hands it to a pool thread again: two thread switches, a pipe write and two
epoll calls per request, about 80 microseconds on the benchmark machine, more than the whole
answer of a repeated query takes. This worker lets the thread that answered keep the
connection for `LINGER` seconds: a client that sends its next request within that time (a
script looping over queries, a page loading its parts) is answered by the same thread at
once. Idle connections still go back to the poller, so a thread is never held longer than
`LINGER` by a client that sends nothing.

A repeated `GET /sparql` whose answer the app keeps in memory (fastpath.py) is written
straight from the parsed request: no WSGI environ, no response object, one write of the kept
header lines and body (another ~50 microseconds). Anything else, and any request whose
connection must close, goes through gunicorn as usual.
"""

from __future__ import annotations

import select
import time
from email.utils import formatdate
from typing import Any

from gunicorn.workers.gthread import ThreadWorker

from cybercrime_kg.web.fastpath import PATH, FastPath

LINGER = 0.002  # seconds a thread waits for the next request on the connection it served
_HTTP_11 = (1, 1)


class LingeringThreadWorker(ThreadWorker):
    """gthread, serving back-to-back requests of one kept-alive connection in one thread."""

    def handle(self, conn: Any) -> Any:
        keep = super().handle(conn)
        # True: the response kept the connection alive (else False, or gunicorn's deferral)
        while keep is True and self.alive and not getattr(conn, "is_http2", False):
            if not conn.parser.unreader.buf.getvalue():  # nothing read ahead: wait briefly
                readable, _, _ = select.select([conn.sock], [], [], LINGER)
                if not readable:
                    break
            keep = super().handle(conn)
        return keep

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
            and len(self.keepalived_conns) < self.max_keepalived
            and not any(name == "IF-NONE-MATCH" for name, _ in req.headers)
        )
