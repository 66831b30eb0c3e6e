"""The remote engine: forwards checked queries to any SPARQL 1.1 endpoint with SPARQLWrapper.

Everything in front of an engine still applies: the protocol layer has parsed the query,
refused updates, SERVICE and foreign graphs, and chosen the dataset before a query gets here;
the worker pool still enforces the time limit, and answers are still cut at MAX_ROWS and
rendered by this service. The engine only sends the query, with the dataset spelled out as
`default-graph-uri` / `named-graph-uri` so that neither the query's FROM nor the remote's own
default graph decides what is visible, and turns the answer back into rdflib terms.

The default graph of the default dataset is the RDF merge of the local graphs. `load` stores
that merge as one graph (`union_graph`), because a remote asked for several default graphs
answers a triple once per graph that holds it; without that graph the named graphs are used.
"""

from __future__ import annotations

import http.client
import json
import logging
import urllib.error
import warnings
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node
from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import (
    EndPointInternalError,
    EndPointNotFound,
    QueryBadFormed,
    SPARQLWrapperException,
    Unauthorized,
    URITooLong,
)

from cybercrime_kg.dataset import Part, rebase
from cybercrime_kg.errors import BadGateway, GatewayTimeout, QuerySyntaxError
from cybercrime_kg.sparql.analysis import analyse
from cybercrime_kg.sparql.engines.base import (
    ASK,
    CONSTRUCT,
    GRAPH_FORMS,
    SELECT,
    Engine,
    Job,
    Quad,
    Result,
    cut_graph,
    cut_rows,
)
from cybercrime_kg.sparql.lexer import outline, without_dataset_clauses

logger = logging.getLogger(__name__)

# an IRI no graph has: the dataset parameter for "no default graph" or "no named graphs"
NO_GRAPH = "urn:x-cybercrime-kg:no-graph"
_PLAIN_DATATYPES = frozenset({str(XSD.string), str(RDF.langString)})
_BOOLEAN = str(XSD.boolean)
# SPARQLWrapper turns these HTTP statuses into its own exceptions
_STATUS = {
    Unauthorized: 401,
    EndPointNotFound: 404,
    URITooLong: 414,
    EndPointInternalError: 500,
}


UNREACHABLE = "the remote SPARQL endpoint cannot be reached"
UNREADABLE = "the remote SPARQL endpoint sent an answer this service cannot read"
# as the oxigraph engine does, a query its engine cannot parse is the client's 400
REFUSED_AS_INVALID = "the remote SPARQL endpoint cannot parse the query (HTTP 400)"


def union_graph(base: str) -> str:
    """The graph `load` fills with the RDF merge of every local graph."""
    return base + "graph/union"


def remote_timeout(query_timeout: float) -> int:
    """Whole seconds to wait for the remote: less than the pool's limit, so 504 comes first."""
    return max(1, int(query_timeout * 0.8))


