"""The package's layers, as pyproject.toml's import-linter contracts declare them (highest first:
adapters, check, store, returns, formula | functions, files, display | values, rules), hold: no
module imports a layer above its own, only the store imports a database library, and the rules
core imports no I/O library. A contract broken by a
change fails here, naming the import."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_import_linter_contracts_are_kept() -> None:
    pytest.importorskip("importlinter")
    out = subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command;"
         " sys.exit(lint_imports_command())", "--no-cache"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert out.returncode == 0, out.stdout + out.stderr
    assert "BROKEN" not in out.stdout
    assert out.stdout.count("KEPT") >= 2, out.stdout


def test_contracts_name_every_top_level_part() -> None:
    """A new top-level module or subpackage must be placed in a layer, or the contract says
    nothing about it."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    layers = config["tool"]["importlinter"]["contracts"][0]["layers"]
    named = {m.strip() for layer in layers for m in layer.split("|")}
    parts = {
        f"lpsa_xl.{p.stem if p.suffix == '.py' else p.name}"
        for p in (ROOT / "lpsa_xl").iterdir()
        if (p.suffix == ".py" and p.stem not in ("__init__", "__main__"))
        or (p.is_dir() and (p / "__init__.py").exists())
    }
    assert parts - named == set(), "place these in a layer in pyproject.toml"
