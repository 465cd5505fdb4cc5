"""The outturn of a council layout where it is not one column beside the agreed figures
(docs/rules.md#return: monitoring tables carry the "latest or final actual").

* **Year by year.** A monitoring table often has one outturn column per year ("Outturn 2003/04",
  "2004/05", "2005/06", or "Outturn" merged over the years). Each target's outturn is the
  latest year filled in, and the notes say which year was taken where it is not the last.
  Where the expected or target figure has a column per year, the latest year's is taken.
* **Another sheet.** Agreed figures on one sheet and the outturn on another (or in another
  table): the outturn table is found by its headers (a reference and an outturn column) and
  joined by reference, in any order. An outturn for a reference the targets table lacks is an
  error at its cell; a target the outturn table lacks is named in a warning.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from lpsa_xl.files.a1 import col_letters
from lpsa_xl.files.errors import CellError
from lpsa_xl.returns.headers import HeaderMatch, Synonyms, find_outturn_table, normalise, score
from lpsa_xl.returns.model import Cell, ReturnBook, TargetRow

if TYPE_CHECKING:  # pragma: no cover
    from lpsa_xl.returns.council import View

__all__ = ["YearColumns", "join_outturn", "latest_year_columns", "year_of"]

_FY = re.compile(r"\b((?:19|20)?\d{2})\s*[/-]\s*((?:19|20)?\d{1,2})\b")
_YEAR = re.compile(r"\b((?:19|20)\d{2})\b")


def year_of(text: str) -> tuple[int, str] | None:
    """The year a header names, as (sort key, the year as written): "Outturn 2005/06" ->
    (2006, "2005/06"); "2006" -> (2006, "2006"); None when it names none."""
    m = _FY.search(text)
    if m:
        start = int(m[1]) % 100
        return 2000 + (start + 1) % 100 if start < 90 else 1900 + start + 1, m[0]
    m = _YEAR.search(text)
    return (int(m[1]), m[1]) if m else None


def _header_texts(view: View, match: HeaderMatch) -> dict[int, str]:
    """Column -> the header's text over its rows (a merged group label spread over them)."""
    out: dict[int, str] = {}
    for r in range(match.first_row, match.last_row + 1):
        row = view.grid[r - 1] if r - 1 < len(view.grid) else []
        for c, v in enumerate(row, start=1):
            if isinstance(v, str) and v.strip() and v.strip() not in out.get(c, ""):
                out[c] = f"{out[c]} {v.strip()}" if c in out else v.strip()
    return out


def _year_columns(
    texts: Mapping[int, str], phrases: Sequence[str], chosen: int
) -> list[tuple[int, str, int]]:
    """(year key, year as written, column) of every column whose header matches ``phrases``
    as well as the chosen column's does and names a year, in year order."""
    best = score(normalise(texts.get(chosen, "")), phrases)[0]
    found = []
    for col, text in texts.items():
        year = year_of(text)
        if year is None:
            continue
        s = score(normalise(text), phrases)[0]
        if s > 0 and s >= best - 0.01:
            found.append((year[0], year[1], col))
    found.sort()
    return found if len(found) >= 2 and chosen in {c for *_y, c in found} else []


@dataclass
class YearColumns:
    """The outturn columns of a year-by-year table, in year order."""

    columns: list[tuple[int, str, int]]
    earlier: dict[str, list[str]] = field(default_factory=dict)  # year -> refs taken from it
    bare: bool = False  # headed by the years alone, no column saying "outturn"

    def take(self, view: View, r: int, row: TargetRow, book: ReturnBook) -> None:
        """Set ``row``'s actual to the latest year filled in on view row ``r``, and keep every
        year's cell as the target's monitoring series (for a forecast)."""
        ref = _ref(row.value("ref")) or f"row {row.row}"
        book.series[ref] = [(_period(label), view.cell(r, col)) for _k, label, col in self.columns]
        if book.final_period is None:
            book.final_period = _period(self.columns[-1][1])
        for _key, label, col in reversed(self.columns):
            cell = view.cell(r, col)
            if cell.value is not None and str(cell.value).strip():
                row.fields["actual"] = cell
                if col != self.columns[-1][2]:
                    ref = row.value("ref")
                    self.earlier.setdefault(label, []).append(str(ref or f"row {row.row}"))
                return
        row.fields["actual"] = view.cell(r, self.columns[-1][2])

    def describe(self, sheet: str) -> str:
        years = ", ".join(f"{label} ({col_letters(col)})" for _k, label, col in self.columns)
        text = (
            f"outturn read year by year on sheet {sheet!r} from {years}: each target's latest "
            f"year filled in is taken ({self.columns[-1][1]} unless said)"
        )
        if self.bare:
            text += " (their headers name only a year, and no column says outturn)"
        for label, refs in self.earlier.items():
            text += f"; {label} for {', '.join(refs)} (no later year filled)"
        return text


