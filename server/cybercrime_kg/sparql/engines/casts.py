"""Casts to the XSD types Oxigraph does not implement, as custom functions it calls.

Oxigraph refuses the whole query when it meets `xsd:byte(...)`, `xsd:hexBinary(...)` and the
other derived types of XML Schema, where SPARQL (section 17.1) makes a cast that cannot be done
an expression error: the variable stays unbound, the FILTER is false, the query goes on. Each
function here answers the cast value, or None (Oxigraph's expression error) when the argument
is not a valid value of the type.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMERIC = {XSD + name for name in ("integer", "decimal", "float", "double")}
_INTEGER = re.compile(r"[+-]?[0-9]+")

# the integer types derived from xsd:integer, with their bounds (XML Schema 1.1, part 2, 3.4)
_BOUNDS: dict[str, tuple[int | None, int | None]] = {
    "long": (-(2**63), 2**63 - 1),
    "int": (-(2**31), 2**31 - 1),
    "short": (-(2**15), 2**15 - 1),
    "byte": (-(2**7), 2**7 - 1),
    "unsignedLong": (0, 2**64 - 1),
    "unsignedInt": (0, 2**32 - 1),
    "unsignedShort": (0, 2**16 - 1),
    "unsignedByte": (0, 2**8 - 1),
    "nonNegativeInteger": (0, None),
    "positiveInteger": (1, None),
    "nonPositiveInteger": (None, 0),
    "negativeInteger": (None, -1),
}
_NAME_START = r"[A-Za-z_:\u00C0-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D\u2070-\uFFFD]"
_NAME_CHAR = _NAME_START[:-1] + r"\-.0-9\u00B7\u0300-\u036F\u203F-\u2040]"
_PATTERNS = {
    "language": re.compile(r"[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*"),
    "Name": re.compile(f"{_NAME_START}{_NAME_CHAR}*"),
    "NCName": re.compile(f"{_NAME_START.replace(':', '')}{_NAME_CHAR.replace(':', '')}*"),
    "NMTOKEN": re.compile(f"{_NAME_CHAR}+"),
    "dateTimeStamp": re.compile(
        r"-?[0-9]{4,}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?"
        r"(Z|[+-][0-9]{2}:[0-9]{2})"
    ),
}


def _lexical(term: Any) -> tuple[str, str] | None:
    """A literal's lexical form and datatype IRI; None for IRIs and blank nodes."""
    if isinstance(term, ox.Literal):
        return term.value, term.datatype.value
    return None


def _literal(value: str, name: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(XSD + name))


def _to_integer(term: Any) -> int | None:
    found = _lexical(term)
    if found is None:
        return None
    value, datatype = found
    value = value.strip()
    if datatype == XSD + "boolean":
        return {"true": 1, "1": 1, "false": 0, "0": 0}.get(value)
    if _INTEGER.fullmatch(value):
        return int(value)
    if datatype in _NUMERIC:  # a number casts by truncation, as to xsd:integer
        try:
            number = Decimal(value)
        except InvalidOperation:
            return None
        return int(number) if number.is_finite() else None
    return None


def _integer_cast(name: str) -> Callable[[Any], ox.Literal | None]:
    low, high = _BOUNDS[name]

    def cast(term: Any) -> ox.Literal | None:
        number = _to_integer(term)
        if number is None or (low is not None and number < low):
            return None
        if high is not None and number > high:
            return None
        return _literal(str(number), name)

    return cast


def _string_of(term: Any) -> str | None:
    if isinstance(term, ox.NamedNode):
        return term.value
    found = _lexical(term)
    return None if found is None else found[0]


def _hex(term: Any) -> ox.Literal | None:
    found = _lexical(term)
    if found is None:
        return None
    value, datatype = found[0].strip(), found[1]
    if datatype == XSD + "base64Binary":
        try:
            value = base64.b64decode(value, validate=True).hex()
        except (binascii.Error, ValueError):
            return None
    if len(value) % 2 or re.fullmatch(r"[0-9A-Fa-f]*", value) is None:
        return None
    return _literal(value.upper(), "hexBinary")


def _base64(term: Any) -> ox.Literal | None:
    found = _lexical(term)
    if found is None:
        return None
    value, datatype = "".join(found[0].split()), found[1]
    try:
        if datatype == XSD + "hexBinary":
            raw = bytes.fromhex(value)
        else:
            raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return None
    return _literal(base64.b64encode(raw).decode("ascii"), "base64Binary")


def _whitespace(name: str, collapse: bool) -> Callable[[Any], ox.Literal | None]:
    def cast(term: Any) -> ox.Literal | None:
        value = _string_of(term)
        if value is None:
            return None
        value = re.sub(r"[\t\n\r]", " ", value)
        return _literal(" ".join(value.split()) if collapse else value, name)

    return cast


def _pattern(name: str) -> Callable[[Any], ox.Literal | None]:
    pattern = _PATTERNS[name]

    def cast(term: Any) -> ox.Literal | None:
        value = _string_of(term)
        if value is None or not pattern.fullmatch(value.strip()):
            return None
        return _literal(value.strip(), name)

    return cast


def _any_uri(term: Any) -> ox.Literal | None:
    value = _string_of(term)
    return None if value is None else _literal(value.strip(), "anyURI")


def _never(term: Any) -> None:
    """xsd:QName needs the namespaces in scope where the value was written: never castable."""
    return None


def casts() -> dict[ox.NamedNode, Callable[..., Any]]:
    """Every cast function by its IRI, for `Store.query(custom_functions=...)`."""
    table: dict[str, Callable[..., Any]] = {name: _integer_cast(name) for name in _BOUNDS}
    table |= {name: _pattern(name) for name in _PATTERNS}
    table |= {
        "hexBinary": _hex,
        "base64Binary": _base64,
        "normalizedString": _whitespace("normalizedString", collapse=False),
        "token": _whitespace("token", collapse=True),
        "anyURI": _any_uri,
        "QName": _never,
    }
    return {ox.NamedNode(XSD + name): function for name, function in table.items()}
