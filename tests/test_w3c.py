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

from helpers import w3c
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
