"""The visual query builder's choices come from the shapes and the ontology (ld/choices.py), and
its page (/builder) offers them in the page's language."""

from __future__ import annotations

import json
import re

import pytest
from rdflib import RDFS, SH, Graph, URIRef

from cybercrime_kg.ld.choices import builder_choices
from cybercrime_kg.namespaces import IEG
from cybercrime_kg.paths import Layout
from helpers.pages import page

NEW_SHAPE = """
@prefix ieg: <https://w3id.org/cybercrime-kg/ontology#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix shape: <https://w3id.org/cybercrime-kg/shapes#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
shape:TestimonyShape a sh:NodeShape ;
    sh:targetClass ieg:Testimony ;
    sh:property [ sh:path ieg:witness ; sh:class ieg:State ] ,
        [ sh:path ieg:heardOn ; sh:datatype xsd:date ] .
"""


@pytest.fixture(scope="module")
def shapes(layout: Layout) -> Graph:
    graph = Graph()
    for path in sorted(layout.shapes.glob("*.ttl")):
        graph.parse(path)
    return graph


@pytest.fixture(scope="module")
def ontology(layout: Layout) -> Graph:
    graph = Graph()
    for path in sorted(layout.ontology.glob("*.ttl")):
        graph.parse(path)
    return graph


def test_every_target_class_of_the_shapes_is_a_start(shapes: Graph, ontology: Graph):
    targets = {str(o) for o in shapes.objects(None, SH.targetClass) if isinstance(o, URIRef)}
    assert len(targets) > 50
    assert set(builder_choices(shapes, ontology).start) == targets


def test_a_class_has_the_properties_of_every_shape_on_it_and_above(shapes, ontology):
    choices = builder_choices(shapes, ontology)
    stance = choices.properties(str(IEG.Stance))
    # what the Budapest question needs, with the classes the stance shapes give them
    assert {
        p: stance[str(IEG[p])].ranges for p in ("target", "position", "holder", "argument")
    } == {
        "target": {str(IEG.Proposition)},
        "position": {str(IEG.PositionKind)},
        "holder": {str(IEG.Agent)},
        "argument": {str(IEG.Argument)},
    }
    # shape:Stance-atMeeting has no sh:class: the ontology's range says where it leads
    assert stance[str(IEG.atMeeting)].ranges == {str(ontology.value(IEG.atMeeting, RDFS.range))}
    # rdfs:label is text (shape:label's sh:datatype), from the shape on every resource
    assert (stance[str(RDFS.label)].literal, stance[str(RDFS.label)].ranges) == (True, set())
    # a state has the agent's properties (ResourceShape) and its own (StateShape)
    state = choices.properties(str(IEG.State))
    assert set(choices.properties(str(IEG.Agent))) < set(state)
    assert str(IEG.iso3166Alpha3) in state
    # a holder may be narrowed to any kind of agent the ontology knows
    agents = {str(s) for s in ontology.transitive_subjects(RDFS.subClassOf, IEG.Agent)}
    assert set(choices.subclasses[str(IEG.Agent)]) == agents


def test_a_new_shape_is_a_new_choice(shapes: Graph, ontology: Graph):
    before = builder_choices(shapes, ontology)
    assert str(IEG.Testimony) not in before.start
    copy = Graph()
    copy += shapes
    copy.parse(data=NEW_SHAPE, format="turtle")
    ontology_copy = Graph()
    ontology_copy += ontology
    ontology_copy.add((IEG.SwornTestimony, RDFS.subClassOf, IEG.Testimony))
    after = builder_choices(copy, ontology_copy)
    assert set(after.start) - set(before.start) == {str(IEG.Testimony)}
    testimony = after.properties(str(IEG.Testimony))
    assert {iri: (p.ranges, p.literal) for iri, p in testimony.items()} == {
        str(IEG.witness): ({str(IEG.State)}, False),
        str(IEG.heardOn): (set(), True),
    }
    assert after.subclasses[str(IEG.Testimony)] == sorted(
        [str(IEG.SwornTestimony), str(IEG.Testimony)]
    )
    assert after.properties(str(IEG.SwornTestimony)) == testimony


def builder_config(graph_client, lang: str) -> dict:
    response = graph_client.get(f"/builder?lang={lang}")
    assert (response.status_code, response.content_type) == (200, "text/html; charset=utf-8")
    html = response.get_data(as_text=True)
    found = re.search(r'<script type="application/json" id="builder-config">(.*?)</script>', html)
    assert found
    return json.loads(found.group(1))


@pytest.mark.parametrize(
    ("lang", "stance", "holder", "find"),
    [("en", "Stance", "holder", "Find"), ("zh", "立场", "持有方", "查找")],
)
def test_builder_page_offers_the_shapes_classes_in_the_pages_language(
    graph_client, shapes, ontology, lang, stance, holder, find
):
    config = builder_config(graph_client, lang)
    assert set(config["start"]) == set(builder_choices(shapes, ontology).start)
    assert config["classes"][str(IEG.Stance)]["label"] == stance
    own = {p["iri"]: p for p in config["classes"][str(IEG.Stance)]["properties"]}
    assert own[str(IEG.holder)]["label"] == holder
    assert own[str(IEG.holder)]["ranges"] == [str(IEG.Agent)]
    assert config["messages"]["builder.find"] == find
    assert config["endpoint"] == "/sparql"
    html = page(graph_client.get(f"/builder?lang={lang}").get_data(as_text=True))
    assert html.lang == lang
    nav = "查询构建器" if lang == "zh" else "Query builder"
    assert any(text == nav and href.startswith("/builder") for href, text in html.chrome_anchors)
