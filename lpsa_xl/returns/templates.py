"""lpsa-xl's returns workbooks: the blank templates and the filled examples.

Rebuild them all with ``python -m lpsa_xl.returns.templates [OUTDIR]`` (default ``workbooks/``).
The books hold formulas only; ``lpsa-xl recalc`` writes their cached values.

Layout (the reader, the checker and the Excel add-in depend on it; the constants live in
:mod:`lpsa_xl.returns.layout`)
--------------------------------------------------------------------------------------------

``lpsa_return.xlsx`` and ``laa_return.xlsx`` share it; inputs are pale yellow, computed cells
grey. Every figure is a number cell; references, years and text are text cells.

Sheet **Agreement**: labels in column A, values in column B, each value cell a workbook-level
defined name:

    B4  Authority           B5  Scheme (list: LPSA1, LPSA2, LAA2006, LAA2008, PRG2010)
    B6  NBR_Year            B7  NBR                 B8  Stated_Potential (wins over 2.5% of NBR)
    B9  Period_Start        B10 Period_End          B11 Pump_Priming_Grant
    computed: B13 Total_Potential, B14 N_Targets, B15 Total_Reward, B16 On_Account, B17 End_Year

then a **Partners** table (header on row 20: Partner, Share) of partner shares of the reward.

Sheet **Targets**: the Excel Table **Targets**, header on row 4 from column A, one row per
target or sub-target. Input columns, in order:

    Ref, Parent, [LAA only: Block, Un-stretched 2006/07, Stretched 2006/07,
    Un-stretched 2007/08, Stretched 2007/08,] Theme, Measure, Unit, Direction (list: higher,
    lower), Baseline, Baseline year, Expected, Target, Interim target, Interim actual, Actual,
    Weight, Stated potential £, Value per unit £

then computed columns (calculated columns calling ``LPSA_*``):

    Sub-targets, Potential £, Stretch, % of stretch, Payable %, Reward £, Status
    (conditional formatting Green/Amber/Red), 60% trigger, £ per unit of stretch,
    Benefit-cost ratio, On account £

A target split into sub-targets keeps a row of its own (Ref, Theme, Measure, no figures) and
its sub-targets name it in Parent; Weight is a sub-target's fraction of its target (blank:
equal). Expected and Target are the final year's un-stretched and stretched figures in an LAA
return. A stated potential on a measured row wins; one on a split target's own row is shared
among its sub-targets (by weight). Below the table, a bar chart of % of stretch per target.

Sheet **Claim**: B3 reward claimed (=Total_Reward), B4 payment on account (=On_Account); header
on row 5 and from row 6 (4 rows) one payment per row: Financial year, Payment, Paid £,
Capital £, Revenue £ (each cell an element of ``LPSA_INSTALMENTS``); a total row below.

Sheet **Pump priming**: B4 grant, B5 budgeted, B6 spent, B7 not yet spent; the **PumpPriming**
table (header on row 9: Ref, Year, Budget £, Spend £, Remaining £).

LAA only: sheet **Designated** with table **Designated** (Block, Ref, Indicator, Baseline,
Baseline year, Target 2006/07, Target 2007/08, Target 2008/09, Statutory) and sheet **Funding**
with table **Funding** (Block, Funding stream, 2006/07 £, 2007/08 £, 2008/09 £, Pooled or
aligned). Blocks: CYP, SSC, HCOP, EDE (docs/rules.md#laa).

Formulas and functions
----------------------
Table formulas are stored as Excel stores calculated columns: structured references
``Targets[[#This Row],[Expected]]`` in each cell and in the column's calculatedColumnFormula.
Functions used: ``LPSA_LINE_POTENTIAL, LPSA_STRETCH, LPSA_ACHIEVEMENT, LPSA_PAYABLE,
LPSA_REWARD, LPSA_STATUS, LPSA_TRIGGER, LPSA_VFM_COST, LPSA_VFM_RATIO, LPSA_POTENTIAL,
LPSA_INTERIM_MET, LPSA_PAYMENT_ON_ACCOUNT, LPSA_INSTALMENTS`` (a header row, then one row per
payment: year, kind, paid, capital, revenue), with the standard IF, AND, OR, ISNUMBER, COUNTIF,
COUNTIFS, SUM, INDEX, MATCH, IFERROR, YEAR, MONTH, N. Per-line potentials come from
``LPSA_LINE_POTENTIAL``, the core's own split (stated potentials win, parts add back to the total
exactly), so a template recalculates to exactly the figures ``assess`` gives.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from lpsa_xl.returns.writers.sheets import (
    target_rows,
    write_agreement,
    write_claim,
    write_laa_sheets,
    write_pump_priming,
    write_targets,
)

__all__ = ["EXAMPLES", "build_all", "build_return", "example_data"]

#: Example return file (under ``examples/``) -> its data file in ``lpsa_xl/examples``.
EXAMPLES = {
    "northshire_lpsa1.xlsx": "northshire_lpsa1.json",
    "southdale_lpsa1.xlsx": "southdale_lpsa1.json",
    "westbury_lpsa2.xlsx": "westbury_lpsa2.json",
    "eastmoor_laa2006.xlsx": "eastmoor_laa2006.json",
}

_BLANK_ROWS = 14


def example_data(name: str) -> dict[str, Any]:
    """The data of a bundled example agreement (a JSON file in ``lpsa_xl/examples``)."""
    text = resources.files("lpsa_xl.examples").joinpath(name).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def build_return(
    path: str | Path, data: Mapping[str, Any] | None = None, *, laa: bool = False
) -> Path:
    """Write a returns workbook to ``path``: blank (``data`` None) or filled with ``data`` (the
    layout of the JSON files in ``lpsa_xl/examples``)."""
    from lpsa_xl.files.safe import atomic_save

    blank = data is None
    data = data or {"scheme": "LAA2006" if laa else "LPSA1"}
    wb = Workbook()
    write_agreement(wb, data, laa)
    write_targets(wb, target_rows(data.get("targets") or []), laa, _BLANK_ROWS if blank else 0)
    write_claim(wb)
    write_pump_priming(wb, list(data.get("pump_priming_lines") or []), 8 if blank else 0)
    if laa:
        write_laa_sheets(wb, data, 6 if blank else 0)
    wb.active = 0
    wb.properties.creator = "lpsa-xl"
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return _reproducible(atomic_save(wb, path))


_STAMP = "2006-03-31T00:00:00Z"


def _reproducible(path: Path) -> Path:
    """Rewrite a built book so the same inputs give the same bytes: fixed zip entry times and
    document dates (openpyxl stamps the time of saving), so rebuilding changes nothing in git."""
    import os
    import re
    import zipfile

    tmp = path.with_name(f".{path.name}.tmp")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*",
                    rb"\g<1>" + _STAMP.encode(),
                    data,
                )
            info = zipfile.ZipInfo(item.filename, date_time=(2006, 3, 31, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = item.external_attr
            zout.writestr(info, data)
    os.replace(tmp, path)
    return path


def build_all(outdir: str | Path = "workbooks", *, recalc: bool = True) -> list[Path]:
    """Build both templates and every example return under ``outdir``; with ``recalc`` each
    book then carries its formulas' values (computed headlessly, as ``lpsa-xl recalc`` does), so
    any viewer shows the figures."""
    out = Path(outdir)
    built = [
        build_return(out / "lpsa_return.xlsx"),
        build_return(out / "laa_return.xlsx", laa=True),
    ]
    for book, source in EXAMPLES.items():
        data = example_data(source)
        built.append(
            build_return(out / "examples" / book, data, laa=str(data["scheme"]).startswith("LAA"))
        )
    if recalc:
        from lpsa_xl.returns.recalc import recalc_file

        for path in built:
            recalc_file(path)
    built += [web_edition(path) for path in built[:2]]
    return built


def web_edition(path: Path) -> Path:
    """``<name>_web.xlsx`` beside a built template: the same book with its formulas calling the
    add-in's functions (``=LPSA.REWARD(...)``, saved as ``_xldudf_LPSA_REWARD``), for Excel on
    the web and on Mac (``lpsa-xl excel convert --to web``)."""
    from lpsa_xl.returns.convert import convert_file

    out = path.with_name(f"{path.stem}_web{path.suffix}")
    convert_file(path, out, "web")
    return out


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    for path in build_all(args[0] if args else "workbooks"):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
