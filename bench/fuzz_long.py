"""The long fuzz run: 10,000+ generated requests against a live server, a control query throughout.

The grammar and the oracle are the suite's (tests/helpers/fuzz_requests.py and fuzz_oracle.py),
driven by seeded `random.Random`s instead of Hypothesis. The server serves the fixture project
(tests/fixtures/sparql, 25 triples), so the control query's answer is known, and runs on
127.0.0.1 only. Bounded in count (--requests) and in time (--max-seconds).

    .venv/bin/python bench/fuzz_long.py [--requests 12000] [--threads 4] [--engine rdflib]
"""

from __future__ import annotations

import argparse
import collections
import threading
import time
import uuid
from typing import Any
from urllib.parse import urlencode

# isort: off
from liveserver import ROOT, serving  # first: it puts tests/ on the path

# isort: on
from helpers.fuzz_oracle import problems, raw_bytes, send_raw
from helpers.fuzz_requests import FuzzRequest, RandomChooser, build_request, mangle
from helpers.sparql import COUNT, count

HANG_SECONDS = 60  # a request neither answered nor closed in this long is a hang


class Tally:
    """What the threads saw, under one lock."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.statuses: collections.Counter[int] = collections.Counter()
        self.failures: collections.Counter[str] = collections.Counter()
        self.examples: list[str] = []
        self.sent = 0
        self.controls = 0
        self.control_failures = 0

    def fail(self, kind: str, example: str) -> None:
        with self.lock:
            self.failures[kind] += 1
            if len(self.examples) < 10:
                self.examples.append(f"{kind}: {example[:300]}")


def fuzz(root: str, seed: int, quota: int, deadline: float, tally: Tally) -> None:
    chooser = RandomChooser(seed)
    for _ in range(quota):
        if time.monotonic() > deadline:
            return
        request = build_request(chooser)
        wire = raw_bytes(request, root.removeprefix("http://").rstrip("/"))
        if chooser.chance(0.2):
            wire = mangle(chooser, wire)
        try:
            answer = send_raw(root, wire, request.method, timeout=HANG_SECONDS)
        except TimeoutError:
            tally.fail("hang", repr(wire[:300]))
            continue
        except OSError as exc:  # reset or closed without an answer
            tally.fail(type(exc).__name__, repr(wire[:300]))
            continue
        with tally.lock:
            tally.sent += 1
            tally.statuses[answer[0]] += 1
        for problem in problems(request, answer):
            tally.fail(problem.split(":")[0], f"{problem} <- {wire[:300]!r}")


def control(root: str, expected: int, stop: threading.Event, tally: Tally) -> None:
    """Every half second, a query the engine must answer (fresh text: no cache) correctly."""
    while not stop.wait(0.5):
        query = urlencode({"query": f"{COUNT} # control {uuid.uuid4()}"})
        ok = False
        try:
            status, _, body = send_raw(
                root, raw_bytes(FuzzRequest("GET", "/sparql", query), ""), "GET"
            )
            ok = status == 200 and count(body) == expected
        except (OSError, ValueError, KeyError):
            pass
        with tally.lock:
            tally.controls += 1
            tally.control_failures += not ok


def run(args: argparse.Namespace) -> dict[str, Any]:
    tally = Tally()
    options = ["--engine", args.engine, "--query-timeout", "2", "--workers", "2"]
    with serving(options, ROOT / "tests" / "fixtures" / "sparql") as (root, _):
        started = time.monotonic()
        deadline = started + args.max_seconds
        stop = threading.Event()
        watcher = threading.Thread(target=control, args=(root, 25, stop, tally))
        watcher.start()
        quota = -(-args.requests // args.threads)
        threads = [
            threading.Thread(target=fuzz, args=(root, args.seed + i, quota, deadline, tally))
            for i in range(args.threads)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        stop.set()
        watcher.join()
        seconds = time.monotonic() - started
    return {"tally": tally, "seconds": seconds}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=12_000)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--engine", default="rdflib", choices=["rdflib", "oxigraph"])
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--max-seconds", type=float, default=1800)
    args = parser.parse_args()
    result = run(args)
    tally: Tally = result["tally"]
    answered = sum(tally.statuses.values())
    print(f"engine {args.engine}, seed {args.seed}, {args.threads} threads")
    print(f"requests answered: {answered} in {result['seconds']:.0f} s")
    print("by status: " + ", ".join(f"{s}: {n}" for s, n in sorted(tally.statuses.items())))
    print(f"5xx: {sum(n for s, n in tally.statuses.items() if s >= 500 and s != 503)}")
    print(f"failures: {dict(tally.failures) or 'none'}")
    for example in tally.examples:
        print("  " + example)
    print(f"control query: {tally.controls - tally.control_failures}/{tally.controls} correct")
    return 1 if tally.failures or tally.control_failures or answered < args.requests else 0


if __name__ == "__main__":
    raise SystemExit(main())
