"""SHACL validation of the ontology and data, and the serving gate that relies on it.

May import: config, dataset and the ground floor (namespaces, paths, errors, cache, formats).

The data graph is ontology + data + public record, validated without inference. SHACL's sh:class
and sh:targetClass already follow rdfs:subClassOf in the data graph, which holds the ontology, so
subclass instances are recognised. RDFS inference would do harm here: range entailment types any
IRI used as an object, so a dangling or mistyped reference would pass sh:class, and sub-property
entailment (ieg:accordingTo below prov:wasDerivedFrom) would put documents where passages belong.
Validation happens in memory; no file is ever written.

Modules: `loading` (files or a dataset into an rdflib Graph or an Oxigraph store), `plan` (which
engine checks which shape), `sparql_rules` (SPARQL constraints as one query per constraint on
Oxigraph), `engines` (pySHACL, the reference, and the fast engine), `report` (Report, Violation),
`gate` (the serving gate and the engine it uses).
"""

from cybercrime_kg.validation.engines import (
    ENGINES,
    INFERENCE_CHOICES,
    validate_graphs,
    validate_loaded,
)
from cybercrime_kg.validation.gate import (
    DEFAULT_ENGINE,
    VALIDATOR_ENV,
    cache_dir,
    default_engine,
    remember,
    require_conformance,
    serving_gate,
    validate_parts,
)
from cybercrime_kg.validation.loading import (
    Loaded,
    command_parts,
    files_of,
    graphs_from_dataset,
    graphs_from_parts,
    load_parts,
    parse_file,
)
from cybercrime_kg.validation.report import SHAPES_NS, Report, Violation, bind_prefixes, one_line

__all__ = [
    "DEFAULT_ENGINE",
    "ENGINES",
    "INFERENCE_CHOICES",
    "SHAPES_NS",
    "VALIDATOR_ENV",
    "Loaded",
    "Report",
    "Violation",
    "bind_prefixes",
    "cache_dir",
    "command_parts",
    "default_engine",
    "files_of",
    "graphs_from_dataset",
    "graphs_from_parts",
    "load_parts",
    "one_line",
    "parse_file",
    "remember",
    "require_conformance",
    "serving_gate",
    "validate_graphs",
    "validate_loaded",
    "validate_parts",
]
