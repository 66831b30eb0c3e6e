"""The query UI at /: YASGUI from the package (never a CDN), the graph's prefixes, named queries."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef

import cybercrime_kg
from cybercrime_kg.namespaces import IEG, PREFIXES
from cybercrime_kg.paths import project_layout
from cybercrime_kg.web.i18n import MESSAGES
from cybercrime_kg.web.ui import page_strings
from helpers.packaging import run_installed

VENDOR = ("yasgui.min.js", "yasgui.min.css", "package.json")
DESCRIBE = "DESCRIBE <https://w3id.org/cybercrime-kg/id/meeting/4>"


def page_config(html: str) -> dict[str, Any]:
    """The JSON the page hands to its script."""
    match = re.search(r'<script type="application/json" id="ui-config">(.*?)</script>', html, re.S)
    assert match, "no ui-config in the page"
    config: dict[str, Any] = json.loads(match.group(1))
    return config


def test_query_page_configures_yasgui_for_the_local_endpoint(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.content_type == "text/html; charset=utf-8"
    config = page_config(response.get_data(as_text=True))
    assert config["endpoint"] == "/sparql"
    assert config["prefixes"] == PREFIXES
    assert config["query"] == ""
    starter = config["starter"]
    assert starter.startswith("PREFIX ieg: <https://w3id.org/cybercrime-kg/ontology#>\n")
    assert set(re.findall(r"^PREFIX (\w+): ", starter, re.M)) == set(PREFIXES)


def test_every_named_query_is_an_example(graph_client: FlaskClient) -> None:
    config = page_config(graph_client.get("/").get_data(as_text=True))
    assert config["examples"] == "/queries?format=json"
    listing = graph_client.get(config["examples"]).get_json()["queries"]
    folder = project_layout().queries
    expected = {p.stem: p.read_text(encoding="utf-8") for p in folder.glob("*.rq")}
    assert len(expected) == 22
    assert {e["name"]: e["query"] for e in listing} == expected


def test_query_parameter_prefills_a_tab(client: FlaskClient) -> None:
    response = client.get("/", query_string={"query": DESCRIBE})
    config = page_config(response.get_data(as_text=True))
    assert (config["query"], config["run"]) == (DESCRIBE, False)
    response = client.get("/", query_string={"query": DESCRIBE, "run": "1"})
    assert page_config(response.get_data(as_text=True))["run"] is True


def test_page_config_carries_the_strings_of_its_language(client: FlaskClient) -> None:
    english = page_config(client.get("/").get_data(as_text=True))
    chinese = page_config(client.get("/?lang=zh").get_data(as_text=True))
    workbench = {
        k[len("workbench.") :]: v for k, v in MESSAGES.items() if k.startswith("workbench.")
    }
    assert english["text"] == {key: en for key, (en, _) in workbench.items()}
    assert chinese["text"] == {key: zh for key, (_, zh) in workbench.items()}
    # YASGUI's own English chrome is replaced on the Chinese page only
    assert english["chrome"] == {}
    assert chinese["chrome"] == {
        en: zh for key, (en, zh) in MESSAGES.items() if key.startswith("yasgui.")
    }
    assert chinese["chrome"]["Simple view"] == "简洁视图"
    assert (english["lang"], chinese["lang"]) == ("en", "zh")
    assert english["base"] == "https://w3id.org/cybercrime-kg/"
    assert english["views"] == {
        "plot": ["/static/vendor/d3/d3.min.js", "/static/vendor/plot/plot.umd.min.js"],
        "graph": ["/static/vendor/cytoscape/cytoscape.min.js"],
    }


def test_terms_list_the_ontologys_classes_and_properties(graph_client: FlaskClient) -> None:
    config = page_config(graph_client.get("/").get_data(as_text=True))
    terms = graph_client.get(config["terms"]).get_json()["terms"]
    ontology = Graph().parse(project_layout().ontology / "ieg.ttl")
    declared = {
        str(s)
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
        for s in ontology.subjects(RDF.type, kind)
        if isinstance(s, URIRef)
        and str(s).startswith(str(IEG))
        and (s, OWL.deprecated, Literal(True)) not in ontology
    }
    ours = {t["iri"]: t for t in terms if t["iri"].startswith(str(IEG))}
    assert set(ours) == declared
    for iri, term in ours.items():
        labels = {o.language: str(o) for o in ontology.objects(URIRef(iri), RDFS.label)}
        assert term["labels"] == labels, iri
        is_class = (URIRef(iri), RDF.type, OWL.Class) in ontology
        assert term["kind"] == ("class" if is_class else "property"), iri
    assert ours[str(IEG.Meeting)]["labels"]["zh"] == "会议"


def test_page_loads_nothing_from_elsewhere(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    loaded = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert loaded == [
        "/static/favicon.svg",
        "/static/site.css",
        "/static/vendor/yasgui/yasgui.min.css",
        "/static/vendor/yasgui/yasgui.min.js",
        "/static/ui/results.js",
        "/static/ui/views.js",
        "/static/ui/query.js",
    ]
    for url in loaded:
        with client.get(url) as response:
            assert response.status_code == 200, url


def test_vendor_files_are_served(client: FlaskClient) -> None:
    with client.get("/static/vendor/yasgui/yasgui.min.js") as response:
        assert response.status_code == 200
        assert response.mimetype == "text/javascript"
    with client.get("/static/vendor/yasgui/package.json") as response:
        version = json.loads(response.data)["version"]
    lock = json.loads((Path(__file__).parent.parent / "package-lock.json").read_text())
    assert version == lock["packages"]["node_modules/@zazuko/yasgui"]["version"]


def test_wheel_ships_the_vendor_files(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"cybercrime_kg/static/vendor/yasgui/{name}" for name in VENDOR}
    assert expected <= names
    assert "cybercrime_kg/static/ui/query.js" in names
    assert "cybercrime_kg/templates/ui/query.html" in names


def test_installed_package_serves_the_query_ui(wheel: Path, tmp_path: Path) -> None:
    """`pip install .` (not editable) serves the page and its vendor files, far from a checkout."""
    probe = (
        "import cybercrime_kg, json;"
        "from cybercrime_kg.app import create_app;"
        "client = create_app({'QUERY_WORKERS': 0}).test_client();"
        "paths = ['/', '/static/vendor/yasgui/yasgui.min.js', '/static/ui/query.js'];"
        "print(json.dumps([cybercrime_kg.__file__, *(client.get(p).status_code for p in paths)]))"
    )
    stdout = run_installed(wheel, tmp_path, probe)
    module, *statuses = json.loads(stdout.splitlines()[-1])
    assert Path(module).is_relative_to(tmp_path / "site")
    assert statuses == [200, 200, 200]


def test_every_string_the_scripts_ask_for_is_in_the_catalog() -> None:
    """A missing key would throw in the browser: every t("key") of static/ui/*.js exists."""
    scripts = Path(cybercrime_kg.__file__).parent / "static" / "ui"
    asked = {
        key
        for script in scripts.glob("*.js")
        for key in re.findall(r'\bt\("([a-z_]+)"', script.read_text(encoding="utf-8"))
    }
    asked |= {"term_class", "term_property"}  # t(`term_${kind}`)
    assert len(asked) > 30
    assert asked <= set(page_strings("en"))
