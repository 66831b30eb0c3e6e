"""data/states.ttl: generated from scripts/states.csv and CLDR, and true to the glossary."""

from __future__ import annotations

import importlib.util
import re
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from cybercrime_kg.namespaces import ID, IEG, WD
from cybercrime_kg.paths import Layout

# From the glossary's table of verified identifiers (/work/shared/glossary.md).
GLOSSARY = {
    # alpha-3: (M49, Wikidata QID, UN English short name, Chinese as the documents write it)
    "CHN": ("156", "Q148", "China", "中国"),
    "RUS": ("643", "Q159", "Russian Federation", "俄罗斯"),
    "BRA": ("076", "Q155", "Brazil", "巴西"),
    "IND": ("356", "Q668", "India", "印度"),
    "ZAF": ("710", "Q258", "South Africa", "南非"),
    "USA": ("840", "Q30", "United States of America", "美国"),
    "DEU": ("276", "Q183", "Germany", "德国"),
    "CAN": ("124", "Q16", "Canada", "加拿大"),
    "LKA": ("144", "Q854", "Sri Lanka", "斯里兰卡"),
    "JOR": ("400", "Q810", "Jordan", "约旦"),
    "IRN": ("364", "Q794", "Iran (Islamic Republic of)", "伊朗"),
    "EGY": ("818", "Q79", "Egypt", "埃及"),
    "DZA": ("012", "Q262", "Algeria", "阿尔及利亚"),
    "KWT": ("414", "Q817", "Kuwait", "科威特"),
    "AUT": ("040", "Q40", "Austria", "奥地利"),
}
UN_LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")


@pytest.fixture(scope="module")
def gen_states(layout: Layout) -> ModuleType:
    """The generator script, imported from its file (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location(
        "gen_states", layout.root / "scripts" / "gen_states.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # dataclasses look their module up in sys.modules while the class body runs.
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


@pytest.fixture(scope="module")
def states_ttl(layout: Layout) -> Path:
    return layout.data / "states.ttl"


@pytest.fixture(scope="module")
def states(states_ttl: Path) -> Graph:
    """The committed data/states.ttl. Do not modify."""
    return Graph().parse(states_ttl, format="turtle")


def state(alpha3: str) -> URIRef:
    return ID[f"state/{alpha3}"]


def test_committed_file_is_exactly_what_the_generator_writes(gen_states, states_ttl):
    # Byte-for-byte rather than isomorphic: the file is generated, so any difference means a hand
    # edit, a CSV change or a new CLDR (Babel upgrade) not yet regenerated and reviewed; it also
    # keeps the house layout (sorted prefixes, one predicate per line) that isomorphism ignores.
    assert gen_states.generate() == states_ttl.read_text(encoding="utf-8"), (
        "data/states.ttl is stale: run python scripts/gen_states.py and review the diff"
    )


def test_no_full_iri_of_our_namespace(states_ttl):
    body = "\n".join(
        line
        for line in states_ttl.read_text(encoding="utf-8").splitlines()
        if not line.startswith("@prefix")
    )
    assert "<https://w3id.org/cybercrime-kg/" not in body


def test_exact_set_of_states(states):
    assert set(states.subjects(RDF.type, IEG.State)) == {state(code) for code in GLOSSARY}
    assert {s for s in states.subjects() if isinstance(s, URIRef)} == {
        state(code) for code in GLOSSARY
    }


def test_alpha3_and_m49_match_the_glossary(states):
    pairs = {
        (str(states.value(s, IEG.iso3166Alpha3)), str(states.value(s, IEG.m49)))
        for s in states.subjects(RDF.type, IEG.State)
    }
    assert pairs == {(code, m49) for code, (m49, *_) in GLOSSARY.items()}
    for code in GLOSSARY:
        assert len(list(states.objects(state(code), IEG.m49))) == 1


def test_one_label_per_un_language(states):
    for code in GLOSSARY:
        languages = Counter(label.language for label in states.objects(state(code), RDFS.label))
        assert languages == Counter(UN_LANGUAGES), code


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_english_and_chinese_labels(states, lang):
    column = 2 if lang == "en" else 3
    for code, row in GLOSSARY.items():
        labels = {lab for lab in states.objects(state(code), RDFS.label) if lab.language == lang}
        assert labels == {Literal(row[column], lang=lang)}, code


def test_cldr_variants_as_alt_labels(states):
    alt = {(s, str(o), o.language) for s, o in states.subject_objects(SKOS.altLabel)}
    assert alt == {
        (state("RUS"), "Russia", "en"),
        (state("IRN"), "Iran", "en"),
        (state("USA"), "United States", "en"),
    }


def test_wikidata_qids_match_the_glossary(states):
    found = {
        (s, o) for s, o in states.subject_objects(SKOS.exactMatch) if str(o).startswith(str(WD))
    }
    assert found == {(state(code), WD[qid]) for code, (_, qid, *_) in GLOSSARY.items()}


def test_geonames_links_from_the_table(states):
    for code in GLOSSARY:
        geonames = [
            str(o)
            for o in states.objects(state(code), SKOS.exactMatch)
            if str(o).startswith("https://sws.geonames.org/")
        ]
        assert len(geonames) == 1 and re.fullmatch(r"https://sws\.geonames\.org/\d+/", geonames[0])


def test_only_india_has_a_scope_note(states):
    assert set(states.subject_objects(SKOS.scopeNote)) == {
        (
            state("IND"),
            Literal(
                "Not named in the source documents; a member of BRICS (金砖国家) in 2018.",
                lang="en",
            ),
        )
    }


def test_unknown_alpha3_is_refused(gen_states, tmp_path: Path):
    table = tmp_path / "states.csv"
    table.write_text(",".join(gen_states.COLUMNS) + "\nXXX,Nowhere,无处,Q1,1,\n", encoding="utf-8")
    with pytest.raises(
        gen_states.StateTableError,
        match=r"^states\.csv line 2: unknown ISO 3166-1 alpha-3 code 'XXX'$",
    ):
        gen_states.generate(table)
