"""The forecast functions' bodies: ``LPSA_FORECAST`` (the reward a monitoring series is heading
for), ``LPSA_FORECAST_OUTTURN`` (the final figure it is heading for), ``LPSA_FORECAST_STATUS``
(on track, at risk or likely missed), and ``LPSA_ROLLUP`` (the targets of a table counted by
class, with the money at stake in each). Ranges arrive as a row or a column each, or one cell; a
blank value is a period not reported yet, and an error value in any range passes through as that
error."""

from __future__ import annotations

from decimal import Decimal

from lpsa_xl import rules
from lpsa_xl.functions.base import ErrorInput
from lpsa_xl.values import ExcelError

__all__ = [
    "ROLLUP_HEADER",
    "forecast_outturn",
    "forecast_reward",
    "forecast_status",
    "rollup_table",
]

ROLLUP_HEADER = ["class", "targets", "potential", "reward"]


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


def rollup_table(
    statuses: object, potentials: object, rewards: object = None
) -> list[list[object]]:
    """``LPSA_ROLLUP``: every class with its number of targets, potential and reward, then the
    total. ``statuses``, ``potentials`` and ``rewards`` are columns of one table; a status is a
    final colour (Green, Amber, Red), a forecast status or a blank (not yet measurable)."""
    names, pots = _cells(statuses), _cells(potentials)
    paid = _cells(rewards) if rewards is not None and rewards != "" else [None] * len(names)
    while names and pots and _blank(names[-1]) and _blank(pots[-1]):
        names.pop()  # a range drawn past the last row
        pots.pop()
    paid = paid[: len(names)]
    if not (len(names) == len(pots) == len(paid)):
        raise rules.InputError(
            f"{len(names)} statuses, {len(pots)} potentials and {len(paid)} rewards: give the "
            "columns of one table",
            field="potentials",
        )
    summary = rules.rollup(
        (f"row {i}", s, p, r) for i, (s, p, r) in enumerate(zip(names, pots, paid), start=1)
    )
    out: list[list[object]] = [list(ROLLUP_HEADER)]
    out += [[c.name, c.count, c.potential, c.reward] for c in summary.classes]
    out.append(["total", summary.count, summary.potential, summary.reward])
    return out
