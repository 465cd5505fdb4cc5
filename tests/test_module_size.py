"""Every module of the package is of a readable size and opens with a docstring.

A module longer than :data:`LIMIT` lines holds more than one thing; a reader taking the code
over finds the seams by the modules' names, so a module that grows past the limit is split
along one (its public names re-exported where they were, so imports keep working). The limit
holds for every module without exception: no module is on an allow-list.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "lpsa_xl"
#: The most lines a module may have.
LIMIT = 400
#: The fewest words a module's docstring may have: a sentence saying what it holds.
WORDS = 5

MODULES = sorted(PACKAGE.rglob("*.py"))


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_the_package_is_found() -> None:
    assert len(MODULES) > 100, "too few modules found for these tests to mean anything"


def test_no_module_is_over_the_limit() -> None:
    over = {str(p.relative_to(PACKAGE.parent)): n for p in MODULES if (n := _lines(p)) > LIMIT}
    assert over == {}, (
        f"modules over {LIMIT} lines: split each along a seam (one thing a module), and "
        "re-export its public names where they were"
    )


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE.parent)))
def test_every_module_has_a_docstring(path: Path) -> None:
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    assert doc is not None, "a module opens with a docstring saying what it holds"
    assert len(doc.split()) >= WORDS, "a module's docstring says what it holds in a sentence"


def test_the_limit_catches_a_long_module(tmp_path: Path) -> None:
    """The measure counts lines as a reader does (the last line without its newline too)."""
    long = tmp_path / "long.py"
    long.write_text('"""A long module."""\n' + "x = 1\n" * LIMIT, encoding="utf-8")
    assert _lines(long) == LIMIT + 1 > LIMIT
