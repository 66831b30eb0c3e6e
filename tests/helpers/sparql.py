"""Helpers shared by the SPARQL endpoint tests: fixture IRIs, answer parsing, live servers."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from cybercrime_kg.config import DEFAULTS
from cybercrime_kg.dataset import project_parts
from cybercrime_kg.paths import Layout

BASE = "https://w3id.org/cybercrime-kg/"
ID = BASE + "id/"
IEG = BASE + "ontology#"
GRAPHS = {name: f"{BASE}graph/{name}" for name in ("ontology", "data", "public-record", "shapes")}
PREFIXES = (
    f"PREFIX ieg: <{IEG}>\nPREFIX id: <{ID}>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
)
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
SELECT_JSON = "application/sparql-results+json; charset=utf-8"
# triples in each fixture graph (tests/fixtures/sparql)
SIZES = {"ontology": 6, "data": 16, "public-record": 0, "shapes": 3}
HOME = Path(__file__).parent.parent / "fixtures" / "sparql"


def sparql_config(**overrides: Any) -> dict[str, Any]:
    """Service settings for tests: the fixture data, short limits, no environment surprises."""
    config = {
        **DEFAULTS,
        "PARTS": project_parts(Layout(HOME)),
        "QUERY_TIMEOUT": 5.0,
        "MAX_ROWS": 100,
        "MAX_REQUEST_BYTES": 4096,
    }
    config.update(overrides)
    return config


def text(response: Any) -> str:
    return str(response.get_data(as_text=True))


def bindings(body: str | bytes) -> list[dict[str, str]]:
    """SPARQL JSON results as a list of {variable: value}."""
    data = json.loads(body)
    return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


def count(body: str | bytes) -> int:
    return int(bindings(body)[0]["n"])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def live_server(engine: str, *options: str, home: Path | None = HOME) -> Iterator[str]:
    """`cybercrime-kg serve` on 127.0.0.1 over the fixture data (`home=None`: the project's own
    graph); yields its root URL."""
    with live_process(engine, *options, home=home) as (root, _):
        yield root


@contextmanager
def live_process(
    engine: str, *options: str, home: Path | None = HOME
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """As `live_server`, and the server's process (the leader of its process group)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "CYBERCRIME_KG_HOME"}
    if home is not None:
        env["CYBERCRIME_KG_HOME"] = str(home)
    command = [sys.executable, "-m", "cybercrime_kg.cli", "serve", "--port", str(port)]
    command += ["--engine", engine, "--workers", "1", "--threads", "4", *options]
    with server_process(command, env, port) as process:
        yield f"http://127.0.0.1:{port}/", process


@contextmanager
def server_process(
    command: list[str], env: dict[str, str], port: int
) -> Iterator[subprocess.Popen[bytes]]:
    """Run a server in its own process group until /health answers; stop the whole group after.

    Its log goes to a temporary file: a pipe that nobody reads fills up after a few hundred
    requests' log lines, and then every thread of the server blocks on its next log line.
    """
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            command,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
            start_new_session=True,  # its gunicorn workers and query processes share the group
        )
        try:
            _wait_until_up(f"http://127.0.0.1:{port}/", process, log)
            yield process
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _wait_until_up(root: str, process: subprocess.Popen[bytes], log: IO[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"server exited: {log.read().decode()[-2000:]}")
        try:
            with urllib.request.urlopen(root + "health", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server at {root} did not start")
