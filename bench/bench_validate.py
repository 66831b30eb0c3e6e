"""Benchmark SHACL validation: pySHACL (the reference) and the fast engine, side by side.

Validates the whole graph (ontology, data, public record; no inference: what `cybercrime-kg
validate` and the serving gate do) on the real graph and on the synthetic 100k and 1M graphs of
`scripts/gen_synthetic.py` (made in bench/.data/ when missing). Every measurement is a fresh
process, so its peak RSS is its own: the time to read the files, the time to validate, their sum,
the process's CPU time (which a busy machine inflates less than the wall time) and the peak
resident set size. A cell run more than once shows the median time and the largest
peak. pySHACL needs ~22 minutes and 2.5 GiB at 1M, so `--skip pyshacl:1M` leaves it out and
`--include FILE` shows an earlier measurement (`--json FILE` writes one) instead.

    .venv/bin/python bench/bench_validate.py [--graphs real 100k 1M] [--engines pyshacl fast]
        [--runs 3] [--json out.json] [--include earlier.json ...] [--skip pyshacl:1M]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / ".data"
GRAPHS = ("real", "100k", "1M")
ENGINES = ("pyshacl", "fast")


def home_of(graph: str) -> Path:
    """The project layout a graph lives in, generating the synthetic ones when missing."""
    if graph == "real":
        return ROOT
    home = DATA / f"synthetic-{graph}"
    if not (home / "data").is_dir():
        generator = str(ROOT / "scripts" / "gen_synthetic.py")
        command = [sys.executable, generator, "--size", graph, "--out", str(home)]
        subprocess.run(command, check=True)
    return home


def measure_here(engine: str) -> dict[str, object]:
    """Validate the project at $CYBERCRIME_KG_HOME once, in this process (the child's job)."""
    from cybercrime_kg.dataset import project_parts
    from cybercrime_kg.validation import load_parts, validate_loaded

    started = time.perf_counter()
    loaded = load_parts(project_parts(), engine)
    read = time.perf_counter() - started
    report = validate_loaded(loaded, engine)
    total = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "engine": engine,
        "triples": loaded.size,
        "read_s": read,
        "validate_s": total - read,
        "total_s": total,
        "cpu_s": usage.ru_utime + usage.ru_stime,  # imports included; threads add up
        "peak_mib": usage.ru_maxrss / 1024,
        "conforms": report.conforms,
        "results": len(report.violations),
    }


def measure(engine: str, graph: str) -> dict[str, object]:
    """One measurement in a fresh process."""
    env = {**os.environ, "CYBERCRIME_KG_HOME": str(home_of(graph))}
    out = subprocess.run(
        [sys.executable, __file__, "--child", engine],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    row: dict[str, object] = json.loads(out.strip().splitlines()[-1])
    row["graph"] = graph
    print(
        f"  {graph:>5} {engine:<8} {row['total_s']:8.2f} s {row['peak_mib']:7.0f} MiB", flush=True
    )
    return row


def cell(rows: list[dict[str, object]]) -> str:
    """Median times and the largest peak of one engine on one graph."""
    if not rows:
        return "-"

    def median(key: str) -> float:
        return statistics.median(float(str(r[key])) for r in rows)

    peak = max(float(str(r["peak_mib"])) for r in rows)
    mark = "*" if any(r.get("included") for r in rows) else ""
    cpu = f", CPU {median('cpu_s'):.1f} s" if all("cpu_s" in r for r in rows) else ""
    return (
        f"{median('total_s'):.2f} s ({median('read_s'):.2f} + {median('validate_s'):.2f}){cpu},"
        f" {peak:.0f} MiB{mark}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graphs", nargs="+", choices=GRAPHS, default=list(GRAPHS))
    parser.add_argument("--engines", nargs="+", choices=ENGINES, default=list(ENGINES))
    parser.add_argument("--runs", type=int, default=3, help="processes per cell (default: 3)")
    parser.add_argument("--skip", nargs="*", default=[], help="cells to leave out: ENGINE:GRAPH")
    parser.add_argument("--json", type=Path, help="write every measurement to this file")
    parser.add_argument(
        "--include", type=Path, nargs="*", default=[], help="earlier measurements (--json files)"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure_here(args.child)))
        return 0
    rows: list[dict[str, object]] = []
    for graph in args.graphs:
        for engine in args.engines:
            if f"{engine}:{graph}" not in args.skip:
                rows += [measure(engine, graph) for _ in range(args.runs)]
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    measured = {(r["engine"], r["graph"]) for r in rows}
    for path in args.include:
        earlier = json.loads(path.read_text(encoding="utf-8"))
        rows += [
            {**r, "included": True} for r in earlier if (r["engine"], r["graph"]) not in measured
        ]
    print()
    print("| graph | triples | " + " | ".join(args.engines) + " | results |")
    print("| --- | --- |" + " --- |" * len(args.engines) + " --- |")
    for graph in args.graphs:
        mine = [r for r in rows if r["graph"] == graph]
        if not mine:
            continue
        results = sorted({f"{r['conforms']}/{r['results']}" for r in mine})
        cells = [cell([r for r in mine if r["engine"] == e]) for e in args.engines]
        print(f"| {graph} | {mine[0]['triples']} | " + " | ".join(cells) + f" | {results} |")
    print(
        "\nwall time: total (read + validate), median; CPU time (user + system); peak RSS,"
        " largest; * from --include"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
