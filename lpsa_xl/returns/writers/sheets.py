"""Writing the sheets of lpsa-xl's returns workbooks with openpyxl (layout: ``..layout``).

Inputs are pale yellow, computed cells grey; every figure is written as a number (never text),
every reference as text. The formulas come from :mod:`.formulas`.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableColumn, TableFormula, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from lpsa_xl.returns import layout as L
from lpsa_xl.returns.writers.formulas import AGREEMENT_FORMULAS, claim_cell, target_formulas
from lpsa_xl.rules import scheme_names

INPUT = PatternFill("solid", fgColor="FFF2CC")
COMPUTED = PatternFill("solid", fgColor="EDEDED")
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
STATUS_FILLS = {"Green": "C6EFCE", "Amber": "FFEB9C", "Red": "FFC7CE"}


def _num(value: Any) -> Any:
    """A figure as the number Excel stores (Decimal -> float through its text)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _name(wb: Workbook, name: str, sheet: str, coord: str) -> None:
    col, row = "".join(c for c in coord if c.isalpha()), "".join(c for c in coord if c.isdigit())
    wb.defined_names[name] = DefinedName(name, attr_text=f"{quote_sheetname(sheet)}!${col}${row}")


def _title(ws: Worksheet, title: str, note: str) -> None:
    ws["A1"] = title
    ws["A1"].font = TITLE
    ws["A2"] = note
    ws["A2"].font = Font(italic=True, color="595959")


def _add_table(
    ws: Worksheet,
    name: str,
    headers: Sequence[str],
    first_row: int,
    n_rows: int,
    formulas: Mapping[str, str] | None = None,
    first_col: int = 1,
) -> Table:
    """An Excel Table at ``first_row`` (its header) with column names equal to the header
    cells (Excel repairs a file where they differ) and calculated column formulas."""
    last_col = first_col + len(headers) - 1
    ref = (
        f"{get_column_letter(first_col)}{first_row}:"
        f"{get_column_letter(last_col)}{first_row + max(n_rows, 1)}"
    )
    table = Table(displayName=name, name=name, ref=ref)
    for i, header in enumerate(headers, start=1):
        column = TableColumn(id=i, name=header)
        if formulas and header in formulas:
            column.calculatedColumnFormula = TableFormula(attr_text=formulas[header])
        table.tableColumns.append(column)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    ws.add_table(table)
    for i, header in enumerate(headers):
        cell = ws.cell(row=first_row, column=first_col + i, value=header)
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return table


def write_agreement(wb: Workbook, data: Mapping[str, Any], laa: bool) -> Worksheet:
    """The Agreement sheet: named input cells in column B from row 4, computed cells below,
    and the Partners table (partner, share of the reward)."""
    ws = wb.active
    ws.title = L.AGREEMENT_SHEET
    kind = "LAA stretch targets" if laa else "Local Public Service Agreement"
    _title(
        ws,
        f"{kind}: reward return",
        "Yellow cells are inputs; grey cells are computed by "
        "LPSA_* functions (lpsa-xl). Figures are numbers, never text.",
    )
    row = 4
    for name, field, label in L.AGREEMENT_NAMES:
        ws.cell(row=row, column=1, value=label)
        cell = ws.cell(row=row, column=2, value=_num(data.get(field)))
        cell.fill = INPUT
        if field in ("period_start", "period_end"):
            if isinstance(cell.value, str):
                cell.value = _dt.date.fromisoformat(cell.value)
            cell.number_format = "dd/mm/yyyy"
        elif field in ("nbr", "stated_potential", "pump_priming_grant"):
            cell.number_format = "#,##0"
        elif field in ("authority", "scheme", "nbr_year"):
            cell.number_format = "@"
        _name(wb, name, ws.title, f"B{row}")
        row += 1
    row += 1
    for name, _field, label in L.COMPUTED_NAMES:
        ws.cell(row=row, column=1, value=label)
        cell = ws.cell(row=row, column=2, value="=" + AGREEMENT_FORMULAS[name])
        cell.fill = COMPUTED
        cell.number_format = "0" if name in ("N_Targets", "End_Year") else "#,##0.00"
        _name(wb, name, ws.title, f"B{row}")
        row += 1
    schemes = DataValidation(
        type="list",
        formula1='"' + ",".join(scheme_names()) + '"',
        allow_blank=False,
        showErrorMessage=True,
        error="Choose a scheme from the list",
        errorTitle="Scheme",
    )
    ws.add_data_validation(schemes)
    schemes.add("B5")
    row += 1
    ws.cell(
        row=row, column=1, value="Partner shares of the reward (local policy; shares add up to 1)"
    ).font = BOLD
    partners = list((data.get("partner_shares") or {}).items())
    header = row + 1
    _add_table(
        ws, L.PARTNER_TABLE, [h for h, _ in L.PARTNER_COLUMNS], header, max(len(partners), 3)
    )
    for i in range(max(len(partners), 3)):
        name, share = partners[i] if i < len(partners) else (None, None)
        ws.cell(row=header + 1 + i, column=1, value=name).fill = INPUT
        cell = ws.cell(row=header + 1 + i, column=2, value=_num(share))
        cell.fill, cell.number_format = INPUT, "0.0%"
    ws.column_dimensions["A"].width = 58
    ws.column_dimensions["B"].width = 22
    return ws


