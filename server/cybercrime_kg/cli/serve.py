"""`cybercrime-kg serve`: the SPARQL endpoint behind gunicorn (gunicorn_worker.py's threads).

The worker reads each request whole in its event loop before a thread answers it, so slow or
stalled clients hold memory (bounded by `READ_TIMEOUT` and the size caps), never a thread.

Each gunicorn worker builds its own app (dataset, engine and query worker processes), so no
pipe or store is shared between workers. Threads keep a worker answering while its queries run
in their processes; Flask's development server is only used with --dev.

Before anything listens, the master copies the resource folders to a private snapshot and parses
every Turtle file in it: a file that does not parse stops the start-up with one clear line and a
non-zero exit, and every worker, including one gunicorn starts later in place of a dead one,
loads the same snapshot, so edits to the project's files never reach a running server.
The snapshot must also conform to the SHACL shapes (validation.py) unless --allow-invalid is given.
"""

from __future__ import annotations

import argparse
import atexit
import logging
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask

from cybercrime_kg.dataset import parse_turtle, project_parts
from cybercrime_kg.errors import KGError, NotConforming
from cybercrime_kg.paths import Layout, project_layout
from cybercrime_kg.sparql.engines.base import ENGINES
from cybercrime_kg.validation import serving_gate

logger = logging.getLogger(__name__)

# command-line option -> app config key; an option left out keeps the environment's or default value
OPTION_KEYS = {
    "engine": "ENGINE",
    "endpoint": "ENDPOINT",
    "base": "BASE",
    "query_timeout": "QUERY_TIMEOUT",
    "query_workers": "QUERY_WORKERS",
    "max_rows": "MAX_ROWS",
    "read_timeout": "READ_TIMEOUT",
    "service_allow": "SERVICE_ALLOWLIST",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (8000)")
    parser.add_argument("--engine", choices=sorted(ENGINES), help="query engine (oxigraph)")
    parser.add_argument("--endpoint", metavar="URL", help="SPARQL endpoint of --engine remote")
    parser.add_argument(
        "--workers", type=int, default=min(2, os.cpu_count() or 1), help="HTTP worker processes"
    )
    parser.add_argument("--threads", type=int, default=8, help="threads per HTTP worker (8)")
    parser.add_argument("--query-workers", type=int, help="query processes per HTTP worker (4)")
    parser.add_argument("--query-timeout", type=float, help="seconds per query (10)")
    parser.add_argument(
        "--read-timeout", type=float, help="seconds a client has to send a whole request (10)"
    )
    parser.add_argument("--max-rows", type=int, help="rows per answer before it is cut (10000)")
    parser.add_argument("--base", help="base IRI of the data and of relative IRIs in queries")
    parser.add_argument(
        "--service-allow",
        action="append",
        metavar="ENDPOINT",
        help="allow SERVICE calls to this endpoint (repeatable; none by default)",
    )
    parser.add_argument(
        "--allow-invalid",
        action="store_true",
        default=os.environ.get("CYBERCRIME_KG_ALLOW_INVALID", "").lower() in ("1", "true", "yes"),
        help="serve data that does not conform to the SHACL shapes (logs a warning)",
    )
    parser.add_argument(
        "--dev", action="store_true", help="use Flask's development server (debugging only)"
    )


def app_config(args: argparse.Namespace) -> dict[str, Any]:
    """The options given on the command line, as app config."""
    return {
        key: getattr(args, option)
        for option, key in OPTION_KEYS.items()
        if getattr(args, option, None) is not None
    }


def gunicorn_options(args: argparse.Namespace, query_timeout: float) -> dict[str, Any]:
    return {
        "bind": f"{args.host}:{args.port}",
        "workers": args.workers,
        "worker_class": "cybercrime_kg.cli.gunicorn_worker.LingeringThreadWorker",
        "threads": args.threads,
        # a worker is only killed for silence well past the longest query
        "timeout": int(query_timeout) + 30,
        "graceful_timeout": 10,
        "preload_app": False,
        # gunicorn's default (4094 bytes) would refuse GET queries of a few KB with 414
        "limit_request_line": 8190,
        "accesslog": None,  # observability.py logs each request with its query hash
        "errorlog": "-",
        "loglevel": "info",
        # no runtime management socket: its default path is one per user, shared by every server
        "control_socket_disable": True,
    }


def snapshot_data() -> Path:
    """A private copy of the resource folders, every Turtle file of it parsed once (DataError)."""
    layout = project_layout()
    root = Path(tempfile.mkdtemp(prefix="cybercrime-kg-data-"))
    snapshot = Layout(root)
    try:
        for name in ("ontology", "data", "shapes", "queries"):
            shutil.copytree(getattr(layout, name), getattr(snapshot, name))
        for part in project_parts(snapshot):
            for path in part.files:
                parse_turtle(path)
    except (KGError, OSError) as exc:
        shutil.rmtree(root, ignore_errors=True)
        # name the project's file, not its copy
        raise KGError(str(exc).replace(str(root), str(layout.root))) from None
    return root


def _remove_snapshot(root: Path, owner: int) -> None:
    if os.getpid() == owner:  # forked workers inherit this exit hook; only the master cleans up
        shutil.rmtree(root, ignore_errors=True)


def _gunicorn_app(factory: Callable[[], Flask], options: dict[str, Any]) -> Any:
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Flask:
            return factory()

    return Server()


def run(args: argparse.Namespace) -> int:
    from cybercrime_kg.app import create_app
    from cybercrime_kg.config import DEFAULTS

    config = app_config(args)
    try:
        snapshot = snapshot_data()
    except (KGError, OSError) as exc:
        logger.error("cannot serve: %s", exc)
        return 1
    atexit.register(_remove_snapshot, snapshot, os.getpid())
    try:
        serving_gate(project_parts(Layout(snapshot)), allow_invalid=args.allow_invalid)
    except NotConforming as exc:
        logger.error(
            "cannot serve: the data does not conform to the shapes "
            "(run `cybercrime-kg validate`; --allow-invalid serves it anyway)\n%s",
            exc,
        )
        return 1
    os.environ["CYBERCRIME_KG_HOME"] = str(snapshot)
    if args.dev:
        create_app(config).run(host=args.host, port=args.port, threaded=True)
        return 0
    timeout = float(
        config.get(
            "QUERY_TIMEOUT",
            os.environ.get("CYBERCRIME_KG_QUERY_TIMEOUT", DEFAULTS["QUERY_TIMEOUT"]),
        )
    )
    logger.info("serving SPARQL at http://%s:%d/sparql", args.host, args.port)
    _gunicorn_app(lambda: create_app(config), gunicorn_options(args, timeout)).run()
    return 0
