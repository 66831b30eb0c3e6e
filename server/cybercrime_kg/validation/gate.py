"""The serving gate: data that does not conform to the shapes is not served unless allowed.

A success is remembered per data version (a hash of every file's content): a server restarted on
unchanged data starts at once, and so does the first one when `cybercrime-kg validate` has passed
the same data before (a deployment can validate once, ahead of serving). The gate validates with
the engine CYBERCRIME_KG_VALIDATOR names (fast, the default, or pyshacl).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from rdflib import Dataset

from cybercrime_kg.dataset import Part, version_of
from cybercrime_kg.errors import NotConforming
from cybercrime_kg.validation.engines import ENGINES, validate_graphs, validate_loaded
from cybercrime_kg.validation.loading import graphs_from_dataset, load_parts
from cybercrime_kg.validation.report import Report

logger = logging.getLogger(__name__)

VALIDATOR_ENV = "CYBERCRIME_KG_VALIDATOR"
DEFAULT_ENGINE = "fast"


def default_engine() -> str:
    """The engine named by $CYBERCRIME_KG_VALIDATOR, else fast."""
    engine = os.environ.get(VALIDATOR_ENV, "").strip() or DEFAULT_ENGINE
    if engine not in ENGINES:
        raise ValueError(f"{VALIDATOR_ENV}={engine!r}: one of {', '.join(ENGINES)}")
    return engine


def validate_parts(
    parts: Iterable[Part] | None = None, inference: str = "none", engine: str | None = None
) -> Report:
    """Validate the project's files (or the given parts): ontology, data and public record."""
    engine = engine or default_engine()
    return validate_loaded(load_parts(parts, engine), engine, inference)


def require_conformance(
    source: Dataset | Iterable[Part] | None = None,
    allow_invalid: bool = False,
    engine: str | None = None,
) -> Report:
    """Raise NotConforming unless the data conforms or `allow_invalid` is set."""
    if isinstance(source, Dataset):
        report = validate_graphs(*graphs_from_dataset(source), engine=engine or default_engine())
    else:
        report = validate_parts(source, engine=engine)
    if not report.conforms:
        if not allow_invalid:
            raise NotConforming(report.summary())
        logger.warning(
            "serving data that does not conform (allowed explicitly):\n%s", report.summary()
        )
    return report


def cache_dir() -> Path:
    """Where successful validations are remembered ($XDG_CACHE_HOME or ~/.cache)."""
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "cybercrime-kg" / "conforms"


def remember(parts: Sequence[Part]) -> None:
    """Note that this data version conforms, so that serving it need not validate it again."""
    marker = cache_dir() / version_of(parts)
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text("conforms\n", encoding="utf-8")
    except OSError as exc:  # a read-only home only costs the next start-up a validation
        logger.warning("cannot remember the validation in %s: %s", marker, exc)


def serving_gate(parts: Sequence[Part], allow_invalid: bool = False) -> None:
    """Raise NotConforming unless the data conforms (or `allow_invalid`, which logs a warning)."""
    marker = cache_dir() / version_of(parts)
    if marker.exists():
        logger.info("data version %s was validated before: conforms", marker.name)
        return
    report = require_conformance(parts, allow_invalid=allow_invalid)
    if report.conforms:
        remember(parts)
        logger.info("data conforms to the shapes (%.1f s)", report.seconds)
