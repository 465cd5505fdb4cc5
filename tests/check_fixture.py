"""A tiny return layout for the checker's tests, standing in for the real readers, so
the book rules are tested apart from reading.

``write_return`` writes an .xlsx whose sheets use canonical field names as headers; ``read_return``
reads it back into a :class:`~lpsa_xl.returns.model.ReturnBook` (through the safe opener);
``make_book`` builds the same ReturnBook directly, with the same cells, without a file.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter

from lpsa_xl.files.openbook import open_workbook, reading
from lpsa_xl.returns.model import AGREEMENT_FIELDS, CLAIMED_FIELDS, Cell, ReturnBook, TargetRow

COLUMNS = (
    "ref",
    "parent",
    "theme",
    "measure",
    "direction",
    "expected",
    "target",
    "actual",
    "weight",
    "potential",
    "stretch",
    "achievement",
    "payable",
    "reward",
    "status",
    "trigger",
    "vfm_cost",
    "interim_target",
    "interim_actual",
    "value_per_unit",
)
AGREEMENT_ROWS = (*AGREEMENT_FIELDS, "total_potential", "total_reward")
PUMP_COLUMNS = ("ref", "year", "budget", "spend")
CLAIM_COLUMNS = ("year", "kind", "amount", "capital", "revenue")


def coord(column: str, row: int, columns: tuple[str, ...] = COLUMNS) -> str:
    return f"{get_column_letter(columns.index(column) + 1)}{row}"


def make_book(
    agreement: dict,
    rows: list[dict],
    pump: list[dict] = (),
    claim: list[dict] = (),
    path: str = "return.xlsx",
) -> ReturnBook:
    book = ReturnBook(Path(path), "fixture")
    for name, value in agreement.items():
        cell = Cell("Agreement", f"B{AGREEMENT_ROWS.index(name) + 1}", value)
        (book.totals if name.startswith("total_") else book.agreement)[name] = cell
    for i, data in enumerate(rows, start=2):
        row = TargetRow("Targets", i)
        for name, value in data.items():
            cell = Cell("Targets", coord(name, i), value)
            (row.claimed if name in CLAIMED_FIELDS else row.fields)[name] = cell
        book.targets.append(row)
    for i, data in enumerate(pump, start=2):
        book.pump_priming.append(
            {n: Cell("Pump priming", coord(n, i, PUMP_COLUMNS), v) for n, v in data.items()}
        )
    for i, data in enumerate(claim, start=2):
        book.claim.append(
            {n: Cell("Claim", coord(n, i, CLAIM_COLUMNS), v) for n, v in data.items()}
        )
    return book


def write_return(
    path: Path, agreement: dict, rows: list[dict], pump: list[dict] = (), claim: list[dict] = ()
) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Agreement"
    for i, name in enumerate(AGREEMENT_ROWS, start=1):
        ws.cell(i, 1, name)
        if name in agreement:
            ws.cell(i, 2, agreement[name])
    for title, columns, data in (
        ("Targets", COLUMNS, rows),
        ("Pump priming", PUMP_COLUMNS, pump),
        ("Claim", CLAIM_COLUMNS, claim),
    ):
        sheet = wb.create_sheet(title)
        sheet.append(list(columns))
        for line in data:
            sheet.append([line.get(c) for c in columns])
    wb.save(path)
    return path


def read_return(path: Path) -> ReturnBook:
    """Read a file written by :func:`write_return` (only cells that hold something)."""
    wb = open_workbook(path)
    book = ReturnBook(Path(path), "fixture")
    with reading(path):
        for name, value in wb["Agreement"].iter_rows(values_only=True):
            if value is not None and name in AGREEMENT_ROWS:
                i = AGREEMENT_ROWS.index(name) + 1
                (book.totals if name.startswith("total_") else book.agreement)[name] = Cell(
                    "Agreement", f"B{i}", value
                )
        for i, values in enumerate(wb["Targets"].iter_rows(min_row=2, values_only=True), start=2):
            row = TargetRow("Targets", i)
            for name, value in zip(COLUMNS, values, strict=False):
                if value is not None:
                    (row.claimed if name in CLAIMED_FIELDS else row.fields)[name] = Cell(
                        "Targets", coord(name, i), value
                    )
            if row.fields or row.claimed:
                book.targets.append(row)
        for title, columns, into in (
            ("Pump priming", PUMP_COLUMNS, book.pump_priming),
            ("Claim", CLAIM_COLUMNS, book.claim),
        ):
            for i, values in enumerate(wb[title].iter_rows(min_row=2, values_only=True), start=2):
                line = {
                    n: Cell(title, coord(n, i, columns), v)
                    for n, v in zip(columns, values, strict=False)
                    if v is not None
                }
                if line:
                    into.append(line)
    wb.close()
    return book


#: A correct LPSA1 return (figures worked by hand, docs/rules.md#potential and #reward): 2.5% of
#: a £143m NBR is £3,575,000, £893,750 per target; target 4 is split 90/10 between its sub-targets.
GOOD_AGREEMENT = {
    "authority": "Northshire County Council",
    "scheme": "LPSA1",
    "nbr": 143_000_000,
    "nbr_year": "2002/03",
    "stated_potential": 3_575_000,
    "period_start": "2003-04-01",
    "period_end": "2006-03-31",
    "pump_priming_grant": 1_000_000,
    "total_potential": 3_575_000,
    "total_reward": 2_234_375,
}
GOOD_ROWS = [
    {"ref": "1", "theme": "Safer communities", "measure": "Burglaries", "direction": "lower",
     "expected": 1000, "target": 900, "actual": 920, "stretch": -100, "achievement": 0.8,
     "payable": 0.8, "reward": 715_000, "status": "Amber", "trigger": 940},
    {"ref": "2", "theme": "Health", "measure": "Adults active (%)", "direction": "higher",
     "expected": 40.1, "target": 40.2, "actual": 40.16, "stretch": 0.1, "achievement": "60%",
     "payable": 0.6, "reward": 536_250, "status": "Amber", "trigger": 40.16},
    {"ref": "3", "theme": "Education", "measure": "Pupils at level 4 (%)", "direction": "higher",
     "expected": 50, "target": 60, "actual": 65, "stretch": 10, "achievement": 150,
     "payable": 1, "reward": 893_750, "status": "Green", "trigger": 56},
    {"ref": "4", "theme": "Health", "measure": "Older people helped to live at home"},
    {"ref": "4a", "parent": "4", "direction": "higher", "expected": 10, "target": 20,
     "actual": 15, "weight": 0.9, "achievement": 0.5, "reward": 0, "status": "Red",
     "trigger": 16},
    {"ref": "4b", "parent": "4", "direction": "lower", "expected": 100, "target": 80,
     "actual": 70, "weight": 0.1, "achievement": 1.5, "reward": 89_375, "status": "Green",
     "trigger": 88},
]  # fmt: skip
GOOD_PUMP = [{"ref": "1", "year": "2003/04", "budget": 100_000, "spend": 90_000},
             {"ref": "2", "year": "2003/04", "budget": 150_000, "spend": 150_000}]  # fmt: skip
GOOD_CLAIM = [{"year": "2006/07", "kind": "reward", "amount": 1_117_187.5,
               "capital": 558_593.75, "revenue": 558_593.75}]  # fmt: skip
