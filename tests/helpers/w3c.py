"""The W3C SPARQL 1.1 query test suite, run through a SPARQL endpoint (tests/test_w3c.py).

The files come from the rdflib sdist that scripts/fetch-w3c-tests unpacks (`suite_dir()`).
Every test of every manifest in manifest-all.ttl gets a status: pass, fail, or not applicable
with the reason. Evaluation tests send the query with the test's dataset as protocol parameters
(default-graph-uri, named-graph-uri) to an endpoint that holds every data file of the suite as
a named graph under the file's own IRI; syntax tests only look at the status (400 or not).

Run from tests/: `python -m helpers.w3c` prints the table per manifest and engine;
`python -m helpers.w3c --update` also rewrites the known-failure list from that run,
keeping the reasons already written.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import rdflib
from rdflib import Graph, URIRef

from helpers.w3c_compare import answers_differ
from helpers.w3c_manifest import (
    CSV_RESULTS,
    EVALUATION,
    NEGATIVE,
    POSITIVE,
    ROOT,
    SUITE_ENV,
    W3CTest,
    read_suite,
    suite_dir,
)

__all__ = ["SUITE_ENV", "W3CTest", "read_suite", "suite_dir"]  # for tests/test_w3c.py

PASS, FAIL, NOT_APPLICABLE = "pass", "fail", "n/a"
KNOWN_FAILURES = ROOT / "tests" / "w3c_known_failures.toml"
SELECT_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9"
CSV_ACCEPT = "text/csv"
# the default graph of a test that names no data: a graph the endpoint holds, always empty
EMPTY_GRAPH = "urn:x-cybercrime-kg:w3c:empty"


@dataclass(frozen=True)
class Outcome:
    status: str  # PASS, FAIL or NOT_APPLICABLE
    detail: str = ""


# What an endpoint is to the harness: (query, default-graph-uri, named-graph-uri, Accept)
# -> (HTTP status, Content-Type, body).
Answer = tuple[int, str, bytes]
Send = Callable[[str, Sequence[str], Sequence[str], str], Answer]


# --- the endpoint's data ------------------------------------------------------------------------


def data_files(tests: Sequence[W3CTest]) -> list[Path]:
    """Every data file an applicable evaluation test loads, once."""
    files = {f for t in tests if t.not_applicable is None for f in (*t.data, *t.graph_data)}
    return sorted(files)


def turtle_copy(source: Path, folder: Path) -> Path:
    """The file as Turtle whose relative IRIs resolve against the original file's IRI.

    The endpoint loads Turtle only and Oxigraph has no base for a file it reads itself, so each
    file is copied with an @base line (RDF/XML goes through rdflib, literals kept as written).
    """
    digest = hashlib.sha256(str(source).encode()).hexdigest()[:12]
    target = folder / f"{source.stem}-{digest}.ttl"
    if source.suffix in (".ttl", ".nt"):
        text = source.read_text(encoding="utf-8")
    else:
        normalize = rdflib.NORMALIZE_LITERALS
        rdflib.NORMALIZE_LITERALS = False
        try:
            text = Graph().parse(source).serialize(format="nt")
        finally:
            rdflib.NORMALIZE_LITERALS = normalize
    target.write_text(f"@base <{source.as_uri()}> .\n{text}", encoding="utf-8")
    return target


@contextmanager
def turtle_parts(tests: Sequence[W3CTest]) -> Iterator[list[tuple[str, Path | None]]]:
    """(graph IRI, Turtle file) for every data file, and the empty graph (no file)."""
    with tempfile.TemporaryDirectory(prefix="w3c-data-") as folder:
        parts: list[tuple[str, Path | None]] = [(EMPTY_GRAPH, None)]
        parts += [(f.as_uri(), turtle_copy(f, Path(folder))) for f in data_files(tests)]
        yield parts


# --- running one test ---------------------------------------------------------------------------

# a FROM or FROM NAMED clause (the suite's queries write its IRI in angle brackets)
_DATASET_CLAUSE = re.compile(r"\bFROM\s+(?:NAMED\s+)?<", re.IGNORECASE)


def query_text(test: W3CTest) -> str:
    """The query, its base the query file's own IRI as the suite assumes (a BASE line first)."""
    assert test.query is not None
    return f"BASE <{test.query.as_uri()}>\n" + test.query.read_text(encoding="utf-8")


