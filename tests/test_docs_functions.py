"""docs/functions.md states what the evaluator computes and declines: its tables are the
evaluator's own function tables, name for name and reason for reason."""

from __future__ import annotations

import re
from pathlib import Path

from lpsa_xl.formula.functions import _MODULES, DECLINED, FUNCTIONS, LAZY

DOC = Path(__file__).resolve().parents[1] / "docs" / "functions.md"


def _section(title: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    start = text.index(f"## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end > 0 else len(text)]


def _table_rows(section: str) -> list[list[str]]:
    rows = [line for line in section.splitlines() if line.startswith("| ")]
    return [[c.strip() for c in row.strip("|").split("|")] for row in rows[2:]]


def test_the_supported_table_is_the_function_table() -> None:
    listed: dict[str, str] = {}
    for _family, names, module in _table_rows(_section("Supported functions")):
        for name in re.findall(r"`([A-Z0-9.]+)`", names):
            assert name not in listed, f"{name} listed twice"
            listed[name] = module
    assert set(listed) == set(FUNCTIONS) | set(LAZY)
    for module in _MODULES:
        short = module.__name__.rsplit(".", 1)[-1]
        for name in module.FUNCTIONS:
            assert listed[name] == f"`formula/functions/{short}.py`", name


def test_the_declined_table_is_the_declined_table() -> None:
    rows = _table_rows(_section("Declined functions"))
    documented = {re.sub(r"`", "", name): why for name, why in rows}
    assert documented == DECLINED
    assert not set(DECLINED) & set(FUNCTIONS)


def test_a_declined_function_is_named_with_its_reason(tmp_path: Path) -> None:
    from tests.formula_util import book, evaluate

    _, engine = evaluate(book(tmp_path / "t.xlsx", {"S": {"A1": "=SEQUENCE(3)"}}))
    (problem,) = engine.problems()
    assert problem.describe() == f"SEQUENCE is not computed ({DECLINED['SEQUENCE']}): S!A1"
