"""GET /openapi.json: an OpenAPI 3.0 document of /sparql, /queries and every named query.

The named-query operations are generated from the queries' headers, so the document always
matches the queries the server loaded. The document is built once per app.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify

from cybercrime_kg import __version__
from cybercrime_kg.formats import GRAPH_FORMATS, RESULT_FORMATS, Format
from cybercrime_kg.sparql.engines.base import SELECT
from cybercrime_kg.sparql.named_queries import IRI, NamedQuery, Parameter
from cybercrime_kg.sparql.results import formats_for
from cybercrime_kg.web.http import named_queries
from cybercrime_kg.web.queries_api import LIST_FORMATS

bp = Blueprint("openapi", __name__)

EXTENSION = "cybercrime_kg.openapi"
# what Parameter.term accepts: http(s), a host, no character SPARQL forbids in an IRI
IRI_PATTERN = r'^https?://[^/?#\x00-\x20<>"{}|^`\\][^\x00-\x20<>"{}|^`\\]*$'
Json = dict[str, Any]


def _ref(kind: str, name: str) -> Json:
    return {"$ref": f"#/components/{kind}/{name}"}


def _body_schema(fmt: Format) -> Json:
    if fmt.media_type == "application/sparql-results+json":
        return _ref("schemas", "SparqlJsonResults")
    if fmt.name == "jsonld":
        return {}  # any JSON
    return {"type": "string"}


def _ok(description: str, formats: tuple[Format, ...]) -> Json:
    return {
        "description": description,
        "content": {f.media_type: {"schema": _body_schema(f)} for f in formats},
    }


def _errors(*statuses: int) -> Json:
    return {str(status): _ref("responses", f"E{status}") for status in statuses}


def _format_parameter(formats: tuple[Format, ...]) -> Json:
    return {
        "name": "format",
        "in": "query",
        "required": False,
        "description": "the answer's format, overriding Accept (a name or a media type)",
        "schema": {"type": "string", "enum": [f.name for f in formats]},
    }


def _query_parameter(param: Parameter) -> Json:
    schema: Json = {"type": "string"}
    if param.kind == IRI:
        schema.update(format="uri", pattern=IRI_PATTERN)
    out: Json = {
        "name": param.name,
        "in": "query",
        "required": True,
        "description": param.description,
        "schema": schema,
    }
    if param.example:
        out["example"] = param.example
    return out


def _named_operation(query: NamedQuery) -> Json:
    formats = formats_for(query.form)
    return {
        "get": {
            "operationId": query.name,
            "tags": ["named queries"],
            "summary": query.summary,
            "description": query.summary_zh,
            "parameters": [
                *(_query_parameter(p) for p in query.parameters),
                _format_parameter(formats),
            ],
            "responses": {
                "200": _ok(f"the {query.form} answer", formats),
                **_errors(400, 406, 503),
            },
        }
    }


def _graph_uri_parameters() -> list[Json]:
    return [
        {
            "name": name,
            "in": "query",
            "required": False,
            "description": "a local named graph (SPARQL 1.1 Protocol); other IRIs are a 400",
            "schema": {"type": "array", "items": {"type": "string"}},
            "style": "form",
            "explode": True,
        }
        for name in ("default-graph-uri", "named-graph-uri")
    ]


def _sparql_path() -> Json:
    answers = _ok(
        "the answer (SELECT/ASK: results formats; CONSTRUCT/DESCRIBE, or no query: graph formats)",
        RESULT_FORMATS + GRAPH_FORMATS,
    )
    responses = {"200": answers, **_errors(400, 403, 406, 413, 503)}
    form_fields = {"query": _string(), **{p["name"]: p["schema"] for p in _graph_uri_parameters()}}
    text = "a SPARQL 1.1 query; without one, GET answers with the service description"
    return {
        "get": {
            "operationId": "sparql-get",
            "tags": ["SPARQL"],
            "summary": "SPARQL 1.1 Protocol query by GET",
            "parameters": [
                {
                    "name": "query",
                    "in": "query",
                    "required": False,
                    "description": text,
                    "schema": {"type": "string"},
                },
                *_graph_uri_parameters(),
                _format_parameter(RESULT_FORMATS + GRAPH_FORMATS),
            ],
            "responses": responses,
        },
        "post": {
            "operationId": "sparql-post",
            "tags": ["SPARQL"],
            "summary": "SPARQL 1.1 Protocol query by POST (form or direct)",
            "requestBody": {
                "required": True,
                "content": {
                    "application/x-www-form-urlencoded": {
                        "schema": {
                            "type": "object",
                            "properties": form_fields,
                            "required": ["query"],
                        }
                    },
                    "application/sparql-query": {"schema": {"type": "string"}},
                },
            },
            "responses": {**responses, **_errors(415)},
        },
    }


def _list_path() -> Json:
    listing = _ok("every named query", LIST_FORMATS)
    listing["content"]["application/json"]["schema"] = _ref("schemas", "QueryList")
    return {
        "get": {
            "operationId": "list-queries",
            "tags": ["named queries"],
            "summary": "The named queries: summaries (en, zh), parameters, URL and text",
            "parameters": [_format_parameter(LIST_FORMATS)],
            "responses": {"200": listing, **_errors(406)},
        }
    }


def _string(**extra: Any) -> Json:
    return {"type": "string", **extra}


def _object(required: list[str], /, **properties: Json) -> Json:
    return {"type": "object", "required": required, "properties": properties}


def _components() -> Json:
    error = _object(
        ["error"],
        error=_object(["status", "message"], status={"type": "integer"}, message=_string()),
    )
    parameter = _object(
        ["name", "kind", "description", "required"],
        name=_string(),
        kind=_string(enum=["literal", "iri"]),
        description=_string(),
        required={"type": "boolean"},
        example=_string(nullable=True),
    )
    query = _object(
        ["name", "summary", "form", "parameters", "formats", "url", "query"],
        name=_string(),
        summary=_object(["en", "zh"], en=_string(), zh=_string()),
        form=_string(enum=[SELECT, "ASK", "CONSTRUCT", "DESCRIBE"]),
        parameters={"type": "array", "items": parameter},
        formats={"type": "array", "items": _string()},
        url=_string(),
        query=_string(),
    )
    reasons = {
        400: "the request is wrong (the message says how)",
        403: "SPARQL Update is refused: the endpoint is read-only",
        406: "no acceptable format (the message lists those available)",
        413: "the request or the query is too large",
        415: "unsupported Content-Type for a POST",
        503: "busy, or the query ran out of time",
    }
    return {
        "schemas": {
            "Error": error,
            "QueryList": _object(["queries"], queries={"type": "array", "items": query}),
            "SparqlJsonResults": _object(
                ["head"],
                head={"type": "object"},
                results=_object(["bindings"], bindings={"type": "array"}),
                boolean={"type": "boolean"},
            ),
        },
        "responses": {
            f"E{status}": {
                "description": reason,
                "content": {
                    "text/plain": {"schema": _string()},
                    "application/json": {"schema": _ref("schemas", "Error")},
                },
            }
            for status, reason in reasons.items()
        },
    }


def build(queries: dict[str, NamedQuery]) -> Json:
    """The OpenAPI document for these named queries."""
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "cybercrime-kg",
            "version": __version__,
            "description": "SPARQL 1.1 endpoint and named queries of a knowledge graph of the"
            " UN Open-ended Intergovernmental Expert Group on Cybercrime",
            "license": {"name": "Apache-2.0"},
        },
        "paths": {
            "/sparql": _sparql_path(),
            "/queries": _list_path(),
            **{f"/queries/{name}": _named_operation(q) for name, q in queries.items()},
        },
        "components": _components(),
    }


@bp.get("/openapi.json")
def document() -> Response:
    """The OpenAPI document, built on first use."""
    doc = current_app.extensions.get(EXTENSION)
    if doc is None:
        doc = current_app.extensions[EXTENSION] = build(named_queries())
    return jsonify(doc)
