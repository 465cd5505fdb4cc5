"""LibreOffice headless recalculation, as a second opinion for tests and the benchmark.

LibreOffice does not recalculate an .xlsx on load by default; a throw-away user profile whose
``registrymodifications.xcu`` sets ``/org.openoffice.Office.Calc/Formula/Load``
``OOXMLRecalcMode`` = 0 ("always recalculate") makes ``soffice --convert-to xlsx`` a
recalculate-and-save. Never used by ``lpsa-xl recalc`` itself.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

__all__ = ["PROFILE_XCU", "convert", "make_profile", "soffice"]

PROFILE_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
  xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
  <prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
  <prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice() -> str | None:
    """The ``soffice`` executable, or ``None`` when LibreOffice is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def make_profile(folder: Path) -> str:
    """Create a LibreOffice user profile forcing recalculation on load; return its URL for
    ``-env:UserInstallation=``."""
    user = folder / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(PROFILE_XCU, encoding="utf-8")
    return folder.resolve().as_uri()


def command(files: list[Path], outdir: Path, profile_url: str) -> list[str]:
    exe = soffice()
    if exe is None:
        raise FileNotFoundError("soffice (LibreOffice) is not on PATH")
    return [exe, f"-env:UserInstallation={profile_url}", "--headless", "--norestore",
            "--convert-to", "xlsx", "--outdir", str(outdir), *map(str, files)]  # fmt: skip


def convert(files: list[Path], outdir: Path, profile: Path, timeout: float = 300) -> list[Path]:
    """Recalculate and save ``files`` into ``outdir`` with LibreOffice; return the outputs."""
    outdir.mkdir(parents=True, exist_ok=True)
    url = make_profile(profile)
    subprocess.run(command(files, outdir, url), check=True, timeout=timeout,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    return [outdir / (Path(f).stem + ".xlsx") for f in files]