def dataset(test: W3CTest, text: str) -> tuple[list[str], list[str]]:
    """default-graph-uri and named-graph-uri for the test. A test without data runs on an empty
    default graph, unless its query has its own FROM (resolved against the query file)."""
    if not test.data and not test.graph_data and _DATASET_CLAUSE.search(text):
        return [], []
    default = [f.as_uri() for f in test.data] or [EMPTY_GRAPH]
    return default, [f.as_uri() for f in test.graph_data]


def _first_line(body: bytes) -> str:
    lines = body.decode("utf-8", "replace").strip().splitlines()
    return lines[0][:200] if lines else ""


def run(test: W3CTest, send: Send) -> Outcome:
    """Run one test through `send`; never raises for what the endpoint answers."""
    if test.not_applicable is not None:
        return Outcome(NOT_APPLICABLE, test.not_applicable)
    text = query_text(test)
    default, named = dataset(test, text) if test.kind in (EVALUATION, CSV_RESULTS) else ([], [])
    if test.kind in (POSITIVE, NEGATIVE):
        default = [EMPTY_GRAPH]
    accept = CSV_ACCEPT if test.kind == CSV_RESULTS else SELECT_ACCEPT
    status, content_type, body = send(text, default, named, accept)
    if status >= 500:
        return Outcome(FAIL, f"HTTP {status}: {_first_line(body)}")
    if test.kind == POSITIVE:
        bad = status == 400
        return Outcome(FAIL, f"valid query refused: {_first_line(body)}") if bad else Outcome(PASS)
    if test.kind == NEGATIVE:
        return Outcome(PASS) if status == 400 else Outcome(FAIL, f"invalid query got {status}")
    if status != 200:
        return Outcome(FAIL, f"HTTP {status}: {_first_line(body)}")
    assert test.result is not None
    try:
        difference = answers_differ(test.result, content_type, body, text)
    except Exception as exc:  # an answer that does not parse is a failure of the endpoint
        return Outcome(FAIL, f"unreadable answer ({content_type}): {type(exc).__name__}: {exc}")
    return Outcome(FAIL, difference) if difference else Outcome(PASS)


def run_all(tests: Sequence[W3CTest], send: Send) -> dict[str, Outcome]:
    return {test.id: run(test, send) for test in tests}


@contextmanager
def embedded_endpoint(engine: str, parts: Sequence[tuple[str, Path | None]]) -> Iterator[Send]:
    """The service's /sparql on `engine` over `parts`, through Flask's test client.

    One query worker process, as `serve` runs them (a query that hangs is a 503 after the
    timeout, not a hung suite); no answer cache, so every test is evaluated.
    """
    from cybercrime_kg.app import create_app
    from cybercrime_kg.config import DEFAULTS
    from cybercrime_kg.dataset import Part
    from cybercrime_kg.web.http import EXTENSION

    config = {
        **DEFAULTS,
        "ENGINE": engine,
        "PARTS": tuple(Part(URIRef(iri), (f,) if f else ()) for iri, f in parts),
        "QUERY_WORKERS": 1,
        "QUERY_TIMEOUT": 20.0,
        "MAX_ROWS": 100_000,
        "MAX_REQUEST_BYTES": 1 << 20,
        "RESULT_CACHE_BYTES": 0,
    }
    app = create_app(config)
    client = app.test_client()

    def send(query: str, default: Sequence[str], named: Sequence[str], accept: str) -> Answer:
        form = {"query": query, "default-graph-uri": list(default), "named-graph-uri": list(named)}
        response = client.post("/sparql", data=form, headers={"Accept": accept})
        return response.status_code, response.content_type or "", response.get_data()

    try:
        yield send
    finally:
        app.extensions[EXTENSION].close()


def run_embedded(tests: Sequence[W3CTest], engines: Sequence[str]) -> dict[str, dict[str, Outcome]]:
    """Every test on every engine: {engine: {test id: outcome}}."""
    results: dict[str, dict[str, Outcome]] = {}
    with turtle_parts(tests) as parts:
        for engine in engines:
            with embedded_endpoint(engine, parts) as send:
                results[engine] = run_all(tests, send)
    return results


# --- the table and the known-failure list -------------------------------------------------------


