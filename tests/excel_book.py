"""A return as xlwings Server receives it: the book JSON Excel on the web sends (the shape of
xlwings' remote engine, ``xlwings/pro/_xlremote.py``), built from plain rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lpsa_xl.excel import macros

AGREEMENT = [
    ["Authority", "Northshire County Council"],
    ["Scheme", "LPSA1"],
    ["Stated_Potential", 3578000],
    ["Period_End", "2006-03-31"],
    ["Total_Potential", None],
    ["Total_Reward", None],
]
#: Targets header: some inputs, then the first seven computed columns of the template.
_INPUTS = ("ref", "parent", "measure", "expected", "target", "actual", "potential")
HEADER = [h for h, f in macros.INPUT_COLUMNS if f in _INPUTS] + [
    h for h, _ in macros.COMPUTED_COLUMNS[:7]
]


def target_rows(n: int = 3) -> list[list[object]]:
    """``n`` targets with actuals spread over red, amber and green."""
    rows = []
    for i in range(n):
        e, t = 100 + i, 110 + i
        a = [104.0, 106.0, 112.0, 108.5][i % 4] + i
        rows.append([f"T{i + 1}", None, f"Measure {i + 1}", e, t, a, None] + [None] * 7)
    return rows


def _sheet(name: str, values: list[list[object]]) -> dict[str, Any]:
    width = max((len(r) for r in values), default=0)
    values = [list(r) + [None] * (width - len(r)) for r in values] or [[]]
    return {
        "name": name,
        "values": values,
        "visibility": "Visible",
        "tables": [],
        "pictures": [],
        "shapes": [],
        "charts": [],
        "notes": [],
        "pivot_tables": [],
        "print_area": None,
        "show_gridlines": True,
    }


def book_json(
    targets: list[list[object]] | None = None,
    agreement: list[list[object]] | None = None,
    names: bool = True,
) -> dict[str, Any]:
    """A return with its Agreement (label/value rows), Targets (header on row 4) and an empty
    Claim sheet whose header is on row 5."""
    import xlwings

    agreement = AGREEMENT if agreement is None else agreement
    targets = target_rows() if targets is None else targets
    sheets = [
        _sheet("Agreement", agreement),
        _sheet("Targets", [["Targets"], [], [], HEADER, *targets]),
        _sheet(
            "Claim",
            [
                ["Claim"],
                [],
                [],
                [],
                [h for h, _ in macros.CLAIM_COLUMNS],
            ],
        ),
    ]
    defined = (
        [
            {
                "name": label,
                "sheet_index": 0,
                "address": f"B{i + 1}",
                "book_scope": True,
                "scope_sheet_index": None,
                "scope_sheet_name": None,
            }
            for i, (label, _) in enumerate(agreement)
        ]
        if names
        else []
    )
    return {
        "client": "Office.js",
        "version": xlwings.__version__,
        "book": {"name": "return.xlsx", "active_sheet_index": 1, "selection": "A1"},
        "sheets": sheets,
        "names": defined,
    }


def book_json_from_xlsx(
    path: Any, *, formulas: bool = True, dates: str = "serial", number_formats: bool = True
) -> dict[str, Any]:
    """A workbook file as Excel on the web would send it through lpsa-xl's task pane: cached
    values (dates as serial numbers, or with ``dates="iso"`` as the ISO text xlwings' own
    clients send), a ``formulas`` grid (unless ``formulas=False``), each cell's number format
    and the document properties (unless ``number_formats=False``), and the defined names of
    cells. Error cells hold their error text ("#N/A"), as Office.js gives them."""
    import datetime as dt

    import openpyxl
    import xlwings
    from openpyxl.utils.datetime import to_excel

    values_wb = openpyxl.load_workbook(path, data_only=True)
    formulas_wb = openpyxl.load_workbook(path)
    titles = values_wb.sheetnames
    sheets = []
    for ws, fs in zip(values_wb.worksheets, formulas_wb.worksheets, strict=True):
        def cell(v: object) -> object:
            if not isinstance(v, (dt.date, dt.datetime)):
                return v
            if dates == "iso":
                return f"{v:%Y-%m-%dT%H:%M:%S}.000Z"
            return to_excel(v)

        rows = [[cell(v) for v in row] for row in ws.iter_rows(values_only=True)]
        formats = [[c.number_format for c in row] for row in ws.iter_rows()]
        grid = [[v if isinstance(v, (str, int, float)) or v is None else f"={v}" for v in row]
                for row in fs.iter_rows(values_only=True)]  # fmt: skip
        sheet = _sheet(ws.title, rows)
        if formulas:
            sheet["formulas"] = grid
        if number_formats:
            sheet["number_formats"] = formats
        sheet["tables"] = [{"name": name, "range_address": ref}
                           for name, ref in fs.tables.items()]  # fmt: skip
        sheets.append(sheet)
    names = []
    for name, defined in values_wb.defined_names.items():
        for title, coord in defined.destinations:
            names.append({"name": name, "sheet_index": titles.index(title),
                          "address": coord.replace("$", ""), "book_scope": True,
                          "scope_sheet_index": None, "scope_sheet_name": None})  # fmt: skip
    props = values_wb.properties
    sent = {k: getattr(props, k) for k in ("title", "subject", "keywords", "description",
                                           "category")}  # fmt: skip
    properties = {"properties": {k: v for k, v in sent.items() if v}} if number_formats else {}
    return {"client": "Office.js", "version": xlwings.__version__,
            "book": {"name": Path(path).name, "active_sheet_index": 0, "selection": "A1"},
            "sheets": sheets, "names": names, **properties}  # fmt: skip


def run(script: Any, payload: dict[str, Any]) -> tuple[list[Any], list[dict[str, Any]]]:
    """Run a macro on a book sent as JSON: its findings and the actions it sends back."""
    import xlwings as xw

    book = xw.Book(json=payload)
    try:
        return script(book), book.json()["actions"]
    finally:
        book.close()
