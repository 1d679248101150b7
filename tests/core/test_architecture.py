"""The import map of docs/architecture.md is a test: import-linter's contracts, a control that
proves they would see a forbidden import, and no function-level import outside AppConfig.ready."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
APPS = ["accounts", "api", "billing", "blog", "bookings", "cms_pages", "core", "demo", "marketplace"]
APPS += ["insights", "learning", "notifications", "reviews", "search", "taptime"]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
# A module this long is doing more than one job; split it (generated migrations aside).
MAX_MODULE_LINES = 400


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own virtualenv's tool, fixed arguments
        [str(LINT_IMPORTS), "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_every_import_contract_is_kept():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout[-3000:]
    assert " broken" in result.stdout and "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("probe", "source", "contract"),
    [
        ("core/_probe.py", "import marketplace.models\n", "Apps import only downward"),
        ("marketplace/_probe.py", "def f():\n    import bookings.models\n", "Apps import only downward"),
        ("cms_pages/_probe.py", "from billing import models\n", "never bookings or money"),
        ("marketplace/selectors/_probe.py", "from marketplace.services import profiles\n", "Inside the catalogue"),
        ("bookings/models/_probe.py", "from bookings.selectors import busy\n", "Inside bookings"),
        ("billing/selectors_probe.py", "", None),  # an unlisted module changes nothing
    ],
)
def test_the_contracts_would_see_a_forbidden_import(tmp_path, probe, source, contract):
    for name in [*APPS, ".importlinter"]:
        source_path = ROOT / name
        if source_path.is_dir():
            shutil.copytree(source_path, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "migrations"))
        else:
            shutil.copy(source_path, tmp_path / name)
    (tmp_path / probe).write_text(source)
    result = lint_imports(tmp_path)
    if contract is None:
        assert result.returncode == 0, result.stdout[-2000:]
    else:
        assert result.returncode == 1
        assert f"{contract}" in result.stdout.replace("\n", " ") and "BROKEN" in result.stdout


def _function_level_imports(path: Path, root: Path = ROOT) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name != "ready":
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    found.append(f"{path.relative_to(root)}:{inner.lineno} in {node.name}()")
    return found


def _app_modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_no_import_hides_inside_a_function():
    # AppConfig.ready() is where Django wants signal wiring imported; anything else goes at the top,
    # where the contracts see it and a cycle cannot hide.
    found = [entry for path in _app_modules() for entry in _function_level_imports(path)]
    assert found == []


def test_the_function_level_check_would_see_one(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import os\n\n\ndef f():\n    from billing.services import checkout\n")
    assert _function_level_imports(sample, root=tmp_path) == ["sample.py:5 in f()"]


def test_no_module_outgrows_one_sitting():
    lengths = {str(path.relative_to(ROOT)): len(path.read_text().splitlines()) for path in _app_modules()}
    assert {name: lines for name, lines in lengths.items() if lines > MAX_MODULE_LINES} == {}
