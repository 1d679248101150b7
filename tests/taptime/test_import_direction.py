"""The import direction of docs/architecture.md: billing builds on marketplace, never the reverse."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_marketplace_never_imports_billing():
    offenders = {
        str(path.relative_to(ROOT)): sorted(name for name in imported_modules(path) if name.split(".")[0] == "billing")
        for path in (ROOT / "marketplace").rglob("*.py")
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_the_check_would_see_an_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from billing.checkout import booking_pay\n")
    assert "billing.checkout" in imported_modules(sample)
