"""The interface every SPARQL engine offers: run one checked query over a chosen dataset.

The service reads what it must check from the query's tokens (`lexer.py`) before an engine sees
it; the engine parses and evaluates, in a query process the time limit can kill (`pool.py`). It
never fetches a graph and never decides what is allowed. A remote
engine (a triplestore over HTTP) or the named-query API can implement or use the same interface.
"""

from __future__ import annotations

import importlib
import re
import warnings
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from rdflib import Dataset, Graph, URIRef
from rdflib.term import Node

from cybercrime_kg.dataset import Part, load_dataset

# The query forms of SPARQL 1.1, as `Outline.form` and `Result.form` spell them.
SELECT, ASK, CONSTRUCT, DESCRIBE = "SELECT", "ASK", "CONSTRUCT", "DESCRIBE"
GRAPH_FORMS = frozenset({CONSTRUCT, DESCRIBE})

Quad = tuple[Node, Node, Node, URIRef]


@dataclass(frozen=True)
class DatasetSpec:
    """The RDF dataset of one query: `None` for both means the service's own default.

    The default dataset has the union of every local graph as default graph and every local
    graph as a named graph. Otherwise both are tuples of local graph IRIs (possibly empty).
    """

    default: tuple[str, ...] | None = None
    named: tuple[str, ...] | None = None

    @property
    def is_default(self) -> bool:
        return self.default is None and self.named is None


@dataclass(frozen=True)
class Job:
    """One query to evaluate, with everything the engine needs and nothing it must check."""

    text: str
    base: str
    dataset: DatasetSpec = DatasetSpec()
    max_rows: int = 10_000
    # SELECT: the columns in the order the answer must have, else () for the engine's own
    # (for SELECT *, the order the variables first appear in the text: `select_star`)
    columns: tuple[str, ...] = ()
    select_star: bool = False
    max_bytes: int = 0  # the answer's body is cut below this size (0: no cap)

    def columns_for(self, names: Sequence[str]) -> list[str]:
        """A SELECT answer's columns, given the engine's: the job's own, else for SELECT * the
        order the variables first appear in the text (engines differ), else the engine's."""
        if self.columns:
            return list(self.columns)
        if self.select_star:
            return list(in_order_of_appearance(tuple(names), self.text))
        return list(names)


@dataclass
class Result:
    """An engine's answer in engine-neutral terms (rdflib nodes), cut at `Job.max_rows`."""

    form: str
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None
    truncated: bool = False

    @property
    def size(self) -> int:
        """Rows, triples, or 1 for a boolean."""
        if self.graph is not None:
            return len(self.graph)
        return len(self.rows) if self.form == SELECT else 1

    def first(self, count: int) -> Result:
        """The first `count` rows or triples of this answer, flagged as cut."""
        if self.graph is not None:
            graph, _ = cut_graph(self.graph, count)
            return replace(self, graph=graph, truncated=True)
        return replace(self, rows=self.rows[:count], truncated=True)


@dataclass(frozen=True)
class Answer:
    """A rendered answer: the body and what the response headers must say about it."""

    body: bytes
    truncated: bool
    size: int
    by_bytes: bool = False  # cut at the byte cap (MAX_RESPONSE_BYTES), not the row cap

    def cut_header(self, max_rows: int, max_bytes: int) -> str:
        """The value of the truncation header, '' when nothing was cut."""
        if not self.truncated:
            return ""
        return f"max-bytes={max_bytes}" if self.by_bytes else f"max-rows={max_rows}"


class Engine(ABC):
    """A read-only SPARQL engine over the project's named graphs."""

    name: str
    local = True  # the data is in this process (False: behind a network call that may fail)
    parse_cache_bytes = 0  # what a query process may keep of parsed queries (set by the service)

    @classmethod
    @abstractmethod
    def from_dataset(cls, dataset: Dataset) -> Engine:
        """An engine holding a copy of (or a view on) the loaded dataset."""

    @classmethod
    def open(cls, config: Mapping[str, Any], parts: Sequence[Part]) -> Engine:
        """The engine the service runs on: embedded engines load `parts` into themselves."""
        return cls.from_dataset(load_dataset(parts, base=config["BASE"]))

    @abstractmethod
    def graphs(self) -> tuple[str, ...]:
        """The IRIs of the local named graphs, sorted."""

    @abstractmethod
    def execute(self, job: Job) -> Result:
        """Parse and evaluate a query the service's rules accepted (`QueryService.prepare`);
        raise RequestError (a syntax error ...) or EngineError."""

    def write(self, job: Job, fmt: str) -> Answer | None:
        """The answer already written in format `fmt` (a `results.Format` name: json, turtle ...).

        For engines that write a format faster than `execute` plus `results.render` would; the
        default, None, means the caller renders `execute`'s Result itself.
        """
        return None

    @abstractmethod
    def quads(self) -> Iterator[Quad]:
        """Every quad of the dataset (for dumps and the VoID statistics)."""


def in_order_of_appearance(names: tuple[str, ...], text: str) -> tuple[str, ...]:
    """Variables in order of first occurrence in the text (SELECT * is otherwise unordered)."""

    def first(name: str) -> tuple[int, str]:
        match = re.search(rf"[?$]{re.escape(name)}(?![\w\u00B7\u0300-\u036F\u203F\u2040])", text)
        return (match.start() if match else len(text), name)

    return tuple(sorted(names, key=first))


@contextmanager
def rdflib_quietly() -> Iterator[None]:
    """Silence the DeprecationWarnings rdflib 7 raises from its own internals (ConjunctiveGraph).

    Only used around calls into rdflib, in query worker processes or the command line; the
    warnings filter is process-wide.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        yield


def cut_rows(
    rows: Iterable[tuple[Node | None, ...]], max_rows: int
) -> tuple[list[tuple[Node | None, ...]], bool]:
    """At most `max_rows` rows, and whether there were more."""
    kept: list[tuple[Node | None, ...]] = []
    for row in rows:
        if len(kept) == max_rows:
            return kept, True
        kept.append(row)
    return kept, False


def cut_graph(triples: Iterable[tuple[Node, Node, Node]], max_rows: int) -> tuple[Graph, bool]:
    """A graph of at most `max_rows` triples, and whether there were more."""
    graph = Graph()
    for triple in triples:
        if len(graph) == max_rows:
            return graph, True
        graph.add(triple)
    return graph, False


ENGINES = {
    "rdflib": "cybercrime_kg.sparql.engines.rdflib_engine:RdflibEngine",
    "oxigraph": "cybercrime_kg.sparql.engines.oxigraph_engine:OxigraphEngine",
    # any SPARQL 1.1 endpoint (config ENDPOINT); the data stays there, nothing is loaded here
    "remote": "cybercrime_kg.sparql.engines.remote_engine:RemoteEngine",
}


def engine_class(name: str) -> type[Engine]:
    """The Engine subclass registered under `name` (imported only when used)."""
    try:
        module_name, _, class_name = ENGINES[name].partition(":")
    except KeyError:
        raise ValueError(f"unknown engine {name!r}: choose one of {', '.join(ENGINES)}") from None
    cls: type[Engine] = getattr(importlib.import_module(module_name), class_name)
    return cls
