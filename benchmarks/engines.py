"""One recalculation by one engine, run as its own process by bench_recalc.py:

    python benchmarks/engines.py ENGINE BOOK OUT_DIR

ENGINE is ``pycel`` (evaluate every formula cell; pycel cannot save), ``formulas`` (calculate
and write the books), or ``openpyxl`` (the floor: load and save, no calculation).
``lpsa-xl recalc`` and LibreOffice are run directly by bench_recalc.py.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path


def run_pycel(book: Path, out: Path) -> int:
    from pycel import ExcelCompiler

    xl = ExcelCompiler(filename=str(book))
    n = 0
    for ws in xl.excel.workbook.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    # LPSA_* cells: pycel raises for an unknown function; timed all the same
                    with contextlib.suppress(Exception):
                        xl.evaluate(f"'{ws.title}'!{c.coordinate}")
                    n += 1
    return n


def run_formulas(book: Path, out: Path) -> int:
    import formulas

    model = formulas.ExcelModel().loads(str(book)).finish()
    solution = model.calculate()
    model.write(dirpath=str(out))
    return len(solution)


def run_openpyxl(book: Path, out: Path) -> int:
    import openpyxl

    wb = openpyxl.load_workbook(book)
    wb.save(out / book.name)
    return 0


if __name__ == "__main__":
    engine, book, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    out.mkdir(parents=True, exist_ok=True)
    {"pycel": run_pycel, "formulas": run_formulas, "openpyxl": run_openpyxl}[engine](book, out)
