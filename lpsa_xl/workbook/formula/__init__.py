"""A headless evaluator for Excel formulas, used by ``lpsa-xl recalc``.

    package.py     read an .xlsx/.xlsm zip: sheets, cells, shared strings, names, tables
    normalise.py   A1 formula text -> position-independent (R1C1-like) text, the compile key
    parser.py      normalised text -> syntax tree
    compiler.py    syntax tree -> a Python function of the formula cell's (row, column)
    values.py      Excel's coercions and comparisons (blank, text, numbers, booleans, errors)
    ops.py         the operators, element by element over arrays
    functions/     the standard functions, as Excel computes them (binary double, like Excel)
    index.py       range cache and hash indexes that keep SUMIF/lookups linear
    engine.py      evaluation in dependency order with memoisation and cycle detection
    writer.py      patch cached values into the sheet XML; copy every other zip member unchanged
    libreoffice.py LibreOffice headless recalculation (tests and benchmark only)

The command is :mod:`lpsa_xl.workbook.recalc`.

Formulas repeated down a column differ only in row offsets: they normalise to the same text and
are compiled once. Errors are values (:class:`lpsa_xl.xlvalues.ExcelError`), never exceptions.
"""

from .engine import Engine, Problem
from .package import Package, read_package

__all__ = ["Engine", "Package", "Problem", "read_package"]
