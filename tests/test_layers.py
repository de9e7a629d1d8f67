"""The house's layers: the ground floor imports nothing above it, and no two selector modules
import each other."""

from __future__ import annotations

import ast
from pathlib import Path

HUSLY = Path(__file__).resolve().parent.parent / "husly"
GROUND_FLOOR = {"core", "organisation", "audit", "rules"}
"""``husly.core`` is the page shell (settings helpers, forms, page helpers, template tags);
it may lean on the organisation (users, roles), the audit log and the pure rules package (which
imports no Django), nothing else."""


def _husly_imports(path: Path) -> set[str]:
    """The second component of every ``husly.X`` import in a file (``husly.cases`` → cases)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "husly" and len(parts) > 1:
                found.add(parts[1])
    return found


def test_core_imports_no_app_above_it():
    offenders = {
        str(path.relative_to(HUSLY)): sorted(_husly_imports(path) - GROUND_FLOOR)
        for path in (HUSLY / "core").rglob("*.py")
        if "migrations" not in path.parts
    }
    assert {path: apps for path, apps in offenders.items() if apps} == {}


def test_no_two_selector_modules_import_each_other():
    selectors = {path.parent.name: path for path in HUSLY.glob("*/selectors.py")}
    imports = {app: _husly_imports(path) for app, path in selectors.items()}
    circles = sorted(
        (a, b)
        for a in imports
        for b in imports[a]
        if b in imports
        and a < b
        and a in imports[b]
        and _imports_selectors(selectors[b], a)
        and _imports_selectors(selectors[a], b)
    )
    assert circles == []


def _imports_selectors(path: Path, app: str) -> bool:
    text = path.read_text(encoding="utf-8")
    return f"husly.{app}.selectors" in text or f"from husly.{app} import selectors" in text


def _top_level_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[0] for a in node.names)
    return found


def test_the_simulation_is_pure_and_leans_only_on_the_pure_engines():
    """``husly.simulation`` imports no Django and, of Husly, only the pure engines it calls
    (``husly.matching`` for priority and fit, ``husly.rules``); the database side lives in
    ``husly.policy``."""
    offenders = {}
    for path in (HUSLY / "simulation").rglob("*.py"):
        husly = _husly_imports(path) - {"simulation", "matching", "rules"}
        django = {"django"} & _top_level_imports(path)
        if husly or django:
            offenders[str(path.relative_to(HUSLY))] = sorted(husly | django)
    assert offenders == {}
