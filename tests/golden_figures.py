"""The golden workbooks' figures: Microsoft's worked examples (the tables of
``tests/test_formula_golden_*.py``) built into one workbook per function family, each example on
a sheet of its own, evaluated through the real evaluator and compared cell by cell with the
results the reference states. Prints, per family and in all, the cells compared, equal,
declined (named by the evaluator as not computed) and different (which must be 0).

    PYTHONPATH=. python tests/golden_figures.py
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from lpsa_xl.files.scan import KEY  # noqa: E402
from lpsa_xl.formula.functions import _MODULES, LAZY  # noqa: E402
from tests.formula_util import book, evaluate, value  # noqa: E402
from tests.test_formula_golden_finance import EXAMPLES as FINANCE  # noqa: E402
from tests.test_formula_golden_lookup_maths import EXAMPLES as LOOKUP_MATHS  # noqa: E402
from tests.test_formula_golden_lookup_maths import golden  # noqa: E402

Example = tuple[dict[str, Any], str, Any, int]


def family(formula: str) -> str:
    """The family (evaluator module) of the formula's outermost function."""
    name = re.match(r"=\s*([A-Z0-9.]+)\(", formula)
    first = name.group(1) if name else ""
    if first in LAZY:
        return "logic"
    for module in _MODULES:
        if first in module.FUNCTIONS:
            return module.__name__.rsplit(".", 1)[-1]
    return "other"


def figures(folder: Path) -> dict[str, dict[str, int]]:
    """{family: {"compared", "equal", "declined", "different"}} over every golden example."""
    by_family: dict[str, list[Example]] = {}
    for example in [*FINANCE, *LOOKUP_MATHS]:
        by_family.setdefault(family(example[1]), []).append(example)
    out: dict[str, dict[str, int]] = {}
    for fam, examples in sorted(by_family.items()):
        sheets = {f"E{i + 1}": {**data, "Z1": formula}
                  for i, (data, formula, _, _) in enumerate(examples)}  # fmt: skip
        path = book(folder / f"golden_{fam}.xlsx", sheets)
        _, engine = evaluate(path)
        declined_cells = {c for p in engine.problems() for c in p.cells}
        counts = {"compared": 0, "equal": 0, "declined": 0, "different": 0}
        for i, (_, formula, expected, places) in enumerate(examples):
            ref = f"E{i + 1}!Z1"
            counts["compared"] += 1
            s = engine.names.index(f"E{i + 1}")
            if ref in declined_cells or (s, 1 * KEY + 26) in engine.tainted:
                counts["declined"] += 1
            elif golden(formula, value(engine, ref), expected, places):
                counts["equal"] += 1
            else:
                counts["different"] += 1
                print(f"different: {fam} {formula} gave {value(engine, ref)!r}, not {expected!r}")
        out[fam] = counts
    return out


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        result = figures(Path(tmp))
    total = {k: sum(c[k] for c in result.values()) for k in ("compared", "equal", "declined",
                                                             "different")}  # fmt: skip
    print(f"{'family':<10} {'compared':>8} {'equal':>6} {'declined':>8} {'different':>9}")
    for fam, c in [*result.items(), ("all", total)]:
        print(f"{fam:<10} {c['compared']:>8} {c['equal']:>6} {c['declined']:>8} "
              f"{c['different']:>9}")  # fmt: skip
    return 1 if total["different"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
