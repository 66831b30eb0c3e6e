"""Benchmark resource pages and descriptions, uncached, beside another checkout of the project.

Sourced statements (issue 20) made the busiest nodes' descriptions larger: the fourth meeting
carries about 130 statements of eight triples each, and its page numbers every value's passages.
This times what a stranger meets: each request of a fresh page or description, with the answer
and response caches off (RESULT_CACHE_BYTES=0), through the Flask app (test client, no network),
on the oxigraph engine. The label and search indexes are built once before timing (as a server
does at its first page), and are timed apart.

    .venv/bin/python bench/pages.py [--runs 15] [--base PATH]

`--base` is another checkout (e.g. `git worktree add /tmp/base 183f6d8`); its server package
and data are timed in a child process with the same settings, and the medians are printed side
by side with the response sizes.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

PAGES = (
    ("meeting 4, html en", "/id/meeting/4", "text/html", ""),
    ("meeting 4, html zh", "/id/meeting/4", "text/html", "zh"),
    ("meeting 4, turtle", "/id/meeting/4", "text/turtle", ""),
    ("meeting 4, json-ld", "/id/meeting/4", "application/ld+json", ""),
    ("passage ag-1a, html", "/id/passage/ag-1a", "text/html", ""),
    ("rebuttal stance, html zh", "/id/stance/eg4-rebut-gold-standard", "text/html", "zh"),
    ("Budapest claim, html", "/id/proposition/budapest-gold-standard", "text/html", ""),
    ("China, html", "/id/state/CHN", "text/html", ""),
    ("agenda, html zh", "/id/doc/UNODC-CCPCJ-EG.4-2018-1", "text/html", "zh"),
)


def measure(runs: int) -> dict[str, dict[str, float]]:
    """Median and p90 wall time (ms) and size (bytes) of each page, in this process's checkout."""
    from cybercrime_kg.app import create_app

    t0 = time.perf_counter()
    app = create_app({"ENGINE": "oxigraph", "RESULT_CACHE_BYTES": 0})
    client = app.test_client()
    client.get("/id/meeting/3", headers={"Accept": "text/html"})  # builds the label index
    warm = (time.perf_counter() - t0) * 1000
    found: dict[str, dict[str, float]] = {"(start and first page)": {"median": warm}}
    for name, path, media, lang in PAGES:
        times, size = [], 0
        for _ in range(runs):
            query = {"lang": lang} if lang else {}
            start = time.perf_counter()
            response = client.get(path, query_string=query, headers={"Accept": media})
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (path, response.status_code)
            size = len(response.data)
        times.sort()
        found[name] = {
            "median": statistics.median(times),
            "p90": times[int(0.9 * (len(times) - 1))],
            "bytes": size,
        }
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--base", type=Path, help="another checkout to time beside this one")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)  # child mode
    args = parser.parse_args()
    if args.json:
        print(json.dumps(measure(args.runs)))
        return
    here = measure(args.runs)
    base: dict[str, dict[str, float]] = {}
    if args.base:
        env = {**os.environ, "PYTHONPATH": str(args.base.resolve() / "server")}
        child = subprocess.run(
            [sys.executable, __file__, "--json", "--runs", str(args.runs)],
            env=env, cwd=args.base, capture_output=True, text=True, check=True,
        )  # fmt: skip
        base = json.loads(child.stdout.strip().splitlines()[-1])
    print(f"{args.runs} uncached requests per page (median / p90 ms, response bytes)")
    print(f"{'page':30} {'this checkout':>28} {'base':>28}")
    for name, row in here.items():

        def cell(r: dict[str, float] | None) -> str:
            if not r:
                return "-"
            if "p90" not in r:
                return f"{r['median']:.0f} ms"
            return f"{r['median']:.1f} / {r['p90']:.1f} ms, {int(r['bytes']):,} B"

        print(f"{name:30} {cell(row):>28} {cell(base.get(name)):>28}")


if __name__ == "__main__":
    main()
