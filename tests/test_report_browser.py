"""The HTML report as a returns-team lead sees it, in a real browser: Chromium from the Debian
packages driven by Playwright (never a downloaded browser). Screenshots of the wide, phone and
printed views are kept in ``build/test-artefacts/`` for a person to look at."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from lpsa_xl.cli import main

ROOT = Path(__file__).resolve().parents[1]
ARTEFACTS = ROOT / "build" / "test-artefacts"
CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _stale_copy(src: Path, dst: Path) -> None:
    """Northshire with target 1's actual (Targets!M5) typed over and nothing recalculated."""
    import zipfile

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":
                text, n = re.subn(r'(<c r="M5"[^>]*><v>)[^<]*(</v>)', r"\g<1>40.19\g<2>",
                                  data.decode())  # fmt: skip
                assert n == 1
                data = text.encode()
            zout.writestr(item, data)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("returns")
    for name in ("northshire_lpsa1.xlsx", "westbury_lpsa2.xlsx", "southdale_lpsa1.xlsx"):
        shutil.copy(ROOT / "workbooks" / "examples" / name, folder / name)
    _stale_copy(ROOT / "workbooks" / "examples" / "northshire_lpsa1.xlsx", folder / "stale.xlsx")
    (folder / "damaged.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    page = tmp_path_factory.mktemp("out") / "report.html"
    result = CliRunner().invoke(main, ["check", "-j", "1", str(folder), "--html", str(page)])
    assert result.exit_code == 2, result.output  # one file is unusable
    return page


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def _open(browser, report: Path, width: int, height: int = 900):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": width, "height": height})
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url))
    page.goto(report.as_uri())
    page.wait_for_load_state("load")
    assert all(url.startswith(("file:", "data:")) for url in fetched), fetched  # offline
    return page


def test_first_screen_says_how_the_folder_stands(browser, report: Path) -> None:  # type: ignore[no-untyped-def]
    page = _open(browser, report, 1280)
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "report-wide.png"))
    counts = page.inner_text("#counts")
    assert re.search(r"5 returns\s*2 ok\s*1 with warnings\s*1 with errors\s*1 unusable", counts)
    totals = page.inner_text("#totals")
    assert "Total potential £" in totals and "recomputed reward £" in totals
    assert page.locator("#counts").is_visible() and page.locator("#returns").is_visible()
    colours = {
        "errors": "rgb(192, 57, 43)",
        "warnings": "rgb(240, 180, 41)",
        "ok": "rgb(30, 132, 73)",
        "unusable": "rgb(127, 140, 141)",
    }
    for status, colour in colours.items():
        badge = page.locator(f"#returns tr.return.{status} .badge").first
        assert badge.inner_text() == status
        assert badge.evaluate("e => getComputedStyle(e).backgroundColor") == colour
    damaged = page.locator("#returns tr.unusable").inner_text()
    assert "damaged.xlsx" in damaged and "not read:" in damaged


def test_a_return_links_to_its_findings_most_serious_first(browser, report: Path) -> None:  # type: ignore[no-untyped-def]
    page = _open(browser, report, 1280)
    row = page.locator("#returns tr.return.errors")
    row.locator("a").click()
    target = page.evaluate("location.hash")
    section = page.locator(target)
    assert section.is_visible()
    box = section.bounding_box()
    assert box is not None and -2 <= box["y"] < 200  # scrolled to the top of the screen
    severities = section.locator("tr.finding .badge").all_inner_texts()
    order = ["error", "warning", "info"]
    assert severities and severities == sorted(severities, key=order.index)
    assert "error" in severities


def test_chart_labels_are_whole_and_unusable_returns_are_shown(browser, report: Path) -> None:  # type: ignore[no-untyped-def]
    for width in (1280, 390):
        page = _open(browser, report, width)
        labels = page.locator("#chart .bar-label")
        assert labels.count() == 5
        for i in range(labels.count()):
            label = labels.nth(i)
            fits = label.evaluate("e => e.scrollWidth <= e.clientWidth + 1")
            box = label.bounding_box()
            assert fits and box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
        unusable = page.locator("#chart .bar-row.unusable").inner_text()
        assert "damaged.xlsx" in unusable and "unusable:" in unusable
        # the page itself never scrolls sideways; only a wide table does, inside its box
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        if width < 600:
            page.locator("#chart").scroll_into_view_if_needed()
            page.screenshot(path=str(ARTEFACTS / "report-phone.png"), full_page=True)


def test_it_prints(browser, report: Path) -> None:  # type: ignore[no-untyped-def]
    page = _open(browser, report, 1280)
    pdf = page.pdf(path=str(ARTEFACTS / "report-print.pdf"), format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000
