"""The rules core is pure: it imports no xlwings, openpyxl, CLI library or other adapter."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[1] / "lpsa_xl" / "rules"
FORBIDDEN = (
    "xlwings",
    "openpyxl",
    "click",
    "typer",
    "rich",
    "tqdm",
    "fastapi",
    "formulas",
    "pycel",
    "lpsa_xl.excel",
    "lpsa_xl.workbook",
    "lpsa_xl.check",
    "lpsa_xl.cli",
)


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
        elif isinstance(node, ast.ImportFrom) and node.level == 2:
            names.add(f"lpsa_xl.{node.module}")
    return names


def test_no_core_module_imports_an_adapter_library():
    offenders = {
        f"{path.name}: {name}"
        for path in CORE.glob("*.py")
        for name in _imports(path)
        if name.split(".")[0] in FORBIDDEN or name.startswith(FORBIDDEN)
    }
    assert not offenders


def test_importing_the_core_loads_no_adapter_library():
    code = (
        "import sys, lpsa_xl, lpsa_xl.rules; "
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r} "
        f"or m.startswith({FORBIDDEN!r})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=CORE.parents[1],
    )
    assert out.stdout.strip() == "[]"


def test_importing_the_core_does_not_import_pandas():
    code = "import sys, lpsa_xl; print('pandas' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=CORE.parents[1],
    )
    assert out.stdout.strip() == "False"
