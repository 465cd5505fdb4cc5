"""Highlighting cells by patching the package text: new fills and cell formats appended to the
styles part (each a copy of the cell's own format with a fill, so number formats, fonts and
borders stay), and the ``s`` attribute of the cells set, a ``<c>`` or ``<row>`` added where the
cell had none. Nothing else in the sheet changes."""

from __future__ import annotations

import re

from lpsa_xl.files.a1 import col_number, parse_a1
from lpsa_xl.files.formulatext import col_letters
from lpsa_xl.files.package_edit import insert_before_end

__all__ = ["Styles", "highlight_cells", "merged_anchor"]

#: Sections of a styles part, in the order the schema requires.
_ORDER = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles",
          "dxfs", "tableStyles", "colors", "extLst")  # fmt: skip
_MINIMAL = {
    "fonts": '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>',
    "fills": '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>',
    "borders": '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
    "</borders>",
    "cellXfs": '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellXfs>',
}
STYLES_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    + "".join(_MINIMAL[k] for k in ("fonts", "fills", "borders", "cellXfs"))
    + "</styleSheet>"
)


def _items(section: str, tag: str) -> list[str]:
    return re.findall(rf"<(?:\w+:)?{tag}\b[^>]*?(?:/>|>.*?</(?:\w+:)?{tag}>)", section, re.S)


class Styles:
    """The styles part being extended: fills, fonts and cell formats appended, never changed."""

    def __init__(self, xml: str) -> None:
        self.xml = xml
        for name in ("fonts", "fills", "borders", "cellXfs"):
            if self._section(name) is None:
                self._add_section(name)
        self.prefix = re.match(r"(?s).*?<(\w+:)?styleSheet\b", xml).group(1) or ""  # type: ignore[union-attr]
        self._xfs = _items(self._section("cellXfs") or "", "xf")
        self._made: dict[tuple[int, str], int] = {}

    def _section(self, name: str) -> str | None:
        m = re.search(rf"<(?:\w+:)?{name}\b[^>]*?(?:/>|>.*?</(?:\w+:)?{name}>)", self.xml, re.S)
        return m.group(0) if m else None

    def _add_section(self, name: str) -> None:
        later = _ORDER[_ORDER.index(name) + 1 :]
        m = re.search(rf"<(?:\w+:)?(?:{'|'.join(later)})\b", self.xml)
        at = m.start() if m else self.xml.rindex("</")
        self.xml = self.xml[:at] + _MINIMAL[name] + self.xml[at:]

    def _append(self, name: str, tag: str, item: str) -> int:
        """Append ``item`` to section ``name``; its index."""
        section = self._section(name)
        assert section is not None
        index = len(_items(section, tag))
        p = self.prefix
        grown = insert_before_end(section, name, item.replace("<", f"<{p}").replace(
            f"<{p}/", f"</{p}"))  # fmt: skip
        grown = re.sub(r"""\bcount\s*=\s*["']\d*["']""", f'count="{index + 1}"', grown, count=1)
        if "count=" not in grown.split(">", 1)[0]:
            grown = grown.replace(f"<{p}{name}", f'<{p}{name} count="{index + 1}"', 1)
        self.xml = self.xml.replace(section, grown, 1)
        return index

    def fill(self, rgb: str) -> int:
        return self._append(
            "fills",
            "fill",
            f'<fill><patternFill patternType="solid"><fgColor rgb="FF{rgb}"/>'
            '<bgColor indexed="64"/></patternFill></fill>',
        )

    def font(self, inner: str) -> int:
        return self._append("fonts", "font", f"<font>{inner}</font>")

    def xf(self, base: int, **attrs: str) -> int:
        """A new cell format: a copy of format ``base`` with ``attrs`` set (``fillId="3"``,
        ``applyFill="1"``...), and ``inner`` (child elements) replaced when given."""
        inner = attrs.pop("inner", None)
        source = self._xfs[base] if 0 <= base < len(self._xfs) else self._xfs[0]
        head, _, rest = source.partition(">")
        closed = head.endswith("/")
        head = head.rstrip("/")
        for key, value in attrs.items():
            head, n = re.subn(rf"""\s{key}\s*=\s*(?:"[^"]*"|'[^']*')""", f' {key}="{value}"', head)
            if not n:
                head += f' {key}="{value}"'
        body = "" if closed else rest.rsplit("</", 1)[0]
        if inner is not None:
            body = inner
        tag = re.match(r"<(\w+:)?xf", head)
        p = (tag.group(1) or "") if tag else ""
        text = f"{head}/>" if not body else f"{head}>{body}</{p}xf>"
        section = self._section("cellXfs")
        assert section is not None
        index = len(_items(section, "xf"))
        grown = insert_before_end(section, "cellXfs", text)
        grown = re.sub(r"""\bcount\s*=\s*["']\d*["']""", f'count="{index + 1}"', grown, count=1)
        self.xml = self.xml.replace(section, grown, 1)
        self._xfs.append(text)
        return index

    def filled(self, base: int, fill: int) -> int:
        """Format ``base`` with fill ``fill``: made once per pair."""
        key = (base, str(fill))
        if key not in self._made:
            self._made[key] = self.xf(base, fillId=str(fill), applyFill="1")
        return self._made[key]


