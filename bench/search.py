"""Benchmark /search on the real graph: the word, typo and Chinese search beside the old one.

Thirty queries people type (English words and phrases, Chinese words and phrases, typos,
document symbols, a single letter, nonsense), each timed RUNS times in three ways:
- `old`: the substring search over labels it replaces (`LabelIndex.search`, still the 404
  page's suggestions);
- `find`: the new search alone (`SearchIndex.find`), what the 50 ms target is about;
- `json` and `html`: a whole request through the Flask app (test client, no network):
  negotiation, the search, labels, snippets and the JSON or the page. Each request carries a
  fresh dummy parameter, so no response cache can answer it (the search itself caches nothing).
Prints each query's hits and median times, then the median, p95 and maximum over all timings
of each column, in wall time and in the thread's CPU time (on a shared machine the wall time's
tail is mostly waiting for a core), and the time to build the index.

    .venv/bin/python bench/search.py [--runs 20]
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import time
from collections.abc import Callable

from cybercrime_kg.app import create_app
from cybercrime_kg.config import DEFAULTS
from cybercrime_kg.ld.corpus import search_index
from cybercrime_kg.ld.labels import label_index
from cybercrime_kg.sparql.service import QueryService

QUERIES = (
    # English words and phrases
    "China",
    "Budapest",
    "gold standard rebut",
    "the gold standard",
    "fourth meeting",
    "cybercrime",
    "international cooperation",
    "capacity building technical assistance",
    "electronic evidence cross-border",
    "United States Germany Canada",
    "new global instrument United Nations",
    # Chinese words and phrases
    "中国",
    "布达佩斯",
    "黄金标准",
    "中国反驳黄金标准",
    "专家组第四次会议",
    "维也纳",
    "网络犯罪",
    "国际合作",
    "技术援助和能力建设",
    # typos
    "Budapset",
    "conventoin",
    "cybercrme",
    "Viena",
    "soverignty",
    # symbols, a letter, nonsense
    "A/RES/74/247",
    "E/CN.15/2018/12",
    "e",
    "qwxzv",
    "Китай",
)


CPU: dict[str, list[float]] = {}  # column -> CPU times of this thread (ms)


def timed(name: str, call: Callable[[], object], runs: int) -> tuple[list[float], object]:
    """`runs` wall times of `call` in milliseconds, and its last answer; CPU times in CPU."""
    times, answer = [], None
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.thread_time()
        answer = call()
        times.append((time.perf_counter() - start) * 1000)
        CPU.setdefault(name, []).append((time.thread_time() - cpu) * 1000)
    return times, answer


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs

    service = QueryService.from_config({**DEFAULTS, "ENGINE": "oxigraph", "QUERY_WORKERS": 0})
    start = time.perf_counter()
    labels = label_index(service)
    built_labels = time.perf_counter() - start
    start = time.perf_counter()
    index = search_index(service)
    built_search = time.perf_counter() - start
    client = create_app({"TESTING": True, "QUERY_SERVICE": service}).test_client()
    fresh = itertools.count()

    def request(q: str, fmt: str) -> Callable[[], object]:
        def call() -> object:
            args = {"q": q, "format": fmt, "n": str(next(fresh))}
            response = client.get("/search", query_string=args)
            assert response.status_code == 200, (q, response.status_code)
            return response

        return call

    columns: dict[str, list[float]] = {"old": [], "find": [], "json": [], "html": []}
    print(f"{'query':40} {'old hits':>8} {'new hits':>8}   median ms: old   find   json   html")
    for q in QUERIES:
        old_times, old = timed("old", lambda q=q: labels.search(q, 10**6), runs)
        find_times, new = timed("find", lambda q=q: index.find(q), runs)
        json_times, _ = timed("json", request(q, "json"), runs)
        html_times, _ = timed("html", request(q, "html"), runs)
        measured = (old_times, find_times, json_times, html_times)
        for name, values in zip(columns, measured, strict=True):
            columns[name].extend(values)
        print(
            f"{q:40} {len(old[0]):>8} {new.total:>8}"  # type: ignore[index, attr-defined]
            f"   {statistics.median(old_times):13.2f} {statistics.median(find_times):6.2f}"
            f" {statistics.median(json_times):6.2f} {statistics.median(html_times):6.2f}"
        )
    print()
    print(f"over {len(QUERIES)} queries x {runs} runs   median ms    p95 ms    max ms")
    for name, values in columns.items():
        print(f"  {name:36} {statistics.median(values):9.2f} {p95(values):9.2f} {max(values):9.2f}")
    print("the same in the thread's CPU time (a busy machine's waits left out)")
    for name, values in CPU.items():
        print(f"  {name:36} {statistics.median(values):9.2f} {p95(values):9.2f} {max(values):9.2f}")
    print()
    print(f"index build: labels {built_labels:.2f} s, search {built_search:.2f} s (jieba included)")
    print(f"{len(index.documents)} resources, {len(index.vocabulary)} alphabetic words")


if __name__ == "__main__":
    main()
