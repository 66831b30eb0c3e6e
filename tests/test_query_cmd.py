"""`cybercrime-kg query`: a query, a file or a named query, through the endpoint's checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from cybercrime_kg.cli import main
from cybercrime_kg.cli.query import read_named
from helpers.sparql import HOME


@pytest.fixture(autouse=True)
def fixture_home(monkeypatch):
    monkeypatch.setenv("CYBERCRIME_KG_HOME", str(HOME))


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_named_query_csv(capsysbinary, engine):
    assert main(["query", "--named", "list-meetings", "-f", "csv", "--engine", engine]) == 0
    assert capsysbinary.readouterr().out == (
        b"meeting,year\r\n"
        b"https://w3id.org/cybercrime-kg/id/meeting-1,2011\r\n"
        b"https://w3id.org/cybercrime-kg/id/meeting-2,2013\r\n"
    )


def test_named_query_through_a_remote_endpoint(capsysbinary, oxigraph_fixture_endpoint):
    command = ["query", "--named", "list-meetings", "-f", "csv"]
    assert main([*command, "--endpoint", oxigraph_fixture_endpoint]) == 0
    assert capsysbinary.readouterr().out == (
        b"meeting,year\r\n"
        b"https://w3id.org/cybercrime-kg/id/meeting-1,2011\r\n"
        b"https://w3id.org/cybercrime-kg/id/meeting-2,2013\r\n"
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--engine", "remote"], "--engine remote needs --endpoint URL"),
        (
            ["--engine", "oxigraph", "--endpoint", "http://127.0.0.1:9/sparql"],
            "--endpoint is for --engine remote, not oxigraph",
        ),
        (
            ["--endpoint", "file:///etc/passwd"],
            "the remote engine needs an http(s) ENDPOINT, not 'file:///etc/passwd'",
        ),
        (
            ["--endpoint", "http://127.0.0.1:9/sparql"],
            "the remote SPARQL endpoint cannot be reached",
        ),
    ],
)
def test_remote_options_refused(capsys, options, message):
    assert main(["query", "ASK { ?s ?p ?o }", *options]) == 2
    assert capsys.readouterr().err == f"cybercrime-kg query: {message}\n"


def test_named_query_with_parameter(capsysbinary):
    state = "https://w3id.org/cybercrime-kg/id/state-br"
    assert main(["query", "--named", "meetings-attended-by", "--param", f"state={state}"]) == 0
    out = capsysbinary.readouterr().out
    assert b"meeting-1" in out
    assert b"meeting-2" not in out


def test_named_query_header():
    named = read_named(HOME / "queries" / "meetings-attended-by.rq")
    assert (named.summary, named.params) == ("Meetings a given state attended", ("state",))


def test_missing_parameter(capsys):
    assert main(["query", "--named", "meetings-attended-by"]) == 2
    assert capsys.readouterr().err == (
        "cybercrime-kg query: named query meetings-attended-by needs --param state=VALUE\n"
    )


def test_file_and_refusals(capsys, tmp_path: Path):
    rq = tmp_path / "q.rq"
    rq.write_text("ASK { ?s ?p ?o }")
    assert main(["query", "--file", str(rq)]) == 0
    assert capsys.readouterr().out == '{"head":{},"boolean":true}'
    assert main(["query", "DROP ALL"]) == 2
    assert capsys.readouterr().err == (
        "cybercrime-kg query: SPARQL Update is not accepted: this endpoint is read-only\n"
    )
    assert main(["query", "--named", "nope"]) == 2
    assert "no named query 'nope'" in capsys.readouterr().err
