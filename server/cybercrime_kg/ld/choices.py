"""The visual query builder's choices, read from the SHACL shapes and the ontology.

A class the builder offers to start from is the `sh:targetClass` of a node shape. Its properties
are the IRI `sh:path`s of the property shapes of every node shape that targets it or one of its
superclasses (a shape on ieg:Agent holds for a state too). Where a property leads: the
property shapes' `sh:class`, else the ontology's `rdfs:range`; a `sh:datatype`, a literal
`sh:nodeKind` or a datatype range makes it a literal. The classes a criterion may narrow its
value to are that class and its subclasses in the ontology. Nothing here names a class: a new
shape is a new choice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import OWL, RDF, RDFS, SH, XSD, Graph, URIRef
from rdflib.term import Node

LITERAL_KINDS = {SH.Literal, SH.BlankNodeOrLiteral, SH.IRIOrLiteral}
DATATYPE_NAMESPACES = (str(XSD), str(RDF))


@dataclass
class PropertyChoice:
    """A property a criterion may use on a class: where it leads, or that its values are text."""

    iri: str
    ranges: set[str] = field(default_factory=set)
    literal: bool = False


@dataclass
class BuilderChoices:
    """Classes to start from (the shapes' targets) with the properties their shapes constrain,
    and each class a choice names with its subclasses and the targets above it."""

    own: dict[str, dict[str, PropertyChoice]]
    subclasses: dict[str, list[str]]
    superclasses: dict[str, list[str]]

    @property
    def start(self) -> list[str]:
        return sorted(self.own)

    def classes(self) -> set[str]:
        """Every class a choice names: starts, ranges and their subclasses."""
        return set(self.subclasses)

    def properties(self, cls: str) -> dict[str, PropertyChoice]:
        """The properties of `cls`: those of the shapes on it and on every class above it."""
        merged: dict[str, PropertyChoice] = {}
        for target in self.superclasses.get(cls, ()):
            for choice in self.own[target].values():
                _merge(merged, choice)
        return merged


def _iris(nodes: Iterable[Node]) -> list[str]:
    return [str(node) for node in nodes if isinstance(node, URIRef)]


def _subclass_closure(ontology: Graph) -> dict[str, set[str]]:
    """Class -> itself and every class below it (rdfs:subClassOf*, named classes only)."""
    below: dict[str, set[str]] = defaultdict(set)
    for sub, sup in ontology.subject_objects(RDFS.subClassOf):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef):
            below[str(sup)].add(str(sub))
    closure: dict[str, set[str]] = {}

    def down(cls: str, seen: set[str]) -> set[str]:
        if cls in closure:
            return closure[cls]
        found = {cls}
        for sub in below.get(cls, ()):
            if sub not in seen:
                found |= down(sub, seen | {sub})
        closure[cls] = found
        return found

    for cls in list(below):
        down(cls, {cls})
    return closure


def _is_datatype(iri: str, ontology: Graph) -> bool:
    return iri.startswith(DATATYPE_NAMESPACES) or (URIRef(iri), RDF.type, RDFS.Datatype) in ontology


def _property_choice(path: URIRef, shape: Node, shapes: Graph, ontology: Graph) -> PropertyChoice:
    choice = PropertyChoice(str(path))
    choice.ranges.update(_iris(shapes.objects(shape, SH["class"])))
    literal_kind = any(kind in LITERAL_KINDS for kind in shapes.objects(shape, SH.nodeKind))
    if (shape, SH.datatype, None) in shapes or literal_kind:
        choice.literal = True
    if not choice.ranges and not choice.literal:
        for declared in _iris(ontology.objects(path, RDFS.range)):
            if _is_datatype(declared, ontology):
                choice.literal = True
            else:
                choice.ranges.add(declared)
        if (path, RDF.type, OWL.DatatypeProperty) in ontology:
            choice.literal = True
    if choice.literal:
        choice.ranges.clear()
    return choice


def _merge(into: dict[str, PropertyChoice], choice: PropertyChoice) -> None:
    known = into.get(choice.iri)
    if known is None:
        into[choice.iri] = PropertyChoice(choice.iri, set(choice.ranges), choice.literal)
    else:
        # one shape saying "text" (rdfs:label's datatype) outweighs another that says nothing
        known.literal = known.literal or choice.literal
        known.ranges = set() if known.literal else known.ranges | choice.ranges


def builder_choices(shapes: Graph, ontology: Graph) -> BuilderChoices:
    """What the builder offers, from the shapes graph and the ontology graph."""
    closure = _subclass_closure(ontology)
    # target class -> the properties its shapes constrain
    own: dict[str, dict[str, PropertyChoice]] = defaultdict(dict)
    for shape, target in shapes.subject_objects(SH.targetClass):
        if not isinstance(target, URIRef):
            continue
        by_path = own[str(target)]
        for property_shape in shapes.objects(shape, SH.property):
            for path in shapes.objects(property_shape, SH.path):
                if isinstance(path, URIRef):  # a sequence or inverse path is not a choice
                    _merge(by_path, _property_choice(path, property_shape, shapes, ontology))
    # every class a choice names: the targets, the ranges of their properties, their subclasses
    named = set(own)
    for by_path in own.values():
        for choice in by_path.values():
            named |= choice.ranges
    for cls in list(named):
        named |= closure.get(cls, set())
    subclasses = {cls: sorted(closure.get(cls, {cls})) for cls in sorted(named)}
    superclasses = {
        cls: sorted(target for target in own if cls in closure.get(target, {target}))
        for cls in subclasses
    }
    return BuilderChoices(dict(own), subclasses, superclasses)
