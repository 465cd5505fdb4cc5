"""What a checked return states, kept after its book is gone: the authority, scheme, agreement
figures and each line's figures, each with its cell, and the recomputed rewards.

A worker process builds a :class:`ReturnFigures` from the book rules' state
(:func:`capture`); the parent process compares it with the agreements register
(:mod:`lpsa_xl.check.against`) and records it in the returns history
(:func:`history_figures`), so neither the register nor a database connection goes to the
workers. Figures are the book rules' own conversions (Decimal), so the register rules and the
history see exactly what the other rules checked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from lpsa_xl.check.book import BookState, blank, number_or_none

__all__ = ["LINE_FIGURES", "ReturnFigures", "Stated", "StatedLine", "capture", "history_figures"]

#: The figures of a line the register and the history look at.
LINE_FIGURES = ("expected", "target", "weight", "potential", "interim_target", "actual")
#: The agreement's own figures they look at.
AGREEMENT_FIGURES = ("nbr", "stated_potential")


@dataclass(frozen=True)
class Stated:
    """A value a return states and where (``sheet`` and ``cell`` None when it has no cell)."""

    sheet: str | None
    cell: str | None
    value: Decimal | str | None

    @property
    def place(self) -> tuple[str | None, str | None]:
        return (self.sheet, self.cell)


@dataclass
class StatedLine:
    """A target or sub-target row: its figures (None: blank or already reported as unusable)."""

    ref: str
    parent: str
    sheet: str
    row: int
    figures: dict[str, Stated] = field(default_factory=dict)
    reward: Decimal | None = None
    #: The reference cell.
    place: tuple[str | None, str | None] = (None, None)

    @property
    def label(self) -> str:
        return f"{self.parent}/{self.ref}" if self.parent else self.ref


@dataclass
class ReturnFigures:
    """A return's statements, for the register rules and the history."""

    authority: str
    scheme: Stated
    scheme_given: bool
    agreement: dict[str, Stated] = field(default_factory=dict)
    lines: list[StatedLine] = field(default_factory=list)
    targets_sheet: str | None = None


def _place(cell: object, default_sheet: str | None) -> tuple[str | None, str | None]:
    if isinstance(cell, tuple):
        return cell[0], cell[1]
    return getattr(cell, "sheet", default_sheet), getattr(cell, "coord", None)


def capture(state: BookState, authority: str) -> ReturnFigures:
    """The statements of the return ``state`` checked (after the book rules ran)."""
    book = state.book
    scheme_cell = book.agreement.get("scheme")
    sheet, coord = (scheme_cell.sheet, scheme_cell.coord) if scheme_cell else (None, None)
    out = ReturnFigures(
        authority=authority,
        scheme=Stated(sheet, coord, state.scheme.name),
        scheme_given=not blank(scheme_cell),
        targets_sheet=book.targets[0].sheet if book.targets else None,
    )
    for name in AGREEMENT_FIGURES:
        cell = book.agreement.get(name)
        if cell is not None and not blank(cell):
            out.agreement[name] = Stated(cell.sheet, cell.coord, number_or_none(cell.value))
    rewards: dict[tuple[str, str], Decimal | None] = {}
    if state.result is not None:
        rewards = {(ln.parent, ln.ref): ln.reward for ln in state.result.lines}
    for r in state.rows:
        if not r.ref:
            continue
        line = StatedLine(r.ref, r.parent, r.row.sheet, r.row.row)
        line.place = _place(r.cell("ref"), r.row.sheet)
        for name in LINE_FIGURES:
            value = r.values.get(name)
            if value is None and blank(r.row.fields.get(name)):
                continue  # blank: nothing stated
            line.figures[name] = Stated(*_place(r.cell(name), r.row.sheet), value)  # type: ignore[arg-type]
        line.reward = rewards.get((r.parent, r.ref))
        out.lines.append(line)
    return out


def history_figures(
    figures: ReturnFigures, totals: dict[str, Decimal | None]
) -> dict[tuple[str, str], Decimal | None]:
    """The figures a round records: ``("", name)`` for the agreement's and the totals,
    ``(line label, name)`` for each line's, its recomputed reward included."""
    out: dict[tuple[str, str], Decimal | None] = {}
    for name, stated in figures.agreement.items():
        out[("", name)] = stated.value if isinstance(stated.value, Decimal) else None
    for name, value in totals.items():
        out[("", name)] = value
    for line in figures.lines:
        for name, stated in line.figures.items():
            out[(line.label, name)] = stated.value if isinstance(stated.value, Decimal) else None
        if line.reward is not None:
            out[(line.label, "reward")] = line.reward
    return out
