"""Check a query before any engine sees it: form, dataset clause, SERVICE, updates.

Parsing with rdflib costs milliseconds, so each distinct (query, base) is parsed once and kept.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pyparsing import ParseException
from rdflib import URIRef
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from cybercrime_kg.errors import QuerySyntaxError, ServiceRefused, UnknownGraph, UpdateRefused
from cybercrime_kg.sparql.engines.base import ASK, CONSTRUCT, DESCRIBE, SELECT, DatasetSpec

logger = logging.getLogger(__name__)

_FORMS = {
    "SelectQuery": SELECT,
    "AskQuery": ASK,
    "ConstructQuery": CONSTRUCT,
    "DescribeQuery": DESCRIBE,
}
UPDATE_REFUSED = "SPARQL Update is not accepted: this endpoint is read-only"
PARSER_FAILED = (
    "SPARQL query could not be parsed: the parser failed on it unexpectedly; "
    "write it another way (a negative number in a triple pattern, for instance, as a FILTER)"
)

# pyparsing's packrat cache is shared by every thread; parse one query at a time
_parse_lock = threading.Lock()


@dataclass(frozen=True)
class Analysis:
    """What the service must know about a query before running it."""

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


def _in_order_of_appearance(names: tuple[str, ...], text: str) -> tuple[str, ...]:
    """Variables in order of first occurrence in the text (SELECT * is otherwise unordered)."""

    def first(name: str) -> tuple[int, str]:
        match = re.search(rf"[?$]{re.escape(name)}(?![\w\u00B7\u0300-\u036F\u203F\u2040])", text)
        return (match.start() if match else len(text), name)

    return tuple(sorted(names, key=first))


@lru_cache(maxsize=2048)
def analyse(text: str, base: str) -> Analysis:
    """Parse and translate a query; raise QuerySyntaxError or UpdateRefused."""
    with _parse_lock:
        try:
            parsed = parseQuery(text)
        except ParseException as exc:
            if _is_update(text):
                raise UpdateRefused(UPDATE_REFUSED) from None
            raise _syntax_error(exc) from None
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
            columns = _in_order_of_appearance(columns, text)
    return Analysis(
        form=form,
        columns=columns,
        from_default=tuple(str(c.default) for c in clauses if c.default is not None),
        from_named=tuple(str(c.named) for c in clauses if c.named is not None),
        services=services,
    )


# Tokens that may hold braces, parentheses, '#' or the word FROM without being them (SPARQL 1.1,
# section 19.8: IRIREF, the four string forms, comments).
_SKIPPED = re.compile(
    r"""<[^<>"{}|^`\\\x00-\x20]*>"""
    r"""|'''(?:[^'\\]|\\.|'(?!''))*'''"""
    r'''|"""(?:[^"\\]|\\.|"(?!""))*"""'''
    r"""|'(?:[^'\\\n\r]|\\.)*'"""
    r'''|"(?:[^"\\\n\r]|\\.)*"'''
    r"""|#[^\n\r]*""",
    re.DOTALL,
)
# FROM [NAMED] and an IRI or a prefixed name, not part of a longer name (?from, ex:from, fromage)
_DATASET_CLAUSE = re.compile(
    r"(?<![\w?$:.-])FROM(?:\s+NAMED)?(?:\s*<[^<>\s]*>|\s+[\w.-]*:[^\s{}()<>]*)",
    re.IGNORECASE,
)


def without_dataset_clauses(text: str) -> str:
    """The query with its FROM and FROM NAMED clauses taken out, everything else as it was.

    The remote engine sends the dataset as protocol parameters, which the SPARQL Protocol says
    override the query's own; some stores (Virtuoso) let FROM win instead. Dataset clauses only
    occur outside braces and parentheses; strings, IRIs and comments are skipped whole.
    """
    out: list[str] = []
    depth = position = 0
    while position < len(text):
        char = text[position]
        token = _SKIPPED.match(text, position) if char in "<'\"#" else None
        if token is None and depth == 0 and char in "fF":
            clause = _DATASET_CLAUSE.match(text, position)
            if clause:
                out.append(" ")
                position = clause.end()
                continue
        if token is not None:
            out.append(token.group())
            position = token.end()
            continue
        depth += (char in "{(") - (char in "})")
        out.append(char)
        position += 1
    return "".join(out)


def check_services(analysis: Analysis, allowlist: Sequence[str]) -> None:
    """Refuse any SERVICE call to an endpoint that is not explicitly allowed."""
    for service in analysis.services:
        if service in allowlist:
            continue
        if not allowlist:
            reason = "federated queries are disabled on this endpoint"
        elif service.startswith("?"):
            reason = "SERVICE on a variable is never allowed"
        else:
            reason = "the endpoint is not on this service's allowlist"
        name = service if service.startswith("?") else f"<{service}>"
        raise ServiceRefused(f"SERVICE {name} refused: {reason}")


def _local(names: Sequence[str], where: str, local: Sequence[str]) -> tuple[str, ...]:
    for name in names:
        if name not in local:
            known = ", ".join(f"<{g}>" for g in local)
            raise UnknownGraph(
                f"{where} <{name}> is not a graph of this dataset; this service never fetches "
                f"graphs, it only selects among its own: {known}"
            )
    return tuple(dict.fromkeys(names))


def resolve_dataset(
    analysis: Analysis,
    default_graph_uris: Sequence[str],
    named_graph_uris: Sequence[str],
    local: Sequence[str],
) -> DatasetSpec:
    """The query's dataset: protocol parameters override FROM / FROM NAMED (SPARQL 1.1 Protocol)."""
    if default_graph_uris or named_graph_uris:
        return DatasetSpec(
            _local(default_graph_uris, "default-graph-uri", local),
            _local(named_graph_uris, "named-graph-uri", local),
        )
    if analysis.has_dataset_clause:
        return DatasetSpec(
            _local(analysis.from_default, "FROM", local),
            _local(analysis.from_named, "FROM NAMED", local),
        )
    return DatasetSpec()
