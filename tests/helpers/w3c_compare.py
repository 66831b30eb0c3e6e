"""Compare an endpoint's answer with a W3C test's expected result, as SPARQL says.

SELECT: the same variables and the same multiset of solutions, blank nodes matched up to
renaming, in the same order when the query has ORDER BY. ASK: the same boolean. CONSTRUCT and
DESCRIBE: isomorphic graphs. CSV results: the same columns (in any order: SELECT * leaves it
open) and rows, CSV keeping no types.
Literals are compared as RDF 1.1 terms: a simple literal is an xsd:string, language tags are
case-insensitive; rdflib's parsers bring both sides to the same canonical lexical forms.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from rdflib import BNode, Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import XSD
from rdflib.query import Result
from rdflib.term import Node

Row = tuple[tuple[str, Node], ...]

_RESULT_FORMATS = {".srx": "xml", ".srj": "json", ".tsv": "tsv"}
_GRAPH_FORMATS = {".ttl": "turtle", ".nt": "nt", ".rdf": "xml"}
_ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)


_INTEGERS = {
    XSD[name]
    for name in [
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "positiveInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    ]
}


def term(node: Node) -> Node:
    """The term with xsd:string, language-tag case and numeric lexical forms out of the way.

    Numbers compare by value within their datatype ("2.0" and "2" as xsd:decimal), as the
    suite's result files write some in non-canonical forms; a different datatype still differs.
    """
    if not isinstance(node, Literal):
        return node
    datatype, text = node.datatype, str(node)
    if datatype == XSD.string:
        return Literal(text)
    if node.language:
        return Literal(text, lang=node.language.lower())
    try:
        if datatype in _INTEGERS:
            return Literal(str(int(text.strip())), datatype=datatype, normalize=False)
        if datatype == XSD.decimal:
            value = format(Decimal(text.strip()).normalize(), "f")
            return Literal(value, datatype=datatype, normalize=False)
        if datatype in (XSD.double, XSD.float):
            return Literal(repr(float(text.strip())), datatype=datatype, normalize=False)
    except (ValueError, ArithmeticError):
        pass  # an ill-typed literal is only equal to itself
    return node


def _rows(result: Result) -> list[Row]:
    return [
        tuple(sorted((str(var), term(value)) for var, value in row.items() if value is not None))
        for row in result.bindings
    ]


def _unify(expected: Row, actual: Row, mapping: dict[Node, Node], back: dict[Node, Node]) -> bool:
    """Extend the blank-node bijection so the rows are equal; False (mapping unchanged) if not."""
    if len(expected) != len(actual):
        return False
    added: list[tuple[Node, Node]] = []
    for (var_e, e), (var_a, a) in zip(expected, actual, strict=True):
        ok = var_e == var_a
        if ok and isinstance(e, BNode) and isinstance(a, BNode):
            if mapping.get(e, a) != a or back.get(a, e) != e:
                ok = False
            elif e not in mapping:
                mapping[e], back[a] = a, e
                added.append((e, a))
        elif ok:
            ok = e == a
        if not ok:
            for e_node, a_node in added:
                del mapping[e_node], back[a_node]
            return False
    return True


def _shape(row: Row) -> Row:
    return tuple((var, BNode("b") if isinstance(value, BNode) else value) for var, value in row)


def rows_match(expected: Sequence[Row], actual: Sequence[Row], ordered: bool) -> bool:
    """Equal as sequences (`ordered`) or multisets, blank nodes matched up to renaming."""
    if len(expected) != len(actual):
        return False
    if Counter(map(_shape, expected)) != Counter(map(_shape, actual)):
        return False
    mapping: dict[Node, Node] = {}
    back: dict[Node, Node] = {}
    if ordered:
        return all(_unify(e, a, mapping, back) for e, a in zip(expected, actual, strict=True))
    if not any(isinstance(v, BNode) for row in expected for _, v in row):
        return True  # the shapes were the rows
    return _search(list(expected), list(actual), [False] * len(actual), mapping, back)


def _search(
    expected: list[Row],
    actual: list[Row],
    used: list[bool],
    mapping: dict[Node, Node],
    back: dict[Node, Node],
) -> bool:
    if not expected:
        return True
    first, rest = expected[0], expected[1:]
    for index, candidate in enumerate(actual):
        if used[index]:
            continue
        before = dict(mapping), dict(back)
        if _unify(first, candidate, mapping, back):
            used[index] = True
            if _search(rest, actual, used, mapping, back):
                return True
            used[index] = False
            mapping.clear(), back.clear()
            mapping.update(before[0]), back.update(before[1])
    return False


def _graph(graph: Graph) -> Graph:
    normal = Graph()
    for s, p, o in graph:
        normal.add((s, p, term(o)))
    return normal


def _describe(rows: Sequence[Row], limit: int = 3) -> str:
    shown = "; ".join(" ".join(f"?{v}={n.n3()}" for v, n in row) for row in rows[:limit])
    return f"{len(rows)} rows [{shown}{' ...' if len(rows) > limit else ''}]"


def _csv_rows(data: str) -> tuple[list[str], list[Row]]:
    lines = list(csv.reader(io.StringIO(data)))
    header = lines[0] if lines else []
    rows = [
        tuple(
            sorted(
                (var, BNode(cell[2:]) if cell.startswith("_:") else Literal(cell))
                for var, cell in zip(header, line, strict=False)
                if cell != ""
            )
        )
        for line in lines[1:]
    ]
    return sorted(header), rows


def answers_differ(expected_file: Path, content_type: str, body: bytes, query: str) -> str | None:
    """What differs between the expected result and the answer, or None if they agree."""
    media_type = content_type.split(";")[0].strip()
    suffix = expected_file.suffix
    if suffix == ".csv":
        want_header, want = _csv_rows(expected_file.read_text(encoding="utf-8"))
        got_header, got = _csv_rows(body.decode("utf-8"))
        if want_header != got_header:
            return f"CSV header {got_header}, expected {want_header}"
        if not rows_match(want, got, bool(_ORDER_BY.search(query))):
            return f"CSV rows: got {_describe(got)}, expected {_describe(want)}"
        return None
    if suffix in _GRAPH_FORMATS:
        if media_type != "application/n-triples":
            return f"expected a graph, got {media_type}"
        want_graph = _graph(Graph().parse(expected_file, format=_GRAPH_FORMATS[suffix]))
        got_graph = _graph(Graph().parse(data=body, format="nt"))
        if isomorphic(want_graph, got_graph):
            return None
        return (
            f"graph of {len(got_graph)} triples, not isomorphic to the {len(want_graph)} expected"
        )
    if media_type != "application/sparql-results+json":
        return f"expected solutions or a boolean, got {media_type}"
    with expected_file.open("rb") as handle:
        want_result = Result.parse(handle, format=_RESULT_FORMATS[suffix])
    got_result = Result.parse(io.BytesIO(body), format="json")
    if want_result.type == "ASK" or got_result.type == "ASK":
        if want_result.type != got_result.type or want_result.askAnswer != got_result.askAnswer:
            return f"got {got_result.askAnswer!r}, expected {want_result.askAnswer!r}"
        return None
    # every expected variable must be declared (some result files leave out unbound ones)
    want_vars = sorted(str(v) for v in want_result.vars or [])
    got_vars = sorted(str(v) for v in got_result.vars or [])
    if not set(want_vars) <= set(got_vars):
        return f"variables {got_vars}, expected {want_vars}"
    want_rows, got_rows = _rows(want_result), _rows(got_result)
    if rows_match(want_rows, got_rows, bool(_ORDER_BY.search(query))):
        return None
    if rows_match(want_rows, got_rows, False):
        return "the expected solutions in another order"
    return f"got {_describe(got_rows)}, expected {_describe(want_rows)}"
