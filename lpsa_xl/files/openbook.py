"""Opening a workbook with openpyxl, once the package inspection (:mod:`lpsa_xl.files.inspect`)
has found it usable: :func:`open_workbook` (read-only for reading, in full for writing a copy)
and :func:`reading`, the guard that turns whatever openpyxl raises into a message naming the
workbook. The one place lpsa-xl hands a file to openpyxl."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from lpsa_xl.files.errors import UnreadableWorkbookError
from lpsa_xl.files.inspect import LIMITS, Limits, PackageReport, inspect_package
from lpsa_xl.rules.errors import LpsaError

__all__ = ["open_workbook", "reading"]


@contextmanager
def reading(path: str | Path) -> Iterator[None]:
    """Turn whatever openpyxl raises while a workbook is read into an
    :class:`UnreadableWorkbookError` naming it. Read-only worksheets are parsed lazily, so a
    damaged sheet surfaces while its rows are iterated: iterate inside this guard."""
    try:
        yield
    except LpsaError:
        raise
    except Exception as exc:  # openpyxl raises anything from KeyError to ParseError on bad parts
        raise UnreadableWorkbookError(
            f"cannot be read as a workbook ({type(exc).__name__}: {exc})", workbook=path
        ) from None


def open_workbook(
    path: str | Path,
    *,
    data_only: bool = True,
    read_only: bool = True,
    keep_vba: bool = False,
    report: PackageReport | None = None,
    limits: Limits = LIMITS,
) -> Any:
    """Open ``path`` with openpyxl, only if :func:`inspect_package` found it usable: read-only
    for reading a return, or in full (``read_only=False``, formulas and with ``keep_vba`` the
    VBA kept) for writing a copy.

    Raises :class:`UnreadableWorkbookError` naming the workbook otherwise, or when openpyxl
    itself fails. Sheets whose dimension claims far more than they hold are given the extent
    found, so iterating them never pads a million empty rows. External links are not loaded;
    VBA is never run (read-only openpyxl does not even keep it).
    """
    import openpyxl

    report = report if report is not None else inspect_package(path, limits)
    if not report.usable:
        raise report.error()
    with reading(path), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Data Validation extension not supported" etc.
        wb = openpyxl.load_workbook(
            path,
            read_only=read_only,
            data_only=data_only,
            keep_vba=keep_vba,
            keep_links=not read_only,  # links are kept only in a copy being written
        )
    if read_only:
        _true_dimensions(wb, report)
    return wb


def _true_dimensions(wb: Any, report: PackageReport) -> None:
    """Give each read-only sheet the extent really found when its dimension says otherwise.

    Read-only openpyxl trusts the dimension: one claiming a million rows makes it pad a million
    empty rows, and one claiming too few (some exporters write ``A1``) makes it stop early and
    silently drop the rest of the sheet."""
    found = {s.name: s for s in report.sheets if s.name and s.rows}
    for ws in wb.worksheets:
        info = found.get(ws.title)
        if info is None or not hasattr(ws, "reset_dimensions"):
            continue
        rows = info.rows or 0
        columns = info.columns or info.claimed_columns or 0
        if (rows, columns) != (info.claimed_rows, info.claimed_columns) and columns:
            ws._max_row, ws._max_column = rows, columns
