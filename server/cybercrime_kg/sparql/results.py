"""Write a `Result` in one of the SPARQL results formats or one of the RDF formats."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from cybercrime_kg.errors import NotAcceptable
from cybercrime_kg.formats import GRAPH_FORMATS, RDFLIB_FORMAT, RESULT_FORMATS, Format
from cybercrime_kg.namespaces import PREFIXES
from cybercrime_kg.sparql.engines.base import GRAPH_FORMS, SELECT, Result, rdflib_quietly


def formats_for(form: str) -> tuple[Format, ...]:
    """The formats an answer of this query form can be written in."""
    return GRAPH_FORMATS if form in GRAPH_FORMS else RESULT_FORMATS


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype is not None:
        out["datatype"] = str(term.datatype)
    return out


# no spaces, as Oxigraph writes it: both engines answer with the same bytes
_COMPACT = (",", ":")


def write_json(result: Result) -> str:
    if result.form != SELECT:
        return json.dumps({"head": {}, "boolean": result.boolean}, separators=_COMPACT)
    names = result.variables
    bindings = [
        {name: _json_term(term) for name, term in zip(names, row, strict=True) if term is not None}
        for row in result.rows
    ]
    return json.dumps(
        {"head": {"vars": names}, "results": {"bindings": bindings}},
        ensure_ascii=False,
        separators=_COMPACT,
    )


def _xml_term(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{escape(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{escape(str(term))}</bnode>"
    assert isinstance(term, Literal)
    if term.language:
        attr = f" xml:lang={quoteattr(term.language)}"
    elif term.datatype is not None:
        attr = f" datatype={quoteattr(str(term.datatype))}"
    else:
        attr = ""
    return f"<literal{attr}>{_xml_text(str(term))}</literal>"


_EDGE_SPACE = re.compile(r"^[ \t\r\n]+|[ \t\r\n]+$")


def _xml_text(text: str) -> str:
    """Escaped text whose leading and trailing white space are character references: XML keeps
    raw white space, but parsers that trim text (oxigraph's, for one) would drop it."""
    return _EDGE_SPACE.sub(lambda m: "".join(f"&#{ord(c)};" for c in m.group()), escape(text))


def write_xml(result: Result) -> str:
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>'
    ]
    if result.form != SELECT:
        out.append(f"</head>\n<boolean>{'true' if result.boolean else 'false'}</boolean>\n")
        return "".join(out) + "</sparql>\n"
    out.extend(f"<variable name={quoteattr(v)}/>" for v in result.variables)
    out.append("</head>\n<results>\n")
    for row in result.rows:
        out.append("<result>")
        out.extend(
            f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>"
            for name, term in zip(result.variables, row, strict=True)
            if term is not None
        )
        out.append("</result>\n")
    return "".join(out) + "</results>\n</sparql>\n"


def _csv_value(term: Node | None) -> str:
    if term is None:
        return ""
    return f"_:{term}" if isinstance(term, BNode) else str(term)


def write_csv(result: Result) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if result.form != SELECT:  # not defined by the standard; Oxigraph's convention
        return "true" if result.boolean else "false"
    writer.writerow(result.variables)
    writer.writerows([_csv_value(t) for t in row] for row in result.rows)
    return buffer.getvalue()


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def _tsv_value(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    assert isinstance(term, Literal)
    lexical = f'"{str(term).translate(_TSV_ESCAPES)}"'
    if term.language:
        return f"{lexical}@{term.language}"
    if term.datatype is not None:
        return f"{lexical}^^<{term.datatype}>"
    return lexical


def write_tsv(result: Result) -> str:
    if result.form != SELECT:
        return "true" if result.boolean else "false"
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines.extend("\t".join(_tsv_value(t) for t in row) for row in result.rows)
    return "\n".join(lines) + "\n"


def write_graph(graph: Graph, fmt: Format) -> str:
    """An RDF graph in one of the graph formats, with the project's prefixes where they are used."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    rdflib_format = RDFLIB_FORMAT[fmt.name]
    with rdflib_quietly():
        if rdflib_format in ("nquads", "trig"):
            dataset = Dataset()
            dataset.default_graph += graph
            dataset.namespace_manager = graph.namespace_manager
            return dataset.serialize(format=rdflib_format)
        return graph.serialize(format=rdflib_format)


_WRITERS: dict[str, Callable[[Result], str]] = {
    "json": write_json,
    "xml": write_xml,
    "csv": write_csv,
    "tsv": write_tsv,
}


# characters XML 1.0 cannot carry, not even as character references (XML 1.0, section 2.2), as
# UTF-8 bytes: C0 controls but tab, line feed and carriage return; lone surrogates (as written
# by the "surrogatepass" error handler); U+FFFE and U+FFFF
_NOT_XML = re.compile(
    rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xed[\xa0-\xbf][\x80-\xbf]|\xef\xbf[\xbe\xbf]"
)
_XML_FORMATS = frozenset({"xml", "rdfxml"})


def check_writable(body: bytes, fmt: Format) -> None:
    """NotAcceptable if `body` is XML holding a character XML cannot carry."""
    if fmt.name in _XML_FORMATS:
        bad = _NOT_XML.search(body)
        if bad:
            raise NotAcceptable(
                f"the answer holds U+{ord(bad.group().decode('utf-8', 'surrogatepass')):04X}, "
                "which XML cannot carry; ask for another format"
            )


def render(result: Result, fmt: Format) -> bytes:
    """The answer in `fmt`, UTF-8 encoded; NotAcceptable if XML cannot carry it."""
    if fmt.graph:
        assert result.graph is not None
        text = write_graph(result.graph, fmt)
    else:
        text = _WRITERS[fmt.name](result)
    # XML: let a lone surrogate through to the check, which names it
    body = text.encode("utf-8", "surrogatepass" if fmt.name in _XML_FORMATS else "strict")
    check_writable(body, fmt)
    return body
