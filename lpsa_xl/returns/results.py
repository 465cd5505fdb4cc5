"""The results of :func:`lpsa_xl.returns.compute.compute_book`, as ``lpsa-xl compute`` gives
them: JSON with every figure a decimal string (:func:`to_json`; a JSON number would pass through
binary floating point), and a results sheet added to a copy of the return (:func:`write_results`).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from lpsa_xl.returns.compute import RESULTS_SHEET, Computed

__all__ = ["to_json", "write_results"]


def _s(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    return value


def to_json(done: Computed) -> dict[str, Any]:
    """The JSON document of a computed return (figures as decimal strings)."""
    r = done.result
    targets = []
    for ln in r.lines:
        row = done.rows.get(ln.ref)
        targets.append(
            {
                "sheet": row.sheet if row else None,
                "row": row.row if row else None,
                "ref": ln.ref,
                "parent": ln.parent or None,
                "measure": ln.measure,
                "expected": _s(ln.expected),
                "target": _s(ln.target),
                "actual": _s(ln.actual),
                "potential": _s(ln.potential),
                "stretch": _s(ln.stretch),
                "achievement": _s(ln.achievement),
                "payable": _s(ln.payable),
                "reward": _s(ln.reward),
                "status": ln.status,
                "trigger": _s(ln.trigger),
                "forecast": _forecast(done, ln.ref),
            }
        )
    return {
        "workbook": str(done.book.path),
        "layout": done.book.layout,
        "scheme": r.agreement.scheme_obj.name,
        "targets": targets,
        "total_potential": _s(r.total_potential),
        "total_reward": _s(r.total_reward),
        "on_account": _s(r.on_account),
        "payments": [
            {
                "year": p.year,
                "kind": p.kind,
                "paid": _s(p.paid),
                "capital": _s(p.capital),
                "revenue": _s(p.revenue),
            }
            for p in r.payments
        ],
        "partner_shares": {k: _s(v) for k, v in r.partner_shares.items()},
        "pump_priming": None
        if r.pump_priming is None
        else {
            "grant": _s(r.pump_priming.budget),
            "spent": _s(r.pump_priming.spend),
            "remaining": _s(r.pump_priming.remaining),
            "overspent": r.pump_priming.overspent,
        },
        **_outlook(done),
        "notes": done.book.notes,
        "warnings": [str(w) for w in done.warnings],
    }


def _forecast(done: Computed, ref: str) -> dict[str, Any] | None:
    f = done.outlook.forecasts.get(ref) if done.outlook else None
    if f is None:
        return None
    names = ("outturn", "low", "high", "achievement", "payable", "reward", "reward_low",
             "reward_high")  # fmt: skip
    return {
        "final_period": f.final_period,
        "method": f.method,
        "latest_period": f.latest_period,
        "points": f.points,
        **{name: _s(getattr(f, name)) for name in names},
        "status": f.status,
    }


def _outlook(done: Computed) -> dict[str, Any]:
    """``final_period``, ``forecast_reward`` (the final reward of the lines that are in plus
    the forecast reward of the rest; null without a forecast) and the ``rollup`` by class."""
    ahead = done.outlook
    if ahead is None or ahead.rollup is None:
        return {"final_period": None, "forecast_reward": None, "rollup": None}
    return {
        "final_period": ahead.final_period,
        "forecast_reward": _s(ahead.rollup.reward) if ahead.forecasts else None,
        "rollup": {
            c.name: {
                "targets": c.count,
                "refs": list(c.refs),
                "potential": _s(c.potential),
                "reward": _s(c.reward),
            }
            for c in ahead.rollup.classes
        },
    }


def _f(value: object) -> object:
    """A figure as an Excel cell value (float only at this edge)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def write_results(
    done: Computed, source: Path, out: Path | None, *, in_place: bool, force: bool
) -> Path:
    """A copy of ``source`` with a new results sheet, written safely (:mod:`.safe`)."""
    from openpyxl.styles import Font

    from lpsa_xl.files.safe import load_for_update, save_copy

    wb = load_for_update(source)
    name, n = RESULTS_SHEET, 1
    while name in wb.sheetnames:
        n += 1
        name = f"{RESULTS_SHEET} {n}"
    ws = wb.create_sheet(name)
    r = done.result
    ws.append(
        [
            f"Computed by lpsa-xl from {source.name} ({done.book.layout} layout), "
            f"scheme {r.agreement.scheme_obj.name}"
        ]
    )
    ws["A1"].font = Font(bold=True)
    ws.append([])
    head = [
        "Sheet",
        "Row",
        "Ref",
        "Parent",
        "Measure",
        "Expected",
        "Target",
        "Actual",
        "Potential £",
        "Stretch",
        "% of stretch",
        "Payable %",
        "Reward £",
        "Status",
        "60% trigger",
    ]
    ws.append(head)
    for c in ws[3]:
        c.font = Font(bold=True)
    figures = (
        "expected",
        "target",
        "actual",
        "potential",
        "stretch",
        "achievement",
        "payable",
        "reward",
    )
    formats = {9: "#,##0", 11: "0.0%", 12: "0.0%", 13: "#,##0"}
    for number, ln in enumerate(r.lines, start=4):  # ws.max_row is O(cells): count instead
        row = done.rows.get(ln.ref)
        where = [row.sheet, row.row] if row else [None, None]
        values = [
            *where,
            ln.ref,
            ln.parent or None,
            ln.measure,
            *(_f(getattr(ln, name)) for name in figures),
            ln.status,
            _f(ln.trigger),
        ]
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=number, column=col, value=value)
            if col in formats:
                cell.number_format = formats[col]
    ws.append([])
    ws.append(
        ["Total potential £", None, None, None, None, None, None, None, _f(r.total_potential)]
    )
    ws.append(
        [
            "Total reward £",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            _f(r.total_reward),
        ]
    )
    if r.payments:
        ws.append([])
        ws.append(["Financial year", "Payment", "Paid £", "Capital £", "Revenue £"])
        for p in r.payments:
            ws.append([p.year, p.kind, _f(p.paid), _f(p.capital), _f(p.revenue)])
    if r.pump_priming is not None:
        pp = r.pump_priming
        ws.append([])
        ws.append(["Pump-priming grant £", "Spent £", "Remaining £", "Overspent"])
        ws.append([_f(pp.budget), _f(pp.spend), _f(pp.remaining), "yes" if pp.overspent else "no"])
    if r.partner_shares:
        ws.append([])
        ws.append(["Partner", "Share of reward £"])
        for k, v in r.partner_shares.items():
            ws.append([k, _f(v)])
    return save_copy(wb, source, out, in_place=in_place, force=force)
