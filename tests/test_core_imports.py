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
    "lpsa_xl.returns",
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
    assert _python(code) == "[]"


def test_importing_the_core_does_not_import_pandas():
    code = "import sys, lpsa_xl; print('pandas' in sys.modules)"
    assert _python(code) == "False"


def test_checking_a_template_return_imports_no_openpyxl():
    """Importing openpyxl costs 0.15 s a process, a tenth of checking 150 returns on two cores
    (benchmarks/README.md): the template layout is read and recalculated without it."""
    code = (
        "import sys\n"
        "from lpsa_xl.check.run import check_paths\n"
        "from lpsa_xl.check.wiring import READER, RECOMPUTE\n"
        "[r] = check_paths([sys.argv[1]], READER, RECOMPUTE, workers=1)\n"
        "assert not r.unusable and r.authority, r\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('openpyxl', 'numpy')))\n"
    )
    assert _python(code, "workbooks/examples/northshire_lpsa1.xlsx") == "[]"


def _python(code: str, *args: str) -> str:
    """What a fresh interpreter running ``code`` in the repository prints."""
    out = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=CORE.parents[1],
    )
    return out.stdout.strip()
