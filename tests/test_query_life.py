"""A query's whole life is bounded: read without parsing in the HTTP worker, parsed and run in
a query process under the time limit and QUERY_MEMORY, its answer cut at MAX_RESPONSE_BYTES;
valid queries whose expressions fail follow SPARQL's error rules instead of failing (issues 16
and 17)."""

from __future__ import annotations

import json
import os
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from cybercrime_kg.errors import QuerySyntaxError, UpdateRefused
from cybercrime_kg.sparql.lexer import MAX_NESTING, TOO_DEEP, Outline, outline
from helpers.sparql import BASE, ID, bindings, live_process, live_server, text

XSD = "http://www.w3.org/2001/XMLSchema#"
PREFIX = f"PREFIX xsd: <{XSD}>\n"

# --- the lexer: what the HTTP worker knows before any parse ---------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ASK {}", Outline("ASK")),
        ("select distinct * {}", Outline("SELECT", select_star=True)),
        ("# c\nPREFIX a: <x#> BASE <http://b/> DESCRIBE a:y", Outline("DESCRIBE")),
        (
            "PREFIX g: <graph/> SELECT ?s FROM g:data FROMNAMED<graph/ontology> FROM NAMED <h>"
            " WHERE { ?s ?p ?o }",
            Outline(
                "SELECT",
                from_default=(BASE + "graph/data",),
                from_named=(BASE + "graph/ontology", BASE + "h"),
            ),
        ),
        (
            "CONSTRUCT { ?s ?p ?o } FROM <http://g> WHERE { ?s ?p ?o }",
            Outline("CONSTRUCT", from_default=("http://g",)),
        ),
        (
            'SELECT * { ?s <http://x#SERVICE> "SERVICE <http://y>" # SERVICE <http://z>\n }',
            Outline("SELECT", select_star=True),
        ),
        (
            "PREFIX e: <http://e/> SELECT * { SERVICEe:a {} SERVICE ?v {} 1SERVICE <http://q> {} }",
            Outline("SELECT", select_star=True, services=("http://e/a", "?v", "!1SERVICE")),
        ),
        (
            "PREFIX myservice: <http://m/> SELECT * { ?s myservice:p ?o }",
            Outline("SELECT", select_star=True),
        ),
    ],
    ids=["ask", "star", "prologue", "dataset", "template-first", "quoted", "service", "prefix"],
)
def test_outline(query: str, expected: Outline) -> None:
    assert outline(query, BASE) == expected


@pytest.mark.parametrize(
    "query", ["INSERT DATA { <a> <b> <c> }", "# x\nPREFIX a: <x> LOAD <http://x>", "clear all"]
)
def test_updates_are_refused_before_any_parse(query: str) -> None:
    with pytest.raises(UpdateRefused):
        outline(query, BASE)


def test_nesting_deeper_than_the_limit_is_refused_with_the_limit() -> None:
    deepest = "ASK " + "{ " * MAX_NESTING + "}" * MAX_NESTING
    assert outline(deepest, BASE) == Outline("ASK")
    with pytest.raises(QuerySyntaxError) as error:
        outline("ASK { " + deepest[4:] + " }", BASE)
    assert str(error.value) == TOO_DEEP.format(limit=MAX_NESTING)


def test_lexing_is_linear() -> None:
    """A 256 KB query is read in well under a second (the parse it replaced took minutes)."""
    query = "SELECT * WHERE { ?s ?p ?o FILTER(?o IN (" + ",".join(["1"] * 120_000) + ")) }"
    started = time.perf_counter()
    assert outline(query, BASE) == Outline("SELECT", select_star=True)
    assert time.perf_counter() - started < 2.0


# --- SPARQL's error rules, on every engine ---------------------------------------------------

