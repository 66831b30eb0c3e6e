"""Generated HTTP requests for the SPARQL endpoint: valid, near-valid and garbage queries.

One grammar, two drivers: the suite draws through Hypothesis (`HypothesisChooser`, so a failure
shrinks to the smallest request), bench/fuzz_long.py through a seeded `random.Random`
(`RandomChooser`, fast and bounded in count and time).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar
from urllib.parse import quote, quote_plus, urlencode

T = TypeVar("T")

BASE = "https://w3id.org/cybercrime-kg/"
LOCAL_GRAPHS = [f"{BASE}graph/{n}" for n in ("ontology", "data", "public-record", "shapes")]
# IRIs the service must never fetch: a closed loopback port, a local file, a cloud metadata address
FOREIGN = ["http://127.0.0.1:9/sparql", "file:///etc/passwd", "http://169.254.169.254/latest"]


class Chooser(Protocol):
    """Where the randomness comes from."""

    def pick(self, options: Sequence[T]) -> T: ...
    def integer(self, low: int, high: int) -> int: ...
    def chance(self, p: float) -> bool: ...
    def text(self, max_size: int) -> str: ...


class RandomChooser:
    """A seeded `random.Random` behind the Chooser interface."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def pick(self, options: Sequence[T]) -> T:
        return self.rng.choice(options)

    def integer(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def text(self, max_size: int) -> str:
        size = self.rng.randint(0, max_size)
        pool = self.pick((ASCII, SPARQL_CHARS, UNICODE))
        return "".join(self.rng.choice(pool) for _ in range(size))


class HypothesisChooser:
    """Draws from `st.data()`, so Hypothesis can shrink every choice."""

    def __init__(self, data: Any) -> None:
        from hypothesis import strategies as st

        self.data, self.st = data, st

    def pick(self, options: Sequence[T]) -> T:
        return self.data.draw(self.st.sampled_from(options))

    def integer(self, low: int, high: int) -> int:
        return self.data.draw(self.st.integers(low, high))

    def chance(self, p: float) -> bool:
        return self.data.draw(self.st.integers(0, 999)) < p * 1000

    def text(self, max_size: int) -> str:
        return self.data.draw(self.st.text(max_size=max_size))


ASCII = [chr(i) for i in range(32, 127)]
SPARQL_CHARS = [*"{}()<>?$.;,:\"'#^*|/!=+-@_ \n\t", "\\", "\\u", "^^", "<<", "{{"]
UNICODE = ["é", "中", "国", "ß", "\u200b", "\ufeff", "\U0001f600", "\x00", "\x7f", "\u2028", "ع"]

# --- queries --------------------------------------------------------------------------------

PREFIXES = (
    f"PREFIX ieg: <{BASE}ontology#>\nPREFIX id: <{BASE}id/>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
)
VARIABLES = ["?s", "?p", "?o", "?x", "$y"]
IRIS = [
    "ieg:Meeting", "ieg:State", "ieg:year", "ieg:attendedBy", "ieg:note", "rdfs:label", "a",
    "id:meeting-1", "id:state-at", "<meeting-2>", f"<{BASE}id/meeting/4>", f"<{BASE}id/state/CHN>",
    "<urn:x:nothing>", "<http://127.0.0.1:9/x>", "<file:///etc/passwd>",
]  # fmt: skip
PATHS = [
    "ieg:attendedBy/rdfs:label", "(ieg:attendedBy|^ieg:attendedBy)*", "ieg:year?",
    "!(rdfs:label|a)", "^ieg:attendedBy", "rdfs:label+",
]  # fmt: skip
LITERALS = [
    '"Austria"@en', '"奥地利"@zh', "2011", "-0.5e3", "true", '"2013"^^xsd:integer',
    '"abc"^^xsd:integer', '"2011-05-01"^^xsd:date', "'''multi\nline'''", '""', '"x"@not-a-tag',
]  # fmt: skip
EXPRESSIONS = [
    "?o > 2012", 'lang(?o) = "en"', 'regex(str(?o), "{t}", "i")', 'regex(str(?o), "[")',
    'contains(str(?s), "{t}")', "bound(?x)", "isIRI(?s) && !isBlank(?o)", "strlen(str(?o)) < 9",
    "?o / 0 = 1", 'xsd:integer("abc") = 1', "substr(str(?o), -1, 2) != \"\"", "?s = ?o",
    'langMatches(lang(?o), "*")', 'year("2011-05-01T00:00:00Z"^^xsd:dateTime) = 2011',
    "sha512(str(?o)) != md5(str(?s))", 'encode_for_uri("{t}") != ""', "abs(\"x\") = 1",
    'IRI("relative") != ?s', 'strdt("1", xsd:integer) = 1', "rand() < 2", "tz(now()) != \"\"",
    'replace(str(?o), "(", "x") = ""', "?o IN (1, 2, \"a\")", "coalesce(?x, ?o, 1) != 0",
]  # fmt: skip
ATTACKS = [
    "LOAD <{f}>", "INSERT DATA {{ <urn:a> <urn:b> <urn:c> }}", "DROP ALL", "CLEAR DEFAULT",
    "SELECT * FROM <{f}> WHERE {{ ?s ?p ?o }}", "SELECT * {{ SERVICE <{f}> {{ ?s ?p ?o }} }}",
    "SELECT * {{ SERVICE ?e {{ ?s ?p ?o }} }}", "DESCRIBE <{f}>",
    "ASK FROM NAMED <{f}> {{ GRAPH ?g {{ ?s ?p ?o }} }}", "BASE <{f}> SELECT * {{ <x> ?p ?o }}",
]  # fmt: skip


def _term(c: Chooser, literal_ok: bool = True) -> str:
    kind = c.pick(("var", "iri", "literal") if literal_ok else ("var", "iri"))
    if kind == "var":
        return c.pick(VARIABLES)
    return c.pick(IRIS) if kind == "iri" else c.pick(LITERALS)


def _triple(c: Chooser) -> str:
    predicate = c.pick(PATHS) if c.chance(0.15) else c.pick(VARIABLES + IRIS[:7])
    return f"{_term(c, False)} {predicate} {_term(c)}"


def _group(c: Chooser, depth: int = 0) -> str:
    parts = [_triple(c) for _ in range(c.integer(1, 2))]
    if c.chance(0.4):
        parts.append(f"FILTER({c.pick(EXPRESSIONS).replace('{t}', _safe_text(c))})")
    if depth == 0 and c.chance(0.3):
        keyword = c.pick(("OPTIONAL", "MINUS", "GRAPH ?g", f"GRAPH <{c.pick(LOCAL_GRAPHS)}>"))
        parts.append(f"{keyword} {{ {_triple(c)} }}")
    if depth == 0 and c.chance(0.15):
        parts = [f"{{ {' . '.join(parts)} }} UNION {{ {_group(c, 1)} }}"]
    if c.chance(0.15):
        parts.append(f"BIND({c.pick(EXPRESSIONS).replace('{t}', 'a')} AS ?b)")
    if c.chance(0.1):
        parts.insert(0, f"VALUES ?s {{ {c.pick(IRIS[7:12])} UNDEF }}")
    return " . ".join(parts)


def _safe_text(c: Chooser) -> str:
    return "".join(ch for ch in c.text(6) if ch not in '"\\\n\r')


def valid_query(c: Chooser) -> str:
    """A query the grammar allows (it may still be refused: bad regex, foreign graph ...)."""
    where = _group(c)
    dataset = ""
    if c.chance(0.15):
        dataset = f"FROM <{c.pick(LOCAL_GRAPHS + FOREIGN)}> "
    form = c.pick(("SELECT", "SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "AGGREGATE"))
    if form == "SELECT":
        head = f"SELECT {c.pick(('*', 'DISTINCT *', '?s ?o', 'REDUCED ?s'))}"
        tail = c.pick(("", " ORDER BY ?s", " ORDER BY DESC(?o) LIMIT 3", " LIMIT 0", " OFFSET 7"))
    elif form == "AGGREGATE":
        agg = c.pick(
            ("COUNT(*)", "COUNT(DISTINCT ?o)", "SAMPLE(?o)", 'GROUP_CONCAT(?o; SEPARATOR="|")')
        )
        head, tail = (
            f"SELECT ?s ({agg} AS ?n)",
            c.pick((" GROUP BY ?s", " GROUP BY ?s HAVING(?n > 1)")),
        )
        where = where if "?s" in where else where + " . ?s ?p2 ?o2"
    elif form == "CONSTRUCT":
        head, tail = "CONSTRUCT { ?s ?p ?o }", c.pick(("", " LIMIT 5"))
        where = f"{where} . ?s ?p ?o"
    elif form == "DESCRIBE":
        head, tail = f"DESCRIBE {c.pick(('?s', '*', 'id:meeting-1'))}", ""
    else:
        head, tail = "ASK", ""
    return f"{PREFIXES}{head} {dataset}WHERE {{ {where} }}{tail}"


def mutate(c: Chooser, text: str) -> str:
    """One to three edits: a span deleted, duplicated or replaced, a stray token, a cut."""
    for _ in range(c.integer(1, 3)):
        if not text:
            return c.pick(SPARQL_CHARS)
        i = c.integer(0, len(text) - 1)
        j = min(len(text), i + c.integer(1, 12))
        edit = c.pick(("delete", "duplicate", "insert", "truncate", "case"))
        if edit == "delete":
            text = text[:i] + text[j:]
        elif edit == "duplicate":
            text = text[:j] + text[i:j] + text[j:]
        elif edit == "insert":
            text = text[:i] + c.pick(SPARQL_CHARS + UNICODE) + text[i:]
        elif edit == "truncate":
            text = text[:i]
        else:
            text = text[:i] + text[i:j].swapcase() + text[j:]
    return text


def query_text(c: Chooser) -> str:
    """A valid, near-valid, attacking or garbage query, sometimes padded to around the limits."""
    kind = c.pick(("valid", "valid", "near", "near", "attack", "garbage"))
    if kind == "valid":
        text = valid_query(c)
    elif kind == "near":
        text = mutate(c, valid_query(c))
    elif kind == "attack":
        text = c.pick(ATTACKS).format(f=c.pick(FOREIGN))
    else:
        text = c.text(80)
    if c.chance(0.05):
        text += "\n#" + "x" * c.pick((100, 4000, 4090, 5000, 9000, 300_000))
    return text


# --- requests --------------------------------------------------------------------------------

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
ACCEPTS = [
    "", "*/*", "application/sparql-results+json", "application/sparql-results+xml", "text/csv",
    "text/tab-separated-values", "text/turtle", "application/ld+json", "application/n-triples",
    "application/rdf+xml", "text/html", "application/json;q=0.5, text/csv;q=0.9", "image/png",
    "text/*;q=0", "*/*;q=abc", ";;,,", "text/turtle;q=0.1, */*;q=0.2", "application/json",
]  # fmt: skip
FORMAT_VALUES = ["json", "xml", "csv", "tsv", "turtle", "nt", "jsonld", "text/csv", "nope", ""]
CONTENT_TYPES = [
    FORM, DIRECT, f"{FORM}; charset=utf-8", f"{DIRECT}; charset=latin-1", f"{DIRECT};charset=UTF8",
    "application/sparql-update", "text/plain", "multipart/form-data; boundary=x", "",
    "application/json",
]  # fmt: skip
PATHS_HTTP = ["/sparql"] * 12 + ["/health", "/metrics", "/.well-known/void", "/sparql/",
                                 "/no-such-page", "/sparql%00", "//sparql"]  # fmt: skip


@dataclass
class FuzzRequest:
    """One HTTP request: the query string is already percent-encoded ASCII."""

    method: str
    path: str
    query_string: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    @property
    def target(self) -> str:
        return self.path + ("?" + self.query_string if self.query_string else "")


def _encode(c: Chooser, text: str) -> bytes:
    if c.chance(0.05):
        return text.encode("latin-1", errors="replace")  # not UTF-8 once there is a non-ASCII byte
    return text.encode("utf-8", errors="surrogatepass")


def _params(c: Chooser, query: str | None) -> list[tuple[str, bytes]]:
    params: list[tuple[str, bytes]] = []
    if query is not None:
        params.append(("query", _encode(c, query)))
    for _ in range(c.integer(0, 2)):
        name = c.pick(("format", "default-graph-uri", "named-graph-uri", "query", "update",
                       "using-graph-uri", "timeout", "", "q\x00"))  # fmt: skip
        if name == "format":
            value = c.pick(FORMAT_VALUES)
        elif name.endswith("graph-uri"):
            value = c.pick(LOCAL_GRAPHS + FOREIGN + ["", "not an iri"])
        else:
            value = c.pick(("ASK {}", "", "1", "x" * 10))
        params.append((name, _encode(c, value)))
    return params


def build_request(c: Chooser) -> FuzzRequest:
    """A request of any method, path, parameters, headers, encoding and size."""
    method = c.pick(("GET",) * 6 + ("POST",) * 4 + ("HEAD", "OPTIONS", "PUT", "DELETE", "PATCH"))
    path = c.pick(PATHS_HTTP)
    query = query_text(c) if c.chance(0.9) else None
    headers = {"Accept": c.pick(ACCEPTS)}
    if c.chance(0.1):
        headers["If-None-Match"] = c.pick(('"x"', "*", 'W/"abc", "def"', ""))
    request = FuzzRequest(method, path, headers=headers)
    how = "url" if method not in ("POST", "PUT", "PATCH") else c.pick(("form", "direct", "url"))
    if how == "direct":
        request.body = _encode(c, query or "")
        request.query_string = urlencode(_params(c, None))
        request.headers["Content-Type"] = c.pick(CONTENT_TYPES[1:])
    else:
        encoded = urlencode(_params(c, query), quote_via=quote if c.chance(0.3) else quote_plus)
        if how == "form":
            request.body = encoded.encode("ascii")
            request.headers["Content-Type"] = c.pick(CONTENT_TYPES)
        else:
            request.query_string = encoded
    return request


def mangle(c: Chooser, wire: bytes) -> bytes:
    """A stray byte, space or line break in the request line."""
    line_end = wire.index(b"\r\n")
    at = c.integer(0, line_end)
    stray = c.pick(
        (b" ", b"\x00", b"\n", b"\r", b"%", b"\xff", b"/", b"?", b"#", b"\t", b"HTTP/1.1")
    )
    return wire[:at] + stray + wire[at + c.integer(0, 1) :]
