"""What a workbook package holds, once every part has streamed clean: the main workbook part
(and the look-alikes refused in its place: OpenDocument, .xlsb, Strict Open XML), each sheet's
name and whether its part is there, sheets too large to read whole, and the features a copy
saved by openpyxl would drop or alter (VBA, charts, pivot caches, external links, ...).

Part of the package inspection (:mod:`lpsa_xl.files.inspect`); relationships are parsed with
defusedxml, after :func:`lpsa_xl.files.inspect_parts.check_prolog` has refused any DOCTYPE.
"""

from __future__ import annotations

import posixpath
import zipfile

from lpsa_xl.files.package_report import Limits, PackageReport, Stop, fatal

__all__ = ["FEATURES", "read_contents"]


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


def read_contents(report: PackageReport, zf: zipfile.ZipFile, limits: Limits) -> None:
    names = set(report.parts)
    if "mimetype" in names and b"opendocument" in zf.read("mimetype")[:200]:
        fatal(
            report,
            "not-a-workbook",
            "an OpenDocument spreadsheet (.ods) with an Excel name; save it as .xlsx",
        )
    if "[Content_Types].xml" not in names:
        fatal(
            report,
            "not-a-workbook",
            "a zip package but not an Excel workbook (it has no [Content_Types].xml)",
        )
    book = _main_part(zf, names)
    if book is None or book.lower().endswith(".bin"):
        binary = book or any(n.lower().endswith("workbook.bin") for n in names)
        what = "a binary workbook (.xlsb)" if binary else "a zip package without a workbook part"
        fatal(report, "not-a-workbook", f"{what}; save it as an Excel workbook (.xlsx)")
    text = zf.read(book)
    if b"purl.oclc.org/ooxml/spreadsheetml" in text[:4096]:
        fatal(
            report,
            "strict-ooxml",
            "saved as Strict Open XML, which cannot be read; save it as "
            "an ordinary Excel workbook (.xlsx)",
        )
    _name_sheets(report, zf, book, text)
    if report.fatal:
        raise Stop
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
