"""Inspecting a workbook package before anything parses it, and opening it safely.

A returns team receives files from dozens of councils; any one of them may be broken or hostile.
:func:`inspect_package` looks at a file **without trusting it**:

* the first bytes: an old ``.xls`` (OLE2) renamed ``.xlsx``, a password-protected workbook (an OLE2
  file holding an ``EncryptedPackage`` stream), an HTML or text file, an empty file;
* the zip central directory, before anything is extracted: too many parts, duplicate names,
  encrypted entries, declared uncompressed sizes above the caps, compression ratios of a zip bomb;
* every part, streamed with a byte counter and its CRC checked (Python's :mod:`zipfile` never
  inflates past the declared size, so the declared sizes bound the work): corrupt data is found
  here rather than inside openpyxl;
* the prolog of every XML part: a ``DOCTYPE`` (entity bombs, external entities) is refused before
  openpyxl sees it (openpyxl also parses through defusedxml, the second line of defence);
* what it holds: sheets and the rows their dimension claims against the rows really present, VBA
  projects (noted, never run), external links, and parts a copy saved by openpyxl would lose.

:func:`lpsa_xl.files.openbook.open_workbook` opens a file with openpyxl only when the
inspection found nothing fatal, and raises
:class:`~lpsa_xl.files.errors.UnreadableWorkbookError` naming the workbook
otherwise. Nothing here holds a rule.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from lpsa_xl.files.errors import UnreadableWorkbookError
from lpsa_xl.files.recent import Recent

__all__ = [
    "LIMITS",
    "Limits",
    "PackageReport",
    "Problem",
    "SheetInfo",
    "inspect_package",
]

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
EXCEL_MAX_ROWS = 1_048_576


@dataclass(frozen=True)
class Limits:
    """What a workbook package may hold before it is refused (all sizes in bytes)."""

    max_file_size: int = 256 * 2**20
    max_parts: int = 10_000
    max_part_size: int = 256 * 2**20  # declared uncompressed size of one part
    max_total_size: int = 1024 * 2**20  # declared uncompressed size of all parts
    max_ratio: int = 200  # uncompressed / compressed, for parts above ratio_floor
    ratio_floor: int = 2 * 2**20
    max_prolog: int = 64 * 1024  # bytes of an XML part read before its root element
    max_rows: int = 100_000  # a sheet extent beyond this is flagged


#: The limits :func:`inspect_package` applies unless told otherwise.
LIMITS = Limits()


@dataclass(frozen=True)
class Problem:
    """Something wrong or notable in a package. ``fatal`` problems make the file unusable.

    ``code`` is stable: fatal ``not-readable``, ``too-large``, ``not-a-zip``, ``legacy-xls``,
    ``encrypted``, ``corrupt-zip``, ``zip-bomb``, ``xml-doctype``, ``not-a-workbook``,
    ``missing-part``, ``strict-ooxml``; warnings ``huge-sheet``, ``dimension-mismatch``, ``vba``,
    ``external-links``, ``lossy-parts``.
    """

    code: str
    message: str
    fatal: bool
    part: str | None = None
    sheet: str | None = None


@dataclass
class SheetInfo:
    """A worksheet: its name, its part, the extent its dimension claims and the extent found."""

    name: str
    part: str
    claimed_rows: int | None = None
    claimed_columns: int | None = None
    rows: int | None = None  # the last row holding a row element, from a scan of the part
    columns: int | None = None


@dataclass
class PackageReport:
    """What :func:`inspect_package` found. ``features`` are names such as ``vba``,
    ``external-links``, ``charts``; ``lossy`` the features an openpyxl save would drop or alter."""

    path: Path
    problems: list[Problem] = field(default_factory=list)
    features: list[str] = field(default_factory=list)
    lossy: list[str] = field(default_factory=list)
    sheets: list[SheetInfo] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)

    @property
    def fatal(self) -> list[Problem]:
        return [p for p in self.problems if p.fatal]

    @property
    def usable(self) -> bool:
        return not self.fatal

    def add(
        self,
        code: str,
        message: str,
        *,
        fatal: bool,
        part: str | None = None,
        sheet: str | None = None,
    ) -> None:
        self.problems.append(Problem(code, message, fatal, part, sheet))

    def feature(self, name: str, *, lossy: bool = False) -> None:
        if name not in self.features:
            self.features.append(name)
        if lossy and name not in self.lossy:
            self.lossy.append(name)

    def error(self) -> UnreadableWorkbookError:
        """The error that says why the file cannot be used (its first fatal problem)."""
        first = self.fatal[0] if self.fatal else Problem("ok", "usable", False)
        more = len(self.fatal) - 1
        tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more > 0 else ""
        return UnreadableWorkbookError(first.message + tail, workbook=self.path, sheet=first.sheet)


class _Stop(Exception):
    """Inspection cannot go further: the fatal problem is already recorded."""


#: The last reports, by file identity and limits, so that the checker's inspection and a
#: reader's :func:`open_workbook` inspect a file once.
_RECENT: Recent[PackageReport] = Recent(8)


def inspect_package(path: str | Path, limits: Limits = LIMITS) -> PackageReport:
    """Inspect the file at ``path`` without trusting it; never raises for a bad file.

    The report of an unchanged file is remembered (the last few): treat it as read-only."""
    return _RECENT.get(path, lambda: _inspected(Path(path), limits), limits)


def _inspected(path: Path, limits: Limits) -> PackageReport:
    report = PackageReport(path)
    try:
        _inspect(report, limits)
    except _Stop:
        pass
    except Exception as exc:  # a file nobody foresaw: a finding on it, never a crash of the batch
        report.add("not-readable", f"cannot be inspected ({type(exc).__name__}: {exc})", fatal=True)
    return report


# -- the first bytes ---------------------------------------------------------------------------


def _inspect(report: PackageReport, limits: Limits) -> None:
    path = report.path
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        _fatal(report, "not-readable", f"cannot be read: {exc.strerror or exc}")
    if size == 0:
        _fatal(report, "not-a-zip", "the file is empty")
    if size > limits.max_file_size:
        _fatal(
            report,
            "too-large",
            f"the file is {_mb(size)}, above the {_mb(limits.max_file_size)} a return may be",
        )
    if head.startswith(OLE2_MAGIC):
        _ole2(report)
    if not head.startswith(ZIP_MAGIC):
        _fatal(report, "not-a-zip", f"not an Excel workbook (.xlsx/.xlsm): {_what_is(path, head)}")
    _package(report, limits)


def _ole2(report: PackageReport) -> None:
    """An OLE2 compound file: a password-protected workbook, an old .xls, or something else.

    The stream names sit in the compound file's directory as UTF-16LE text; looking for them is
    enough to tell these apart (the file is refused whichever it is)."""
    data = report.path.read_bytes()
    if "EncryptedPackage".encode("utf-16-le") in data:
        _fatal(
            report,
            "encrypted",
            "the workbook is password-protected (encrypted); save an unprotected copy to check it",
        )
    if "Workbook".encode("utf-16-le") in data or b"B\x00o\x00o\x00k\x00\x00\x00" in data:
        _fatal(
            report,
            "legacy-xls",
            "an old Excel 97-2003 workbook (.xls), whatever its name says; save it as .xlsx",
        )
    _fatal(
        report,
        "not-a-zip",
        "an OLE2 compound file (such as an old Word or Excel file), not an Excel 2007+ workbook",
    )


def _what_is(path: Path, head: bytes) -> str:
    with path.open("rb") as fh:
        start = fh.read(512).lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<html", b"<!doctype html")) or b"<table" in start:
        return "it is an HTML page (a web export saved with an Excel name)"
    if start.startswith(b"<?xml"):
        return "it is an XML file (perhaps an Excel 2003 XML spreadsheet), not a zip package"
    if head.startswith(b"PK"):
        return "a damaged zip package"
    if all(32 <= b < 127 or b in b"\t\r\n" for b in start[:256]):
        return "it is plain text (perhaps a CSV file renamed)"
    return f"it is not a zip package (it starts with bytes {head[:4].hex(' ')})"


# -- the zip central directory -----------------------------------------------------------------


def _package(report: PackageReport, limits: Limits) -> None:
    try:
        zf = zipfile.ZipFile(report.path)
    except zipfile.BadZipFile as exc:
        _fatal(report, "corrupt-zip", f"a corrupt or truncated zip package ({exc})")
    except (OSError, ValueError, NotImplementedError) as exc:
        _fatal(report, "corrupt-zip", f"a zip package that cannot be read ({exc})")
    with zf:
        infos = zf.infolist()
        _directory(report, infos, limits)
        for info in infos:
            _scan_part(report, zf, info, limits)
        if report.fatal:
            raise _Stop
        _contents(report, zf, limits)


def _directory(report: PackageReport, infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Refuse on the central directory alone, before a byte is inflated."""
    if len(infos) > limits.max_parts:
        _fatal(
            report,
            "zip-bomb",
            f"the package holds {len(infos):,} parts, more than the "
            f"{limits.max_parts:,} a workbook may have",
        )
    names = [i.filename for i in infos]
    seen: set[str] = set()
    dupes = set()
    for name in names:
        if name.lower() in seen:
            dupes.add(name)
        seen.add(name.lower())
    if dupes:
        _fatal(
            report,
            "corrupt-zip",
            f"the package names a part twice ({', '.join(sorted(dupes)[:3])})",
        )
    total = 0
    for info in infos:
        total += info.file_size
        if info.flag_bits & 0x1:
            _fatal(report, "encrypted", f"part {info.filename} is encrypted", part=info.filename)
        if info.file_size > limits.max_part_size:
            _fatal(
                report,
                "zip-bomb",
                f"part {info.filename} declares {_mb(info.file_size)} "
                f"uncompressed, above the {_mb(limits.max_part_size)} cap",
                part=info.filename,
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ratio_floor and ratio > limits.max_ratio:
            _fatal(
                report,
                "zip-bomb",
                f"part {info.filename} inflates {ratio:,.0f} times "
                f"({_mb(info.compress_size)} to {_mb(info.file_size)}): a "
                "zip bomb",
                part=info.filename,
            )
    if total > limits.max_total_size:
        _fatal(
            report,
            "zip-bomb",
            f"the parts declare {_mb(total)} uncompressed in all, above "
            f"the {_mb(limits.max_total_size)} cap",
        )
    report.parts = names


_XML_PART = re.compile(r"\.(xml|rels|vml)$", re.IGNORECASE)
_SHEET_PART = re.compile(r"^xl/(worksheets|dialogsheets|macrosheets)/[^/]+\.xml$", re.IGNORECASE)
_ROW_R = re.compile(rb'<(?:\w+:)?row\b[^>]*?\sr="(\d+)"')
_CELL_R = re.compile(rb'<(?:\w+:)?c\b[^>]*?\sr="([A-Z]{1,3})\d')
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*?\sref="([^"]+)"')
_CHUNK = 1 << 16


