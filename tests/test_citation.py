"""Cite this: every resource page gives a citation, as text, BibTeX and CSL-JSON, with exact values.

The expected values are read from the ontology's header and the data (labels), not typed here;
the data version is the service's content hash.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
from rdflib import OWL, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from cybercrime_kg.ld.citation import Citation
from cybercrime_kg.namespaces import ONTOLOGY_IRI
from helpers.pages import ID, page

MEETING = ID + "meeting/4"


@pytest.fixture(scope="module")
def release(layout) -> dict[str, str]:
    """What a citation must say of the release, from the ontology file and pyproject."""
    ontology = Graph().parse(layout.root / "ontology" / "ieg.ttl")
    header = URIRef(ONTOLOGY_IRI)
    with (Path(__file__).resolve().parents[1] / "pyproject.toml").open("rb") as file:
        package = tomllib.load(file)["project"]["version"]
    version = str(ontology.value(header, OWL.versionInfo))
    assert version == package
    return {
        "version": version,
        "issued": str(ontology.value(header, DCTERMS.issued)),
        "publisher": str(ontology.value(header, DCTERMS.creator)),
    }


def label(dataset, iri: str, lang: str) -> str:
    names = {o for _, _, o, _ in dataset.quads((URIRef(iri), RDFS.label, None, None))}
    (name,) = [str(n) for n in names if isinstance(n, Literal) and n.language == lang]
    return name


def parse_bibtex(text: str) -> tuple[str, str, dict[str, str]]:
    """(entry type, key, fields) of one BibTeX entry; values keep their inner braces."""
    match = re.fullmatch(r"@(\w+)\{([^,\s]+),\n(.*)\n\}\n", text, re.S)
    assert match, text
    kind, key, body = match.groups()
    fields: dict[str, str] = {}
    at = 0
    while at < len(body):
        name_match = re.compile(r"\s*(\w+)\s*=\s*\{").match(body, at)
        assert name_match, body[at:]
        depth, start = 1, name_match.end()
        at = start
        while depth:
            depth += {"{": 1, "}": -1}.get(body[at], 0)
            at += 1
        assert name_match.group(1) not in fields
        fields[name_match.group(1)] = body[start : at - 1]
        at += 1 if body[at : at + 1] == "," else 0
        at += 1 if body[at : at + 1] == "\n" else 0
    return kind, key, fields


def test_bibtex_has_the_exact_values(graph_client, graph_service, dataset, release):
    response = graph_client.get("/id/meeting/4?cite=bibtex")
    assert response.status_code == 200
    assert response.content_type == "application/x-bibtex; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="cybercrime-kg-meeting-4.bib"'
    )
    kind, key, fields = parse_bibtex(response.get_data(as_text=True))
    assert (kind, key) == ("dataset", "cybercrime-kg-meeting-4")
    assert fields == {
        "author": "{" + release["publisher"] + "}",
        "title": "{" + label(dataset, MEETING, "en") + "}",
        "organization": "Expert Group on Cybercrime knowledge graph",
        "publisher": release["publisher"],
        "date": release["issued"],
        "year": release["issued"][:4],
        "version": f"{release['version']} (data {graph_service.version})",
        "url": MEETING,
    }


def test_csl_json_has_the_exact_values(graph_client, graph_service, dataset, release):
    response = graph_client.get("/id/meeting/4.html?cite=csl&lang=zh")
    assert response.content_type == "application/vnd.citationstyles.csl+json; charset=utf-8"
    (item,) = json.loads(response.data)
    assert {"id", "type", "title", "URL", "issued", "publisher"} <= set(item)
    year, month, day = (int(part) for part in release["issued"].split("-"))
    assert item == {
        "id": "cybercrime-kg-meeting-4",
        "type": "dataset",
        "title": label(dataset, MEETING, "zh"),
        "container-title": "网络犯罪专家组知识图谱",
        "author": [{"literal": release["publisher"]}],
        "publisher": release["publisher"],
        "version": f"{release['version']} (data {graph_service.version})",
        "URL": MEETING,
        "language": "zh",
        "issued": {"date-parts": [[year, month, day]]},
    }


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "{title}. In: Expert Group on Cybercrime knowledge graph, version {version} "
         "(data {data}). {publisher}, 22 November 2026. {iri}"),
        ("zh", "{title}。载于：网络犯罪专家组知识图谱，版本 {version}（数据 {data}）。"  # noqa: RUF001
         "{publisher}，2026年11月22日。{iri}"),  # noqa: RUF001
    ],
)  # fmt: skip
def test_the_page_shows_the_citation_and_both_formats(
    graph_client, graph_service, dataset, release, lang, expected
):
    assert release["issued"] == "2026-11-22"  # the date as each language writes it, above
    response = graph_client.get(f"/id/meeting/4?lang={lang}", headers={"Accept": "text/html"})
    html = response.get_data(as_text=True)
    parsed = page(html)
    citation = expected.format(
        title=label(dataset, MEETING, lang),
        version=release["version"],
        data=graph_service.version,
        publisher=release["publisher"],
        iri=MEETING,
    )
    assert citation in parsed.texts["p"]
    suffix = "&lang=zh" if lang == "zh" else ""
    hrefs = [href for href, _ in parsed.anchors]
    assert f"/id/meeting/4?cite=bibtex{suffix}" in hrefs
    assert f"/id/meeting/4?cite=csl{suffix}" in hrefs
    # the entries shown are the ones downloaded
    bib = graph_client.get(f"/id/meeting/4?cite=bibtex{suffix}").get_data(as_text=True)
    csl = graph_client.get(f"/id/meeting/4?cite=csl{suffix}").get_data(as_text=True)
    assert bib.replace("&", "&amp;") in html
    assert csl.replace("&", "&amp;").replace('"', "&#34;") in html


@pytest.mark.parametrize(
    "key",
    [
        "stance/eg4-coe-additional-protocol",
        "state/CHN",
        "passage/ag-1a",
        "doc/mfa-summary-2018-04-11",
    ],
)
def test_every_kind_of_page_cites_its_own_iri(graph_client, key):
    kind, _, fields = parse_bibtex(
        graph_client.get(f"/id/{key}?cite=bibtex").get_data(as_text=True)
    )
    assert (kind, fields["url"]) == ("dataset", ID + key)
    (item,) = json.loads(graph_client.get(f"/id/{key}?cite=csl").data)
    assert item["URL"] == ID + key


def test_an_unknown_citation_format_is_400(graph_client):
    response = graph_client.get("/id/meeting/4?cite=ris")
    assert response.status_code == 400
    assert response.get_data(as_text=True).strip() == (
        "cite=ris is not a citation format; use cite=bibtex or cite=csl"
    )


def test_bibtex_escapes_what_latex_would_read_as_commands():
    citation = Citation(
        key="k",
        title="R&D 100% of_{x} #1 ~ ^ \\",
        lang="en",
        dataset="D",
        publisher="P",
        issued="2026-11-22",
        iri="https://example.org/a_b%20c",
        version="1",
        data_version="abc",
    )
    _, _, fields = parse_bibtex(citation.bibtex())
    assert fields["title"] == (
        "{R\\&D 100\\% of\\_\\{x\\} \\#1 \\textasciitilde{} \\^{} \\textbackslash{}}"
    )
    assert fields["url"] == "https://example.org/a_b%20c"  # read verbatim by biblatex and url.sty
