"""Assertions shared by the quality tests."""

from __future__ import annotations


def assert_none(offenders: list, what: str) -> None:
    """Fail with every offender, one per line (pytest shortens long list diffs)."""
    assert offenders == [], f"{len(offenders)} {what}:\n" + "\n".join(map(str, offenders))
