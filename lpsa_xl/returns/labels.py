"""Agreement figures outside a council's targets table, found by their labels, and which
authority a return is for and under which scheme: from a labelled cell, the title rows, or the
document properties, in that order (docs/rules.md#return).

A label is a cell whose text matches one of ``[agreement]``'s phrases (headers.toml); its value
is the first non-blank cell to its right (up to three columns) or the figure just below.

Councils' own workbooks seldom have an "Authority" cell: the authority is in the title of the
sheet ("Fictional Clean Borough – Local PSA final outturn") and the scheme in the same title or
a heading ("LPSA2 stretch targets"). The reader fills the agreement's ``authority`` and
``scheme`` from the first source that names them, and records in ``ReturnBook.sources`` where
each came from, so the finding can say so.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from lpsa_xl.files.a1 import col_letters, parse_a1
from lpsa_xl.returns.headers import Synonyms, normalise, score
from lpsa_xl.returns.model import Cell, ReturnBook
from lpsa_xl.rules.schemes import scheme_key, scheme_names

__all__ = ["authority_in", "fill_identity", "read_labels", "scheme_in"]

#: Agreement fields that hold figures (a label whose neighbour is text is not that figure).
_NUMERIC = frozenset({"nbr", "stated_potential", "pump_priming_grant"})

#: Words that make a phrase the name of an authority.
_AUTHORITY = re.compile(
    r"\b(council|borough|county|city|district|metropolitan|unitary|authority|royal borough|"
    r"london borough|shire)\b",
    re.I,
)
#: Where a title splits into its parts: "X – Local PSA final outturn", "X: LPSA2 targets".
_PARTS = re.compile(r"\s+[-\u2013\u2014|]\s+|\s*[:\u2013\u2014|]\s*")
_LEAD = re.compile(r"^(?:report (?:to|of|for)|prepared for|for|of|by)\s+", re.I)
_GENERATION = (
    (re.compile(r"\b(?:second generation|lpsa\s*2\s*g?|2nd generation)\b", re.I), "LPSA2"),
    (re.compile(r"\b(?:first generation|lpsa\s*1|1st generation)\b", re.I), "LPSA1"),
    (re.compile(r"\b(?:laa|local area agreement)\b.*\b2008\b", re.I), "LAA2008"),
    (re.compile(r"\b(?:laa|local area agreement)\b.*\b200[5-7]\b", re.I), "LAA2006"),
    (re.compile(r"\bprg\s*2010\b", re.I), "PRG2010"),
)
_NAMED = re.compile(r"\b(lpsa|laa|prg)\s*(\d{1,4})\b", re.I)
#: Where a name run on into the title's other words ends: "X Council LPSA2 claim" -> "X Council".
_AFTER_NAME = re.compile(
    r"\s+(?:lpsa\s*\d*|local psa|local public service|laa\s*\d*|local area agreement|prg\s*\d*|"
    r"claim|final|"
    r"outturn|monitoring|stretch|targets?|return|report|performance|reward|schedule|"
    r"\d{4})\b.*$",
    re.I,
)


def scheme_in(text: str) -> str | None:
    """The scheme a title or heading names ("LPSA2 final outturn" -> ``"LPSA2"``), or None."""
    known = set(scheme_names())
    for match in _NAMED.finditer(text):
        key = scheme_key(match[1] + match[2])
        if key in known:
            return key
    for pattern, name in _GENERATION:
        if pattern.search(text) and name in known:
            return name
    return None


def authority_in(text: str) -> str | None:
    """The authority a title names: the part of it (split at dashes, colons and bars) holding
    a word such as Council, Borough or County, of at most eight words; None if none does."""
    for part in _PARTS.split(text.strip()):
        part = _LEAD.sub("", part.strip()).strip(" .,;")
        short = _AFTER_NAME.sub("", part)
        if short != part and _AUTHORITY.search(short):
            part = short
        if part and _AUTHORITY.search(part) and len(part.split()) <= 8:
            if re.fullmatch(r"(?i)(the\s+)?(local\s+)?authority|council", part):
                continue  # a heading word, not a name
            return part
    return None


def _title_cells(grid: list[list[object]], sheet: str, below: int) -> Iterator[Cell]:
    """Text cells of the rows above row ``below`` (the table's header), first rows first."""
    for r, row in enumerate(grid[: max(below - 1, 0)], start=1):
        for c, value in enumerate(row[:12], start=1):
            if isinstance(value, str) and len(value.strip()) >= 6:
                yield Cell(sheet, f"{col_letters(c)}{r}", value.strip())


def _properties(wb: Any) -> Iterator[tuple[str, str]]:
    """(which property, text) of a workbook's document properties, where the workbook has
    them: custom properties named like Authority/Council/Scheme first, then title, subject,
    keywords and description."""
    custom = getattr(wb, "custom_doc_props", None)
    for prop in getattr(custom, "props", None) or []:
        name, value = str(getattr(prop, "name", "")), getattr(prop, "value", None)
        if isinstance(value, str) and value.strip():
            yield f"custom property {name!r}", f"{name}: {value.strip()}"
    props = getattr(wb, "properties", None)
    for attr in ("title", "subject", "keywords", "description", "category"):
        value = getattr(props, attr, None)
        if isinstance(value, str) and value.strip():
            yield f"document {attr}", value.strip()


def fill_identity(
    book: ReturnBook, wb: Any, titles: Iterable[tuple[list[list[object]], str, int]]
) -> None:
    """Fill ``book.agreement``'s authority and scheme where no labelled cell gave them, from
    the title rows (``titles``: grid, sheet, header row of each table read) and then the
    document properties; say in ``book.sources`` and ``book.notes`` where each came from."""
    for name, cell in book.agreement.items():
        if name in ("authority", "scheme") and cell.value not in (None, ""):
            book.sources.setdefault(name, f"the labelled cell {cell.sheet}!{cell.coord}")
    wanted = {"authority": authority_in, "scheme": scheme_in}
    for grid, sheet, below in titles:
        for cell in _title_cells(grid, sheet, below):
            for name, find in wanted.items():
                if name in book.agreement:
                    continue
                found = find(str(cell.value))
                if found:
                    book.agreement[name] = Cell(cell.sheet, cell.coord, found)
                    book.sources[name] = f"the title {cell.value!r} in {cell.sheet}!{cell.coord}"
    for which, text in _properties(wb):
        for name, find in wanted.items():
            if name in book.agreement:
                continue
            found = find(text)
            if found is None and name == "authority" and which.startswith("custom"):
                label, _, value = text.partition(": ")
                if re.search(r"(?i)authority|council", label):
                    found = value
            if found:
                book.agreement[name] = Cell("", "", found)
                book.sources[name] = f"the {which} ({text!r})"
    for name in ("authority", "scheme"):
        source = book.sources.get(name)
        if source and not source.startswith("the labelled cell"):
            book.notes.append(f"{name} {book.agreement[name].value!r} read from {source}")


def read_labels(
    book: ReturnBook,
    grids: dict[str, list[list[object]]],
    synonyms: Synonyms,
    skip: Callable[[str, int, int], bool],
) -> None:
    """Agreement figures outside the table: a cell whose text is mostly one of a field's
    phrases, its value the first non-blank cell to the right (up to 3 columns) or the figure
    just below. ``skip(sheet, row, column)``: cells of the tables read, never labels."""
    found: dict[str, tuple[float, Cell]] = {}
    for sheet, grid in grids.items():
        for r, values in enumerate(grid[:200], start=1):
            for c, value in enumerate(values[:30], start=1):
                if not isinstance(value, str) or len(value) > 80 or not value.strip():
                    continue
                norm = normalise(value)
                if not norm or skip(sheet, r, c):
                    continue
                for name, phrases in synonyms.agreement.items():
                    s, _phrase = score(norm, phrases)
                    if s <= 0 or s < len(norm.split()) * 0.5:  # the label must be mostly the phrase
                        continue
                    cell = _value_near(grid, sheet, r, c)
                    if cell is None or skip(sheet, *parse_a1(cell.coord)):
                        continue
                    if name in _NUMERIC and not _looks_numeric(cell.value):
                        continue
                    if name not in found or s > found[name][0]:
                        found[name] = (s, cell)
    for name, (_s, cell) in found.items():
        book.agreement[name] = cell


def _looks_numeric(value: object) -> bool:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return True
    return isinstance(value, str) and bool(
        re.fullmatch(r"\s*£?\s*[\d,]+(\.\d+)?\s*[mk]?\s*", value, re.I)
    )


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _value_near(grid: list[list[object]], sheet: str, r: int, c: int) -> Cell | None:
    row = grid[r - 1]
    for cc in range(c + 1, min(c + 4, len(row) + 1)):
        v = row[cc - 1]
        if not _blank(v):
            return Cell(sheet, f"{col_letters(cc)}{r}", v)
    if (
        r < len(grid)
        and c - 1 < len(grid[r])
        and not _blank(grid[r][c - 1])
        and not isinstance(grid[r][c - 1], str)
    ):
        return Cell(sheet, f"{col_letters(c)}{r + 1}", grid[r][c - 1])
    return None
