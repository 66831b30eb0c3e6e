"""data/states.ttl: generated from scripts/states.csv and CLDR, and true to the glossary."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from types import ModuleType
from urllib.parse import quote

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import OWL, SKOS

from cybercrime_kg.namespaces import DATA_GRAPH, ID, IEG, PROV, PUBLIC_RECORD_GRAPH, WD
from cybercrime_kg.paths import Layout
from helpers.scripts import load_script

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
    return load_script(layout, "gen_states")


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
        ),
        # the Chinese full-width semicolon is the Chinese text's own punctuation
        (state("IND"), Literal("来源文件中未提及；2018年为金砖国家成员。", lang="zh")),  # noqa: RUF001
    }


def test_unknown_alpha3_is_refused(gen_states, tmp_path: Path):
    table = tmp_path / "states.csv"
    table.write_text(",".join(gen_states.COLUMNS) + "\nXXX,Nowhere,无处,Q1,1,,\n", encoding="utf-8")
    with pytest.raises(
        gen_states.StateTableError,
        match=r"^states\.csv line 2: unknown ISO 3166-1 alpha-3 code 'XXX'$",
    ):
        gen_states.generate(table)


# --- Links out with standard properties (issue 20) ---

SHARED = Path(__file__).resolve().parents[2] / "shared"
# The glossary's bodies table, by its "Body" column, and the node that is that body here; the two
# it names that no document or public-record page in the graph speaks of are listed apart.
BODIES = {
    "European Union": "body/eu",
    "Council of Europe": "body/coe",
    "Shanghai Cooperation Organisation": "body/sco",
    "United Nations": "body/un",
    "UN General Assembly": "body/ga",
    "UN Economic and Social Council": "body/ecosoc",
    "Commission on Crime Prevention and Criminal Justice": "body/ccpcj",
    "International Telecommunication Union": "body/itu",
}
BODIES_NOT_IN_THE_GRAPH = {
    "Commission on Narcotic Drugs (not in seeds)",
    "Collective Security Treaty Organization (for later context)",
}


def glossary_rows(header: str) -> list[list[str]]:
    """The cells of the markdown table in shared/glossary.md whose header row starts so."""
    lines = (SHARED / "glossary.md").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


@pytest.fixture(scope="module")
def union(dataset) -> Graph:  # type: ignore[no-untyped-def]
    from cybercrime_kg.cli.export import union_graph

    return union_graph(dataset)


def every_state(union: Graph) -> list[URIRef]:
    return sorted(s for s in union.subjects(RDF.type, IEG.State) if isinstance(s, URIRef))


def test_every_state_has_its_codes_by_standard_properties(union: Graph):
    """skos:notation is the alpha-3 code, dcterms:identifier alpha-3 and M49 (from pycountry)."""
    import pycountry

    states = every_state(union)
    assert {str(s).removeprefix(str(ID)) for s in states} >= {
        *(f"state/{code}" for code in GLOSSARY),
        "state/NLD",
        "state/QAT",
        "state/VNM",
    }
    wrong = []
    for s in states:
        country = pycountry.countries.get(alpha_3=str(s).rsplit("/", 1)[1])
        notation = {str(o) for o in union.objects(s, SKOS.notation)}
        identifiers = {
            str(o) for o in union.objects(s, URIRef("http://purl.org/dc/terms/identifier"))
        }
        if notation != {country.alpha_3} or identifiers != {country.alpha_3, country.numeric}:
            wrong.append((str(s), notation, identifiers))
    assert wrong == []


def test_every_state_is_named_in_the_six_un_languages(union: Graph):
    """Arabic, French, Russian and Spanish names are CLDR's; English and Chinese the UN's own."""
    import pycountry
    from babel import Locale

    wrong = []
    for s in every_state(union):
        alpha2 = pycountry.countries.get(alpha_3=str(s).rsplit("/", 1)[1]).alpha_2
        labels = {lab.language: str(lab) for lab in union.objects(s, RDFS.label)}
        cldr = {lang: Locale.parse(lang).territories[alpha2] for lang in ("ar", "fr", "ru", "es")}
        if sorted(labels) != sorted(UN_LANGUAGES) or {k: labels.get(k) for k in cldr} != cldr:
            wrong.append((str(s), labels))
    assert wrong == []


def test_every_state_the_glossary_identifies_links_to_wikidata_and_geonames(union: Graph):
    rows = glossary_rows(
        "| State (zh) | English (UN short name) | ISO \N{GREEK SMALL LETTER ALPHA}-3 |"
    )
    verified = {row[2]: (row[4], row[5]) for row in rows if re.fullmatch("[A-Z]{3}", row[2])}
    assert set(verified) == set(GLOSSARY)
    missing = []
    for code, (qid, geonames) in verified.items():
        links = set(union.objects(state(code), SKOS.exactMatch))
        expected = {WD[qid], URIRef(f"https://sws.geonames.org/{geonames}/")}
        if not expected <= links:
            missing.append((code, sorted(map(str, expected - links))))
    assert missing == []


def test_every_body_the_glossary_identifies_links_to_wikidata(union: Graph):
    rows = glossary_rows("| Body | Wikidata |")
    named = {row[0]: row[1] for row in rows}
    assert set(named) == set(BODIES) | BODIES_NOT_IN_THE_GRAPH
    for name in BODIES_NOT_IN_THE_GRAPH:
        assert not any(union.subjects(RDFS.label, Literal(name.split(" (")[0], lang="en"))), name
    missing = [
        (name, named[name])
        for name, path in BODIES.items()
        if (ID[path], SKOS.exactMatch, WD[named[name]]) not in union
    ]
    assert missing == []


def test_vienna_links_to_its_verified_wikidata_item(union: Graph):
    # glossary: Q1741 verified; its GeoNames id is marked unverified, so it is not linked
    links = {str(o) for o in union.objects(ID["place/vienna"], SKOS.exactMatch)}
    assert links == {str(WD["Q1741"])}


def test_the_exact_set_of_wikidata_links(union: Graph):
    """Wikidata links only where the glossary verified the number: its states, bodies and Vienna.

    No convention, declaration or resolution links to Wikidata: the glossary lists none of their
    numbers as verified (it names the Budapest Convention and the Salvador and Doha Declarations
    among those not found), and none was found in another public source, so none is guessed."""
    states = {
        row[2]: row[4]
        for row in glossary_rows(
            "| State (zh) | English (UN short name) | ISO \N{GREEK SMALL LETTER ALPHA}-3 |"
        )
        if re.fullmatch("[A-Z]{3}", row[2])
    }
    bodies = {row[0]: row[1] for row in glossary_rows("| Body | Wikidata |")}
    expected = {(state(code), WD[qid]) for code, qid in states.items()}
    expected |= {(ID[path], WD[bodies[name]]) for name, path in BODIES.items()}
    expected.add((ID["place/vienna"], WD["Q1741"]))
    found = {
        (s, o)
        for p in (SKOS.exactMatch, SKOS.closeMatch, OWL.sameAs)
        for s, o in union.subject_objects(p)
        if str(o).startswith(str(WD))
    }
    assert found == expected


# UN document symbols link to the Official Document System's address for the symbol, as a library's
# research guide gives it: "https://undocs.org/" followed by the symbol (public-record/links.ttl).
UNDOCS = "https://undocs.org/"
UNDOCS_PASSAGE = ID["passage/pr-vanderbilt-undocs-address"]


def undocs_addresses(symbol: str) -> set[URIRef]:
    """A symbol's ODS addresses: one per symbol of a document issued under two joined by a hyphen
    (E/2013/30-E/CN.15/2013/27), '/' and '.' kept, what an IRI cannot hold percent-encoded."""
    parts = re.split(r"-(?=[A-Z]+/)", symbol)
    return {URIRef(UNDOCS + quote(part, safe="/()")) for part in parts}


def test_every_document_with_a_symbol_has_exactly_its_undocs_links(union: Graph):
    symbols = {(s, str(o)) for s, o in union.subject_objects(IEG.symbol)}
    assert len({s for s, _ in symbols}) == len(symbols), "a node with two symbols"
    expected = {(s, link) for s, symbol in symbols for link in undocs_addresses(symbol)}
    found = {(s, o) for s, o in union.subject_objects(RDFS.seeAlso) if str(o).startswith(UNDOCS)}
    assert found == expected
    assert len(symbols) == 18
    assert {str(o) for o in union.objects(ID["doc/E-2013-30"], RDFS.seeAlso)} == {
        "https://undocs.org/E/2013/30",
        "https://undocs.org/E/CN.15/2013/27",
    }


def test_a_symbol_that_needs_encoding_is_encoded():
    assert undocs_addresses("A/C.3/74/L.11") == {URIRef("https://undocs.org/A/C.3/74/L.11")}
    assert undocs_addresses("S/RES/1440 (2002)") == {
        URIRef("https://undocs.org/S/RES/1440%20(2002)")
    }
    assert undocs_addresses("A/RES/S-13/2") == {URIRef("https://undocs.org/A/RES/S-13/2")}


def test_undocs_links_are_public_record_derived_from_the_guide(dataset):  # type: ignore[no-untyped-def]
    data, public = dataset.graph(DATA_GRAPH), dataset.graph(PUBLIC_RECORD_GRAPH)
    assert not [o for o in data.objects(None, RDFS.seeAlso) if str(o).startswith(UNDOCS)]
    linked = {s for s, o in public.subject_objects(RDFS.seeAlso) if str(o).startswith(UNDOCS)}
    assert linked
    assert {s for s in linked if (s, PROV.wasDerivedFrom, UNDOCS_PASSAGE) not in public} == set()
    page = public.value(UNDOCS_PASSAGE, IEG.inDocument)
    assert str(public.value(page, IEG.url)) == (
        "https://researchguides.library.vanderbilt.edu/UNDocs/symbols"
    )
    assert "followed by the document symbol: https://undocs.org/" in str(
        public.value(UNDOCS_PASSAGE, IEG.verbatim)
    )
