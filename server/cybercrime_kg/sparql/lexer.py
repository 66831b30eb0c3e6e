"""What the service must know of a query before it runs, read from its tokens in linear time.

The HTTP worker never parses a query: parsing can take seconds on a hostile text, and only the
query process, which the time limit kills, may spend them (`pool.py`). What must be decided
before then is read here from the tokens alone: the query form (which answer formats apply),
the FROM / FROM NAMED graphs (which must be local), the SERVICE endpoints (which must be
allowed) and whether the text is an update (refused). A text that is not a query at all is
left to the engine's parser, which says why in the query process.

Oxigraph's parser reads keywords greedily: `SERVICEex:x` is SERVICE ex:x to it, `1SERVICE` a
number and SERVICE, `FROMNAMED<g>` FROM NAMED <g>. So a name holding SERVICE before any colon
counts as a SERVICE call here (unless it is a declared prefix), and one whose endpoint cannot
be told is refused, never missed; FROM is read the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import urljoin

from cybercrime_kg.errors import QuerySyntaxError, UpdateRefused
from cybercrime_kg.sparql.engines.base import ASK, CONSTRUCT, DESCRIBE, SELECT

UPDATE_REFUSED = "SPARQL Update is not accepted: this endpoint is read-only"
FORMS = {SELECT, ASK, CONSTRUCT, DESCRIBE}
UPDATES = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
UNREADABLE = "!"  # marks a SERVICE whose endpoint cannot be told from the text
# Brackets nest at most this deep: parsers recurse on each level (rdflib's by a few frames),
# and a query needs a handful of levels; past this a query is refused before any parse.
MAX_NESTING = 200
TOO_DEEP = (
    "the query nests brackets ((, {{ or [) more than {limit} levels deep, this endpoint's "
    "limit: write it flatter"
)

# SPARQL 1.1, section 19.2: \u and \U escapes may stand for any character, anywhere
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_TOKEN = re.compile(
    r"""(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)"""
    r"""|(?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\""""
    r"""|'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")"""
    r"""|(?P<comment>\#[^\n\r]*)"""
    r"""|(?P<name>[?$@]?[\w\-.:%\\\u00B7\u0300-\u036F\u203F\u2040]+)"""
    r"""|(?P<punct>[{}()\[\]])""",
    re.DOTALL,
)
# The scan after the form: the same skipped tokens and brackets, and of the names only those
# that may hold SERVICE or start with FROM; every other character is stepped over in C.
_NAME = r"[\w\-.:%\\\u00B7\u0300-\u036F\u203F\u2040]"
_SCAN = re.compile(
    _TOKEN.pattern.replace(
        r"""|(?P<name>[?$@]?[\w\-.:%\\\u00B7\u0300-\u036F\u203F\u2040]+)""",
        rf"|(?P<name>(?<!{_NAME[:-1]}?$@])(?i:(?={_NAME}*?SERVICE|FROM)){_NAME}+)",
    ),
    re.DOTALL,
)
# what follows SELECT when it projects every variable
_STAR = re.compile(r"\s*(?:(?:DISTINCT|REDUCED)\s+)?\*", re.IGNORECASE)
_NAME_CHARS = re.compile(r"[?$@]|_:")


@dataclass(frozen=True)
class Outline:
    """What the service must know about a query before running it."""

    form: str
    from_default: tuple[str, ...] = ()
    from_named: tuple[str, ...] = ()
    services: tuple[str, ...] = ()  # SERVICE IRIs; "?var" on a variable; "!text" if unreadable
    select_star: bool = False

    @property
    def has_dataset_clause(self) -> bool:
        return bool(self.from_default or self.from_named)


