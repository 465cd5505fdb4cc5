"""Where agreements come from: a return (lpsa-xl's template or a council's own layout, read
and validated exactly as ``lpsa-xl compute`` reads it), or an agreements table (.xlsx or .csv,
one row per target or sub-target, any number of authorities).

An agreements table has a header row naming its columns (case, spaces and dashes ignored):
``authority``, ``ref`` and ``expected``/``target`` at least, and any of ``parent``, ``scheme``,
``period_start``, ``period_end``, ``nbr``, ``nbr_year``, ``stated_potential``,
``pump_priming_grant``, ``partners`` (``Name: 0.6; Other: 0.4``), ``measure``, ``theme``,
``unit``, ``direction``, ``baseline``, ``baseline_year``, ``weight``, ``potential``,
``interim_target``. Agreement-level columns may be given on one row of an authority or
repeated on every row (they must then agree). Every problem names the file and the cell or row.
"""

from __future__ import annotations

import csv
import datetime as _dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from lpsa_xl.files.a1 import col_letters
from lpsa_xl.files.errors import CellError, LayoutError, WorkbookError
from lpsa_xl.files.openbook import open_workbook, reading
from lpsa_xl.returns.compute import compute_book
from lpsa_xl.returns.read import read_return
from lpsa_xl.rules import Agreement, LpsaError, targets_from_rows, to_decimal
from lpsa_xl.rules.table import column_key
from lpsa_xl.store.records import Agreed, authority_key, file_hash

__all__ = ["AGREEMENT_COLUMNS", "file_hash", "is_agreements_table", "read_agreements"]

#: Columns of an agreements table that belong to the agreement rather than to a target.
AGREEMENT_COLUMNS = ("scheme", "period_start", "period_end", "nbr", "nbr_year",
                     "stated_potential", "pump_priming_grant", "partners")  # fmt: skip
_MONEY = ("nbr", "stated_potential", "pump_priming_grant")
_LINE_FIGURES = ("baseline", "expected", "target", "weight", "potential", "interim_target",
                 "value_per_unit")  # fmt: skip
_LINE = ("ref", "parent", "measure", "theme", "unit", "direction", "baseline_year", *_LINE_FIGURES)
_ALIASES = {
    "council": "authority",
    "local_authority": "authority",
    "net_budget_requirement": "nbr",
    "potential_reward": "potential",
    "sub_target_weight": "weight",
    "partner_shares": "partners",
    "interim": "interim_target",
}
_REQUIRED = ("authority", "ref")
#: Fields of a return's target rows that say what was achieved, not what was agreed: a
#: return registered as an agreement is read without them (a text actual does not matter).
_NOT_AGREED = ("actual", "interim_actual")


def _key(header: object) -> str:
    key = column_key(header)
    return _ALIASES.get(key, key)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _header_of(rows: Sequence[Sequence[object]]) -> tuple[int, dict[str, int]] | None:
    """The header row of an agreements table (its index, column of each field), or None."""
    for i, row in enumerate(rows[:20]):
        columns = {_key(v): c for c, v in enumerate(row) if isinstance(v, str) and v.strip()}
        if all(k in columns for k in _REQUIRED) and ("expected" in columns or "target" in columns):
            return i, columns
    return None


def is_agreements_table(path: Path) -> bool:
    """Whether ``path`` is an agreements table (a .csv, or a workbook whose first sheet has an
    ``authority`` column beside ``ref`` and ``expected``/``target``) rather than a return."""
    if path.suffix.lower() == ".csv":
        return True
    wb = open_workbook(path, data_only=True, read_only=True)
    try:
        with reading(path):  # read-only sheets are parsed as their rows are iterated
            ws = wb.worksheets[0]
            rows = [list(r) for r in ws.iter_rows(max_row=20, max_col=40, values_only=True)]
    finally:
        wb.close()
    return _header_of(rows) is not None


def read_agreements(path: str | Path, *, headers: Iterable[str | Path] = ()) -> list[Agreed]:
    """The agreements in ``path``: a return (one agreement, read and validated as ``compute``
    reads it, its actuals, claims and pump-priming spend left aside) or an agreements table
    (one per authority). Raises a :class:`~lpsa_xl.files.errors.WorkbookError` naming the
    file and the cell for anything that cannot be used."""
    p = Path(path)
    if not p.is_file():
        raise LayoutError("no such file", workbook=p)
    digest = file_hash(p)
    if is_agreements_table(p):
        return [a.stored(source=p.name, source_hash=digest) for a in _read_table(p)]
    book = read_return(p, headers=headers)
    for row in book.targets:  # what was achieved is not part of what was agreed
        for name in _NOT_AGREED:
            row.fields.pop(name, None)
        row.claimed.clear()
    book.pump_priming, book.claim, book.totals = [], [], {}
    done = compute_book(book)
    return [Agreed.from_agreement(done.result.agreement, source=p.name, source_hash=digest)]


# --- agreements tables ----------------------------------------------------------------------


def _table_rows(path: Path) -> tuple[str | None, list[list[object]]]:
    if path.suffix.lower() == ".csv":
        try:
            with open(path, newline="", encoding="utf-8-sig") as f:
                return None, [list(r) for r in csv.reader(f)]
        except (UnicodeDecodeError, csv.Error) as exc:
            raise LayoutError(f"cannot be read as CSV text ({exc})", workbook=path) from None
    wb = open_workbook(path, data_only=True, read_only=True)
    try:
        with reading(path):
            ws = wb.worksheets[0]
            return ws.title, [list(r) for r in ws.iter_rows(values_only=True)]
    finally:
        wb.close()


