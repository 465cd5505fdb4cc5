"""Generate returns workbooks of growing size for the recalc benchmark.

    python benchmarks/make_books.py [OUT_DIR]      (default benchmarks/books)

* ``authority.xlsx``: one authority, 14 targets, a claim sheet by year: about 500 formulas.
* ``national.xlsx``: a national consolidation of 150 authorities x 14 targets: about 21,000.
* ``national_x10.xlsx``: the same for 1,500 authorities: about 210,000.

Every target row carries ``LPSA_*`` formulas (stretch, achievement, payable, reward, status) and
standard functions (VLOOKUP, ROUND, IFERROR, IF/AND/ISNUMBER, ABS, TEXT and &); summaries use
SUMIF and COUNTIF. Figures come from a seeded generator, so the books are the same every run.
The file is written by openpyxl with no cached values, as a template generator would write it.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from openpyxl import Workbook

TARGETS = 14
MEASURES = ["% pupils 5+ GCSE A*-C", "Burglaries per 1,000", "Adults in learning", "Road deaths",
            "Smoking quitters", "Recycling rate %", "Teenage conceptions", "Visits to libraries",
            "Older people at home", "Jobs created", "Youth offending", "Absence rate %",
            "Fuel-poor homes", "Bus passengers"]  # fmt: skip


def _targets(ws, authorities: list[str], rng: random.Random) -> int:
    ws.append(["Authority", "Ref", "Measure", "Direction", "Expected", "Target", "Actual", "Weight",
               "Potential £", "Stretch", "Achievement", "Payable", "Reward £", "Status",
               "% of stretch", "Paid?", "£ per unit", "Label"])  # fmt: skip
    n_auth = len(authorities)
    row = 2
    for a in authorities:
        for t in range(TARGETS):
            up = rng.random() < 0.6
            expected = round(rng.uniform(20, 80), 1)
            step = round(rng.uniform(1, 8), 1)
            target = round(expected + step if up else expected - step, 1)
            actual = round(expected + (target - expected) * rng.uniform(-0.2, 1.3), 1)
            r = row
            ws.append([
                a, f"T{t + 1}", MEASURES[t], "up" if up else "down", expected, target, actual, 1,
                f"=ROUND(VLOOKUP($A{r},Authorities!$A$2:$C${n_auth + 1},3,FALSE)/{TARGETS},2)",
                f"=LPSA_STRETCH(E{r},F{r})",
                f"=LPSA_ACHIEVEMENT(E{r},F{r},G{r})",
                f"=LPSA_PAYABLE(E{r},F{r},G{r})",
                f"=LPSA_REWARD(E{r},F{r},G{r},I{r})",
                f"=LPSA_STATUS(E{r},F{r},G{r})",
                f'=IFERROR(ROUND(K{r}*100,1),"")',
                f'=IF(AND(ISNUMBER(L{r}),L{r}>0),"Paid","Not paid")',
                f"=IFERROR(M{r}/ABS(G{r}-E{r}),0)",
                f'=B{r}&" "&TEXT(M{r},"£#,##0")',
            ])  # fmt: skip
            row += 1
    return row - 1


def _authorities(ws, authorities: list[str], rng: random.Random) -> None:
    ws.append(["Authority", "NBR £", "Potential £"])
    for i, a in enumerate(authorities, start=2):
        ws.append([a, rng.randrange(20_000_000, 400_000_000), f"=LPSA_POTENTIAL(B{i})"])


def _summary(ws, authorities: list[str], last: int) -> None:
    ws.append(["Authority", "Potential £", "Reward £", "Targets paid", "Share paid"])
    a_col, i_col, m_col, p_col = (f"Targets!${c}$2:${c}${last}" for c in "AIMP")
    for i, a in enumerate(authorities, start=2):
        ws.append([
            a,
            f"=SUMIF({a_col},A{i},{i_col})",
            f"=SUMIF({a_col},A{i},{m_col})",
            f'=COUNTIFS({a_col},A{i},{p_col},"Paid")',
            f"=IF(B{i}=0,0,ROUND(C{i}/B{i},4))",
        ])  # fmt: skip
    n = len(authorities) + 1
    ws.append(["Total", f"=SUM(B2:B{n})", f"=SUM(C2:C{n})", f"=SUM(D2:D{n})",
               f"=IF(B{n + 1}=0,0,ROUND(C{n + 1}/B{n + 1},4))"])  # fmt: skip


def _claim(ws, last: int) -> None:
    """Instalments by financial year for every target (one authority's claim sheet)."""
    ws.append(["Ref", "Year", "Reward £", "Instalment %", "Instalment £", "Capital £", "Revenue £",
               "Cumulative £", "Check"])  # fmt: skip
    r = 2
    for t in range(2, last + 1):
        for year, share in (("2005-06", 0.5), ("2006-07", 0.3), ("2007-08", 0.2)):
            ws.append([
                f"=Targets!B{t}", year, f"=Targets!M{t}", share,
                f"=ROUND(C{r}*D{r},2)",
                f"=LPSA_CAPITAL(E{r})",
                f"=LPSA_REVENUE(E{r})",
                f"=SUMIF($A$2:A{r},A{r},$E$2:E{r})",
                f'=IF(ABS(F{r}+G{r}-E{r})<0.01,"ok","check")',
            ])  # fmt: skip
            r += 1


def make(path: Path, n_authorities: int, claim: bool, seed: int = 2005) -> int:
    """Write a book for ``n_authorities``; return its number of formulas."""
    rng = random.Random(seed)
    authorities = [f"Authority {i:04d}" for i in range(1, n_authorities + 1)]
    wb = Workbook(write_only=True)
    targets = wb.create_sheet("Targets")
    auth = wb.create_sheet("Authorities")
    summary = wb.create_sheet("Summary")
    last = _targets(targets, authorities, rng)
    _authorities(auth, authorities, rng)
    _summary(summary, authorities, last)
    if claim:
        _claim(wb.create_sheet("Claim"), last)
    wb.save(path)
    rows = last - 1
    formulas = rows * 10 + n_authorities * 5 + 4 + (rows * 3 * 7 if claim else 0)
    return formulas


BOOKS = {
    "authority.xlsx": (1, True),
    "national.xlsx": (150, False),
    "national_x10.xlsx": (1500, False),
}


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, (n, claim) in BOOKS.items():
        count = make(out / name, n, claim)
        print(f"{out / name}: {n} authorities, {count} formulas")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "books")
