"""`cybercrime-kg query`: run a SPARQL query, a .rq file or a named query, print the answer.

The query goes through exactly the checks of the HTTP endpoint (`QueryService.prepare`),
in-process and without a time limit.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cybercrime_kg.config import DEFAULTS
from cybercrime_kg.errors import KGError
from cybercrime_kg.formats import GRAPH_FORMATS, RESULT_FORMATS
from cybercrime_kg.paths import project_layout
from cybercrime_kg.sparql.engines.base import ENGINES
from cybercrime_kg.sparql.named_queries import read_named
from cybercrime_kg.sparql.results import formats_for
from cybercrime_kg.web.negotiation import choose


def add_arguments(parser: argparse.ArgumentParser) -> None:
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("query", nargs="?", help="the SPARQL query text")
    source.add_argument("--file", type=Path, help="read the query from this .rq file")
    source.add_argument("--named", metavar="NAME", help="run queries/NAME.rq")
    names = sorted({f.name for f in RESULT_FORMATS} | {f.name for f in GRAPH_FORMATS})
    parser.add_argument("--format", "-f", choices=names, help="output format (json / turtle)")
    parser.add_argument(
        "--engine", choices=sorted(ENGINES), help=f"query engine ({DEFAULTS['ENGINE']})"
    )
    parser.add_argument(
        "--endpoint", metavar="URL", help="SPARQL endpoint of --engine remote (implies it)"
    )
    parser.add_argument(
        "--param", action="append", default=[], metavar="NAME=VALUE", help="named query parameter"
    )


def _query_text(args: argparse.Namespace) -> str:
    if args.file:
        return Path(args.file).read_text(encoding="utf-8")
    if args.named:
        path = project_layout().queries / f"{args.named}.rq"
        if not path.is_file():
            raise KGError(f"no named query {args.named!r} ({path} does not exist)")
        values = dict(p.split("=", 1) for p in args.param)
        return read_named(path).bind(values)
    text: str = args.query
    return text


def run(args: argparse.Namespace) -> int:
    from cybercrime_kg.sparql.service import QueryService

    engine = args.engine or ("remote" if args.endpoint else DEFAULTS["ENGINE"])
    if engine == "remote" and not args.endpoint:
        print("cybercrime-kg query: --engine remote needs --endpoint URL", file=sys.stderr)
        return 2
    if args.endpoint and engine != "remote":
        print(
            f"cybercrime-kg query: --endpoint is for --engine remote, not {engine}", file=sys.stderr
        )
        return 2
    config = {
        **DEFAULTS,
        "ENGINE": engine,
        "ENDPOINT": args.endpoint or "",
        "QUERY_WORKERS": 0,
        "RESULT_CACHE_BYTES": 0,
    }
    try:
        text = _query_text(args)
        service = QueryService.from_config(config)
        prepared = service.prepare(text)
        fmt = choose(formats_for(prepared.outline.form), None, [args.format] if args.format else [])
        answer, _ = service.answer(prepared, fmt, "")
    except (KGError, OSError, ValueError) as exc:  # ValueError: an endpoint that is not http(s)
        print(f"cybercrime-kg query: {exc}", file=sys.stderr)
        return 2
    sys.stdout.buffer.write(answer.body)
    if answer.truncated:
        print(f"cybercrime-kg query: answer cut at {service.max_rows} rows", file=sys.stderr)
    return 0
