"""Scale benchmark: load time, memory and named-query latency on synthetic graphs, per engine.

    .venv/bin/python bench/scale.py --sizes 10k 100k 1M

For each size, scripts/gen_synthetic.py writes a graph (seed 7) into bench/.data/; then, each
in a fresh process so that memory is its own, the rdflib engine, the oxigraph engine and the
remote engine (in front of an in-memory Oxigraph server filled by `cybercrime-kg load`) load it
and run every named query through the QueryService (prepare + answer, rendered as SPARQL JSON
or Turtle, cache off, in-thread), as the endpoint does. Next to the oxigraph engine, the same
queries run on its pyoxigraph store called directly, every solution read. Last, the start-up
of `cybercrime-kg serve` on the real graph, to its first /health answer.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / ".data"
ENGINES = ("rdflib", "oxigraph", "remote")
ID = "https://w3id.org/cybercrime-kg/id/"
# values for the named queries that take parameters (those of tests/test_queries.py)
PARAMS = {
    "list-labels": {"lang": "zh"},
    "list-stances-on-topic": {"topic": ID + "topic/budapest-convention"},
    "show-provenance": {"resource": ID + "meeting/4"},
}


def timed(run: Callable[[], Any], repeat: int, budget: float) -> tuple[float, Any]:
    """Median seconds of up to `repeat` runs after a warm-up, fewer once over `budget`
    (a first run over budget is the figure itself)."""
    start = time.perf_counter()
    result = run()
    first = time.perf_counter() - start
    if first > budget:
        return first, result
    times: list[float] = []
    while len(times) < repeat and sum(times) < budget:
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def rss_mb(pid: int | None = None) -> float:
    """Peak resident memory of this process (or of `pid`), in MiB."""
    if pid is None:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def one_engine(args: argparse.Namespace) -> dict[str, Any]:
    """In this process: load (or connect), then time every named query; figures as a dict."""
    from cybercrime_kg.config import DEFAULTS
    from cybercrime_kg.paths import project_layout
    from cybercrime_kg.sparql.named_queries import read_named
    from cybercrime_kg.sparql.results import formats_for
    from cybercrime_kg.sparql.service import QueryService
    from cybercrime_kg.web.negotiation import choose

    config = {
        **DEFAULTS,
        "ENGINE": args.engine,
        "ENDPOINT": args.endpoint or "",
        "QUERY_WORKERS": 0,
        "RESULT_CACHE_BYTES": 0,
        "MAX_ROWS": 10**7,
        "QUERY_TIMEOUT": 3600.0,
    }
    start = time.perf_counter()
    service = QueryService.from_config(config)
    figures: dict[str, Any] = {"load_s": time.perf_counter() - start, "queries": {}}
    store = getattr(service.engine, "_store", None)  # the oxigraph engine's pyoxigraph store
    for path in sorted(project_layout().queries.glob("*.rq")):
        text = read_named(path).bind(PARAMS.get(path.stem, {}))
        prepared = service.prepare(text)
        fmt = choose(formats_for(prepared.outline.form), None, [])
        try:
            with capped(args.cap):
                seconds, (answer, _) = timed(
                    lambda p=prepared, f=fmt: service.answer(p, f, ""), args.repeat, args.budget
                )
        except CapReached:
            figures["queries"][path.stem] = {"ms": None, "size": None, "direct_ms": None}
            continue
        row: dict[str, Any] = {"ms": seconds * 1000, "size": answer.size}
        if store is not None:
            job = prepared.job
            arguments = service.engine._dataset_arguments(job)  # type: ignore[attr-defined]

            def direct(text: str = job.text, base: str = job.base, kw: Any = arguments) -> int:
                return sum(1 for _ in _read_all(store.query(text, base_iri=base, **kw)))

            row["direct_ms"] = timed(direct, args.repeat, args.budget)[0] * 1000
        figures["queries"][path.stem] = row
    figures["rss_mb"] = rss_mb()
    service.close()
    return figures


class CapReached(BaseException):
    """A query ran past the benchmark's cap (rdflib on the largest graphs); a BaseException,
    since the rdflib engine turns every Exception into an EngineError."""


@contextmanager
def capped(seconds: float) -> Iterator[None]:
    """Interrupt pure-Python evaluation after `seconds` (a Rust engine runs to its end)."""

    def stop(signum: int, frame: Any) -> None:
        raise CapReached

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _read_all(answer: Any) -> Iterator[Any]:
    """Every term of every solution or triple, as a client of pyoxigraph would read them."""
    if isinstance(answer, bool) or type(answer).__name__ == "QueryBoolean":
        yield bool(answer)
        return
    variables = getattr(answer, "variables", None)
    for item in answer:
        if variables is not None:
            yield tuple(item[v] for v in variables)
        else:
            yield (item.subject, item.predicate, item.object)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, deadline: float = 300) -> float:
    """Seconds until `url` answers 200."""
    start = time.perf_counter()
    while time.perf_counter() - start < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return time.perf_counter() - start
        except OSError:
            time.sleep(0.02)
    raise RuntimeError(f"{url} did not answer")


@contextmanager
def process(command: list[str], env: dict[str, str] | None = None) -> Iterator[int]:
    child = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        yield child.pid
    finally:
        os.killpg(child.pid, 15)
        child.wait(timeout=30)


def run_engine(engine: str, home: Path, args: argparse.Namespace) -> dict[str, Any]:
    """One engine on one synthetic graph, each in its own process (and server)."""
    env = {**os.environ, "CYBERCRIME_KG_HOME": str(home)}
    bench = [
        sys.executable,
        __file__,
        "--one",
        engine,
        "--repeat",
        str(args.repeat),
        "--budget",
        str(args.budget),
        "--cap",
        str(args.cap),
    ]
    if engine != "remote":
        out = subprocess.run(bench, env=env, capture_output=True, text=True, check=True).stdout
        return dict(json.loads(out))
    port = free_port()
    oxigraph = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or "oxigraph"
    with process([oxigraph, "serve", "--bind", f"127.0.0.1:{port}"]) as pid:
        root = f"http://127.0.0.1:{port}"
        wait_for(f"{root}/query?query=ASK%7B%7D")
        start = time.perf_counter()
        cli = [sys.executable, "-m", "cybercrime_kg.cli", "load", "--endpoint", f"{root}/query"]
        subprocess.run(
            [*cli, "--graph-store", f"{root}/store"], env=env, check=True, capture_output=True
        )
        load_s = time.perf_counter() - start
        out = subprocess.run(
            [*bench, "--endpoint", f"{root}/query"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        figures = dict(json.loads(out))
        figures["load_s"] = load_s
        figures["server_rss_mb"] = rss_mb(pid)
    return figures


def startup(engine: str) -> float:
    """Seconds from `cybercrime-kg serve` to its first /health answer, on the real graph."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "cybercrime_kg.cli",
        "serve",
        "--engine",
        engine,
        "--port",
        str(port),
        "--workers",
        "1",
    ]
    start = time.perf_counter()
    with process(command):
        wait_for(f"http://127.0.0.1:{port}/health")
        return time.perf_counter() - start


