"""Attack run: each class of hostile client for a while, alongside normal traffic (issue 16).

Against `cybercrime-kg serve` on 127.0.0.1 with the project's data (its defaults: 2 HTTP
workers of 8 threads). For each attack class in ATTACKS (and first with none, as the reference),
for --duration seconds: its attackers run, 8 normal clients repeat `GET /sparql?query=ASK{}` on
kept-alive connections, and a control client asks a fresh `ASK {}` (new text, so no cache
answers it) on a new connection every 0.2 s. Printed per class: control latency p50/p99/max
and failures, the normal clients' requests per second and failures, the peak RSS of all the
server's processes, and what the attackers saw (statuses, or "dropped" when the server closed
without answering).

    .venv/bin/python bench/attack.py                       # every class, 60 s each
    .venv/bin/python bench/attack.py --duration 20 stalled-headers over-size-body
    .venv/bin/python bench/attack.py --server-command '... --port {port}'   # another server

An attack is one entry in ATTACKS: a function run by each of its `clients` threads until the
run stops, counting what it saw in a Counter (query-based attacks fit the same shape: a
thread that sends one hostile query after another).
"""

from __future__ import annotations

import argparse
import collections
import http.client
import os
import shlex
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

# isort: off
from liveserver import ROOT, memory  # first: it puts tests/ on the path

# isort: on
from helpers.sparql import free_port, server_process

Tally = collections.Counter[str]
FORM = "application/x-www-form-urlencoded"
NORMAL_CLIENTS = 8
CONTROL_EVERY = 0.2


def post_head(length: int, extra: str = "") -> bytes:
    return (
        f"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: {FORM}\r\n{extra}"
        f"Content-Length: {length}\r\n\r\n"
    ).encode()


def status_of(sock: socket.socket, stop: threading.Event) -> str:
    """The status the server answered on `sock`, read until it closes (or "dropped")."""
    received = b""
    while not stop.is_set():
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            continue
        except OSError:
            break
        if not chunk:
            break
        received += chunk
        if len(received) > 1 << 20:
            break
    if not received.startswith(b"HTTP/1."):
        return "dropped" if not stop.is_set() else "open at the end"
    return received.split(b" ", 2)[1].decode()


