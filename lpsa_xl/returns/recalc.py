"""Headless recalculation of a workbook, as ``lpsa-xl recalc`` (:mod:`lpsa_xl.cli.recalc`) and the
checker's stale-cache rule use it: the evaluator (:mod:`lpsa_xl.formula`) with the ``LPSA_*``
functions of the one registry (:mod:`lpsa_xl.functions`) handed in, and a copy whose formula cells
carry the computed values as cached values.

Design decisions:

* Unknown functions, unreadable formulas and circular references stop the command before
  anything is written, with a message naming every cell involved. ``--force`` writes anyway:
  those cells get ``#NAME?`` (unknown, as Excel shows it) or ``#REF!`` (circular).
* The copy sets ``fullCalcOnLoad="1"``. The cached values are for readers that never
  calculate (previews, pandas, mail clients, openpyxl ``data_only``, web viewers); a program
  that does calculate should not trust figures another engine wrote. Excel otherwise keeps
  cached values when the file's ``calcId`` looks current, so a value where our evaluator and
  Excel differed would persist unnoticed; with the flag Excel recomputes on opening and stays
  the authority. The cost: Excel without the lpsa-xl add-in shows ``#NAME?`` in ``LPSA_*``
  cells (true: it cannot compute them) and asks to save on closing.
* Nothing but the formula cells' ``<c>`` elements and ``<calcPr>`` changes (see
  :mod:`lpsa_xl.formula.writer`); no openpyxl load and save, so nothing it does not model is lost.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lpsa_xl.files.errors import FormulaError
from lpsa_xl.files.scan import KEY, Package, read_package
from lpsa_xl.formula.engine import Engine, Problem, address
from lpsa_xl.formula.taint import KINDS
from lpsa_xl.formula.writer import patched_parts, write_atomic
from lpsa_xl.values import ExcelError

__all__ = [
    "Difference",
    "NotCompared",
    "differences",
    "not_compared",
    "problem_error",
    "recalc_file",
    "recalculate",
    "recompute",
    "registry_functions",
    "stale_cells",
]


def registry_functions() -> dict[str, Callable[..., Any]]:
    """The ``LPSA_*`` functions of :mod:`lpsa_xl.functions.registry`, bound to the rules core."""
    from lpsa_xl.functions.registry import excel_functions

    return excel_functions()


def recalculate(
    path: str | Path, functions: dict[str, Callable[..., Any]] | None = None
) -> tuple[Package, Engine]:
    """Read and evaluate the workbook at ``path``; ``functions`` default to the registry."""
    package = read_package(path)
    engine = Engine(package, registry_functions() if functions is None else functions)
    engine.calculate()
    return package, engine


def recalc_file(
    source: str | Path, output: str | Path | None = None, *, force: bool = False
) -> int:
    """Evaluate every formula of ``source`` and write ``output`` (default: ``source`` itself,
    atomically) with the computed values cached in the formula cells; every other part is
    copied unchanged. Returns the number of formula cells. Raises :class:`FormulaError` naming
    the cells of unknown functions or circular references unless ``force``."""
    src = Path(source)
    package, engine = recalculate(src)
    problems = engine.problems()
    if problems and not force:
        raise problem_error(src, problems)
    write_atomic(src, Path(output) if output is not None else src, patched_parts(package, engine))
    return sum(len(s.formulas) for s in package.sheets)


def _evaluated(path: str | Path, allow: frozenset[str] = frozenset()) -> tuple[Package, Engine]:
    """Evaluate, raising :class:`FormulaError` placed at the first problem cell when a formula
    uses an unknown function or name, cannot be read, or is part of a circular reference, or
    when the book is saved with iterative calculation on. Problems of a kind in ``allow`` are
    let through."""
    package, engine = recalculate(path)
    problems = [p for p in engine.problems() if p.kind not in allow]
    if problems:
        error = problem_error(Path(path), problems, hint=False)
        if problems[0].cells:
            sheet, _, cell = problems[0].cells[0].rpartition("!")
            error.sheet, error.cell = sheet.strip("'"), cell
        raise error
    return package, engine


def stale_cells(path: str | Path) -> list[Difference | NotCompared]:
    """Every formula cell of the workbook at ``path`` whose cached value is not what the
    headless evaluator computes (``lpsa-xl check``'s stale-cache rule), then one
    :class:`NotCompared` for each kind of cell whose value is not Excel's to compare (the clock,
    chance, Excel's surroundings): one read of the file gives both the cached and the fresh
    values."""
    package, engine = _evaluated(path, allow=frozenset({"environment"}))
    return [*differences(package, engine), *not_compared(package, engine)]


def recompute(path: str | Path) -> dict[tuple[str, str], Any]:
    """``{(sheet, "A1"): value}`` for every formula cell of the workbook at ``path``, the
    headless evaluator's values. Raises :class:`FormulaError` naming the cells of unknown
    functions, unreadable formulas and circular references."""
    package, engine = _evaluated(path)
    out = {}
    for s, sheet in enumerate(package.sheets):
        for f in sheet.formulas:
            a1 = address(sheet.name, f.row, f.col).rpartition("!")[2]
            out[(sheet.name, a1)] = engine.vals[s].get(f.row * KEY + f.col)
    return out


@dataclass(frozen=True)
class Difference:
    """A formula cell whose cached value is not the computed one."""

    sheet: str
    cell: str
    cached: Any
    computed: Any
    kind: str = "stale"


@dataclass(frozen=True)
class NotCompared:
    """Formula cells of one ``kind`` (``volatile``, ``environment``, ``declined``: see
    :mod:`lpsa_xl.formula.taint`) whose cached values are not compared; ``what`` names the
    functions or reasons; ``cells`` are ``(sheet, "A1")`` in book order."""

    kind: str
    what: tuple[str, ...]
    cells: tuple[tuple[str, str], ...]

    @property
    def sheet(self) -> str:
        return self.cells[0][0]

    @property
    def cell(self) -> str:
        return self.cells[0][1]

    def describe(self, limit: int = 10) -> str:
        n = len(self.cells)
        shown_cells = ", ".join(_place(s, c) for s, c in self.cells[:limit])
        more = f" and {n - limit} more" if n > limit else ""
        what = ", ".join(self.what)
        cells = f"{n} formula cell{'s' if n != 1 else ''} ({shown_cells}{more})"
        if self.kind == "volatile":
            why = f"depend on the clock or chance ({what}), so Excel's cached values were right"
            why += " for their own moment"
        elif self.kind == "environment":
            why = f"depend on Excel's surroundings ({what}), which no headless evaluator knows"
        else:
            why = f"depend on cells not computed as Excel would ({what})"
        return f"{cells} {why}: not compared"


def _place(sheet: str, cell: str) -> str:
    return address(sheet, 1, 1).rpartition("!")[0] + "!" + cell


def _same(cached: Any, computed: Any) -> bool:
    num = (float, int)
    if type(cached) in num and type(computed) in num:
        return math.isclose(cached, computed, rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(cached, ExcelError) or isinstance(computed, ExcelError):
        return (
            isinstance(cached, ExcelError)
            and isinstance(computed, ExcelError)
            and str(cached) == str(computed)
        )
    return type(cached) is type(computed) and cached == computed


def differences(package: Package, engine: Engine) -> list[Difference]:
    """Every formula cell whose computed value differs from the value Excel cached in the file
    (numbers within a relative 1e-9, text and logicals exactly; no cached value differs).
    Cells whose value is not Excel's to compare (:func:`not_compared`) are left out."""
    out: list[Difference] = []
    if engine.iterative:
        return out
    tainted = engine.tainted
    for s, sheet in enumerate(package.sheets):
        for f in sorted(sheet.formulas, key=lambda f: (f.row, f.col)):
            if tainted and (s, f.row * KEY + f.col) in tainted:
                continue
            cached = f.cached
            computed = engine.vals[s].get(f.row * KEY + f.col)
            if cached is None or not _same(cached, computed):
                out.append(
                    Difference(
                        sheet.name,
                        address(sheet.name, f.row, f.col).split("!")[-1],
                        cached,
                        computed,
                    )
                )
    return out


def not_compared(package: Package, engine: Engine) -> list[NotCompared]:
    """The formula cells :func:`differences` leaves out, one entry a kind, strongest first:
    every cell of a book saved with iterative calculation on; else the cells depending on a
    declined cell, on Excel's surroundings, or on the clock or chance."""
    by_kind: dict[str, list[tuple[str, str]]] = {}
    tainted = engine.tainted
    for s, sheet in enumerate(package.sheets):
        for f in sorted(sheet.formulas, key=lambda f: (f.row, f.col)):
            kind = "declined" if engine.iterative else tainted.get((s, f.row * KEY + f.col))
            if kind is not None:
                a1 = address(sheet.name, f.row, f.col).rpartition("!")[2]
                by_kind.setdefault(kind, []).append((sheet.name, a1))
    out = []
    for kind in KINDS:
        if kind in by_kind:
            what = ("iterative calculation",) if engine.iterative else engine.taint_what[kind]
            out.append(NotCompared(kind, tuple(sorted(what)), tuple(by_kind[kind])))
    return out


def problem_error(path: Path, problems: list[Problem], hint: bool = True) -> FormulaError:
    lines = "\n  ".join(p.describe() for p in problems)
    tail = "\n(use --force to write anyway: those cells get #NAME? or #REF!)" if hint else ""
    return FormulaError(f"cannot recalculate:\n  {lines}{tail}", workbook=path)
