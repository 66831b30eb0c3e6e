"""The W3C SPARQL 1.1 query tests on this endpoint's two embedded engines and on Oxigraph server.

The same harness as tests/test_w3c.py (tests/helpers/w3c.py): every data file of the suite is a
named graph under its own IRI, each test's dataset is sent as protocol parameters. Oxigraph server
is the `oxigraph` command of the PyPI package `oxigraph` (in the test extra), in memory on
127.0.0.1, each graph loaded through its Graph Store endpoint. Prints pass/fail/n.a. per manifest.

    .venv/bin/python bench/w3c.py [--failures]

Needs the suite's files: scripts/run test fetches them (or scripts/fetch-w3c-tests .cache/w3c).
"""

from __future__ import annotations

import argparse
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlencode

# isort: off
from liveserver import ROOT  # first: it puts tests/ on the path

# isort: on
from helpers import w3c
from helpers.stores import OXIGRAPH, oxigraph_server

Parts = Sequence[tuple[str, Path | None]]


def _post(url: str, body: bytes, headers: dict[str, str]) -> w3c.Answer:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


@contextmanager
def oxigraph_endpoint(parts: Parts) -> Iterator[w3c.Send]:
    """Oxigraph server holding every part as a named graph; its /query as a `Send`."""
    with oxigraph_server() as root:
        for iri, path in parts:
            if path is not None:
                status, _, body = _post(
                    f"{root}/store?graph={quote(iri, safe='')}",
                    path.read_bytes(),
                    {"Content-Type": "text/turtle"},
                )
                assert status in (200, 201, 204), f"loading {path}: {status} {body[:200]!r}"

        def send(
            query: str, default: Sequence[str], named: Sequence[str], accept: str
        ) -> w3c.Answer:
            form = [("query", query)]
            form += [("default-graph-uri", g) for g in default]
            form += [("named-graph-uri", g) for g in named]
            headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}
            return _post(f"{root}/query", urlencode(form).encode(), headers)

        yield send


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--failures", action="store_true", help="list every failing test")
    args = parser.parse_args()
    w3c.quiet()
    if OXIGRAPH is None:
        raise SystemExit("the `oxigraph` command is not installed (pip install oxigraph)")
    suite = w3c.suite_dir()
    if not (suite / "manifest-all.ttl").is_file():
        raise SystemExit(f"no W3C tests in {suite}: run scripts/fetch-w3c-tests {ROOT}/.cache/w3c")
    tests = w3c.read_suite(suite)
    results = {
        f"cybercrime-kg ({engine})": outcomes
        for engine, outcomes in w3c.run_embedded(tests, ("rdflib", "oxigraph")).items()
    }
    with w3c.turtle_parts(tests) as parts, oxigraph_endpoint(parts) as send:
        results["Oxigraph server"] = w3c.run_all(tests, send)
    print(w3c.table(tests, results))
    if args.failures:
        for name, outcomes in results.items():
            print(f"\n{name}:")
            for test_id, outcome in outcomes.items():
                if outcome.status == w3c.FAIL:
                    print(f"  {test_id}: {outcome.detail[:160]}")


if __name__ == "__main__":
    main()
