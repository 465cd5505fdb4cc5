"""Each part of a workbook package streamed without trusting it: a byte counter against the size
it declares, its CRC, the extent a sheet claims against the rows and columns it really holds,
and the prolog of every XML part, where a DOCTYPE (entity bombs, external entities) is refused
before any parser sees it.

Part of the package inspection (:mod:`lpsa_xl.files.inspect`); imports only its report types.
"""

from __future__ import annotations

import re
import zipfile
import zlib

from lpsa_xl.files.package_report import Limits, PackageReport, SheetInfo, Stop, fatal

__all__ = ["check_prolog", "scan_part"]

_XML_PART = re.compile(r"\.(xml|rels|vml)$", re.IGNORECASE)
_SHEET_PART = re.compile(r"^xl/(worksheets|dialogsheets|macrosheets)/[^/]+\.xml$", re.IGNORECASE)
_ROW_R = re.compile(rb'<(?:\w+:)?row\b[^>]*?\sr="(\d+)"')
_CELL_R = re.compile(rb'<(?:\w+:)?c\b[^>]*?\sr="([A-Z]{1,3})\d')
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*?\sref="([^"]+)"')
_CHUNK = 1 << 16


def scan_part(
    report: PackageReport, zf: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits
) -> None:
    """Stream a sheet part whole with a byte counter (CRC errors, its extent); read only the
    start of other parts (openpyxl's own reads check their CRC) for a DOCTYPE: whatever a part
    is called, openpyxl may be pointed at it as XML."""
    name = info.filename
    if info.is_dir():
        return
    xml = bool(_XML_PART.search(name))
    sheet = bool(_SHEET_PART.match(name))
    head = b""
    extent = _Extent() if sheet else None
    try:
        with zf.open(info) as fh:
            read = 0
            while chunk := fh.read(_CHUNK):
                read += len(chunk)
                if read > info.file_size or read > limits.max_part_size:  # zipfile stops itself
                    fatal(report, "zip-bomb", f"part {name} holds more than it declares", part=name)
                if len(head) < limits.max_prolog:
                    head += chunk[: limits.max_prolog - len(head)]
                if extent is not None:
                    extent.feed(chunk)
                elif len(head) >= limits.max_prolog:
                    break
    except Stop:
        raise
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        OSError,
        ValueError,
        NotImplementedError,
        RuntimeError,
    ) as exc:
        report.add("corrupt-zip", f"part {name} is damaged ({exc})", fatal=True, part=name)
        return
    check_prolog(report, name, head, info.file_size if xml else 0, limits)
    if extent is not None:
        report.sheets.append(SheetInfo("", name, *extent.claimed, *extent.found))


class _Extent:
    """The dimension a sheet claims and the last row and column it really holds (rows from the
    ``r`` of row elements, columns from the ``r`` of cells)."""

    def __init__(self) -> None:
        self.tail = b""
        self.dimension: bytes | None = None
        self.rows = 0
        self.columns = 0

    def feed(self, chunk: bytes) -> None:
        data = self.tail + chunk
        cut = data.rfind(b"<")
        body, self.tail = (data[:cut], data[cut:]) if cut > 0 else (data, b"")
        if len(self.tail) > 4096:  # an element cannot be that long and still be a row or cell
            body, self.tail = data, b""
        if self.dimension is None and (m := _DIMENSION.search(body)):
            self.dimension = m.group(1)
        rows = _ROW_R.findall(body)
        if rows:
            self.rows = max(self.rows, max(map(int, rows)))
        letters = set(_CELL_R.findall(body))
        if letters:
            self.columns = max(self.columns, max(map(_column, letters)))

    @property
    def claimed(self) -> tuple[int | None, int | None]:
        if not self.dimension:
            return None, None
        last = self.dimension.split(b":")[-1]
        m = re.fullmatch(rb"\$?([A-Z]{1,3})\$?(\d+)", last.strip())
        return (int(m.group(2)), _column(m.group(1))) if m else (None, None)

    @property
    def found(self) -> tuple[int, int]:
        return self.rows, self.columns


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


# -- XML prologs -------------------------------------------------------------------------------


def check_prolog(report: PackageReport, name: str, head: bytes, size: int, limits: Limits) -> None:
    """Refuse a DOCTYPE (where entity bombs and external entities live) before the root element."""
    text = _decode(head)
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace() or text[i] == "\ufeff":
            i += 1
        elif text.startswith("<?", i):
            end = text.find("?>", i)
            i = n if end < 0 else end + 2
        elif text.startswith("<!--", i):
            end = text.find("-->", i)
            i = n if end < 0 else end + 3
        elif text[i : i + 9].upper() == "<!DOCTYPE":
            subset = text[i : i + 4096]
            if "<!ENTITY" in subset and re.search(r"\b(SYSTEM|PUBLIC)\b", subset):
                what = "declares external entities (it would make the reader fetch files)"
            elif "<!ENTITY" in subset:
                what = "declares XML entities (an entity expansion bomb)"
            else:
                what = "carries a DOCTYPE, which no Excel part has"
            report.add("xml-doctype", f"part {name} {what}", fatal=True, part=name)
            return
        else:
            return  # the root element: no DOCTYPE can follow
    if size > len(head) and len(head) >= limits.max_prolog:
        report.add(
            "xml-doctype",
            f"part {name} has a prolog longer than "
            f"{limits.max_prolog // 1024} KB before its root element",
            fatal=True,
            part=name,
        )


def _decode(head: bytes) -> str:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or head[1:2] == b"\x00" or head[:1] == b"\x00":
        codec = (
            "utf-16"
            if head[:2] in (b"\xff\xfe", b"\xfe\xff")
            else ("utf-16-le" if head[1:2] == b"\x00" else "utf-16-be")
        )
        return head[: len(head) // 2 * 2].decode(codec, errors="replace")
    return head.decode("utf-8", errors="replace")
