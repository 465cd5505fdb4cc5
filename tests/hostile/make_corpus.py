"""Generate the hostile corpus: every kind of broken or malicious file a returns team may receive.

    python tests/hostile/make_corpus.py OUTDIR

writes one file per kind into OUTDIR and prints what each one is. :func:`make_corpus` returns
``{file name: expected problem code}`` (codes of :class:`lpsa_xl.files.inspect.Problem`;
``"open-error"`` where only openpyxl itself can notice, when it fails to parse the file).
Every file is small and generated in well under a second; nothing is downloaded.
"""

from __future__ import annotations

import io
import re
import struct
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl

__all__ = ["KINDS", "cfb", "good_workbook", "make_corpus"]


#: The workbook every kind damages, when :func:`make_corpus` is given one.
_BASE: bytes | None = None


def good_workbook(rows: int = 3) -> bytes:
    """A tiny, valid .xlsx to be damaged (the ``base`` given to :func:`make_corpus`, if any)."""
    if _BASE is not None:
        return _BASE
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Targets"
    ws.append(["ref", "expected", "target", "actual"])
    for i in range(1, rows + 1):
        ws.append([f"T{i}", 40.1, 40.2, 40.16])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def rezip(
    source: bytes,
    replace: dict[str, bytes] | None = None,
    add: dict[str, bytes] | None = None,
    drop: tuple[str, ...] = (),
) -> bytes:
    """A copy of the zip ``source`` with parts replaced, added or dropped."""
    replace, add = replace or {}, add or {}
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(source)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            if info.filename in drop:
                continue
            dst.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
        for name, data in add.items():
            dst.writestr(name, data)
    return out.getvalue()


def _patch_sizes(
    data: bytes,
    name: str,
    *,
    compressed: int | None = None,
    uncompressed: int | None = None,
    flags: int | None = None,
) -> bytes:
    """Rewrite the sizes (or flags) a zip declares for part ``name``, in its local header and
    in the central directory alike."""
    buf = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo(name)
        local = info.header_offset
    central = buf.find(b"PK\x01\x02")
    while central >= 0:
        n = struct.unpack_from("<H", buf, central + 28)[0]
        if bytes(buf[central + 46 : central + 46 + n]) == name.encode():
            break
        central = buf.find(b"PK\x01\x02", central + 4)
    assert central >= 0, name
    for off, (flag_at, comp_at, size_at) in ((local, (6, 18, 22)), (central, (8, 20, 24))):
        if flags is not None:
            struct.pack_into("<H", buf, off + flag_at, flags)
        if compressed is not None:
            struct.pack_into("<I", buf, off + comp_at, compressed)
        if uncompressed is not None:
            struct.pack_into("<I", buf, off + size_at, uncompressed)
    return bytes(buf)


