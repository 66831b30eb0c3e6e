"""The `cybercrime-kg` command line: one module per sub-command, and the gunicorn worker.

`serve`, `validate`, `query`, `load` and `export` each offer `add_arguments(parser)` and
`run(args) -> int`; `gunicorn_worker` is the worker class `serve` runs.

May import anything in the package; nothing in the package imports it.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from cybercrime_kg import __version__

# sub-command -> (module that implements it, one-line help). Each module offers
# `add_arguments(parser)` and `run(args) -> int`.
COMMANDS: dict[str, tuple[str, str]] = {
    "serve": ("cybercrime_kg.cli.serve", "serve the graph over SPARQL 1.1 and as linked data"),
    "validate": ("cybercrime_kg.cli.validate", "check ontology and data against the SHACL shapes"),
    "query": ("cybercrime_kg.cli.query", "run a SPARQL query or a named query on the graph"),
    "export": ("cybercrime_kg.cli.export", "write the whole graph in an RDF format"),
    "load": ("cybercrime_kg.cli.load", "push the graph into a SPARQL 1.1 triplestore"),
}


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, with every sub-command's options."""
    parser = argparse.ArgumentParser(prog="cybercrime-kg", description=__doc__)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        module = importlib.import_module(module_name)
        command = sub.add_parser(name, help=help_text, description=help_text)
        module.add_arguments(command)
        command.set_defaults(handler=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
        stream=sys.stderr,
    )
    return int(args.handler(args))
