"""Normalised formula text (see :mod:`.normalise`) -> a syntax tree of tuples.

Nodes::

    ("num", float) ("str", text) ("bool", b) ("err", code) ("array", rows of nodes)
    ("cell", sheet|None, row, col)           row/col: ("abs", n) or ("rel", offset)
    ("area", sheet|None, r1, c1, r2, c2)     whole columns/rows use ("abs", 1) .. ("abs", MAX)
    ("name", sheet|None, name)               a defined name or table name, resolved by the compiler
    ("sref", table|None, spec)               structured reference: Table1[...], [@Col]
    ("fn", NAME, [args])                     NAME upper case, prefixes _xlfn. etc. stripped
    ("bin", op, left, right) ("neg", x) ("pct", x) ("missing",)

Precedence, lowest first: comparison, &, + -, * /, ^, unary minus, %, then the range ``:``.
"""

from __future__ import annotations

import functools
import math
import re

from lpsa_xl.files.formulatext import MAX_COL, MAX_ROW

#: Excel allows 64 levels of nested functions; a deeper formula is declined with that reason
#: (never Python's own recursion limit).
MAX_DEPTH = 64

__all__ = ["FormulaSyntaxError", "parse", "strip_prefix"]


class FormulaSyntaxError(ValueError):
    """A formula the parser cannot read."""


#: Prefixes Excel writes before function names in files; ``_xldudf_`` marks an Office add-in's
#: custom function (``=LPSA.REWARD(...)`` on the web is saved as ``_xldudf_LPSA_REWARD(...)``).
_PREFIXES = ("_XLFN.", "_XLUDF.", "_XLWS.", "_XLDUDF_")


def strip_prefix(name: str) -> str:
    """``_xludf.LPSA_REWARD`` / ``_xldudf_LPSA_REWARD`` / ``_xlfn._xlws.SORT`` ->
    ``LPSA_REWARD`` / ``LPSA_REWARD`` / ``SORT``."""
    up = name.upper()
    changed = True
    while changed:
        changed = False
        for p in _PREFIXES:
            if up.startswith(p):
                up = up[len(p) :]
                changed = True
    return up


_LEX = re.compile(
    r"""
      (?P<ws>\s+)
    | (?P<str>"(?:[^"]|"")*")
    | (?P<cell>\x01[^\x01]*\x01)
    | (?P<span>\x02[^\x02]*\x02)
    | (?P<qsheet>'(?:[^']|'')*'!)
    | (?P<sref>\[(?:[^\[\]']|'.|\[(?:[^\[\]']|'.)*\])*\])
    | (?P<err>\#(?:NULL!|DIV/0!|VALUE!|REF!|NAME\?|NUM!|N/A|GETTING_DATA|SPILL!|CALC!))
    | (?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
    | (?P<ident>[A-Za-z_\\][\w.]*)
    | (?P<op><>|<=|>=|[-+*/^&=<>%(),;{}:!])
    """,
    re.VERBOSE,
)


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    n = len(text)
    while pos < n:
        m = _LEX.match(text, pos)
        if not m:
            raise FormulaSyntaxError(f"cannot read the formula at {text[pos : pos + 12]!r}")
        kind = m.lastgroup
        assert kind is not None
        if kind != "ws":
            out.append((kind, m.group(0)))
        pos = m.end()
    out.append(("end", ""))
    return out


#: Nodes that may stand for a reference on either side of a computed range operator.
_REFERENCE = frozenset({"cell", "area", "fn", "name", "rangeop"})


def _part(s: str) -> tuple[str, int]:
    return ("rel", int(s[1:])) if s.startswith("~") else ("abs", int(s))