def _scan_part(
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
                    _fatal(
                        report, "zip-bomb", f"part {name} holds more than it declares", part=name
                    )
                if len(head) < limits.max_prolog:
                    head += chunk[: limits.max_prolog - len(head)]
                if extent is not None:
                    extent.feed(chunk)
                elif len(head) >= limits.max_prolog:
                    break
    except _Stop:
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
    _prolog(report, name, head, info.file_size if xml else 0, limits)
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


def _prolog(report: PackageReport, name: str, head: bytes, size: int, limits: Limits) -> None:
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


# -- what the package holds --------------------------------------------------------------------

#: Part folders and what they are; ``True`` where an openpyxl save drops or rewrites them.
FEATURES: tuple[tuple[str, str, bool], ...] = (
    ("xl/externalLinks/", "external-links", False),
    ("xl/drawings/vmlDrawing", "legacy-drawings", True),
    ("xl/drawings/", "drawings", True),
    ("xl/charts/", "charts", True),
    ("xl/chartsheets/", "chart-sheets", True),
    ("xl/media/", "images", True),
    ("xl/pivotCache/", "pivot-caches", True),
    ("xl/pivotTables/", "pivot-tables", True),
    ("xl/ctrlProps/", "form-controls", True),
    ("xl/activeX/", "activex-controls", True),
    ("xl/embeddings/", "embedded-objects", True),
    ("xl/slicers/", "slicers", True),
    ("xl/slicerCaches/", "slicers", True),
    ("xl/timelines/", "timelines", True),
    ("xl/threadedComments/", "threaded-comments", True),
    ("xl/model/", "data-model", True),
    ("xl/queryTables/", "query-tables", True),
    ("xl/connections.xml", "data-connections", True),
    ("xl/customXml", "custom-xml", True),
    ("customXml/", "custom-xml", True),
    ("xl/richData/", "rich-data", True),
    ("xl/macrosheets/", "excel4-macros", True),
    ("xl/dialogsheets/", "dialog-sheets", True),
)


def _contents(report: PackageReport, zf: zipfile.ZipFile, limits: Limits) -> None:
    names = set(report.parts)
    if "mimetype" in names and b"opendocument" in zf.read("mimetype")[:200]:
        _fatal(
            report,
            "not-a-workbook",
            "an OpenDocument spreadsheet (.ods) with an Excel name; save it as .xlsx",
        )
    if "[Content_Types].xml" not in names:
        _fatal(
            report,
            "not-a-workbook",
            "a zip package but not an Excel workbook (it has no [Content_Types].xml)",
        )
    book = _main_part(zf, names)
    if book is None or book.lower().endswith(".bin"):
        binary = book or any(n.lower().endswith("workbook.bin") for n in names)
        what = "a binary workbook (.xlsb)" if binary else "a zip package without a workbook part"
        _fatal(report, "not-a-workbook", f"{what}; save it as an Excel workbook (.xlsx)")
    text = zf.read(book)
    if b"purl.oclc.org/ooxml/spreadsheetml" in text[:4096]:
        _fatal(
            report,
            "strict-ooxml",
            "saved as Strict Open XML, which cannot be read; save it as "
            "an ordinary Excel workbook (.xlsx)",
        )
    _name_sheets(report, zf, book, text)
    if report.fatal:
        raise _Stop
    _sheet_sizes(report, limits)
    _features(report, zf, names)


def _main_part(zf: zipfile.ZipFile, names: set[str]) -> str | None:
    if "_rels/.rels" in names:
        for rel in _relationships(zf, "_rels/.rels", ""):
            if rel["Type"].endswith("/officeDocument") and rel["Target"] in names:
                return rel["Target"]
    return "xl/workbook.xml" if "xl/workbook.xml" in names else None


def _relationships(zf: zipfile.ZipFile, rels: str, base: str) -> list[dict[str, str]]:
    """The relationships of a part, targets resolved to part names. Parsed with defusedxml,
    after :func:`_prolog` has refused any DOCTYPE."""
    from defusedxml.ElementTree import fromstring

    out = []
    for el in fromstring(zf.read(rels)):
        target = el.get("Target", "")
        if el.get("TargetMode") == "External":
            resolved = target
        elif target.startswith("/"):
            resolved = target.lstrip("/")
        else:
            resolved = posixpath.normpath(posixpath.join(base, target))
        out.append({"Id": el.get("Id", ""), "Type": el.get("Type", ""), "Target": resolved})
    return out


def _name_sheets(report: PackageReport, zf: zipfile.ZipFile, book: str, text: bytes) -> None:
    from defusedxml.ElementTree import fromstring

    folder, file = posixpath.split(book)
    rels_name = posixpath.join(folder, "_rels", file + ".rels")
    rels = (
        {r["Id"]: r["Target"] for r in _relationships(zf, rels_name, folder)}
        if rels_name in report.parts
        else {}
    )
    by_part = {s.part: s for s in report.sheets}
    for el in fromstring(text).iter():
        if el.tag.rsplit("}", 1)[-1] != "sheet":
            continue
        rid = next((v for k, v in el.attrib.items() if k.rsplit("}", 1)[-1] == "id"), "")
        part = rels.get(rid, "")
        if part not in by_part and part.endswith(".xml") and part not in report.parts:
            report.add(
                "missing-part",
                f"sheet {el.get('name', '?')} has no content: its part "
                f"{part} is missing from the package",
                fatal=True,
                part=part,
                sheet=el.get("name"),
            )
        info = by_part.get(part)
        if info is not None:
            info.name = el.get("name", "")


def _sheet_sizes(report: PackageReport, limits: Limits) -> None:
    for s in report.sheets:
        label = s.name or s.part
        if (s.rows or 0) > limits.max_rows:
            report.add(
                "huge-sheet",
                f"sheet {label} holds cells down to row {s.rows:,}; only the "
                "first rows of a return are read",
                fatal=False,
                part=s.part,
                sheet=s.name or None,
            )
        claimed = s.claimed_rows or 0
        if claimed > limits.max_rows and claimed > 2 * (s.rows or 0):
            report.add(
                "dimension-mismatch",
                f"sheet {label} claims {claimed:,} rows but holds "
                f"{s.rows or 0:,}; the claim is ignored",
                fatal=False,
                part=s.part,
                sheet=s.name or None,
            )


def _features(report: PackageReport, zf: zipfile.ZipFile, names: set[str]) -> None:
    macro_book = report.path.suffix.lower() in (".xlsm", ".xltm", ".xlam")
    for prefix, feature, lossy in FEATURES:
        if any(n.startswith(prefix) for n in names):
            report.feature(feature, lossy=lossy)
    vba = [n for n in names if n.lower().endswith("vbaproject.bin")]
    if vba:
        report.feature("vba", lossy=not macro_book)
        note = "" if macro_book else "; an .xlsx should not hold one (rename it .xlsm?)"
        report.add(
            "vba",
            f"holds a VBA project ({vba[0]}): noted, never run{note}",
            fatal=False,
            part=vba[0],
        )
    if "external-links" in report.features:
        links = sorted(n for n in names if n.startswith("xl/externalLinks/") and n.endswith(".xml"))
        report.add(
            "external-links",
            f"links to {len(links)} other workbook"
            f"{'s' if len(links) != 1 else ''}: figures read from them "
            "are the values cached when the file was saved",
            fatal=False,
        )
    lost = [f for f in report.lossy if f != "vba"]
    if lost:
        report.add(
            "lossy-parts",
            "holds "
            + ", ".join(f.replace("-", " ") for f in lost)
            + ", which a copy saved by openpyxl would drop or alter",
            fatal=False,
        )


def _fatal(report: PackageReport, code: str, message: str, *, part: str | None = None) -> NoReturn:
    report.add(code, message, fatal=True, part=part)
    raise _Stop


def _mb(size: int) -> str:
    if size >= 2**30:
        return f"{size / 2**30:,.1f} GB"
    if size >= 2**20:
        return f"{size / 2**20:,.1f} MB"
    return f"{size / 1024:,.1f} KB"


# -- opening -----------------------------------------------------------------------------------
