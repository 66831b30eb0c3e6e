"""Benchmark this SPARQL endpoint (both engines) against rdflib-endpoint and Oxigraph server.

One run, same data (the project's dataset as N-Quads), same queries (bench/queries/*.rq):
median and p95 latency per query from one client, then throughput with N concurrent clients.
Needs bench/setup.sh first (rdflib-endpoint and the Oxigraph server in bench/.venv).

    .venv/bin/python bench/run.py [--requests 50] [--duration 10] [--clients 8]
"""

from __future__ import annotations

import argparse
import http.client
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
SERVERS = (
    "cybercrime-kg (rdflib)",
    "cybercrime-kg (oxigraph)",
    # the answer caches off (CYBERCRIME_KG_RESULT_CACHE_BYTES=0): every request is evaluated,
    # as Oxigraph server and rdflib-endpoint evaluate theirs; parsed queries stay cached
    "cybercrime-kg (rdflib, cache off)",
    "cybercrime-kg (oxigraph, cache off)",
    "rdflib-endpoint",
    "oxigraph server",
)
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
    env = {**os.environ}
    if "cache off" in name:
        env["CYBERCRIME_KG_RESULT_CACHE_BYTES"] = "0"
    process = subprocess.Popen(
        command(name, port, workers),
        env=env,
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
    """One keep-alive HTTP connection."""

    def __init__(self, port: int, path: str) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        self.path = path

    def ask(self, query: str) -> bytes:
        path = self.path + "?" + urlencode({"query": query})
        self.connection.request("GET", path, headers={"Accept": accept_for(query)})
        response = self.connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"HTTP {response.status}: {body[:300]!r}")
        return body


def size(body: bytes, query: str) -> int:
    """Rows or triples in an answer, to check every server gives the same answer."""
    if "CONSTRUCT" in query:
        return sum(
            1 for line in body.decode().splitlines() if line.rstrip().endswith((".", ";", ","))
        )
    data = json.loads(body)
    return len(data["results"]["bindings"]) if "results" in data else int(data["boolean"])


def latencies(
    where: tuple[int, str], query: str, requests: int, budget: float
) -> tuple[list[float], int]:
    client = Client(*where)
    for _ in range(3):
        body = client.ask(query)
    times: list[float] = []
    started = time.monotonic()
    while len(times) < requests and (len(times) < 5 or time.monotonic() - started < budget):
        t0 = time.perf_counter()
        client.ask(query)
        times.append(time.perf_counter() - t0)
    return times, size(body, query)


def _client_loop(args: tuple[tuple[int, str], list[str], float, int]) -> int:
    where, mix, duration, offset = args
    client = Client(*where)
    done, deadline = 0, time.monotonic() + duration
    while time.monotonic() < deadline:
        client.ask(mix[(offset + done) % len(mix)])
        done += 1
    return done


def throughput(where: tuple[int, str], mix: list[str], clients: int, duration: float) -> float:
    with multiprocessing.get_context("spawn").Pool(clients) as pool:
        counts = pool.map(_client_loop, [(where, mix, duration, i) for i in range(clients)])
    return sum(counts) / duration


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure(args: argparse.Namespace) -> dict[str, dict]:
    mix = queries()
    results: dict[str, dict] = {}
    for name in args.servers:
        print(f"== {name}", file=sys.stderr)
        with server(name, args.workers) as where:
            per_query = {}
            for qname, query in mix.items():
                times, answer_size = latencies(where, query, args.requests, args.budget)
                per_query[qname] = {
                    "median_ms": statistics.median(times) * 1000,
                    "p95_ms": percentile(times, 0.95) * 1000,
                    "n": len(times),
                    "size": answer_size,
                }
                print(f"   {qname}: {per_query[qname]}", file=sys.stderr)
            rate = throughput(where, list(mix.values()), args.clients, args.duration)
            print(f"   throughput: {rate:.1f} req/s", file=sys.stderr)
        results[name] = {"queries": per_query, "throughput": rate}
    return results


def report(results: dict[str, dict], clients: int) -> str:
    names = list(results)
    qnames = list(next(iter(results.values()))["queries"])
    head = "| query | " + " | ".join(f"{n} median / p95 ms" for n in names) + " | rows |"
    lines = [head, "|" + " --- |" * (len(names) + 2)]
    for q in qnames:
        figures = [results[n]["queries"][q] for n in names]
        cells = [f"{f['median_ms']:.2f} / {f['p95_ms']:.2f}" for f in figures]
        sizes = {results[n]["queries"][q]["size"] for n in names}
        lines.append(f"| {q} | " + " | ".join(cells) + f" | {'/'.join(map(str, sorted(sizes)))} |")
    lines.append(
        f"| throughput, {clients} clients (req/s) | "
        + " | ".join(f"{results[n]['throughput']:.0f}" for n in names)
        + " | |"
    )
    lines += ["", *targets(results)]
    return "\n".join(lines)


def line(name: str, what: str, ratio: float, versus: str, op: str, target: float) -> str:
    met = ratio <= target if op == "<=" else ratio >= target
    verdict = "met" if met else "MISSED"
    return f"- {name} {what}: {ratio:.2f}x {versus} (target {op} {target:g}): {verdict}"


def targets(results: dict[str, dict]) -> list[str]:
    """The issue's targets, as ratios from this run."""
    out = []
    oxi, rep = results.get("oxigraph server"), results.get("rdflib-endpoint")
    for name in [n for n in results if n.startswith("cybercrime-kg")]:
        ours = results[name]
        for q, figures in ours["queries"].items():
            median = figures["median_ms"]
            if oxi:
                ratio = median / oxi["queries"][q]["median_ms"]
                out.append(line(name, q, ratio, "Oxigraph server's median", "<=", 3))
            if rep and q.split("-")[0] in ("join", "aggregate", "construct"):
                speedup = rep["queries"][q]["median_ms"] / median
                out.append(line(name, q, speedup, "faster than rdflib-endpoint", ">=", 10))
        if rep:
            ratio = ours["throughput"] / rep["throughput"]
            out.append(line(name, "throughput", ratio, "rdflib-endpoint's", ">=", 4))
        if oxi:
            ratio = ours["throughput"] / oxi["throughput"]
            out.append(line(name, "throughput", ratio, "Oxigraph server's", ">=", 0.25))
    return out


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
    results = measure(args)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    print(report(results, args.clients))
    return 0


if __name__ == "__main__":
    sys.exit(main())
