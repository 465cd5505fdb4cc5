"""Finding a targets table in a council's own layout by its headers.

Synonyms live in ``headers.toml`` beside this module; a user adds their own with a file of the
same layout (``--headers FILE``). Matching works on normalised text (:func:`normalise`): case,
punctuation and "£" ignored, years, financial years and dates removed. A header matches a
phrase when the phrase's words occur in it in order and together; the score is the number of
words matched plus a bonus for an exact match, so the most specific phrase wins ("un-stretched
target" is the expected figure, not the target). Fields are then assigned to columns best
score first, each field and each column once, with a penalty where a column's data does not
look like the field (text under a figure's header, figures under a measure's; what a column
holds is judged by :mod:`lpsa_xl.returns.kinds`).

The header may start anywhere, span two rows, or sit in merged cells: every row of the first
:data:`SCAN_ROWS` rows of every sheet is tried alone and joined with the row above (merged
cells spread their text over their span), and the best-scoring candidate is taken. The result
says what matched what, for users to see (:meth:`HeaderMatch.describe`).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lpsa_xl.files.a1 import col_letters
from lpsa_xl.files.errors import LayoutError
from lpsa_xl.returns.figures import INPUT_FIGURES
from lpsa_xl.returns.kinds import kinds_once
from lpsa_xl.returns.synonyms import Synonyms, load_synonyms, normalise, score

__all__ = [
    "FIGURE_FIELDS",
    "HeaderMatch",
    "Synonyms",
    "find_header",
    "find_outturn_table",
    "find_pump_priming",
    "find_table",
    "load_synonyms",
    "normalise",
    "score",
]

#: Rows and columns of each sheet searched for a header.
SCAN_ROWS = 80
SCAN_COLS = 60

#: Fields that hold figures (a column of text under them is penalised).
FIGURE_FIELDS = frozenset(INPUT_FIGURES) | {
    "weight",
    "stretch",
    "achievement",
    "payable",
    "reward",
    "trigger",
    "vfm_cost",
    "budget",  # a pump-priming table's
    "spend",
}
#: Fields that hold text (a column of figures under them is penalised).
TEXT_FIELDS = frozenset({"measure", "theme", "direction", "status", "unit"})
#: Without these a table is not a targets table.
REQUIRED = ("expected", "target")
#: Without these a table is not a pump-priming table.
PUMP_REQUIRED = ("budget", "spend")


@dataclass
class HeaderMatch:
    """A header found: where, and which column holds which field (with the header text and the
    phrase it matched). A near miss (no table) also says which required fields it lacks."""

    sheet: str
    first_row: int  # the header's first row (its top row when it spans two)
    last_row: int  # the header's last row; data starts below it
    columns: dict[str, int] = field(default_factory=dict)  # field -> column number (1-based)
    headers: dict[str, str] = field(default_factory=dict)  # field -> header text as written
    phrases: dict[str, str] = field(default_factory=dict)  # field -> phrase matched
    score: float = 0.0
    unmatched: list[str] = field(default_factory=list)  # header texts that matched nothing
    what: str = "targets table"
    missing: list[str] = field(default_factory=list)  # required fields a near miss lacks
    #: column -> header text of every header cell, and what its column holds below
    texts: dict[int, str] = field(default_factory=dict)
    kinds: dict[int, str] = field(default_factory=dict)

    def describe(self, *, across: bool = False) -> str:
        """What matched what; ``across``: the table was read transposed (targets as columns,
        so a "row" here is a sheet column and a "column" a sheet row)."""
        rows = (
            f"row {self.first_row}"
            if self.first_row == self.last_row
            else f"rows {self.first_row}-{self.last_row}"
        )
        if across:
            lines = [
                f"{self.what} on sheet {self.sheet!r}, one target per column, labels down "
                f"column {col_letters(self.first_row)}:"
            ]
        else:
            lines = [f"{self.what} on sheet {self.sheet!r}, header {rows}:"]
        for name, col in sorted(self.columns.items(), key=lambda kv: kv[1]):
            where = f"row {col}" if across else col_letters(col)
            lines.append(
                f"  {where} {self.headers[name]!r} -> {name} (matched {self.phrases[name]!r})"
            )
        if self.unmatched:
            lines.append("  not used: " + ", ".join(repr(h) for h in self.unmatched))
        return "\n".join(lines)


def _misfit(name: str, kind: str) -> float:
    """How much a column's data speak against a field: text under a figure's header, figures
    under a text field's, descriptions under a reference's."""
    if name in FIGURE_FIELDS and kind in ("text", "longtext"):
        return 2.5
    if name in TEXT_FIELDS and kind == "figure":
        return 2.5
    return 1.0 if name == "ref" and kind == "longtext" else 0.0


_JOIN = "\x1f"  # joins the rows of a two-row header (never typed in a cell)


def _variants(text: str) -> list[str]:
    """A header spanning two rows is scored as the two rows joined and as each row alone (a
    merged group label such as "Performance 2005/06" over "Expected" should not dilute it)."""
    parts = text.split(_JOIN)
    return [" ".join(parts), *parts] if len(parts) > 1 else parts


def _scored(
    texts: Mapping[int, str], phrases: Mapping[str, Sequence[str]]
) -> dict[int, tuple[tuple[str, float, str], ...]]:
    """Column -> the fields its header matches, each (field, score, phrase), before the data
    below have a say; columns matching nothing left out."""
    key = tuple((name, tuple(options)) for name, options in phrases.items())
    out = {}
    for col, text in texts.items():
        scored = _text_scores(text, key)
        if scored:
            out[col] = scored
    return out


@functools.lru_cache(maxsize=8192)
def _text_scores(
    text: str, phrases: tuple[tuple[str, tuple[str, ...]], ...]
) -> tuple[tuple[str, float, str], ...]:
    """The fields a header text matches (best of its variants), remembered: the same texts
    recur down a sheet, in every candidate row pair and across the returns of a folder."""
    variants = [v for v in (normalise(t) for t in _variants(text)) if v]
    out = []
    for name, options in phrases if variants else ():
        s, phrase = max(score(v, options) for v in variants)
        if s > 0:
            out.append((name, s, phrase))
    return tuple(out)


def _assign(
    texts: Mapping[int, str], phrases: Mapping[str, Sequence[str]], kinds: Mapping[int, str]
) -> tuple[dict[str, int], dict[str, str], float]:
    """Assign fields to columns, best score first. ``kinds``: column -> "text"/"figure"/""."""
    candidates = []
    for col, scored in _scored(texts, phrases).items():
        kind = kinds.get(col, "")
        for name, s, phrase in scored:
            s -= _misfit(name, kind)
            if s > 0:
                candidates.append((s, -col, name, col, phrase))
    candidates.sort(reverse=True)
    columns: dict[str, int] = {}
    used: dict[str, str] = {}
    total = 0.0
    for s, _neg, name, col, phrase in candidates:
        if name in columns or col in columns.values():
            continue
        columns[name], used[name] = col, phrase
        total += s
    return columns, used, total


def find_pump_priming(
    sheets: Mapping[str, Sequence[Sequence[object]]],
    synonyms: Synonyms,
    targets: HeaderMatch,
) -> HeaderMatch | None:
    """The best pump-priming table header among ``sheets`` (columns for the budget and the
    spend at least), other than the targets table's own header; None if there is none."""
    best, _near = _best_header(sheets, synonyms.pump_priming, PUMP_REQUIRED, skip=[targets])
    if best is not None:
        best.what = "pump-priming table"
    return best