def target_rows(targets: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Flatten targets with ``subtargets`` into table rows: a split target keeps a row of its
    own (ref, theme, measure; no figures) and each sub-target names it in ``parent``."""
    rows: list[dict[str, Any]] = []
    for target in targets:
        subs = target.get("subtargets") or []
        rows.append({k: v for k, v in target.items() if k != "subtargets"})
        for sub in subs:
            rows.append({"theme": target.get("theme"), **sub, "parent": target["ref"]})
    return rows


def target_columns(laa: bool) -> list[L.Column]:
    cols = list(L.TARGET_COLUMNS)
    if laa:
        at = next(i for i, c in enumerate(cols) if c.field == "parent") + 1
        cols[at:at] = L.LAA_EXTRA_COLUMNS
    return cols


def write_targets(
    wb: Workbook, rows: Sequence[Mapping[str, Any]], laa: bool, blank_rows: int = 0
) -> Worksheet:
    """The Targets sheet: the Targets table with its header on row 4, from column A."""
    ws = wb.create_sheet(L.TARGETS_SHEET)
    _title(
        ws,
        "Targets",
        "One row per target; a target split into sub-targets has a row of its "
        "own and its sub-targets name it in Parent. Weight: a sub-target's share of its target.",
    )
    if laa:
        ws["A3"] = (
            "Expected and Target are the final year's (2008/09) un-stretched and stretched "
            "figures; earlier years are in the Un-stretched / Stretched columns."
        )
        ws["A3"].font = Font(italic=True, color="595959")
    cols = target_columns(laa)
    formulas = target_formulas()
    n = len(rows) + blank_rows
    top = L.TABLE_HEADER_ROW
    _add_table(ws, L.TARGETS_TABLE, [c.header for c in cols], top, n, formulas)
    for i in range(n):
        data = rows[i] if i < len(rows) else {}
        for j, col in enumerate(cols, start=1):
            cell = ws.cell(row=top + 1 + i, column=j)
            if col.input:
                value = data.get(col.field)
                cell.value = (
                    str(value) if col.number_format == "@" and value is not None else _num(value)
                )
                cell.fill = INPUT
            else:
                cell.value = "=" + formulas[col.header]
                cell.fill = COMPUTED
            cell.number_format = col.number_format
    for j, col in enumerate(cols, start=1):
        ws.column_dimensions[get_column_letter(j)].width = col.width
    ws.row_dimensions[top].height = 45
    ws.freeze_panes = ws.cell(row=top + 1, column=2)
    last = top + max(n, 1)

    def span(field: str) -> str:
        letter = get_column_letter(next(j for j, c in enumerate(cols, 1) if c.field == field))
        return f"{letter}{top + 1}:{letter}{last}"

    direction = DataValidation(
        type="list",
        formula1='"higher,lower"',
        allow_blank=True,
        showErrorMessage=True,
        error="Choose higher or lower",
        errorTitle="Direction",
    )
    ws.add_data_validation(direction)
    direction.add(span("direction"))
    for colour, fill in STATUS_FILLS.items():
        ws.conditional_formatting.add(
            span("status"),
            CellIsRule(
                operator="equal", formula=[f'"{colour}"'], fill=PatternFill("solid", bgColor=fill)
            ),
        )
    chart = BarChart()
    chart.type = "bar"
    chart.title = "% of stretch achieved"
    chart.y_axis.title = "% of stretch"
    chart.y_axis.number_format = "0%"
    ach = next(j for j, c in enumerate(cols, 1) if c.field == "achievement")
    chart.add_data(Reference(ws, min_col=ach, min_row=top, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=top + 1, max_row=last))
    chart.legend = None
    chart.height, chart.width = 9, 16
    ws.add_chart(chart, f"D{last + 3}")
    return ws


def write_claim(wb: Workbook) -> Worksheet:
    """The Claim sheet: the payment plan by financial year (LPSA_INSTALMENTS), from row 6."""
    ws = wb.create_sheet(L.CLAIM_SHEET)
    _title(
        ws,
        "Claim: reward payments by financial year",
        "Each payment is split into capital and revenue grant as the scheme says "
        "(docs/rules.md#capital-and-revenue).",
    )
    ws["A3"], ws["B3"] = "Reward claimed (£)", "=Total_Reward"
    ws["A4"], ws["B4"] = "Payment on account already made (£)", "=On_Account"
    for cell in (ws["B3"], ws["B4"]):
        cell.fill, cell.number_format = COMPUTED, "#,##0.00"
    header = L.CLAIM_FIRST_ROW - 1
    for j, (title, _field) in enumerate(L.CLAIM_COLUMNS, start=1):
        ws.cell(row=header, column=j, value=title).font = BOLD
    for i in range(L.CLAIM_ROWS):
        for j in range(1, len(L.CLAIM_COLUMNS) + 1):
            cell = ws.cell(row=L.CLAIM_FIRST_ROW + i, column=j, value="=" + claim_cell(i + 1, j))
            cell.fill = COMPUTED
            cell.number_format = "#,##0.00" if j >= 3 else "@"
    total = L.CLAIM_FIRST_ROW + L.CLAIM_ROWS
    ws.cell(row=total, column=2, value="Total").font = BOLD
    for j in (3, 4, 5):
        letter = get_column_letter(j)
        cell = ws.cell(
            row=total, column=j, value=f"=SUM({letter}{L.CLAIM_FIRST_ROW}:{letter}{total - 1})"
        )
        cell.font, cell.number_format = BOLD, "#,##0.00"
    for letter, width in zip("ABCDE", (38, 14, 16, 16, 16), strict=True):
        ws.column_dimensions[letter].width = width
    return ws


def write_pump_priming(
    wb: Workbook, lines: Sequence[Mapping[str, Any]], blank_rows: int = 0
) -> Worksheet:
    """The Pump priming sheet: grant, totals, and the PumpPriming table (header on row 8)."""
    ws = wb.create_sheet(L.PUMP_SHEET)
    _title(
        ws,
        "Pump-priming grant: budget and spend per target by year",
        "Ref blank for spend not tied to one target.",
    )
    summary = (
        ("Grant (£)", "=Pump_Priming_Grant"),
        ("Budgeted (£)", "=SUM(PumpPriming[Budget £])"),
        ("Spent (£)", "=SUM(PumpPriming[Spend £])"),
        ("Grant not yet spent (£)", '=IF(ISNUMBER(B4),B4-B6,"")'),
    )
    for i, (label, formula) in enumerate(summary, start=4):
        ws.cell(row=i, column=1, value=label)
        cell = ws.cell(row=i, column=2, value=formula)
        cell.fill, cell.number_format = COMPUTED, "#,##0"
    header = 9
    n = len(lines) + blank_rows
    remaining = (
        'IF(PumpPriming[[#This Row],[Budget £]]="","",PumpPriming[[#This Row],[Budget £]]'
        "-N(PumpPriming[[#This Row],[Spend £]]))"
    )
    _add_table(
        ws, L.PUMP_TABLE, [h for h, _ in L.PUMP_COLUMNS], header, n, {"Remaining £": remaining}
    )
    for i in range(n):
        line = lines[i] if i < len(lines) else {}
        for j, (_h, field) in enumerate(L.PUMP_COLUMNS, start=1):
            cell = ws.cell(row=header + 1 + i, column=j)
            if field == "remaining":
                cell.value, cell.fill = "=" + remaining, COMPUTED
            else:
                value = line.get(field)
                cell.value = (
                    str(value) if field in ("ref", "year") and value is not None else _num(value)
                )
                cell.fill = INPUT
            cell.number_format = "@" if field in ("ref", "year") else "#,##0"
    for letter, width in zip("ABCDE", (26, 10, 14, 14, 14), strict=True):
        ws.column_dimensions[letter].width = width
    return ws


def write_laa_sheets(wb: Workbook, data: Mapping[str, Any], blank_rows: int = 0) -> None:
    """LAA extras: the Designated targets table and the Funding streams table (pooled/aligned)."""
    ws = wb.create_sheet(L.DESIGNATED_SHEET)
    _title(
        ws,
        "Designated targets (no reward: monitored only)",
        "Blocks: " + "; ".join(f"{code} = {name}" for code, name in L.LAA_BLOCKS),
    )
    designated = list(data.get("designated") or [])
    fields = (
        "block",
        "ref",
        "indicator",
        "baseline",
        "baseline_year",
        "target_1",
        "target_2",
        "target_3",
        "statutory",
    )
    _fill_plain_table(
        ws, L.DESIGNATED_TABLE, L.DESIGNATED_COLUMNS, fields, designated, 4, blank_rows
    )
    blocks = DataValidation(
        type="list", formula1='"' + ",".join(c for c, _ in L.LAA_BLOCKS) + '"', allow_blank=True
    )
    ws.add_data_validation(blocks)
    blocks.add(f"A5:A{5 + max(len(designated) + blank_rows, 1) - 1}")
    ws = wb.create_sheet(L.FUNDING_SHEET)
    _title(
        ws,
        "Funding streams per block",
        "Pooled: in the LAA's pooled budget; Aligned: kept "
        "separate but planned together; Single pot: merged across blocks.",
    )
    funding = list(data.get("funding") or [])
    fields = ("block", "stream", "amount_1", "amount_2", "amount_3", "arrangement")
    _fill_plain_table(ws, L.FUNDING_TABLE, L.FUNDING_COLUMNS, fields, funding, 4, blank_rows)
    last = 4 + max(len(funding) + blank_rows, 1)
    pooled = DataValidation(type="list", formula1='"Pooled,Aligned,Single pot"', allow_blank=True)
    ws.add_data_validation(pooled)
    pooled.add(f"F5:F{last}")
    blocks = DataValidation(
        type="list", formula1='"' + ",".join(c for c, _ in L.LAA_BLOCKS) + '"', allow_blank=True
    )
    ws.add_data_validation(blocks)
    blocks.add(f"A5:A{last}")


def _fill_plain_table(
    ws: Worksheet,
    name: str,
    headers: Sequence[str],
    fields: Sequence[str],
    rows: Sequence[Mapping[str, Any]],
    top: int,
    blank_rows: int,
) -> None:
    n = len(rows) + blank_rows
    _add_table(ws, name, headers, top, n)
    for i in range(n):
        data = rows[i] if i < len(rows) else {}
        for j, field in enumerate(fields, start=1):
            value = _num(data.get(field))
            cell = ws.cell(row=top + 1 + i, column=j, value=value)
            cell.fill = INPUT
            if isinstance(value, (int, float)):
                cell.number_format = "#,##0.###"
    for j, header in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(j)].width = max(12, min(40, len(header) + 4))
