"""The project's generator scripts (scripts/ is not a package), imported from their files."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

from cybercrime_kg.paths import Layout


def load_script(layout: Layout, name: str) -> ModuleType:
    """scripts/<name>.py as a module."""
    spec = importlib.util.spec_from_file_location(name, layout.root / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # dataclasses look their module up in sys.modules while the class body runs.
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module
