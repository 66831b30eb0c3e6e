"""Faults: broken data at start-up, data files edited or broken while serving, workers dying.

`cybercrime-kg serve` runs on a copy of the fixture project in a temporary folder
(CYBERCRIME_KG_HOME), which each test may damage as it likes.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import pytest

from helpers.sparql import COUNT, HOME, count, free_port, server_process

SERVE = [sys.executable, "-m", "cybercrime_kg.cli", "serve", "--workers", "1", "--threads", "2"]
MEETINGS = Path("data") / "meetings.ttl"
NEW_MEETING = b"\nid:meeting-3 a ieg:Meeting .\n"
NOT_UTF8 = b'id:x rdfs:label "\xff" .\n'


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A private copy of the fixture project, and an empty folder for the server's temp files."""
    shutil.copytree(HOME, tmp_path / "home")
    (tmp_path / "tmp").mkdir()
    return tmp_path / "home"


def environment(home: Path) -> dict[str, str]:
    return {**os.environ, "CYBERCRIME_KG_HOME": str(home), "TMPDIR": str(home.parent / "tmp")}


# --- start-up -------------------------------------------------------------------------------


def append(path: Path, data: bytes) -> None:
    with path.open("ab") as file:
        file.write(data)


BROKEN = [
    (
        "turtle-syntax",
        lambda home: append(home / MEETINGS, b"id:meeting-9 ieg:year .\n"),
        "data/meetings.ttl: line 21: Turtle syntax error: objectList expected",
    ),
    (
        "not-utf8",
        lambda home: append(home / MEETINGS, NOT_UTF8),
        "data/meetings.ttl: not UTF-8 (invalid start byte at byte "
        f"{(HOME / MEETINGS).stat().st_size + NOT_UTF8.index(0xFF)})",
    ),
    (
        "missing-folder",
        lambda home: shutil.rmtree(home / "shapes"),
        "CYBERCRIME_KG_HOME={home} has no ontology, data, shapes, queries folders",
    ),
]


@pytest.mark.parametrize(("damage", "message"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_broken_data_stops_the_start(home, damage, message):
    damage(home)
    port = free_port()
    done = subprocess.run(
        [*SERVE, "--port", str(port)], env=environment(home), capture_output=True, timeout=120
    )
    log = done.stderr.decode()
    expected = message.format(home=home) if "{home}" in message else f"{home}/{message}"
    assert done.returncode == 1, log
    assert (
        log.splitlines()[-1].split(" ", 3)[3] == f"cybercrime_kg.cli.serve cannot serve: {expected}"
    )
    assert "Listening at" not in log and "Traceback" not in log  # nothing bound, one clear line
    assert list((home.parent / "tmp").iterdir()) == []  # no snapshot left behind


# --- while serving --------------------------------------------------------------------------


@contextmanager
def serving(home: Path) -> Iterator[tuple[str, int]]:
    """The server's root URL and the pid of its gunicorn master."""
    port = free_port()
    with server_process([*SERVE, "--port", str(port)], environment(home), port) as process:
        yield f"http://127.0.0.1:{port}/", process.pid


def answer(root: str, query: str) -> tuple[int, str, bytes]:
    """Status, ETag and body of a GET query."""
    with urllib.request.urlopen(f"{root}sparql?{urlencode({'query': query})}", timeout=60) as r:
        return r.status, r.headers["ETag"], r.read()


def data_version(root: str) -> str:
    with urllib.request.urlopen(root + "health", timeout=60) as response:
        return str(json.loads(response.read())["data_version"])


def workers(master: int) -> set[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return {int(pid) for pid in children}


def replace_worker(root: str, master: int) -> None:
    """Kill the only HTTP worker; return once its replacement answers."""
    (old,) = workers(master)
    os.kill(old, signal.SIGKILL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if workers(master) - {old}:
            try:
                data_version(root)
                return
            except OSError:
                pass
        time.sleep(0.1)
    raise RuntimeError("no new worker")


def test_edited_or_broken_files_never_reach_a_running_server(home):
    query = f"{COUNT} # fixed text, so the ETag can be compared"
    with serving(home) as (root, master):
        before = answer(root, query), data_version(root)
        append(home / MEETINGS, NEW_MEETING)
        replace_worker(root, master)  # a new worker loads the data again
        assert (answer(root, query), data_version(root)) == before
        assert count(answer(root, f"{COUNT} # {uuid.uuid4()}")[2]) == 25
        append(home / MEETINGS, b"this is not Turtle\n")
        replace_worker(
            root, master
        )  # without the snapshot it would fail to boot, and gunicorn stop
        assert (answer(root, query), data_version(root)) == before