def connect(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.settimeout(0.5)
    return sock


def stall(prefix: bytes) -> Callable[[int, threading.Event, Tally], None]:
    """Send `prefix` (an unfinished request), then nothing; again once the server closes."""

    def attack(port: int, stop: threading.Event, tally: Tally) -> None:
        while not stop.is_set():
            try:
                with connect(port) as sock:
                    sock.sendall(prefix)
                    tally[status_of(sock, stop)] += 1
            except OSError as exc:
                tally[type(exc).__name__] += 1
                time.sleep(0.1)

    return attack


def trickle(port: int, stop: threading.Event, tally: Tally) -> None:
    """A body announced at 100 kB, sent one byte every half second."""
    while not stop.is_set():
        try:
            with connect(port) as sock:
                sock.sendall(post_head(100_000) + b"query=")
                status = "open at the end"
                while not stop.is_set():
                    sock.sendall(b"a")
                    try:
                        chunk = sock.recv(65536)
                    except TimeoutError:
                        continue
                    status = chunk.split(b" ", 2)[1].decode() if chunk else "dropped"
                    break
                tally[status] += 1
        except OSError as exc:
            tally[type(exc).__name__] += 1
            time.sleep(0.1)


OVER_SIZE = post_head(300_000) + b"query=" + b"a" * (300_000 - 6)


def send_whole(wires: list[bytes]) -> Callable[[int, threading.Event, Tally], None]:
    """Send each request in `wires` whole, in turn, as urllib would, then read the answer."""

    def attack(port: int, stop: threading.Event, tally: Tally) -> None:
        turn = 0
        while not stop.is_set():
            try:
                with connect(port) as sock:
                    sock.settimeout(10)
                    sock.sendall(wires[turn % len(wires)])
                    sock.settimeout(0.5)
                    tally[status_of(sock, stop)] += 1
            except OSError as exc:
                tally[type(exc).__name__] += 1
            turn += 1

    return attack


CHUNKED = (
    b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: " + FORM.encode() + b"\r\n"
    b"Transfer-Encoding: chunked\r\n\r\n"
)
MALFORMED = [
    CHUNKED + b"zz\r\nquery=ASK{}\r\n0\r\n\r\n",  # chunk size not hex
    CHUNKED + b"b;=x\r\nquery=ASK{}\r\n0\r\n\r\n",  # bad chunk extension
    CHUNKED + b"0\r\nX-T: " + b"a" * 9000 + b"\r\n\r\n",  # huge trailers
    b"GET /sparql HTTP/1.1\r\nHost: x\r\nSCRIPT_NAME: /x\r\n\r\n",
    b"GET /sparql HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 9000 + b"\r\n\r\n",  # header over 8k
    post_head(15, "Content-Length: 40\r\n") + b"query=ASK%7B%7D",  # two lengths
]


def send_queries(make: Callable[[int], str]) -> Callable[[int, threading.Event, Tally], None]:
    """POST the queries `make(n)` gives, each new (no cache can answer), and read the status."""

    def attack(port: int, stop: threading.Event, tally: Tally) -> None:
        turn = 0
        while not stop.is_set():
            body = f"{make(turn)}\n# {threading.get_ident()}-{turn}".encode()
            head = (
                f"POST /sparql HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                f"Content-Type: application/sparql-query\r\nContent-Length: {len(body)}\r\n\r\n"
            ).encode()
            try:
                with connect(port) as sock:
                    sock.settimeout(30)
                    sock.sendall(head + body)
                    tally[status_of(sock, stop)] += 1
            except OSError as exc:
                tally[type(exc).__name__] += 1
            turn += 1

    return attack


def concat_bomb(turn: int) -> str:
    """A 1 kB query whose string doubles 34 times: 256 GiB if nothing stops it."""
    binds = ['BIND("abcdefghabcdefgh" AS ?v0)']
    binds += [f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(34)]
    return f"SELECT (STRLEN(?v34) AS ?n) WHERE {{ {' '.join(binds)} }}"


QUERY_ATTACKS = {
    "parse-heavy-in": lambda turn: (
        "SELECT * WHERE { ?s ?p ?o FILTER(?o IN (" + ",".join(['"x"'] * 8000) + ")) }"
    ),
    "parse-heavy-sum": lambda turn: "ASK { FILTER(" + "+".join(["1"] * 12000) + " > 0) }",
    "huge-answer": lambda turn: (
        "SELECT ?x WHERE { VALUES ?a { 1 2 3 4 5 6 7 8 9 10 } "
        "VALUES ?b { 1 2 3 4 5 6 7 8 9 10 } VALUES ?c { 1 2 3 4 5 6 7 8 9 10 } "
        'BIND(CONCAT(STR(?a), STR(?b), STR(?c), "' + "-" * 5000 + '") AS ?x) }'
    ),
}


PARSE_HEAVY = ("parse-heavy-in", "parse-heavy-sum")


@dataclass(frozen=True)
class Attack:
    run: Callable[[int, threading.Event, Tally], None]
    clients: int
    about: str


ATTACKS: dict[str, Attack] = {
    "stalled-headers": Attack(
        stall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n"), 64, "headers never ended"
    ),
    "stalled-body": Attack(
        stall(post_head(1000) + b"query=ASK"), 64, "9 of 1,000 announced body bytes"
    ),
    "trickling-body": Attack(trickle, 64, "a byte of body every 0.5 s"),
    "over-size-body": Attack(send_whole([OVER_SIZE]), 8, "300 kB bodies written whole"),
    "malformed-framing": Attack(send_whole(MALFORMED), 8, "bad chunks, trailers, headers"),
    "parse-heavy": Attack(
        send_queries(
            lambda turn: QUERY_ATTACKS[("parse-heavy-in", "parse-heavy-sum")[turn % 2]](turn)
        ),
        4,
        "16 kB IN lists and 24 kB sums (the sum crashed pyoxigraph's parser)",
    ),
    "memory-bomb": Attack(send_queries(concat_bomb), 4, "1 kB queries doubling a string 34 times"),
    "huge-answers": Attack(
        send_queries(QUERY_ATTACKS["huge-answer"]), 4, "5 MB answers from 300-byte queries"
    ),
}


def normal_client(port: int, stop: threading.Event, tally: Tally) -> None:
    """`ASK {}` again and again on one kept-alive connection (answered from the cache)."""
    target = "/sparql?" + urlencode({"query": "ASK {}"})
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while not stop.is_set():
        try:
            connection.request("GET", target)
            response = connection.getresponse()
            response.read()
            tally["ok" if response.status == 200 else str(response.status)] += 1
        except (OSError, http.client.HTTPException) as exc:
            tally[type(exc).__name__] += 1
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.close()


def control_client(port: int, stop: threading.Event, latencies: list[float], tally: Tally) -> None:
    """A fresh `ASK {}` on a new connection every CONTROL_EVERY seconds; its latency."""
    while not stop.is_set():
        target = "/sparql?" + urlencode({"query": f"ASK {{}} # {uuid.uuid4()}"})
        started = time.monotonic()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", target)
            response = connection.getresponse()
            response.read()
            connection.close()
            if response.status == 200:
                latencies.append(time.monotonic() - started)
            else:
                tally[str(response.status)] += 1
        except (OSError, http.client.HTTPException) as exc:
            tally[type(exc).__name__] += 1
        stop.wait(CONTROL_EVERY)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def run_class(name: str, attack: Attack | None, port: int, group: int, seconds: float) -> str:
    stop = threading.Event()
    attacked: Tally = collections.Counter()
    normal: Tally = collections.Counter()
    control_failures: Tally = collections.Counter()
    latencies: list[float] = []
    peak = [memory(group)["rss_kib"]]

    def sample() -> None:
        while not stop.wait(0.5):
            peak[0] = max(peak[0], memory(group)["rss_kib"])

    threads = [threading.Thread(target=sample)]
    if attack is not None:
        threads += [
            threading.Thread(target=attack.run, args=(port, stop, attacked))
            for _ in range(attack.clients)
        ]
    threads += [
        threading.Thread(target=normal_client, args=(port, stop, normal))
        for _ in range(NORMAL_CLIENTS)
    ]
    threads.append(
        threading.Thread(target=control_client, args=(port, stop, latencies, control_failures))
    )
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    ok = normal.pop("ok", 0)
    return (
        f"| {name} | {attack.clients if attack else 0} "
        f"| {1000 * percentile(latencies, 0.5):.1f} | {1000 * percentile(latencies, 0.99):.1f} "
        f"| {1000 * max(latencies, default=0):.0f} | {sum(control_failures.values())} "
        f"| {ok / seconds:.0f} | {sum(normal.values())} | {peak[0] / 1024:.0f} "
        f"| {', '.join(f'{k} {v}' for k, v in sorted(attacked.items())) or '-'} |"
    )


@contextmanager
def server(args: argparse.Namespace) -> Iterator[tuple[int, int]]:
    """The port and process group of the server under attack, on 127.0.0.1."""
    port = free_port()
    if args.server_command:
        command = shlex.split(args.server_command.format(port=port))
    else:
        executable = Path(args.checkout) / ".venv" / "bin" / "cybercrime-kg"
        command = [str(executable), "serve", "--host", "127.0.0.1", "--port", str(port)]
    with server_process(command, dict(os.environ), port) as process:
        yield port, process.pid


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("classes", nargs="*", help=f"some of: {', '.join(ATTACKS)} (all)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per class (60)")
    parser.add_argument("--checkout", default=str(ROOT), help="whose .venv serves (this one)")
    parser.add_argument("--server-command", help="another server; {port} is its port")
    args = parser.parse_args()
    names = args.classes or list(ATTACKS)
    if unknown := set(names) - set(ATTACKS):
        parser.error(f"no attack class {', '.join(sorted(unknown))}")
    print(
        "| attack | attackers | control p50 ms | control p99 ms | control max ms "
        "| control failed | normal req/s | normal failed | peak RSS MiB | attackers saw |"
    )
    print("| --- " * 10 + "|")
    with server(args) as (port, group):
        print(run_class("none", None, port, group, args.duration), flush=True)
        for name in names:
            print(run_class(name, ATTACKS[name], port, group, args.duration), flush=True)


if __name__ == "__main__":
    main()
