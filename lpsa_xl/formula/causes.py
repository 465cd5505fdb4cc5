"""Why formula cells are stale: the input cells whose dependants were not recalculated.

An evaluation that records what each formula read (:class:`TracingEngine`) gives the dependency
graph. A stale cell none of whose precedents is stale is where staleness starts; the input cells
it reads are the suspects, less those a fresh formula also reads (a changed input would have
changed that formula too, unless it ignores it, so a suspect is cleared only when another is
left). The fewest inputs that account for every such cell are the causes, each with every stale
cell downstream of it. A stale cell reading no suspect is its own cause: its formula, or the
value cached for it, changed. A book whose formulas carry no values at all was never calculated.
Knows nothing of returns: cells, values and the graph only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from lpsa_xl.files.scan import KEY, Package
from lpsa_xl.formula.engine import Engine, address
from lpsa_xl.formula.index import RangeCache

__all__ = ["Cause", "Place", "TracingEngine", "causes"]

Key = tuple[int, int]  # (sheet index, row * KEY + col)
Bounds = tuple[int, int, int, int, int]
#: A range read with more cells than this is not searched for suspects (a whole column).
_SUSPECT_RANGE = 2_000


class _TracingRanges(RangeCache):
    def grid(self, b: Bounds) -> list[list[Any]]:
        self.book.read_range(b)
        return super().grid(b)

    def positions(self, b: Bounds) -> Any:
        self.book.read_range(b)
        return super().positions(b)

    def first(self, b: Bounds, axis: str, k: int) -> Any:
        self.book.read_range(b)
        return super().first(b, axis, k)


class TracingEngine(Engine):
    """An :class:`Engine` that records the cells and ranges each formula reads."""

    def __init__(self, package: Package, functions: dict[str, Callable[..., Any]] | None = None):
        super().__init__(package, functions)
        self.ranges = _TracingRanges(self)
        self.reads: dict[Key, set[Key]] = {}
        self.range_reads: dict[Key, set[Bounds]] = {}

    def cell(self, s: int, r: int, c: int) -> Any:
        here = self.current
        if here is not None:
            self.reads.setdefault((here[0], here[1] * KEY + here[2]), set()).add((s, r * KEY + c))
        return super().cell(s, r, c)

    def read_range(self, b: Bounds) -> None:
        here = self.current
        if here is not None:
            self.range_reads.setdefault((here[0], here[1] * KEY + here[2]), set()).add(b)


Place = tuple[str, str]  # (sheet name, "A1")


@dataclass
class Cause:
    """Stale cells and why: ``inputs`` changed without a recalculation, or, when empty,
    ``cells[0]`` itself changed (its formula, or the value cached for it). Places are
    ``(sheet name, "A1")``."""

    inputs: list[Place]
    cells: list[Place] = field(default_factory=list)


def _inside(key: Key, b: Bounds) -> bool:
    s, r1, c1, r2, c2 = b
    r, c = divmod(key[1], KEY)
    return key[0] == s and r1 <= r <= r2 and c1 <= c <= c2


def causes(engine: TracingEngine, stale: Iterable[Key]) -> list[Cause]:
    """Group the ``stale`` formula cells of a traced, calculated book by root cause."""
    stale_set = set(stale)
    formulas = {(s, f.row * KEY + f.col) for s, sh in enumerate(engine.package.sheets)
                for f in sh.formulas}  # fmt: skip
    inputs_by_sheet = [set(sh.values) for sh in engine.package.sheets]

    def precedents(x: Key) -> set[Key]:
        found = set(engine.reads.get(x, ()))
        for b in engine.range_reads.get(x, ()):
            s, r1, c1, r2, c2 = b
            if (r2 - r1 + 1) * (c2 - c1 + 1) <= _SUSPECT_RANGE:
                found.update((s, k) for k in inputs_by_sheet[s] if _inside((s, k), b))
            found.update(y for y in stale_set if _inside(y, b))
        return found

    pre = {x: precedents(x) for x in stale_set}
    frontier = [x for x in sorted(stale_set) if not (pre[x] - {x}) & stale_set]
    cleared: set[Key] = set()
    for x, read in engine.reads.items():
        if x in formulas and x not in stale_set:
            cleared.update(read)
    suspects: dict[Key, set[Key]] = {}
    for x in frontier:
        found = {y for y in pre[x] if y not in formulas}
        suspects[x] = (found - cleared) or found
    # downstream: stale cells reached from each stale cell through the graph
    below: dict[Key, set[Key]] = {x: set() for x in stale_set}
    for x, read in pre.items():
        for y in read & stale_set:
            if y != x:
                below[y].add(x)
    out: list[Cause] = []
    left = [x for x in frontier if suspects[x]]
    for x in frontier:
        if not suspects[x]:
            out.append(Cause([], _names(engine, _reach(below, [x]))))
    while left:
        counts: dict[Key, int] = {}
        for x in left:
            for y in suspects[x]:
                counts[y] = counts.get(y, 0) + 1
        best = max(counts, key=lambda y: (counts[y], -y[0], -y[1]))
        explained = [x for x in left if best in suspects[x]]
        left = [x for x in left if best not in suspects[x]]
        out.append(Cause(_names(engine, [best]), _names(engine, _reach(below, explained))))
    covered = {c for cause in out for c in cause.cells}
    rest = [x for x in sorted(stale_set) if _name(engine, x) not in covered]
    if rest:  # a cycle among stale cells has no frontier: one cause for all of it
        out.append(Cause([], _names(engine, rest)))
    return out


def _reach(below: dict[Key, set[Key]], start: list[Key]) -> list[Key]:
    seen, todo = set(start), list(start)
    while todo:
        for y in below[todo.pop()]:
            if y not in seen:
                seen.add(y)
                todo.append(y)
    return sorted(seen)


def _name(engine: Engine, key: Key) -> Place:
    r, c = divmod(key[1], KEY)
    return engine.names[key[0]], address("A", r, c).partition("!")[2]


def _names(engine: Engine, keys: Iterable[Key]) -> list[Place]:
    return [_name(engine, k) for k in keys]
