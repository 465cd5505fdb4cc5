"""Build the add-in workbook ``lpsa_return.xlsm`` from a return template.

The template's sheets are kept as they are; added are:

* ``Start``: what to do, the buttons and every LPSA_* function with its help text (from the
  registry);
* ``xlwings.conf``: xlwings' configuration sheet, ``UDF Modules = lpsa_xl.excel.udfs``;
* ``xl/vbaProject.bin``: the VBA project of xlwings' own ``quickstart_standalone.xlsm`` (xlwings
  is BSD-3-Clause; the project holds xlwings' standalone VBA module, so RunPython and
  ImportPythonUDFs work without the xlwings add-in, plus the quickstart's sample Module1);
* four buttons on Start (DrawingML shapes with an assigned macro): *Import functions* runs
  xlwings' ``ImportPythonUDFs``; *Calculate*, *Validate* and *Build claim* run the Subs
  ``lpsa_calculate``, ``lpsa_validate`` and ``lpsa_build_claim`` that the import writes into the
  workbook's VBA from :mod:`lpsa_xl.excel.udfs` (before the import Excel says it cannot find
  the macro).

The output is written atomically (temporary file, then ``os.replace``); the template is only read.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException

from lpsa_xl.files.errors import LayoutError, UnreadableWorkbookError
from lpsa_xl.files.safe import write_atomic
from lpsa_xl.functions.registry import FUNCTIONS

__all__ = ["BUTTONS", "CONFIG", "START_SHEET", "build_xlsm", "standalone_vba"]

START_SHEET = "Start"
CONFIG_SHEET = "xlwings.conf"
#: The xlwings configuration the workbook carries (key, value), as xlwings reads it.
CONFIG = (("UDF Modules", "lpsa_xl.excel.udfs"),)
#: Buttons on the Start sheet: label, macro, first row (0-based) of the shape.
BUTTONS = (
    ("Import functions", "ImportPythonUDFs", 7),
    ("Calculate", "lpsa_calculate", 10),
    ("Validate", "lpsa_validate", 13),
    ("Build claim", "lpsa_build_claim", 16),
)
_STEPS = (
    "1. Install Python with lpsa-xl (pip install lpsa-xl) and the xlwings add-in "
    "(xlwings addin install).",
    "2. Excel: File > Options > Trust Center > Macro Settings: tick "
    "'Trust access to the VBA project object model'.",
    "3. Click Import functions (or Import Functions on the xlwings ribbon tab) once per workbook.",
    "4. Use the LPSA_* functions in any cell; the buttons fill the return.",
)


def standalone_vba() -> Path:
    """xlwings' quickstart workbook whose VBA project this workbook reuses."""
    import xlwings

    return Path(xlwings.__file__).with_name("quickstart_standalone.xlsm")


def _start_sheet(wb: openpyxl.Workbook) -> None:
    ws = wb.create_sheet(START_SHEET, 0)
    ws["A1"] = "LPSA return: Excel add-in"
    ws["A1"].font = Font(bold=True, size=14)
    for i, step in enumerate(_STEPS, start=2):
        ws.cell(i, 1, step)
    for label, macro, row in BUTTONS:
        ws.cell(row + 2, 3, f"{label}: runs the macro {macro}")
    row = 21
    ws.cell(row, 1, "Functions (category LPSA)").font = Font(bold=True)
    for fn in FUNCTIONS.values():
        row += 1
        params = ", ".join(f"[{a.name}]" if a.optional else a.name for a in fn.args)
        ws.cell(row, 1, f"{fn.name}({params})")
        ws.cell(row, 2, fn.doc)
    ws.column_dimensions["A"].width = 48
    ws.column_dimensions["B"].width = 90


def _config_sheet(wb: openpyxl.Workbook) -> None:
    if CONFIG_SHEET in wb.sheetnames:
        del wb[CONFIG_SHEET]
    ws = wb.create_sheet(CONFIG_SHEET)
    for i, (key, value) in enumerate(CONFIG, start=1):
        ws.cell(i, 1, key)
        ws.cell(i, 2, value)


#: The VBA document modules of the reused project, as in xlwings' quickstart: the workbook,
#: the first sheet and the configuration sheet.
_CODE_NAMES = {"": "ThisWorkbook", START_SHEET: "Sheet1", CONFIG_SHEET: "Sheet2"}


def _code_names(wb: openpyxl.Workbook) -> None:
    """Bind the workbook and sheets to the VBA project's document modules, and give every
    other sheet a code name of its own (``Sheet3``, ``Sheet4``, ...: unique, never one of the
    project's), as Excel does for a sheet it adds; Excel creates the document module of such a
    sheet when it opens the project."""
    wb.code_name = _CODE_NAMES[""]
    taken = set(_CODE_NAMES.values())
    for ws in wb.worksheets:
        own = _CODE_NAMES.get(ws.title)
        if own:
            ws.sheet_properties.codeName = own
        elif not ws.sheet_properties.codeName or ws.sheet_properties.codeName in taken:
            ws.sheet_properties.codeName = None
        if ws.sheet_properties.codeName:
            taken.add(ws.sheet_properties.codeName)
    n = 1
    for ws in wb.worksheets:
        while not ws.sheet_properties.codeName:
            n += 1
            if f"Sheet{n}" not in taken:
                ws.sheet_properties.codeName = f"Sheet{n}"
                taken.add(f"Sheet{n}")


_XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_DRAWING = "xl/drawings/lpsa_buttons.xml"
_WIDTH = 1828800  # a button is 2 inches wide (EMU), two rows high, in column B


