"""The W3C SPARQL 1.1 query test suite through /sparql on each embedded engine (issue 17).

Every query-evaluation and syntax test of the suite runs through the service's HTTP endpoint,
with the test's dataset given as protocol parameters (tests/helpers/w3c.py says how). A test
that fails must be in tests/w3c_known_failures.toml with its reason, and a listed test must
fail, so the list stays honest; `cd tests && python -m helpers.w3c --update` rewrites it.
Update, SERVICE, entailment and protocol tests are not applicable (skipped with the reason).

The suite's files are fetched by `scripts/run test` (scripts/fetch-w3c-tests), never at test
time: without them the tests skip, except in CI (CI=true), where they fail.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib.namespace import XSD

from helpers import w3c
from helpers import w3c_compare as compare
from helpers.stores import EMBEDDED

SUITE = w3c.suite_dir()
PRESENT = (SUITE / "manifest-all.ttl").is_file()
TESTS = w3c.read_suite(SUITE) if PRESENT else []
MISSING = (
    f"the W3C SPARQL 1.1 tests are not in {SUITE}: run scripts/run test, or "
    f"scripts/fetch-w3c-tests .cache/w3c (or point {w3c.SUITE_ENV} at a sparql11 folder)"
)


@pytest.fixture(scope="module")
def data_parts() -> Iterator[list[tuple[str, Path | None]]]:
    with w3c.turtle_parts(TESTS) as parts:
        yield parts


@pytest.fixture(scope="module", params=EMBEDDED)
def endpoint(
    request: pytest.FixtureRequest, data_parts: list[tuple[str, Path | None]]
) -> Iterator[tuple[str, w3c.Send]]:
    """(engine name, the /sparql of an app holding every data file of the suite)."""
    with w3c.embedded_endpoint(request.param, data_parts) as send:
        yield request.param, send


@pytest.fixture(scope="module")
def known() -> dict[str, dict[str, str]]:
    return w3c.read_known()


def test_suite_is_present() -> None:
    if not PRESENT:
        if os.environ.get("CI") == "true":
            pytest.fail(MISSING)
        pytest.skip(MISSING)
    assert len(TESTS) > 500, f"only {len(TESTS)} tests in {SUITE}: an incomplete extraction?"


def test_known_failures_name_tests_of_the_suite(known: dict[str, dict[str, str]]) -> None:
    if not PRESENT:
        pytest.skip(MISSING)
    applicable = {t.id for t in TESTS if t.not_applicable is None}
    assert set(known) <= set(EMBEDDED), f"unknown engines in the list: {set(known) - {*EMBEDDED}}"
    for engine, entries in known.items():
        stale = sorted(set(entries) - applicable)
        assert not stale, f"{engine}: listed tests that are not applicable tests: {stale}"
        assert all(reason.strip() for reason in entries.values()), f"{engine}: empty reason"


@pytest.mark.parametrize("test", TESTS, ids=[t.id for t in TESTS])
def test_w3c(
    test: w3c.W3CTest, endpoint: tuple[str, w3c.Send], known: dict[str, dict[str, str]]
) -> None:
    engine, send = endpoint
    outcome = w3c.run(test, send)
    w3c.SEEN.setdefault(engine, {})[test.id] = outcome
    problem = w3c.check(test.id, outcome, known.get(engine, {}))
    if problem:
        pytest.fail(problem)
    if outcome.status == w3c.NOT_APPLICABLE:
        pytest.skip(f"not applicable: {outcome.detail}")
    if outcome.status == w3c.FAIL:  # listed, so check() made sure it is known
        pytest.xfail(f"known failure on {engine}: {known[engine][test.id]}")


# --- the harness itself (no suite files needed) ------------------------------------------------


def test_rows_match_up_to_blank_node_renaming() -> None:
    from rdflib import BNode, Literal

    a, b, x, y = BNode("a"), BNode("b"), BNode("x"), BNode("y")
    expected = [(("s", a), ("o", a)), (("s", a), ("o", b))]
    assert compare.rows_match(expected, [(("s", x), ("o", y)), (("s", x), ("o", x))], False)
    # one blank node where the expected answer has two is a different answer
    assert not compare.rows_match(expected, [(("s", x), ("o", x)), (("s", x), ("o", x))], False)
    assert not compare.rows_match(expected, [(("s", x), ("o", y)), (("s", x), ("o", x))], True)
    # numbers compare by value within their datatype
    two = compare.term(Literal("2.0", datatype=XSD.decimal))
    assert two == compare.term(Literal("2", datatype=XSD.decimal))
    assert two != compare.term(Literal("2", datatype=XSD.integer))
    assert compare.term(Literal("a", datatype=XSD.string)) == Literal("a")


def test_the_known_failure_list_must_stay_honest() -> None:
    known = {"a/t1": "why"}
    assert w3c.check("a/t1", w3c.Outcome(w3c.FAIL, "wrong"), known) is None
    assert "not a known failure" in str(w3c.check("a/t2", w3c.Outcome(w3c.FAIL, "x"), known))
    assert "take it off the list" in str(w3c.check("a/t1", w3c.Outcome(w3c.PASS), known))


def test_update_keeps_the_reasons_already_written(tmp_path: Path) -> None:
    path = tmp_path / "known.toml"
    old = {"rdflib": {"a/t1": "the cause", "a/gone": "fixed since"}, "oxigraph": {"b/t": "kept"}}
    results = {
        "rdflib": {"a/t1": w3c.Outcome(w3c.FAIL, "got 1 row"), "a/t2": w3c.Outcome(w3c.FAIL, "new")}
    }
    w3c.write_known(results, old, path)
    assert w3c.read_known(path) == {
        "rdflib": {"a/t1": "the cause", "a/t2": "new"},
        "oxigraph": {"b/t": "kept"},  # an engine not run keeps its entries
    }
