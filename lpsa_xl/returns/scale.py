"""One target's figures read as typed and brought to one scale (docs/rules.md#stretch,
docs/rules.md#return).

Councils type rates three ways: as fractions (0.40), as percentage points (40) and as
percentages (the text "40%", or 0.40 in a cell formatted as a percentage). Each figure is first
read as Excel stores it (:func:`typed_figure`: "49%" and a 49%-formatted cell are both 0.49,
marked as a percentage), then the expected, target, actual (and baseline, interim) figures of
one target are put on one scale (:func:`one_scale`):

* none typed as a percentage: taken as they are;
* every non-zero one typed as a percentage: taken as displayed (0.45 formatted as % is 45);
* a mix: the percentages are read as fractions (0.49) or as points (49), whichever keeps the
  target's figures within one order of magnitude of each other, measured as the spread
  (largest over smallest non-zero size) of the row. When the two readings' spreads are within
  :data:`DECISIVE` of each other, nothing in the row says which was meant, and the target is
  refused at the percentage's cell (:class:`ScaleProblem`) rather than paid on a guess.

Achievement is a ratio, so any one scale gives the same reward; what matters is that the three
figures share it: 0.40 and 0.55 beside "49%" is 0.49 (60% of the stretch), not 49.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from lpsa_xl.returns.model import Cell
from lpsa_xl.rules import InputError, to_decimal
from lpsa_xl.rules.convert import read_number_text, tidy
from lpsa_xl.values import ERRORS

__all__ = [
    "DECISIVE",
    "SCALED",
    "FigureProblem",
    "ScaleProblem",
    "Typed",
    "is_percent_format",
    "one_scale",
    "typed_figure",
]

#: The fields of a target put on one scale.
SCALED = ("baseline", "expected", "target", "interim_target", "interim_actual", "actual")
#: How many times tighter one reading's spread must be than the other's to be taken.
DECISIVE = Decimal(10)


@dataclass(frozen=True)
class Typed:
    """A figure as a cell holds it: ``value`` as Excel stores it ("49%" is 0.49), and whether
    it was typed or formatted as a percentage."""

    value: Decimal
    percent: bool = False

    @property
    def points(self) -> Decimal:
        """The figure as displayed: a percentage in points (0.49 -> 49)."""
        return tidy(self.value * 100) if self.percent else self.value


class FigureProblem(Exception):
    """A cell that holds no usable figure; ``reason`` says what it holds and what is needed."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ScaleProblem(FigureProblem):
    """A target whose figures mix percentages and plain numbers in a way no reading decides;
    ``field`` is the percentage's field."""

    def __init__(self, reason: str, field: str) -> None:
        super().__init__(reason)
        self.field = field


def is_percent_format(fmt: str | None) -> bool:
    """Whether an Excel number format shows a percentage (a "%" outside quotes and escapes)."""
    return "%" in re.sub(r'"[^"]*"|\\.', "", fmt or "")


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def typed_figure(cell: Cell | None, field: str = "value") -> Typed | None:
    """The figure a cell holds (None when blank). Raises :class:`FigureProblem` for an error
    value, TRUE/FALSE, a date or text that is not a number."""
    if cell is None or _blank(cell.value):
        return None
    v = cell.value
    if isinstance(v, str):
        code = v.strip().upper()
        if code in ERRORS:
            raise FigureProblem(f"holds the error value {code}; a figure is needed")
        try:
            read = read_number_text(v, field)
        except InputError:
            raise FigureProblem(f"holds text {v!r}; a figure is needed") from None
        return Typed(read.value, read.percent)
    if isinstance(v, bool):
        raise FigureProblem(f"holds {str(v).upper()}; a figure is needed")
    if isinstance(v, (_dt.date, _dt.datetime, _dt.time)):
        shown = v.strftime("%d/%m/%Y") if isinstance(v, _dt.date) else str(v)
        raise FigureProblem(f"holds a date or time ({shown}); a figure is needed")
    try:
        number = to_decimal(v, field)
    except InputError:
        raise FigureProblem(f"holds {v!r}; a figure is needed") from None
    return Typed(number, is_percent_format(cell.number_format))


def _spread(values: list[Decimal]) -> Decimal:
    sizes = [abs(v) for v in values if v != 0]
    return max(sizes) / min(sizes) if len(sizes) > 1 else Decimal(1)


def _shown(t: Typed) -> str:
    return f"{t.points.normalize():f}%" if t.percent else f"{t.value.normalize():f}"


