"""The project's own tooling passes: ruff over the code and tests, mypy (strict) over the core.
Both are in the ``test`` extra and configured in pyproject.toml."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def test_ruff_is_clean():
    run = _run("ruff", "check", "lpsa_xl", "tests", "benchmarks", "workbooks")
    assert run.returncode == 0, run.stdout + run.stderr


def test_mypy_strict_on_the_core():
    run = _run("mypy", "--no-incremental")
    assert run.returncode == 0, run.stdout + run.stderr