class _Place:
    """Names a cell of the table in messages (sheet and A1 cell, or CSV row and column)."""

    def __init__(self, path: Path, sheet: str | None) -> None:
        self.path, self.sheet = path, sheet

    def error(self, message: str, row: int, col: int | None, header: str = "") -> WorkbookError:
        if self.sheet is not None:
            cell = f"{col_letters(col + 1)}{row + 1}" if col is not None else None
            return CellError(message, workbook=self.path, sheet=self.sheet, cell=cell)
        column = f", column {header}" if header else ""
        return CellError(f"row {row + 1}{column}: {message}", workbook=self.path)


def _read_table(path: Path) -> list[Agreed]:
    sheet, rows = _table_rows(path)
    found = _header_of(rows)
    if found is None:
        raise LayoutError(
            "no header row with authority, ref and expected/target columns was found",
            workbook=path,
            sheet=sheet,
        )
    start, columns = found
    place = _Place(path, sheet)
    headers = {c: str(rows[start][c]).strip() for c in columns.values()}
    groups: dict[str, dict[str, Any]] = {}
    for r in range(start + 1, len(rows)):
        raw = rows[r]
        value = {k: (raw[c] if c < len(raw) else None) for k, c in columns.items()}
        if all(_blank(v) for v in value.values()):
            continue
        name = str(value.get("authority") or "").strip()
        if not name:
            raise place.error("the authority is blank", r, columns["authority"], "authority")
        group = groups.setdefault(authority_key(name), {"authority": name, "rows": [], "at": {}})
        line: dict[str, Any] = {"_row": r}
        for k in _LINE:
            if k in value and not _blank(value[k]):
                line[k] = (
                    _figure(value[k], k, place, r, columns[k], headers)
                    if k in _LINE_FIGURES
                    else value[k]
                )
        group["rows"].append(line)
        for k in AGREEMENT_COLUMNS:
            if k not in value or _blank(value[k]):
                continue
            given = _agreement_value(value[k], k, place, r, columns[k], headers)
            if k in group["at"] and group["at"][k][0] != given:
                first = group["at"][k][1]
                raise place.error(
                    f"{headers[columns[k]]} {value[k]!r} differs from row {first + 1} for "
                    f"{name} ({group['at'][k][0]!r}); an agreement has one",
                    r,
                    columns[k],
                    headers[columns[k]],
                )
            group["at"][k] = (given, r)
    if not groups:
        raise LayoutError("the agreements table has no rows", workbook=path, sheet=sheet)
    return [_agreed(path, place, g) for g in groups.values()]


def _figure(
    value: object, name: str, place: _Place, r: int, c: int, headers: dict[int, str]
) -> Any:
    try:
        return to_decimal(value, name)
    except LpsaError as exc:
        raise place.error(f"{headers[c]}: {exc.reason}", r, c, headers[c]) from None


def _agreement_value(
    value: object, name: str, place: _Place, r: int, c: int, headers: dict[int, str]
) -> Any:
    if name in _MONEY:
        return _figure(value, name, place, r, c, headers)
    if name in ("period_start", "period_end"):
        if isinstance(value, _dt.datetime):
            return value.date()
        if isinstance(value, _dt.date):
            return value
        text = str(value).strip()
        for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d %B %Y", "%d %b %Y"):
            try:
                return _dt.datetime.strptime(text[:10] if fmt == "%Y-%m-%d" else text, fmt).date()
            except ValueError:
                continue
        raise place.error(
            f"{headers[c]}: {value!r} is not a date such as 2006-03-31", r, c, headers[c]
        )
    if name == "partners":
        shares = []
        for part in str(value).replace("\n", ";").split(";"):
            if not part.strip():
                continue
            who, sep, share = part.rpartition(":") if ":" in part else part.rpartition("=")
            if not sep or not who.strip():
                raise place.error(
                    f"partners: {part.strip()!r} is not 'Name: share' (e.g. 'Police: 0.25')",
                    r, c, headers[c],
                )  # fmt: skip
            shares.append((who.strip(), _figure(share, "partners", place, r, c, headers)))
        return tuple(shares)
    return str(value).strip()


def _agreed(path: Path, place: _Place, group: dict[str, Any]) -> Agreed:
    at = {k: v for k, (v, _r) in group["at"].items()}
    rows = group["rows"]
    try:
        targets = targets_from_rows([{k: v for k, v in row.items() if k != "_row"} for row in rows])
        agreement = Agreement(
            authority=group["authority"],
            scheme=at.get("scheme") or "LPSA1",
            targets=tuple(targets),
            nbr=at.get("nbr"),
            nbr_year=at.get("nbr_year", ""),
            stated_potential=at.get("stated_potential"),
            period_start=at.get("period_start"),
            period_end=at.get("period_end"),
            pump_priming_grant=at.get("pump_priming_grant"),
            partner_shares=dict(at.get("partners", ())),
        )
    except LpsaError as exc:
        raise LayoutError(f"{group['authority']}: {exc}", workbook=path) from None
    if agreement.total_potential is None:
        raise LayoutError(
            f"{group['authority']}: no potential reward (give nbr or stated_potential)",
            workbook=path,
        )
    return Agreed.from_agreement(agreement)
