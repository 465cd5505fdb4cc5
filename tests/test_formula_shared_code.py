"""Generated formula code is shared between workbooks of one structure (lpsa-xl check's
returns of one template) and never between workbooks whose names, sheets or tables differ:
each book still computes from its own cells, names and functions."""

from __future__ import annotations

from formula_util import book, evaluate, value

from lpsa_xl.formula import codecache


def test_books_of_one_structure_share_code_but_not_values(tmp_path):
    cells = {"A1": 2, "A2": 3, "B1": "=A1*Rate+A2", "B2": '=IF(A1>1,"big","small")'}
    first = book(tmp_path / "a.xlsx", {"S": cells}, {"Rate": "S!$A$2"})
    second = book(tmp_path / "b.xlsx", {"S": {**cells, "A1": 0.5, "A2": 10}}, {"Rate": "S!$A$2"})
    _, one = evaluate(first)
    shared = one.compiler._shared
    generated = dict(shared.sources)
    _, two = evaluate(second)
    assert two.compiler._shared is shared
    assert shared.sources == generated  # nothing generated again for the second book
    assert (value(one, "S!B1"), value(one, "S!B2")) == (9.0, "big")
    assert (value(two, "S!B1"), value(two, "S!B2")) == (15.0, "small")


def test_a_different_defined_name_is_a_different_structure(tmp_path):
    cells = {"A1": 2, "A2": 3, "B1": "=A1*Rate"}
    _, one = evaluate(book(tmp_path / "a.xlsx", {"S": cells}, {"Rate": "S!$A$2"}))
    _, two = evaluate(book(tmp_path / "b.xlsx", {"S": cells}, {"Rate": "S!$A$1"}))
    assert one.compiler._shared is not two.compiler._shared
    assert (value(one, "S!B1"), value(two, "S!B1")) == (6.0, 4.0)


def test_bound_functions_are_part_of_the_structure(tmp_path):
    path = book(tmp_path / "a.xlsx", {"S": {"A1": 4, "B1": "=TWICE(A1)"}})
    _, plain = evaluate(path)
    _, bound = evaluate(path, {"TWICE": lambda x: x * 2})
    _, other = evaluate(path, {"TWICE": lambda x: x * 3})
    assert str(value(plain, "S!B1")) == "#NAME?"
    assert (value(bound, "S!B1"), value(other, "S!B1")) == (8.0, 12.0)


def test_the_shared_store_is_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(codecache, "_GENERATED", {})
    monkeypatch.setattr(codecache, "_MAX_STRUCTURES", 2)
    for n in range(3):
        cells = {"A1": n, "B1": f"=A1+{n}"}
        _, engine = evaluate(book(tmp_path / f"{n}.xlsx", {f"S{n}": cells}))
        assert value(engine, f"S{n}!B1") == 2.0 * n
    assert len(codecache._GENERATED) <= 2


def _findings(path):
    from lpsa_xl.check.run import check_file
    from lpsa_xl.check.wiring import READER, RECOMPUTE

    return [
        (f.rule, f.sheet, f.cell, f.message) for f in check_file(path, READER, RECOMPUTE).findings
    ]


def test_check_findings_are_the_same_with_shared_code(tmp_path, monkeypatch):
    """The example returns and a stale copy of one, checked as before (every book generating
    its own code: a store emptied at each book) and then twice with the shared store: the
    same findings, stale cells included."""
    from pathlib import Path

    from test_check_stale import _edit_cached_input

    from lpsa_xl.demo import recalculated_example

    good, _ = recalculated_example("northshire_lpsa1.xlsx", tmp_path)
    stale = tmp_path / "stale.xlsx"
    _edit_cached_input(good, stale, "M5", "40.16", "40.19")
    examples = sorted((Path(__file__).parent.parent / "workbooks" / "examples").glob("*.xlsx"))
    paths = [*examples, good, stale]
    monkeypatch.setattr(codecache, "_GENERATED", {})
    monkeypatch.setattr(codecache, "_MAX_STRUCTURES", 0)
    cold = [_findings(p) for p in paths]
    monkeypatch.setattr(codecache, "_MAX_STRUCTURES", 64)
    assert [_findings(p) for p in paths] == cold
    structures = {k: dict(v.sources) for k, v in codecache._GENERATED.items()}
    assert [_findings(p) for p in paths] == cold
    assert {k: v.sources for k, v in codecache._GENERATED.items()} == structures  # all reused
    assert ("LPSA016", "Targets", "T5") in {f[:3] for f in cold[-1]}
    assert not any(f[0] == "LPSA016" for f in cold[-2])
