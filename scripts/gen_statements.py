"""Generate the sourced statements (ieg:Statement) from the audit tables under data/.

A node built from several passages says which passage supports which of its triples through one
ieg:Statement per triple. The audit is kept as tables, one row per triple, because a row is what a
reviewer checks against the source; this script turns each table `.../statements/NAME.tsv` into the
Turtle file beside it, `.../statements/NAME.ttl` (under data/public-record/ for the public record's
nodes, so each statement lands in the named graph of the triple it is about).

Table columns (tab-separated, a header row, `#` starts a comment line):

    subject     property     value                   passages                          note
    meeting:4   ieg:startDate "2018-04-03"^^xsd:date passage:ag-dates-venue            (free text)

`value` is written as in Turtle (a prefixed name, `<iri>`, or a literal with its language or
datatype); `passages` is one or more prefixed names separated by spaces. The prefixes are the
project's (cybercrime_kg.namespaces.PREFIXES). A triple no passage of its graph states is listed
with `-` for passages and a note saying why (true but unstated, or stated only by another graph's
source); it gets no statement, and the generated file lists it in a comment, so the gaps are known.

A statement's IRI is its subject's IRI with a fragment naming the property and the value:
`<.../id/meeting/4#startDate=2018-04-03>`, `<.../id/meeting/4#participant=state/CHN>`. Dereferencing
it gives the subject's description, which carries its statements.

    python scripts/gen_statements.py          # rewrite every .ttl from its table
    python scripts/gen_statements.py --check  # exit 1 if a .ttl differs from its table
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import re
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, SKOS, XSD, NamespaceManager
from rdflib.term import Node

from cybercrime_kg.namespaces import ID, IEG, PREFIXES, PROV

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
COLUMNS = ("subject", "property", "value", "passages", "note")
USED_PREFIXES = ("doc", "gov", "ieg", "lang", "passage", "prov", "rdfs", "xsd")
# A literal's own text names it in the IRI when it is short and needs no escaping.
UNSOURCED = "-"
PLAIN = re.compile(r"[A-Za-z0-9._:+-]{1,40}")

# What a sourced statement is not needed for: names, types, summaries and notes (readable text drawn
# from all of a node's passages), provenance itself, and identifiers and links out (the glossary's).
NOT_STATED = frozenset({
    RDF.type, RDFS.label, RDFS.comment, RDFS.seeAlso, OWL.sameAs,
    SKOS.prefLabel, SKOS.altLabel, SKOS.definition, SKOS.scopeNote, SKOS.notation,
    SKOS.exactMatch, SKOS.closeMatch, DCTERMS.description, DCTERMS.identifier, DCTERMS.source,
    PROV.wasDerivedFrom, PROV.wasAttributedTo, IEG.accordingTo,
})  # fmt: skip

HEADER = """\
# Sourced statements: which passage supports which triple of a node built from several passages.
# Generated from {table}. Do not edit by hand: edit the table, then
# python scripts/gen_statements.py
"""


class StatementTableError(ValueError):
    """A row of an audit table that cannot be turned into a statement."""


@dataclass(frozen=True)
class Statement:
    """One triple and the passages it is taken from."""

    subject: URIRef
    property: URIRef
    value: Node
    passages: tuple[URIRef, ...]
    note: str
    # Set when every passage lies in one official account (a national account): the statement is
    # then that account's claim, attributed as ieg:AttributedClaim nodes are.
    account: URIRef | None = None
    asserted_by: URIRef | None = None
    labels: tuple[tuple[str, str], ...] = ()
    # "public-record" for the public record's statements, so that one triple both graphs state
    # has a statement in each, with each graph's passages, under two IRIs
    scope: str = ""

    @property
    def triple(self) -> tuple[URIRef, URIRef, Node]:
        """The triple the statement is about."""
        return (self.subject, self.property, self.value)

    @property
    def iri(self) -> URIRef:
        """The subject's IRI with a fragment naming the property and the value."""
        scope = f"{self.scope}/" if self.scope else ""
        return URIRef(f"{self.subject}#{scope}{name(self.property)}={value_key(self.value)}")


def name(term: URIRef) -> str:
    """A property's short name: its local name in ieg:, else its prefixed name."""
    text = str(term)
    if text.startswith(str(IEG)):
        return text[len(str(IEG)) :]
    for prefix, namespace in PREFIXES.items():
        if text.startswith(namespace) and PLAIN.fullmatch(text[len(namespace) :]):
            return f"{prefix}:{text[len(namespace) :]}"
    return digest(text)


