"""The reward schedule of a return, as ``lpsa-xl compute`` gives it (the command is
:mod:`lpsa_xl.cli.compute`, the JSON and results sheet :mod:`lpsa_xl.returns.results`).

The return is read in lpsa-xl's template layout or any council layout (found by its headers),
its figures are checked cell by cell (every problem is listed at once, naming workbook, sheet
and cell), the rules core computes the schedule (:func:`lpsa_xl.rules.assess`), and the results
go to a new sheet "lpsa-xl results" of a copy of the input (``-o OUT``; the input is never
modified unless ``--in-place``, which keeps a backup), and/or to standard output as JSON
(``--json``), or as a text table when neither is asked for.

Problems are collected, not raised at the first: every cell that cannot be used (text, blanks,
error values, a target equal to expected or on the wrong side of it...) is listed at once; then
problems only the whole agreement shows (sub-target weights not adding up to 1, partner shares,
no potential anywhere) are reported, again naming the cell.

JSON figures are **decimal strings** (``"429353"``, ``"0.6"``): exact, as the core computes
them; a JSON number would pass through binary floating point, which is the error this project
exists to avoid. Blank figures (no actual yet) are ``null``. Shape::

    {"workbook", "layout", "scheme", "targets": [{"sheet", "row", "ref", "parent", "measure",
      "expected", "target", "actual", "potential", "stretch", "achievement", "payable",
      "reward", "status", "trigger"}], "total_potential", "total_reward", "on_account",
      "payments": [{"year", "kind", "paid", "capital", "revenue"}], "partner_shares",
      "pump_priming": {"grant", "spent", "remaining", "overspent"} or null, "final_period",
      "forecast_reward", "rollup": {class: {"targets", "refs", "potential", "reward"}},
      "notes", "warnings"}

Each target also has a ``forecast`` (or null) where its monitoring series stops short of the
final period (:mod:`lpsa_xl.returns.forecasts`, docs/forecast.md).

Figures are read by :func:`lpsa_xl.returns.scale.row_figures`, as ``lpsa-xl check`` reads
them: rates on one scale ("49%" beside 0.40 and 0.55 is 0.49), implausible figures warned
about at their cell (``warnings``), a scale that cannot be decided refused.

Where a return gives neither an NBR nor a stated potential but has a "Reward available (£)"
column, those figures are the per-line potentials (docs/rules.md#potential: a stated figure wins).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from lpsa_xl.files.errors import CellError, LayoutError, WorkbookError
from lpsa_xl.returns.figures import (
    INPUT_FIGURES,
    Problems,
    as_direction,
    as_money,
    as_text,
    as_weight,
)
from lpsa_xl.returns.forecasts import Outlook, outlook
from lpsa_xl.returns.model import Cell, ReturnBook, TargetRow
from lpsa_xl.returns.read import formula_cells
from lpsa_xl.returns.scale import row_figures
from lpsa_xl.rules import (
    Agreement,
    InputError,
    LpsaError,
    PumpPrimingItem,
    Result,
    SubTarget,
    assess,
    targets_from_rows,
)
from lpsa_xl.rules.schemes import DEFAULT_SCHEME

__all__ = ["RESULTS_SHEET", "Computed", "compute_book"]

RESULTS_SHEET = "lpsa-xl results"

_FIGURES = INPUT_FIGURES
_TEXTS = ("theme", "measure", "unit", "baseline_year")


@dataclass
class Computed:
    """A computed return: what was read, the result, and where each line came from."""

    book: ReturnBook
    result: Result
    rows: dict[str, TargetRow] = field(default_factory=dict)  # line ref -> its row
    #: Figures that look implausible and what the reader could not find, each at its cell.
    warnings: list[CellError] = field(default_factory=list)
    #: Forecasts of the targets whose final period is not in yet, and the roll-up.
    outlook: Outlook | None = None


def _row_data(
    t: TargetRow,
    problems: Problems,
    parents: set[str],
    uncalculated: set[tuple[str, str]],
    warnings: list[CellError],
) -> dict[str, Any] | None:
    ref_cell = t.fields.get("ref")
    ref = as_text(ref_cell) or f"row {t.row}"
    data: dict[str, Any] = {"ref": ref}
    if ref_cell is not None and not as_text(ref_cell):
        problems.add("is blank; every target needs its reference", ref_cell, field="ref")
    parent = as_text(t.fields.get("parent"))
    if parent:
        data["parent"] = parent
    is_parent_row = ref in parents
    for name in _TEXTS:
        if name in t.fields:
            data[name] = as_text(t.fields[name]) or None
    before = len(problems)
    reading = row_figures(t.fields, as_text(t.fields.get("unit")))
    for name, reason in reading.problems:
        problems.add(reason, t.fields.get(name), field=name, ref=ref)
    for name in _FIGURES:
        cell = t.fields.get(name)
        data[name] = reading.figures.get(name)
        reported = cell is not None and (cell.sheet, cell.coord) in uncalculated
        required = name in ("expected", "target") and not is_parent_row and not reported
        if required and cell is not None and data[name] is None and not reading.problems:
            problems.add("is blank; a figure is needed", cell, field=name, ref=ref)
    data["weight"] = as_weight(t.fields.get("weight"), problems, ref=ref)
    data["direction"] = as_direction(t.fields.get("direction"), problems, ref=ref)
    if len(problems) > before or any((c.sheet, c.coord) in uncalculated for c in t.fields.values()):
        return None
    for name, reason in reading.warnings:
        cell = t.fields.get(name)
        warnings.append(
            CellError(
                reason,
                workbook=problems.workbook,
                sheet=cell.sheet if cell else t.sheet,
                cell=cell.coord if cell else None,
                ref=ref,
            )
        )
    if is_parent_row and data.get("expected") is None:
        return data
    try:
        SubTarget(**{k: v for k, v in data.items() if k != "parent"})
    except InputError as exc:
        cell = t.fields.get(_field_of(exc.field)) or t.fields.get("target") or ref_cell
        problems.add(exc.reason, cell, field=_field_of(exc.field), ref=ref)
        return None
    return data


def _field_of(name: str | None) -> str:
    """The row field an InputError names ("target" for a stretch/direction problem)."""
    if name in (None, "stretch", "direction") or name not in (*_FIGURES, "weight", "ref"):
        return "target"
    return name


def _agreement(
    book: ReturnBook, problems: Problems, scheme: str | None, potential: Decimal | None
) -> dict[str, Any]:
    a = book.agreement
    out: dict[str, Any] = {"authority": as_text(a.get("authority")) or book.path.stem}
    out["scheme"] = scheme or as_text(a.get("scheme"))
    if not out["scheme"]:
        out["scheme"] = DEFAULT_SCHEME
        book.notes.append(
            f"the return does not say its scheme: {DEFAULT_SCHEME} assumed (--scheme)"
        )
    out["nbr_year"] = as_text(a.get("nbr_year"))
    for name in ("nbr", "stated_potential", "pump_priming_grant"):
        out[name] = as_money(a.get(name), name, problems)
    if potential is not None:
        out["stated_potential"], out["nbr"] = potential, None
    for name in ("period_start", "period_end"):
        cell = a.get(name)
        if cell is None or cell.value is None:
            continue
        if isinstance(cell.value, _dt.datetime | _dt.date):
            out[name] = cell.value
        else:
            text = str(cell.value).strip()
            for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d %B %Y", "%d %b %Y"):
                try:
                    out[name] = _dt.datetime.strptime(text[:10] if fmt == "%Y-%m-%d" else text, fmt)
                    break
                except ValueError:
                    continue
            else:
                problems.add(
                    f"holds {cell.value!r}; a date such as 31/03/2006 is needed", cell, field=name
                )
    shares = {}
    for line in book.partners:
        name = as_text(line.get("partner"))
        share = as_weight(line.get("share"), problems, ref=None) if line.get("share") else None
        if name and share is not None:
            shares[name] = share
        elif name or share is not None:
            problems.add(
                "partner share needs a name and a share", line.get("partner") or line.get("share")
            )
    out["partner_shares"] = shares
    items = []
    for line in book.pump_priming:
        budget = as_money(line.get("budget"), "budget", problems)
        spend = as_money(line.get("spend"), "spend", problems)
        if budget is None:
            continue
        try:
            items.append(
                PumpPrimingItem(
                    as_text(line.get("ref")),
                    as_text(line.get("year")),
                    budget,
                    spend if spend is not None else 0,
                )
            )
        except InputError as exc:
            problems.add(exc.reason, line.get("spend") or line.get("budget"), field="pump priming")
    out["pump_priming"] = tuple(items)
    return out


def compute_book(
    book: ReturnBook,
    *,
    scheme: str | None = None,
    potential: Decimal | None = None,
    formulas: Callable[[list[Cell]], set[tuple[str, str]]] | None = None,
) -> Computed:
    """Check and compute a return that has been read. Raises
    :class:`~lpsa_xl.returns.figures.ReturnProblemsError` listing every problem.
    ``formulas``: which of some cells hold a formula (default: looked up in the file at
    ``book.path``; the Excel add-in passes what the live book says)."""
    problems = Problems(book.path)
    if not book.targets:
        raise LayoutError("the targets table has no target rows", workbook=book.path)
    blanks = [
        c
        for t in book.targets
        for k in ("expected", "target", "actual")
        if (c := t.fields.get(k)) is not None and c.value is None
    ]
    if formulas is None:
        formulas = lambda cells: formula_cells(book.path, cells)  # noqa: E731
    uncalculated = formulas(blanks) if blanks else set()
    parents = {as_text(t.fields.get("parent")) for t in book.targets} - {""}
    if all("ref" not in t.fields for t in book.targets):
        book.notes.append("no reference column found: targets are named by their row")
    rows: list[dict[str, Any]] = []
    by_ref: dict[str, TargetRow] = {}
    warnings: list[CellError] = list(book.warnings)
    for problem in book.problems:
        problems.add_error(problem)
    for t in book.targets:
        for k in ("expected", "target", "actual"):
            c = t.fields.get(k)
            if c is not None and (c.sheet, c.coord) in uncalculated:
                problems.add(
                    "is a formula that was never calculated (no cached value); run "
                    "lpsa-xl recalc on the file first",
                    c,
                    field=k,
                )
        data = _row_data(t, problems, parents, uncalculated, warnings)
        if data is None:
            continue
        if data["ref"] in by_ref:
            problems.add(
                f"repeats target reference {data['ref']!r} (also row {by_ref[data['ref']].row})",
                t.fields.get("ref"),
                field="ref",
            )
            continue
        by_ref[data["ref"]] = t
        rows.append(data)
    agreement_data = _agreement(book, problems, scheme, potential)
    problems.raise_if_any()
    try:
        targets = targets_from_rows(rows)
        agreement = Agreement.from_mapping({**agreement_data, "targets": targets})
        result = assess(agreement)
    except WorkbookError:
        raise
    except LpsaError as exc:
        problems.add_error(_locate(exc, book, by_ref))
        problems.raise_if_any()
        raise  # pragma: no cover - raise_if_any raised
    waiting = [ln.ref for ln in result.lines if ln.actual is None]
    if waiting:
        book.notes.append(
            f"no actual yet for {', '.join(waiting)}: their reward is blank and the total "
            "reward is partial"
        )
    ahead = outlook(book, result)
    warnings.extend(ahead.warnings)
    if ahead.forecasts:
        book.notes.append(
            f"forecast to {ahead.final_period} from the monitoring series: "
            f"{', '.join(ahead.forecasts)} (a projection, not a claim: docs/forecast.md)"
        )
    return Computed(book=book, result=result, rows=by_ref, warnings=warnings, outlook=ahead)


def _locate(exc: LpsaError, book: ReturnBook, by_ref: dict[str, TargetRow]) -> WorkbookError:
    """A core error placed on the cell it is about (target row and field, or agreement cell)."""
    row = by_ref.get(exc.ref or "")
    if exc.field == "potential" and "no potential" in exc.reason:
        return LayoutError(
            "no potential reward: the return gives no NBR, no stated potential "
            "and no per-line potential ('Reward available (£)'); pass --potential "
            "AMOUNT or add one",
            workbook=book.path,
            ref=exc.ref,
        )
    if row is None and exc.ref:  # a split target without a row of its own: use a sub-target's
        row = next((t for t in book.targets if as_text(t.fields.get("parent")) == exc.ref), None)
    if row is not None:
        cell = row.fields.get(
            _field_of(exc.field) if exc.field != "weight" else "weight"
        ) or row.fields.get("ref")
        return CellError(
            exc.reason,
            workbook=book.path,
            sheet=cell.sheet if cell else row.sheet,
            cell=cell.coord if cell else None,
            field=exc.field,
            ref=exc.ref,
        )
    cell = book.agreement.get(exc.field or "")
    if exc.field == "partner_shares" and book.partners:
        cell = book.partners[0].get("share")
    return CellError(
        exc.reason,
        workbook=book.path,
        sheet=cell.sheet if cell else None,
        cell=cell.coord if cell else None,
        field=exc.field,
        ref=exc.ref,
    )
