"""Cells whose value is not Excel's to compare: what each formula's value depends on beyond the
book's own cells.

Three kinds, strongest first:

* ``declined``: the cell, or a cell it reads (directly or through others), could not be
  computed as Excel computes it (an unknown function, a form declined, a circular reference).
  Even ``IFERROR(FOO(1), 0)`` is such a cell: its 0 is not Excel's answer.
* ``environment``: it depends on Excel's surroundings (``CELL("filename")``, ``INFO``): the
  file's path, the operating system, the window. No headless evaluator knows them.
* ``volatile``: it depends on the clock or chance (``TODAY``, ``NOW``, ``RAND``,
  ``RANDBETWEEN``): computed, but a value Excel cached was right for its own moment, so the two
  are not compared.

``OFFSET`` and ``INDIRECT`` are volatile in Excel (it recalculates them every time) but their
value is fixed by the book's cells: they are computed and compared like any other function.

The engine marks a cell when it calls such a function, and every cell reading a marked cell is
marked in turn (see :class:`Tainting`). Books without any such cell pay nothing: the marking read
is switched on only by the first mark.
"""

from __future__ import annotations

from typing import Any

from lpsa_xl.files.scan import KEY

__all__ = ["ENVIRONMENT", "KINDS", "RANK", "VOLATILE", "Tainting"]

#: Functions whose value changes with the clock or at random (computed, never compared).
VOLATILE = frozenset({"TODAY", "NOW", "RAND", "RANDBETWEEN", "RANDARRAY"})
#: Functions that read Excel's surroundings (some CELL info types, every INFO type).
ENVIRONMENT = frozenset({"CELL", "INFO"})
#: Kinds by strength: a cell depending on several is reported under the strongest.
RANK = {"volatile": 1, "environment": 2, "declined": 3}
KINDS = tuple(sorted(RANK, key=RANK.__getitem__, reverse=True))

Key = tuple[int, int]
Bounds = tuple[int, int, int, int, int]


class Tainting:
    """The marking half of :class:`~lpsa_xl.formula.engine.Engine` (a mixin: it uses the
    engine's ``_stack``, ``cell`` and ``compiler``)."""

    tainted: dict[Key, str]
    taint_what: dict[str, set[str]]
    _stack: list[Key]
    compiler: Any

    def _init_taint(self) -> None:
        self.tainted = {}
        self.taint_what = {}
        self._range_taint: dict[Bounds, str | None] = {}
        self._marking = False

    def taint(self, kind: str, what: str) -> None:
        """Mark the cell being evaluated, and every cell whose evaluation is reading it (the
        evaluation stack), as depending on ``kind`` (``what``: the function or reason)."""
        self.taint_what.setdefault(kind, set()).add(what)
        for key in self._stack:
            self._mark(key, kind)
        if not self._marking:
            self._marking = True
            read = self._marking_cell
            self.cell = read  # type: ignore[method-assign]  # reads from now on pass marks on
            self.compiler.env["cell"] = read

    def _mark(self, key: Key, kind: str) -> None:
        old = self.tainted.get(key)
        if old is None or RANK[old] < RANK[kind]:
            self.tainted[key] = kind

    def _marking_cell(self, s: int, r: int, c: int) -> Any:
        v = type(self).cell(self, s, r, c)  # type: ignore[attr-defined]
        kind = self.tainted.get((s, r * KEY + c))
        if kind is not None and self._stack:
            self._mark(self._stack[-1], kind)
        return v

    def taint_range(self, b: Bounds) -> None:
        """A cached range was read again: pass on the strongest mark among its cells."""
        kind = self._range_taint.get(b, "")
        if kind == "":
            kind = self._strongest(b)
            self._range_taint[b] = kind
        if kind is not None and self._stack:
            self._mark(self._stack[-1], kind)

    def _strongest(self, b: Bounds) -> str | None:
        s, r1, c1, r2, c2 = b
        base = KEY
        best: str | None = None
        if len(self.tainted) <= (r2 - r1 + 1) * (c2 - c1 + 1):
            keys: Any = self.tainted.items()
        else:
            keys = (
                ((s, r * base + c), self.tainted.get((s, r * base + c)))
                for r in range(r1, r2 + 1)
                for c in range(c1, c2 + 1)
            )
        for (ks, k), kind in keys:
            if kind is None or ks != s:
                continue
            r, c = divmod(k, base)
            if r1 <= r <= r2 and c1 <= c <= c2 and (best is None or RANK[kind] > RANK[best]):
                best = kind
        return best

    def volatile(self, name: str, fn: Any, *args: Any) -> Any:
        """Call the volatile function ``fn`` (named ``name``), marking the cell."""
        self.taint("volatile", name)
        return fn(*args)
