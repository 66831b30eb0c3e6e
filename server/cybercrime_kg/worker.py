"""The gunicorn worker `serve` uses: gunicorn's threaded worker, minus a round trip per request.

gunicorn's gthread worker answers a request in a pool thread, then hands the kept-alive
connection back to its main thread, which registers it with its poller and, when the next
request arrives, hands it to a pool thread again: two thread switches, a pipe write and two
epoll calls per request, about 80 microseconds on the benchmark machine, more than the whole
answer of a repeated query takes. This worker lets the thread that answered keep the
connection for `LINGER` seconds: a client that sends its next request within that time (a
script looping over queries, a page loading its parts) is answered by the same thread at
once. Idle connections still go back to the poller, so a thread is never held longer than
`LINGER` by a client that sends nothing.
"""

from __future__ import annotations

import select
from typing import Any

from gunicorn.workers.gthread import ThreadWorker

LINGER = 0.002  # seconds a thread waits for the next request on the connection it served


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
