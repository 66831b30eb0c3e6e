"""A slow query is stopped at the time limit while other clients keep being served."""

from __future__ import annotations

import os
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlencode

import pytest

from helpers.sparql import count

TIMEOUT = 2.0  # the live server's --query-timeout
# seven-way cross product of the fixture's 25 triples: 25**7 rows to count, minutes on any engine
SLOW = (
    "SELECT (COUNT(*) AS ?n) WHERE { " + " . ".join(f"?s{i} ?p{i} ?o{i}" for i in range(7)) + " }"
)
STOPPED = f"query stopped after the time limit of {TIMEOUT:g} s; simplify it or add a LIMIT\n"


def get(root: str, query: str) -> tuple[int, bytes]:
    request = urllib.request.Request(
        root + "sparql?" + urlencode({"query": query}),
        headers={"Accept": "application/sparql-results+json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_slow_query_gets_503_in_time_while_another_is_answered(live_root):
    slow: dict[str, object] = {}

    def run_slow() -> None:
        started = time.monotonic()
        slow["status"], slow["body"] = get(live_root, SLOW)
        slow["elapsed"] = time.monotonic() - started
        slow["finished"] = time.monotonic()

    thread = threading.Thread(target=run_slow)
    thread.start()
    time.sleep(0.3)  # let the slow query reach its worker process first
    # a comment makes the text unique, so the answer cannot come from the result cache
    status, body = get(live_root, f"SELECT (COUNT(*) AS ?n) {{ ?s ?p ?o }} # {uuid.uuid4()}")
    answered = time.monotonic()
    thread.join()

    assert (status, count(body)) == (200, 25)
    assert (slow["status"], slow["body"]) == (503, STOPPED.encode())
    assert slow["elapsed"] < TIMEOUT + 1
    assert answered < slow["finished"]  # type: ignore[operator]


def test_service_recovers_after_a_timeout(live_root):
    assert get(live_root, SLOW)[0] == 503
    # both query workers answer again (the killed one was replaced)
    answers = [get(live_root, f"ASK {{ ?s ?p ?o }} # {uuid.uuid4()}") for _ in range(4)]
    assert all(status == 200 for status, _ in answers)
    with urllib.request.urlopen(live_root + "metrics", timeout=10) as response:
        metrics = response.read().decode()
    assert "cybercrime_kg_query_timeouts_total 0" not in metrics


def _parent(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def test_query_processes_come_from_the_spawner_not_the_http_worker():
    """A replacement is forked from the process forked at start-up, not from this one (whose
    memory has grown since); the stopped process leaves no zombie behind."""
    from cybercrime_kg.dataset import load_dataset, project_parts
    from cybercrime_kg.errors import QueryTimeout
    from cybercrime_kg.formats import RESULT_FORMATS
    from cybercrime_kg.paths import Layout
    from cybercrime_kg.sparql.engines.base import Job
    from cybercrime_kg.sparql.engines.rdflib_engine import RdflibEngine
    from cybercrime_kg.sparql.pool import QueryPool
    from helpers.sparql import BASE, COUNT, HOME

    engine = RdflibEngine.from_dataset(load_dataset(project_parts(Layout(HOME))))
    pool = QueryPool(engine, 1, 1.0, 5.0)
    try:
        spawner = pool._spawner
        assert spawner is not None
        (first,) = pool._all
        json = RESULT_FORMATS[0]
        with pytest.raises(QueryTimeout):
            pool.run(Job(SLOW, BASE), json)
        answer = pool.run(Job(COUNT, BASE, columns=("n",)), json)  # waits for the new one
        (second,) = pool._all
        assert count(answer.body) == 25
        assert second.pid != first.pid
        assert not Path(f"/proc/{first.pid}").exists()  # reaped, not a zombie
        assert [_parent(second.pid), _parent(spawner.process.pid)] == [
            spawner.process.pid,
            os.getpid(),
        ]
    finally:
        pool.close()
