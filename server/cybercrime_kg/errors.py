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
