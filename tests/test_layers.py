"""The package's layers, as the folders show them: imports point one way, downwards, and no
module imports another that imports it back (directly or round a loop), lazily or not."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).parent.parent / "src" / "painref"
# Lower layers first; a module may import its own layer and those below it.
LAYERS = {"errors": 0, "model": 1, "store": 2, "query": 3, "render": 4, "cli": 5}
MAX_LINES = 420


def _module(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every painref module a file imports, at the top or inside a function."""
    module = _module(path)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if target.startswith("painref"):
                found.add(target)
                found.update(f"{target}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("painref"))
    return found


FILES = sorted(SRC.rglob("*.py"))
MODULES = {_module(path): path for path in FILES}


def _graph() -> dict[str, set[str]]:
    graph = {}
    for name, path in MODULES.items():
        # The root package only holds the version and lazy library helpers (see its docstring).
        graph[name] = {t for t in _imports(path) if t in MODULES and t != "painref"}
    return graph


def _layer(module: str) -> int | None:
    parts = module.split(".")
    return LAYERS.get(parts[1]) if len(parts) > 1 else None


def test_no_import_cycles() -> None:
    graph = _graph()
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph[node]):
            if target == node or target.startswith(node + "."):
                continue  # a package importing its own modules
            if state.get(target) == 1:
                cycles.append([*trail[trail.index(target) :], target])
            elif target not in state:
                visit(target, [*trail, target])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _layer(m) is not None))
def test_imports_point_down_the_layers(module: str) -> None:
    own = _layer(module)
    assert own is not None
    upward = [t for t in _graph()[module] if (_layer(t) or 0) > own]
    assert upward == []


def test_the_core_knows_nothing_of_terminals_or_typer() -> None:
    for name, path in MODULES.items():
        if (_layer(name) or 0) <= LAYERS["query"]:
            text = path.read_text("utf-8")
            assert "import typer" not in text and "from rich" not in text, name


@pytest.mark.parametrize("path", FILES, ids=[_module(p) for p in FILES])
def test_no_module_outgrows_one_sitting(path: Path) -> None:
    assert len(path.read_text("utf-8").splitlines()) <= MAX_LINES
