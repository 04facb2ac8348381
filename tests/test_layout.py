"""The package's layout is its architecture: which part may import which, held by reading the imports."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "generator"
README = PACKAGE.parent / "README.md"

# What each part of the package may import, besides itself. The shared layer imports nothing else; the
# importer never imports the build; the preview and the command line are imported by nothing but the
# command line and ``python -m generator``.
ALLOWED = {
    "core": set(),
    "importing": {"core", "statistics"},
    "statistics": {"core"},
    "build": {"core", "statistics"},
    "search": {"core", "build"},
    "sketch": {"core", "build", "search"},
    "pipeline": {"core", "build", "search", "sketch", "statistics"},
    "scaffold": {"core"},
    "serve": {"core", "build", "search", "pipeline", "statistics"},
    "cli": {"core", "build", "search", "pipeline", "scaffold", "serve", "importing", "statistics", "__init__"},
    "__main__": {"cli"},
    "__init__": set(),
}


def _part(module: str) -> str:
    """The part of the package a dotted module name belongs to: its sub-package or top-level module."""
    return module.split(".")[1] if "." in module else "__init__"


def _imports(path: Path) -> set[str]:
    """The modules of the package that ``path`` imports, as dotted names."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("generator")}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("generator"):
            module = node.module or ""
            found |= {f"{module}.{alias.name}" if module == "generator" else module for alias in node.names}
    return found


def _modules() -> dict[str, Path]:
    return {
        ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts): path for path in sorted(PACKAGE.rglob("*.py"))
    }


def test_each_part_imports_only_the_parts_below_it() -> None:
    wrong = []
    for module, path in _modules().items():
        own = _part(module)
        for imported in _imports(path):
            # ``from generator import __version__`` names a value of the package itself.
            other = _part(imported) if _part(imported) in ALLOWED else "__init__"
            if other != own and other not in ALLOWED[own]:
                wrong.append(f"{module} imports {imported}")
    assert wrong == []


def test_every_part_has_a_place_in_the_layers() -> None:
    assert {_part(module) for module in _modules()} <= ALLOWED.keys()


def test_the_top_of_the_package_stays_small() -> None:
    top = [path.name for path in PACKAGE.glob("*.py")]
    packages = [path.name for path in PACKAGE.iterdir() if (path / "__init__.py").is_file()]
    assert len(top) <= 12 and len(packages) >= 3, (top, packages)


def test_readme_names_every_module() -> None:
    readme = README.read_text(encoding="utf-8")
    missing = [
        path.relative_to(PACKAGE.parent).as_posix()
        for path in _modules().values()
        if path.name != "__init__.py" and f"`{path.relative_to(PACKAGE.parent).as_posix()}`" not in readme
    ]
    assert missing == []