UNBOUND = [{}]
EXPRESSION_ERRORS = {
    # an expression error in BIND leaves the variable unbound
    "regex-bad-pattern": ('SELECT ?x WHERE { BIND(REGEX("abc", "(") AS ?x) }', UNBOUND),
    "strlang-bad-tag": ('SELECT ?x WHERE { BIND(STRLANG("x", "-") AS ?x) }', UNBOUND),
    "substr-double": ('SELECT ?x WHERE { BIND(SUBSTR("abc", 1e400) AS ?x) }', UNBOUND),
    "ill-typed-integer": (
        PREFIX + 'SELECT ?x WHERE { BIND("1.5"^^xsd:integer + 1 AS ?x) }',
        UNBOUND,
    ),
    "byte-out-of-range": (PREFIX + 'SELECT ?x WHERE { BIND(xsd:byte("999") AS ?x) }', UNBOUND),
    "hex-binary-not-hex": (
        PREFIX + 'SELECT ?x WHERE { BIND(xsd:hexBinary("zz") AS ?x) }',
        UNBOUND,
    ),
    "unsigned-long-negative": (
        PREFIX + 'SELECT ?x WHERE { BIND(xsd:unsignedLong("-5") AS ?x) }',
        UNBOUND,
    ),
    "unknown-function": ("SELECT ?x WHERE { BIND(<urn:x-no:such>(1) AS ?x) }", UNBOUND),
    # in FILTER it is false
    "regex-in-filter": ('SELECT ?y WHERE { BIND(1 AS ?y) FILTER(REGEX("abc", "(")) }', []),
    # XPath: a group the pattern lacks stands for the empty string
    "replace-missing-group": (
        'SELECT ?x WHERE { BIND(REPLACE("abc", "a", "$9") AS ?x) }',
        [{"x": "bc"}],
    ),
    # XPath: ROUND of an infinite double is itself
    "round-infinity": ("SELECT ?x WHERE { BIND(ROUND(1e400) AS ?x) }", [{"x": "INF"}]),
}


def _values(body: bytes) -> list[dict[str, str]]:
    """Each solution as {variable: value}; doubles in their canonical upper-case form."""
    rows = []
    for row in json.loads(body)["results"]["bindings"]:
        rows.append(
            {
                name: term["value"].upper()
                if term.get("datatype") == XSD + "double"
                else term["value"]
                for name, term in row.items()
            }
        )
    return rows


@pytest.mark.parametrize("case", EXPRESSION_ERRORS)
def test_expression_errors_follow_sparql(client, engine_name, case):
    if engine_name not in ("rdflib", "oxigraph"):
        pytest.skip("the embedded engines are ours to fix; a remote store answers as it does")
    query, expected = EXPRESSION_ERRORS[case]
    response = client.get("/sparql", query_string={"query": query})
    assert (response.status_code, _values(response.data)) == (200, expected)


def test_construct_short_form(client, engine_name):
    query = "CONSTRUCT WHERE { ?s a <" + BASE + "ontology#Meeting> } LIMIT 500"
    response = client.get("/sparql", query_string={"query": query, "format": "ntriples"})
    assert response.status_code == 200
    subjects = {line.split(" ")[0] for line in text(response).splitlines() if line}
    assert subjects and all(s.startswith(f"<{ID}meeting") for s in subjects)


def test_select_star_keeps_the_values_variables(client, engine_name):
    if engine_name not in ("rdflib", "oxigraph"):
        pytest.skip("Virtuoso refuses SELECT * with VALUES after the WHERE clause")
    query = "SELECT * WHERE { BIND(1 AS ?a) } VALUES ?x { 1 2 }"
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 200
    assert json.loads(response.data)["head"]["vars"] == ["a", "x"]
    assert sorted(row["x"] for row in _values(response.data)) == ["1", "2"]


# --- limits on a live server -----------------------------------------------------------------

TIMEOUT = 3.0
LONG_IN = "SELECT * WHERE { ?s ?p ?o FILTER(?o IN (" + ",".join(['"x"'] * 8000) + ")) }"
LONG_SUM = "ASK { FILTER(" + "+".join(["1"] * 12000) + " > 0) }"
DEEP = "ASK { " + "{ " * 150 + "}" * 150 + " }"
MANY_PATTERNS = "SELECT * WHERE { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(300)) + " }"
HEAVY = {"long-in": LONG_IN, "long-sum": LONG_SUM, "deep": DEEP, "many-patterns": MANY_PATTERNS}


