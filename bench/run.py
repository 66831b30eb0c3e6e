"""Benchmark this SPARQL endpoint (both engines) against rdflib-endpoint and Oxigraph server.

One run, same data (the project's dataset as N-Quads), same queries (bench/queries/*.rq), each
server measured in two modes: "cached" repeats the same query text, "unique" appends a comment
line `# <counter>` so that every request is new and no cache (answers, whole responses, parsed
queries) can serve it. Per mode: median and p95 latency per query from one client, then
throughput with N concurrent clients. The issue's targets are checked on the unique figures.
Needs bench/setup.sh first (rdflib-endpoint and the Oxigraph server in bench/.venv).

    .venv/bin/python bench/run.py [--requests 50] [--duration 10] [--clients 8]
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import multiprocessing
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BENCH_BIN = HERE / ".venv" / "bin"
MAIN_BIN = ROOT / ".venv" / "bin"
DATA = HERE / ".data" / "dataset.nq"
OURS = ("cybercrime-kg (oxigraph)", "cybercrime-kg (rdflib)")
SERVERS = (*OURS, "rdflib-endpoint", "oxigraph server")
# "unique" makes every request text new; it replaces the old "cache off" servers
# (CYBERCRIME_KG_RESULT_CACHE_BYTES=0), which still served parsed queries from a cache
MODES = ("cached", "unique")
TARGET_MODE = "unique"
WARM_UPS = 3
PATHS = {"rdflib-endpoint": "/", "oxigraph server": "/query"}  # where each serves SPARQL
ACCEPT = {"SELECT": "application/sparql-results+json", "CONSTRUCT": "text/turtle"}


def queries() -> dict[str, str]:
    return {path.stem: path.read_text() for path in sorted((HERE / "queries").glob("*.rq"))}


def accept_for(query: str) -> str:
    return ACCEPT["CONSTRUCT"] if "CONSTRUCT" in query else ACCEPT["SELECT"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def export_data() -> None:
    DATA.parent.mkdir(exist_ok=True)
    subprocess.run(
        [MAIN_BIN / "cybercrime-kg", "export", "--format", "nquads", "--output", DATA], check=True
    )


def command(name: str, port: int, workers: int) -> list[str]:
    if name.startswith("cybercrime-kg"):
        engine = "oxigraph" if "oxigraph" in name else "rdflib"
        return [
            str(MAIN_BIN / "cybercrime-kg"), "serve", "--port", str(port), "--engine", engine,
            "--workers", str(workers), "--query-workers", "2", "--max-rows", "100000",
        ]  # fmt: skip
    if name == "rdflib-endpoint":
        return [
            str(BENCH_BIN / "rdflib-endpoint"), "serve", str(DATA), "--host", "127.0.0.1",
            "--port", str(port),
        ]  # fmt: skip
    return [
        str(BENCH_BIN / "oxigraph"), "serve", "--bind", f"127.0.0.1:{port}",
        "--union-default-graph",
    ]  # fmt: skip


@contextmanager
def server(name: str, workers: int) -> Iterator[tuple[int, str]]:
    """Start one server, load the data if it needs it, yield its port and path, stop it."""
    port = free_port()
    process = subprocess.Popen(
        command(name, port, workers),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        path = PATHS.get(name, "/sparql")
        wait_ready(port, path, process)
        if name == "oxigraph server":
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/store",
                data=DATA.read_bytes(),
                headers={"Content-Type": "application/n-quads"},
                method="POST",
            )
            urllib.request.urlopen(request, timeout=120).close()
        yield port, path
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def wait_ready(port: int, path: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    url = f"http://127.0.0.1:{port}{path}?" + urlencode({"query": "ASK {}"})
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("server did not start")


class Client:
    """One keep-alive HTTP connection; with `first` set, every query text it sends is new."""

    def __init__(self, where: tuple[int, str], first: int | None = None) -> None:
        port, self.path = where
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        self.counter = None if first is None else itertools.count(first)

    def text(self, query: str) -> str:
        if self.counter is None:
            return query
        return f"{query.rstrip()}\n# {next(self.counter)}\n"

    def ask(self, query: str) -> bytes:
        path = self.path + "?" + urlencode({"query": self.text(query)})
        self.connection.request("GET", path, headers={"Accept": accept_for(query)})
        response = self.connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"HTTP {response.status}: {body[:300]!r}")
        return body


def first_counter(mode: str, client: int) -> int | None:
    """Where a client's counter starts: None repeats the text; distinct ranges never meet."""
    return None if mode == "cached" else client * 10**9


def size(body: bytes, query: str) -> int:
    """Rows or triples in an answer, to check every server gives the same answer."""
    if "CONSTRUCT" in query:
        return sum(
            1 for line in body.decode().splitlines() if line.rstrip().endswith((".", ";", ","))
        )
    data = json.loads(body)
    return len(data["results"]["bindings"]) if "results" in data else int(data["boolean"])


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def latency(client: Client, query: str, requests: int, budget: float) -> dict:
    """Median and p95 of sequential requests after warm-ups, at most `budget` seconds."""
    for _ in range(WARM_UPS):
        body = client.ask(query)
    times: list[float] = []
    started = time.monotonic()
    while len(times) < requests and (len(times) < 5 or time.monotonic() - started < budget):
        t0 = time.perf_counter()
        client.ask(query)
        times.append(time.perf_counter() - t0)
    return {
        "median_ms": statistics.median(times) * 1000,
        "p95_ms": percentile(times, 0.95) * 1000,
        "n": len(times),
        "size": size(body, query),
    }


def _client_loop(args: tuple[tuple[int, str], int | None, list[str], float, int]) -> int:
    where, first, mix, duration, offset = args
    client = Client(where, first)
    done, deadline = 0, time.monotonic() + duration
    while time.monotonic() < deadline:
        client.ask(mix[(offset + done) % len(mix)])
        done += 1
    return done