def cfb(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE2 compound file (version 3, 512-byte sectors) holding ``streams``.

    Streams are padded to 4096 bytes so they live in ordinary sectors (no mini stream). This is
    the container of old .xls files (a ``Workbook`` stream) and of password-protected
    .xlsx files (``EncryptionInfo`` and ``EncryptedPackage``)."""
    end, free, fatsect, nostream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    names = sorted(streams, key=lambda s: (len(s), s.upper()))  # the directory's own order
    bodies = [streams[n].ljust(4096, b"\0") for n in names]
    fat = [fatsect, end]  # sector 0: the FAT; sector 1: the directory
    starts = []
    for body in bodies:
        count = len(body) // 512 + (len(body) % 512 > 0)
        starts.append(len(fat))
        fat += [len(fat) + i + 1 for i in range(count - 1)] + [end]
    assert len(fat) <= 128, "one FAT sector only"
    fat += [free] * (128 - len(fat))

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0"
        return struct.pack(
            "<64sHBBIII16sIQQIQ",
            raw,
            len(raw),
            kind,
            1,
            nostream,
            right,
            child,
            b"\0" * 16,
            0,
            0,
            0,
            start,
            size,
        )

    directory = entry("Root Entry", 5, 1 if names else nostream, nostream, end, 0)
    for i, (name, body) in enumerate(zip(names, bodies, strict=True), start=1):
        right = i + 1 if i < len(names) else nostream
        directory += entry(name, 2, nostream, right, starts[i - 1], len(body))
    directory = directory.ljust(512 * ((len(directory) + 511) // 512), b"\0")
    assert len(directory) == 512, "one directory sector only"
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        b"\0" * 16,
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        b"\0" * 6,
        0,
        1,
        1,
        0,
        4096,
        end,
        0,
        end,
        0,
    )
    header += struct.pack("<109I", 0, *([free] * 108))
    return (
        header
        + struct.pack("<128I", *fat)
        + directory
        + b"".join(body.ljust(512 * ((len(body) + 511) // 512), b"\0") for body in bodies)
    )


# -- the kinds ---------------------------------------------------------------------------------

_SHEET = "xl/worksheets/sheet1.xml"
_SST = "xl/sharedStrings.xml"


def _part(name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(good_workbook())) as zf:
        return zf.read(name)


def _body(xml: bytes) -> bytes:
    """An XML part without its declaration."""
    return xml.split(b"?>", 1)[1] if xml.lstrip().startswith(b"<?xml") else xml


def _sheet_with(prefix: bytes) -> bytes:
    return rezip(good_workbook(), replace={_SHEET: prefix + _body(_part(_SHEET))})


def billion_laughs() -> bytes:
    lol = b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    for i in range(1, 10):
        prev = b"&lol%d;" % (i - 1) if i > 1 else b"&lol;"
        lol += b' <!ENTITY lol%d "%s">\n' % (i, prev * 10)
    lol += (
        b']>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        b'count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>'
    )
    return rezip(
        good_workbook(),
        replace={_SST: lol} if _SST in _names() else None,
        add=None if _SST in _names() else {_SST: lol},
    )


def _names() -> list[str]:
    with zipfile.ZipFile(io.BytesIO(good_workbook())) as zf:
        return zf.namelist()


def external_entity() -> bytes:
    return _sheet_with(
        b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    )


def doctype_content_types() -> bytes:
    body = _body(_part("[Content_Types].xml"))
    return rezip(
        good_workbook(),
        replace={"[Content_Types].xml": b'<?xml version="1.0"?><!DOCTYPE Types>' + body},
    )


def utf16_doctype() -> bytes:
    text = (
        '<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE x [<!ENTITY a "aaaa">]>'
        + _body(_part(_SHEET)).decode()
    )
    return rezip(good_workbook(), replace={_SHEET: text.encode("utf-16")})


def long_prolog() -> bytes:
    return _sheet_with(
        b'<?xml version="1.0"?>' + b"<!--" + b" " * 100_000 + b'--><!DOCTYPE x [<!ENTITY a "a">]>'
    )


def zip_bomb_ratio() -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(good_workbook())) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            if info.filename != _SHEET:
                dst.writestr(info.filename, src.read(info.filename))
        with dst.open(_SHEET, "w") as fh:
            fh.write(_part(_SHEET)[: -len(b"</worksheet>")])
            block = b"<!--" + b"0" * (2**20 - 7) + b"-->"
            for _ in range(24):  # 24 MB of one repeated byte: it deflates about 1000 times
                fh.write(block)
            fh.write(b"</worksheet>")
    return out.getvalue()


def zip_bomb_declared() -> bytes:
    return _patch_sizes(good_workbook(), _SHEET, uncompressed=3_000_000_000)


def size_lie() -> bytes:
    return _patch_sizes(good_workbook(), _SHEET, uncompressed=100)


def encrypted_entry() -> bytes:
    return _patch_sizes(good_workbook(), _SHEET, flags=0x1)


def many_parts() -> bytes:
    return rezip(good_workbook(), add={f"xl/junk/p{i}.bin": b"" for i in range(10_001)})


def duplicate_parts() -> bytes:
    import warnings

    out = io.BytesIO(good_workbook())
    with warnings.catch_warnings(), zipfile.ZipFile(out, "a") as zf:
        warnings.simplefilter("ignore")
        zf.writestr(_SHEET, b"<worksheet/>")
    return out.getvalue()


def truncated() -> bytes:
    data = good_workbook()
    return data[: len(data) // 2]


def crc_corrupt() -> bytes:
    data = bytearray(good_workbook())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo(_SHEET)
    n = struct.unpack_from("<H", data, info.header_offset + 26)[0]
    extra = struct.unpack_from("<H", data, info.header_offset + 28)[0]
    body = info.header_offset + 30 + n + extra
    for i in range(body + 5, body + info.compress_size - 2):
        data[i] ^= 0x55
    return bytes(data)


def million_rows() -> bytes:
    sheet = _part(_SHEET)
    sheet = re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:XFD1048576"', sheet)
    return rezip(good_workbook(), replace={_SHEET: sheet})


def short_dimension() -> bytes:
    sheet = re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1"', _part(_SHEET))
    return rezip(good_workbook(), replace={_SHEET: sheet})


def far_cell() -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(good_workbook()))
    wb.active.cell(row=1_000_000, column=1, value="end")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def external_link() -> bytes:
    link = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<externalLink xmlns="http://schemas.'
        b'openxmlformats.org/spreadsheetml/2006/main"><externalBook xmlns:r="'
        + _RELS.encode()
        + b'" r:id="rId1"><sheetNames><sheetName val="Data"/></sheetNames>'
        b"</externalBook></externalLink>"
    )
    rels = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="http://schemas.'
        b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
        + _RELS.encode()
        + b'/externalLinkPath" Target="file:///C:/returns/other.xlsx" '
        b'TargetMode="External"/></Relationships>'
    )
    return rezip(
        good_workbook(),
        add={
            "xl/externalLinks/externalLink1.xml": link,
            "xl/externalLinks/_rels/externalLink1.xml.rels": rels,
        },
    )


def vba_project() -> bytes:
    return rezip(good_workbook(), add={"xl/vbaProject.bin": cfb({"PROJECT": b'ID="{0}"\r\n'})})


def chart() -> bytes:
    from openpyxl.chart import BarChart, Reference

    wb = openpyxl.load_workbook(io.BytesIO(good_workbook()))
    ws = wb.active
    bar = BarChart()
    bar.add_data(Reference(ws, min_col=4, min_row=1, max_row=4), titles_from_data=True)
    ws.add_chart(bar, "F2")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def ods_renamed() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("mimetype", b"application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", b"<office:document-content/>")
    return out.getvalue()


def xlsb_renamed() -> bytes:
    return rezip(
        good_workbook(), drop=("xl/workbook.xml",), add={"xl/workbook.bin": b"\x83\x01\x00"}
    )


def zip_not_workbook() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("readme.txt", b"not a workbook")
    return out.getvalue()


def strict_ooxml() -> bytes:
    book = _part("xl/workbook.xml").replace(
        b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
        b"http://purl.oclc.org/ooxml/spreadsheetml/main",
    )
    return rezip(good_workbook(), replace={"xl/workbook.xml": book})


def broken_xml() -> bytes:
    return rezip(good_workbook(), replace={_SHEET: _part(_SHEET)[:-40]})


def missing_sheet_part() -> bytes:
    return rezip(good_workbook(), drop=(_SHEET,))


#: file name -> (generator, the problem code expected first, what it is)
KINDS: dict[str, tuple[Callable[[], bytes], str, str]] = {
    "empty.xlsx": (lambda: b"", "not-a-zip", "an empty file"),
    "csv_renamed.xlsx": (lambda: b"ref,expected,target\nT1,40.1,40.2\n", "not-a-zip", "a CSV file"),
    "html_renamed.xlsx": (
        lambda: b"<html><body><table><tr><td>1</td></tr></table></body></html>",
        "not-a-zip",
        "an HTML export",
    ),
    "legacy_renamed.xlsx": (
        lambda: cfb({"Workbook": b"\x09\x08\x10\x00\x00\x06\x05\x00"}),
        "legacy-xls",
        "an Excel 97-2003 .xls renamed .xlsx",
    ),
    "password.xlsx": (
        lambda: cfb(
            {
                "EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00",
                "EncryptedPackage": b"\x10\x00" + b"\xa5" * 64,
            }
        ),
        "encrypted",
        "a password-protected workbook",
    ),
    "other_ole2.xlsx": (
        lambda: cfb({"WordDocument": b"\xec\xa5"}),
        "not-a-zip",
        "a Word .doc renamed",
    ),
    "truncated.xlsx": (truncated, "corrupt-zip", "a zip cut in half"),
    "crc_corrupt.xlsx": (crc_corrupt, "corrupt-zip", "a part whose data is damaged"),
    "size_lie.xlsx": (size_lie, "corrupt-zip", "a part that holds more than it declares"),
    "duplicate_parts.xlsx": (duplicate_parts, "corrupt-zip", "a part named twice"),
    "encrypted_entry.xlsx": (encrypted_entry, "encrypted", "a zip entry with the encrypted flag"),
    "zip_bomb_ratio.xlsx": (zip_bomb_ratio, "zip-bomb", "a part inflating 1000 times"),
    "zip_bomb_declared.xlsx": (zip_bomb_declared, "zip-bomb", "a part declaring 3 GB"),
    "many_parts.xlsx": (many_parts, "zip-bomb", "10,000+ parts"),
    "billion_laughs.xlsx": (billion_laughs, "xml-doctype", "an XML entity expansion bomb"),
    "external_entity.xlsx": (external_entity, "xml-doctype", "an XML external entity"),
    "doctype_content_types.xlsx": (doctype_content_types, "xml-doctype", "a DOCTYPE"),
    "utf16_doctype.xlsx": (utf16_doctype, "xml-doctype", "an entity in a UTF-16 part"),
    "long_prolog.xlsx": (long_prolog, "xml-doctype", "a DOCTYPE hidden after 100 KB of comment"),
    "ods_renamed.xlsx": (ods_renamed, "not-a-workbook", "an OpenDocument spreadsheet"),
    "xlsb_renamed.xlsx": (xlsb_renamed, "not-a-workbook", "a binary workbook"),
    "zip_not_workbook.xlsx": (zip_not_workbook, "not-a-workbook", "a zip of something else"),
    "strict_ooxml.xlsx": (strict_ooxml, "strict-ooxml", "Strict Open XML"),
    "million_rows.xlsx": (million_rows, "dimension-mismatch", "a sheet claiming a million rows"),
    "short_dimension.xlsx": (
        short_dimension,
        "ok",
        "a sheet whose dimension claims only A1 (read-only openpyxl would stop there)",
    ),
    "far_cell.xlsx": (far_cell, "huge-sheet", "a cell at row 1,000,000"),
    "external_link.xlsx": (external_link, "external-links", "a link to another workbook"),
    "vba_in_xlsx.xlsx": (vba_project, "vba", "a VBA project in an .xlsx"),
    "vba_macro.xlsm": (vba_project, "vba", "a VBA project in an .xlsm"),
    "chart.xlsx": (chart, "lossy-parts", "a chart openpyxl would rewrite"),
    "broken_xml.xlsx": (broken_xml, "open-error", "a sheet whose XML is cut off"),
    "missing_sheet_part.xlsx": (
        missing_sheet_part,
        "missing-part",
        "a sheet whose part is missing",
    ),
}


def make_corpus(outdir: str | Path, base: bytes | None = None) -> dict[str, str]:
    """Write every kind into ``outdir``; ``{file name: expected problem code}``.

    ``base`` is the valid workbook to damage (an .xlsx whose first sheet is damaged), so that
    the kinds that are only warnings are otherwise good returns."""
    global _BASE
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    expected = {}
    _BASE = base
    try:
        for name, (make, code, _what) in KINDS.items():
            (out / name).write_bytes(make())
            expected[name] = code
    finally:
        _BASE = None
    return expected


if __name__ == "__main__":  # pragma: no cover
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-corpus")
    make_corpus(target)
    for name, (_make, code, what) in KINDS.items():
        print(f"{name:<28} {code:<20} {what}")
