"""The embedded Oxigraph engine: pyoxigraph's in-memory store.

Answers come as rdflib terms (`execute`) or written by Oxigraph itself in the wire format
(`write`, with `oxigraph_answers.py`): turning every solution or triple into rdflib terms and
rendering them in Python costs more than the evaluation.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Dataset, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from cybercrime_kg.dataset import Part, reading, rebase, rebase_iri
from cybercrime_kg.errors import BadGateway, DataError, QuerySyntaxError, UnsupportedQuery
from cybercrime_kg.namespaces import DEFAULT_BASE
from cybercrime_kg.sparql.engines.base import (
    ASK,
    CONSTRUCT,
    SELECT,
    Answer,
    Engine,
    Job,
    Quad,
    Result,
    cut_graph,
    cut_rows,
)
from cybercrime_kg.sparql.engines.casts import casts
from cybercrime_kg.sparql.engines.oxigraph_answers import WIRE, serialized, solutions, triples
from cybercrime_kg.terms import to_oxigraph, to_rdflib

logger = logging.getLogger(__name__)


_CASTS = casts()
_UNKNOWN_FUNCTION = re.compile(r"The custom function <([^>]*)> is not supported")
_MAX_UNKNOWN_FUNCTIONS = 16


def _unbound(*arguments: Any) -> None:
    """A function this endpoint does not know: calling it is an expression error."""
    return None


# The default graph is the RDF merge of the named graphs, stored once: with
# use_default_graph_as_union Oxigraph yields a triple once per graph holding it, so a fact
# stated in two graphs would answer twice (rdflib answers once, as SPARQL says).
_MERGE = "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


def _rebased(term: Any, base: str) -> Any:
    return ox.NamedNode(rebase_iri(term.value, base)) if isinstance(term, ox.NamedNode) else term


def _load(store: ox.Store, path: Path, graph: ox.NamedNode, base: str) -> None:
    """Add the triples of one Turtle file to `graph` (its blank nodes its own), IRIs under the
    default base moved to `base`; a file that cannot be read is a DataError naming it."""
    turtle = ox.RdfFormat.TURTLE
    with reading(path):
        try:
            if base == DEFAULT_BASE:
                store.load(path=path, format=turtle, to_graph=graph)
                return
            quads = ox.parse(path=path, format=turtle, rename_blank_nodes=True)
            store.extend(
                ox.Quad(_rebased(s, base), _rebased(p, base), _rebased(o, base), graph)
                for s, p, o, _ in quads
            )
        except SyntaxError as exc:  # Oxigraph's message starts "Parser error at line L column C"
            raise DataError(f"{path}: line {exc.lineno}: Turtle syntax error: {exc.msg}") from exc


_POSITION = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)
_CHAR_CLASS = re.compile(r"\[[^\]]*\]")
_ITEM = re.compile(r'"[^"]*"|[^,]+')


def syntax_message(message: str, text: str) -> str:
    """Oxigraph's parse error as a person can read it: where, what it expected (keywords and
    punctuation, without its character classes), and what it found there."""
    match = _POSITION.match(message)
    if match is None:
        return f"SPARQL syntax error: {message}"
    line, column, rest = int(match.group(1)), int(match.group(2)), match.group(3)
    if "Prefix not found" in rest:
        return f"SPARQL syntax error at line {line}: a prefixed name uses an undeclared prefix"
    several = rest.startswith("expected one of ")
    listing = rest.removeprefix("expected one of " if several else "expected ")
    items = [item.strip() for item in _ITEM.findall(_CHAR_CLASS.sub("", listing)) if item.strip()]
    expected = ("expected one of " if several else "expected ") + ", ".join(items)
    lines = text.splitlines()
    found = lines[line - 1][column - 1 :].split(maxsplit=1) if 0 < line <= len(lines) else []
    where = f"'{found[0][:30]}'" if found else "the end of the line"
    return f"SPARQL syntax error at line {line}, column {column}: {expected}, found {where}"


@contextmanager
def _evaluation_errors(text: str) -> Iterator[None]:
    """Oxigraph's exceptions as the service's errors: none of them is the server's fault."""
    try:
        yield
    except SyntaxError as exc:
        raise QuerySyntaxError(syntax_message(str(exc.msg), text)) from None
    except (RuntimeError, ValueError) as exc:  # e.g. a function Oxigraph does not implement
        raise UnsupportedQuery(f"the query cannot be evaluated here: {exc}") from None
    except OSError as exc:  # only SERVICE calls (allowlisted ones) do I/O
        raise BadGateway(f"a SERVICE endpoint failed: {exc}") from None


def exact(term: Any) -> Node:
    """An answer's term as rdflib's, its lexical form as stored."""
    return to_rdflib(term, exact=True)


