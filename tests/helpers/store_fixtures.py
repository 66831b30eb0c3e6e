"""Session fixtures of the remote stores the integration tests and the remote engine use.

Registered as a plugin by tests/conftest.py; the servers themselves are in `helpers.stores`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cybercrime_kg.cli.load import load
from cybercrime_kg.dataset import project_parts
from cybercrime_kg.paths import Layout
from helpers.sparql import BASE, HOME
from helpers.stores import (
    VIRTUOSO,
    loaded_oxigraph,
    need_oxigraph,
    virtuoso_server,
    virtuoso_target,
)


@pytest.fixture(scope="session")
def virtuoso_root() -> Iterator[str]:
    """A Virtuoso server for the session: the real graph under the default base, and room for
    tests that load under other bases."""
    if VIRTUOSO is None:
        pytest.skip("Virtuoso is not installed (apt-get install virtuoso-opensource)")
    with virtuoso_server() as root:
        load(virtuoso_target(root), project_parts(), BASE)
        yield root


@pytest.fixture(scope="session")
def virtuoso_fixture_endpoint() -> Iterator[str]:
    """A second Virtuoso database with the SPARQL fixture dataset (tests/fixtures/sparql): it
    names its graphs as the real graph does, so it cannot share the first one."""
    if VIRTUOSO is None:
        pytest.skip("Virtuoso is not installed (apt-get install virtuoso-opensource)")
    with virtuoso_server() as root:
        load(virtuoso_target(root), project_parts(Layout(HOME)), BASE)
        yield f"{root}/sparql"


@pytest.fixture(scope="session")
def virtuoso_real_endpoint(virtuoso_root: str) -> str:
    """Virtuoso's query endpoint, with the project's whole graph loaded."""
    return f"{virtuoso_root}/sparql"


@pytest.fixture(scope="session")
def oxigraph_fixture_endpoint() -> Iterator[str]:
    """Oxigraph server with the SPARQL fixture dataset (tests/fixtures/sparql)."""
    need_oxigraph()
    with loaded_oxigraph(project_parts(Layout(HOME))) as endpoint:
        yield endpoint


@pytest.fixture(scope="session")
def oxigraph_real_endpoint() -> Iterator[str]:
    """Oxigraph server with the project's whole graph."""
    need_oxigraph()
    with loaded_oxigraph(project_parts()) as endpoint:
        yield endpoint