def latest_year_columns(view: View, match: HeaderMatch, synonyms: Synonyms) -> YearColumns | None:
    """Where the table has a column per year: the expected and target columns moved to the
    latest year's (noted), and the outturn's year columns (None when there is one only)."""
    texts = _header_texts(view, match)
    phrases = synonyms.columns()
    for name in ("expected", "target"):
        if name not in match.columns:
            continue
        years = _year_columns(texts, phrases[name], match.columns[name])
        if years and years[-1][2] != match.columns[name]:
            match.columns[name] = years[-1][2]
            match.headers[name] = texts[years[-1][2]]
    if "actual" not in match.columns:
        bare = _bare_years(texts, match)
        if not bare:
            return None
        match.columns["actual"] = bare[-1][2]
        match.headers["actual"] = texts[bare[-1][2]]
        return YearColumns(bare, bare=True)
    years = _year_columns(texts, phrases["actual"], match.columns["actual"])
    return YearColumns(years) if years else None


def _bare_years(texts: Mapping[int, str], match: HeaderMatch) -> list[tuple[int, str, int]]:
    """Columns right of the expected and target whose headers name only a year ("2004/05"),
    holding figures: a monitoring table's outturn by year when no column says "outturn"."""
    right_of = max(match.columns[n] for n in ("expected", "target") if n in match.columns)
    found = []
    for col, text in texts.items():
        year = year_of(text)
        if year is None or col <= right_of or col in match.columns.values():
            continue
        if normalise(text).strip() or match.kinds.get(col, "figure") not in ("figure", ""):
            continue
        found.append((year[0], year[1], col))
    return sorted(found)


def _period(label: str) -> str:
    """A year header as a period label: "03/04" or "2003-04" -> "2003/04"; "2004" stays."""
    m = _FY.search(label)
    if not m:
        return label
    key = year_of(label)
    assert key is not None
    return f"{key[0] - 1}/{key[0] % 100:02d}"


def _ref(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


def join_outturn(
    book: ReturnBook,
    grids: Mapping[str, list[list[object]]],
    views: Mapping[str, View],
    synonyms: Synonyms,
    tables: Sequence[HeaderMatch],
) -> None:
    """The targets table has no outturn column: find an outturn table elsewhere (a reference
    and an outturn column) and join it by reference; say what was looked for when none is
    found."""
    main = tables[0]
    table = find_outturn_table(grids, synonyms, skip=tables)
    if table is None or "ref" not in main.columns:
        looked = ", ".join(repr(p) for p in synonyms.fields["actual"][:4])
        book.warnings.append(
            CellError(
                f"no outturn found: looked for a column headed like {looked} in the targets "
                f"table (header row {main.first_row}) and for a table of target references "
                "and outturns on the other sheets; every target's reward is left blank",
                workbook=book.path,
                sheet=main.sheet,
                cell=f"{col_letters(min(main.columns.values()))}{main.first_row}",
            )
        )
        return
    view = views[table.sheet]
    book.notes.append(table.describe() + "\n  joined to the targets by reference")
    years = latest_year_columns(view, table, synonyms)
    by_ref: dict[str, TargetRow] = {}
    for t in book.targets:
        by_ref.setdefault(_ref(t.value("ref")), t)
    seen: dict[str, Cell] = {}
    blanks = 0
    for r in range(table.last_row + 1, len(view.grid) + 1):
        ref_cell = view.cell(r, table.columns["ref"])
        holder = TargetRow(sheet=view.title, row=r)
        holder.fields["actual"] = view.cell(r, table.columns["actual"])
        if years is not None:
            years.take(view, r, holder, book)
        actual = holder.fields["actual"]
        ref = _ref(ref_cell.value)
        if not ref:
            blanks += 1
            if blanks >= 3:
                break
            continue
        blanks = 0
        if re.match(r"(?i)\s*(grand\s+|sub-?)?totals?\b|\s*notes?\b", ref):
            continue
        target = by_ref.get(ref)
        if ref in seen:
            book.problems.append(_at(book, ref_cell, f"the outturn of target {ref} is given "
                                     f"again (first at {seen[ref].coord})"))  # fmt: skip
            continue
        seen[ref] = ref_cell
        if target is None:
            book.problems.append(
                _at(
                    book,
                    ref_cell,
                    f"an outturn is given for target {ref}, but the targets table on sheet "
                    f"{main.sheet!r} has no target {ref}",
                )
            )
            continue
        target.fields["actual"] = actual
    if years is not None:
        book.notes.append(years.describe(table.sheet))
    parents = {_ref(t.value("parent")) for t in book.targets} - {""}
    for ref, target in by_ref.items():
        if ref and ref not in seen and ref not in parents:
            where = target.fields.get("ref")
            book.warnings.append(
                _at(
                    book,
                    where,
                    f"target {ref}: no outturn on sheet {table.sheet!r} (looked for reference "
                    f"{ref} in column {col_letters(view.where(1, table.columns['ref'])[1])}); "
                    "its reward is left blank",
                )
            )


def _at(book: ReturnBook, cell: Cell | None, message: str, **more: Any) -> CellError:
    return CellError(
        message,
        workbook=book.path,
        sheet=cell.sheet if cell else None,
        cell=cell.coord if cell else None,
        **more,
    )
