"""Turning the cells of a return into the figures the rules take, with every problem named by
workbook, sheet and cell (issue 3, item 6).

Problems are collected, not raised one at a time: a user fixing a return wants the whole list.
:class:`Problems` gathers them and :meth:`Problems.raise_if_any` raises one
:class:`ReturnProblemsError` listing them all.

Percentages (the rule, also in the README): **a figure is taken as it is displayed.** A cell
formatted as a percentage holding 0.45 shows "45%" and is read as 45; text "45%" is read as 45;
a plain 45 is 45. Expected, target and actual of a target are thus in the same unit whichever
way they were typed, and achievement, a ratio, is the same either way. A row whose figures look
like a mix of fractions and percentages (0.45 beside 48 in a "%" row, none formatted as %) is a
problem. Weights are fractions of a target: 0.9, 90% (formatted) or "90%" text; a plain 90 is a
problem.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from lpsa_xl.files.errors import CellError, WorkbookError, where
from lpsa_xl.returns.model import FIGURE_FIELDS, Cell
from lpsa_xl.rules import InputError, to_decimal
from lpsa_xl.values import ERRORS

__all__ = [
    "INPUT_FIGURES",
    "Problems",
    "ReturnProblemsError",
    "as_direction",
    "as_figure",
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


def _is_pct_format(fmt: str) -> bool:
    return "%" in re.sub(r'"[^"]*"|\\.', "", fmt or "")


def _common(cell: Cell, field: str, problems: Problems, ref: str | None) -> Decimal | bool | None:
    """Shared checks: blank -> None, error values, dates and bools -> problem (False)."""
    v = cell.value
    if _blank(v):
        return None
    if isinstance(v, str) and v.strip().upper() in ERRORS:
        problems.add(
            f"holds the error value {v.strip().upper()}; a figure is needed",
            cell,
            field=field,
            ref=ref,
        )
        return False
    if isinstance(v, bool):
        problems.add(f"holds {str(v).upper()}; a figure is needed", cell, field=field, ref=ref)
        return False
    if isinstance(v, (_dt.date, _dt.datetime, _dt.time)):
        problems.add(f"holds a date ({v}); a figure is needed", cell, field=field, ref=ref)
        return False
    return True


def as_figure(
    cell: Cell | None,
    field: str,
    problems: Problems,
    *,
    ref: str | None = None,
    required: bool = False,
) -> Decimal | None:
    """A figure as displayed (see the module's percentage rule); None for a blank (a problem
    when ``required``)."""
    if cell is None:
        return None
    ok = _common(cell, field, problems, ref)
    if ok is None:
        if required:
            problems.add("is blank; a figure is needed", cell, field=field, ref=ref)
        return None
    if ok is False:
        return None
    v = cell.value
    try:
        if isinstance(v, str):
            text = v.strip()
            if text.endswith("%"):
                return to_decimal(text[:-1], field)
            return to_decimal(text, field)
        number = to_decimal(v, field)
    except InputError:
        problems.add(f"holds text {v!r}; a figure is needed", cell, field=field, ref=ref)
        return None
    return number * 100 if _is_pct_format(cell.number_format) else number


def as_weight(cell: Cell | None, problems: Problems, *, ref: str | None = None) -> Decimal | None:
    """A sub-target's weight as a fraction: 0.9, 90% (a %-formatted 0.9) or text "90%"."""
    if cell is None:
        return None
    ok = _common(cell, "weight", problems, ref)
    if ok is not True:
        return None
    v = cell.value
    try:
        if isinstance(v, str) and v.strip().endswith("%"):
            return to_decimal(v.strip()[:-1], "weight") / 100
        number = to_decimal(v, "weight")
    except InputError:
        problems.add(
            f"holds text {v!r}; a weight such as 0.9 or 90% is needed",
            cell,
            field="weight",
            ref=ref,
        )
        return None
    if number > 1:
        problems.add(
            f"holds {number}; a weight is a fraction of its target: type 0.9 or 90%",
            cell,
            field="weight",
            ref=ref,
        )
        return None
    return number


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


def mixed_percentages(cells: dict[str, Cell], figures: dict[str, Decimal | None]) -> bool:
    """Whether a "%" row mixes fractions and percentages: some figure at most 1 (not 0), some
    above 1, and none formatted as a percentage (which would already be taken as displayed)."""
    values = [abs(v) for v in figures.values() if v is not None and v != 0]
    if not values or any(_is_pct_format(c.number_format) for c in cells.values()):
        return False
    return min(values) <= 1 < max(values)
