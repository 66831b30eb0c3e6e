"""Where the ontology, data, shapes and named queries live, installed or in a checkout."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_RESOURCE_DIRS = ("ontology", "data", "shapes", "queries")


@dataclass(frozen=True)
class Layout:
    """The four resource folders of one copy of the project."""

    root: Path

    @property
    def ontology(self) -> Path:
        return self.root / "ontology"

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def sources(self) -> Path:
        return self.root / "data" / "sources"

    @property
    def public_record(self) -> Path:
        return self.root / "data" / "public-record"

    @property
    def shapes(self) -> Path:
        return self.root / "shapes"

    @property
    def queries(self) -> Path:
        return self.root / "queries"


def _is_layout(root: Path) -> bool:
    return all((root / name).is_dir() for name in _RESOURCE_DIRS)


def project_layout() -> Layout:
    """Locate the resources: $CYBERCRIME_KG_HOME, else a checkout, else the installed copy."""
    override = os.environ.get("CYBERCRIME_KG_HOME")
    if override:
        root = Path(override).resolve()
        if not _is_layout(root):
            raise FileNotFoundError(
                f"CYBERCRIME_KG_HOME={override} has no {', '.join(_RESOURCE_DIRS)} folders"
            )
        return Layout(root)
    checkout = _PACKAGE_DIR.parent.parent
    if _is_layout(checkout) and (checkout / "pyproject.toml").is_file():
        return Layout(checkout)
    installed = _PACKAGE_DIR / "_resources"
    if _is_layout(installed):
        return Layout(installed)
    raise FileNotFoundError("cannot find the ontology, data, shapes and queries folders")
