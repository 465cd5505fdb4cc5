"""The forecast functions' bodies: ``LPSA_FORECAST`` (the reward a monitoring series is heading
for), ``LPSA_FORECAST_OUTTURN`` (the final figure it is heading for) and
``LPSA_FORECAST_STATUS`` (on track, at risk or likely missed). The periods and values arrive as
ranges (a row or a column each, or one cell); a blank value is a period not reported yet, and an
error value in either range passes through as that error."""

from __future__ import annotations

from decimal import Decimal

from lpsa_xl import rules
from lpsa_xl.functions.base import ErrorInput
from lpsa_xl.values import ExcelError

__all__ = ["forecast_outturn", "forecast_reward", "forecast_status"]


def _cells(value: object) -> list[object]:
    """A range (a row, a column or a block, read row by row) or one cell as a flat list."""
    if not isinstance(value, (list, tuple)):
        value = [value]
    cells: list[object] = []
    for item in value:
        cells.extend(_cells(item) if isinstance(item, (list, tuple)) else [item])
    for cell in cells:
        if isinstance(cell, ExcelError):
            raise ErrorInput(cell)
    return cells


def _series(periods: object, values: object) -> tuple[list[object], list[object]]:
    labels, figures = _cells(periods), _cells(values)
    while labels and figures and _blank(labels[-1]) and _blank(figures[-1]):
        labels.pop()  # a range drawn past the last row
        figures.pop()
    return labels, figures


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def forecast_outturn(
    periods: object, values: object, final_period: object, method: object = None
) -> Decimal:
    """``LPSA_FORECAST_OUTTURN``: the figure the series is forecast to reach."""
    labels, figures = _series(periods, values)
    return rules.forecast_outturn(labels, figures, final_period, method).outturn


def _forecast(
    periods: object,
    values: object,
    final_period: object,
    expected: object,
    target: object,
    potential: object,
    scheme: object,
    method: object,
) -> rules.Forecast:
    labels, figures = _series(periods, values)
    return rules.forecast(
        labels, figures, final_period, expected, target, potential, scheme, method
    )


def forecast_reward(
    periods: object,
    values: object,
    final_period: object,
    expected: object,
    target: object,
    potential: object,
    scheme: object = None,
    method: object = None,
) -> Decimal:
    """``LPSA_FORECAST``: the reward the forecast outturn would earn."""
    return _forecast(
        periods, values, final_period, expected, target, potential, scheme, method
    ).reward


def forecast_status(
    periods: object,
    values: object,
    final_period: object,
    expected: object,
    target: object,
    scheme: object = None,
    method: object = None,
) -> str:
    """``LPSA_FORECAST_STATUS``: on track, at risk or likely missed."""
    return _forecast(periods, values, final_period, expected, target, 0, scheme, method).status
