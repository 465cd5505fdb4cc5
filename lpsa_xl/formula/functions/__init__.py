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
    calendar,
    dates,
    finance,
    info,
    logic,
    lookup,
    maths,
    stats,
    text,
)

__all__ = ["FUNCTIONS", "LAZY", "REF_FUNCTIONS"]

FUNCTIONS: dict[str, Callable[..., Any]] = {}
_MODULES = (maths, stats, logic, text, lookup, dates, calendar, finance, info)
for _module in _MODULES:
    FUNCTIONS.update(_module.FUNCTIONS)

REF_FUNCTIONS: frozenset[str] = frozenset(
    name for module in _MODULES for name in module.REF_FUNCTIONS
)

#: Functions whose arguments are evaluated only when needed (compiled inline).
LAZY = frozenset({"IF", "IFS", "IFERROR", "IFNA", "CHOOSE", "SWITCH"})
