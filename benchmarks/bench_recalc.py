"""Time ``lpsa-xl recalc`` against pycel, formulas, LibreOffice and an openpyxl load-and-save,
each as a whole process, on the books of make_books.py.

    python benchmarks/bench_recalc.py [--repeat 3] [--slow-limit 25000] [--timeout 600]

Generates the books if missing, prints the machine and a Markdown table (median wall time of
``--repeat`` runs; pycel and formulas run once, and only on books of at most ``--slow-limit``
formulas, since they take minutes), and writes the same to benchmarks/results.md.
The ``LPSA_*`` cells evaluate only in lpsa-xl; the other engines give errors there but are timed
all the same. Run from the repository root.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from benchmarks.make_books import BOOKS, make  # noqa: E402
from lpsa_xl.formula.libreoffice import command, make_profile, soffice  # noqa: E402


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo") as fh:
            kb = int(fh.readline().split()[1])
        mem = f"{kb / 1024 / 1024:.1f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    lo = ""
    if soffice():
        out = subprocess.run([soffice(), "--version"], capture_output=True, text=True).stdout
        lo = out.strip().splitlines()[0] if out.strip() else "LibreOffice"
    return (f"{os.cpu_count()} CPUs ({model}), {mem}, Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}; {lo}")  # fmt: skip


def timed(cmd: list[str], timeout: float) -> float | None:
    start = time.perf_counter()
    try:
        subprocess.run(cmd, check=True, timeout=timeout, cwd=ROOT,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    except subprocess.TimeoutExpired:
        return None
    except subprocess.CalledProcessError as e:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{e.stderr.decode(errors='replace')}") from None
    return time.perf_counter() - start


def count_formulas(book: Path) -> int:
    from lpsa_xl.files.scan import read_package

    return sum(len(s.formulas) for s in read_package(book).sheets)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--slow-limit", type=int, default=25_000)
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--books", type=Path, default=HERE / "books")
    args = ap.parse_args()
    args.books.mkdir(parents=True, exist_ok=True)
    for name, (n, claim) in BOOKS.items():
        if not (args.books / name).exists():
            make(args.books / name, n, claim)
    py = sys.executable
    work = Path(tempfile.mkdtemp(prefix="bench-recalc-"))
    profile_url = make_profile(work / "lo-profile") if soffice() else None
    if profile_url:  # first start initialises the profile: not timed
        timed(command([args.books / "authority.xlsx"], work / "warm", profile_url), args.timeout)
    rows = []
    for name in BOOKS:
        book = args.books / name
        n = count_formulas(book)
        engines: dict[str, tuple[list[str], int]] = {
            "lpsa-xl recalc": ([py, "-m", "lpsa_xl", "recalc", str(book), "-o", str(work / name)],
                               args.repeat),
            "openpyxl load+save (floor)": ([py, str(HERE / "engines.py"), "openpyxl", str(book),
                                            str(work / "floor")], args.repeat),
        }  # fmt: skip
        if profile_url:
            engines["LibreOffice recalc+save"] = (
                command([book], work / "lo", profile_url),
                args.repeat,
            )
        if n <= args.slow_limit:
            for engine in ("pycel", "formulas"):
                engines[engine] = (
                    [py, str(HERE / "engines.py"), engine, str(book), str(work / engine)],
                    1,
                )
        result: dict[str, float | None] = {}
        for label, (cmd, repeat) in engines.items():
            times = [timed(cmd, args.timeout) for _ in range(repeat)]
            result[label] = None if None in times else statistics.median(t for t in times if t)
            print(f"{name:20} {label:28} {result[label]}", file=sys.stderr)
        rows.append((name, n, result))
    labels = [
        "lpsa-xl recalc",
        "openpyxl load+save (floor)",
        "LibreOffice recalc+save",
        "pycel",
        "formulas",
    ]
    ratios = " | lpsa-xl / floor | LibreOffice / lpsa-xl |"
    lines = [f"Machine: {machine()}", "", "| book | formulas | " + " | ".join(labels) + ratios,
             "|---|---:|" + "---:|" * (len(labels) + 2)]  # fmt: skip
    for name, n, result in rows:
        cells = []
        for label in labels:
            t = result.get(label, "absent")
            cells.append("not run" if t == "absent" else ("timeout" if t is None else f"{t:.2f} s"))
        ours, floor, lo = (result.get(k) for k in labels[:3])
        ratio = f"{ours / floor:.2f}×" if ours and floor else "-"
        speed = f"{lo / ours:.2f}×" if ours and lo else "-"
        lines.append(f"| {name} | {n:,} | " + " | ".join(cells) + f" | {ratio} | {speed} |")
    text = "\n".join(lines) + "\n"
    print(text)
    (HERE / "results.md").write_text(text, encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