def _shape(n: int, label: str, macro: str, row: int) -> str:
    def anchor(tag: str, col_off: int, r: int) -> str:
        return (
            f"<xdr:{tag}><xdr:col>1</xdr:col><xdr:colOff>{col_off}</xdr:colOff><xdr:row>{r}"
            f"</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:{tag}>"
        )

    text = escape(label)
    return (
        '<xdr:twoCellAnchor editAs="absolute">'
        f"{anchor('from', 0, row)}{anchor('to', _WIDTH, row + 2)}"
        f'<xdr:sp macro="[0]!{macro}" textlink=""><xdr:nvSpPr><xdr:cNvPr id="{n + 1}" '
        f'name="{text}"/><xdr:cNvSpPr/></xdr:nvSpPr><xdr:spPr><a:xfrm><a:off x="0" y="0"/>'
        '<a:ext cx="0" cy="0"/></a:xfrm><a:prstGeom prst="roundRect"><a:avLst/></a:prstGeom>'
        '<a:solidFill><a:srgbClr val="1F5F8F"/></a:solidFill></xdr:spPr><xdr:txBody>'
        '<a:bodyPr vertOverflow="clip" rtlCol="0" anchor="ctr"/><a:lstStyle/><a:p>'
        '<a:pPr algn="ctr"/><a:r><a:rPr lang="en-GB" sz="1100" b="1"><a:solidFill>'
        f'<a:srgbClr val="FFFFFF"/></a:solidFill></a:rPr><a:t>{text}</a:t></a:r></a:p>'
        "</xdr:txBody></xdr:sp><xdr:clientData/></xdr:twoCellAnchor>"
    )


def _sheet_part(files: dict[str, bytes], name: str) -> str:
    """The zip path of the worksheet called ``name``."""
    book = files["xl/workbook.xml"].decode()
    rels = files["xl/_rels/workbook.xml.rels"].decode()
    rid = re.search(rf'<sheet [^>]*name="{re.escape(escape(name))}"[^>]*r:id="([^"]+)"', book)
    assert rid, name
    target = re.search(
        rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid.group(1)}"', rels
    ) or re.search(rf'<Relationship [^>]*Id="{rid.group(1)}"[^>]*Target="([^"]+)"', rels)
    assert target, rid.group(1)
    path = target.group(1)
    return path.lstrip("/") if path.startswith("/") else f"xl/{path}"


def _add_buttons(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as zin:
        files = {n: zin.read(n) for n in zin.namelist()}
    sheet = _sheet_part(files, START_SHEET)
    shapes = "".join(_shape(i + 1, *b) for i, b in enumerate(BUTTONS))
    files[_DRAWING] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<xdr:wsDr xmlns:xdr="{_XDR}" xmlns:a="{_A}">{shapes}</xdr:wsDr>'
    ).encode()
    rels_path = f"{Path(sheet).parent}/_rels/{Path(sheet).name}.rels"
    assert rels_path not in files, "the Start sheet is new: it has no relationships yet"
    files[rels_path] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns='
        '"http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rIdLpsa1" '
        f'Type="{_REL}/drawing" Target="/{_DRAWING}"/></Relationships>'
    ).encode()
    xml = files[sheet].decode()
    if 'xmlns:r="' not in xml.split(">", 2)[1]:
        xml = xml.replace("<worksheet ", f'<worksheet xmlns:r="{_REL}" ', 1)
    files[sheet] = xml.replace("</worksheet>", '<drawing r:id="rIdLpsa1"/></worksheet>').encode()
    types = files["[Content_Types].xml"].decode()
    files["[Content_Types].xml"] = types.replace(
        "</Types>",
        (
            f'<Override PartName="/{_DRAWING}" '
            'ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/></Types>'
        ),
    ).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, content in files.items():
            zout.writestr(_fixed_entry(name), _fixed_dates(name, content))
    return out.getvalue()


#: The one date every build carries (zip entries, document properties), so that building
#: from the same template gives the same bytes and a rebuild leaves git clean.
_STAMP = (2006, 3, 31, 0, 0, 0)


def _fixed_entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_STAMP)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _fixed_dates(name: str, content: bytes) -> bytes:
    """``docProps/core.xml`` with its created and modified dates fixed (openpyxl stamps the
    time of saving)."""
    if name != "docProps/core.xml":
        return content
    stamp = "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z".format(*_STAMP).encode()
    return re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp, content)


def build_xlsm(template: str | os.PathLike[str], output: str | os.PathLike[str]) -> Path:
    """Write the add-in workbook built from ``template`` to ``output`` (atomically).

    Raises :class:`~lpsa_xl.files.errors.UnreadableWorkbookError` for a template that is not
    an Excel workbook and :class:`~lpsa_xl.files.errors.LayoutError` for one that already
    has a Start sheet."""
    template = Path(template)
    try:
        wb = openpyxl.load_workbook(template)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UnreadableWorkbookError(f"not an Excel workbook ({exc})", workbook=template) from None
    if START_SHEET in wb.sheetnames:
        raise LayoutError("already has a sheet of that name: the add-in adds its own",
                          workbook=template, sheet=START_SHEET)  # fmt: skip
    _start_sheet(wb)
    _config_sheet(wb)
    wb.active = 0
    _code_names(wb)
    buffer = io.BytesIO()
    with zipfile.ZipFile(standalone_vba()) as vba:
        wb.vba_archive = vba
        wb.save(buffer)
    data = _add_buttons(buffer.getvalue())
    return write_atomic(output, lambda tmp: tmp.write_bytes(data))
