"""A query read with rdflib's parser: its algebra, form, dataset clause, SERVICE calls, columns.

The rdflib engine evaluates this algebra; the named queries are checked with it at start-up.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pyparsing import ParseException
from rdflib import URIRef
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query

from cybercrime_kg.errors import QuerySyntaxError, UpdateRefused
from cybercrime_kg.sparql.engines.base import (
    ASK,
    CONSTRUCT,
    DESCRIBE,
    SELECT,
    in_order_of_appearance,
)
from cybercrime_kg.sparql.lexer import UPDATE_REFUSED

logger = logging.getLogger(__name__)

_FORMS = {
    "SelectQuery": SELECT,
    "AskQuery": ASK,
    "ConstructQuery": CONSTRUCT,
    "DescribeQuery": DESCRIBE,
}
TOO_LARGE = (
    "SPARQL query too large for the rdflib engine's parser, which recurses once per pattern "
    "and bracket (its limit here: the query process's recursion limit); the oxigraph engine, "
    "this service's default, reads it"
)
PARSER_FAILED = (
    "SPARQL query could not be parsed: the parser failed on it unexpectedly; "
    "write it another way (a negative number in a triple pattern, for instance, as a FILTER)"
)

# pyparsing's packrat cache is shared by every thread; parse one query at a time
_parse_lock = threading.Lock()


@dataclass(frozen=True)
class Analysis:
    """What the service must know about a query before running it."""

    query: Query  # the translated algebra
    form: str
    from_default: tuple[str, ...]
    from_named: tuple[str, ...]
    services: tuple[str, ...]  # SERVICE IRIs; "?var" for a SERVICE on a variable
    columns: tuple[str, ...] = ()  # SELECT: projected variables, in answer order

    @property
    def has_dataset_clause(self) -> bool:
        return bool(self.from_default or self.from_named)


def _syntax_error(exc: ParseException) -> QuerySyntaxError:
    found = str(exc).split("  (at char", 1)[0]
    return QuerySyntaxError(f"SPARQL syntax error at line {exc.lineno}, column {exc.col}: {found}")


def _walk(node: Any) -> Iterator[CompValue]:
    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list | tuple):
        for item in node:
            yield from _walk(item)


def _is_update(text: str) -> bool:
    try:
        parseUpdate(text)
    except ParseException:
        return False
    return True


def _complete(algebra: CompValue, parsed: CompValue) -> None:
    """Fill in what rdflib's translation leaves out of two valid forms.

    CONSTRUCT WHERE { triples } (the short form) gets its template, the triples of its pattern;
    SELECT * ... VALUES after the WHERE clause projects the VALUES variables too.
    """
    if algebra.name == "ConstructQuery" and algebra.template is None:
        algebra.template = [
            t for node in _walk(algebra) if node.name == "BGP" for t in node.triples
        ]
    values = parsed.get("valuesClause") if "valuesClause" in parsed else None
    if algebra.name == "SelectQuery" and "projection" not in parsed and values is not None:
        # CompValue.get answers a missing key with the key itself, and takes no default
        names = values["var"] if "var" in values else ()  # noqa: SIM401
        algebra.PV = [*algebra.PV, *(v for v in names or () if v not in algebra.PV)]
        if algebra.p.name == "Project":
            algebra.p.PV = algebra.PV


def analyse(text: str, base: str) -> Analysis:
    """Parse and translate a query with rdflib; raise QuerySyntaxError or UpdateRefused.

    This takes milliseconds, and seconds on hostile texts: only a query process, which the
    time limit kills, or the start-up check of the named queries may call it.
    """
    with _parse_lock:
        try:
            parsed = parseQuery(text)
        except ParseException as exc:
            if _is_update(text):
                raise UpdateRefused(UPDATE_REFUSED) from None
            raise _syntax_error(exc) from None
        except RecursionError:
            raise QuerySyntaxError(TOO_LARGE) from None
        except Exception as exc:  # rdflib's parse actions raise TypeError ... on some valid input
            logger.warning("the SPARQL parser failed with %s", type(exc).__name__)  # no query text
            raise QuerySyntaxError(PARSER_FAILED) from None
        try:
            query = translateQuery(parsed, base=base)
        except Exception as exc:  # rdflib reports semantic errors (scoping, BIND ...) as Exception
            lines = str(exc).strip().splitlines() or [type(exc).__name__]
            first_line = lines[0]
            raise QuerySyntaxError(f"SPARQL query is not valid: {first_line}") from None
    algebra = query.algebra
    _complete(algebra, parsed[1])
    clauses = algebra.datasetClause or []
    services = tuple(
        f"?{node.term}" if not isinstance(node.term, URIRef) else str(node.term)
        for node in _walk(algebra)
        if node.name == "ServiceGraphPattern"
    )
    form = _FORMS[algebra.name]
    columns: tuple[str, ...] = ()
    if form == SELECT:
        columns = tuple(str(v) for v in algebra.PV)
        # SELECT *: rdflib's order comes from a set (CompValue.get answers a missing key with
        # the key itself, so ask with `in`)
        if "projection" not in parsed[1]:
            columns = in_order_of_appearance(columns, text)
    return Analysis(
        query=query,
        form=form,
        columns=columns,
        from_default=tuple(str(c.default) for c in clauses if c.default is not None),
        from_named=tuple(str(c.named) for c in clauses if c.named is not None),
        services=services,
    )
