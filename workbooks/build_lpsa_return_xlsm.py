"""Build workbooks/lpsa_return.xlsm, the add-in workbook, from the return template.

    python workbooks/build_lpsa_return_xlsm.py [TEMPLATE] [-o OUTPUT]

TEMPLATE defaults to workbooks/lpsa_return.xlsx (the return template of the workbooks issue).
Until that template exists, ``--stand-in`` builds from a minimal return written here from
lpsa_xl.workbook.layout (Agreement with named cells, Targets with its header on row 4, Claim).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from lpsa_xl.workbook import layout  # noqa: E402
from lpsa_xl.excel.xlsm import build_xlsm  # noqa: E402


def stand_in(path: Path) -> Path:
    """A minimal return in the template's layout: the stand-in until the template is merged."""
    import openpyxl
    from openpyxl.workbook.defined_name import DefinedName

    wb = openpyxl.Workbook()
    ag = wb.active
    ag.title = layout.AGREEMENT_SHEET
    for row, (name, _field, _label) in enumerate(layout.AGREEMENT_NAMES, start=1):
        ag.cell(row, 1, name.replace("_", " "))
        wb.defined_names[name] = DefinedName(name, attr_text=f"'{ag.title}'!$B${row}")
    ag["B2"] = "LPSA1"
    totals = [n for n, f, _ in layout.COMPUTED_NAMES if f in ("total_potential", "total_reward",
                                                               "on_account")]  # fmt: skip
    for row, name in enumerate(totals, start=len(layout.AGREEMENT_NAMES) + 2):
        ag.cell(row, 1, name.replace("_", " "))
        wb.defined_names[name] = DefinedName(name, attr_text=f"'{ag.title}'!$B${row}")
    ws = wb.create_sheet(layout.TARGETS_SHEET)
    ws["A1"] = "Targets"
    header = [c.header for c in layout.TARGET_COLUMNS]
    for col, text in enumerate(header, start=1):
        ws.cell(4, col, text)
    claim = wb.create_sheet(layout.CLAIM_SHEET)
    claim["A1"] = "Claim"
    for col, (text, _field) in enumerate(layout.CLAIM_COLUMNS, start=1):
        claim.cell(5, col, text)
    wb.save(path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("template", nargs="?", default=str(HERE / "lpsa_return.xlsx"))
    parser.add_argument("-o", "--output", default=str(HERE / "lpsa_return.xlsm"))
    parser.add_argument(
        "--stand-in",
        action="store_true",
        help="build from a minimal stand-in return instead of TEMPLATE",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        template = stand_in(Path(tmp) / "stand_in.xlsx") if args.stand_in else Path(args.template)
        if not template.is_file():
            parser.error(f"{template}: no such template (use --stand-in until it exists)")
        out = build_xlsm(template, args.output)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
