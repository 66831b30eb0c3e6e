"""`cybercrime-kg load` against a recording endpoint on 127.0.0.1: what it sends, in what order,
what it reports, and how a refusal is reported. Loading a real Oxigraph server and Virtuoso
(and loading twice) is in tests/integration/."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import BNode, Graph, URIRef

from cybercrime_kg.cli import main
from cybercrime_kg.cli.load import Target, load, report
from cybercrime_kg.cli.load import _opener as opener
from cybercrime_kg.dataset import Part, project_parts
from cybercrime_kg.paths import Layout
from helpers.sparql import BASE, GRAPHS, HOME
from helpers.stub import Reply, Seen, Stub, stub_endpoint

UNION = BASE + "graph/union"
FILES = {
    "ontology": HOME / "ontology" / "onto.ttl",
    "data": HOME / "data" / "meetings.ttl",
    "shapes": HOME / "shapes" / "shapes.ttl",
}
TRIPLES = {
    GRAPHS["ontology"]: 6,
    GRAPHS["data"]: 16,
    GRAPHS["public-record"]: 0,
    GRAPHS["shapes"]: 3,
    UNION: 25,
}
REPORT = """\
graph                                               files       bytes    triples
https://w3id.org/cybercrime-kg/graph/ontology           1         397          6
https://w3id.org/cybercrime-kg/graph/data               1         734         16
https://w3id.org/cybercrime-kg/graph/public-record      0           0          0
https://w3id.org/cybercrime-kg/graph/shapes             1         236          3
https://w3id.org/cybercrime-kg/graph/union              3       1,367         25
"""


def store(seen: Seen) -> Reply:
    """A store that accepts every write and reports the fixture's triple counts."""
    if seen.method == "POST" and "query" in seen.form:
        rows = [
            {"g": {"type": "uri", "value": g}, "n": {"type": "literal", "value": str(n)}}
            for g, n in TRIPLES.items()
            if n
        ]
        return Reply(body=json.dumps({"results": {"bindings": rows}}).encode())
    if seen.method == "DELETE":
        return Reply(status=404, body=b"no such graph")
    return Reply(status=204, body=b"")


@pytest.fixture
def stub() -> Iterator[Stub]:
    with stub_endpoint() as stub:
        stub.answer = store
        yield stub


def target(stub: Stub, graph_store: bool) -> Target:
    root = stub.url.removesuffix("/sparql")
    return Target(
        endpoint=stub.url,
        graph_store=root + "/store" if graph_store else None,
        update=root + "/update",
        opener=opener([stub.url], None, None),
    )


def fixture_parts() -> tuple[Part, ...]:
    return project_parts(Layout(HOME))


def test_graph_store_replaces_each_graph_then_counts(stub: Stub) -> None:
    rows = load(target(stub, graph_store=True), fixture_parts(), BASE)
    assert report(rows) == REPORT

    def path(graph: str) -> str:
        return "/store?graph=" + graph.replace(":", "%3A").replace("/", "%2F")

    assert [(s.method, s.path, s.content_type, s.body) for s in stub.seen[:-1]] == [
        ("PUT", path(GRAPHS["ontology"]), "text/turtle", FILES["ontology"].read_bytes()),
        ("PUT", path(GRAPHS["data"]), "text/turtle", FILES["data"].read_bytes()),
        ("DELETE", path(GRAPHS["public-record"]), "text/turtle", b""),
        ("PUT", path(GRAPHS["shapes"]), "text/turtle", FILES["shapes"].read_bytes()),
        ("PUT", path(UNION), "text/turtle", FILES["ontology"].read_bytes()),
        ("POST", path(UNION), "text/turtle", FILES["data"].read_bytes()),
        ("POST", path(UNION), "text/turtle", FILES["shapes"].read_bytes()),
    ]
    assert stub.seen[-1].path == "/sparql"
    assert "GROUP BY ?g" in stub.seen[-1].form["query"][0]


