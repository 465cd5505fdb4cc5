"""Finding a targets table in a council's own layout by its headers (issue 3, item 3).

Synonyms live in ``headers.toml`` beside this module; a user adds their own with a file of the
same layout (``--headers FILE``). Matching works on normalised text (:func:`normalise`): case,
punctuation and "£" ignored, years, financial years and dates removed. A header matches a
phrase when the phrase's words occur in it in order and together; the score is the number of
words matched plus a bonus for an exact match, so the most specific phrase wins ("un-stretched
target" is the expected figure, not the target). Fields are then assigned to columns best
score first, each field and each column once, with a penalty where a column's data does not
look like the field (text under a figure's header, figures under a measure's).

The header may start anywhere, span two rows, or sit in merged cells: every row of the first
:data:`SCAN_ROWS` rows of every sheet is tried alone and joined with the row above (merged
cells spread their text over their span), and the best-scoring candidate is taken. The result
says what matched what, for users to see (:meth:`HeaderMatch.describe`).
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from lpsa_xl.files.a1 import col_letters
from lpsa_xl.files.errors import LayoutError
from lpsa_xl.returns.figures import INPUT_FIGURES

if sys.version_info >= (3, 11):  # pragma: no cover
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = [
    "FIGURE_FIELDS",
    "HeaderMatch",
    "Synonyms",
    "find_header",
    "find_pump_priming",
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
#: The sections of a synonyms file (headers.toml), in the order of :class:`Synonyms`' fields.
GROUPS = ("fields", "claimed", "agreement", "pump_priming")

_DATE = re.compile(r"@?\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b")
_FY = re.compile(r"\b(?:19|20)?\d{2}\s*[/-]\s*(?:19|20)?\d{1,2}\b")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_MONTHS = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b")
_NONWORD = re.compile(r"[^a-z0-9]+")
_FIGURE_TEXT = re.compile(r"\s*[£$]?[-+]?[\d,]*\.?\d+\s*%?\s*")


def normalise(text: object) -> str:
    """Header text as matched: lower case, dates and years removed, words only."""
    return _normalise(str(text or ""))


@functools.lru_cache(maxsize=65536)
def _normalise(text: str) -> str:
    s = text.lower().replace("&", " and ").replace("%", " ")
    s = _DATE.sub(" ", s)
    s = _FY.sub(" ", s)
    s = _YEAR.sub(" ", s)
    s = _MONTHS.sub(" ", s)
    s = s.replace("un-", "un ").replace("non-", "non ")
    s = _NONWORD.sub(" ", s)
    return " ".join(
        w for w in s.split() if w not in ("at", "as", "in", "for", "of the", "per cent")
    )


@dataclass(frozen=True)
class Synonyms:
    """Phrases per canonical field, in four groups: input ``fields``, ``claimed`` figures,
    ``agreement`` labels, and the columns of a ``pump_priming`` table."""

    fields: Mapping[str, tuple[str, ...]]
    claimed: Mapping[str, tuple[str, ...]]
    agreement: Mapping[str, tuple[str, ...]]
    pump_priming: Mapping[str, tuple[str, ...]]

    def columns(self) -> dict[str, tuple[str, ...]]:
        """Table column phrases: input fields and claimed figures together."""
        return {**self.fields, **self.claimed}


def _parse(text: str, source: str) -> dict[str, dict[str, list[str]]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LayoutError(
            f"header synonyms file is not valid TOML: {exc}", workbook=source
        ) from None
    out: dict[str, dict[str, list[str]]] = {}
    for group in GROUPS:
        table = data.get(group, {})
        if not isinstance(table, dict) or not all(
            isinstance(v, list) and all(isinstance(p, str) for p in v) for v in table.values()
        ):
            raise LayoutError(
                f"[{group}] must map field names to lists of phrases", workbook=source
            )
        out[group] = table
    unknown = set(data) - set(GROUPS)
    if unknown:
        raise LayoutError(
            f"unknown section(s) {', '.join(sorted(unknown))}; expected "
            + ", ".join(f"[{g}]" for g in GROUPS),
            workbook=source,
        )
    return out


def load_synonyms(extra: Iterable[str | Path] = ()) -> Synonyms:
    """The built-in synonyms plus those of each file in ``extra`` (added, not replacing)."""
    base = _parse(
        resources.files(__package__).joinpath("headers.toml").read_text("utf-8"), "headers.toml"
    )
    for path in extra:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise LayoutError(
                f"cannot read header synonyms: {exc.strerror}", workbook=path
            ) from None
        for group, table in _parse(text, str(path)).items():
            for name, phrases in table.items():
                base[group].setdefault(name, [])
                base[group][name] = phrases + base[group][name]
    return Synonyms(*({k: tuple(v) for k, v in base[g].items()} for g in GROUPS))


def score(header: str, phrases: Sequence[str]) -> tuple[float, str]:
    """How well a normalised ``header`` matches the best of ``phrases``, and the phrase; 0 when
    none matches. An exact match scores its words + 0.5; a phrase inside a longer header scores
    its words times the share of the header it covers, so "target" inside "council target
    report notes" scores little."""
    words = header.split()
    padded = f" {header} "
    best, which = 0.0, ""
    for tokens, exact_only, phrase in _prepared(tuple(phrases)):
        n = len(tokens)
        if words == list(tokens):
            s = n + (0.4 if exact_only else 0.5)  # a plain phrase wins a tie
        elif exact_only or f" {' '.join(tokens)} " not in padded:
            continue
        else:
            s = n * n / len(words)
        if s > best:
            best, which = s, phrase
    return best, which