def table(tests: Sequence[W3CTest], results: dict[str, dict[str, Outcome]]) -> str:
    """pass / fail / n.a. per manifest (rows) and engine (columns), with totals; manifests
    with no applicable test are named below the table."""
    engines = list(results)
    manifests = list(dict.fromkeys(t.manifest for t in tests))
    applicable = {t.manifest for t in tests if t.not_applicable is None}
    header = "| manifest | " + " | ".join(f"{e} pass/fail/n.a." for e in engines) + " |"
    lines = [header, "|---" * (len(engines) + 1) + "|"]
    for manifest in [*(m for m in manifests if m in applicable), None]:
        chosen = [t for t in tests if manifest is None or t.manifest == manifest]
        cells = []
        for engine in engines:
            statuses = [results[engine][t.id].status for t in chosen if t.id in results[engine]]
            counts = [statuses.count(s) for s in (PASS, FAIL, NOT_APPLICABLE)]
            cells.append("/".join(map(str, counts)))
        name = "**total**" if manifest is None else manifest
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    others = [m for m in manifests if m not in applicable]
    lines.append(f"\nNot applicable as a whole (counted in the total): {', '.join(others)}")
    return "\n".join(lines)


def read_known(path: Path = KNOWN_FAILURES) -> dict[str, dict[str, str]]:
    """{engine: {test id: reason}} from the known-failure list."""
    import tomllib

    if not path.exists():
        return {}
    with path.open("rb") as handle:
        data: dict[str, dict[str, str]] = tomllib.load(handle)
    return data


_HEADER = """\
# W3C SPARQL 1.1 query tests that fail today, per embedded engine, each with why it fails.
# tests/test_w3c.py fails when a test not listed here fails, and when a listed one passes.
# Rewrite it from a fresh run (reasons already written are kept; new entries get the failure
# the harness saw, to be replaced by the cause):
#     cd tests && ../.venv/bin/python -m helpers.w3c --update
"""


def write_known(
    results: dict[str, dict[str, Outcome]], old: dict[str, dict[str, str]], path: Path
) -> None:
    """Write the list: the failures of `results`, and `old`'s entries for engines not run."""
    failing = {
        engine: {
            test_id: old.get(engine, {}).get(test_id) or outcome.detail
            for test_id, outcome in outcomes.items()
            if outcome.status == FAIL
        }
        for engine, outcomes in results.items()
    }
    lines = [_HEADER]
    for engine, entries in {**old, **failing}.items():
        lines.append(f"[{engine}]")
        for test_id, reason in entries.items():
            lines.append(f"{json.dumps(test_id)} = {json.dumps(reason, ensure_ascii=False)}")
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


def check(test_id: str, outcome: Outcome, known: dict[str, str]) -> str | None:
    """Why this outcome breaks the known-failure list, or None if it agrees."""
    if outcome.status == FAIL and test_id not in known:
        return f"{test_id} fails and is not a known failure: {outcome.detail}"
    if outcome.status != FAIL and test_id in known:
        return (
            f"{test_id} is listed as a known failure ({known[test_id]}) but its status is "
            f"{outcome.status}: take it off the list (python -m helpers.w3c --update)"
        )
    return None


# outcomes tests/test_w3c.py saw in this session, for the table at the end
SEEN: dict[str, dict[str, Outcome]] = {}


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """The pass / fail / n.a. table of the W3C tests that ran in this session."""
    if SEEN:
        terminalreporter.write_sep("=", "W3C SPARQL 1.1 tests (pass/fail/n.a.)")
        terminalreporter.write_line(table(read_suite(), SEEN))


def quiet() -> None:
    """Keep the engines' logged tracebacks (the failures the table counts) off the terminal."""
    logging.basicConfig(level=logging.CRITICAL)


def main(argv: Sequence[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m helpers.w3c", description=__doc__)
    parser.add_argument("--engine", action="append", choices=("rdflib", "oxigraph"))
    parser.add_argument("--update", action="store_true", help=f"rewrite {KNOWN_FAILURES.name}")
    args = parser.parse_args(argv)
    quiet()
    tests = read_suite()
    results = run_embedded(tests, args.engine or ["rdflib", "oxigraph"])
    print(table(tests, results))
    if args.update:
        write_known(results, read_known(), KNOWN_FAILURES)
        print(f"wrote {KNOWN_FAILURES}")


if __name__ == "__main__":
    main()
