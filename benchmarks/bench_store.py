"""Benchmark of the agreements register and the returns history, on SQLite and PostgreSQL.

    python benchmarks/bench_store.py [--returns 150] [--repeat 3] [--backends sqlite,postgresql]

Writes ``--returns`` template returns (those of bench_check.py: 14 targets, one split into
sub-targets, as Excel saves them) into a temporary folder, then, for each back end (an SQLite
file; a throw-away PostgreSQL cluster started as the tests start it, skipped with the reason
when it cannot be had), times as whole processes:

* ``lpsa-xl register add FOLDER/*.xlsx --db URL``: registering every return's agreement into a
  fresh database (each file read and validated as ``compute`` reads it, all written in one
  transaction);
* ``lpsa-xl check FOLDER --json`` (the baseline) against
  ``lpsa-xl check FOLDER --json --register URL --record`` (the register rules on every return,
  the missing-returns list, "changed since last round" and a round recorded per return),
  taking turns.

and prints the best of ``--repeat`` rounds with the ratio (target: within 1.2x). Figures go
into benchmarks/README.md (section "store").
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_check import make_returns  # noqa: E402
from tests.pgcluster import Unavailable, throwaway_cluster  # noqa: E402


def _run(args: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "lpsa_xl", *args], capture_output=True,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})  # fmt: skip
    took = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"lpsa-xl {' '.join(args[:3])}... failed: {done.stderr.decode()[-800:]}")
    return took


@contextlib.contextmanager
def _databases(backend: str, folder: Path) -> Iterator[object]:
    """A factory of fresh database URLs on ``backend``."""
    if backend == "sqlite":
        count = iter(range(10_000))
        yield lambda: f"sqlite:///{folder / f'store_{next(count)}.db'}"
        return
    with throwaway_cluster() as server:
        yield server.new_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--returns", type=int, default=150)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    print(f"{platform.python_implementation()} {platform.python_version()}, "
          f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "returns"
        folder.mkdir()
        files = [str(p) for p in make_returns(folder, args.returns)]
        print(f"{len(files)} returns in {folder}")
        for backend in args.backends.split(","):
            try:
                with _databases(backend, Path(tmp)) as fresh:
                    _bench(backend, fresh, folder, files, args.repeat)  # type: ignore[arg-type]
            except Unavailable as exc:
                print(f"{backend}: skipped ({exc})")


def _bench(backend: str, fresh, folder: Path, files: list[str], repeat: int) -> None:  # type: ignore[no-untyped-def]
    adds, plain, register = [], [], []
    url = fresh()
    _run(["register", "add", *files, "--db", url])  # the register the checks use
    for _ in range(repeat):
        adds.append(_run(["register", "add", *files, "--db", fresh()]))
        plain.append(_run(["check", str(folder), "--json"]))
        register.append(_run(["check", str(folder), "--json", f"--register={url}", "--record"]))
    best_plain, best_register = min(plain), min(register)
    print(f"\n{backend} (best of {repeat}):")
    print(f"  register add of {len(files)} returns into a fresh database: {min(adds):.2f} s")
    print(f"  check FOLDER --json:                          {best_plain:.2f} s")
    print(f"  check FOLDER --json --register URL --record:  {best_register:.2f} s "
          f"({best_register / best_plain:.2f}x)")  # fmt: skip


if __name__ == "__main__":
    main()
