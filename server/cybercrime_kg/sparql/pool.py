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
import resource
import signal
import socket
import sys
import threading
from multiprocessing import reduction
from multiprocessing.connection import Connection
from typing import Any

from cybercrime_kg.errors import (
    EngineError,
    KGError,
    Overloaded,
    QueryAborted,
    QueryTimeout,
    RequestError,
)
from cybercrime_kg.formats import Format
from cybercrime_kg.sparql.engines.base import ASK, Answer, Engine, Job
from cybercrime_kg.sparql.results import check_writable, render

logger = logging.getLogger(__name__)


def evaluate(engine: Engine, job: Job, fmt: Format) -> Answer:
    """Evaluate and render in the current process, the body cut below `job.max_bytes`."""
    written = engine.write(job, fmt.name)
    if written is not None:
        check_writable(written.body, fmt)
        return written
    result = engine.execute(job)
    body = render(result, fmt)
    if not job.max_bytes or len(body) <= job.max_bytes:
        return Answer(body, result.truncated, result.size)
    while len(body) > job.max_bytes and result.size > 0 and result.form != ASK:
        keep = min(result.size - 1, int(result.size * job.max_bytes / len(body) * 0.95))
        result = result.first(keep)
        body = render(result, fmt)
    return Answer(body, True, result.size, by_bytes=True)


def limit_memory(extra: int) -> None:
    """Cap this process's address space at what it maps now plus `extra` bytes (0: no cap).

    A query process shares the loaded engine with its spawner, so the cap counts from there:
    an allocation past it fails (MemoryError in Python, an abort in Rust) and only this
    process, never the server, loses its memory.
    """
    if not extra:
        return
    with open("/proc/self/statm", encoding="ascii") as statm:
        mapped = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    limit = mapped + extra
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


RECURSION_LIMIT = 6000
OUT_OF_MEMORY = (
    "the query needed more memory than one query may take here ({mib} MiB, QUERY_MEMORY); "
    "its process was replaced: add a LIMIT, or build smaller values"
)
PROCESS_ENDED = (
    "the query's process ended while evaluating it: the query needed more memory than one "
    "query may take here ({mib} MiB, QUERY_MEMORY), or the engine failed on it; the process "
    "was replaced"
)


def _worker_loop(conn: Connection, engine: Engine, memory: int) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when workers stop
    limit_memory(memory)
    # rdflib's parser recurses a few frames per bracket: deep but legal queries need room (the
    # lexer caps the nesting; a stack that still runs out ends only this process)
    sys.setrecursionlimit(RECURSION_LIMIT)
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
        except MemoryError:
            # what it allocated is not all given back: end, and let the pool fork a new one
            conn.send(("retire", QueryAborted, OUT_OF_MEMORY.format(mib=memory >> 20)))
            return
        except KGError as exc:
            reply = ("error", EngineError, str(exc))
        except Exception:
            logger.exception("query worker failed")
            reply = ("error", EngineError, "the engine failed to evaluate the query")
        conn.send(reply)


def _spawner_loop(conn: Connection, engine: Engine, memory: int) -> None:
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
                _worker_loop(Connection(theirs.detach()), engine, memory)
            finally:
                os._exit(0)
        theirs.close()
        conn.send(pid)
        reduction.send_handle(conn, ours.fileno(), os.getppid())
        ours.close()


class _Spawner:
    """The process that forks every query process (see the module's docstring)."""

    def __init__(self, engine: Engine, memory: int) -> None:
        context = multiprocessing.get_context("fork")
        self.conn, child = context.Pipe()  # a socket pair: it can carry file descriptors
        self.process = context.Process(
            target=_spawner_loop,
            args=(child, engine, memory),
            daemon=True,
            name="sparql-spawner",
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


class ProcessEnded(QueryAborted):
    """The query process is gone (or going): the pool must put a new one in its place."""


class _QueryProcess:
    """One query process and this process's end of its pipe."""

    def __init__(self, spawner: _Spawner, memory: int) -> None:
        self.pid, self.conn = spawner.spawn()
        self.memory = memory

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
        except (EOFError, OSError):
            raise ProcessEnded(PROCESS_ENDED.format(mib=self.memory >> 20)) from None
        if reply[0] == "ok":
            answer: Answer = reply[1]
            return answer
        error_class, message = reply[1], reply[2]
        if reply[0] == "retire":
            raise ProcessEnded(message)
        raise error_class(message)

    def stop(self) -> None:
        self.kill()
        self.conn.close()


class QueryPool:
    """A fixed number of query processes per HTTP worker; size 0 runs queries in-thread."""

    def __init__(
        self, engine: Engine, size: int, timeout: float, queue_wait: float, memory: int = 0
    ) -> None:
        self.engine = engine
        self.memory = memory
        self.size = size
        self.timeout = timeout
        self.queue_wait = queue_wait
        self._idle: queue.Queue[_QueryProcess] = queue.Queue()
        self._all: set[_QueryProcess] = set()
        self._lock = threading.Lock()
        self._spawner = _Spawner(engine, memory) if size else None
        for _ in range(size):
            self._idle.put(self._spawn())

    def _spawn(self) -> _QueryProcess:
        assert self._spawner is not None
        worker = _QueryProcess(self._spawner, self.memory)
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
        except (QueryTimeout, ProcessEnded, EngineError) as exc:
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
