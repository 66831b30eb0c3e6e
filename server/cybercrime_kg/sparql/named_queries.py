"""Named queries: queries/<name>.rq files with a grlc-style header, parsed and checked at start-up.

A header line is `#+ key: value`; the keys are `summary` (English), `summary_zh` (Chinese),
`params` (names, separated by commas or spaces), `param_<name>` (a description with an
example) and `param_<name>_class` (what values it takes: for an IRI parameter a class, written
as a CURIE of the graph's prefixes or as <IRI>, whose instances are its values; for a literal
parameter `xsd:language`, a language tag of the graph's labels; forms offer these values from
the data). A parameter occurs in the query as `?_name` (filled with a literal) or `?_name_iri`
(filled with an IRI). Anything else in the header, a parameter that never occurs, a placeholder
no header declares, or a query rdflib cannot parse is a NamedQueryError naming the file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from cybercrime_kg.errors import DataError, KGError, RequestError
from cybercrime_kg.namespaces import DEFAULT_BASE, PREFIXES
from cybercrime_kg.sparql.analysis import analyse

HEADER = re.compile(r"^#\+\s*(\w+)\s*:\s*(.*?)\s*$")
PLACEHOLDER = re.compile(r"[?$]_(\w+)")
PARAM_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*")
QUERY_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
EXAMPLE = re.compile(r"\be\.g\.\s+(\S+?)[.,;)]?(?:\s|$)")
FIXED_KEYS = ("summary", "summary_zh", "params")
# query-string names the API keeps for itself
RESERVED = frozenset({"format"})
LITERAL, IRI = "literal", "iri"
LANGUAGE_TAG = PREFIXES["xsd"] + "language"  # the one class a literal parameter may declare
CURIE = re.compile(r"([A-Za-z][\w-]*):([\w-]+)")
# SPARQL ECHAR escapes: a literal value can never close its quotes
_ECHAR = str.maketrans(
    {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
)
# characters SPARQL forbids in an IRIREF: an IRI value can never close its angle brackets
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


class NamedQueryError(DataError):
    """A named query file is broken: the service refuses to start with it."""


@dataclass(frozen=True)
class Parameter:
    """One parameter of a named query."""

    name: str
    kind: str  # LITERAL or IRI
    description: str
    value_class: str = ""  # IRI of the class of its values (param_<name>_class), "" if none

    @property
    def example(self) -> str | None:
        """The value after "e.g." in the description, if it gives one."""
        match = EXAMPLE.search(self.description)
        return match.group(1) if match else None

    def term(self, value: str) -> str:
        """The value as one SPARQL term; a 400 if an IRI parameter's value is not an http(s) IRI."""
        if self.kind == LITERAL:
            return f'"{value.translate(_ECHAR)}"'
        try:
            parts = urlsplit(value)
        except ValueError:  # e.g. an unclosed [IPv6] host
            parts = urlsplit("")
        if parts.scheme not in ("http", "https") or not parts.netloc or _NOT_IN_IRI.search(value):
            raise RequestError(f"parameter {self.name} must be an absolute http(s) IRI")
        return f"<{value}>"


@dataclass(frozen=True)
class NamedQuery:
    """A queries/<name>.rq file with its header."""

    name: str
    text: str
    summary: str
    summary_zh: str
    parameters: tuple[Parameter, ...]
    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE

    @property
    def params(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parameters)

    def missing(self, values: Mapping[str, str]) -> list[Parameter]:
        return [p for p in self.parameters if p.name not in values]

    def check(self, values: Mapping[str, str]) -> None:
        """A 400 for a value of a parameter the query does not take, or one it cannot bind."""
        unknown = sorted(set(values) - set(self.params))
        if unknown:
            takes = ", ".join(self.params) or "no parameters"
            raise RequestError(
                f"named query {self.name} has no parameter {unknown[0]}; it takes: {takes}"
            )
        for param in self.parameters:
            if param.name in values:
                param.term(values[param.name])

    def bind(self, values: Mapping[str, str]) -> str:
        """The query with every placeholder replaced by its value as a single term."""
        self.check(values)
        missing = self.missing(values)
        if missing:
            raise KGError(f"named query {self.name} needs --param {missing[0].name}=VALUE")
        text = self.text
        for param in self.parameters:
            suffix = "_iri" if param.kind == IRI else ""
            text = _replace(
                text, rf"[?$]_{param.name}{suffix}(?!\w)", param.term(values[param.name])
            )
        return text


def _replace(text: str, pattern: str, term: str) -> str:
    """Replace every match with `term` taken literally (no backslash processing)."""
    return re.sub(pattern, lambda _match: term, text)


