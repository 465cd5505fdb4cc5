"""The classic xlwings UDF module and the registry bindings, on Linux without Excel."""

from __future__ import annotations

import inspect
import json
import os
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")  # before xlwings is imported

import pytest

import lpsa_xl
from lpsa_xl.excel import binding, udfs
from lpsa_xl.functions.registry import FUNCTIONS
from lpsa_xl.values import DIV0, NA, VALUE, ExcelError

SNAPSHOT = Path(__file__).parent / "data" / "excel_registry.json"


def test_registry_snapshot_names_argument_order_and_help() -> None:
    committed = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert binding.snapshot() == committed, (
        "the Excel functions changed: if on purpose, regenerate tests/data/excel_registry.json "
        "with binding.snapshot() and say so in the changelog"
    )


def test_module_lists_every_function_with_its_help() -> None:
    text = udfs.describe()
    for name, fn in FUNCTIONS.items():
        assert name in udfs.__all__
        assert f"{name}(" in text and fn.doc in text
        assert all(a.doc in text for a in fn.args)
    assert {"lpsa_calculate", "lpsa_validate", "lpsa_build_claim"} <= set(udfs.__all__)


@pytest.mark.parametrize("name", list(FUNCTIONS))
def test_udf_has_the_registry_signature_and_doc(name: str) -> None:
    fn, udf = FUNCTIONS[name], getattr(udfs, name)
    params = list(inspect.signature(udf).parameters.values())
    assert [p.name for p in params] == [a.name for a in fn.args]
    assert [p.default is None for p in params] == [a.optional for a in fn.args]
    assert all(p.kind is p.POSITIONAL_OR_KEYWORD for p in params)
    assert udf.__name__ == name and udf.__doc__ == fn.doc


def test_xlwings_reads_the_generated_signature() -> None:
    """xlwings builds its VBA wrappers and Office.js metadata from this (same code path in
    xlwings/udfs.py and xlwings/pro/udfs_officejs.py)."""
    from xlwings.pro.udfs_officejs import func_sig

    sig = func_sig(udfs.LPSA_SCHEDULE)
    assert sig["args"] == ["table", "potential_total", "scheme"]
    assert sig["defaults"] == [None, None] and sig["vararg"] is None


def test_scalar_functions_with_excel_shaped_inputs() -> None:
    reward = float(lpsa_xl.reward(40.1, 40.2, 40.16, 275227))
    assert udfs.LPSA_REWARD(40.1, 40.2, 40.16, 275227.0) == reward == 165136.0
    assert udfs.LPSA_REWARD("40.1", "40.2", "40.16", "275227") == reward  # numbers typed as text
    assert udfs.LPSA_REWARD(((40.1,),), [[40.2]], (40.16,), 275227, None) == reward  # ranges
    assert udfs.LPSA_REWARD(40.1, 40.2, 40.16, 275227, "") == reward  # blank optional scheme
    assert udfs.LPSA_STATUS(100, 110, 112) == "Green"
    assert udfs.LPSA_ACHIEVEMENT(40.1, 40.2, 40.16) == 0.6
    assert udfs.LPSA_SHARE(3578000, 13) == float(lpsa_xl.share(3578000, 13))
    assert udfs.LPSA_SHARE(3578000, 13, 2, 0.9) == float(lpsa_xl.share(3578000, 13, 2, 0.9))
    assert udfs.LPSA_CAPITAL(1000.01) + udfs.LPSA_REVENUE(1000.01) == pytest.approx(1000.01)
    assert udfs.LPSA_VFM_COST(100, 110, 275227) == float(lpsa_xl.vfm_cost(100, 110, 275227))


