"""Where the checker finds the parts other modules provide, as ``"module:attribute"``.

* :data:`READER`: ``reader(path) -> ReturnBook``, the workbook reader (template layout and
  council layouts found by their headers). It should open files with
  :func:`lpsa_xl.files.openbook.open_workbook`.
* :data:`RECOMPUTE`: ``stale(path) -> [difference]``, each formula cell whose cached value is
  not what the headless evaluator computes, with ``sheet``, ``cell``, ``cached`` and
  ``computed``: the stale-cache rule (LPSA016). The evaluator reads the file once for both.

``lpsa-xl check --reader/--recompute`` override them (tests use a fixture reader that way).
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from typing import Any

__all__ = ["READER", "RECOMPUTE", "resolve"]

READER = "lpsa_xl.returns.read:read_return"
RECOMPUTE = "lpsa_xl.returns.recalc:stale_cells"


@functools.cache
def resolve(spec: str) -> Callable[..., Any]:
    """The callable named by ``"module:attribute"``; ImportError/AttributeError if absent."""
    module, _, attribute = spec.partition(":")
    found: Callable[..., Any] = getattr(importlib.import_module(module), attribute)
    return found
