"""Real triplestores on 127.0.0.1 for the integration tests, loaded with `cybercrime-kg load`.

Oxigraph server comes from the PyPI package `oxigraph` (its `oxigraph` command, in the test
extra); when it is installed, the protocol suites and the named-query suite also run through
the remote engine against it (`ENGINE_NAMES`). Each server is in memory and dies with the session.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

from cybercrime_kg.dataset import Part, project_parts
from cybercrime_kg.load import Target, load
from cybercrime_kg.load import _opener as opener
from cybercrime_kg.paths import Layout
from sparql_helpers import BASE, HOME, free_port

OXIGRAPH = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which(
    "oxigraph"
)
EMBEDDED = ("rdflib", "oxigraph")
# every engine the endpoint suites run on: the remote one only with a server to run against
ENGINE_NAMES = (*EMBEDDED, "remote") if OXIGRAPH else EMBEDDED


def wait_for(url: str, process: subprocess.Popen[bytes], what: str) -> None:
    """Until `url` answers (any HTTP status), or fail with the server's own last words."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            assert process.stderr is not None
            raise RuntimeError(f"{what} exited: {process.stderr.read().decode()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} did not answer at {url}")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    if process.stderr is not None:
        process.stderr.close()


@contextmanager
def oxigraph_server() -> Iterator[str]:
    """An empty in-memory Oxigraph server; yields its root URL (/query, /update, /store)."""
    assert OXIGRAPH is not None
    port = free_port()
    process = subprocess.Popen(
        [OXIGRAPH, "serve", "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    root = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{root}/query?query=ASK%7B%7D", process, "oxigraph serve")
        yield root
    finally:
        stop(process)


def oxigraph_target(root: str, graph_store: bool = True) -> Target:
    return Target(
        endpoint=f"{root}/query",
        graph_store=f"{root}/store" if graph_store else None,
        update=f"{root}/update",
        opener=opener([root], None, None),
    )


@contextmanager
def loaded_oxigraph(parts: Sequence[Part]) -> Iterator[str]:
    """An Oxigraph server holding `parts`; yields its query endpoint."""
    with oxigraph_server() as root:
        load(oxigraph_target(root), parts, BASE)
        yield f"{root}/query"


def _need_oxigraph() -> None:
    if OXIGRAPH is None:
        pytest.skip("the `oxigraph` server is not installed (pip install oxigraph)")


@pytest.fixture(scope="session")
def oxigraph_fixture_endpoint() -> Iterator[str]:
    """Oxigraph server with the SPARQL fixture dataset (tests/fixtures/sparql)."""
    _need_oxigraph()
    with loaded_oxigraph(project_parts(Layout(HOME))) as endpoint:
        yield endpoint


@pytest.fixture(scope="session")
def oxigraph_real_endpoint() -> Iterator[str]:
    """Oxigraph server with the project's whole graph."""
    _need_oxigraph()
    with loaded_oxigraph(project_parts()) as endpoint:
        yield endpoint
