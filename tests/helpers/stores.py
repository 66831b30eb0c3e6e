"""Real triplestores on 127.0.0.1 for the integration tests, loaded with `cybercrime-kg load`.

Oxigraph server comes from the PyPI package `oxigraph` (its `oxigraph` command, in the test
extra); when it is installed, the protocol suites and the named-query suite also run through
the remote engine against it (`ENGINE_NAMES`). Virtuoso comes from the Debian package
`virtuoso-opensource` (scripts/run test installs it); when it is there, the named-query suite
also runs against it (`QUERY_ENGINE_NAMES`). Each server has its own temporary database (or none)
and stops with the session.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

from cybercrime_kg.cli.load import Target, load
from cybercrime_kg.cli.load import _opener as opener
from cybercrime_kg.dataset import Part
from helpers.sparql import BASE, free_port

OXIGRAPH = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which(
    "oxigraph"
)
VIRTUOSO = shutil.which("virtuoso-t")
EMBEDDED = ("rdflib", "oxigraph")
# every engine the endpoint and named-query suites run on: the remote engine in front of
# Oxigraph server ("remote") and of Virtuoso ("virtuoso"), each when it is installed
ENGINE_NAMES = (
    *EMBEDDED,
    *(("remote",) if OXIGRAPH else ()),
    *(("virtuoso",) if VIRTUOSO else ()),
)
QUERY_ENGINE_NAMES = ENGINE_NAMES
# the session fixture that gives each remote engine name its endpoint with the fixture data
FIXTURE_ENDPOINTS = {"remote": "oxigraph_fixture_endpoint", "virtuoso": "virtuoso_fixture_endpoint"}
# the credentials of a new Virtuoso database; its HTTP ports only listen on 127.0.0.1
VIRTUOSO_USER = VIRTUOSO_PASSWORD = "dba"


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
def running(command: list[str], probe: str) -> Iterator[None]:
    """A server process, from its first answer at `probe` until the block ends."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for(probe, process, command[0])
        yield
    finally:
        stop(process)


@contextmanager
def oxigraph_server() -> Iterator[str]:
    """An empty in-memory Oxigraph server; yields its root URL (/query, /update, /store)."""
    assert OXIGRAPH is not None
    port = free_port()
    root = f"http://127.0.0.1:{port}"
    with running(
        [OXIGRAPH, "serve", "--bind", f"127.0.0.1:{port}"], f"{root}/query?query=ASK%7B%7D"
    ):
        yield root


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


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 0
DirsAllowed = {d}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
ServerThreads = 10
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
"""


@contextmanager
def virtuoso_server() -> Iterator[str]:
    """A new Virtuoso database in a temporary folder; yields the root URL (/sparql ...)."""
    assert VIRTUOSO is not None
    with tempfile.TemporaryDirectory(prefix="virtuoso-") as folder:
        ini = Path(folder) / "virtuoso.ini"
        http_port = free_port()
        ini.write_text(
            VIRTUOSO_INI.format(d=folder, sql_port=free_port(), http_port=http_port),
            encoding="utf-8",
        )
        root = f"http://127.0.0.1:{http_port}"
        with running([VIRTUOSO, "-f", "-c", str(ini)], f"{root}/sparql?query=ASK%7B%7D"):
            yield root


def virtuoso_target(root: str, graph_store: bool = True) -> Target:
    """Writes go through the authenticated endpoints (HTTP digest) of the test database."""
    return Target(
        endpoint=f"{root}/sparql",
        graph_store=f"{root}/sparql-graph-crud-auth" if graph_store else None,
        update=f"{root}/sparql-auth",
        opener=opener([root], VIRTUOSO_USER, VIRTUOSO_PASSWORD),
        stream=False,
    )


def need_oxigraph() -> None:
    """Skip the test when the Oxigraph server is not installed."""
    if OXIGRAPH is None:
        pytest.skip("the `oxigraph` server is not installed (pip install oxigraph)")
