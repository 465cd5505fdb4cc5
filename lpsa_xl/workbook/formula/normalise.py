"""A1 formula text -> position-independent text, so formulas copied down a column share one
compiled function.

Every cell reference becomes ``\\x01ROW,COL\\x01`` where a relative part is written ``~offset``
(from the formula's own cell) and an absolute part as its number, e.g. in C5 ``A4`` becomes
``\\x01~-1,~-2\\x01`` and ``$A$4`` becomes ``\\x014,1\\x01``. Whole columns (``A:C``) and rows
(``2:5``) become ``\\x02...\\x02`` with the same convention. Strings, quoted sheet names,
bracketed structured references and function names pass through untouched. The parser reads only
normalised text, so the normaliser and the parser cannot disagree about what is a reference.
"""

from __future__ import annotations

import re

__all__ = ["MAX_COL", "MAX_ROW", "col_letters", "col_number", "normalise", "parse_a1"]

MAX_ROW = 1_048_576
MAX_COL = 16_384

_COLS: dict[str, int] = {}


def col_number(letters: str) -> int:
    """``"A"`` -> 1, ``"AB"`` -> 28."""
    n = _COLS.get(letters)
    if n is None:
        n = 0
        for ch in letters.upper():
            n = n * 26 + ord(ch) - 64
        _COLS[letters] = n
    return n


def col_letters(n: int) -> str:
    """1 -> ``"A"``, 28 -> ``"AB"``."""
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


_A1 = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)")


def parse_a1(ref: str) -> tuple[int, int]:
    """``"$B$7"`` -> (7, 2)."""
    m = _A1.fullmatch(ref)
    if not m:
        raise ValueError(f"not a cell reference: {ref!r}")
    return int(m.group(2)), col_number(m.group(1))


_KEEP = r"""
    (?P<keep>"(?:[^"]|"")*"                                  # string literal
      | '(?:[^']|'')*'!                                      # quoted sheet name
      | \[(?:[^\[\]']|'.|\[(?:[^\[\]']|'.)*\])*\]            # structured reference brackets
      | [A-Za-z_\\][\w.]*(?=\()                              # function name
      | \#[A-Z/0!?]+[!?A]                                    # error literal
      | \d+(?:\.\d*)?(?:[eE][+-]?\d+)?(?![\w:$])             # number
    )
"""
_REFS = r"""
    (?<![\w.$])(?P<cd1>\$?)(?P<c1>[A-Za-z]{1,3})(?P<rd1>\$?)(?P<r1>\d+)(?![\w(.!\[])    # A1
    | (?<![\w.$])(?P<ccd1>\$?)(?P<cc1>[A-Za-z]{1,3}):(?P<ccd2>\$?)(?P<cc2>[A-Za-z]{1,3})(?![\w(.!])
    | (?<![\w.$])(?P<rrd1>\$?)(?P<rr1>\d+):(?P<rrd2>\$?)(?P<rr2>\d+)(?![\w(.!])
"""
_TOKEN = re.compile(_KEEP + "|" + _REFS + r"| [A-Za-z_\\][\w.]*  # a name, kept", re.VERBOSE)
#: References alone (the empty first group keeps the group numbering): for text with no
#: strings, quoted names, brackets or error literals, where nothing needs skipping, so only
#: references call back.
_REFS_ONLY = re.compile(r"(?P<keep>(?!))|" + _REFS, re.VERBOSE)


def normalise(text: str, row: int, col: int) -> str:
    """The position-independent form of formula ``text`` (without its ``=``) in (row, col)."""

    def sub(m: re.Match[str]) -> str:
        i = m.lastindex
        if i is None or i == 1:  # kept as written (strings, names, functions, numbers...)
            return m.group(0)
        cd1, c1, rd1, r1, ccd1, cc1, ccd2, cc2, rrd1, rr1, rrd2, rr2 = m.groups()[1:]
        if c1 is not None:
            r = int(r1)
            c = col_number(c1)
            if c > MAX_COL or r > MAX_ROW or r == 0:
                return m.group(0)
            rs = r1 if rd1 else f"~{r - row}"
            cs = str(c) if cd1 else f"~{c - col}"
            return f"\x01{rs},{cs}\x01"
        if cc1 is not None:
            a, b = col_number(cc1), col_number(cc2)
            if a > MAX_COL or b > MAX_COL:
                return m.group(0)
            sa = str(a) if ccd1 else f"~{a - col}"
            sb = str(b) if ccd2 else f"~{b - col}"
            return f"\x02C{sa},{sb}\x02"
        a, b = int(rr1), int(rr2)
        sa = str(a) if rrd1 else f"~{a - row}"
        sb = str(b) if rrd2 else f"~{b - row}"
        return f"\x02R{sa},{sb}\x02"

    if '"' in text or "'" in text or "[" in text or "#" in text:
        return _TOKEN.sub(sub, text)
    return _REFS_ONLY.sub(sub, text)  # nothing to skip: let only references call back
