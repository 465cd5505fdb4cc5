"""Editing an .xlsx/.xlsm package by its parts, the way ``recalc`` writes values: the parts that
change are patched as text, new parts are added, and every other member is copied with its bytes
unchanged, so charts, drawings, tables, VBA projects, pivot caches and anything else survive a
copy. Used by the annotator (comments, highlight styles, a Findings sheet)."""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import quoteattr

from lpsa_xl.files import safe
from lpsa_xl.files.parts import attrs_of, relationships

__all__ = ["NS_MAIN", "NS_R", "PackageEdit", "first_tag", "insert_before_end"]

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = "[Content_Types].xml"

_REL = re.compile(r"<(?:\w+:)?Relationship\b([^>]*?)/?>")


def first_tag(xml: str, names: tuple[str, ...], start: int = 0) -> int | None:
    """Where the first element named one of ``names`` (any prefix) opens, from ``start``."""
    alternatives = "|".join(names)
    m = re.compile(rf"<(?:\w+:)?(?:{alternatives})\b").search(xml, start)
    return m.start() if m else None


def insert_before_end(xml: str, element: str, text: str) -> str:
    """``text`` inserted just before the closing tag of the last ``element`` (any prefix); a
    self-closing ``<element/>`` is opened up first."""
    closing = list(re.finditer(rf"</(?:\w+:)?{element}\s*>", xml))
    if closing:
        at = closing[-1].start()
        return xml[:at] + text + xml[at:]
    empty = re.search(rf"<((?:\w+:)?){element}\b([^>]*?)/>", xml)
    if empty is None:
        raise ValueError(f"no <{element}> element")
    p, attrs = empty.group(1), empty.group(2)
    return xml[: empty.start()] + f"<{p}{element}{attrs}>{text}</{p}{element}>" + xml[empty.end() :]


class PackageEdit:
    """The parts of a package as read, the parts changed and the parts added."""

    def __init__(self, source: Path) -> None:
        self.source = Path(source)
        with zipfile.ZipFile(self.source) as z:
            self.infos = z.infolist()
            self.raw = {i.filename: z.read(i.filename) for i in self.infos}
        self.changed: dict[str, str] = {}
        self.encodings: dict[str, str] = {}
        self._ids = 0

    # -- reading ---------------------------------------------------------------------------

    def has(self, part: str) -> bool:
        return part in self.changed or part in self.raw

    def text(self, part: str) -> str:
        if part in self.changed:
            return self.changed[part]
        data = self.raw[part]
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            self.encodings[part] = "utf-16"
            return data.decode("utf-16")
        return data.decode("utf-8-sig")

    def put(self, part: str, text: str) -> None:
        self.changed[part] = text

    def new_part(self, pattern: str) -> str:
        """An unused part name from ``pattern`` such as ``xl/comments{}.xml``."""
        n = 1
        while self.has(pattern.format(n)):
            n += 1
        return pattern.format(n)

    @staticmethod
    def rels_part(part: str) -> str:
        folder, base = posixpath.split(part)
        return posixpath.join(folder, "_rels", base + ".rels")

    def rels(self, part: str) -> list[tuple[str, str, str]]:
        """``(id, type, target part)`` of each internal relationship of ``part``."""
        name = self.rels_part(part)
        if not self.has(name):
            return []
        found = relationships(self.text(name), part)
        return [(rid, typ, target) for rid, (typ, target) in found.items()]

    def related(self, part: str, kind: str) -> str | None:
        """The first part ``part`` relates to by a relationship type ending ``/kind``."""
        return next((t for _, typ, t in self.rels(part) if typ.endswith("/" + kind)), None)

    # -- writing ---------------------------------------------------------------------------

    def add_rel(self, part: str, kind: str, target: str) -> str:
        """Relate ``part`` to ``target`` (type ``…/relationships/kind``); the new id."""
        name = self.rels_part(part)
        xml = (
            self.text(name)
            if self.has(name)
            else '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
            'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>'
        )
        taken = {attrs_of(m.group(1)).get("Id") for m in _REL.finditer(xml)}
        self._ids += 1
        rid = f"rIdLpsa{self._ids}"
        while rid in taken:
            self._ids += 1
            rid = f"rIdLpsa{self._ids}"
        relative = posixpath.relpath(target, posixpath.dirname(part) or ".")
        prefix = re.match(r"(?s).*?<(\w+:)?Relationships\b", xml)
        p = prefix.group(1) or "" if prefix else ""
        rel = f'<{p}Relationship Id="{rid}" Type="{NS_R}/{kind}" Target={quoteattr(relative)}/>'
        self.put(name, insert_before_end(xml, "Relationships", rel))
        return rid

    def add_content_type(self, part: str, content_type: str) -> None:
        xml = self.text(CONTENT_TYPES)
        entry = f'<Override PartName={quoteattr("/" + part)} ContentType="{content_type}"/>'
        self.put(CONTENT_TYPES, insert_before_end(xml, "Types", entry))

    def add_default_type(self, extension: str, content_type: str) -> None:
        xml = self.text(CONTENT_TYPES)
        if re.search(rf"""Extension\s*=\s*["']{extension}["']""", xml, re.I):
            return
        entry = f'<Default Extension="{extension}" ContentType="{content_type}"/>'
        self.put(CONTENT_TYPES, insert_before_end(xml, "Types", entry))

    def write(self, target: Path) -> Path:
        """Write the edited package to ``target`` atomically: every original member in its
        order, with its bytes unless changed, then the new parts."""

        def encode(part: str) -> bytes:
            return self.changed[part].encode(self.encodings.get(part, "utf-8"))

        def copy(tmp: Path) -> None:
            with zipfile.ZipFile(tmp, "w") as zout:
                for info in self.infos:
                    if info.filename in self.changed:
                        zout.writestr(info, encode(info.filename), zipfile.ZIP_DEFLATED, 6)
                    else:
                        zout.writestr(info, self.raw[info.filename])
                for part in self.changed:
                    if part not in self.raw:
                        zout.writestr(part, encode(part), zipfile.ZIP_DEFLATED, 6)

        return safe.write_atomic(target, copy, make_folder=True)