def test_bad_input_shows_the_error_code_and_reason_as_text() -> None:
    no_stretch = udfs.LPSA_REWARD(1, 1, 1, 100)
    assert no_stretch.startswith("#DIV/0! LPSA_REWARD:") and "stretch" in no_stretch
    assert udfs.LPSA_REWARD(None, 2, 3, 4).startswith("#VALUE! LPSA_REWARD: expected")
    assert udfs.LPSA_REWARD("abc", 2, 3, 4).startswith("#VALUE!")
    assert udfs.LPSA_PAYABLE(1, 2, 3, "LPSA9").startswith("#N/A")
    assert udfs.LPSA_STRETCH([[1, 2]], 3).startswith("#VALUE!")  # a range where a cell belongs
    assert "Traceback" not in udfs.LPSA_POTENTIAL(-5)


def test_error_values_from_either_runtime_pass_through() -> None:
    com_div0 = -2146826281  # what COM's raw value holds for a #DIV/0! cell
    assert udfs.LPSA_STRETCH(com_div0, 2) == "#DIV/0!"
    assert (
        udfs.LPSA_STRETCH({"type": "Error", "basicValue": "#N/A", "errorType": "NotAvailable"}, 2)
        == "#N/A"
    )
    assert binding.from_excel("#NUM!") == ExcelError("#NUM!")
    assert binding.from_excel(((1.0, None), ("", com_div0))) == [[1.0, None], [None, DIV0]]
    assert binding.from_excel({"code": "#N/A", "message": "x"}) == NA
    assert binding.from_excel(-2146826273) == VALUE and binding.from_excel(-5) == -5


def test_array_functions_spill_rows() -> None:
    table = (("Ref", "Expected", "Target", "Actual"), ("A", 1.0, 2.0, 1.8), ("B", 10.0, 5.0, None))
    rows = udfs.LPSA_SCHEDULE(table, 1000.0)
    assert rows[0][:2] == ["ref", "potential"]
    assert rows[1] == ["A", 500.0, 1.0, 0.8, 0.8, 400.0, "Amber", 1.6]
    assert rows[2][5] == ""  # no actual yet: no reward, an empty cell
    plan = udfs.LPSA_INSTALMENTS(954133, 2006)
    assert plan[0] == ["year", "kind", "paid", "capital", "revenue"]
    assert [r[2] for r in plan[1:]] == [float(p.paid) for p in lpsa_xl.instalments(954133, 2006)]
    assert udfs.LPSA_SCHEDULE([["Ref", "Expected"]]).startswith("#VALUE!")


def targets_table(n: int) -> list[list[object]]:
    """A targets table with its header row, ``n`` targets, their actuals spread over Red, Amber
    and Green, both directions, and each target's stated potential."""
    rows: list[list[object]] = [["Ref", "Expected", "Target", "Actual", "Potential"]]
    for i in range(n):
        e, t = 40.1 + i, 40.2 + i + (i % 3)
        if i % 2:
            e, t = t, e  # lower is better
        a = e + (t - e) * [0.6, 0.59, 1.3, 0.75, -0.2][i % 5]
        rows.append([f"T{i + 1}", e, t, round(a, 6), 100000.0 + 1000 * i])
    return rows


def test_one_schedule_over_35_targets_equals_35_scalar_calls() -> None:
    table = targets_table(35)
    schedule = udfs.LPSA_SCHEDULE(table)
    assert len(schedule) == 36
    head = schedule[0]
    for (ref, e, t, a, pot), row in zip(table[1:], schedule[1:], strict=True):
        line = dict(zip(head, row, strict=True))
        assert line["ref"] == ref and line["potential"] == pot
        assert line["stretch"] == udfs.LPSA_STRETCH(e, t)
        assert line["achievement"] == udfs.LPSA_ACHIEVEMENT(e, t, a)
        assert line["payable"] == udfs.LPSA_PAYABLE(e, t, a)
        assert line["reward"] == udfs.LPSA_REWARD(e, t, a, pot)
        assert line["status"] == udfs.LPSA_STATUS(e, t, a)
        assert line["trigger"] == udfs.LPSA_TRIGGER(e, t)
    assert {r[6] for r in schedule[1:]} == {"Red", "Amber", "Green"}
    assert sum(r[5] for r in schedule[1:]) == float(
        sum(lpsa_xl.reward(e, t, a, p) for _, e, t, a, p in table[1:]) or Decimal(0)
    )