def post(root: str, query: str, timeout: float = 60) -> tuple[int, bytes, dict[str, str]]:
    request = urllib.request.Request(
        root + "sparql",
        data=query.encode(),
        headers={"Content-Type": "application/sparql-query"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


def control(root: str, tag: str) -> float:
    """Seconds for a new ASK {} (never cached: a comment makes it unique)."""
    started = time.perf_counter()
    status, _, _ = post(root, f"ASK {{}} # {tag}")
    assert status == 200
    return time.perf_counter() - started


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_parse_heavy_queries_do_not_delay_others(engine: str) -> None:
    options = ("--query-timeout", str(TIMEOUT), "--query-workers", "6")
    with live_server(engine, *options) as root:
        normal = sorted(control(root, f"warm-{i}") for i in range(5))[2]
        outcomes: dict[str, tuple[int, float]] = {}

        def send(name: str, query: str) -> None:
            started = time.perf_counter()
            status, _, _ = post(root, query)
            outcomes[name] = (status, time.perf_counter() - started)

        threads = [threading.Thread(target=send, args=item) for item in HEAVY.items()]
        for thread in threads:
            thread.start()
        time.sleep(0.3)
        delays = [control(root, f"during-{i}") for i in range(5)]
        for thread in threads:
            thread.join(timeout=TIMEOUT + 30)
    # the median of 5: on 2 shared cores one control query can lose its slice to the heavy ones
    assert sorted(delays)[2] < normal + 1.0, (normal, delays)
    for name, (status, seconds) in outcomes.items():
        assert status in (200, 503), (name, status)
        assert seconds < TIMEOUT + 1.0 + 1.0, (name, seconds)  # the limit, + 1 s, + transfer


def _group_rss(pid: int) -> int:
    """Resident bytes of every process in the server's process group."""
    group = os.getpgid(pid)
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if os.getpgid(int(entry.name)) != group:
                continue
            fields = (entry / "statm").read_text().split()
        except (OSError, ProcessLookupError):
            continue
        total += int(fields[1]) * os.sysconf("SC_PAGE_SIZE")
    return total


def concat_bomb(doublings: int = 34) -> str:
    binds = ['BIND("abcdefghabcdefgh" AS ?v0)'] + [
        f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(doublings)
    ]
    return f"SELECT (STRLEN(?v{doublings}) AS ?n) WHERE {{ {' '.join(binds)} }}"


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_a_memory_bomb_is_stopped_and_memory_comes_back(engine: str, monkeypatch) -> None:
    monkeypatch.setenv("CYBERCRIME_KG_QUERY_MEMORY", str(256 * 1024 * 1024))
    with live_process(engine, "--query-timeout", "20") as (root, process):
        before = _group_rss(process.pid)
        status, body, _ = post(root, concat_bomb())
        assert status == 503
        message = body.decode()
        assert "256 MiB, QUERY_MEMORY" in message, message
        time.sleep(1.0)  # the replacement process is forked
        assert control(root, "after-the-bomb") < 5
        after = _group_rss(process.pid)
    assert after < before * 1.2, (before, after)


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_an_answer_over_max_response_bytes_is_cut_and_flagged(engine: str, monkeypatch) -> None:
    monkeypatch.setenv("CYBERCRIME_KG_MAX_RESPONSE_BYTES", "20000")
    query = (
        "SELECT ?x WHERE { VALUES ?a { 1 2 3 4 5 6 7 8 9 10 } VALUES ?b { 1 2 3 4 5 6 7 8 9 10 }"
        ' BIND(CONCAT(STR(?a), "-", STR(?b), "' + "-" * 200 + '") AS ?x) }'
    )
    with live_server(engine) as root:
        status, body, headers = post(root, query)
    assert (status, headers.get("X-SPARQL-Truncated")) == (200, "max-bytes=20000")
    assert 0 < len(body) <= 20000
    assert 0 < len(bindings(body)) < 100  # whole rows, fewer than all of them


def test_the_query_that_crashed_pyoxigraph_gets_no_500() -> None:
    with live_server("oxigraph", "--query-timeout", "10") as root:
        status, body, _ = post(root, LONG_SUM)
        assert status in (200, 503), (status, body[:200])
        if status == 503:
            assert b"the query's process ended while evaluating it" in body
        assert control(root, "after-the-crash") < 5  # the process was replaced


def test_outline_costs_nothing_in_the_http_worker_for_a_syntax_error(client, engine_name):
    """Not a form at all: refused from the tokens, the same words on every engine."""
    response = client.get("/sparql", query_string={"query": "HELLO world"})
    assert (response.status_code, text(response)) == (
        400,
        "SPARQL syntax error at line 1, column 1: expected SELECT, CONSTRUCT, DESCRIBE or ASK, "
        "found 'HELLO'\n",
    )
