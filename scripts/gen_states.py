"""Generate data/states.ttl from scripts/states.csv, ISO 3166-1 (pycountry) and CLDR (Babel)."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import pycountry
from babel import Locale
from babel.core import get_cldr_version, get_global
from rdflib import Literal

from cybercrime_kg.namespaces import PREFIXES

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "scripts" / "states.csv"
OUTPUT = ROOT / "data" / "states.ttl"

COLUMNS = ("alpha3", "name_en", "name_zh", "wikidata", "geonames", "scope_note_en", "scope_note_zh")
# The six official languages of the United Nations, in the UN's order.
UN_LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
# English and Chinese labels are the UN's and the documents' own (the CSV); CLDR's go to altLabel.
HAND_KEPT = ("zh", "en")
USED_PREFIXES = ("dcterms", "ieg", "rdfs", "skos", "state")

HEADER = """\
# States named in the source documents, plus India (implied by BRICS) and Austria (the venue):
# ISO 3166-1 alpha-3 and UN M49 codes, Wikidata and GeoNames links, names in the six UN languages.
# Generated from scripts/states.csv, ISO 3166-1 (pycountry) and Unicode CLDR {cldr} (Babel).
# Do not edit by hand; regenerate with: python scripts/gen_states.py
"""


class StateTableError(ValueError):
    """A row of the states table that cannot be turned into a state."""


@dataclass(frozen=True)
class State:
    """One state with its hand-kept and derived facts."""

    alpha3: str
    m49: str
    labels: dict[str, str]
    alt_labels: dict[str, str]
    wikidata: str
    geonames: str
    scope_note_en: str
    scope_note_zh: str


def read_table(path: Path) -> list[State]:
    """Read the hand-kept table and derive codes and names for each row, sorted by alpha-3."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise StateTableError(f"{path.name}: expected columns {','.join(COLUMNS)}")
        states = [derive(row, f"{path.name} line {reader.line_num}") for row in reader]
    codes = [state.alpha3 for state in states]
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    if duplicates:
        raise StateTableError(f"{path.name}: duplicate alpha-3 codes {', '.join(duplicates)}")
    return sorted(states, key=lambda state: state.alpha3)


def derive(row: dict[str, str], where: str) -> State:
    """Turn one CSV row into a State, deriving the M49 code and CLDR names."""
    alpha3 = row["alpha3"]
    country = pycountry.countries.get(alpha_3=alpha3) if re.fullmatch("[A-Z]{3}", alpha3) else None
    if country is None:
        raise StateTableError(f"{where}: unknown ISO 3166-1 alpha-3 code '{alpha3}'")
    alpha2, m49 = country.alpha_2, country.numeric
    # Cross-check pycountry against CLDR's own code mappings, so the two sources cannot drift.
    aliases = get_global("territory_aliases")
    if aliases.get(alpha3) != [alpha2] or aliases.get(m49) != [alpha2]:
        raise StateTableError(f"{where}: CLDR does not map {alpha3} and {m49} to {alpha2}")
    if not re.fullmatch(r"Q[1-9][0-9]*", row["wikidata"]):
        raise StateTableError(f"{where}: '{row['wikidata']}' is not a Wikidata QID")
    if not re.fullmatch(r"[1-9][0-9]*", row["geonames"]):
        raise StateTableError(f"{where}: '{row['geonames']}' is not a GeoNames id")
    cldr = {lang: Locale.parse(lang).territories[alpha2] for lang in UN_LANGUAGES}
    hand = {"en": row["name_en"], "zh": row["name_zh"]}
    return State(
        alpha3=alpha3,
        m49=m49,
        labels={lang: hand.get(lang, cldr[lang]) for lang in UN_LANGUAGES},
        alt_labels={lang: cldr[lang] for lang in HAND_KEPT if cldr[lang] != hand[lang]},
        wikidata=row["wikidata"],
        geonames=row["geonames"],
        scope_note_en=row["scope_note_en"],
        scope_note_zh=row["scope_note_zh"],
    )


def render(states: list[State], cldr_version: str) -> str:
    """The Turtle text of the states, one predicate per line, in a stable order."""
    lines = [HEADER.format(cldr=cldr_version)]
    lines += [f"@prefix {name}: <{PREFIXES[name]}> ." for name in USED_PREFIXES]
    lines += ["", "# --- States ---"]
    for state in states:
        objects = [("a", "ieg:State")]
        objects += [("rdfs:label", lit(text, lang)) for lang, text in state.labels.items()]
        objects += [("skos:altLabel", lit(text, lang)) for lang, text in state.alt_labels.items()]
        # a note in both page languages, so a Chinese page never shows an English one
        if state.scope_note_en:
            objects.append(("skos:scopeNote", lit(state.scope_note_en, "en")))
        if state.scope_note_zh:
            objects.append(("skos:scopeNote", lit(state.scope_note_zh, "zh")))
        # the codes by the standard properties SKOS and DCMI tools read, and by ours, which say
        # which code is which (both are sub-properties of dcterms:identifier)
        objects += [
            ("skos:notation", lit(state.alpha3)),
            ("dcterms:identifier", lit(state.alpha3)),
            ("dcterms:identifier", lit(state.m49)),
            ("ieg:iso3166Alpha3", lit(state.alpha3)),
            ("ieg:m49", lit(state.m49)),
            ("skos:exactMatch", f"<http://www.wikidata.org/entity/{state.wikidata}>"),
            ("skos:exactMatch", f"<https://sws.geonames.org/{state.geonames}/>"),
            ("dcterms:source", lit(f"Unicode CLDR {cldr_version}")),
        ]
        lines += ["", f"state:{state.alpha3}"]
        lines += [f"    {p} {o} ;" for p, o in objects[:-1]]
        lines.append(f"    {objects[-1][0]} {objects[-1][1]} .")
    return "\n".join(lines) + "\n"


def lit(text: str, lang: str | None = None) -> str:
    """A Turtle literal, escaped by rdflib."""
    return Literal(text, lang=lang).n3()


def generate(table: Path = TABLE) -> str:
    """The Turtle text generated from the table with the CLDR that Babel ships."""
    return render(read_table(table), get_cldr_version())


def main() -> None:
    """Write data/states.ttl."""
    OUTPUT.write_text(generate(), encoding="utf-8", newline="\n")


if __name__ == "__main__":
    main()
