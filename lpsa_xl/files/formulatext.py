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

from lpsa_xl.files.a1 import MAX_COL, MAX_ROW, col_letters, col_number, parse_a1

__all__ = [
    "MAX_COL",
    "MAX_ROW",
    "ColumnNormaliser",
    "col_letters",
    "col_number",
    "normalise",
    "parse_a1",
]


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


def _normalise(text: str, row: int, col: int) -> tuple[str, str, tuple[int, ...]]:
    """(normalised text, A1 template, row offsets): the template is ``text`` with each relative
    row number replaced by ``%d`` and the offsets are those rows minus ``row``, so
    ``template % tuple(r + d for d in offsets)`` is the same formula copied to row ``r``."""
    rx = _TOKEN if ('"' in text or "'" in text or "[" in text or "#" in text) else _REFS_ONLY
    out: list[str] = []
    tmpl: list[str] = []
    offsets: list[int] = []
    pos = 0
    for m in rx.finditer(text):
        i = m.lastindex
        if i is None or i == 1:  # kept as written (strings, names, functions, numbers...)
            continue
        start, end = m.span()
        lit = text[pos:start]
        out.append(lit)
        tmpl.append(lit.replace("%", "%%"))
        pos = end
        whole = m.group(0)
        cd1, c1, rd1, r1, ccd1, cc1, ccd2, cc2, rrd1, rr1, rrd2, rr2 = m.groups()[1:]
        if c1 is not None:
            r = int(r1)
            c = col_number(c1)
            if c > MAX_COL or r > MAX_ROW or r == 0:
                out.append(whole)
                tmpl.append(whole.replace("%", "%%"))
                continue
            cs = str(c) if cd1 else f"~{c - col}"
            if rd1:
                out.append(f"\x01{r1},{cs}\x01")
                tmpl.append(whole)
            else:
                out.append(f"\x01~{r - row},{cs}\x01")
                tmpl.append(f"{cd1}{c1}%d")
                offsets.append(r - row)
        elif cc1 is not None:
            a, b = col_number(cc1), col_number(cc2)
            if a > MAX_COL or b > MAX_COL:
                out.append(whole)
            else:
                sa = str(a) if ccd1 else f"~{a - col}"
                sb = str(b) if ccd2 else f"~{b - col}"
                out.append(f"\x02C{sa},{sb}\x02")
            tmpl.append(whole)
        else:
            a, b = int(rr1), int(rr2)
            out.append(
                f"\x02R{rr1 if rrd1 else f'~{a - row}'},{rr2 if rrd2 else f'~{b - row}'}\x02"
            )
            tmpl.append(f"{rrd1}{rr1}" if rrd1 else "%d")
            if not rrd1:
                offsets.append(a - row)
            tmpl.append(":")
            tmpl.append(f"{rrd2}{rr2}" if rrd2 else "%d")
            if not rrd2:
                offsets.append(b - row)
    lit = text[pos:]
    out.append(lit)
    tmpl.append(lit.replace("%", "%%"))
    return "".join(out), "".join(tmpl), tuple(offsets)


def normalise(text: str, row: int, col: int) -> str:
    """The position-independent form of formula ``text`` (without its ``=``) in (row, col)."""
    return _normalise(text, row, col)[0]


class ColumnNormaliser:
    """:func:`normalise` for the cells of one sheet in document order, remembering each
    column's last formula: a formula that is the previous one copied down (the usual case) is
    recognised by one string comparison instead of being scanned again."""

    def __init__(self) -> None:
        self.last: dict[int, tuple[str, tuple[int, ...], str]] = {}

    def __call__(self, text: str, row: int, col: int) -> str:
        entry = self.last.get(col)
        if entry is not None:
            template, offsets, norm = entry
            rows = tuple(row + d for d in offsets)
            if (not rows or (min(rows) > 0 and max(rows) <= MAX_ROW)) and template % rows == text:
                return norm
        norm, template, offsets = _normalise(text, row, col)
        self.last[col] = (template, offsets, norm)
        return norm
