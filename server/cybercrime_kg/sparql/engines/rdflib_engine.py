"""The embedded rdflib engine: evaluates the algebra over a dataset it builds itself.

rdflib's own `evalQuery` turns FROM / FROM NAMED into `QueryContext.load`, which dereferences
any IRI it does not hold (over HTTP, or `file:` from disk). This engine never passes the
dataset clause to rdflib: it computes the default graph and the visible named graphs from the
`DatasetSpec` and hands rdflib a context that can only see local graphs.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

from rdflib import ConjunctiveGraph, Dataset, Graph, Literal, URIRef, Variable
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.sparql.evaluate import evalPart
from rdflib.plugins.sparql.operators import numeric, string
from rdflib.plugins.sparql.parserutils import Expr
from rdflib.plugins.sparql.sparql import QueryContext, SPARQLError

from cybercrime_kg.cache import ByteLRU
from cybercrime_kg.errors import UnsupportedQuery
from cybercrime_kg.sparql.analysis import Analysis, analyse
from cybercrime_kg.sparql.engines.base import (
    SELECT,
    DatasetSpec,
    Engine,
    Job,
    Quad,
    Result,
    cut_graph,
    cut_rows,
    rdflib_quietly,
)

logger = logging.getLogger(__name__)


# What a parsed query costs in memory, per character of its text: rdflib's algebra measured at
# 150-450 bytes per character on the named queries (tracemalloc)
PARSE_COST = 400

# SPARQL says an expression error leaves a BIND's variable unbound and makes a FILTER false;
# rdflib lets Python's own errors out of its functions (re.error from REGEX, InvalidOperation
# from ROUND, ValueError from STRLANG ...), which would fail the whole query.
_EXPRESSION_ERRORS = (ArithmeticError, LookupError, RecursionError, TypeError, ValueError, re.error)


def _replace(expr: Expr, ctx: Any) -> Literal:
    """REPLACE as XPath defines it: $N names group N, and a group the pattern lacks is empty
    (rdflib hands $9 to Python, which refuses it); a $ not before a digit is an error."""
    text, pattern = string(expr.arg), string(expr.pattern)
    replacement = str(string(expr.replacement))
    if re.search(r"\$(?![0-9])|\\(?![\\$])", replacement):
        raise SPARQLError("invalid replacement string")
    flags = 0
    for flag in str(expr.flags or ""):
        flags |= {"i": re.IGNORECASE, "s": re.DOTALL, "m": re.MULTILINE, "x": re.VERBOSE}[flag]
    compiled = re.compile(str(pattern), flags)

    def expand(match: re.Match[str]) -> str:
        def group(ref: re.Match[str]) -> str:
            if ref.group(1):
                return ref.group(1)[1]  # \$ or \\
            number = int(ref.group(2))
            return (match.group(number) or "") if number <= compiled.groups else ""

        return re.sub(r"(\\[\\$])|\$([0-9]+)", group, replacement)

    return Literal(compiled.sub(expand, str(text)), datatype=text.datatype, lang=text.language)


def _round(expr: Expr, ctx: Any) -> Any:
    """ROUND of an infinite or NaN double is itself (rdflib's Decimal cannot hold it)."""
    value = numeric(expr.arg)
    if isinstance(value, float) and not math.isfinite(value):
        return expr.arg
    return expr._evalfn(ctx)  # type: ignore[misc]


_OVERRIDES: dict[str, Callable[[Expr, Any], Any]] = {
    "Builtin_REPLACE": _replace,
    "Builtin_ROUND": _round,
}


def _eval_or_error(self: Expr, ctx: Any = None) -> Any:
    ctx = {} if ctx is None else ctx
    try:
        self.ctx = ctx
        override = _OVERRIDES.get(self.name)
        return override(self, ctx) if override else self._evalfn(ctx)  # type: ignore[misc]
    except SPARQLError as exc:
        return exc
    except _EXPRESSION_ERRORS as exc:
        return SPARQLError(f"{type(exc).__name__} in {self.name}")
    finally:
        self.ctx = None


Expr.eval = _eval_or_error  # type: ignore[method-assign]
# an ill-typed literal ("1.5"^^xsd:integer) is an expression error, not a traceback in the log
logging.getLogger("rdflib.term").setLevel(logging.ERROR)


class _ScopedDataset(ConjunctiveGraph):
    """A view of the dataset in which only the chosen named graphs exist."""

    def __init__(self, source: Dataset, named: tuple[str, ...] | None) -> None:
        super().__init__(store=source.store)
        self._source = source
        self._named = None if named is None else frozenset(URIRef(g) for g in named)

    def _visible(self, name: Any) -> bool:
        if name == DATASET_DEFAULT_GRAPH_ID:
            return False
        return self._named is None or name in self._named

    def contexts(self, triple: Any = None) -> Iterator[Graph]:  # type: ignore[override]
        for graph in self._source.contexts(triple):
            if self._visible(graph.identifier):
                yield graph

    def get_context(self, identifier: Any, quoted: bool = False, base: Any = None) -> Graph:
        if self._visible(identifier):
            return self._source.get_context(identifier)
        return Graph()


class RdflibEngine(Engine):
    """Pure-Python evaluation with rdflib's SPARQL algebra."""

    name = "rdflib"

    def __init__(self, dataset: Dataset) -> None:
        self._dataset = dataset
        self._graphs = tuple(
            sorted(
                str(g.identifier)
                for g in dataset.graphs()
                if g.identifier != DATASET_DEFAULT_GRAPH_ID
            )
        )
        self._merged: dict[tuple[str, ...], Graph] = {}
        self._parsed: ByteLRU[Analysis] | None = None  # made in the query process, on first use

    @classmethod
    def from_dataset(cls, dataset: Dataset) -> RdflibEngine:
        return cls(dataset)

    def graphs(self) -> tuple[str, ...]:
        return self._graphs

    def quads(self) -> Iterator[Quad]:
        with rdflib_quietly():
            found = list(self._dataset.quads((None, None, None, None)))
        for s, p, o, g in found:
            if g is not None and g != DATASET_DEFAULT_GRAPH_ID:
                yield s, p, o, URIRef(str(g))

    def _default_graph(self, spec: DatasetSpec) -> Graph:
        """The default graph: the union of all graphs, one graph, or an RDF merge (cached)."""
        if spec.default is None:
            return self._dataset
        if len(spec.default) == 1:
            return self._dataset.get_context(URIRef(spec.default[0]))
        if spec.default not in self._merged:
            merged = Graph()
            for name in spec.default:
                merged += self._dataset.get_context(URIRef(name))
            self._merged[spec.default] = merged
        return self._merged[spec.default]

    def _analysis(self, job: Job) -> Analysis:
        """The query parsed and translated by rdflib, kept while the parse cache has room."""
        if self._parsed is None:
            self._parsed = ByteLRU(self.parse_cache_bytes)
        key = (job.text, job.base)
        found = self._parsed.get(key)
        if found is None:
            found = analyse(job.text, job.base)
            self._parsed.put(key, found, PARSE_COST * len(job.text))
        return found

    def execute(self, job: Job) -> Result:
        analysis = self._analysis(job)
        query = analysis.query
        if analysis.columns and not job.columns:  # SELECT *: in order of appearance
            job = replace(job, columns=analysis.columns)
        try:
            with rdflib_quietly():
                ctx = QueryContext(
                    _ScopedDataset(self._dataset, job.dataset.named), initBindings={}
                )
                ctx.graph = self._default_graph(job.dataset)
                ctx.prologue = query.prologue
                return self._result(evalPart(ctx, query.algebra), job)
        except MemoryError:  # past QUERY_MEMORY: the pool replaces this process
            raise
        except Exception as exc:  # rdflib raises bare Exceptions while evaluating
            # a valid query rdflib's evaluator cannot run (SUM(DISTINCT ?x) over no solutions,
            # VALUES () { () } ...): the client's query is fine, this engine is not; say so
            logger.warning("rdflib cannot evaluate a query: %s", type(exc).__name__)
            raise UnsupportedQuery(
                f"the rdflib engine cannot evaluate this query ({type(exc).__name__} in its "
                "evaluator); the oxigraph engine, this service's default, can"
            ) from None

    @staticmethod
    def _result(answer: Any, job: Job) -> Result:
        form, max_rows = answer["type_"], job.max_rows
        if form == SELECT:
            variables = list(job.columns) or [str(v) for v in answer["vars_"]]
            keys = [Variable(v) for v in variables]
            rows = (tuple(b.get(k) for k in keys) for b in answer["bindings"])
            kept, truncated = cut_rows(rows, max_rows)
            return Result(form, variables=variables, rows=kept, truncated=truncated)
        if form == "ASK":
            return Result(form, boolean=bool(answer["askAnswer"]))
        graph, truncated = cut_graph(answer["graph"], max_rows)
        return Result(form, graph=graph, truncated=truncated)
