"""DESIGN.md's import rule: config wires everything; the consoles use core and tenants but never
each other; core uses tenants; tenants uses neither core nor a console."""

import ast
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
PACKAGES = {
    "tenants": PROJECT / "tenants",
    "core": PROJECT / "core",
    "state_admin": PROJECT / "platform" / "state_admin",
    "district_admin": PROJECT / "district_admin",
}
FORBIDDEN = {
    "tenants": {"core", "state_admin", "district_admin", "config"},
    "core": {"state_admin", "district_admin", "config"},
    "state_admin": {"district_admin", "config"},
    "district_admin": {"state_admin", "config"},
}


def _imported_packages(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_package_imports_only_what_its_layer_may(package):
    offenders = {
        str(path.relative_to(PROJECT)): sorted(_imported_packages(path) & FORBIDDEN[package])
        for path in PACKAGES[package].rglob("*.py")
        if _imported_packages(path) & FORBIDDEN[package]
    }
    assert offenders == {}


def test_platform_is_not_a_python_package():
    assert not (PROJECT / "platform" / "__init__.py").exists()
