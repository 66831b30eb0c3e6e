"""Shared fixtures: the project's dataset is parsed once per session."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Dataset

from cybercrime_kg.dataset import load_dataset, project_parts
from cybercrime_kg.paths import Layout, project_layout
from helpers.sparql import sparql_config
from helpers.stores import EMBEDDED, ENGINE_NAMES, FIXTURE_ENDPOINTS

# fixtures other modules define: the remote stores (issue 7) and the built wheel; the W3C
# suite's table at the end of the run (issue 17)
pytest_plugins = ["helpers.store_fixtures", "helpers.packaging", "helpers.w3c"]


@pytest.fixture(scope="session")
def layout() -> Layout:
    return project_layout()


@pytest.fixture(scope="session")
def dataset(layout: Layout) -> Dataset:
    """The whole served dataset (ontology, data, shapes as named graphs). Do not modify."""
    return load_dataset(project_parts(layout))


# --- SPARQL endpoint (issue 5) ---------------------------------------------------------------
# The endpoint tests run on a small fixture dataset with known answers (tests/fixtures/sparql),
# once per engine: every test that takes `client` or `sparql_service` runs on both, and through
# the remote engine against an Oxigraph server loaded with the same data when one is installed
# (issue 7: tests/helpers/store_fixtures.py).


@pytest.fixture(scope="session", params=ENGINE_NAMES)
def sparql_service(request: pytest.FixtureRequest) -> Iterator[Any]:
    """One loaded QueryService (engine and worker processes) per engine for the session."""
    from cybercrime_kg.sparql.service import QueryService

    config = sparql_config(ENGINE=request.param)
    if request.param in FIXTURE_ENDPOINTS:
        config["ENGINE"] = "remote"
        config["ENDPOINT"] = request.getfixturevalue(FIXTURE_ENDPOINTS[request.param])
    service = QueryService.from_config(config)
    yield service
    service.close()


@pytest.fixture
def engine_name(sparql_service: Any, request: pytest.FixtureRequest) -> str:
    """The name `sparql_service` runs under: rdflib, oxigraph, remote (Oxigraph server) or
    virtuoso (the remote engine in front of Virtuoso)."""
    name: str = request.node.callspec.params["sparql_service"]
    return name


@pytest.fixture
def app(sparql_service: Any) -> Flask:
    from cybercrime_kg.app import create_app

    return create_app(
        {"TESTING": True, "QUERY_SERVICE": sparql_service, **sparql_config(), "PARTS": None}
    )


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture(scope="session", params=EMBEDDED)
def live_root(request: pytest.FixtureRequest) -> Iterator[str]:
    """A real `cybercrime-kg serve` (gunicorn) on 127.0.0.1 per engine, 2 s query timeout."""
    from helpers.sparql import live_server

    with live_server(request.param, "--query-timeout", "2") as root:
        yield root


# --- Linked data over the project's graph (issue 6) -------------------------------------------
# Pages, search and link checks need the real data. Loading it and answering its CONSTRUCTs
# takes seconds, so one in-thread QueryService (no worker processes) serves the session, as the
# endpoint tests share theirs; Oxigraph, because a page crawl runs a hundred descriptions.


@pytest.fixture(scope="session")
def graph_service() -> Iterator[Any]:
    from cybercrime_kg.config import DEFAULTS
    from cybercrime_kg.sparql.service import QueryService

    service = QueryService.from_config({**DEFAULTS, "ENGINE": "oxigraph", "QUERY_WORKERS": 0})
    yield service
    service.close()


@pytest.fixture
def graph_app(graph_service: Any) -> Flask:
    from cybercrime_kg.app import create_app

    return create_app({"TESTING": True, "QUERY_SERVICE": graph_service})


@pytest.fixture
def graph_client(graph_app: Flask) -> FlaskClient:
    return graph_app.test_client()
