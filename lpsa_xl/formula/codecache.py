"""Generated formula code shared across workbooks: the bytecode of each generated source, and
per workbook structure (same sheets, defined names, tables, calendar and bound functions, as the
returns of one template have) the constants and sources the compiler generated, so a return
whose formulas were compiled for an earlier one only runs cached bytecode.

Used by :mod:`lpsa_xl.formula.compiler`; imports only the runtime's function binding.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

from lpsa_xl.formula.runtime import bind_function

__all__ = ["Generated", "bound", "bytecode", "generated"]


@functools.lru_cache(maxsize=8192)
def bytecode(code: str) -> Any:
    """Python's compilation of generated source, cached across workbooks: books of one template
    generate the same source for the same formulas."""
    return compile(code, "<formula>", "exec")


class Generated:
    """Generated source shared by every workbook of one structure (same sheets, defined names,
    tables, calendar and bound functions: the returns of one template): the constants the
    source names (``K0``, ``K1``...) and each formula's source, so a return whose formulas were
    generated for an earlier return only executes cached bytecode (generating the code
    was about 2.5 ms a return, a large part of checking one)."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.consts: dict[Any, str] = {}
        self.values: dict[str, Any] = {}
        self.sources: dict[tuple[int, str | None, str], tuple[str | None, frozenset[str], str]] = {}


#: Structure -> what was generated for it; emptied when it holds this many structures.
_GENERATED: dict[tuple[Any, ...], Generated] = {}
_MAX_STRUCTURES = 64
_GENERATED_LOCK = threading.Lock()
_UDFS: dict[tuple[Any, str], Callable[..., Any]] = {}


def generated(structure: tuple[Any, ...]) -> Generated:
    with _GENERATED_LOCK:
        found = _GENERATED.get(structure)
        if found is None:
            if len(_GENERATED) >= _MAX_STRUCTURES:
                _GENERATED.clear()
            found = _GENERATED[structure] = Generated()
        return found


def bound(fn: Callable[..., Any], name: str) -> Callable[..., Any]:
    """:func:`bind_function` of ``fn``, one binding per function and name, so that books binding the
    same functions share a structure (the binding itself is part of it)."""
    try:
        hit = _UDFS.get((fn, name))
    except TypeError:  # an unhashable callable: a binding of its own, a structure of its own
        return bind_function(fn, name)
    if hit is None:
        if len(_UDFS) >= 4096:
            _UDFS.clear()
        hit = _UDFS[(fn, name)] = bind_function(fn, name)
    return hit
