"""Mutation fuzzing of the example workbooks through the evaluator and the commands that use it.

Each case takes a bundled example return and mutates the text of a few of its formulas (edits
of characters Excel formulas are made of, deep nesting, far-off and whole-sheet references,
huge numbers, defined-name and structured-reference shapes), then runs ``recalc --check``,
``check`` and ``compute`` on it in-process. Whatever the mutation, each must end with its own
exit code and one-line messages: no Python traceback, no exception escaping, and the input file
unchanged. Seeded, so CI runs the same cases every time; ``LPSA_XL_FUZZ_CASES=N`` (and
``LPSA_XL_FUZZ_SEED``) run more or other cases locally.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, unescape

import pytest
from click.testing import CliRunner

from lpsa_xl.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "workbooks" / "examples").glob("*.xlsx"))
CASES = int(os.environ.get("LPSA_XL_FUZZ_CASES", "60"))
SEED = int(os.environ.get("LPSA_XL_FUZZ_SEED", "20261204"))

_PIECES = [
    "(", ")", ",", "+", "-", "*", "/", "^", "&", "%", ":", "!", "$", "'", '"', "{", "}", ";",
    "=", "<", ">", "#", " ", "A1", "XFD1048576", "A:A", "1:1", "B", "Z", "9", "0", "1E308",
    "1E999", "SUM(", "IF(", "INDEX(", "LPSA_REWARD(", "Table1[", "[#All]", "[@", "#REF!",
    "#N/A", "TRUE", "Sheet9!", "'No sheet'!", "_xlfn.", "A1:ZZ", "REPT(", "TEXT(",
]
_F = re.compile(r"(<(?:\w+:)?f\b[^>]*>)([^<]*)(</(?:\w+:)?f>)")


def _mutate(text: str, rng: random.Random) -> str:
    choice = rng.random()
    if choice < 0.15:
        return "SUM(" * rng.randint(60, 400) + text + ")" * rng.randint(0, 400)
    if choice < 0.25:
        return rng.choice(["-" * 500 + "1", "9" * rng.randint(300, 400), "A1:XFD1048576"])
    out = list(text)
    for _ in range(rng.randint(1, 4)):
        pos = rng.randint(0, len(out))
        op = rng.random()
        if op < 0.4 and out:
            del out[min(pos, len(out) - 1)]
        elif op < 0.8:
            out.insert(pos, rng.choice(_PIECES))
        elif out:
            out[min(pos, len(out) - 1)] = rng.choice(_PIECES)
    return "".join(out)


def _mutated_book(src: Path, dst: Path, rng: random.Random) -> None:
    with zipfile.ZipFile(src) as zin:
        parts = {i: zin.read(i.filename) for i in zin.infolist()}
    sheets = [i for i in parts if i.filename.startswith("xl/worksheets/sheet")]
    for info in rng.sample(sheets, k=min(2, len(sheets))):
        xml = parts[info].decode("utf-8")
        matches = list(_F.finditer(xml))
        if not matches:
            continue
        for m in sorted(rng.sample(matches, k=min(3, len(matches))), key=lambda m: -m.start()):
            formula = escape(_mutate(unescape(m.group(2)), rng), {'"': "&quot;"})
            xml = xml[: m.start(2)] + formula + xml[m.end(2) :]
        parts[info] = xml.encode("utf-8")
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, data in parts.items():
            zout.writestr(info, data)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.skipif(not EXAMPLES, reason="the example workbooks are not built")
@pytest.mark.parametrize("case", range(CASES))
def test_mutated_formulas_never_crash_a_command(tmp_path: Path, case: int) -> None:
    rng = random.Random(SEED * 1000 + case)
    path = tmp_path / f"fuzz{case}.xlsx"
    _mutated_book(rng.choice(EXAMPLES), path, rng)
    before = _digest(path)
    runner = CliRunner()
    for args in (["recalc", "--check", str(path)], ["check", str(path)], ["compute", str(path)]):
        result = runner.invoke(main, args, catch_exceptions=True)
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            args,
            repr(result.exception),
        )
        assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.output)
        assert "Traceback" not in result.output, (args, result.output)
        for line in result.output.splitlines():
            assert not re.search(r"\b\w+(Error|Exception)\b:", line), (args, line)
    assert _digest(path) == before
