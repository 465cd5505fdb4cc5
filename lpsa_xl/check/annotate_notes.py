"""Cell comments (notes) added to a sheet by patching its package parts: the comments part
(created, or extended where the sheet has one; a cell's own comment is kept and the finding
added below it) and the VML drawing that gives Excel each note's box (created, or the shapes
appended to the sheet's own, which may also hold form controls)."""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from lpsa_xl.files.a1 import parse_a1
from lpsa_xl.files.package_edit import NS_MAIN, NS_R, PackageEdit, first_tag, insert_before_end

__all__ = ["AUTHOR", "add_notes"]

AUTHOR = "lpsa-xl check"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
CT_VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"
#: Worksheet elements that come after ``<legacyDrawing>`` in the schema's order.
_AFTER_LEGACY = ("legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls",
                 "webPublishItems", "tableParts", "extLst", "AlternateContent")  # fmt: skip
_VML_HEAD = (
    '<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"'
    ' xmlns:x="urn:schemas-microsoft-com:office:excel"><o:shapelayout v:ext="edit">'
    '<o:idmap v:ext="edit" data="{block}"/></o:shapelayout><v:shapetype id="_x0000_t202" '
    'coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe"><v:stroke '
    'joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
)


def _comment(coord: str, author: int, text: str) -> str:
    return (
        f'<comment ref="{coord}" authorId="{author}"><text><r><rPr><sz val="9"/></rPr>'
        f'<t xml:space="preserve">{escape(text)}</t></r></text></comment>'
    )


def _shape(spid: int, coord: str, text: str) -> str:
    row, col = parse_a1(coord)
    lines = text.count("\n") + 1 + len(text) // 60
    height = min(4 + lines * 2, 40)  # rows the box spans
    return (
        f'<v:shape id="_x0000_s{spid}" type="#_x0000_t202" style="position:absolute;'
        "margin-left:59.25pt;margin-top:1.5pt;width:300pt;height:100pt;z-index:1;"
        'visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto"><v:fill color2="#ffffe1"/>'
        '<v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/>'
        '<v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div>'
        '</v:textbox><x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/>'
        f"<x:Anchor>{col}, 15, {max(row - 2, 0)}, 10, {col + 5}, 15, {row - 2 + height}, 4"
        f"</x:Anchor><x:AutoFill>False</x:AutoFill><x:Row>{row - 1}</x:Row>"
        f"<x:Column>{col - 1}</x:Column></x:ClientData></v:shape>"
    )


def _blocks_in_use(edit: PackageEdit) -> set[int]:
    used: set[int] = set()
    for part in list(edit.raw) + list(edit.changed):
        if part.lower().endswith(".vml"):
            for m in re.finditer(r"""data\s*=\s*["']([\d,\s]+)["']""", edit.text(part)):
                used.update(int(x) for x in m.group(1).replace(" ", "").split(",") if x)
    return used


def add_notes(edit: PackageEdit, sheet: str, notes: dict[str, str]) -> None:
    """Give each cell of ``notes`` (``{"B4": text}``) a comment on worksheet part ``sheet``."""
    if not notes:
        return
    comments = edit.related(sheet, "comments")
    if comments is None:
        comments = edit.new_part("xl/comments{}.xml")
        empty = f'<comments xmlns="{NS_MAIN}"><authors></authors><commentList/></comments>'
        edit.put(comments, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + empty)
        edit.add_content_type(comments, CT_COMMENTS)
        edit.add_rel(sheet, "comments", comments)
    fresh = _extend_comments(edit, comments, notes)
    vml = edit.related(sheet, "vmlDrawing")
    if vml is None:
        block = max(_blocks_in_use(edit), default=0) + 1
        vml = edit.new_part("xl/drawings/vmlDrawing{}.vml")
        edit.put(vml, _VML_HEAD.format(block=block) + "</xml>")
        edit.add_default_type("vml", CT_VML)
        _legacy_drawing(edit, sheet, edit.add_rel(sheet, "vmlDrawing", vml))
        first = block * 1024 + 1
    else:
        ids = [int(x) for x in re.findall(r"_x0000_s(\d+)", edit.text(vml))]
        first = max(ids, default=1024) + 1
    shapes = "".join(_shape(first + i, coord, notes[coord]) for i, coord in enumerate(fresh))
    xml = edit.text(vml)
    at = xml.rfind("</xml>")
    edit.put(vml, xml[:at] + shapes + xml[at:] if at >= 0 else xml + shapes)


def _extend_comments(edit: PackageEdit, part: str, notes: dict[str, str]) -> list[str]:
    """Add the notes to the comments part: appended to a cell's own comment, or new. The cells
    that got a new comment (and so need a note shape)."""
    xml = edit.text(part)
    authors = re.findall(r"<(?:\w+:)?author\b[^>]*>(.*?)</(?:\w+:)?author>", xml, re.S)
    p = re.match(r"(?s).*?<(\w+:)?comments\b", xml).group(1) or ""  # type: ignore[union-attr]
    if AUTHOR in authors:
        author = authors.index(AUTHOR)
    else:
        author = len(authors)
        xml = insert_before_end(xml, "authors", f"<{p}author>{AUTHOR}</{p}author>")
    fresh = []
    for coord, text in notes.items():
        own = re.search(
            rf"""<(?:\w+:)?comment\b[^>]*\bref\s*=\s*["']{coord}["'][^>]*>.*?</(?:\w+:)?text>""",
            xml, re.S,
        )  # fmt: skip
        if own:
            end = own.end() - len(re.search(r"</(?:\w+:)?text>$", own.group(0)).group(0))  # type: ignore[union-attr]
            run = f'<{p}r><{p}t xml:space="preserve">\n\n{escape(text)}</{p}t></{p}r>'
            xml = xml[:end] + run + xml[end:]
        else:
            item = _comment(coord, author, text)
            if p:
                item = re.sub(r"<(/?)(\w)", rf"<\1{p}\2", item)
            xml = insert_before_end(xml, "commentList", item)
            fresh.append(coord)
    edit.put(part, xml)
    return fresh


def _legacy_drawing(edit: PackageEdit, sheet: str, rid: str) -> None:
    """Point the worksheet at its VML drawing, in the place the schema gives the element."""
    xml = edit.text(sheet)
    p = re.match(r"(?s).*?<(\w+:)?worksheet\b", xml).group(1) or ""  # type: ignore[union-attr]
    root = re.search(r"<(?:\w+:)?worksheet\b[^>]*>", xml)
    found = re.search(rf"""xmlns:(\w+)\s*=\s*["']{re.escape(NS_R)}["']""", root.group(0))  # type: ignore[union-attr]
    r = found.group(1) if found else "r"
    declare = "" if found else f' xmlns:r="{NS_R}"'
    element = f'<{p}legacyDrawing{declare} {r}:id="{rid}"/>'
    data_end = re.search(r"</(?:\w+:)?sheetData>|<(?:\w+:)?sheetData\b[^>]*/>", xml)
    at = first_tag(xml, _AFTER_LEGACY, data_end.end() if data_end else 0)
    if at is None:
        at = xml.rindex("</")
    edit.put(sheet, xml[:at] + element + xml[at:])