def value_key(value: Node) -> str:
    """A value's short name: its path below /id/, a short literal's text, else a digest."""
    if isinstance(value, URIRef):
        text = str(value)
        if text.startswith(str(ID)) and re.fullmatch(r"[A-Za-z0-9._~/-]+", text[len(str(ID)) :]):
            return text[len(str(ID)) :]
        return name(value)
    assert isinstance(value, Literal)
    key = str(value) if PLAIN.fullmatch(str(value)) else digest(value.n3())
    return f"{key}@{value.language}" if value.language else key


def digest(text: str) -> str:
    """Ten hex digits of the text's SHA-1: stable, and short enough to read."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def parse_terms(subject: str, prop: str, value: str, passages: str, where: str) -> Graph:
    """The row as Turtle, parsed with the project's prefixes (rdflib checks every term)."""
    prefixes = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in PREFIXES.items())
    text = f"{prefixes}{subject} {prop} {value} .\n"
    if passages.split():
        text += f"{subject} <urn:passages> {' , '.join(passages.split())} .\n"
    try:
        return Graph().parse(data=text, format="turtle")
    except Exception as error:  # rdflib raises several kinds of syntax error
        raise StatementTableError(f"{where}: not Turtle terms ({error})") from None


def read_table(path: Path) -> list[Statement]:
    """The statements of one audit table, in the table's order, each checked for form."""
    with path.open(encoding="utf-8", newline="") as handle:
        # (line number, cells) of each row, comments and blank lines left out
        rows = [
            (number, line.rstrip("\r\n").split("\t"))
            for number, line in enumerate(handle, start=1)
            if line.strip() and not line.startswith("#")
        ]
    if not rows or tuple(rows[0][1]) != COLUMNS:
        raise StatementTableError(f"{path.name}: expected the columns {', '.join(COLUMNS)}")
    statements = []
    for number, row in rows[1:]:
        where = f"{path.name} line {number}"
        if len(row) not in (4, 5):
            raise StatementTableError(f"{where}: expected 4 or 5 tab-separated columns")
        subject, prop, value, passages, note = (*row, "")[:5]
        if not passages.strip():
            raise StatementTableError(
                f"{where}: no passage given (write - and say why in the note)"
            )
        unsourced = passages.strip() == UNSOURCED
        if unsourced and not note.strip():
            raise StatementTableError(
                f"{where}: a triple no passage states needs a note saying why"
            )
        graph = parse_terms(subject, prop, value, "" if unsourced else passages, where)
        ((s, p, o),) = [t for t in graph if t[1] != URIRef("urn:passages")]
        sources = sorted(o for _, _, o in graph.triples((s, URIRef("urn:passages"), None)))
        if not isinstance(s, URIRef) or not all(isinstance(x, URIRef) for x in sources):
            raise StatementTableError(f"{where}: the subject and the passages must be IRIs")
        scope = "public-record" if "public-record" in path.parts else ""
        statements.append(Statement(s, URIRef(p), o, tuple(sources), note.strip(), scope=scope))  # type: ignore[arg-type]
    iris = [statement.iri for statement in statements]
    twice = sorted({iri for iri in iris if iris.count(iri) > 1})
    if twice:
        raise StatementTableError(f"{path.name}: a triple listed twice: {', '.join(twice)}")
    return statements


