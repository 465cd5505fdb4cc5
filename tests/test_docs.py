"""The product documents itself: every rule citation names a section of ``docs/rules.md``,
nothing links outside the repository, and nothing speaks of a tracker.

A reader who clones the repository has ``docs/rules.md`` and nothing else: a citation of a
section that does not exist, a link to a file beside the repository, or a note saying which
ticket or work session asked for something leaves that reader stranded. These tests read every
text file of the package, docs, README, benchmarks, workbooks and tests, and the XML inside the
committed workbooks (the Claim sheet's text and the function help cached in them).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "docs" / "rules.md"

#: Where the product's text lives (a directory is read recursively).
SCOPE = ("lpsa_xl", "docs", "README.md", "benchmarks", "workbooks", "tests", "pyproject.toml")
SKIP_DIRS = {"__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache"}
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm"}

#: Tracker talk: "issue 5", "items 3 and 6", "session 1", "#12", "the tracker".
TRACKER = re.compile(
    r"\b(?:issues?|items?|sessions?)\s*(?:#\s*)?\d+|\bissue\s*#|\btracker\b", re.IGNORECASE
)
#: References to what is not in the repository: the project's shared folder and its digest.
OUTSIDE = re.compile(r"\.\./shared|/work/|shared/(?:domain|seeds)|RULES\.md")
#: A numbered section sign as the old digest's citations used it ("§3", "§3-§8"); standards
#: cited by clause (ECMA-376 §18.8.30) have two digits or a dot and are not rule citations.
OLD_SECTION = re.compile(r"§\d(?![\d.])")
#: A citation: ``docs/rules.md#floor`` (``rules.md#floor`` in a link from docs/ itself).
ANCHOR_CITE = re.compile(r"rules\.md#([A-Za-z0-9_-]+)")
#: Any other way of naming a section: ``rules.md §Floor``, ``rules.md, section Floor``.
OTHER_CITE = re.compile(r"rules\.md\s*(?:§|,?\s*sections?\b)", re.IGNORECASE)
#: A Markdown link target: [text](target).
MD_LINK = re.compile(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


def _slug(title: str) -> str:
    """The anchor GitHub gives a heading."""
    text = re.sub(r"[^\w\- ]", "", title.strip().lower())
    return text.replace(" ", "-")


def _sections() -> tuple[set[str], list[str]]:
    """The anchors of docs/rules.md (explicit ``<a id>`` and heading slugs) and its section
    titles, longest first (so "LAA stretch targets" is tried before "LAA")."""
    text = RULES.read_text(encoding="utf-8")
    titles = re.findall(r"^#{2,3}\s+(.+?)\s*$", text, re.MULTILINE)
    anchors = set(re.findall(r'<a id="([^"]+)"></a>', text)) | {_slug(t) for t in titles}
    return anchors, sorted(titles, key=len, reverse=True)


def _text_files() -> list[Path]:
    found: list[Path] = []
    for name in SCOPE:
        path = ROOT / name
        paths = [path] if path.is_file() else sorted(path.rglob("*")) if path.is_dir() else []
        for item in paths:
            if not item.is_file() or SKIP_DIRS & set(item.relative_to(ROOT).parts):
                continue
            if item.suffix in WORKBOOK_SUFFIXES or item.suffix in {".pyc", ".png", ".ico"}:
                continue
            found.append(item)
    return found


def _read_text(path: Path) -> str | None:
    data = path.read_bytes()
    if b"\0" in data[:8192]:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _workbook_texts() -> list[tuple[str, str]]:
    """(label, xml text) of every XML part of every committed workbook."""
    out = []
    for book in sorted((ROOT / "workbooks").rglob("*")):
        if book.suffix not in WORKBOOK_SUFFIXES:
            continue
        with zipfile.ZipFile(book) as package:
            for info in package.infolist():
                if info.filename.endswith((".xml", ".rels")):
                    label = f"{book.relative_to(ROOT)}!{info.filename}"
                    out.append((label, package.read(info).decode("utf-8", "replace")))
    return out


def _all_texts() -> list[tuple[str, str]]:
    texts = []
    for path in _text_files():
        if path == Path(__file__).resolve():
            continue  # this file spells out the patterns it looks for
        text = _read_text(path)
        if text is not None:
            texts.append((str(path.relative_to(ROOT)), text))
    return texts + _workbook_texts()


def _hits(pattern: re.Pattern[str], texts: list[tuple[str, str]]) -> list[str]:
    hits = []
    for label, text in texts:
        for match in pattern.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            hits.append(f"{label}:{line}: {match.group(0)!r}")
    return hits


@pytest.fixture(scope="module")
def texts() -> list[tuple[str, str]]:
    found = _all_texts()
    assert len(found) > 50, "the scan found too few files to mean anything"
    return found


def test_the_scan_reads_code_docs_and_workbooks(texts: list[tuple[str, str]]) -> None:
    labels = {label for label, _ in texts}
    assert "README.md" in labels and "docs/rules.md" in labels
    assert any(label.startswith("lpsa_xl/rules/") for label in labels)
    assert any(label.startswith("workbooks/lpsa_return.xlsx!xl/") for label in labels)


def test_no_tracker_talk(texts: list[tuple[str, str]]) -> None:
    hits = _hits(TRACKER, texts)
    assert not hits, "say what a thing does and why, not who asked for it:\n" + "\n".join(hits)


def test_nothing_points_outside_the_repository(texts: list[tuple[str, str]]) -> None:
    hits = _hits(OUTSIDE, texts)
    assert not hits, "cite docs/rules.md, which is in the repository:\n" + "\n".join(hits)


def test_no_numbered_section_citations(texts: list[tuple[str, str]]) -> None:
    hits = _hits(OLD_SECTION, texts)
    assert not hits, "cite a section by its anchor, docs/rules.md#floor:\n" + "\n".join(hits)


def test_every_anchor_cited_exists(texts: list[tuple[str, str]]) -> None:
    anchors, _ = _sections()
    cited = 0
    missing = []
    for label, text in texts:
        for match in ANCHOR_CITE.finditer(text):
            cited += 1
            if match.group(1) not in anchors:
                missing.append(f"{label}: rules.md#{match.group(1)}")
    assert not missing, "no such section in docs/rules.md:\n" + "\n".join(missing)
    assert cited > 0


def test_citations_take_one_form(texts: list[tuple[str, str]]) -> None:
    hits = _hits(OTHER_CITE, texts)
    assert not hits, "cite a section as docs/rules.md#anchor:\n" + "\n".join(hits)


def test_markdown_links_stay_inside_the_repository() -> None:
    anchors = _sections()[0]
    bad = []
    for path in _text_files():
        if path.suffix != ".md":
            continue
        for match in MD_LINK.finditer(path.read_text(encoding="utf-8")):
            target = match.group(1)
            if re.match(r"^[a-z]+:", target):
                continue  # a web address
            file_part, _, anchor = target.partition("#")
            resolved = (path.parent / file_part).resolve() if file_part else path.resolve()
            inside = resolved == ROOT or ROOT in resolved.parents
            if (
                not inside
                or not resolved.exists()
                or (resolved == RULES and anchor and anchor not in anchors)
            ):
                bad.append(f"{path.relative_to(ROOT)}: {target}")
    assert not bad, "links to no file (or section) of the repository:\n" + "\n".join(bad)


def test_every_rule_section_gives_source_and_evidence() -> None:
    text = RULES.read_text(encoding="utf-8")
    parts = re.split(r'^<a id="([^"]+)"></a>\n', text, flags=re.MULTILINE)[1:]
    sections = dict(zip(parts[::2], parts[1::2]))
    overview = {"evidence", "schemes", "sources"}
    assert {"floor", "cap", "potential", "split", "numbers", "thresholds"} <= set(sections)
    lacking = [
        anchor
        for anchor, body in sections.items()
        if anchor not in overview
        and not ("\n- Source:" in body and "\n- Evidence:" in body and "\n- In lpsa-xl:" in body)
    ]
    assert lacking == []


def test_the_patterns_catch_what_they_are_for() -> None:
    assert TRACKER.search("read_package (issue 5, item 5: ...)")
    assert TRACKER.search("Session 1's history")
    assert not TRACKER.search("the issues a return has; two items of 5")
    assert OUTSIDE.search("[rules](../shared/domain/RULES.md)")
    assert OLD_SECTION.search("(RULES.md §3-§8)")
    assert not OLD_SECTION.search("ECMA-376 Part 1, §18.8.30; §18.17.4.1")
    assert ANCHOR_CITE.search("docs/rules.md#floor").group(1) == "floor"
    assert OTHER_CITE.search("(rules.md §Payment on account)")
    assert not OTHER_CITE.search("(docs/rules.md#payment-on-account)")