_MERGE = re.compile(r"""<(?:\w+:)?mergeCell\b[^>]*?\bref\s*=\s*["']([^"']+)["']""")


def merged_anchor(sheet_xml: str, coord: str) -> str:
    """The top-left cell of the merged area holding ``coord`` (``coord`` itself if none):
    Excel shows a comment and a fill only there."""
    row, col = parse_a1(coord)
    for m in _MERGE.finditer(sheet_xml):
        a, _, b = m.group(1).partition(":")
        if not b:
            continue
        (r1, c1), (r2, c2) = parse_a1(a), parse_a1(b)
        if r1 <= row <= r2 and c1 <= col <= c2:
            return f"{col_letters(c1)}{r1}"
    return coord


_SHEET_DATA = re.compile(
    r"<(?P<p>(?:\w+:)?)sheetData\b(?P<a>[^>]*?)(?:/>|>(?P<body>.*?)</(?P=p)sheetData>)", re.S
)
_ROW = re.compile(r"<(?P<p>(?:\w+:)?)row\b(?P<a>[^>]*?)(?:/>|>(?P<body>.*?)</(?P=p)row>)", re.S)
_CELL = re.compile(r"<(?P<p>(?:\w+:)?)c\b(?P<a>[^>]*?)(?P<end>/>|>(?P<body>.*?)</(?P=p)c>)", re.S)
_R = re.compile(r"""\br\s*=\s*["']([^"']*)["']""")
_S = re.compile(r"""\ss\s*=\s*["'](\d*)["']""")
_SPANS = re.compile(r"""\sspans\s*=\s*["'][^"']*["']""")


def _style_of(attrs: str) -> int:
    m = _S.search(attrs)
    return int(m.group(1)) if m and m.group(1) else 0


def _restyled(attrs: str, s: int) -> str:
    if _S.search(attrs):
        return _S.sub(f' s="{s}"', attrs, count=1)
    return f'{attrs.rstrip()} s="{s}"'


def highlight_cells(xml: str, fills: dict[tuple[int, int], int], styles: Styles) -> str:
    """Sheet XML with each ``(row, col)`` in ``fills`` given its own format plus that fill."""
    m = _SHEET_DATA.search(xml)
    if m is None or not fills:
        return xml
    p, body = m.group("p"), m.group("body") or ""
    wanted: dict[int, dict[int, int]] = {}
    for (r, c), fill in fills.items():
        wanted.setdefault(r, {})[c] = fill
    rows, last = [], 0
    for rm in _ROW.finditer(body):
        found = _R.search(rm.group("a"))
        number = int(found.group(1)) if found and found.group(1).isdigit() else last + 1
        last = number
        rows.append((number, rm))
    existing = {n for n, _ in rows}
    pieces, pos = [], 0
    for number, rm in rows:
        before = sorted(r for r in wanted if r < number and r not in existing)
        if before or number in wanted:
            pieces.append(body[pos : rm.start()])
            pos = rm.start()
        for extra in before:
            pieces.append(_new_row(p, extra, wanted.pop(extra), styles))
        if number in wanted:
            pieces.append(_patched_row(rm, number, wanted.pop(number), styles))
            pos = rm.end()
    pieces.append(body[pos:])
    for extra in sorted(wanted):
        pieces.append(_new_row(p, extra, wanted[extra], styles))
    new_body = "".join(pieces)
    element = f"<{p}sheetData{m.group('a').rstrip('/')}>{new_body}</{p}sheetData>"
    return xml[: m.start()] + element + xml[m.end() :]


def _new_cell(p: str, row: int, col: int, s: int) -> str:
    return f'<{p}c r="{col_letters(col)}{row}" s="{s}"/>'


def _new_row(p: str, row: int, cols: dict[int, int], styles: Styles) -> str:
    cells = "".join(_new_cell(p, row, c, styles.filled(0, f)) for c, f in sorted(cols.items()))
    return f'<{p}row r="{row}">{cells}</{p}row>'


def _patched_row(rm: re.Match[str], row: int, cols: dict[int, int], styles: Styles) -> str:
    p, body = rm.group("p"), rm.group("body") or ""
    pieces, pos, last = [], 0, 0
    for cm in _CELL.finditer(body):
        ref = _R.search(cm.group("a"))
        col = col_number(ref.group(1).rstrip("0123456789")) if ref else last + 1
        last = col
        for extra in sorted(c for c in cols if c < col):
            pieces.append(body[pos : cm.start()])
            pos = cm.start()
            pieces.append(_new_cell(p, row, extra, styles.filled(0, cols.pop(extra))))
        if col in cols:
            attrs = cm.group("a")
            s = styles.filled(_style_of(attrs), cols.pop(col))
            pieces.append(body[pos : cm.start()])
            pieces.append(f"<{p}c{_restyled(attrs, s)}{cm.group('end')}")
            pos = cm.end()
    pieces.append(body[pos:])
    for extra in sorted(cols):
        pieces.append(_new_cell(p, row, extra, styles.filled(0, cols[extra])))
    attrs = _SPANS.sub("", rm.group("a")).rstrip("/").rstrip()
    return f"<{p}row{attrs}>{''.join(pieces)}</{p}row>"
