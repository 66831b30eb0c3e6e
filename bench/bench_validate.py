"""Benchmark SHACL validation of the whole graph (ontology, data, public record) with pySHACL.

Parses the files once, then validates N times with RDFS inference off (what `cybercrime-kg validate`
and the serving gate do) and N times with it on, and prints median, min and max in seconds.

    .venv/bin/python bench/bench_validate.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from cybercrime_kg.dataset import project_parts
from cybercrime_kg.validation import INFERENCE_CHOICES, graphs_from_parts, validate_graphs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="validations per setting (default: 5)")
    args = parser.parse_args()
    started = time.perf_counter()
    data, shapes = graphs_from_parts(project_parts())
    parse = time.perf_counter() - started
    print(f"parse: {parse:.2f} s ({len(data)} data triples, {len(shapes)} shapes triples)")
    print(f"{'inference':<10} {'runs':>4} {'median s':>9} {'min s':>7} {'max s':>7}  conforms")
    for inference in INFERENCE_CHOICES:
        times, conforms = [], set()
        for _ in range(args.runs):
            report = validate_graphs(data, shapes, inference)
            times.append(report.seconds)
            conforms.add(report.conforms)
        print(
            f"{inference:<10} {args.runs:>4} {statistics.median(times):>9.2f}"
            f" {min(times):>7.2f} {max(times):>7.2f}  {'/'.join(map(str, sorted(conforms)))}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
