"""Load and soak: N clients on a mix of named and ad-hoc queries, with a few runaway queries.

Against `cybercrime-kg serve` on 127.0.0.1 with the project's data (2 HTTP workers, 2 query
workers each, --query-timeout 5). Each client sends, over one keep-alive connection:
named queries (GET /queries/<name>, every one of queries/*.rq), ad-hoc queries (bench/queries/*.rq
as they are, and templates filled with fresh values so that they miss every cache), and one
runaway query (a seven-way cross product) every --runaway-every seconds. Expected: every query
200, every runaway 503 at the time limit, and 503s for queries that found every query worker busy;
anything else is an error. Memory (RSS and PSS of every server process) is sampled throughout.
Bounded in time (--duration, at most an hour) and in count (--max-requests).

    .venv/bin/python bench/load.py                   # 8 clients, 60 s
    .venv/bin/python bench/load.py --duration 600    # the 10-minute soak
"""

from __future__ import annotations

import argparse
import collections
import http.client
import multiprocessing
import random
import statistics
import threading
import time
import uuid
from typing import Any
from urllib.parse import urlencode

# isort: off
from liveserver import ROOT, memory, serving  # first: it puts tests/ on the path

# isort: on
from cybercrime_kg.sparql.named_queries import load_named

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { " + " . ".join(f"?s{i} ?p{i} ?o{i}" for i in range(7))
PREFIXES = (
    "PREFIX ieg: <https://w3id.org/cybercrime-kg/ontology#>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
)
TEMPLATES = [
    PREFIXES + 'SELECT ?s ?l WHERE {{ ?s rdfs:label ?l FILTER(CONTAINS(LCASE(?l), "{word}")) }}',
    PREFIXES + "SELECT (COUNT(*) AS ?n) WHERE {{ ?s a ieg:{cls} }} # {uid}",
    "DESCRIBE <https://w3id.org/cybercrime-kg/id/state/{iso}>",
    "SELECT ?p ?o WHERE {{ <https://w3id.org/cybercrime-kg/id/state/{iso}> ?p ?o }} # {uid}",
]
WORDS = ["cyber", "crime", "state", "meeting", "law", "study", "china", "data", "network", "国"]
CLASSES = ["Meeting", "State", "Stance", "Resolution", "Document", "SourcePassage", "Topic"]
ISO = ["CHN", "USA", "RUS", "AUT", "BRA", "IND", "ZAF", "EGY", "FRA", "GBR", "JPN", "DEU"]
ACCEPT = {"Accept": "application/sparql-results+json, text/turtle;q=0.9"}


def workload() -> tuple[list[str], list[str]]:
    """Named-query URLs (with example parameters) and fixed ad-hoc query texts."""
    named = []
    for name, query in load_named(ROOT / "queries").items():
        values = {p.name: p.example or "zh" for p in query.parameters}
        named.append(f"/queries/{name}" + (f"?{urlencode(values)}" if values else ""))
    adhoc = [path.read_text() for path in sorted((ROOT / "bench" / "queries").glob("*.rq"))]
    return named, adhoc


def fresh(rng: random.Random) -> str:
    return rng.choice(TEMPLATES).format(
        word=rng.choice(WORDS), cls=rng.choice(CLASSES), uid=uuid.uuid4(), iso=rng.choice(ISO)
    )


def client(args: tuple[int, int, float, float, int]) -> dict[str, Any]:
    """One client process: requests until the deadline; statuses, latencies and errors."""
    index, port, deadline, runaway_every, quota = args
    rng = random.Random(index)
    named, adhoc = workload()
    statuses: collections.Counter[tuple[str, int]] = collections.Counter()
    latencies: list[float] = []
    errors: list[str] = []
    next_runaway = time.time() + runaway_every * (index + 1) / 8
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for _ in range(quota):
        now = time.time()
        if now > deadline:
            break
        if now >= next_runaway:
            kind, target = (
                "runaway",
                "/sparql?" + urlencode({"query": f"{RUNAWAY} }} # {uuid.uuid4()}"}),
            )
            next_runaway += runaway_every
        else:
            kind = rng.choice(("named", "adhoc", "fresh"))
            text = rng.choice(adhoc) if kind == "adhoc" else fresh(rng)
            target = (
                rng.choice(named) if kind == "named" else "/sparql?" + urlencode({"query": text})
            )
        started = time.perf_counter()
        try:
            conn.request("GET", target, headers=ACCEPT)
            response = conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as exc:
            errors.append(f"{kind}: {type(exc).__name__}: {exc}")
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            continue
        seconds = time.perf_counter() - started
        statuses[(kind, status)] += 1
        expected = 503 if kind == "runaway" else 200
        if status == expected and kind != "runaway":
            latencies.append(seconds)
        elif status != expected and status != 503:
            errors.append(f"{kind}: status {status} for {target[:200]}")
    conn.close()
    return {"statuses": statuses, "latencies": latencies, "errors": errors}


def sample_memory(group: int, every: float, stop: threading.Event, out: list[tuple]) -> None:
    started = time.time()
    while True:
        out.append((time.time() - started, memory(group)))
        if stop.wait(every):
            out.append((time.time() - started, memory(group)))  # at the end, whenever it comes
            return


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--runaway-every", type=float, default=60, help="seconds, per client")
    parser.add_argument("--max-requests", type=int, default=5_000_000, help="per client")
    parser.add_argument("--engine", default="rdflib", choices=["rdflib", "oxigraph"])
    parser.add_argument("--memory-every", type=float, default=30)
    args = parser.parse_args()
    duration = min(args.duration, 3600)
    options = ["--engine", args.engine, "--workers", "2", "--query-workers", "2"]
    with serving([*options, "--query-timeout", "5"]) as (root, group):
        port = int(root.rstrip("/").rsplit(":", 1)[1])
        named, adhoc = workload()
        warm = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for target in named + ["/sparql?" + urlencode({"query": q}) for q in adhoc]:
            warm.request("GET", target, headers=ACCEPT)
            warm.getresponse().read()
        warm.close()
        samples: list[tuple] = []
        stop = threading.Event()
        sampler = threading.Thread(
            target=sample_memory, args=(group, args.memory_every, stop, samples)
        )
        sampler.start()
        deadline = time.time() + duration
        jobs = [
            (i, port, deadline, args.runaway_every, args.max_requests) for i in range(args.clients)
        ]
        started = time.time()
        with multiprocessing.Pool(args.clients) as pool:
            results = pool.map(client, jobs)
        elapsed = time.time() - started
        stop.set()
        sampler.join()
    report(args, results, samples, elapsed)
    return 1 if any(r["errors"] for r in results) else 0


def report(
    args: argparse.Namespace, results: list[dict[str, Any]], samples: list[tuple], elapsed: float
) -> None:
    statuses: collections.Counter[tuple[str, int]] = sum(
        (r["statuses"] for r in results), collections.Counter()
    )
    latencies = [s for r in results for s in r["latencies"]]
    errors = [e for r in results for e in r["errors"]]
    total = sum(statuses.values())
    rate = total / elapsed
    print(
        f"engine {args.engine}, {args.clients} clients, {elapsed:.0f} s, "
        f"{total} requests, {rate:.0f}/s"
    )
    for (kind, status), n in sorted(statuses.items()):
        print(f"  {kind:8} {status}: {n}")
    p50, p99 = (percentile(latencies, q) * 1000 for q in (50, 99))
    print(f"latency of answered queries: p50 {p50:.1f} ms, p99 {p99:.1f} ms ({len(latencies)})")
    print(f"errors (anything but 200, or 503 when busy or at the time limit): {len(errors)}")
    for error in errors[:10]:
        print("  " + error)
    for seconds, mem in samples:
        rss, pss = mem["rss_kib"] / 1024, mem["pss_kib"] / 1024
        processes = mem["processes"]
        print(
            f"  memory at {seconds:4.0f} s: {processes} processes, "
            f"RSS {rss:.0f} MiB, PSS {pss:.0f} MiB"
        )


if __name__ == "__main__":
    raise SystemExit(main())
