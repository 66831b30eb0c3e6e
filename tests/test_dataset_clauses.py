"""`sparql.without_dataset_clauses`: the remote engine sends the dataset as protocol parameters
only, so it takes FROM / FROM NAMED out of the query text and leaves everything else as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from cybercrime_kg.sparql.analysis import analyse
from cybercrime_kg.sparql.lexer import without_dataset_clauses

BASE = "https://w3id.org/cybercrime-kg/"
ROOT = Path(__file__).resolve().parent.parent
CASES = {
    "both": (
        "SELECT * FROM <http://g> FROM NAMED <http://h> WHERE { ?s ?p ?o }",
        "SELECT *     WHERE { ?s ?p ?o }",
    ),
    "no-space": ("ASK FROM<http://g>FROM NAMED<http://h>{}", "ASK   {}"),
    "lower-case-prefixed": (
        "PREFIX g: <http://g/> SELECT ?s from g:one from named g:two { ?s ?p ?o }",
        "PREFIX g: <http://g/> SELECT ?s     { ?s ?p ?o }",
    ),
    "construct-template-first": (
        "CONSTRUCT { ?s ?p ?o } FROM <http://g> WHERE { ?s ?p ?o }",
        "CONSTRUCT { ?s ?p ?o }   WHERE { ?s ?p ?o }",
    ),
    "describe": ("DESCRIBE <http://x> FROM <http://g>", "DESCRIBE <http://x>  "),
    "string-iri-comment-kept": (
        "SELECT (\"FROM <http://a>\" AS ?a) ('''FROM\n<http://b>''' AS ?b) FROM <http://g>"
        " WHERE { ?s <http://p#FROM> ?o # FROM <http://c>\n FILTER (?o < 3) }",
        "SELECT (\"FROM <http://a>\" AS ?a) ('''FROM\n<http://b>''' AS ?b)  "
        " WHERE { ?s <http://p#FROM> ?o # FROM <http://c>\n FILTER (?o < 3) }",
    ),
    "names-that-contain-from": (
        "PREFIX ex: <http://ex/> SELECT ?from ?fromage WHERE { ?from ex:from ?fromage }",
        "PREFIX ex: <http://ex/> SELECT ?from ?fromage WHERE { ?from ex:from ?fromage }",
    ),
    "a-graph-named-from": (
        "PREFIX ex: <http://ex/> SELECT * FROM ex:FROM WHERE { ?s ?p ?o }",
        "PREFIX ex: <http://ex/> SELECT *   WHERE { ?s ?p ?o }",
    ),
    "escaped-quote-in-string": (
        'SELECT * FROM <http://g> WHERE { ?s ?p "a \\" FROM <http://x> {" }',
        'SELECT *   WHERE { ?s ?p "a \\" FROM <http://x> {" }',
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_dataset_clauses_are_taken_out(name):
    query, expected = CASES[name]
    out = without_dataset_clauses(query)
    before, after = analyse(query, BASE), analyse(out, BASE)
    assert out == expected
    assert (after.from_default, after.from_named) == ((), ())
    assert (after.form, after.columns, after.services) == (
        before.form,
        before.columns,
        before.services,
    )


@pytest.mark.parametrize(
    "path",
    sorted([*ROOT.glob("queries/*.rq"), *ROOT.glob("bench/queries/*.rq")]),
    ids=lambda p: p.stem,
)
def test_queries_without_dataset_clauses_are_unchanged(path):
    text = path.read_text(encoding="utf-8")
    assert without_dataset_clauses(text) == text