def to_term(binding: Mapping[str, str]) -> Node:
    """A term of SPARQL 1.1 JSON results as an rdflib term, its lexical form kept as sent."""
    kind, value = binding.get("type"), binding["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if kind in ("literal", "typed-literal"):  # typed-literal: SPARQL JSON drafts (Virtuoso)
        if "xml:lang" in binding:
            return Literal(value, lang=binding["xml:lang"])
        datatype = binding.get("datatype")
        if datatype is None or datatype in _PLAIN_DATATYPES:
            return Literal(value)
        if datatype == _BOOLEAN:  # Virtuoso answers 1 and 0: the same values, not canonical
            value = {"1": "true", "0": "false"}.get(value, value)
        return Literal(value, datatype=URIRef(datatype), normalize=False)
    raise ValueError(f"unknown term type {kind!r}")


class RemoteEngine(Engine):
    """Queries answered by a SPARQL 1.1 endpoint that holds the project's named graphs."""

    name = "remote"
    local = False

    def __init__(self, endpoint: str, graphs: Sequence[str], base: str, timeout: int) -> None:
        self.endpoint = endpoint
        self._graphs = tuple(sorted(graphs))
        self._union = union_graph(base)
        self._timeout = timeout
        self._default: list[str] | None = None  # found on first use, in each worker process

    @classmethod
    def from_dataset(cls, dataset: Dataset) -> RemoteEngine:
        raise TypeError("the remote engine holds no dataset: it is opened on an endpoint")

    @classmethod
    def open(cls, config: Mapping[str, Any], parts: Sequence[Part]) -> RemoteEngine:
        endpoint = str(config.get("ENDPOINT") or "")
        if not endpoint.startswith(("http://", "https://")):
            raise ValueError(f"the remote engine needs an http(s) ENDPOINT, not {endpoint!r}")
        base = config["BASE"]
        graphs = [str(rebase(part.graph, base)) for part in parts]
        logger.info("remote engine on %s, graphs %s", endpoint, ", ".join(graphs))
        return cls(endpoint, graphs, base, remote_timeout(config["QUERY_TIMEOUT"]))

    def graphs(self) -> tuple[str, ...]:
        return self._graphs

    def _send(self, text: str, form: str, default: Sequence[str], named: Sequence[str]) -> bytes:
        """POST one query with its dataset; the raw answer, or BadGateway / GatewayTimeout."""
        wrapper = SPARQLWrapper(self.endpoint)
        wrapper.setMethod(POST)
        wrapper.setOnlyConneg(True)  # no format= parameters some endpoints refuse
        wrapper.setReturnFormat(TURTLE if form in GRAPH_FORMS else JSON)
        wrapper.setTimeout(self._timeout)
        with warnings.catch_warnings():  # SPARQLWrapper guesses the form; we know it
            warnings.simplefilter("ignore", RuntimeWarning)
            wrapper.setQuery(text)
        wrapper.queryType = form
        for name, graphs in (("default-graph-uri", default), ("named-graph-uri", named)):
            for graph in graphs or (NO_GRAPH,):
                wrapper.addParameter(name, graph)
        try:
            with wrapper.query().response as response:
                body: bytes = response.read()
                return body
        except QueryBadFormed as exc:  # the query passed our parser but not the store's
            logger.info("remote %s cannot parse a checked query: %s", self.endpoint, exc)
            raise QuerySyntaxError(REFUSED_AS_INVALID) from None
        except SPARQLWrapperException as exc:
            status = _STATUS.get(type(exc), 0)
            logger.warning("remote %s answered %s: %s", self.endpoint, status, exc)
            raise BadGateway(f"the remote SPARQL endpoint answered HTTP {status}") from None
        except urllib.error.HTTPError as exc:
            logger.warning("remote %s answered %s", self.endpoint, exc.code)
            raise BadGateway(f"the remote SPARQL endpoint answered HTTP {exc.code}") from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise self._timed_out() from None
            logger.warning("remote %s unreachable: %s", self.endpoint, exc.reason)
            raise BadGateway(UNREACHABLE) from None
        except TimeoutError:
            raise self._timed_out() from None
        except (http.client.HTTPException, OSError) as exc:
            logger.warning("remote %s failed: %r", self.endpoint, exc)
            raise BadGateway(UNREACHABLE) from None

    def _timed_out(self) -> GatewayTimeout:
        logger.warning("remote %s silent for %d s", self.endpoint, self._timeout)
        return GatewayTimeout(f"the remote SPARQL endpoint did not answer within {self._timeout} s")

    def _default_graphs(self) -> list[str]:
        """The union graph if the remote has it, else every local graph (see module doc)."""
        if self._default is None:
            ask = f"ASK {{ GRAPH <{self._union}> {{ ?s ?p ?o }} }}"
            try:
                found = _boolean(_json(self._send(ask, ASK, [], [self._union])))
            except (KeyError, TypeError, ValueError, IndexError):
                raise BadGateway(UNREADABLE) from None
            if not found:
                logger.warning(
                    "no <%s> on the remote: a triple in two graphs may answer twice", self._union
                )
            self._default = [self._union] if found else list(self._graphs)
        return self._default

    def execute(self, job: Job) -> Result:
        form = outline(job.text, job.base).form
        spec = job.dataset
        if spec.is_default:
            default, named = self._default_graphs(), list(self._graphs)
        else:
            default, named = list(spec.default or ()), list(spec.named or ())
        # relative IRIs resolve against this service's base, not the remote's URL; a BASE of the
        # query's own comes later in the prologue and still wins, as it does here
        # the dataset goes as protocol parameters only: some stores let FROM override them
        text = without_dataset_clauses(job.text)
        body = self._send(f"BASE <{job.base}>\n{text}", form, default, named)
        try:
            if form in GRAPH_FORMS:
                graph, truncated = cut_graph(_graph(body), job.max_rows)
                return Result(CONSTRUCT, graph=graph, truncated=truncated)
            answer = _json(body)
            if form == ASK:
                return Result(ASK, boolean=_boolean(answer))
            # a store may leave a projected variable out of its head when nothing binds it: the
            # columns come from the query itself (parsed here, in the query process)
            variables = list(job.columns or analyse(job.text, job.base).columns)
            rows = (
                tuple(to_term(b[v]) if v in b else None for v in variables)
                for b in answer["results"]["bindings"]
            )
            kept, truncated = cut_rows(rows, job.max_rows)
            return Result(SELECT, variables=variables, rows=kept, truncated=truncated)
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            logger.warning("unreadable answer from %s: %r", self.endpoint, exc)
            raise BadGateway(UNREADABLE) from None

    def quads(self) -> Iterator[Quad]:
        for name in self._graphs:
            query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}"
            graph = _graph(self._send(query, CONSTRUCT, [], [name]))
            for s, p, o in graph:
                yield s, p, o, URIRef(name)


def _boolean(answer: Any) -> bool:
    """An ASK answer; Virtuoso may send it as a SELECT of __ASK_RETVAL: 1 in a row, or no row."""
    if "boolean" in answer:
        return bool(answer["boolean"])
    rows = answer["results"]["bindings"]
    return any(row["__ASK_RETVAL"]["value"] in ("1", "true") for row in rows)


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError as exc:
        raise BadGateway(UNREADABLE) from exc


def _graph(body: bytes) -> Graph:
    try:
        return Graph().parse(data=body, format="turtle")
    except Exception as exc:  # rdflib's parsers raise bare Exceptions with a position
        raise BadGateway(UNREADABLE) from exc
