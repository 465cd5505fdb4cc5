"""The standard Excel functions, computed in binary double as Excel computes them.

:data:`FUNCTIONS` maps an upper-case name to a callable taking the evaluated arguments. Functions
listed in :data:`REF_FUNCTIONS` receive a :class:`~..values.Range` for every reference argument
(they tell a cell's text from a typed text literal, or need the cells themselves); all others get
plain values for single-cell references and a Range only for multi-cell areas. ``IF``, ``IFS``,
``IFERROR``, ``IFNA``, ``CHOOSE``, ``SWITCH``, ``AND`` and ``OR`` short-circuit and are compiled
inline by the compiler (see :data:`LAZY`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lpsa_xl.formula.functions import (
    arrays,
    bases,
    calendar,
    dates,
    finance,
    info,
    logic,
    lookup,
    maths,
    refs,
    stats,
    text,
    trig,
)

__all__ = ["BOOK_FUNCTIONS", "DECLINED", "FUNCTIONS", "LAZY", "REF_FUNCTIONS"]

FUNCTIONS: dict[str, Callable[..., Any]] = {}
_MODULES = (
    maths, trig, bases, stats, logic, text, lookup, arrays, refs, dates, calendar, finance, info
)  # fmt: skip
for _module in _MODULES:
    FUNCTIONS.update(_module.FUNCTIONS)

REF_FUNCTIONS: frozenset[str] = frozenset(
    name for module in _MODULES for name in module.REF_FUNCTIONS
)

#: Functions whose arguments are evaluated only when needed (compiled inline).
LAZY = frozenset({"IF", "IFS", "IFERROR", "IFNA", "CHOOSE", "SWITCH"})

#: Functions handed the evaluating book as their first argument (INDIRECT reads sheet names).
BOOK_FUNCTIONS: frozenset[str] = frozenset(refs.BOOK_FUNCTIONS)

_SPILL = "a dynamic-array function: its result spills over cells, which is not evaluated yet"
#: Functions declined by name, each with the reason (docs/functions.md lists them).
DECLINED: dict[str, str] = {
    **{name: _SPILL for name in ("SEQUENCE", "SORT", "SORTBY", "FILTER", "UNIQUE", "RANDARRAY",
                                 "TEXTSPLIT", "VSTACK", "HSTACK", "TOCOL", "TOROW", "WRAPROWS",
                                 "WRAPCOLS", "TAKE", "DROP", "CHOOSEROWS", "CHOOSECOLS",
                                 "EXPAND")},
    "LET": "names bound inside a formula are not evaluated yet",
    "LAMBDA": "functions defined in a formula are not evaluated",
    "AGGREGATE": "its options skip hidden rows, which the evaluator does not read",
    "CONVERT": "its table of units is not built in",
    "LINEST": "regression arrays are not evaluated",
    "TREND": "regression arrays are not evaluated",
    "GETPIVOTDATA": "pivot tables are not evaluated",
    "WEBSERVICE": "it reads the network",
    "FILTERXML": "it is Windows-only and reads XML as Excel's parser does",
    "RTD": "it reads a live data server",
    "HYPERLINK": "not evaluated yet",
}  # fmt: skip
