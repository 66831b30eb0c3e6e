"""The package's layers: imports point one way (cli -> app -> ld -> web -> sparql -> core) and
form no cycle, counting every import, those inside functions and TYPE_CHECKING blocks too."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "server" / "cybercrime_kg"

# Lowest first. A module may import modules of its own layer or below, never above.
LAYERS = (
    ("ground", ("", "namespaces", "paths", "errors", "cache", "formats", "terms")),
    ("core", ("config", "dataset", "validation")),
    ("sparql", ("sparql",)),
    ("web", ("web",)),
    ("ld", ("ld",)),
    ("app", ("app",)),
    ("cli", ("cli",)),
)

Graph = dict[str, set[str]]


def modules(root: Path) -> dict[str, Path]:
    """Every module of the package at `root`, by dotted name (a package by its own name)."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = (root.name, *path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _imported(name: str, path: Path, tree: ast.AST) -> Iterator[str]:
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            yield module
            yield from (f"{module}.{alias.name}" for alias in node.names)


def import_graph(root: Path) -> Graph:
    """Module -> the package's modules it imports (`from p import m` counts as importing p.m)."""
    known = modules(root)
    graph: Graph = {name: set() for name in known}
    for name, path in known.items():
        for target in _imported(name, path, ast.parse(path.read_text(encoding="utf-8"))):
            while target and target not in known:
                target = target.rpartition(".")[0]
            # a module's own package is not a dependency (its __init__ runs first anyway)
            if target and target != name and not name.startswith(target + "."):
                graph[name].add(target)
    return graph


def cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """Each strongly connected group of two or more modules (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def layer_of(module: str, root_name: str = "cybercrime_kg") -> int | None:
    """The layer's rank of a module of the package, None if no layer claims it."""
    relative = module.removeprefix(root_name).removeprefix(".")
    for rank, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if relative == prefix or (prefix and relative.startswith(prefix + ".")):
                return rank
    return None


def upward(graph: Mapping[str, set[str]]) -> list[str]:
    """Every import that points to a higher layer, as 'a (layer) -> b (layer)'."""
    wrong = []
    for source, targets in sorted(graph.items()):
        for target in sorted(targets):
            low, high = layer_of(source), layer_of(target)
            if low is not None and high is not None and high > low:
                wrong.append(f"{source} ({LAYERS[low][0]}) -> {target} ({LAYERS[high][0]})")
    return wrong


def test_every_module_has_a_layer() -> None:
    assert [m for m in modules(PACKAGE) if layer_of(m) is None] == []


def test_no_import_cycle() -> None:
    assert cycles(import_graph(PACKAGE)) == []


def test_imports_point_down_the_layers() -> None:
    assert upward(import_graph(PACKAGE)) == []


def test_the_layer_modules_say_what_they_may_import() -> None:
    for name in ("sparql", "web", "ld", "cli"):
        doc = ast.get_docstring(ast.parse((PACKAGE / name / "__init__.py").read_text()))
        assert doc is not None and "May import" in doc, name


# --- the checks themselves catch what they must --------------------------------------------


def write_package(root: Path, files: Mapping[str, str]) -> Path:
    package = root / "cybercrime_kg"
    for relative, text in files.items():
        path = package / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return package


def test_a_cycle_hidden_in_a_function_is_found(tmp_path: Path) -> None:
    package = write_package(
        tmp_path,
        {
            "__init__.py": "",
            "dataset.py": "from .validation import check\n",
            "validation.py": "def check():\n    from . import dataset\n",
            "sparql/__init__.py": "",
            "sparql/service.py": "from ..dataset import x\n",
        },
    )
    graph = import_graph(package)
    assert cycles(graph) == [["cybercrime_kg.dataset", "cybercrime_kg.validation"]]


def test_an_import_up_the_layers_is_found(tmp_path: Path) -> None:
    package = write_package(
        tmp_path,
        {
            "__init__.py": "",
            "sparql/__init__.py": "",
            "sparql/service.py": "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from cybercrime_kg.ld.labels import LabelIndex\n",
            "ld/__init__.py": "",
            "ld/labels.py": "from cybercrime_kg.sparql.service import QueryService\n",
        },
    )
    graph = import_graph(package)
    assert cycles(graph) == [["cybercrime_kg.ld.labels", "cybercrime_kg.sparql.service"]]
    assert upward(graph) == [
        "cybercrime_kg.sparql.service (sparql) -> cybercrime_kg.ld.labels (ld)"
    ]


@pytest.mark.parametrize(
    ("module", "layer"),
    [
        ("cybercrime_kg", "ground"),
        ("cybercrime_kg.formats", "ground"),
        ("cybercrime_kg.validation", "core"),
        ("cybercrime_kg.sparql.engines.base", "sparql"),
        ("cybercrime_kg.web.http", "web"),
        ("cybercrime_kg.ld.pages", "ld"),
        ("cybercrime_kg.cli.gunicorn_worker", "cli"),
    ],
)
def test_layer_of(module: str, layer: str) -> None:
    rank = layer_of(module)
    assert rank is not None and LAYERS[rank][0] == layer