def find_table(
    grid: Sequence[Sequence[object]],
    sheet: str,
    synonyms: Synonyms,
    first: int,
    last: int,
    skip: Sequence[HeaderMatch] = (),
) -> HeaderMatch | None:
    """The best targets-table header on one sheet lying within rows ``first``..``last``
    (another table on the sheet of the one found first), or None."""
    best, _near = _best_header(
        {sheet: grid}, synonyms.columns(), REQUIRED, skip=skip, rows=(first, last)
    )
    return best


def find_outturn_table(
    sheets: Mapping[str, Sequence[Sequence[object]]],
    synonyms: Synonyms,
    skip: Sequence[HeaderMatch],
) -> HeaderMatch | None:
    """The best table of target references and outturns (figures under the outturn) other
    than the tables in ``skip``, or None."""
    phrases = {"ref": synonyms.fields["ref"], "actual": synonyms.fields["actual"]}
    best, _near = _best_header(sheets, phrases, ("ref", "actual"), skip=skip, figures=("actual",))
    if best is not None:
        best.what = "outturn table"
    return best


def _overlaps(sheet: str, first: int, last: int, tables: Sequence[HeaderMatch]) -> bool:
    return any(t.sheet == sheet and first <= t.last_row and last >= t.first_row for t in tables)