def throughput(
    where: tuple[int, str], mode: str, mix: list[str], clients: int, duration: float
) -> float:
    """Requests a second answered to `clients` processes cycling through the queries."""
    jobs = [(where, first_counter(mode, i + 1), mix, duration, i) for i in range(clients)]
    with multiprocessing.get_context("spawn").Pool(clients) as pool:
        counts = pool.map(_client_loop, jobs)
    return sum(counts) / duration


def measure_mode(
    where: tuple[int, str], mode: str, mix: dict[str, str], args: argparse.Namespace
) -> dict:
    """One server, one mode: latency per query (client 0), then throughput (clients 1..N)."""
    per_query = {}
    for qname, query in mix.items():
        client = Client(where, first_counter(mode, 0))
        per_query[qname] = latency(client, query, args.requests, args.budget)
        print(f"   {mode} {qname}: {per_query[qname]}", file=sys.stderr)
    rate = throughput(where, mode, list(mix.values()), args.clients, args.duration)
    print(f"   {mode} throughput: {rate:.1f} req/s", file=sys.stderr)
    return {"queries": per_query, "throughput": rate}


def measure(args: argparse.Namespace) -> dict[str, dict]:
    """{server: {mode: figures}}, every server started once for both modes."""
    mix = queries()
    results: dict[str, dict] = {}
    for name in args.servers:
        print(f"== {name}", file=sys.stderr)
        with server(name, args.workers) as where:
            results[name] = {mode: measure_mode(where, mode, mix, args) for mode in MODES}
    return results


def table(results: dict[str, dict], mode: str, clients: int) -> list[str]:
    names = list(results)
    qnames = list(results[names[0]][mode]["queries"])
    lines = [
        "| query | " + " | ".join(f"{n} median / p95 ms" for n in names) + " | rows |",
        "|" + " --- |" * (len(names) + 2),
    ]
    for q in qnames:
        figures = [results[n][mode]["queries"][q] for n in names]
        cells = [f"{f['median_ms']:.2f} / {f['p95_ms']:.2f}" for f in figures]
        sizes = "/".join(map(str, sorted({f["size"] for f in figures})))
        lines.append(f"| {q} | " + " | ".join(cells) + f" | {sizes} |")
    rates = " | ".join(f"{results[n][mode]['throughput']:.0f}" for n in names)
    lines.append(f"| throughput, {clients} clients (req/s) | {rates} | |")
    return lines


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def latency_targets(name: str, ours: dict, oxi: dict | None, rep: dict | None) -> list[str]:
    """Every query <= 2x Oxigraph server's median + 1 ms; joins, aggregates and CONSTRUCT
    >= 10x faster than rdflib-endpoint."""
    out = []
    for q, figures in ours["queries"].items():
        median = figures["median_ms"]
        if oxi:
            theirs = oxi["queries"][q]["median_ms"]
            limit = 2 * theirs + 1
            out.append(
                f"- {name} {q}: {median:.2f} ms, {median / theirs:.2f}x Oxigraph server's "
                f"{theirs:.2f} ms (target <= 2x + 1 ms = {limit:.2f} ms): "
                + verdict(median <= limit)
            )
        if rep and q.split("-")[0] in ("join", "aggregate", "construct"):
            speedup = rep["queries"][q]["median_ms"] / median
            out.append(
                f"- {name} {q}: {speedup:.2f}x faster than rdflib-endpoint "
                f"(target >= 10x): {verdict(speedup >= 10)}"
            )
    return out


def throughput_target(name: str, ours: dict, oxi: dict | None, clients: int) -> list[str]:
    """Throughput at N clients >= half of Oxigraph server's."""
    if not oxi:
        return []
    ratio = ours["throughput"] / oxi["throughput"]
    return [
        f"- {name} throughput, {clients} clients: {ours['throughput']:.0f} req/s, {ratio:.2f}x "
        f"Oxigraph server's {oxi['throughput']:.0f} (target >= 0.5x): {verdict(ratio >= 0.5)}"
    ]


def targets(results: dict[str, dict], clients: int) -> list[str]:
    """The issue's targets, as ratios from this run's unique (cache-busted) figures."""
    oxi, rep = (results.get(n, {}).get(TARGET_MODE) for n in ("oxigraph server", "rdflib-endpoint"))
    out = []
    for name in [n for n in results if n in OURS]:
        ours = results[name][TARGET_MODE]
        out += latency_targets(name, ours, oxi, rep)
        out += throughput_target(name, ours, oxi, clients)
    missed = sum(line.endswith("MISSED") for line in out)
    return [*out, "", f"{len(out) - missed} of {len(out)} targets met, {missed} missed."]


def report(results: dict[str, dict], clients: int, load: str) -> str:
    lines = [f"Load average (1, 5, 15 min) at start / end: {load}"]
    for mode, what in (
        ("cached", "the same query text repeated"),
        ("unique", "every request's text new (`# <counter>` appended)"),
    ):
        lines += ["", f"### {mode}: {what}", "", *table(results, mode, clients)]
    lines += ["", f"### targets ({TARGET_MODE} figures)", "", *targets(results, clients)]
    return "\n".join(lines)


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50, help="timed requests per query")
    parser.add_argument("--budget", type=float, default=15.0, help="seconds at most per query")
    parser.add_argument("--duration", type=float, default=10.0, help="throughput run, seconds")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=2, help="HTTP workers of our server")
    parser.add_argument("--servers", nargs="+", default=list(SERVERS), choices=SERVERS)
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop the servers on the way out
    export_data()
    load_start = load_average()
    results = measure(args)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    print(report(results, args.clients, f"{load_start} / {load_average()}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
