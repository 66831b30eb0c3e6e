"""The fast engine against pySHACL, the reference (issue 21): the same results, as a set of
(focus, path, value, source shape, constraint component, severity), on every shape fixture and on
the project's data; and what the fast engine cannot check goes to pySHACL, never unchecked."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from cybercrime_kg.paths import Layout
from cybercrime_kg.validation import Violation, load_parts, validate_graphs, validate_loaded
from cybercrime_kg.validation.plan import plan
from helpers.shape_fixtures import INVALID, VALID, fixture_id, load_shapes, load_world, validate_all

Results = dict[str, list[Violation]]


@pytest.fixture(scope="module")
def shapes(layout: Layout) -> Graph:
    return load_shapes(layout)


@pytest.fixture(scope="module")
def by_engine(layout: Layout, shapes: Graph) -> dict[str, Results]:
    """Every fixture's results from each engine, on the same batch."""
    world = load_world(layout)
    return {
        engine: validate_all(world, shapes, lambda d, s, e=engine: validate_graphs(d, s, engine=e))
        for engine in ("pyshacl", "fast")
    }


def keys(results: list[Violation]) -> set[tuple[str, ...]]:
    return {v.key() for v in results}


@pytest.mark.parametrize("path", VALID + INVALID, ids=fixture_id)
def test_fast_engine_reports_what_pyshacl_reports(by_engine: dict[str, Results], path: Path):
    fixture = fixture_id(path)
    reference, fast = keys(by_engine["pyshacl"][fixture]), keys(by_engine["fast"][fixture])
    assert fast == reference, (
        f"{fixture}: only pySHACL: {sorted(reference - fast)}; only fast: {sorted(fast - reference)}"
    )


def test_no_result_is_left_without_a_fixture_by_either_engine(by_engine: dict[str, Results]):
    assert keys(by_engine["fast"][""]) == keys(by_engine["pyshacl"][""]) == set()


def test_on_the_project_data_both_engines_agree():
    reports = {e: validate_loaded(load_parts(None, e), e) for e in ("pyshacl", "fast")}
    assert reports["fast"].conforms == reports["pyshacl"].conforms
    assert keys(list(reports["fast"].violations)) == keys(list(reports["pyshacl"].violations))


def test_the_project_shapes_need_no_pyshacl(shapes: Graph):
    chosen = plan(shapes)
    assert chosen.pyshacl == []
    assert len(chosen.sparql) == 8 and len(chosen.core) > 60
