"""Helpers for the formula-engine tests: build a small workbook with openpyxl and evaluate it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook

from lpsa_xl.returns.recalc import recalculate


def book(
    path: Path, sheets: dict[str, dict[str, Any]], names: dict[str, str] | None = None
) -> Path:
    """Write ``{"Sheet": {"A1": value or "=formula"}}`` to ``path``; ``names`` are
    workbook-scope defined names."""
    from openpyxl.workbook.defined_name import DefinedName

    wb = Workbook()
    wb.remove(wb.active)
    for title, cells in sheets.items():
        ws = wb.create_sheet(title)
        for ref, value in cells.items():
            ws[ref] = value
    for name, text in (names or {}).items():
        wb.defined_names[name] = DefinedName(name, attr_text=text)
    wb.save(path)
    return path


def evaluate(path: Path, functions: dict | None = None) -> tuple[Any, Any]:
    """(package, engine) after evaluation; ``functions`` default to none (no registry)."""
    return recalculate(path, functions or {})


def value(engine: Any, ref: str) -> Any:
    """The computed value at ``Sheet!A1``."""
    from lpsa_xl.files.formulatext import parse_a1

    sheet, _, cell = ref.rpartition("!")
    s = engine.names.index(sheet.strip("'"))
    r, c = parse_a1(cell)
    return engine.value(s, r, c)


def results(tmp_path: Path, cells: dict[str, Any], functions: dict | None = None) -> dict[str, Any]:
    """Evaluate one sheet ``S`` holding ``cells``; return every cell's computed value."""
    path = book(tmp_path / "t.xlsx", {"S": cells})
    _, engine = evaluate(path, functions)
    return {ref: value(engine, f"S!{ref}") for ref in cells}
