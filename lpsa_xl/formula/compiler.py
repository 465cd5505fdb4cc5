"""Syntax tree -> Python source -> one function ``f(R, C)`` per distinct normalised formula.

Relative references become ``R+dr`` / ``C+dc`` of the evaluating cell, so one compiled function
serves a whole column of copied formulas. Defined names are expanded inline; structured
references resolve against the workbook's tables at compile time (``[@Col]`` is "this row",
i.e. a reference relative to ``R``). Unknown functions compile to ``#NAME?`` and are recorded,
so the caller can name every cell that uses them. Generated code is shared across workbooks of
one structure by :mod:`lpsa_xl.formula.codecache`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lpsa_xl.files.formulatext import normalise
from lpsa_xl.files.scan import Table
from lpsa_xl.formula import ops
from lpsa_xl.formula.codecache import bound, bytecode, generated
from lpsa_xl.formula.functions import BOOK_FUNCTIONS, FUNCTIONS, LAZY, REF_FUNCTIONS, dates
from lpsa_xl.formula.functions.refs import index_ref, range_between
from lpsa_xl.formula.parser import FormulaSyntaxError, parse
from lpsa_xl.formula.runtime import (
    lazy_choose,
    lazy_if,
    lazy_iferror,
    lazy_ifna,
    lazy_ifs,
    lazy_switch,
)
from lpsa_xl.formula.structured import Unsupported, resolve_spec
from lpsa_xl.formula.taint import VOLATILE
from lpsa_xl.formula.values import Range, scalar, to_array
from lpsa_xl.values import ERRORS, NAME, REF, VALUE

__all__ = ["Compiled", "Compiler"]


@dataclass
class Compiled:
    fn: Callable[[int, int], Any]
    unknown: set[str] = field(default_factory=set)  # unknown function or name, as written
    error: str | None = None  # syntax error message


_OP_NAMES = {
    "+": "add",
    "-": "sub",
    "*": "mul",
    "/": "div",
    "^": "pow",
    "&": "cat",
    "=": "eq",
    "<>": "ne",
    "<": "lt",
    ">": "gt",
    "<=": "le",
    ">=": "ge",
}




class Compiler:
    """Compiles formulas of one workbook. ``book`` provides ``cell`` and ``extent`` (the
    engine); ``sheet_names`` are in workbook order; ``names`` are (name, local sheet, text)."""

    def __init__(
        self,
        book: Any,
        sheet_names: list[str],
        names: list[tuple[str, int | None, str]],
        tables: list[Table],
        udfs: dict[str, Callable[..., Any]],
        date1904: bool = False,
    ) -> None:
        self.book = book
        self.functions = dict(FUNCTIONS)
        if date1904:
            self.functions.update(dates.for_1904(FUNCTIONS))
        self.sheet_index = {n.upper(): i for i, n in enumerate(sheet_names)}
        self.names: dict[tuple[str, int | None], str] = {(n.upper(), s): t for n, s, t in names}
        self.tables = {t.name.upper(): t for t in tables}
        self.tables_by_sheet: dict[int, list[Table]] = {}
        for t in tables:
            self.tables_by_sheet.setdefault(t.sheet, []).append(t)
        self.udfs = {k.upper(): bound(v, k.upper()) for k, v in udfs.items()}
        self._shared = generated(
            (
                tuple(sheet_names),
                tuple(sorted(self.names.items(), key=repr)),
                tuple(
                    (
                        t.name,
                        t.sheet,
                        t.r1,
                        t.c1,
                        t.r2,
                        t.c2,
                        t.header_rows,
                        t.totals_rows,
                        tuple(t.columns),
                    )
                    for t in tables
                ),
                date1904,
                tuple(sorted(self.udfs.items(), key=lambda item: item[0])),
            )
        )
        self.cache: dict[tuple[int, str | None, str], Compiled] = {}
        self.env: dict[str, Any] = {
            "cell": book.cell,
            "Range": Range,
            "book": book,
            "scalar": scalar,
            "to_array": to_array,
            "neg": ops.neg,
            "pct": ops.pct,
            "plus": ops.plus,
            "lz_if": lazy_if,
            "lz_iferror": lazy_iferror,
            "lz_ifna": lazy_ifna,
            "lz_ifs": lazy_ifs,
            "lz_choose": lazy_choose,
            "lz_switch": lazy_switch,
            "vol": book.volatile,
            "op_range": range_between,
            "E_NAME": NAME,
            "E_REF": REF,
            "E_VALUE": VALUE.with_reason("a this-row reference outside the table's rows"),
        }
        for op, name in _OP_NAMES.items():
            self.env[f"op_{name}"] = ops.OPS[op]
        self._fixed = len(self.env)  # the names above; the rest are the shared constants
        self._consts = self._shared.consts
        self.env.update(self._shared.values)

    # -- public -------------------------------------------------------------------------------

    def table_at(self, sheet: int, row: int, col: int) -> Table | None:
        for t in self.tables_by_sheet.get(sheet, ()):
            if t.r1 <= row <= t.r2 and t.c1 <= col <= t.c2:
                return t
        return None

    def compile(self, text: str, sheet: int, table: Table | None = None) -> Compiled:
        key = (sheet, table.name if table else None, text)
        hit = self.cache.get(key)
        if hit is not None:
            return hit
        shared = self._shared
        generated = shared.sources.get(key)
        if generated is None:
            unknown: set[str] = set()
            try:
                tree = parse(text)
                with shared.lock:
                    src = self._gen(tree, sheet, table, unknown, "value", 0)
                generated = (f"def __f(R, C):\n    return {src}\n", frozenset(unknown), "")
            except (FormulaSyntaxError, Unsupported) as e:
                generated = (None, frozenset(unknown), str(e))
            except (RecursionError, MemoryError):  # the parser's own depth check comes first
                generated = (None, frozenset(unknown), "the formula is nested too deeply")
            shared.sources[key] = generated
        code, names, error = generated
        if code is None:
            err = NAME.with_reason(error)
            out = Compiled(lambda R, C, _e=err: _e, set(names), error)
        else:
            if len(self.env) < len(shared.values) + self._fixed:
                self.env.update(shared.values)  # constants another book of this structure added
            scope: dict[str, Any] = {}
            try:
                exec(bytecode(code), self.env, scope)
            except (SyntaxError, RecursionError, MemoryError, ValueError):
                # Python's own compiler limits (nesting, size): declined, never a crash
                err = NAME.with_reason("the formula is too large or nested too deeply")
                out = Compiled(lambda R, C, _e=err: _e, set(names), err.reason)
            else:
                out = Compiled(scope["__f"], set(names))
        self.cache[key] = out
        return out

    # -- code generation ----------------------------------------------------------------------

    def _const(self, value: Any) -> str:
        k = (type(value), value)
        name = self._consts.get(k)
        if name is None:
            name = f"K{len(self._consts)}"
            self._consts[k] = name
            self._shared.values[name] = value
            self.env[name] = value
        return name

    def _sheet(self, name: str | None, here: int) -> int | None:
        if name is None:
            return here
        return self.sheet_index.get(name.upper())

    @staticmethod
    def _pos(part: tuple[str, int], var: str) -> str:
        kind, n = part
        if kind == "abs":
            return str(n)
        return var if n == 0 else f"({var}{n:+d})"

    def _gen(
        self, node: tuple, sheet: int, table: Table | None, unknown: set[str], mode: str, depth: int
    ) -> str:
        kind = node[0]
        g = self._gen
        if kind == "num":
            return repr(node[1])
        if kind == "str":
            return self._const(node[1])
        if kind == "bool":
            return repr(node[1])
        if kind == "err":
            return self._const(ERRORS[node[1]])
        if kind == "missing":
            return "None"
        if kind == "cell":
            s = self._sheet(node[1], sheet)
            if s is None:
                return "E_REF"
            r, c = self._pos(node[2], "R"), self._pos(node[3], "C")
            if mode == "ref":
                return f"Range(book,{s},{r},{c},{r},{c})"
            return f"cell({s},{r},{c})"
        if kind == "area":
            s = self._sheet(node[1], sheet)
            if s is None:
                return "E_REF"
            r1, c1, r2, c2 = (
                self._pos(node[2], "R"),
                self._pos(node[3], "C"),
                self._pos(node[4], "R"),
                self._pos(node[5], "C"),
            )
            return f"Range(book,{s},{r1},{c1},{r2},{c2})"
        if kind == "name":
            return self._name(node, sheet, table, unknown, mode, depth)
        if kind == "sref":
            return self._sref(node, sheet, table, mode)
        if kind == "bin":
            left = g(node[2], sheet, table, unknown, "value", depth)
            right = g(node[3], sheet, table, unknown, "value", depth)
            return f"op_{_OP_NAMES[node[1]]}({left},{right})"
        if kind in ("neg", "pct", "plus"):
            return f"{kind}({g(node[1], sheet, table, unknown, 'value', depth)})"
        if kind == "array":
            rows = ",".join(
                "[" + ",".join(g(x, sheet, table, unknown, "value", depth) for x in row) + "]"
                for row in node[1]
            )
            return f"[{rows}]"
        if kind == "fn":
            return self._fn(node, sheet, table, unknown, depth)
        if kind == "rangeop":
            sides = [self._reference(x, sheet, table, unknown, depth) for x in node[1:]]
            return f"op_range({sides[0]},{sides[1]})"
        raise Unsupported(f"cannot evaluate {kind}")

    def _fn(
        self, node: tuple, sheet: int, table: Table | None, unknown: set[str], depth: int
    ) -> str:
        name, args = node[1], node[2]

        def gen(a: tuple, mode: str = "value") -> str:
            return self._gen(a, sheet, table, unknown, mode, depth)

        def thunk(a: tuple) -> str:
            return f"lambda: {gen(a)}"

        if name in LAZY:
            if name == "IF":
                if not 2 <= len(args) <= 3:
                    raise Unsupported("IF takes 2 or 3 arguments")
                no = thunk(args[2]) if len(args) == 3 else "None"
                if len(args) == 3 and args[2][0] == "missing":
                    no = "lambda: 0.0"  # IF(c, x, ) with the third argument empty gives 0
                return f"lz_if({gen(args[0])},{thunk(args[1])},{no})"
            if name in ("IFERROR", "IFNA"):
                if len(args) != 2:
                    raise Unsupported(f"{name} takes 2 arguments")
                return f"lz_{name.lower()}({gen(args[0])},{thunk(args[1])})"
            if name == "IFS":
                return "lz_ifs(" + ",".join(thunk(a) for a in args) + ")"
            if name == "CHOOSE":
                return f"lz_choose({gen(args[0])}," + ",".join(thunk(a) for a in args[1:]) + ")"
            return f"lz_switch({gen(args[0])}," + ",".join(thunk(a) for a in args[1:]) + ")"
        if name in ("ROW", "COLUMN") and not args:
            return "float(R)" if name == "ROW" else "float(C)"
        fn = self.functions.get(name)
        if fn is None:
            fn = self.udfs.get(name)
        if fn is None:
            unknown.add(name)
            return "E_NAME"
        ref = name in REF_FUNCTIONS  # bound functions take values: a cell's, or an area's rows
        fname = self._const(fn)
        if name in BOOK_FUNCTIONS:
            args_src = "".join("," + gen(a, "ref" if ref else "value") for a in args)
            return f"{fname}(book{args_src})"
        if name in VOLATILE:  # computed, and the cell marked as depending on the clock or chance
            return f"vol({self._const(name)},{fname}" + "".join("," + gen(a) for a in args) + ")"
        return f"{fname}(" + ",".join(gen(a, "ref" if ref else "value") for a in args) + ")"

    def _reference(
        self, node: tuple, sheet: int, table: Table | None, unknown: set[str], depth: int
    ) -> str:
        """A side of a computed range operator: a reference, or a function giving one."""
        if node[0] != "fn":
            return self._gen(node, sheet, table, unknown, "ref", depth)
        name = node[1]
        if name == "INDEX":
            args = ",".join(self._gen(a, sheet, table, unknown, "ref", depth) for a in node[2])
            return f"{self._const(index_ref)}({args})"
        if name in ("OFFSET", "INDIRECT"):
            return self._gen(node, sheet, table, unknown, "ref", depth)
        if name in ("CHOOSE", "IF") and len(node[2]) >= 2 and node[2][-1][0] != "missing":
            test = self._gen(node[2][0], sheet, table, unknown, "value", depth)
            options = ",".join(
                "lambda: " + self._reference(a, sheet, table, unknown, depth) for a in node[2][1:]
            )
            if name == "IF" and len(node[2]) == 2:
                options += ",None"
            return f"lz_{name.lower()}({test},{options})"
        raise Unsupported(f"the range operator ':' beside {name}, which gives no reference here")

    def _name(
        self, node: tuple, sheet: int, table: Table | None, unknown: set[str], mode: str, depth: int
    ) -> str:
        qual, name = node[1], node[2]
        up = name.upper()
        scope = self._sheet(qual, sheet) if qual is not None else sheet
        text = self.names.get((up, scope))
        if text is None and qual is None:
            text = self.names.get((up, None))
        if text is None:
            t = self.tables.get(up)
            if t is not None:
                return self._sref(("sref", name, "[]"), sheet, table, mode)
            unknown.add(name)
            return "E_NAME"
        if depth > 20:
            raise Unsupported(f"defined name {name} refers to itself")
        body = text[1:] if text.startswith("=") else text
        try:
            tree = parse(normalise(body, 1, 1))
        except FormulaSyntaxError as e:
            raise Unsupported(f"defined name {name}: {e}") from None
        # A name's relative references are stored as if used from A1 (normalised from row 1,
        # column 1), so their offsets already mean "this far from the cell using the name".
        return self._gen(tree, sheet, table, unknown, mode, depth + 1)

    def _sref(self, node: tuple, sheet: int, table: Table | None, mode: str) -> str:
        tname, spec = node[1], node[2]
        t = self.tables.get(tname.upper()) if tname else table
        if t is None:
            raise Unsupported(f"structured reference {tname or ''}{spec}: no such table")
        rows, cols = resolve_spec(spec, t)
        c1, c2 = cols
        if rows == "this":
            lo, hi = t.r1 + t.header_rows, t.r2 - t.totals_rows
            if c1 == c2 and mode == "value":
                ref = f"cell({t.sheet},R,{c1})"
            else:
                ref = f"Range(book,{t.sheet},R,{c1},R,{c2})"
            return f"({ref} if {lo}<=R<={hi} else E_VALUE)"
        r1, r2 = rows
        if r1 > r2:
            return "E_REF"
        return f"Range(book,{t.sheet},{r1},{c1},{r2},{c2})"
