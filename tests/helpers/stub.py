"""A scripted HTTP server on 127.0.0.1 standing in for a triplestore: records every request."""

from __future__ import annotations

import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Seen:
    """One request as the stub received it."""

    method: str
    path: str
    content_type: str
    body: bytes

    @property
    def form(self) -> dict[str, list[str]]:
        """The URL-encoded body (or query string) as parameters."""
        query = urllib.parse.urlsplit(self.path).query
        text = self.body.decode() if "urlencoded" in self.content_type else query
        return urllib.parse.parse_qs(text, keep_blank_values=True)


@dataclass(frozen=True)
class Reply:
    status: int = 200
    content_type: str = "application/sparql-results+json"
    body: bytes = b'{"boolean": true}'
    delay: float = 0.0


@dataclass
class Stub:
    """The stub's address, what it has seen, and how it answers (settable by each test)."""

    url: str
    seen: list[Seen] = field(default_factory=list)
    answer: Callable[[Seen], Reply] = lambda seen: Reply()


@contextmanager
def stub_endpoint(port: int = 0) -> Iterator[Stub]:
    """Serve on `port` (default: a free one) of 127.0.0.1 until the block ends."""
    stub: Stub

    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            seen = Seen(
                self.command,
                self.path,
                self.headers.get("Content-Type", ""),
                self.rfile.read(length),
            )
            stub.seen.append(seen)
            reply = stub.answer(seen)
            time.sleep(reply.delay)
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client stopped waiting (a timeout test)

        do_GET = do_POST = do_PUT = do_DELETE = _handle

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    stub = Stub(f"http://127.0.0.1:{server.server_address[1]}/sparql")
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield stub
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
