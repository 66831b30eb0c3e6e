"""A `cybercrime-kg serve` on 127.0.0.1 for the long runs, and the memory its processes hold."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the fuzz grammar and oracle, shared with the suite

from helpers.sparql import free_port, server_process  # noqa: E402


@contextmanager
def serving(options: list[str], home: Path | None = None) -> Iterator[tuple[str, int]]:
    """The root URL and the process group of a server started with `options` (127.0.0.1 only)."""
    port = free_port()
    env = {**os.environ, **({"CYBERCRIME_KG_HOME": str(home)} if home else {})}
    command = [str(ROOT / ".venv" / "bin" / "cybercrime-kg"), "serve", "--host", "127.0.0.1"]
    with server_process([*command, "--port", str(port), *options], env, port) as process:
        yield f"http://127.0.0.1:{port}/", process.pid


def _kib(path: Path, field: str) -> int:
    for line in path.read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def memory(group: int) -> dict[str, int]:
    """Processes, RSS and PSS (KiB) of every process in a process group.

    PSS counts a page shared by n processes 1/n in each, so it adds up across the forked
    workers, where RSS counts shared copy-on-write pages again in every process.
    """
    found = {"processes": 0, "rss_kib": 0, "pss_kib": 0}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[2]) != group:
                continue
            found["rss_kib"] += _kib(entry / "status", "VmRSS")
            found["pss_kib"] += _kib(entry / "smaps_rollup", "Pss")
            found["processes"] += 1
        except (OSError, ValueError, IndexError):
            continue  # the process ended meanwhile
    return found