class OxigraphEngine(Engine):
    """Fast evaluation in Rust; the store is filled once from the project's files."""

    name = "oxigraph"

    def __init__(self, store: ox.Store) -> None:
        self._store = store
        self._graphs = tuple(sorted(g.value for g in store.named_graphs()))

    @classmethod
    def open(cls, config: Mapping[str, Any], parts: Sequence[Part]) -> OxigraphEngine:
        """Oxigraph parses the files itself, straight into its store: going through rdflib's
        parser and copying took 99 s and 3.7 GiB at 1M triples."""
        base = config["BASE"]
        store = ox.Store()
        for part in parts:
            graph = ox.NamedNode(str(rebase(part.graph, base)))
            store.add_graph(graph)  # empty graphs exist too, as in the rdflib engine
            for path in part.files:
                _load(store, path, graph, base)
        store.update(_MERGE)
        return cls(store)

    @classmethod
    def from_dataset(cls, dataset: Dataset) -> OxigraphEngine:
        store = ox.Store()
        for graph in dataset.graphs():  # empty graphs exist too, as in the rdflib engine
            if graph.identifier != DATASET_DEFAULT_GRAPH_ID:
                store.add_graph(ox.NamedNode(str(graph.identifier)))
        quads = [
            (to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), ox.NamedNode(str(g)))
            for s, p, o, g in dataset.quads((None, None, None, None))
            if g is not None and g != DATASET_DEFAULT_GRAPH_ID
        ]
        store.extend(ox.Quad(*quad) for quad in quads)
        store.update(_MERGE)
        return cls(store)

    def graphs(self) -> tuple[str, ...]:
        return self._graphs

    def quads(self) -> Iterator[Quad]:
        for quad in self._store:
            if isinstance(quad.graph_name, ox.DefaultGraph):
                continue  # the merge of the named graphs, not a graph of its own
            graph = to_rdflib(quad.graph_name, exact=True)
            assert isinstance(graph, URIRef)
            yield exact(quad.subject), exact(quad.predicate), exact(quad.object), graph

    def _dataset_arguments(self, job: Job) -> dict[str, Any]:
        spec = job.dataset
        if spec.is_default:
            # Both given explicitly so the query's own FROM / FROM NAMED never take over.
            return {
                "default_graph": ox.DefaultGraph(),
                "named_graphs": [ox.NamedNode(g) for g in self._graphs],
            }
        return {
            "default_graph": [ox.NamedNode(g) for g in spec.default or ()],
            "named_graphs": [ox.NamedNode(g) for g in spec.named or ()],
        }

    def _query(self, job: Job) -> Any:
        """Oxigraph's answer. A function it does not know refuses the whole query, where SPARQL
        makes calling it an expression error: such a function is added as one that always
        errs (None), and the query asked again."""
        functions = _CASTS
        for _ in range(_MAX_UNKNOWN_FUNCTIONS):
            try:
                return self._store.query(
                    job.text,
                    base_iri=job.base,
                    custom_functions=functions,
                    **self._dataset_arguments(job),
                )
            except RuntimeError as exc:
                unknown = _UNKNOWN_FUNCTION.search(str(exc))
                if unknown is None:
                    raise
                functions = {**functions, ox.NamedNode(unknown.group(1)): _unbound}
        raise UnsupportedQuery(
            f"the query calls more than {_MAX_UNKNOWN_FUNCTIONS} functions this endpoint lacks"
        )

    def execute(self, job: Job) -> Result:
        with _evaluation_errors(job.text):
            return self._result(self._query(job), job)

    def write(self, job: Job, fmt: str) -> Answer | None:
        """Oxigraph writes the answer. Rows are cut on its TSV and triples on its N-Triples,
        where one line is one solution or one triple (both escape line breaks).

        None when the columns must be reordered (Oxigraph orders SELECT * by name, the service
        by appearance in the text).
        """
        with _evaluation_errors(job.text):
            answer = self._query(job)
            if isinstance(answer, ox.QueryBoolean):
                wire = WIRE.get(fmt)
                return None if wire is None else Answer(serialized(answer, wire), False, 1)
            if isinstance(answer, ox.QuerySolutions):
                names = [v.value for v in answer.variables]
                if names != job.columns_for(names):
                    return None
                return solutions(answer, fmt, job)
            return triples(answer, fmt, job)

    @staticmethod
    def _result(answer: Any, job: Job) -> Result:
        max_rows = job.max_rows
        if isinstance(answer, ox.QueryBoolean):
            return Result(ASK, boolean=bool(answer))
        if isinstance(answer, ox.QuerySolutions):
            variables = job.columns_for([v.value for v in answer.variables])
            rows = (
                tuple(None if (t := solution[v]) is None else exact(t) for v in variables)
                for solution in answer
            )
            kept, truncated = cut_rows(rows, max_rows)
            return Result(SELECT, variables=variables, rows=kept, truncated=truncated)
        triples = ((exact(t.subject), exact(t.predicate), exact(t.object)) for t in answer)
        graph, truncated = cut_graph(triples, max_rows)
        # CONSTRUCT and DESCRIBE answer alike; the protocol layer knows which form it asked
        return Result(CONSTRUCT, graph=graph, truncated=truncated)