@functools.lru_cache(maxsize=256)
def _prepared(phrases: tuple[str, ...]) -> list[tuple[tuple[str, ...], bool, str]]:
    out = []
    for phrase in phrases:
        exact_only = phrase.startswith("=")
        tokens = tuple(normalise(phrase[1:] if exact_only else phrase).split())
        if tokens:
            out.append((tokens, exact_only, phrase))
    return out


@dataclass
class HeaderMatch:
    """A header found: where, and which column holds which field (with the header text and the
    phrase it matched)."""

    sheet: str
    first_row: int  # the header's first row (its top row when it spans two)
    last_row: int  # the header's last row; data starts below it
    columns: dict[str, int] = field(default_factory=dict)  # field -> column number (1-based)
    headers: dict[str, str] = field(default_factory=dict)  # field -> header text as written
    phrases: dict[str, str] = field(default_factory=dict)  # field -> phrase matched
    score: float = 0.0
    unmatched: list[str] = field(default_factory=list)  # header texts that matched nothing
    what: str = "targets table"

    def describe(self) -> str:
        rows = (
            f"row {self.first_row}"
            if self.first_row == self.last_row
            else f"rows {self.first_row}-{self.last_row}"
        )
        lines = [f"{self.what} on sheet {self.sheet!r}, header {rows}:"]
        for name, col in sorted(self.columns.items(), key=lambda kv: kv[1]):
            lines.append(
                f"  {col_letters(col)} {self.headers[name]!r} -> {name}"
                f" (matched {self.phrases[name]!r})"
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


def _assign(
    texts: Mapping[int, str], phrases: Mapping[str, Sequence[str]], kinds: Mapping[int, str]
) -> tuple[dict[str, int], dict[str, str], float]:
    """Assign fields to columns, best score first. ``kinds``: column -> "text"/"figure"/""."""
    candidates = []
    for col, text in texts.items():
        variants = [normalise(t) for t in _variants(text)]
        variants = [v for v in variants if v]
        if not variants:
            continue
        for name, options in phrases.items():
            s, phrase = max(score(v, options) for v in variants)
            if s <= 0:
                continue
            kind = kinds.get(col, "")
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


def _kinds(grid: Sequence[Sequence[object]], below: int, cols: Iterable[int]) -> dict[int, str]:
    """For each column, what its first run of values (up to 12 rows) below row ``below`` mostly
    holds:
    "figure", "text" (short, like a reference), "longtext" (a description) or "" (unclear)."""
    out = {}
    for col in cols:
        texts = figures = long = 0
        for r in range(below, min(below + 12, len(grid))):
            row = grid[r]
            v = row[col - 1] if col - 1 < len(row) else None
            if v is None or (isinstance(v, str) and not v.strip()):
                if texts + figures:
                    break  # the column's run of values below the header has ended
                continue
            if (isinstance(v, (int, float)) and not isinstance(v, bool)) or (
                isinstance(v, str) and _FIGURE_TEXT.fullmatch(v)
            ):
                figures += 1
            else:
                texts += 1
                long += len(str(v).strip()) > 12
        if texts > figures:
            out[col] = "longtext" if long * 2 > texts else "text"
        else:
            out[col] = "figure" if figures > texts else ""
    return out


def find_pump_priming(
    sheets: Mapping[str, Sequence[Sequence[object]]],
    synonyms: Synonyms,
    targets: HeaderMatch,
) -> HeaderMatch | None:
    """The best pump-priming table header among ``sheets`` (columns for the budget and the
    spend at least), other than the targets table's own header; None if there is none."""
    best, _near = _best_header(
        sheets, synonyms.pump_priming, PUMP_REQUIRED, skip=(targets.sheet, targets.last_row)
    )
    if best is not None:
        best.what = "pump-priming table"
    return best


def _best_header(
    sheets: Mapping[str, Sequence[Sequence[object]]],
    phrases: Mapping[str, Sequence[str]],
    required: Sequence[str],
    skip: tuple[str, int] | None = None,
) -> tuple[HeaderMatch | None, tuple[float, str, int, list[str]] | None]:
    """The best-scoring header with a column for every ``required`` field (figures below
    them), and the nearest miss (score, sheet, row, fields missing). ``skip``: (sheet, last
    row) of a header already taken."""
    best: HeaderMatch | None = None
    near: tuple[float, str, int, list[str]] | None = None
    for sheet, grid in sheets.items():
        for r in range(min(len(grid), SCAN_ROWS)):
            row = grid[r]
            for span in (1, 2):
                if span == 2 and r == 0:
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
                if len(texts) < 2 or (sheet, r + 1) == skip:
                    continue
                kinds = _kinds(grid, r + 1, texts)
                columns, used, total = _assign(texts, phrases, kinds)
                missing = [f for f in required if f not in columns]
                if not missing and "figure" not in {kinds.get(columns[f]) for f in required}:
                    missing = ["figures below the header"]
                if missing:
                    if near is None or total > near[0]:
                        near = (total, sheet, r + 1, missing)
                    continue
                total += 0.2 * (len(columns) - (span - 1) * 0.5)
                if best is None or total > best.score:
                    best = HeaderMatch(
                        sheet,
                        r - span + 2,
                        r + 1,
                        columns,
                        {n: texts[c].replace(_JOIN, " / ") for n, c in columns.items()},
                        used,
                        total,
                        [
                            t.replace(_JOIN, " / ")
                            for c, t in texts.items()
                            if c not in columns.values()
                        ],
                    )
    return best, near


def find_header(
    sheets: Mapping[str, Sequence[Sequence[object]]],
    synonyms: Synonyms,
    workbook: str | Path | None = None,
) -> HeaderMatch:
    """The best targets-table header among ``sheets`` (sheet name -> rows of values, merged
    cells already filled across their span). Raises :class:`LayoutError` naming what is missing
    when no candidate has both an expected and a target column."""
    best, near = _best_header(sheets, synonyms.columns(), REQUIRED)
    if best is None:
        if near is not None and near[0] > 0:
            raise LayoutError(
                f"no targets table found: the best candidate (sheet {near[1]!r}, row {near[2]}) "
                f"has no column for {', '.join(near[3])}; name it (e.g. 'Expected without PSA', "
                "'Stretch target') or add your header to a synonyms file (--headers FILE)",
                workbook=workbook,
            )
        raise LayoutError(
            "no targets table found: no row has headers for the expected "
            "performance and the target (see headers.toml)",
            workbook=workbook,
        )
    return best