def unescape(text: str) -> str:
    """The text with its \\u and \\U escapes replaced by the characters they stand for."""
    if "\\u" not in text and "\\U" not in text:
        return text

    def char(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else match.group()

    return _ESCAPE.sub(char, text)


class _Token(NamedTuple):
    kind: str
    text: str
    start: int = 0


def _tokens(text: str, start: int) -> Iterator[_Token]:
    """The significant tokens from `start`: IRIs, strings, names (keywords, variables, prefixed
    names) and brackets; the regular expression steps over spaces, comments and punctuation."""
    for match in _TOKEN.finditer(text, start):
        kind = match.lastgroup
        if kind != "comment":
            yield _Token(kind or "punct", match.group(), match.start())


class _Reader:
    """Walks the tokens once, keeping the prologue's base and prefixes."""

    def __init__(self, text: str, base: str) -> None:
        self.text = unescape(text)
        self._tokens = _tokens(self.text, 0)
        self._ahead: _Token | None = None
        self.base = base
        self.prefixes: dict[str, str] = {}
        self.position = 0  # where the last token read ends

    def seek(self, position: int) -> None:
        """Read on from `position` of the text."""
        self._tokens, self._ahead, self.position = _tokens(self.text, position), None, position

    def next(self) -> _Token | None:
        token: _Token | None
        if self._ahead is not None:
            token, self._ahead = self._ahead, None
        else:
            token = next(self._tokens, None)
        if token is not None:
            self.position = token.start + len(token.text)
        return token

    def peek(self) -> _Token | None:
        if self._ahead is None:
            self._ahead = next(self._tokens, None)
        return self._ahead

    def iri(self, token: _Token | None) -> str | None:
        """The absolute IRI an IRIREF or a prefixed name stands for, else None."""
        if token is None:
            return None
        if token.kind == "iri":
            return urljoin(self.base, token.text[1:-1])
        if token.kind == "name" and ":" in token.text and not _NAME_CHARS.match(token.text):
            prefix, _, local = token.text.rstrip(".").partition(":")
            namespace = self.prefixes.get(prefix)
            return None if namespace is None else namespace + local.replace("\\", "")
        return None

    def prologue(self) -> _Token | None:
        """Read BASE and PREFIX declarations; the first token after them."""
        while True:
            token = self.next()
            word = token.text.upper() if token is not None and token.kind == "name" else ""
            if word == "BASE":
                self.base = self.iri(self.next()) or self.base
            elif word == "PREFIX":
                name, target = self.next(), self.next()
                namespace = self.iri(target)
                if name is not None and name.text.endswith(":") and namespace is not None:
                    self.prefixes[name.text[:-1]] = namespace
            else:
                return token


def outline(text: str, base: str) -> Outline:
    """The form, dataset clause and SERVICE calls of a query; UpdateRefused for an update."""
    reader = _Reader(text, base)
    first = reader.prologue()
    word = first.text.upper() if first is not None and first.kind == "name" else ""
    if word in UPDATES:
        raise UpdateRefused(UPDATE_REFUSED)
    if word not in FORMS:
        if first is None:
            where, found = "", "the end of the query"
        else:
            line = reader.text.count("\n", 0, first.start) + 1
            column = first.start - reader.text.rfind("\n", 0, first.start)
            where, found = f" at line {line}, column {column}", f"'{first.text[:40]}'"
        raise QuerySyntaxError(
            f"SPARQL syntax error{where}: expected SELECT, CONSTRUCT, DESCRIBE or ASK, "
            f"found {found}"
        )
    select_star = word == SELECT and bool(
        _STAR.match(reader.text, first.start + len(first.text)) if first is not None else False
    )
    from_default: list[str] = []
    from_named: list[str] = []
    services: list[str] = []
    depth = 0  # dataset clauses stand outside braces and parentheses
    resume = 0  # tokens before this were read as the target of a SERVICE or FROM
    start = first.start + len(first.text) if first is not None else 0
    for match in _SCAN.finditer(reader.text, start):
        kind, written = match.lastgroup, match.group()
        if kind == "punct":
            depth += 1 if written in "{([" else -1
            if depth > MAX_NESTING:
                raise QuerySyntaxError(TOO_DEEP.format(limit=MAX_NESTING))
            continue
        if kind != "name" or match.start() < resume:
            continue
        upper = written.upper()
        reader.seek(match.end())
        if "SERVICE" in upper.partition(":")[0]:
            if upper.startswith("SERVICE"):
                services.append(_service(reader, written[len("SERVICE") :]))
            elif not _declared_prefix(reader, written):
                # a number or a keyword glued to SERVICE (`1SERVICE`), as a greedy parser reads it
                services.append(UNREADABLE + written)
        elif upper.startswith("FROM") and depth == 0:
            graph, named = _dataset_clause(reader, written[len("FROM") :])
            if graph is not None:
                (from_named if named else from_default).append(graph)
        resume = reader.position
    return Outline(
        form=word,
        from_default=tuple(from_default),
        from_named=tuple(from_named),
        services=tuple(services),
        select_star=select_star,
    )


def _declared_prefix(reader: _Reader, name: str) -> bool:
    """True when `name` is a prefixed name whose prefix the prologue declares (`myservice:x`)."""
    prefix, colon, _ = name.partition(":")
    return bool(colon) and prefix[:1].isalpha() and prefix in reader.prefixes


def _service(reader: _Reader, rest: str) -> str:
    """The endpoint after SERVICE (and SILENT), read from the rest of the name or what follows."""
    written = "SERVICE" + rest
    if rest.upper().startswith("SILENT"):
        rest = rest[len("SILENT") :]
    elif not rest:
        following = reader.peek()
        if following is not None and following.text.upper() == "SILENT":
            reader.next()
    if rest:
        return reader.iri(_Token("name", rest)) or UNREADABLE + written
    target = reader.next()
    if target is not None and target.kind == "name" and target.text[:1] in "?$":
        return "?" + target.text[1:]
    return reader.iri(target) or UNREADABLE + written


def _dataset_clause(reader: _Reader, rest: str) -> tuple[str | None, bool]:
    """The graph after FROM (or FROM NAMED), and whether it is a named graph."""
    named = rest.upper().startswith("NAMED")
    if named:
        rest = rest[len("NAMED") :]
    elif not rest:
        following = reader.peek()
        if following is not None and following.text.upper() == "NAMED":
            reader.next()
            named = True
    if rest:
        return reader.iri(_Token("name", rest)), named
    return reader.iri(reader.next()), named


def without_dataset_clauses(text: str) -> str:
    """The query with its FROM and FROM NAMED clauses taken out, everything else as it was.

    The remote engine sends the dataset as protocol parameters, which the SPARQL Protocol says
    override the query's own; some stores (Virtuoso) let FROM win instead. Dataset clauses stand
    outside braces and parentheses; strings, IRIs and comments are kept whole. Each clause
    (FROM, NAMED, the graph and the spaces between) becomes one space.
    """
    out: list[str] = []
    kept = 0  # the text before this is in `out`, or dropped
    depth = 0
    for match in _TOKEN.finditer(text):
        if match.start() < kept:
            continue  # inside a clause already dropped
        kind, token = match.lastgroup, match.group()
        if kind == "punct":
            depth += 1 if token in "{([" else -1
            continue
        if depth or kind != "name" or not token.upper().startswith("FROM"):
            continue
        end = _clause_end(text, match)
        out += [text[kept : match.start()], " "]
        kept = end
    out.append(text[kept:])
    return "".join(out)


def _clause_end(text: str, keyword: re.Match[str]) -> int:
    """Where the dataset clause that starts with `keyword` (FROM, FROMNAMED, FROM<g> ...) ends."""
    rest = keyword.group()[len("FROM") :]
    named = rest.upper().startswith("NAMED")
    rest = rest[len("NAMED") :] if named else rest
    if rest:
        return keyword.end()  # the graph is glued to the keyword
    tokens = _tokens(text, keyword.end())
    following = next(tokens, None)
    if following is not None and not named and following.text.upper() == "NAMED":
        following = next(tokens, None)
    if following is not None and following.kind in ("iri", "name"):
        return following.start + len(following.text)
    return keyword.end()
