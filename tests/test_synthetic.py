"""scripts/gen_synthetic.py: the same seed gives the same bytes, a copy renames and moves what it
must and nothing else, the output is a layout the service loads, and it meets the shapes."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF, RDFS, XSD

from cybercrime_kg.cli import COMMANDS
from cybercrime_kg.dataset import load_dataset, project_parts
from cybercrime_kg.namespaces import DATA_GRAPH, ID, IEG, PUBLIC_RECORD_GRAPH
from cybercrime_kg.paths import Layout
from cybercrime_kg.sparql.engines.base import Job, engine_class

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "gen_synthetic.py"
BASE = "https://w3id.org/cybercrime-kg/"


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_synthetic", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["gen_synthetic"] = module  # dataclasses and pickling look modules up by name
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def one_copy(gen: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """The smallest synthetic graph: the real data and one copy (about 23,500 triples).

    The real graph alone holds about 13,500 triples (its sourced statements included) and a copy
    about 10,000 more, so the 10k size rounds to no copy; this size keeps exactly one.
    """
    out = tmp_path_factory.mktemp("synthetic") / "20k"
    return out, gen.generate(gen.parse_size("20_000"), 7, out)


def test_sizes(gen: ModuleType) -> None:
    assert [gen.parse_size(s) for s in ("10k", "100k", "1M", "2_500")] == [
        10_000,
        100_000,
        1_000_000,
        2_500,
    ]
    # 2,400 triples of ontology and shapes, 4,800 of real data (copy 0), 4,500 per copy
    assert [gen.copy_count(t, 2_400, 4_800, 4_500) for t in (1_000, 10_000, 100_000, 10**6)] == [
        0,
        1,
        21,
        221,
    ]


def test_a_copy_renames_facts_and_keeps_vocabularies(gen: ModuleType) -> None:
    term = gen.renamer(3, 8)
    cases = [
        (RDF.type, ID["meeting/4"], ID["meeting/4-s3"]),
        (RDF.type, ID["state/CHN"], ID["state/CHN-s3"]),
        (RDF.type, ID["stance/eg4-rebut-gold-standard"], ID["stance/eg4-rebut-gold-standard-s3"]),
        (RDF.type, ID["topic/jurisdiction"], ID["topic/jurisdiction"]),
        (RDF.type, ID["status/held"], ID["status/held"]),
        (RDF.type, IEG.Meeting, IEG.Meeting),
        (RDF.type, BNode("cb0"), BNode("cb0s3")),
        (RDFS.label, Literal("China", lang="en"), Literal("China [s3]", lang="en")),
        (IEG.verbatim, Literal("中国", lang="zh"), Literal("中国", lang="zh")),
        (
            IEG.startDate,
            Literal("2018-04-03", datatype=XSD.date),
            Literal("2026-04-03", datatype=XSD.date),
        ),
        (
            IEG.startTime,
            Literal("2018-04-03T10:00:00+02:00", datatype=XSD.dateTime),
            Literal("2026-04-03T10:00:00+02:00", datatype=XSD.dateTime),
        ),
        (IEG.year, Literal(2019), Literal(2027)),
        (IEG.ordinal, Literal(4), Literal(4)),
    ]
    assert [term(p, node) for p, node, _ in cases] == [expected for _, _, expected in cases]


def test_same_seed_same_bytes_in_another_process(one_copy, tmp_path) -> None:
    out, _ = one_copy
    again = tmp_path / "again"
    command = [sys.executable, str(SCRIPT), "--size", "20_000", "--seed", "7", "--out", str(again)]
    env = {**os.environ, "PYTHONHASHSEED": "1"}  # another iteration order of every set
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    assert done.stdout.startswith(f"{again}: 1 synthetic copies, ")
    for name in ("data/synthetic.ttl", "data/public-record/synthetic.ttl"):
        assert (out / name).read_bytes() == (again / name).read_bytes()


def test_another_seed_moves_the_dates_elsewhere(gen: ModuleType) -> None:
    graph = Graph()
    graph.add((ID["meeting/4"], IEG.startDate, Literal("2018-04-03", datatype=XSD.date)))
    dates = {
        seed: {str(o) for copy in gen.copies(graph, 3, seed) for o in copy.objects()}
        for seed in (7, 8)
    }
    assert len(dates[7]) == len(dates[8]) == 4
    assert dates[7] != dates[8]
    assert "2018-04-03" in dates[7] & dates[8]


def test_layout_holds_the_real_graph_and_its_copies(one_copy, dataset) -> None:
    out, figures = one_copy
    real = {g: len(dataset.graph(g)) for g in (DATA_GRAPH, PUBLIC_RECORD_GRAPH)}
    assert figures["copies"] == 1
    # a copy leaves out what is said about shared vocabularies and places
    assert real[DATA_GRAPH] < figures["data"] < 2 * real[DATA_GRAPH]
    assert real[PUBLIC_RECORD_GRAPH] < figures["public-record"] <= 2 * real[PUBLIC_RECORD_GRAPH]
    assert sorted(p.name for p in (out / "queries").glob("*.rq")) == sorted(
        p.name for p in (SCRIPT.parent.parent / "queries").glob("*.rq")
    )
    engine = engine_class("oxigraph").from_dataset(load_dataset(project_parts(Layout(out))))
    query = f"SELECT ?m WHERE {{ ?m a <{IEG.Meeting}> }}"
    meetings = {str(row[0]) for row in engine.execute(Job(query, BASE, max_rows=100)).rows}
    real_meetings = {
        *(f"{ID}meeting/{n}" for n in range(1, 8)),
        ID + "meeting/extended-bureau-2018-01-26",
    }
    assert meetings == real_meetings | {m + "-s1" for m in real_meetings}


@pytest.mark.slow
@pytest.mark.skipif("validate" not in COMMANDS, reason="no validate command")
def test_synthetic_data_meets_the_shapes(one_copy, capsys) -> None:
    from cybercrime_kg.cli import main

    out, _ = one_copy
    assert main(["validate", str(out / "data")]) == 0
    assert capsys.readouterr().out.startswith("Conforms")
