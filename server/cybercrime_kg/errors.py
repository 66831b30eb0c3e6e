"""The project's exception tree: each error knows the HTTP status it maps to."""

from __future__ import annotations


class KGError(Exception):
    """Base of every error this package raises on purpose."""

    status = 500


class DataError(KGError):
    """A data, ontology or shapes file cannot be read or parsed."""

    status = 500


class NotConforming(KGError):
    """The data does not conform to the shapes."""

    status = 500


class RequestError(KGError):
    """The client sent a request the service cannot answer (HTTP 4xx)."""

    status = 400

    def __init__(self, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.headers = headers or {}


class QuerySyntaxError(RequestError):
    """The query is not valid SPARQL 1.1 (the message carries the position)."""


class UnknownGraph(RequestError):
    """A dataset clause or parameter names a graph that is not one of the local graphs."""


class ServiceRefused(RequestError):
    """SERVICE names an endpoint that is not on the allowlist."""


class UpdateRefused(RequestError):
    """SPARQL Update sent to the read-only query endpoint."""

    status = 403


class UnsupportedQuery(RequestError):
    """A valid query the engine cannot evaluate (a function it does not know ...)."""


class NotAcceptable(RequestError):
    """No format the client accepts is available for this answer."""

    status = 406


class PayloadTooLarge(RequestError):
    """The request or the query is larger than the configured cap."""

    status = 413


class UnsupportedMediaType(RequestError):
    """A POST body in a media type the protocol does not define for queries."""

    status = 415


class Unavailable(RequestError):
    """The service is too busy or the query ran out of time (HTTP 503)."""

    status = 503


class QueryTimeout(Unavailable):
    """The query ran longer than the time limit and was stopped."""


class QueryAborted(Unavailable):
    """The query's process ended while evaluating it: out of its memory, or the engine failed."""


class Overloaded(Unavailable):
    """Every query worker stayed busy for longer than the queue wait."""


class BadGateway(Unavailable):
    """The remote endpoint cannot be reached, failed, or sent an unreadable answer."""

    status = 502


class GatewayTimeout(Unavailable):
    """The remote endpoint did not answer within its share of the query time limit."""

    status = 504


class EngineError(KGError):
    """The engine failed on a query it had accepted: a server fault, logged."""

    status = 500