def generate(size: str, seed: int) -> tuple[Path, int]:
    """The synthetic layout of `size` (made once per seed) and its number of triples."""
    home = DATA / f"synthetic-{size}-seed{seed}"
    stamp = home / "triples.txt"
    if not stamp.is_file():
        script = ROOT / "scripts" / "gen_synthetic.py"
        command = [sys.executable, str(script), "--size", size, "--seed", str(seed)]
        done = subprocess.run(
            [*command, "--out", str(home)], check=True, capture_output=True, text=True
        )
        # "<out>: N synthetic copies, 11,644 triples (...)"
        stamp.write_text(done.stdout.split(" copies, ", 1)[1].split(" triples", 1)[0])
    return home, int(stamp.read_text().replace(",", ""))


def commit() -> str:
    """The checkout's commit, marked + when it has uncommitted changes (kept with figures)."""
    git = ["git", "-C", str(ROOT)]
    head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run([*git, "diff", "--quiet", "HEAD", "--", "server", "bench"]).returncode
    return head.stdout.strip() + ("+" if dirty else "")


def _ms(value: float | None, cap: float) -> str:
    return f"> {cap:g} s" if value is None else f"{value:.1f} ms"


def table(results: dict[str, Any], cap: float) -> str:
    """Load, memory and per-query latency side by side: one block per size."""
    lines = []
    for size, block in results["sizes"].items():
        lines.append(f"\n### {size}: {block['triples']:,} triples\n")
        head = "| | " + " | ".join(ENGINES) + " | pyoxigraph direct | oxigraph / direct | rows |"
        lines += [head, "| --- " * (len(ENGINES) + 4) + "|"]
        per = block["engines"]
        commits = " | ".join(per[e].get("commit", "?") for e in ENGINES)
        lines.append(f"| measured at commit | {commits} | | | |")
        load = " | ".join(f"{per[e]['load_s']:.2f} s" for e in ENGINES)
        lines.append(f"| load | {load} | | | |")
        rss = [f"{per[e]['rss_mb']:,.0f} MiB" for e in ENGINES]
        rss[-1] += f" + server {per['remote']['server_rss_mb']:,.0f} MiB"
        lines.append(f"| peak RSS | {' | '.join(rss)} | | | |")
        for name, row in per["oxigraph"]["queries"].items():
            cells = " | ".join(_ms(per[e]["queries"][name]["ms"], cap) for e in ENGINES)
            ratio = row["ms"] / row["direct_ms"] if row["direct_ms"] else float("inf")
            lines.append(
                f"| {name} | {cells} | {_ms(row['direct_ms'], cap)} | {ratio:.2f}x"
                f" | {row['size']} |"
            )
    lines.append(
        "\nStart-up of the real graph (`cybercrime-kg serve` to the first /health): "
        + ", ".join(f"{e} {s:.2f} s" for e, s in results["startup"].items())
    )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["10k", "100k", "1M"])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per query (5)")
    parser.add_argument("--budget", type=float, default=5.0, help="seconds per query at most")
    parser.add_argument(
        "--cap", type=float, default=120.0, help="seconds before a query is given up (120)"
    )
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument("--one", choices=ENGINES, help=argparse.SUPPRESS)
    parser.add_argument("--endpoint", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        args.engine = args.one
        print(json.dumps(one_engine(args)))
        return 0
    results: dict[str, Any] = {"sizes": {}, "startup": {}}
    for size in args.sizes:
        home, triples = generate(size, args.seed)
        engines = {}
        for engine in ENGINES:
            kept = home / f"figures-{engine}-r{args.repeat}-b{args.budget:g}-c{args.cap:g}.json"
            if not kept.is_file():  # figures of an earlier (interrupted) run are kept
                print(f"{size}: {engine} ...", file=sys.stderr, flush=True)
                figures = {**run_engine(engine, home, args), "commit": commit()}
                kept.write_text(json.dumps(figures))
            engines[engine] = json.loads(kept.read_text())
        results["sizes"][size] = {"triples": triples, "engines": engines}
    for engine in ("rdflib", "oxigraph"):
        results["startup"][engine] = startup(engine)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    print(f"$ {' '.join(['python', 'bench/scale.py', *sys.argv[1:]])}")
    print(table(results, args.cap))
    return 0


if __name__ == "__main__":
    sys.exit(main())
