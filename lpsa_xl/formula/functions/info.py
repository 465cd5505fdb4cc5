"""Information about cells and the world: CELL, INFO, FORMULATEXT, and the random numbers RAND
and RANDBETWEEN.

What depends on Excel's surroundings (the file's path, the operating system, column widths, a
cell's number format or colour, "the last cell changed") raises :class:`Environment`: the cell
is named as such, never given a guess. ``CELL`` with ``"address"``, ``"col"``, ``"row"``,
``"contents"`` or ``"type"`` of a reference on the formula's own sheet is fixed by the book and
computed. RAND and RANDBETWEEN are volatile (the compiler marks their cells, see
:mod:`lpsa_xl.formula.taint`): any value is right, so recalc writes a fresh one and the checks do
not compare it.
"""

from __future__ import annotations

import math
import random
import re
from typing import Any

from lpsa_xl.files.formulatext import col_letters, normalise
from lpsa_xl.formula.functions.common import Decline, Environment, arg_num, arg_text, guard
from lpsa_xl.formula.values import Range
from lpsa_xl.values import NA, NUM, VALUE

__all__ = ["FUNCTIONS", "REF_FUNCTIONS"]

_BOOK_CELL = {"address", "col", "row", "contents", "type"}
_ENV_CELL = {"color", "filename", "format", "parentheses", "prefix", "protect", "width"}


@guard
def CELL(info: Any, ref: Any = None) -> Any:
    kind = arg_text(info).lower()
    if kind not in _BOOK_CELL | _ENV_CELL:
        return VALUE.with_reason(f"CELL has no information type {kind!r}")
    if ref is None:
        raise Environment("CELL without a reference reads the cell Excel last changed")
    if not isinstance(ref, Range):
        return VALUE.with_reason("CELL needs a reference")
    if kind in _ENV_CELL:
        raise Environment(f'CELL("{kind}") reads what Excel knows of the file or its formatting')
    here = ref.book.current
    if kind == "address":
        if here is None or here[0] != ref.sheet:
            raise Environment('CELL("address") of another sheet names the file as Excel has it')
        return f"${col_letters(ref.c1)}${ref.r1}"
    if kind == "row":
        return float(ref.r1)
    if kind == "col":
        return float(ref.c1)
    v = ref.at(0, 0)
    if kind == "contents":
        return 0.0 if v is None else v
    return "b" if v is None else "l" if type(v) is str else "v"


def INFO(type_text: Any) -> Any:
    raise Environment("INFO reads the computer and the Excel session")


_XLFN = re.compile(r"_xl(?:fn|ws)\.", re.IGNORECASE)


@guard
def FORMULATEXT(ref: Any) -> Any:
    if not isinstance(ref, Range):
        return NA.with_reason("FORMULATEXT needs a reference")
    f = ref.book.formula_at(ref.sheet, ref.r1, ref.c1)
    if f is None:
        return NA.with_reason("the cell holds no formula")
    text = f.original
    if f.kind != "normal":
        raise Decline("FORMULATEXT of an array formula")
    if "[" in text or "_xl" in _XLFN.sub("", text).lower():
        raise Decline("FORMULATEXT of structured references: Excel shows a text the file lacks")
    if f.text is None or normalise(text, f.row, f.col) != f.text:
        raise Decline("FORMULATEXT of a copied (shared) formula: the file holds the first only")
    return "=" + _XLFN.sub("", text)


def RAND() -> Any:
    return random.random()


@guard
def RANDBETWEEN(bottom: Any, top: Any) -> Any:
    lo, hi = math.ceil(arg_num(bottom)), math.floor(arg_num(top))
    if lo > hi:
        return NUM.with_reason("RANDBETWEEN with bottom above top")
    return float(random.randint(lo, hi))


FUNCTIONS = {f.__name__: f for f in (CELL, INFO, FORMULATEXT, RAND, RANDBETWEEN)}
REF_FUNCTIONS = {"CELL", "FORMULATEXT"}
