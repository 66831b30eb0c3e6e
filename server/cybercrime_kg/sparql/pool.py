"""Run queries in worker processes that can be killed when they overrun the time limit.

A Python thread cannot be stopped, and neither rdflib nor pyoxigraph can be interrupted from
outside, so each query runs in a forked process that already holds the loaded engine (copy on
write, no reload). On timeout the process is killed and a fresh one forked in its place; the
HTTP threads only wait on a pipe, so every other client keeps being served. The number of
workers is the cap on concurrent queries; a request that finds none free within the queue wait
gets 503.

Query processes are not forked from the HTTP worker itself but from a spawner process forked
from it at start-up, before the first request. Forked later from the HTTP worker, a query
process would begin with a copy of everything that worker had put in memory since (its answer
caches above all), and as the worker goes on changing those pages the copies become the query
process's own: a 30-minute soak measured 700 MiB of such copies. The spawner never changes
after start-up, so the processes it forks share its pages for as long as they live.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import queue
import signal
import socket
import threading
from multiprocessing import reduction
from multiprocessing.connection import Connection
from typing import Any

from cybercrime_kg.errors import EngineError, KGError, Overloaded, QueryTimeout, RequestError
from cybercrime_kg.formats import Format
from cybercrime_kg.sparql.engines.base import Answer, Engine, Job
from cybercrime_kg.sparql.results import check_writable, render

logger = logging.getLogger(__name__)


def evaluate(engine: Engine, job: Job, fmt: Format) -> Answer:
    """Evaluate and render in the current process."""
    written = engine.write(job, fmt.name)
    if written is not None:
        check_writable(written.body, fmt)
        return written
    result = engine.execute(job)
    return Answer(render(result, fmt), result.truncated, result.size)


def _worker_loop(conn: Connection, engine: Engine) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when workers stop
    while True:
        try:
            job, fmt = conn.recv()
        except (EOFError, OSError):  # the parent went away
            return
        reply: tuple[Any, ...]
        try:
            reply = ("ok", evaluate(engine, job, fmt))
        except RequestError as exc:
            reply = ("error", type(exc), exc.message)
        except KGError as exc:
            reply = ("error", EngineError, str(exc))
        except Exception:
            logger.exception("query worker failed")
            reply = ("error", EngineError, "the engine failed to evaluate the query")
        conn.send(reply)


def _spawner_loop(conn: Connection, engine: Engine) -> None:
    """Fork a query process for each request on `conn`; send back its pid and its pipe."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps the processes it forks
    while True:
        try:
            conn.recv()
        except (EOFError, OSError):  # the HTTP worker went away
            return
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:  # the query process
            try:
                conn.close()
                ours.close()
                _worker_loop(Connection(theirs.detach()), engine)
            finally:
                os._exit(0)
        theirs.close()
        conn.send(pid)
        reduction.send_handle(conn, ours.fileno(), os.getppid())
        ours.close()


class _Spawner:
    """The process that forks every query process (see the module's docstring)."""

    def __init__(self, engine: Engine) -> None:
        context = multiprocessing.get_context("fork")
        self.conn, child = context.Pipe()  # a socket pair: it can carry file descriptors
        self.process = context.Process(
            target=_spawner_loop, args=(child, engine), daemon=True, name="sparql-spawner"
        )
        self.process.start()
        child.close()
        self._lock = threading.Lock()

    def spawn(self) -> tuple[int, Connection]:
        """A new query process: its pid and this process's end of its pipe."""
        with self._lock:
            self.conn.send("spawn")
            pid: int = self.conn.recv()
            fd = reduction.recv_handle(self.conn)
        return pid, Connection(fd)

    def stop(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class _QueryProcess:
    """One query process and this process's end of its pipe."""

    def __init__(self, spawner: _Spawner) -> None:
        self.pid, self.conn = spawner.spawn()

    def is_alive(self) -> bool:
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        return True

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)

    def ask(self, job: Job, fmt: Format, timeout: float) -> Answer:
        self.conn.send((job, fmt))
        if not self.conn.poll(timeout):
            raise QueryTimeout(
                f"query stopped after the time limit of {timeout:g} s; simplify it or add a LIMIT"
            )
        try:
            reply = self.conn.recv()
        except (EOFError, OSError) as exc:
            raise EngineError("a query worker died while evaluating the query") from exc
        if reply[0] == "ok":
            answer: Answer = reply[1]
            return answer
        error_class, message = reply[1], reply[2]
        raise error_class(message)

    def stop(self) -> None:
        self.kill()
        self.conn.close()


class QueryPool:
    """A fixed number of query processes per HTTP worker; size 0 runs queries in-thread."""

    def __init__(self, engine: Engine, size: int, timeout: float, queue_wait: float) -> None:
        self.engine = engine
        self.size = size
        self.timeout = timeout
        self.queue_wait = queue_wait
        self._idle: queue.Queue[_QueryProcess] = queue.Queue()
        self._all: set[_QueryProcess] = set()
        self._lock = threading.Lock()
        self._spawner = _Spawner(engine) if size else None
        for _ in range(size):
            self._idle.put(self._spawn())

    def _spawn(self) -> _QueryProcess:
        assert self._spawner is not None
        worker = _QueryProcess(self._spawner)
        with self._lock:
            self._all.add(worker)
        return worker

    def _retire(self, worker: _QueryProcess) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.stop()

    def run(self, job: Job, fmt: Format) -> Answer:
        """Evaluate in a free worker; QueryTimeout or Overloaded (503) when time runs out."""
        if self.size == 0:
            return evaluate(self.engine, job, fmt)
        try:
            worker = self._idle.get(timeout=self.queue_wait)
        except queue.Empty:
            raise Overloaded(
                f"all {self.size} query workers are busy; retry later",
                headers={"Retry-After": "1"},
            ) from None
        try:
            answer = worker.ask(job, fmt, self.timeout)
        except (QueryTimeout, EngineError) as exc:
            if isinstance(exc, EngineError) and worker.is_alive():
                self._idle.put(worker)
                raise
            logger.warning("replacing query worker %s: %s", worker.pid, exc)
            worker.kill()  # stop the work now; forking a new one need not delay the 503
            threading.Thread(target=self._replace, args=(worker,), daemon=True).start()
            raise
        except BaseException:
            self._idle.put(worker)
            raise
        self._idle.put(worker)
        return answer

    def _replace(self, worker: _QueryProcess) -> None:
        """Reap a stopped worker and put a freshly forked one in its place."""
        self._retire(worker)
        self._idle.put(self._spawn())

    def close(self) -> None:
        """Stop every worker process."""
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.stop()
        if self._spawner is not None:
            self._spawner.stop()
