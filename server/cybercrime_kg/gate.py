"""The serving gate: data that does not conform to the shapes is not served unless allowed.

Validating the whole graph with pySHACL takes seconds (87 s at 100k triples), so a success is
remembered per data version (a hash of every file's content): a server restarted on unchanged
data starts at once, and so does the first one when `cybercrime-kg validate` has passed the same
data before (a deployment can validate once, ahead of serving).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path

from . import validate
from .dataset import Part, version_of

logger = logging.getLogger(__name__)


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


def check(parts: Sequence[Part], allow_invalid: bool = False) -> None:
    """Raise NotConforming unless the data conforms (or `allow_invalid`, which logs a warning)."""
    marker = cache_dir() / version_of(parts)
    if marker.exists():
        logger.info("data version %s was validated before: conforms", marker.name)
        return
    report = validate.require_conformance(parts, allow_invalid=allow_invalid)
    if report.conforms:
        remember(parts)
        logger.info("data conforms to the shapes (%.1f s)", report.seconds)
