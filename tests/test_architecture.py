"""The shape of the package: a one-way import graph, no stage using another's private names,
and no format known outside the formats package (a new format is one new module there)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import REPO

from aligner.formats import FORMATS

PACKAGE = REPO / "aligner"
# Each module or subpackage may import only from those of a lower rank (or from itself): the data
# flows parse → segment → align → export, and what reads the pipeline's outputs comes after it.
RANKS = {
    "errors": 0, "version": 0, "collector": 0,
    "scripts": 1, "xmltext": 1, "files": 1, "dates": 1,
    "encoding": 2, "languages": 2,
    "model": 3,
    "parse": 4,
    "segment": 5, "embeddings": 5,
    "align": 6,
    "formats": 7,
    "settings": 8,
    "pipeline": 9,
    "store": 10,
    "check": 11, "evaluate": 11, "score": 11, "convert": 11,
    "review": 12,
    "cli": 13, "__init__": 13, "__main__": 14,
}


def modules() -> list[tuple[str, Path, ast.Module]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        found.append((parts[0], path, ast.parse(path.read_text(encoding="utf-8"))))
    return found


def imported(tree: ast.Module) -> list[tuple[str, list[str]]]:
    """(module, names) of every ``from aligner… import`` and ``import aligner…``."""
    result = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("aligner"):
            result.append((node.module, [alias.name for alias in node.names]))
        elif isinstance(node, ast.Import):
            result += [(alias.name, []) for alias in node.names if alias.name.startswith("aligner")]
    return result


def unit_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_every_module_has_a_rank() -> None:
    assert {unit for unit, _, _ in modules()} <= set(RANKS)


@pytest.mark.parametrize("unit, path, tree", modules(), ids=[str(p.relative_to(PACKAGE)) for _, p, _ in modules()])
def test_imports_go_one_way(unit: str, path: Path, tree: ast.Module) -> None:
    for module, _ in imported(tree):
        target = unit_of(module)
        assert RANKS[target] <= RANKS[unit], f"{path.relative_to(REPO)} imports {module}"
        if target == unit == "__init__":
            continue
        assert not (RANKS[target] == RANKS[unit] and target != unit), f"{path.relative_to(REPO)} imports {module}"


def test_no_stage_imports_another_stages_private_names() -> None:
    offences = [
        f"{path.relative_to(REPO)}: {module}.{name}"
        for unit, path, tree in modules()
        for module, names in imported(tree)
        for name in names
        if name.startswith("_") and not name.startswith("__") and unit_of(module) != unit
    ]
    assert not offences


def test_no_format_is_named_outside_the_formats_package() -> None:
    """Code outside aligner/formats/ knows formats only through the registry's interface."""
    names = set(FORMATS) | {suffix for fmt in FORMATS.values() for suffix in fmt.suffixes}
    offences = []
    for unit, path, tree in modules():
        if unit == "formats":
            continue
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body
            and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                if node.value.lower() in names:
                    offences.append(f"{path.relative_to(REPO)}:{node.lineno}: {node.value!r}")
        for module, _ in imported(tree):
            if module.startswith("aligner.formats."):
                offences.append(f"{path.relative_to(REPO)}: imports {module}")
    assert not offences
