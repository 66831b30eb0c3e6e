"""/openapi.json: made from the named queries' headers, valid OpenAPI 3, fuzzed by schemathesis.

Schemathesis runs in-process against the Flask app (its WSGI support), over every operation of
the document, with schema-valid (positive) and schema-invalid (negative) requests. It checks that
no answer is a 5xx and that every answer has a status and content type the document declares,
with a body that fits its schema.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from openapi_spec_validator import validate
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

logger = logging.getLogger(__name__)

QUERIES = Path(__file__).resolve().parent.parent / "queries"
ID = "https://w3id.org/cybercrime-kg/id/"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES_PER_OPERATION = 20  # per generation mode


@schemathesis.serializer("application/sparql-query")
def _sparql_query_body(ctx: object, value: object) -> bytes:
    """A direct POST body is the query text itself."""
    return str(value).encode("utf-8")


@pytest.fixture
def document(graph_client):
    response = graph_client.get("/openapi.json")
    assert (response.status_code, response.content_type) == (200, "application/json")
    return response.get_json()


def test_document_validates(document):
    validate(document)


def test_one_path_per_named_query(document):
    names = sorted(p.stem for p in QUERIES.glob("*.rq"))
    assert len(names) == 22
    assert set(document["paths"]) == {"/sparql", "/queries"} | {f"/queries/{n}" for n in names}
    assert {
        op["operationId"] for n in names for op in document["paths"][f"/queries/{n}"].values()
    } == set(names)
    assert set(document["paths"]["/sparql"]) == {"get", "post"}


def test_parameters_come_from_the_header(document):
    operation = document["paths"]["/queries/list-stances-on-topic"]["get"]
    assert operation["summary"] == (
        "Every stance taken on a topic (or any narrower topic): holders, position, target,"
        " arguments, the source passages and the document that reports it"
    )
    assert operation["description"] == (
        "就某一议题(含下位议题)所持的全部立场:持有方、立场类型、针对主张、论据、来源原文及报道文件"
    )
    assert operation["parameters"] == [
        {
            "name": "topic",
            "in": "query",
            "required": True,
            "description": f"IRI of a topic, e.g. {ID}topic/budapest-convention",
            "schema": {
                "type": "string",
                "format": "uri",
                "pattern": '^https?://[^/?#\\x00-\\x20<>"{}|^`\\\\][^\\x00-\\x20<>"{}|^`\\\\]*$',
            },
            "example": f"{ID}topic/budapest-convention",
        },
        {
            "name": "format",
            "in": "query",
            "required": False,
            "description": "the answer's format, overriding Accept (a name or a media type)",
            "schema": {"type": "string", "enum": ["json", "xml", "csv", "tsv"]},
        },
    ]
    assert set(operation["responses"]) == {"200", "400", "406", "503"}
    assert set(operation["responses"]["200"]["content"]) == {
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    }


def test_parameterless_query_takes_only_format(document):
    operation = document["paths"]["/queries/list-meetings"]["get"]
    assert [p["name"] for p in operation["parameters"]] == ["format"]


def _fuzz(operation: schemathesis.APIOperation, mode: GenerationMode, calls: Counter[str]) -> None:
    """Send EXAMPLES_PER_OPERATION generated requests to one operation; check every answer."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        derandomize=True,  # the same requests on every run
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: schemathesis.Case) -> None:
        calls[operation.label] += 1
        case.call_and_validate(checks=CHECKS)

    run()


def test_schemathesis_finds_no_server_error(graph_app):
    """Every operation, positive and negative requests: no 5xx, nothing undeclared."""
    schema = schemathesis.openapi.from_wsgi("/openapi.json", graph_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    calls: Counter[str] = Counter()
    started = time.perf_counter()
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _fuzz(operation, mode, calls)
    logger.info(
        "schemathesis: %d operations, %d requests in %.1f s",
        len(operations),
        sum(calls.values()),
        time.perf_counter() - started,
    )
    assert len(operations) == 25  # /sparql GET and POST, /queries, the 22 named queries
    assert set(calls) == {op.label for op in operations}
