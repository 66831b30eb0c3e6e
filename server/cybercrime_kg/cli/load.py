"""`cybercrime-kg load`: push the ontology, data and shapes into a SPARQL 1.1 triplestore.

Each local named graph is replaced as a whole, so loading twice leaves the store as loading
once. With `--graph-store` the files are streamed as they are with the SPARQL 1.1 Graph Store
HTTP Protocol (PUT the first file of a graph, POST the others); otherwise the triples are sent
as SPARQL Update (DROP SILENT GRAPH, then INSERT DATA in chunks). The RDF merge of every graph
also goes into `union_graph`, which the remote engine uses as its default graph.
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from rdflib import BNode, Graph
from rdflib.term import Node
from tqdm import tqdm

from cybercrime_kg.dataset import Part, parse_turtle, project_parts, rebase
from cybercrime_kg.errors import KGError
from cybercrime_kg.namespaces import DEFAULT_BASE
from cybercrime_kg.sparql.engines.remote_engine import union_graph

logger = logging.getLogger(__name__)

TURTLE, NTRIPLES = "text/turtle", "application/n-triples"
# inputs smaller than this load without a progress bar
PROGRESS_FROM_BYTES = 4 * 1024 * 1024


class LoadError(KGError):
    """The triplestore refused (with an HTTP status) or could not be reached (status 0)."""

    def __init__(self, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.http_status = status


@dataclass(frozen=True)
class Target:
    """Where and how to write: a Graph Store endpoint, or a SPARQL Update endpoint."""

    endpoint: str
    graph_store: str | None
    update: str
    opener: urllib.request.OpenerDirector
    # stream files from disk; not with credentials, whose challenge makes urllib send twice
    stream: bool = True


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--endpoint", required=True, metavar="URL", help="SPARQL query endpoint")
    parser.add_argument(
        "--graph-store", metavar="URL", help="Graph Store HTTP Protocol endpoint (preferred)"
    )
    parser.add_argument(
        "--update",
        metavar="URL",
        help="SPARQL Update endpoint when there is no graph store (default: --endpoint)",
    )
    parser.add_argument("--user", help="user for HTTP basic or digest authentication")
    parser.add_argument("--password", help="password for --user")
    parser.add_argument("--base", default=DEFAULT_BASE, help="base IRI of the loaded graphs")
    parser.add_argument(
        "--chunk", type=int, default=5000, help="triples per SPARQL Update request (5000)"
    )


def _opener(
    urls: Sequence[str], user: str | None, password: str | None
) -> urllib.request.OpenerDirector:
    if not user:
        return urllib.request.build_opener()
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    for url in urls:
        passwords.add_password(None, url, user, password or "")
    return urllib.request.build_opener(
        urllib.request.HTTPBasicAuthHandler(passwords),
        urllib.request.HTTPDigestAuthHandler(passwords),
    )


def send(
    target: Target,
    method: str,
    url: str,
    body: BinaryIO | bytes,
    content_type: str,
    length: int,
) -> bytes:
    """One HTTP request; LoadError with the status and the start of the answer on failure."""
    request = urllib.request.Request(url, data=body, method=method)
    request.add_header("Content-Type", content_type)
    request.add_header("Content-Length", str(length))
    try:
        with target.opener.open(request, timeout=600) as response:
            answer: bytes = response.read()
            return answer
    except urllib.error.HTTPError as exc:
        detail = exc.read()[:300].decode("utf-8", "replace").strip()
        raise LoadError(f"{method} {url}: HTTP {exc.code}: {detail}", exc.code) from None
    except OSError as exc:
        raise LoadError(f"{method} {url}: {exc}") from None


class _Counted(io.RawIOBase):
    """A file read in blocks that advances a progress bar as it goes."""

    def __init__(self, raw: BinaryIO, bar: tqdm[Any]) -> None:
        self._raw, self._bar = raw, bar

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        block = self._raw.read(size)
        self._bar.update(len(block))
        return block


def _body(path: Path, base: str, stream: bool) -> tuple[bytes | None, str]:
    """The file as N-Triples under `base`, as it is, or None to stream it as it is."""
    if base == DEFAULT_BASE:
        return (None if stream else path.read_bytes()), TURTLE
    graph = Graph()
    for s, p, o in parse_turtle(path):
        graph.add((rebase(s, base), rebase(p, base), rebase(o, base)))
    return graph.serialize(format="nt", encoding="utf-8"), NTRIPLES


def _store_graph(target: Target, graph: str, files: Sequence[Path], base: str, bar: Any) -> None:
    """Replace one graph with the files, over the Graph Store HTTP Protocol."""
    assert target.graph_store is not None
    url = f"{target.graph_store}?{urllib.parse.urlencode({'graph': graph})}"
    if not files:
        try:
            send(target, "DELETE", url, b"", TURTLE, 0)
        except LoadError as exc:
            if exc.http_status != 404:  # no such graph: already as wanted
                raise
        return
    for index, path in enumerate(files):
        method = "PUT" if index == 0 else "POST"
        data, content_type = _body(path, base, target.stream)
        if data is not None:
            send(target, method, url, data, content_type, len(data))
            bar.update(path.stat().st_size)
            continue
        with path.open("rb") as raw:
            send(target, method, url, _Counted(raw, bar), content_type, path.stat().st_size)  # type: ignore[arg-type]


def update(target: Target, text: str) -> None:
    body = text.encode("utf-8")
    send(target, "POST", target.update, body, "application/sparql-update", len(body))


def _n_triples(triples: Sequence[tuple[Node, Node, Node]]) -> list[str]:
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return graph.serialize(format="nt").splitlines()


def _statements(triples: list[tuple[Node, Node, Node]], chunk: int) -> Iterator[list[str]]:
    """Triples as N-Triples lines in chunks; every triple with a blank node in one chunk,
    since each request has its own blank nodes."""
    with_bnodes = [t for t in triples if any(isinstance(n, BNode) for n in t)]
    plain = [t for t in triples if not any(isinstance(n, BNode) for n in t)]
    if with_bnodes:
        yield _n_triples(with_bnodes)
    for start in range(0, len(plain), chunk):
        yield _n_triples(plain[start : start + chunk])


def _update_graph(
    target: Target, graph: str, files: Sequence[Path], base: str, chunk: int, bar: Any
) -> None:
    """Replace one graph with the files, over SPARQL Update."""
    update(target, f"DROP SILENT GRAPH <{graph}>")
    triples: list[tuple[Node, Node, Node]] = []
    for path in files:
        triples.extend(
            (rebase(s, base), rebase(p, base), rebase(o, base)) for s, p, o in parse_turtle(path)
        )
    size = sum(path.stat().st_size for path in files)
    for lines in _statements(triples, chunk):
        update(target, f"INSERT DATA {{ GRAPH <{graph}> {{\n" + "\n".join(lines) + "\n} }")
        bar.update(size * len(lines) // len(triples))


def _update_union(target: Target, union: str, graphs: Sequence[str]) -> None:
    """The union graph made in the store from the loaded graphs (nothing is sent twice)."""
    adds = " ;\n".join(f"ADD SILENT <{graph}> TO <{union}>" for graph in graphs)
    update(target, f"DROP SILENT GRAPH <{union}> ;\n{adds}")


def counts(target: Target, graphs: Sequence[str]) -> dict[str, int]:
    """Triples per graph, as the store reports them after loading."""
    values = " ".join(f"<{g}>" for g in graphs)
    query = (
        f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"
        " GROUP BY ?g"
    )
    body = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(target.endpoint, data=body, method="POST")
    request.add_header("Accept", "application/sparql-results+json")
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with target.opener.open(request, timeout=600) as response:
            rows = json.load(response)["results"]["bindings"]
    except (OSError, ValueError, KeyError) as exc:
        raise LoadError(f"counting the loaded triples at {target.endpoint}: {exc}") from None
    found = {row["g"]["value"]: int(row["n"]["value"]) for row in rows}
    return {g: found.get(g, 0) for g in graphs}


def load(
    target: Target, parts: Sequence[Part], base: str, chunk: int = 5000
) -> list[tuple[str, int, int, int]]:
    """Replace every part's graph and the union graph; (graph, files, bytes, triples) each."""
    plan = [(str(rebase(part.graph, base)), part.files) for part in parts]
    union = (union_graph(base), tuple(f for _, files in plan for f in files))
    size = sum(f.stat().st_size for f in union[1])
    with tqdm(
        total=size * 2 if target.graph_store else size,
        unit="B",
        unit_scale=True,
        desc="loading",
        disable=None if size >= PROGRESS_FROM_BYTES else True,
    ) as bar:
        for graph, files in plan:
            logger.info("loading %d files into <%s>", len(files), graph)
            if target.graph_store:
                _store_graph(target, graph, files, base, bar)
            else:
                _update_graph(target, graph, files, base, chunk, bar)
        if target.graph_store:
            _store_graph(target, *union, base, bar)
        else:
            _update_union(target, union[0], [graph for graph, _ in plan])
    plan.append(union)
    found = counts(target, [graph for graph, _ in plan])
    return [
        (graph, len(files), sum(f.stat().st_size for f in files), found[graph])
        for graph, files in plan
    ]


def report(rows: Sequence[tuple[str, int, int, int]]) -> str:
    """The loaded graphs as a table."""
    width = max(len(row[0]) for row in rows)
    lines = [f"{'graph':<{width}}  files       bytes    triples"]
    lines += [f"{g:<{width}}  {n:>5}  {b:>10,}  {t:>9,}" for g, n, b, t in rows]
    return "\n".join(lines) + "\n"


def target_from(args: argparse.Namespace) -> Target:
    urls = [args.endpoint, args.graph_store, args.update]
    return Target(
        endpoint=args.endpoint,
        graph_store=args.graph_store,
        update=args.update or args.endpoint,
        opener=_opener([u for u in urls if u], args.user, args.password),
        stream=not args.user,
    )


def run(args: argparse.Namespace) -> int:
    try:
        rows = load(target_from(args), project_parts(), args.base, args.chunk)
    except (KGError, OSError) as exc:
        print(f"cybercrime-kg load: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(report(rows))
    return 0
