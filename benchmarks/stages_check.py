"""Where ``lpsa-xl check``'s time goes per return, in one process.

    python benchmarks/stages_check.py [--returns 40]

Writes ``--returns`` returns as :mod:`bench_check` does, warms the caches on one of them, then
prints milliseconds a return for: the whole check without and with the stale-cache rule
(LPSA016), and LPSA016's stages (the evaluator's read of the package, the engine's set-up, the
evaluation, which runs in a helper thread that cProfile in the main thread does not see), with
the cost of what could be shared or dropped (opening the zip and decompressing the parts the
evaluator reads; starting and joining that thread). Figures go into benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_check import ROOT, make_returns

sys.path.insert(0, str(ROOT))

from lpsa_xl.check.run import check_file
from lpsa_xl.check.wiring import READER, RECOMPUTE
from lpsa_xl.files.scan import read_package
from lpsa_xl.formula.engine import Engine
from lpsa_xl.returns.recalc import differences, registry_functions


def per_file(files: list[Path], step) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    for path in files:
        step(path)
    return (time.perf_counter() - start) / len(files) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--returns", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        files = make_returns(Path(tmp), args.returns)
        functions = registry_functions()
        check_file(files[0], READER, RECOMPUTE)  # imports, parse trees, bytecode, generated code
        rows = [
            ("check --no-recalc", per_file(files, lambda p: check_file(p, READER))),
            ("check (with LPSA016)", per_file(files, lambda p: check_file(p, READER, RECOMPUTE))),
            ("  evaluator's read_package", per_file(files, read_package)),
        ]
        packages = [read_package(p) for p in files]
        start = time.perf_counter()
        engines = [Engine(p, functions) for p in packages]
        rows.append(("  Engine set-up", (time.perf_counter() - start) / len(files) * 1000))
        start = time.perf_counter()
        for engine in engines:
            engine.calculate()
        rows.append(("  evaluation (thread)", (time.perf_counter() - start) / len(files) * 1000))
        start = time.perf_counter()
        for package, engine in zip(packages, engines):
            differences(package, engine)
        rows.append(("  comparison", (time.perf_counter() - start) / len(files) * 1000))
        parts = {"xl/workbook.xml"} | {s.part for s in packages[0].sheets if s.part}

        def unzip(path: Path) -> None:
            with zipfile.ZipFile(path) as archive:
                for name in parts:
                    archive.read(name)

        rows.append(("  of which zip open + decompress", per_file(files, unzip)))

        def thread(_path: Path) -> None:
            old = threading.stack_size(512 * 1024 * 1024)
            t = threading.Thread(target=lambda: None)
            t.start()
            t.join()
            threading.stack_size(old)

        rows.append(("  of which thread start + join", per_file(files, thread)))
        print(f"{args.returns} returns, ms a return (one process)")
        for label, ms in rows:
            print(f"{label:34s} {ms:6.2f}")


if __name__ == "__main__":
    main()