def updates(stub: Stub) -> list[str]:
    return [s.body.decode() for s in stub.seen if s.content_type == "application/sparql-update"]


def inserted(text: str) -> Graph:
    body = text.split("{\n", 1)[1].rsplit("\n} }", 1)[0]
    return Graph().parse(data=body, format="nt")


def test_update_drops_inserts_in_chunks_and_adds_the_union(stub: Stub) -> None:
    rows = load(target(stub, graph_store=False), fixture_parts(), BASE, chunk=5)
    assert report(rows) == REPORT
    sent = updates(stub)
    drops = [t for t in sent if t.startswith("DROP SILENT GRAPH")]
    assert drops[:4] == [f"DROP SILENT GRAPH <{g}>" for g in list(GRAPHS.values())]
    assert drops[4] == (
        f"DROP SILENT GRAPH <{UNION}> ;\n"
        + " ;\n".join(f"ADD SILENT <{g}> TO <{UNION}>" for g in GRAPHS.values())
    )
    data = [t for t in sent if t.startswith(f"INSERT DATA {{ GRAPH <{GRAPHS['data']}>")]
    assert [len(inserted(t)) for t in data] == [5, 5, 5, 1]
    expected = Graph().parse(FILES["data"])
    assert set().union(*(set(inserted(t)) for t in data)) == set(expected)


def test_blank_nodes_travel_in_one_request(stub: Stub, tmp_path: Path) -> None:
    turtle = tmp_path / "lists.ttl"
    turtle.write_text(
        "<urn:s> <urn:p> ( <urn:a> <urn:b> <urn:c> ) .\n"
        + "".join(f"<urn:s> <urn:n> {i} .\n" for i in range(4)),
        encoding="utf-8",
    )
    load(target(stub, graph_store=False), [Part(URIRef(GRAPHS["data"]), (turtle,))], BASE, 2)
    chunks = [inserted(t) for t in updates(stub) if t.startswith("INSERT DATA")]
    assert [len(c) for c in chunks] == [7, 2, 2]
    assert all(any(isinstance(n, BNode) for n in t) for t in chunks[0])


def test_another_base_sends_rebased_n_triples(stub: Stub) -> None:
    load(target(stub, graph_store=True), fixture_parts()[:1], "http://example.org/kg/")
    put = stub.seen[0]
    assert (put.method, put.content_type) == ("PUT", "application/n-triples")
    assert put.path == "/store?graph=http%3A%2F%2Fexample.org%2Fkg%2Fgraph%2Fontology"
    subjects = {str(s) for s in Graph().parse(data=put.body, format="nt").subjects()}
    assert subjects == {
        "http://example.org/kg/ontology#" + name
        for name in ("Meeting", "State", "attendedBy", "year")
    }


def test_command_prints_the_report(stub, monkeypatch, capsys) -> None:
    monkeypatch.setenv("CYBERCRIME_KG_HOME", str(HOME))
    root = stub.url.removesuffix("/sparql")
    code = main(["load", "--endpoint", stub.url, "--graph-store", root + "/store"])
    assert (code, capsys.readouterr().out) == (0, REPORT)


def test_refusal_is_reported(stub, monkeypatch, capsys) -> None:
    stub.answer = lambda seen: Reply(status=403, content_type="text/plain", body=b"read-only")
    monkeypatch.setenv("CYBERCRIME_KG_HOME", str(HOME))
    root = stub.url.removesuffix("/sparql")
    code = main(["load", "--endpoint", stub.url, "--graph-store", root + "/store"])
    url = root + "/store?graph=https%3A%2F%2Fw3id.org%2Fcybercrime-kg%2Fgraph%2Fontology"
    assert (code, capsys.readouterr().err.splitlines()[-1]) == (
        2,
        f"cybercrime-kg load: PUT {url}: HTTP 403: read-only",
    )