def _best_header(
    sheets: Mapping[str, Sequence[Sequence[object]]],
    phrases: Mapping[str, Sequence[str]],
    required: Sequence[str],
    skip: Sequence[HeaderMatch] = (),
    rows: tuple[int, int] | None = None,
    figures: Sequence[str] | None = None,
) -> tuple[HeaderMatch | None, HeaderMatch | None]:
    """The best-scoring header with a column for every ``required`` field (figures below
    ``figures`` of them, default: below one at least), and the nearest miss (its ``missing``
    says what it lacks). ``skip``: headers already taken; ``rows``: the header must lie within
    these rows (default: the first :data:`SCAN_ROWS`)."""
    best: HeaderMatch | None = None
    near: HeaderMatch | None = None
    for sheet, grid in sheets.items():
        seen: dict[tuple[int, int], str] = {}
        lo, hi = rows or (1, SCAN_ROWS)
        for r in range(max(lo - 1, 0), min(len(grid), hi, lo - 1 + 4 * SCAN_ROWS)):
            row = grid[r]
            for span in (1, 2):
                if span == 2 and (r == 0 or r - 1 < lo - 1):
                    continue
                texts = {}
                for c in range(min(len(row), SCAN_COLS)):
                    parts = []
                    for rr in range(r - span + 1, r + 1):
                        v = grid[rr][c] if c < len(grid[rr]) else None
                        if isinstance(v, str) and v.strip() and v.strip() not in parts:
                            parts.append(v.strip())
                    if parts:
                        texts[c + 1] = _JOIN.join(parts)
                if len(texts) < 2 or _overlaps(sheet, r - span + 2, r + 1, skip):
                    continue
                if not _scored(texts, phrases):
                    continue  # no header of the row names a field: not a candidate at all
                kinds = kinds_once(grid, r + 1, texts, seen)
                columns, used, total = _assign(texts, phrases, kinds)
                missing = [f for f in required if f not in columns]
                shown = {c: t.replace(_JOIN, " / ") for c, t in texts.items()}
                if not missing:
                    under = {kinds.get(columns[f]) for f in (figures or required)}
                    if (figures and under != {"figure"}) or "figure" not in under:
                        missing = ["figures below the header"]
                if missing:
                    if near is None or total > near.score:
                        near = HeaderMatch(
                            sheet, r - span + 2, r + 1, columns,
                            {n: shown[c] for n, c in columns.items()}, used, total,
                            missing=missing, texts=shown, kinds=kinds,
                        )  # fmt: skip
                    continue
                total += 0.2 * (len(columns) - (span - 1) * 0.5)
                if best is None or total > best.score:
                    best = HeaderMatch(
                        sheet, r - span + 2, r + 1, columns,
                        {n: shown[c] for n, c in columns.items()}, used, total,
                        [t for c, t in shown.items() if c not in columns.values()],
                        texts=shown, kinds=kinds,
                    )  # fmt: skip
    return best, near


#: What a missing field holds, for the message that says how to name it.
_MEANING = {
    "expected": "the performance expected without the agreement",
    "target": "the stretch target (the performance target with the agreement)",
}


def _remedy(near: HeaderMatch) -> str:
    """The message for a near miss: what was found, what is missing, and the ``--headers``
    entry (ready to paste) that makes the nearest candidate readable."""
    rows = (
        f"row {near.first_row}"
        if near.first_row == near.last_row
        else f"rows {near.first_row}-{near.last_row}"
    )
    matched = ", ".join(
        f"{col_letters(c)} {near.headers[n]!r} -> {n}"
        for n, c in sorted(near.columns.items(), key=lambda kv: kv[1])
    )
    lines = [
        f"no targets table found. The nearest candidate is on sheet {near.sheet!r}, header "
        f"{rows}: matched {matched or 'nothing'}"
    ]
    missing = [m for m in near.missing if m in _MEANING]
    if not missing:
        lines.append(
            "  its expected and target columns hold no figures below the header: put the "
            "figures under them, or name the right columns in a --headers file"
        )
        return "\n".join(lines)
    spare = [
        c
        for c, t in sorted(near.texts.items())
        if c not in near.columns.values() and near.kinds.get(c) == "figure"
    ]
    lines.append(
        "  missing: "
        + "; ".join(f"{m} ({_MEANING[m]})" for m in missing)
        + (
            "; not matched: " + ", ".join(f"{col_letters(c)} {near.texts[c]!r}" for c in spare)
            if spare
            else ""
        )
    )
    entry = ["[fields]"]
    for name, col in zip(missing, [*spare, *([None] * len(missing))], strict=False):
        text = near.texts[col].replace('"', '\\"') if col is not None else f"<your {name} header>"
        entry.append(f'{name} = ["{text}"]')
    lines.append(
        "  if that is the table, save these lines in a file (say mine.toml) and run again with "
        "--headers mine.toml:\n\n" + "\n".join(entry)
    )
    return "\n".join(lines)


def find_header(
    sheets: Mapping[str, Sequence[Sequence[object]]],
    synonyms: Synonyms,
    workbook: str | Path | None = None,
) -> HeaderMatch:
    """The best targets-table header among ``sheets`` (sheet name -> rows of values, merged
    cells already filled across their span). Raises :class:`LayoutError` saying what the
    nearest candidate matched and lacks, with the ``--headers`` entry that reads it, when no
    candidate has both an expected and a target column."""
    best, near = _best_header(sheets, synonyms.columns(), REQUIRED)
    if best is None:
        if near is not None and near.score > 0:
            first = min(near.columns.values(), default=1)
            raise LayoutError(
                _remedy(near),
                workbook=workbook,
                sheet=near.sheet,
                cell=f"{col_letters(first)}{near.first_row}",
            )
        raise LayoutError(
            f"no targets table found: no row in the first {SCAN_ROWS} of sheet(s) "
            + ", ".join(map(repr, sheets))
            + " has headers for the expected performance and the target (such as 'Expected "
            "without the Local PSA' and 'Stretch target'; the phrases are in headers.toml)",
            workbook=workbook,
        )
    return best