class _Parser:
    def __init__(self, text: str) -> None:
        self.toks = _tokens(text)
        self.i = 0
        self.depth = 0  # nested expressions (parentheses, arguments)
        self.signs = 0  # signs in a row (--1)

    def peek(self) -> tuple[str, str]:
        return self.toks[self.i]

    def take(self) -> tuple[str, str]:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def expect(self, value: str) -> None:
        _, v = self.take()
        if v != value:
            raise FormulaSyntaxError(f"expected {value!r}, found {v or 'the end'!r}")

    def parse(self) -> tuple:
        node = self.comparison()
        if self.peek()[0] != "end":
            raise FormulaSyntaxError(f"unexpected {self.peek()[1]!r}")
        return node

    def comparison(self) -> tuple:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise FormulaSyntaxError(f"the formula is nested more than {MAX_DEPTH} levels deep")
        node = self.concat()
        while self.peek()[1] in ("=", "<>", "<", ">", "<=", ">="):
            op = self.take()[1]
            node = ("bin", op, node, self.concat())
        self.depth -= 1
        return node

    def concat(self) -> tuple:
        node = self.additive()
        while self.peek()[1] == "&":
            self.take()
            node = ("bin", "&", node, self.additive())
        return node

    def additive(self) -> tuple:
        node = self.term()
        while self.peek()[1] in ("+", "-") and self.peek()[0] == "op":
            op = self.take()[1]
            node = ("bin", op, node, self.term())
        return node

    def term(self) -> tuple:
        node = self.power()
        while self.peek()[1] in ("*", "/") and self.peek()[0] == "op":
            op = self.take()[1]
            node = ("bin", op, node, self.power())
        return node

    def power(self) -> tuple:
        node = self.unary()
        while self.peek()[1] == "^":
            self.take()
            node = ("bin", "^", node, self.unary())
        return node

    def unary(self) -> tuple:
        kind, v = self.peek()
        if kind == "op" and v in ("-", "+"):
            self.take()
            self.signs += 1
            if self.signs > MAX_DEPTH:
                raise FormulaSyntaxError(f"more than {MAX_DEPTH} signs in a row")
            inner = self.unary()
            self.signs -= 1
            return ("neg", inner) if v == "-" else ("plus", inner)
        return self.postfix()

    def postfix(self) -> tuple:
        node = self.range_()
        while self.peek()[1] == "%":
            self.take()
            node = ("pct", node)
        return node

    def range_(self) -> tuple:
        node = self.primary()
        while self.peek()[1] == ":":
            self.take()
            other = self.primary()
            if node[0] == "cell" and other[0] == "cell":
                node = ("area", node[1], node[2], node[3], other[2], other[3])
            elif node[0] in _REFERENCE and other[0] in _REFERENCE:
                node = ("rangeop", node, other)  # A2:INDEX(...): the references' bounding area
            else:
                raise FormulaSyntaxError(
                    "the range operator ':' is supported between references only"
                )
        return node

    def primary(self) -> tuple:
        kind, v = self.take()
        if kind == "num":
            x = float(v)
            if not math.isfinite(x):
                raise FormulaSyntaxError(f"the number {v[:20]} is larger than Excel can hold")
            return ("num", x)
        if kind == "str":
            return ("str", v[1:-1].replace('""', '"'))
        if kind == "err":
            return ("err", v)
        if kind == "cell":
            r, c = v[1:-1].split(",")
            return ("cell", None, _part(r), _part(c))
        if kind == "span":
            return self.span(None, v)
        if kind == "qsheet":
            return self.sheet_ref(v[1:-2].replace("''", "'"))
        if kind == "sref":
            return ("sref", None, v)
        if kind == "ident":
            nxt = self.peek()[1]
            if nxt == "(":
                self.take()
                return ("fn", strip_prefix(v), self.args())
            if nxt == "!":
                self.take()
                return self.sheet_ref(v)
            if self.peek()[0] == "sref":
                return ("sref", v, self.take()[1])
            up = v.upper()
            if up in ("TRUE", "FALSE"):
                return ("bool", up == "TRUE")
            return ("name", None, v)
        if v == "(":
            node = self.comparison()
            self.expect(")")
            return node
        if v == "{":
            return self.array()
        if kind == "op" and v in (",", ")"):
            self.i -= 1
            return ("missing",)
        raise FormulaSyntaxError(f"unexpected {v or 'end of formula'!r}")

    def sheet_ref(self, sheet: str) -> tuple:
        kind, v = self.take()
        if kind == "cell":
            r, c = v[1:-1].split(",")
            node: tuple = ("cell", sheet, _part(r), _part(c))
            if self.peek()[1] == ":" and self.toks[self.i + 1][0] == "cell":
                self.take()
                r2, c2 = self.take()[1][1:-1].split(",")
                node = ("area", sheet, node[2], node[3], _part(r2), _part(c2))
            return node
        if kind == "span":
            return self.span(sheet, v)
        if kind == "ident":
            return ("name", sheet, v)
        if kind == "err":
            return ("err", v)
        raise FormulaSyntaxError(f"expected a reference after {sheet}!")

    def span(self, sheet: str | None, v: str) -> tuple:
        a, b = v[2:-1].split(",")
        if v[1] == "C":
            return ("area", sheet, ("abs", 1), _part(a), ("abs", MAX_ROW), _part(b))
        return ("area", sheet, _part(a), ("abs", 1), _part(b), ("abs", MAX_COL))

    def args(self) -> list[tuple]:
        out: list[tuple] = []
        if self.peek()[1] == ")":
            self.take()
            return out
        while True:
            out.append(self.comparison())
            _, v = self.take()
            if v == ")":
                return out
            if v != ",":
                raise FormulaSyntaxError(f"expected ',' or ')' in a function call, found {v!r}")

    def array(self) -> tuple:
        rows: list[list[tuple]] = [[]]
        while True:
            rows[-1].append(self.unary())
            _, v = self.take()
            if v == "}":
                return ("array", rows)
            if v == ";":
                rows.append([])
            elif v != ",":
                raise FormulaSyntaxError(f"unexpected {v!r} in an array constant")


@functools.lru_cache(maxsize=8192)
def parse(text: str) -> tuple:
    """The syntax tree of normalised formula ``text`` (no leading ``=``). Trees are tuples, so
    they are cached: returns checked in one process repeat the same formulas file after file."""
    return _Parser(text).parse()