def render(statements: list[Statement], table: str) -> str:
    """The Turtle text of the statements, in the table's order, then the unsourced triples."""
    names = NamespaceManager(Graph(), bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        names.bind(prefix, namespace)
    used = set(USED_PREFIXES)

    def short(term: Node) -> str:
        text = term.n3(names)
        if isinstance(term, URIRef) and not text.startswith("<"):
            used.add(text.split(":", 1)[0])
        return text

    body = []
    for statement in statements:
        if not statement.passages:
            continue
        literal = not isinstance(statement.value, URIRef)
        predicate = "ieg:statementValue" if literal else "ieg:statementObject"
        body += ["", f"<{statement.iri}>"]
        if statement.note:
            body.append(f"    # {statement.note}")
        if statement.account is not None and statement.asserted_by is not None:
            body += [
                "    a ieg:Statement , ieg:AttributedClaim ;",
                f"    prov:wasAttributedTo {short(statement.asserted_by)} ;",
                f"    ieg:accordingTo {short(statement.account)} ;",
            ]
        else:
            body.append("    a ieg:Statement ;")
        body += [
            f"    rdfs:label {Literal(text, lang=lang).n3()} ;" for lang, text in statement.labels
        ]
        sources = " , ".join(short(p) for p in statement.passages)
        body += [
            f"    ieg:statementSubject {short(statement.subject)} ;",
            f"    ieg:statementProperty {short(statement.property)} ;",
            f"    {predicate} {short(statement.value)} ;",
            f"    prov:wasDerivedFrom {sources} .",
        ]
    gaps = [s for s in statements if not s.passages]
    if gaps:
        body += [
            "",
            "# Triples no passage of this graph states (no statement; see the table's notes):",
        ]
        body += [f"#   {' '.join(short(t) for t in s.triple)}: {s.note}" for s in gaps]
    lines = [HEADER.format(table=table)]
    lines += [f"@prefix {p}: <{PREFIXES[p]}> ." for p in sorted(used)]
    return "\n".join(lines + body) + "\n"


def load_graph(table: Path, data: Path) -> Graph:
    """The graph a table's statements are about: the public record's, or the documents' data
    (read once for all the tables of that graph; callers only read it)."""
    return _named_graph(data, data / "public-record" in table.parents)


@functools.cache
def _named_graph(data: Path, public_record: bool) -> Graph:
    public = data / "public-record"
    graph = Graph()
    for path in sorted(data.rglob("*.ttl")):
        if "statements" in path.parent.parts:
            continue
        if (public in path.parents) == public_record:
            graph.parse(path, format="turtle")
    return graph


@functools.cache
def everything(data: Path) -> Graph:
    """The ontology and all the data, for the names of things."""
    graph = Graph()
    graph.parse(data.parent / "ontology" / "ieg.ttl", format="turtle")
    for path in sorted(data.rglob("*.ttl")):
        if "statements" not in path.parent.parts:
            graph.parse(path, format="turtle")
    return graph


# Names the data does not give: external properties without a label, booleans, and the
# languages of a text quoted in another language than the label's.
OWN_NAMES = {
    str(DCTERMS.title): {"en": "title", "zh": "标题"},
    "true": {"en": "yes", "zh": "是"},
    "false": {"en": "no", "zh": "否"},
}
LANGUAGE_NAMES = {
    "ar": ("Arabic", "阿拉伯文"), "zh": ("Chinese", "中文"), "en": ("English", "英文"),
    "fr": ("French", "法文"), "ru": ("Russian", "俄文"), "es": ("Spanish", "西班牙文"),
}  # fmt: skip


def label(graph: Graph, term: Node, lang: str) -> str:
    """A term's label in the language; a literal's text (its language's name when it is a text
    in another language); a name of OWN_NAMES; else the term's text."""
    if isinstance(term, Literal):
        if term.datatype == XSD.boolean:
            return OWN_NAMES[str(term).lower()][lang]
        if term.language and term.language != lang and term.language in LANGUAGE_NAMES:
            english, chinese = LANGUAGE_NAMES[term.language]
            return f"({english} text)" if lang == "en" else f"（{chinese}文本）"
        return str(term)
    names = [
        str(x) for x in graph.objects(term, RDFS.label) if getattr(x, "language", None) == lang
    ]
    return min(names) if names else OWN_NAMES.get(str(term), {}).get(lang, str(term))


def labels(graph: Graph, statement: Statement) -> tuple[tuple[str, str], ...]:
    """The statement's name in English and Chinese: subject, property, value, as one reads them."""
    parts = {lang: [label(graph, t, lang) for t in statement.triple] for lang in ("en", "zh")}
    en, zh = parts["en"], parts["zh"]
    return (("en", f"{en[0]}: {en[1]} {en[2]}"), ("zh", f"{zh[0]}：{zh[1]} {zh[2]}"))


def check(
    statements: list[Statement], graph: Graph, name: str, data: Path = DATA
) -> list[Statement]:
    """Each statement's triple is in the graph and its passages are its subject's; add attribution.

    Passages, their documents and the names of things are looked up in all the data (a public-record
    node may cite a passage of the documents). Every defect is reported at once, one line each."""
    world = everything(data)
    checked, defects = [], []
    for statement in statements:
        where = f"{name}: {statement.iri}"
        if (statement.subject, statement.property, statement.value) not in graph:
            defects.append(f"{where}: the graph has no such triple")
        documents = set()
        for passage in statement.passages:
            if (passage, RDF.type, IEG.SourcePassage) not in world:
                defects.append(f"{where}: {passage} is not a source passage")
            elif (statement.subject, PROV.wasDerivedFrom, passage) not in graph:
                defects.append(f"{where}: add {passage} to the subject's prov:wasDerivedFrom")
            documents.update(world.objects(passage, IEG.inDocument))
        account = next(iter(documents)) if len(documents) == 1 else None
        if account is not None and (account, RDF.type, IEG.OfficialAccount) in world:
            author = world.value(account, IEG.issuedBy)
            statement = replace(statement, account=account, asserted_by=author)  # type: ignore[arg-type]
        statement = replace(statement, labels=labels(world, statement))
        checked.append(statement)
    if defects:
        raise StatementTableError("\n".join(defects))
    return checked


Triple = tuple[URIRef, URIRef, Node]


def uncovered(
    graph: Graph, statements: Graph, known: frozenset[Triple] = frozenset()
) -> list[Triple]:
    """The triples that need a sourced statement and have none, in order.

    A triple needs one when its subject is derived from more than one passage in `graph` (one named
    graph's data) and its property is not in NOT_STATED; `known` are those a table lists as stated
    by no passage."""
    have = {
        (s, statements.value(st, IEG.statementProperty), o)
        for st, s in statements.subject_objects(IEG.statementSubject)
        for o in (
            statements.value(st, IEG.statementObject),
            statements.value(st, IEG.statementValue),
        )
        if o is not None
    }
    missing = []
    for subject in sorted(set(graph.subjects(PROV.wasDerivedFrom, None))):
        if len(set(graph.objects(subject, PROV.wasDerivedFrom))) < 2 or "#" in str(subject):
            continue
        for prop, value in sorted(graph.predicate_objects(subject)):
            triple = (subject, prop, value)
            if prop not in NOT_STATED and triple not in have and triple not in known:
                missing.append((subject, prop, value))  # type: ignore[arg-type]
    return missing


def loaded_statements(folder: Path) -> tuple[Graph, frozenset[Triple]]:
    """The generated statements of one folder, and the triples its tables list as unsourced."""
    statements = Graph()
    for path in sorted(folder.glob("*.ttl")):
        statements.parse(path, format="turtle")
    known = frozenset(
        row.triple
        for table in sorted(folder.glob("*.tsv"))
        for row in read_table(table)
        if not row.passages
    )
    return statements, known


def todo(data: Path = DATA) -> str:
    """A worksheet of the triples still without a statement, each node with its passages' text."""
    names = NamespaceManager(Graph(), bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        names.bind(prefix, namespace)
    homes = {}  # each node's file: the one that types it
    for path in sorted(data.rglob("*.ttl")):
        for node in Graph().parse(path, format="turtle").subjects(RDF.type, None):
            homes.setdefault(node, path.relative_to(data.parent).as_posix())
    out = []
    for public in (False, True):
        folder = data / "public-record" if public else data
        graph = load_graph(folder / "statements" / "x.tsv", data)
        statements, known = loaded_statements(folder / "statements")
        last = None
        for s, p, o in uncovered(graph, statements, known):
            if s != last:
                graph_name = "public-record graph" if public else "data graph"
                out += ["", f"== {s.n3(names)}   [{homes.get(s, '?')}; {graph_name}]"]
                for passage in sorted(graph.objects(s, PROV.wasDerivedFrom)):
                    out.append(f"#  {passage.n3(names)}: {graph.value(passage, IEG.verbatim)}")
                last = s
            out.append(f"{s.n3(names)}\t{p.n3(names)}\t{o.n3(names)}\t")
    return "\n".join(out) + "\n"


def tables(data: Path = DATA) -> list[Path]:
    """Every audit table under data/, in a stable order."""
    return sorted(data.rglob("statements/*.tsv"))


def generate(table: Path, data: Path = DATA) -> str:
    """The Turtle text generated from one table, checked against the data it speaks of."""
    statements = check(read_table(table), load_graph(table, data), table.name, data)
    return render(statements, table.relative_to(data.parent).as_posix())


def main(argv: list[str] | None = None) -> int:
    """Write (or with --check, compare) the Turtle file beside each table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report files that differ")
    parser.add_argument(
        "--todo", action="store_true", help="list the triples still without a statement"
    )
    args = parser.parse_args(argv)
    if args.todo:
        sys.stdout.write(todo())
        return 0
    stale = []
    for table in tables():
        output = table.with_suffix(".ttl")
        text = generate(table)
        if args.check:
            if not output.exists() or output.read_text(encoding="utf-8") != text:
                stale.append(output.relative_to(ROOT).as_posix())
        else:
            output.write_text(text, encoding="utf-8", newline="\n")
    for path in stale:
        print(
            f"{path} differs from its table: run python scripts/gen_statements.py", file=sys.stderr
        )
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