def _headers(path: Path, text: str) -> dict[str, str]:
    headers: dict[str, str] = {}
    for line in text.splitlines():
        match = HEADER.match(line)
        if not match:
            continue
        key, value = match.groups()
        if key in headers:
            raise NamedQueryError(f"{path}: header key {key!r} appears twice")
        headers[key] = value
    return headers


def _placeholders(text: str) -> dict[str, set[str]]:
    """Every placeholder outside comment lines: parameter name -> kinds it occurs as."""
    found: dict[str, set[str]] = {}
    for line in text.splitlines():
        if line.lstrip().startswith("#"):
            continue
        for match in PLACEHOLDER.finditer(line):
            name = match.group(1)
            if name.endswith("_iri"):
                found.setdefault(name.removesuffix("_iri"), set()).add(IRI)
            else:
                found.setdefault(name, set()).add(LITERAL)
    return found


def _parameters(path: Path, headers: dict[str, str], text: str) -> tuple[Parameter, ...]:
    names = [p for p in re.split(r"[,\s]+", headers.get("params", "")) if p]
    for key in headers:
        declared = key[6:].removesuffix("_class") if key.startswith("param_") else None
        if key not in FIXED_KEYS and declared not in names:
            raise NamedQueryError(
                f"{path}: unknown header key {key!r} (known: summary, summary_zh, params, "
                "and param_<name>, param_<name>_class for each name in params)"
            )
    occurring = _placeholders(text)
    undeclared = sorted(set(occurring) - set(names))
    if undeclared:
        raise NamedQueryError(
            f"{path}: parameter {undeclared[0]} occurs in the query but not in '#+ params:'"
        )
    parameters = []
    for name in names:
        if not PARAM_NAME.fullmatch(name) or name in RESERVED:
            raise NamedQueryError(f"{path}: parameter name {name!r} must be letters and digits")
        kinds = occurring.get(name, set())
        if not kinds:
            raise NamedQueryError(
                f"{path}: parameter {name} never occurs as ?_{name} or ?_{name}_iri in the query"
            )
        if len(kinds) > 1:
            raise NamedQueryError(
                f"{path}: parameter {name} occurs both as ?_{name} and ?_{name}_iri"
            )
        kind = kinds.pop()
        value_class = _value_class(path, name, kind, headers.get(f"param_{name}_class", ""))
        parameters.append(Parameter(name, kind, headers.get(f"param_{name}", ""), value_class))
    return tuple(parameters)


def _value_class(path: Path, name: str, kind: str, written: str) -> str:
    """The IRI a `param_<name>_class` header names, checked against the parameter's kind."""
    if not written:
        return ""
    curie = CURIE.fullmatch(written)
    if written.startswith("<") and written.endswith(">") and ":" in written:
        iri = written[1:-1]
    elif curie and curie.group(1) in PREFIXES:
        iri = PREFIXES[curie.group(1)] + curie.group(2)
    else:
        raise NamedQueryError(
            f"{path}: param_{name}_class must be <IRI> or a CURIE of a known prefix, "
            f"not {written!r}"
        )
    if (kind == LITERAL) != (iri == LANGUAGE_TAG):
        wanted = (
            "xsd:language for a literal parameter"
            if kind == LITERAL
            else "a class whose instances it takes, not xsd:language, for an IRI parameter"
        )
        raise NamedQueryError(f"{path}: param_{name}_class must be {wanted}")
    return iri


def read_named(path: Path, base: str = DEFAULT_BASE) -> NamedQuery:
    """Read, check and parse one named query file."""
    if not QUERY_NAME.fullmatch(path.stem):
        raise NamedQueryError(f"{path}: a named query's file name must be kebab-case")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise NamedQueryError(f"{path}: cannot be read ({exc})") from None
    headers = _headers(path, text)
    if not headers.get("summary"):
        raise NamedQueryError(f"{path}: the header has no '#+ summary:'")
    parameters = _parameters(path, headers, text)
    try:
        analysis = analyse(text, base)
    except RequestError as exc:
        raise NamedQueryError(f"{path}: {exc.message}") from None
    return NamedQuery(
        name=path.stem,
        text=text,
        summary=headers["summary"],
        summary_zh=headers.get("summary_zh", ""),
        parameters=parameters,
        form=analysis.form,
    )


def load_named(folder: Path, base: str = DEFAULT_BASE) -> dict[str, NamedQuery]:
    """Every queries/*.rq of a folder, by name, in name order."""
    if not folder.is_dir():
        raise NamedQueryError(f"{folder}: the named queries folder does not exist")
    return {path.stem: read_named(path, base) for path in sorted(folder.glob("*.rq"))}
