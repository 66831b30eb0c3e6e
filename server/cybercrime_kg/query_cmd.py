"""`cybercrime-kg query`: run a SPARQL query, a .rq file or a named query, print the answer.

The query goes through exactly the checks of the HTTP endpoint (`QueryService.prepare`),
in-process and without a time limit.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from rdflib import Literal, URIRef

from .config import DEFAULTS
from .engine import ENGINES
from .errors import KGError
from .negotiation import choose
from .paths import project_layout
from .results import GRAPH_FORMATS, RESULT_FORMATS, formats_for

HEADER = re.compile(r"^#\+\s*(\w+)\s*:\s*(.*?)\s*$")


@dataclass(frozen=True)
class NamedQuery:
    """A queries/<name>.rq file with its grlc-style `#+ key: value` header."""

    name: str
    text: str
    summary: str
    params: tuple[str, ...]

    def bind(self, values: dict[str, str]) -> str:
        """The query with `?_name` (literal) and `?_name_iri` (IRI) placeholders filled in."""
        missing = [p for p in self.params if p not in values]
        if missing:
            raise KGError(f"named query {self.name} needs --param {missing[0]}=VALUE")
        text = self.text
        for name, value in values.items():
            text = re.sub(rf"\?_{name}_iri\b", URIRef(value).n3(), text)
            text = re.sub(rf"\?_{name}\b", Literal(value).n3().replace("\\", "\\\\"), text)
        return text


def read_named(path: Path) -> NamedQuery:
    """Parse a named query file's header."""
    text = path.read_text(encoding="utf-8")
    headers: dict[str, str] = {}
    for line in text.splitlines():
        match = HEADER.match(line)
        if match:
            headers[match.group(1)] = match.group(2)
    params = tuple(p.strip() for p in re.split(r"[,\s]+", headers.get("params", "")) if p.strip())
    return NamedQuery(path.stem, text, headers.get("summary", ""), params)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("query", nargs="?", help="the SPARQL query text")
    source.add_argument("--file", type=Path, help="read the query from this .rq file")
    source.add_argument("--named", metavar="NAME", help="run queries/NAME.rq")
    names = sorted({f.name for f in RESULT_FORMATS} | {f.name for f in GRAPH_FORMATS})
    parser.add_argument("--format", "-f", choices=names, help="output format (json / turtle)")
    parser.add_argument("--engine", choices=sorted(ENGINES), default=DEFAULTS["ENGINE"])
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
    from .service import QueryService

    config = {**DEFAULTS, "ENGINE": args.engine, "QUERY_WORKERS": 0, "RESULT_CACHE_BYTES": 0}
    try:
        text = _query_text(args)
        service = QueryService.from_config(config)
        prepared = service.prepare(text)
        fmt = choose(
            formats_for(prepared.analysis.form), None, [args.format] if args.format else []
        )
        answer, _ = service.answer(prepared, fmt, "")
    except (KGError, OSError) as exc:
        print(f"cybercrime-kg query: {exc}", file=sys.stderr)
        return 2
    sys.stdout.buffer.write(answer.body)
    if answer.truncated:
        print(f"cybercrime-kg query: answer cut at {service.max_rows} rows", file=sys.stderr)
    return 0
