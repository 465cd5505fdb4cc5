"""Turning the cells of a return into the figures the rules take, with every problem named by
workbook, sheet and cell.

Problems are collected, not raised one at a time: a user fixing a return wants the whole list.
:class:`Problems` gathers them and :meth:`Problems.raise_if_any` raises one
:class:`ReturnProblemsError` listing them all.

The figures of a target row are read by :func:`lpsa_xl.returns.scale.row_figures` (rates on
one scale: "49%" beside 0.40 and 0.55 is 0.49, beside 40 and 55 it is 49; a scale nothing
decides is a problem at the cell). Money is taken as stored (:func:`as_money`). Weights are
fractions of a target: 0.9, 90% (formatted) or "90%" text; a plain 90 is a problem.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from lpsa_xl.files.errors import CellError, WorkbookError, where
from lpsa_xl.returns.model import FIGURE_FIELDS, Cell
from lpsa_xl.returns.scale import FigureProblem, money_figure, typed_figure

__all__ = [
    "INPUT_FIGURES",
    "Problems",
    "ReturnProblemsError",
    "as_direction",
    "as_money",
    "as_text",
    "as_weight",
]

#: Input fields of a target row that hold figures (taken as displayed).
INPUT_FIGURES = FIGURE_FIELDS

#: Canonical fields -> the words a message uses for them.
LABELS = {
    "expected": "expected performance (without the agreement)",
    "target": "target (with the agreement)",
    "actual": "actual performance",
    "baseline": "baseline",
    "interim_target": "interim target",
    "interim_actual": "interim actual",
    "weight": "sub-target weight",
    "potential": "potential reward",
    "value_per_unit": "value per unit",
    "nbr": "net budget requirement",
    "stated_potential": "stated potential reward",
    "pump_priming_grant": "pump-priming grant",
    "direction": "direction",
    "ref": "target reference",
    "share": "partner share",
}


class ReturnProblemsError(WorkbookError):
    """A return with problems; ``problems`` lists each, naming its cell."""

    def __init__(self, problems: list[WorkbookError], workbook: str | Path | None) -> None:
        self.problems = problems
        n = len(problems)
        body = "\n".join(f"  - {_strip(p, workbook)}" for p in problems)
        super().__init__(
            f"{n} problem{'s' if n != 1 else ''} in the return:\n{body}", workbook=workbook
        )


def _strip(problem: WorkbookError, workbook: str | Path | None) -> str:
    text = str(problem)
    prefix = where(workbook) + ", "
    return text[len(prefix) :] if workbook is not None and text.startswith(prefix) else text


class Problems:
    """Problems found in one workbook, collected in order."""

    def __init__(self, workbook: str | Path) -> None:
        self.workbook = workbook
        self.items: list[WorkbookError] = []

    def __iter__(self) -> Iterator[WorkbookError]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def add(
        self,
        message: str,
        cell: Cell | None = None,
        *,
        field: str | None = None,
        ref: str | None = None,
        sheet: str | None = None,
    ) -> None:
        self.items.append(
            CellError(
                message,
                workbook=self.workbook,
                sheet=cell.sheet if cell else sheet,
                cell=cell.coord if cell else None,
                field=LABELS.get(field or "", field),
                ref=ref,
            )
        )

    def add_error(self, error: WorkbookError) -> None:
        self.items.append(error)

    def raise_if_any(self) -> None:
        if self.items:
            raise ReturnProblemsError(self.items, self.workbook)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def as_money(
    cell: Cell | None, field: str, problems: Problems, *, ref: str | None = None
) -> Decimal | None:
    """A sum of money (an NBR, a budget, a spend) as stored, text "£3.3m" read with its
    multiplier (:func:`lpsa_xl.returns.scale.money_figure`); None for a blank or a problem."""
    try:
        return money_figure(cell, field)
    except FigureProblem as exc:
        problems.add(exc.reason, cell, field=field, ref=ref)
        return None


def as_weight(cell: Cell | None, problems: Problems, *, ref: str | None = None) -> Decimal | None:
    """A sub-target's weight as a fraction: 0.9, 90% (a %-formatted 0.9) or text "90%"."""
    try:
        typed = typed_figure(cell, "weight")
    except FigureProblem as exc:
        problems.add(
            exc.reason.replace("a figure is needed", "a weight such as 0.9 or 90% is needed"),
            cell,
            field="weight",
            ref=ref,
        )
        return None
    if typed is None:
        return None
    if typed.value > 1:
        problems.add(
            f"holds {typed.value}; a weight is a fraction of its target: type 0.9 or 90%",
            cell,
            field="weight",
            ref=ref,
        )
        return None
    return typed.value


def as_text(cell: Cell | None) -> str:
    """Text of a cell: a whole-number float reads as an integer (ref 3.0 -> "3")."""
    if cell is None or _blank(cell.value):
        return ""
    v = cell.value
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


_HIGHER = {
    "high",
    "h",
    "+",
    "up",
    "increase",
    "higher",
    "higher is better",
    "more",
    "maximise",
    "bigger is better",
    "larger is better",
    "↑",
}
_LOWER = {
    "low",
    "l",
    "-",
    "down",
    "decrease",
    "lower",
    "lower is better",
    "less",
    "minimise",
    "smaller is better",
    "reduce",
    "reduction",
    "↓",
}
_YES = {"y", "yes", "true", "1", "x", "✓", "lower"}
_NO = {"n", "no", "false", "0", "higher"}


def as_direction(cell: Cell | None, problems: Problems, *, ref: str | None = None) -> str | None:
    """``"higher"``, ``"lower"`` or None (not declared) from a direction cell."""
    if cell is None or _blank(cell.value):
        return None
    key = " ".join(str(cell.value).strip().lower().split())
    if key in _HIGHER:
        return "higher"
    if key in _LOWER:
        return "lower"
    problems.add(
        f"holds {cell.value!r}; expected higher or lower (or yes/no under 'Lower is better')",
        cell,
        field="direction",
        ref=ref,
    )
    return None


def lower_is_better(value: object) -> object:
    """The direction a "lower is better" cell means: yes -> "lower", no -> "higher"; anything
    else is returned as it is (so the direction check names the cell)."""
    if isinstance(value, bool):
        return "lower" if value else "higher"
    key = str(value).strip().lower() if value is not None else ""
    if key in _YES:
        return "lower"
    if key in _NO:
        return "higher"
    return value
