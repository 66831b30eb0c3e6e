"""The service's rules for a query's dataset and SERVICE calls, applied before it runs.

Only local graphs may be chosen (FROM / FROM NAMED, or the protocol's default-graph-uri and
named-graph-uri, which override them): nothing is ever fetched. SERVICE calls need the endpoint
on the allowlist; a SERVICE on a variable, or one whose endpoint cannot be told, never runs.
"""

from __future__ import annotations

from collections.abc import Sequence

from cybercrime_kg.errors import ServiceRefused, UnknownGraph
from cybercrime_kg.sparql.engines.base import DatasetSpec
from cybercrime_kg.sparql.lexer import UNREADABLE, Outline


def check_services(outline: Outline, allowlist: Sequence[str]) -> None:
    """Refuse any SERVICE call to an endpoint that is not explicitly allowed."""
    for service in outline.services:
        if service in allowlist:
            continue
        if service.startswith(UNREADABLE):
            written = service[len(UNREADABLE) :]
            raise ServiceRefused(
                f"'{written[:60]}' reads as a SERVICE call whose endpoint cannot be told: write "
                "SERVICE, a space and the endpoint's IRI (and rename any prefix or name that "
                "holds the word SERVICE)"
            )
        if not allowlist:
            reason = "federated queries are disabled on this endpoint"
        elif service.startswith("?"):
            reason = "SERVICE on a variable is never allowed"
        else:
            reason = "the endpoint is not on this service's allowlist"
        name = service if service.startswith("?") else f"<{service}>"
        raise ServiceRefused(f"SERVICE {name} refused: {reason}")


def _local(names: Sequence[str], where: str, local: Sequence[str]) -> tuple[str, ...]:
    for name in names:
        if name not in local:
            known = ", ".join(f"<{g}>" for g in local)
            raise UnknownGraph(
                f"{where} <{name}> is not a graph of this dataset; this service never fetches "
                f"graphs, it only selects among its own: {known}"
            )
    return tuple(dict.fromkeys(names))


def resolve_dataset(
    outline: Outline,
    default_graph_uris: Sequence[str],
    named_graph_uris: Sequence[str],
    local: Sequence[str],
) -> DatasetSpec:
    """The query's dataset: protocol parameters override FROM / FROM NAMED (SPARQL 1.1 Protocol)."""
    if default_graph_uris or named_graph_uris:
        return DatasetSpec(
            _local(default_graph_uris, "default-graph-uri", local),
            _local(named_graph_uris, "named-graph-uri", local),
        )
    if outline.has_dataset_clause:
        return DatasetSpec(
            _local(outline.from_default, "FROM", local),
            _local(outline.from_named, "FROM NAMED", local),
        )
    return DatasetSpec()
