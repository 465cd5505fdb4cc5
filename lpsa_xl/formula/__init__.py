"""A headless evaluator for Excel formulas, used by ``lpsa-xl recalc`` and the checker's
stale-cache rule. It knows nothing of returns: the ``LPSA_*`` functions are handed in by
:mod:`lpsa_xl.returns.recalc`. It reads what :mod:`lpsa_xl.files.scan` scanned of a workbook
(cells, shared strings, names, tables, formulas as position-independent text from
:mod:`lpsa_xl.files.formulatext`) and may import :mod:`lpsa_xl.files` and :mod:`lpsa_xl.values`.

    parser.py      normalised text -> syntax tree
    compiler.py    syntax tree -> a Python function of the formula cell's (row, column)
    values.py      Excel's coercions and comparisons (blank, text, numbers, booleans, errors)
    ops.py         the operators, element by element over arrays
    functions/     the standard functions, as Excel computes them (binary double, like Excel)
    index.py       range cache and hash indexes that keep SUMIF/lookups linear
    engine.py      evaluation in dependency order with memoisation and cycle detection
    writer.py      patch cached values into the sheet XML; copy every other zip member unchanged
    libreoffice.py LibreOffice headless recalculation (tests and benchmark only)

The command is :mod:`lpsa_xl.cli.recalc`.

Formulas repeated down a column differ only in row offsets: they normalise to the same text and
are compiled once. Errors are values (:class:`lpsa_xl.values.ExcelError`), never exceptions.
"""

from lpsa_xl.files.scan import Package, read_package
from lpsa_xl.formula.engine import Engine, Problem

__all__ = ["Engine", "Package", "Problem", "read_package"]
