"""The house rules of the code base: the engine imports one way and never Dash, modules stay short."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENGINE = ROOT / "dashboard" / "engine"
SHORT = 300
"""Page, component and figure modules stay under this many lines."""
LONGEST = 450
"""No module anywhere is longer."""


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules(folder: Path) -> dict[str, Path]:
    return {_module_name(path): path for path in folder.rglob("*.py")}


def _imported(path: Path, known: set[str]) -> set[str]:
    """Modules of `known` that `path` imports anywhere (also under TYPE_CHECKING or in functions).

    `from package import name` counts as importing the submodule when `name` is one, else the
    package; the parents Python runs first are not counted (a package imports its own parts)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if submodule in known else node.module)
    return found & known


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of `graph` as a list of modules, or None."""
    state: dict[str, str] = {}
    trail: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = "open"
        trail.append(module)
        for other in sorted(graph[module]):
            if state.get(other) == "open":
                return trail[trail.index(other) :] + [other]
            if other not in state and (found := visit(other)):
                return found
        state[module] = "done"
        trail.pop()
        return None

    for module in sorted(graph):
        if module not in state and (found := visit(module)):
            return found
    return None


def test_the_engine_has_no_import_cycle():
    modules = _modules(ENGINE)
    graph = {name: _imported(path, set(modules)) - {name} for name, path in modules.items()}
    assert _cycle(graph) is None


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_the_engine_imports_no_dash_or_plotly():
    for path in ENGINE.rglob("*.py"):
        imports = _imported(path, {"dash", "plotly", "dash_bootstrap_components", "dash_ag_grid"})
        roots = {
            node.module.split(".")[0]
            for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.ImportFrom) and node.module
        }
        assert not imports and not roots & {"dash", "plotly"}, path


def test_at_most_four_modules_sit_directly_in_the_engine():
    assert len(list(ENGINE.glob("*.py"))) <= 4


@pytest.mark.parametrize("folder", ["dashboard/pages", "dashboard/figures", "components"])
def test_page_component_and_figure_modules_are_short(folder):
    long = {
        str(path.relative_to(ROOT)): n
        for path in (ROOT / folder).rglob("*.py")
        if (n := len(path.read_text().splitlines())) >= SHORT
    }
    assert long == {}


def test_no_module_is_over_the_longest_allowed():
    long = {
        str(path.relative_to(ROOT)): n
        for folder in ("dashboard", "components")
        for path in (ROOT / folder).rglob("*.py")
        if (n := len(path.read_text().splitlines())) > LONGEST
    }
    assert long == {}
