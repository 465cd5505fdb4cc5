"""Forecasts of a computed return's targets from their monitoring series, and the roll-up
(docs/forecast.md, docs/rules.md#roll-up).

A target has a series where the return gives its figures year by year (a column per year) or
in a Monitoring table (ref, period, value). The final period is the financial year the
agreement ends in (its end date), else the last year column. A target whose final period is
not reported yet gets a forecast of its final outturn: the least-squares trend with two
figures or more, the latest figure carried on with one. A series that cannot be forecast (a
label that names no period, a figure that is not a number) is a warning at its cell and the
target is left without a forecast, never given a guessed one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lpsa_xl.files.errors import CellError
from lpsa_xl.returns.model import Cell, ReturnBook
from lpsa_xl.rules import Forecast, Line, LpsaError, Result, Rollup, Scheme, forecast, rollup_result
from lpsa_xl.rules.payment import financial_year, parse_financial_year
from lpsa_xl.rules.periods import period_position

__all__ = ["Outlook", "outlook"]


@dataclass
class Outlook:
    """The forecasts of a return's targets (by ref), the final period and the roll-up."""

    final_period: str | None
    forecasts: dict[str, Forecast] = field(default_factory=dict)
    rollup: Rollup | None = None
    warnings: list[CellError] = field(default_factory=list)


def _final(book: ReturnBook, result: Result) -> str | None:
    end = result.agreement.period_end
    if end is not None:
        return financial_year(parse_financial_year(end))
    return book.final_period


def _reported(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def outlook(book: ReturnBook, result: Result) -> Outlook:
    """Forecast every target whose series stops short of the final period; roll them up."""
    final = _final(book, result)
    out = Outlook(final)
    if final is not None and book.series:
        sch = result.agreement.scheme_obj
        for line in result.lines:
            series = book.series.get(line.ref)
            if not series:
                continue
            try:
                got = _forecast_line(series, final, line, sch)
            except LpsaError as exc:
                cell = next((c for _p, c in series if _reported(c.value)), series[0][1])
                out.warnings.append(_at(book, cell, line.ref, f"no forecast: {exc.reason}"))
                continue
            if got is not None:
                out.forecasts[line.ref] = got
    out.rollup = rollup_result(result, out.forecasts)
    return out


def _forecast_line(
    series: list[tuple[str, Cell]], final: str, line: Line, sch: Scheme
) -> Forecast | None:
    """The line's forecast, or None when its final period is already reported."""
    end = period_position(final, "final_period")
    points = [(p, c.value) for p, c in series if _reported(c.value)]
    if not points or any(period_position(p) >= end for p, _v in points):
        return None  # nothing to forecast from, or the final figure is in
    method = "trend" if len(points) >= 2 else "last"
    return forecast(
        [p for p, _v in points],
        [v for _p, v in points],
        final,
        line.expected,
        line.target,
        line.potential,
        scheme=sch,
        method=method,
    )


def _at(book: ReturnBook, cell: Cell, ref: str, message: str) -> CellError:
    return CellError(message, workbook=book.path, sheet=cell.sheet, cell=cell.coord, ref=ref)