def one_scale(figures: Mapping[str, Typed | None]) -> tuple[dict[str, Decimal | None], str]:
    """The figures of one target on one scale, and how the percentages were read ("" when no
    choice was made, else "fractions" or "points"). Raises :class:`ScaleProblem` when the
    scale cannot be decided (see the module)."""
    present = {k: t for k, t in figures.items() if t is not None}
    out: dict[str, Decimal | None] = {k: None for k in figures}
    plain = [t for t in present.values() if not t.percent and t.value != 0]
    percent = [k for k, t in present.items() if t.percent and t.value != 0]
    if not percent or not plain:  # one kind only: as typed, percentages as displayed
        out.update({k: t.points for k, t in present.items()})
        return out, ""
    as_fractions = [t.value for t in present.values()]
    as_points = [t.points for t in present.values()]
    fractions, points = _spread(as_fractions), _spread(as_points)
    if points >= fractions * DECISIVE:
        out.update({k: t.value for k, t in present.items()})
        return out, "fractions"
    if fractions >= points * DECISIVE:
        out.update({k: t.points for k, t in present.items()})
        return out, "points"
    first = percent[0]
    pct = present[first]
    others = " and ".join(_shown(t) for t in present.values() if not t.percent and t.value != 0)
    raise ScaleProblem(
        f"is typed as a percentage ({_shown(pct)}) beside {others} typed as plain numbers, "
        f"and nothing in the row says whether it means {pct.value.normalize():f} or "
        f"{pct.points.normalize():f} on their scale: type the target's figures all as "
        "percentages or all as plain numbers",
        first,
    )


#: Figures of a target that are money or value, never put on the rates' scale.
MONEY = ("potential", "value_per_unit")
_SUFFIX = {"m": Decimal(1_000_000), "k": Decimal(1_000), "bn": Decimal(1_000_000_000)}


def money_figure(cell: Cell | None, field: str = "value") -> Decimal | None:
    """A sum of money or a count: the value as stored (a %-formatted cell is not a
    percentage of anything here), text "£3.3m" or "3,325k" read with its multiplier. None for a
    blank; raises :class:`FigureProblem`."""
    if cell is not None and isinstance(cell.value, str):
        m = re.fullmatch(r"\s*(£?\s*[\d,]*\.?\d+)\s*(m|k|bn)\s*", cell.value, re.I)
        if m:
            base = typed_figure(Cell(cell.sheet, cell.coord, m[1]), field)
            assert base is not None
            return base.value * _SUFFIX[m[2].lower()]
    typed = typed_figure(cell, field)
    return None if typed is None else typed.value


@dataclass
class RowFigures:
    """One target row's figures as both ``compute`` and ``check`` take them: on one scale,
    with the problems that stop the row being used and the warnings it deserves, each as
    (field, reason)."""

    figures: dict[str, Decimal | None]
    problems: list[tuple[str, str]]
    warnings: list[tuple[str, str]]
    scale: str = ""


_PERCENT_UNITS = ("%", "percent", "percentage", "per cent")


def row_figures(cells: Mapping[str, Cell], unit: str = "") -> RowFigures:
    """The figures of one target row (``cells``: field -> cell): every figure field read
    (:func:`typed_figure`, :func:`money_figure`), the rates put on one scale
    (:func:`one_scale`), a "%" row mixing fractions and percentages refused, implausible
    figures warned about (:mod:`lpsa_xl.returns.plausible`)."""
    from lpsa_xl.returns.plausible import implausible

    out = RowFigures({}, [], [])
    typed: dict[str, Typed | None] = {}
    for name in SCALED:
        if name not in cells:
            continue
        try:
            typed[name] = typed_figure(cells[name], name)
        except FigureProblem as exc:
            out.problems.append((name, exc.reason))
    for name in MONEY:
        if name not in cells:
            continue
        try:
            out.figures[name] = money_figure(cells[name], name)
        except FigureProblem as exc:
            out.problems.append((name, exc.reason))
            out.figures[name] = None
    if out.problems:
        out.figures.update({k: None for k in typed})
        return out
    try:
        scaled, out.scale = one_scale(typed)
    except ScaleProblem as exc:
        out.problems.append((exc.field, exc.reason))
        out.figures.update({k: None for k in typed})
        return out
    out.figures.update(scaled)
    rates = {k: scaled.get(k) for k in ("expected", "target", "actual")}
    values = [abs(v) for v in rates.values() if v is not None and v != 0]
    if (
        unit.strip().lower() in _PERCENT_UNITS
        and values
        and not any(t is not None and t.percent for t in typed.values())
        and min(values) <= 1 < max(values)
    ):
        out.problems.append(
            (
                "expected",
                "mixes fractions and percentages (e.g. 0.45 beside 48); type all as "
                "percentages (45) or format them as %",
            )
        )
        return out
    out.warnings.extend(implausible(rates))
    return out
