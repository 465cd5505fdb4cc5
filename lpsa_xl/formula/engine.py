"""Evaluate every formula of a workbook: memoised recursion in dependency order with cycle
detection. Formula cells are visited row by row, so most precedents (above and to the left)
are already known and the recursion stays shallow; a thread with a large stack carries the
rest (a long chain that runs upwards).
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lpsa_xl.files.formulatext import col_letters
from lpsa_xl.files.scan import KEY, FormulaCell, Package
from lpsa_xl.formula.compiler import Compiler
from lpsa_xl.formula.functions import DECLINED
from lpsa_xl.formula.functions.common import Decline, Environment
from lpsa_xl.formula.index import RangeCache
from lpsa_xl.formula.taint import Tainting
from lpsa_xl.formula.values import MAX_TEXT, Range, scalar
from lpsa_xl.values import REF, VALUE, ExcelError

__all__ = ["Engine", "Problem"]

_BUSY = object()  # a cell being evaluated: meeting it again is a circular reference
_MISSING = object()


@dataclass(frozen=True)
class Problem:
    """A formula the engine could not evaluate as written: an unknown function or name, a
    syntax it cannot read, or a circular reference. ``cells`` are ``Sheet!A1`` addresses."""

    kind: str  # "unknown" | "syntax" | "circular" | "failed" | "environment" | "iterative"
    what: str
    cells: tuple[str, ...]

    def describe(self, limit: int = 20) -> str:
        shown = ", ".join(self.cells[:limit])
        more = f" and {len(self.cells) - limit} more" if len(self.cells) > limit else ""
        if self.kind == "unknown":
            why = DECLINED.get(self.what.upper())
            if why is not None:
                return f"{self.what} is not computed ({why}): {shown}{more}"
            return f"unknown function or name {self.what} in {shown}{more}"
        if self.kind == "circular":
            return f"circular reference: {shown}{more}"
        if self.kind == "failed":
            return f"cannot compute {shown}{more} as Excel would ({self.what})"
        if self.kind == "environment":
            return f"{shown}{more} not computed: {self.what} (it depends on Excel's surroundings)"
        if self.kind == "iterative":
            return (
                "the workbook is saved with iterative calculation on: Excel's values depend on "
                "its iteration limits and order, so none of its formulas is computed as Excel's"
            )
        return f"cannot read formula ({self.what}) in {shown}{more}"


def address(sheet: str, row: int, col: int) -> str:
    q = f"'{sheet}'" if not sheet.replace("_", "").isalnum() else sheet
    return f"{q}!{col_letters(col)}{row}"


_ITERATE = re.compile(r"""<(?:\w+:)?calcPr\b[^>]*\biterate\s*=\s*["'](?:1|true)["']""")


def iterative(package: Package) -> bool:
    """Whether the book was saved with iterative calculation on (``calcPr iterate="1"``)."""
    return bool(_ITERATE.search(package.workbook_xml))


class Engine(Tainting):
    """Evaluates a :class:`Package`. ``functions`` are extra functions by upper-case name (the
    ``LPSA_*`` registry). What a cell's value depends on beyond the book (a declined cell, the
    clock, Excel's surroundings) is in ``tainted`` (see :mod:`lpsa_xl.formula.taint`)."""

    def __init__(
        self, package: Package, functions: dict[str, Callable[..., Any]] | None = None
    ) -> None:
        self.package = package
        self.names = [s.name for s in package.sheets]
        # copies: the package is shared (read_package remembers it) and stays as read
        self.vals: list[dict[int, Any]] = [dict(s.values) for s in package.sheets]
        self.pending: list[dict[int, Any]] = [{} for _ in package.sheets]
        self.extents = [(s.max_row, s.max_col) for s in package.sheets]
        self.current: tuple[int, int, int] | None = None
        self._stack: list[tuple[int, int]] = []
        self._where: dict[tuple[int, int], int] = {}
        self._cycles: list[list[tuple[int, int]]] = []
        self._array_vals: dict[tuple[int, int], Any] = {}
        self.ranges = RangeCache(self)
        self.compiler = Compiler(
            self, self.names, package.names, package.tables, functions or {}, package.date1904
        )
        self._unknown: dict[str, list[str]] = {}
        self._syntax: dict[str, list[str]] = {}
        self._failed: dict[str, list[str]] = {}
        self._environment: dict[str, list[str]] = {}
        self.iterative = iterative(package)
        self._formulas: dict[tuple[int, int], FormulaCell] | None = None
        self._init_taint()
        self._prepare()

    # -- setup --------------------------------------------------------------------------------

    def _prepare(self) -> None:
        comp = self.compiler
        for s, sheet in enumerate(self.package.sheets):
            pending = self.pending[s]
            has_tables = s in comp.tables_by_sheet
            for f in sheet.formulas:
                key = f.row * KEY + f.col
                if f.kind == "array-child":
                    pending[key] = self._array_child(s, f)
                    continue
                assert f.text is not None
                table = comp.table_at(s, f.row, f.col) if has_tables and "[" in f.text else None
                compiled = comp.compile(f.text, s, table)
                if compiled.unknown:
                    for name in compiled.unknown:
                        self._unknown.setdefault(name, []).append(address(sheet.name, f.row, f.col))
                if compiled.error:
                    self._syntax.setdefault(compiled.error, []).append(
                        address(sheet.name, f.row, f.col)
                    )
                fn = compiled.fn
                if compiled.unknown or compiled.error:
                    fn = self._declined(fn, compiled.error or "an unknown function or name")
                if f.kind == "array":
                    fn = self._array_master(s, f, fn)
                pending[key] = fn

    def _declined(self, fn: Callable[[int, int], Any], why: str) -> Callable[[int, int], Any]:
        def declined(R: int, C: int) -> Any:
            self.taint("declined", why)
            return fn(R, C)

        return declined

    def _array_master(
        self, s: int, f: FormulaCell, fn: Callable[[int, int], Any]
    ) -> Callable[[int, int], Any]:
        from lpsa_xl.files.formulatext import parse_a1

        a, _, b = (f.ref or "").partition(":")
        r1, c1 = parse_a1(a) if a else (f.row, f.col)
        r2, c2 = parse_a1(b) if b else (r1, c1)

        def master(R: int, C: int) -> Any:
            v = fn(R, C)
            if isinstance(v, Range):
                v = v.rows()
            grid = v if type(v) is list else [[v]]
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    i, j = r - r1, c - c1
                    if len(grid) == 1:
                        i = 0
                    if len(grid[0]) == 1:
                        j = 0
                    item = grid[i][j] if i < len(grid) and j < len(grid[0]) else ExcelError("#N/A")
                    self._array_vals[(s, r * KEY + c)] = item
            return self._array_vals.get((s, f.row * KEY + f.col), grid[0][0])

        return master

    def _array_child(self, s: int, f: FormulaCell) -> Callable[[int, int], Any]:
        from lpsa_xl.files.formulatext import parse_a1

        mr, mc = parse_a1((f.ref or "A1").partition(":")[0])
        key = f.row * KEY + f.col

        def child(R: int, C: int) -> Any:
            self.cell(s, mr, mc)
            return self._array_vals.get((s, key), ExcelError("#N/A"))

        return child

    # -- evaluation ---------------------------------------------------------------------------

    def cycle_count(self) -> int:
        return len(self._cycles)

    def extent(self, sheet: int) -> tuple[int, int]:
        return self.extents[sheet]

    def cell(self, s: int, r: int, c: int) -> Any:
        key = r * KEY + c
        v = self.vals[s].get(key, _MISSING)
        if v is _MISSING:
            fn = self.pending[s].get(key)
            return None if fn is None else self._evaluate(s, r, c, key, fn)
        if v is _BUSY:
            return self._cycle(s, key)
        return v

    def _evaluate(self, s: int, r: int, c: int, key: int, fn: Callable[[int, int], Any]) -> Any:
        vals = self.vals[s]
        del self.pending[s][key]
        vals[key] = _BUSY
        self._where[(s, key)] = len(self._stack)
        self._stack.append((s, key))
        saved = self.current
        self.current = (s, r, c)
        try:
            v = fn(r, c)
            t = type(v)
            if t is not float and t is not str and t is not bool and t is not ExcelError:
                v = _final(v)
            if t is str and len(v) > MAX_TEXT:
                v = VALUE.with_reason(f"text longer than Excel's {MAX_TEXT:,} characters")
        except Exception as exc:  # a form no function here foresaw: declined, never a crash
            reason = _failure(exc)
            env = isinstance(exc, Environment)
            found = self._environment if env else self._failed
            found.setdefault(reason, []).append(address(self.names[s], r, c))
            self.taint("environment" if env else "declined", reason)
            v = VALUE.with_reason(reason)
        finally:
            self.current = saved
            self._stack.pop()
            del self._where[(s, key)]
        vals[key] = v
        return v

    def _cycle(self, s: int, key: int) -> Any:
        start = self._where[(s, key)]
        self._cycles.append(self._stack[start:])
        self.taint("declined", "circular reference")
        return REF.with_reason("circular reference")

    def calculate(self) -> None:
        """Evaluate every formula (in a thread with a deep stack, for long reference chains)."""
        errors: list[BaseException] = []

        def run() -> None:
            try:
                for s in range(len(self.pending)):
                    pending = self.pending[s]
                    for key in sorted(pending):
                        fn = pending.get(key)
                        if fn is not None:
                            self._evaluate(s, key // KEY, key % KEY, key, fn)
            except BaseException as e:  # re-raised in the calling thread
                errors.append(e)

        old_limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(old_limit, 200_000))
        old_size = threading.stack_size()
        threading.stack_size(512 * 1024 * 1024)
        try:
            t = threading.Thread(target=run, name="lpsa-xl-recalc")
            t.start()
            t.join()
        finally:
            threading.stack_size(old_size)
            sys.setrecursionlimit(old_limit)
        if errors:
            raise errors[0]

    def formula_at(self, sheet: int, row: int, col: int) -> FormulaCell | None:
        """The formula cell at a place, or ``None`` (FORMULATEXT reads it)."""
        if self._formulas is None:
            self._formulas = {
                (s, f.row * KEY + f.col): f
                for s, sh in enumerate(self.package.sheets)
                for f in sh.formulas
            }
        return self._formulas.get((sheet, row * KEY + col))

    def value(self, sheet: int, row: int, col: int) -> Any:
        """The value of a cell after :meth:`calculate`."""
        return self.vals[sheet].get(row * KEY + col)

    def problems(self) -> list[Problem]:
        """What stops the book being computed as Excel would: a whole-book problem first
        (iterative calculation), then unknown names, unreadable formulas, declined forms, cells
        depending on Excel's surroundings, and circular references."""
        out = [Problem("iterative", "", ())] if self.iterative else []
        out += [
            Problem("unknown", name, tuple(cells)) for name, cells in sorted(self._unknown.items())
        ]
        out += [Problem("syntax", msg, tuple(cells)) for msg, cells in sorted(self._syntax.items())]
        out += [Problem("failed", why, tuple(cells)) for why, cells in sorted(self._failed.items())]
        out += [
            Problem("environment", why, tuple(cells))
            for why, cells in sorted(self._environment.items())
        ]
        seen: set[tuple[str, ...]] = set()
        for cycle in self._cycles:
            cells = tuple(address(self.names[s], k // KEY, k % KEY) for s, k in cycle)
            if frozenset(cells) not in seen:
                seen.add(frozenset(cells))  # type: ignore[arg-type]
                out.append(Problem("circular", "", cells))
        return out


def _failure(exc: Exception) -> str:
    """Why a formula could not be computed, in a reader's words (no exception names)."""
    if isinstance(exc, Decline):
        return exc.reason
    if isinstance(exc, OverflowError | ArithmeticError):
        return "a number or date outside Excel's range"
    if isinstance(exc, RecursionError):
        return "references nested too deeply"
    if isinstance(exc, MemoryError):
        return "a result too large to hold"
    if isinstance(exc, TypeError):
        return "a function given arguments of a form it does not take"
    return "a form of formula this evaluator does not compute"


def _final(v: Any) -> Any:
    """A formula cell's own value: never blank (Excel shows 0), a range or array by its first
    item (implicit intersection is applied by :func:`scalar` while the cell is current)."""
    if v is None:
        return 0.0
    t = type(v)
    if t is int:
        return float(v)
    if isinstance(v, Range):
        return _final(scalar(v))
    if t is list:
        return _final(v[0][0] if v and v[0] else None)
    if isinstance(v, float):
        return float(v)
    return v
