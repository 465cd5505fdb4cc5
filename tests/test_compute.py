"""lpsa-xl compute: template and council layouts, JSON and results sheet, bad input."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from _returns import council_book
from click.testing import CliRunner

from lpsa_xl.cli import main
from lpsa_xl.returns.compute import RESULTS_SHEET, compute_book
from lpsa_xl.returns.read import read_return
from lpsa_xl.returns.results import to_json

ROWS = [
    ["1", "% of pupils with 5+ GCSEs A*-C", "N", 40.1, 40.2, 40.16, 300000, 180000],
    ["2", "Domestic burglaries", "Y", 4200, 3800, 3700, 300000, 300000],
    ["3a", "Quitters, deprived wards", "N", 900, 1100, 1050, 270000, 202500],
    ["3b", "Quitters, pregnant women", "N", 40, 60, 45, 30000, 0],
]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["compute", *args])
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), result.exception
    return result.exit_code, result.output


def test_unseen_council_layout_at_an_offset_is_computed(tmp_path: Path) -> None:
    book = council_book(tmp_path / "northmoor.xlsx", ROWS, top=9, left=4)
    code, out = run(str(book), "--json")
    assert code == 0, out
    data = json.loads(out)
    got = {t["ref"]: (t["reward"], t["status"], t["parent"], t["row"]) for t in data["targets"]}
    assert got == {
        "1": ("180000", "Amber", None, 10),  # exactly 60% of 40.1 -> 40.2 pays 60%
        "2": ("300000", "Green", None, 11),  # lower is better, over-achieved, capped
        "3a": ("202500", "Amber", "3", 12),  # sub-targets of 3 inferred from 3a/3b
        "3b": ("0", "Red", "3", 13),
    }
    assert data["total_potential"] == "900000" and data["total_reward"] == "682500"
    assert data["targets"][0]["sheet"] == "LPSA monitoring"
    assert "Expected performance @31/03/06 without PSA" in "\n".join(data["notes"])


def test_two_row_merged_header_and_agreement_labels(tmp_path: Path) -> None:
    path = tmp_path / "merged.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Stretch targets"
    ws["B2"], ws["D2"] = "Net budget requirement 2002/03", 12000000  # 2.5% = 300,000
    ws["B3"], ws["D3"] = "Scheme", "LPSA2"
    ws["B6"], ws["C6"], ws["D6"], ws["G6"] = "No.", "Measure", "Performance (31 March 2006)", "RAG"
    ws.merge_cells("D6:F6")
    ws["D7"], ws["E7"], ws["F7"] = (
        "Expected without the Local PSA",
        "Target with the Local PSA",
        "Outturn",
    )
    ws.merge_cells("B6:B7")
    ws.merge_cells("C6:C7")
    rows = [
        ["1", "Recycling %", 30, 40, 36, "Amber"],
        ["2", "Cycling trips", 100, 120, 125, "Green"],
    ]
    for i, row in enumerate(rows, start=8):
        for j, v in enumerate(row, start=2):
            ws.cell(row=i, column=j, value=v)
    wb.save(path)
    done = compute_book(read_return(path))
    assert done.result.agreement.scheme_obj.name == "LPSA2"
    assert done.result.total_potential == Decimal("300000")
    assert [(ln.ref, ln.reward) for ln in done.result.lines] == [
        ("1", Decimal(90000)),
        ("2", Decimal(150000)),
    ]
    book = done.book
    assert book.targets[0].claimed["status"].value == "Amber"
    assert any("merged header cells" in n for n in book.notes)


def test_results_sheet_is_added_to_a_copy_never_the_input(tmp_path: Path) -> None:
    book = council_book(tmp_path / "r.xlsx", ROWS)
    before = book.read_bytes()
    out = tmp_path / "out.xlsx"
    code, text = run(str(book), "-o", str(out))
    assert code == 0, text
    assert book.read_bytes() == before
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[-1] == RESULTS_SHEET
    ws = wb[RESULTS_SHEET]
    header = [c.value for c in ws[3]]
    reward = header.index("Reward £") + 1
    assert [ws.cell(row=r, column=reward).value for r in range(4, 8)] == [180000, 300000, 202500, 0]
    code, text = run(str(book), "-o", str(book))
    assert code != 0 and "--in-place" in text


def test_in_place_keeps_a_backup(tmp_path: Path) -> None:
    book = council_book(tmp_path / "r.xlsx", ROWS)
    before = book.read_bytes()
    code, text = run(str(book), "--in-place")
    assert code == 0, text
    assert (tmp_path / "r.bak.xlsx").read_bytes() == before
    assert RESULTS_SHEET in openpyxl.load_workbook(book).sheetnames


def _problems(tmp_path: Path, rows: list[list[object]], **kw: object) -> str:
    book = council_book(tmp_path / "bad.xlsx", rows, **kw)  # type: ignore[arg-type]
    code, out = run(str(book))
    assert code == 1, out
    assert "Traceback" not in out
    return out


def test_bad_cells_are_all_listed_with_sheet_and_cell(tmp_path: Path) -> None:
    rows = [
        ["1", "Text", "N", "about 40", 40.2, 40.16, 300000],  # text in a numeric cell: F7
        ["2", "Blank", "N", 10, None, 12, 300000],  # blank target: G8
        ["3", "Error", "N", 10, 20, "#N/A", 300000],  # error value: H9
        ["4", "No stretch", "N", 10, 10, 12, 300000],  # target equal to expected: G10
        ["5", "Wrong way", "Y", 100, 110, 90, 300000],  # lower is better but target is higher: G11
    ]
    out = _problems(tmp_path, rows)
    assert "bad.xlsx" in out and "5 problems" in out
    for fragment in (
        "sheet LPSA monitoring, cell F7",
        "about 40",
        "cell G8",
        "blank",
        "cell H9",
        "#N/A",
        "cell G10",
        "cell G11",
    ):
        assert fragment in out, (fragment, out)


def test_percentages_typed_three_ways_mean_the_same(tmp_path: Path) -> None:
    header = ["Ref", "Measure", "Unit", "Expected", "Target", "Actual", "Reward available"]
    rows = [
        ["1", "a", "%", 40, 50, 45, 1000],
        ["2", "b", "%", 0.40, 0.50, 0.45, 1000],
        ["3", "c", "%", "40%", "50%", "45%", 1000],
        ["4", "d", "%", 0.40, 0.50, 0.45, 1000],
    ]
    formats = {f"{c}10": "0%" for c in "FGH"}  # row 4: 0.40 shown as 40%
    book = council_book(tmp_path / "pct.xlsx", rows, header=header, formats=formats)
    done = compute_book(read_return(book))
    lines = {ln.ref: ln for ln in done.result.lines}
    assert {ln.achievement for ln in lines.values()} == {Decimal("0.5")}
    assert (
        lines["3"].expected == 40
        and lines["4"].expected == 40
        and lines["2"].expected == Decimal("0.4")
    )
    mixed = [["1", "a", "%", 0.45, 48, 47, 1000]]
    out = _problems(tmp_path, mixed, header=header)
    assert "mixes fractions and percentages" in out and "cell F7" in out


def test_missing_headers_say_what_is_missing(tmp_path: Path) -> None:
    book = council_book(
        tmp_path / "nohead.xlsx",
        [["1", "x", 1, 2]],
        header=["Ref", "Indicator", "Expected without PSA", "Outturn"],
    )
    code, out = run(str(book))
    assert (
        code == 1 and "no targets table found" in out and "target" in out and "Traceback" not in out
    )


def test_extra_synonyms_file_teaches_a_new_header(tmp_path: Path) -> None:
    header = [
        "Ref",
        "Indicator",
        "Business-as-usual trajectory",
        "Ambition",
        "Result",
        "Reward available",
    ]
    book = council_book(tmp_path / "odd.xlsx", [["1", "x", 10, 20, 16, 1000]], header=header)
    code, out = run(str(book))
    assert code == 1 and "no targets table" in out
    extra = tmp_path / "mine.toml"
    extra.write_text('[fields]\ntarget = ["ambition"]\n', encoding="utf-8")
    code, out = run(str(book), "--headers", str(extra), "--json")
    assert code == 0, out
    assert json.loads(out)["targets"][0]["reward"] == "600"


def test_no_potential_anywhere_is_a_clear_message(tmp_path: Path) -> None:
    header = ["Ref", "Measure", "Expected", "Target", "Actual"]
    book = council_book(tmp_path / "nopot.xlsx", [["1", "x", 10, 20, 16]], header=header)
    code, out = run(str(book))
    assert code == 1 and "no potential reward" in out and "--potential" in out
    code, out = run(str(book), "--potential", "£1,000", "--json")
    assert code == 0 and json.loads(out)["total_reward"] == "600"


def test_example_return_json_matches_the_core(tmp_path: Path) -> None:
    from lpsa_xl import assess
    from lpsa_xl.demo import load_example

    path = Path(__file__).resolve().parents[1] / "workbooks" / "examples" / "northshire_lpsa1.xlsx"
    data = to_json(compute_book(read_return(path)))
    core = assess(load_example("northshire_lpsa1.json"))
    assert [t["reward"] for t in data["targets"]] == [str(ln.reward) for ln in core.lines]
    assert data["total_reward"] == str(core.total_reward)
    assert [p["paid"] for p in data["payments"]] == [str(p.paid) for p in core.payments]


@pytest.mark.parametrize(
    "content, message",
    [
        (b"not a workbook at all", "not an Excel workbook"),
        (b"PK\x03\x04 broken zip", "corrupt"),
    ],
)
def test_unreadable_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(content)
    code, out = run(str(path))
    assert code == 1 and message in out and "broken.xlsx" in out and "Traceback" not in out


def test_a_formula_never_calculated_is_explained(tmp_path: Path) -> None:
    rows = [["1", "a", "N", 10, 20, "=10+6", 1000]]
    out = _problems(tmp_path, rows)
    assert "cell H7" in out and "never calculated" in out and "lpsa-xl recalc" in out


def test_blank_actual_gives_a_partial_total_and_says_so(tmp_path: Path) -> None:
    rows = [["1", "a", "N", 10, 20, 16, 1000], ["2", "b", "N", 10, 20, None, 1000]]
    book = council_book(tmp_path / "partial.xlsx", rows)
    code, out = run(str(book), "--json")
    assert code == 0, out
    data = json.loads(out)
    assert data["targets"][1]["reward"] is None and data["total_reward"] == "600"
    assert any("no actual yet for 2" in n for n in data["notes"])
    assert any("LPSA1 assumed" in n for n in data["notes"])


def test_template_without_its_agreement_sheet(tmp_path: Path) -> None:
    src = Path(__file__).resolve().parents[1] / "workbooks" / "examples" / "westbury_lpsa2.xlsx"
    wb = openpyxl.load_workbook(src)
    del wb["Agreement"]
    path = tmp_path / "noagreement.xlsx"
    wb.save(path)
    code, out = run(str(path))
    assert code == 1 and "'Agreement' sheet is missing" in out and "Traceback" not in out


def test_template_with_bad_inputs_names_the_table_cells(tmp_path: Path) -> None:
    src = Path(__file__).resolve().parents[1] / "workbooks" / "examples" / "westbury_lpsa2.xlsx"
    wb = openpyxl.load_workbook(src)
    ws = wb["Targets"]
    ws["J5"] = 62  # target equal to expected
    ws["N5"] = "45%"  # a weight on a target without sub-targets is still a weight: 0.45 is fine
    ws["M6"] = "n/a"
    path = tmp_path / "bad_template.xlsx"
    wb.save(path)
    code, out = run(str(path))
    assert code == 1 and "2 problems" in out
    assert "sheet Targets, cell J5" in out and "no stretch" in out
    assert "sheet Targets, cell M6" in out and "'n/a'" in out


def test_target_column_of_refs_beside_the_psa_headers(tmp_path: Path) -> None:
    header = [
        "Target",
        "Indicator",
        "Baseline (2003/04)",
        "Performance expected without the Local PSA",
        "Performance target with the Local PSA",
        "Latest result",
        "% of stretch achieved",
        "Reward (£)",
        "RAG",
    ]
    rows = [
        ["1", "Adults in learning", 500, 520, 600, 580, 0.75, 67500, "Amber"],
        ["2(a)", "Burglary, urban", 1000, 950, 850, 840, 1.1, 81000, "Green"],
        ["2(b)", "Burglary, rural", 300, 290, 260, 280, 0.33, 0, "Red"],
    ]
    title = {"Net budget requirement 2002/03 (£)": 14400000, "Scheme": "LPSA2"}  # 2.5% = 360,000
    book = council_book(tmp_path / "psa.xlsx", rows, header=header, title_rows=title)
    done = compute_book(read_return(book))
    got = [(ln.ref, ln.parent, ln.potential, ln.reward) for ln in done.result.lines]
    assert got == [("1", "", 180000, 135000), ("2(a)", "2", 90000, 90000), ("2(b)", "2", 90000, 0)]
    row = done.rows["1"]
    assert row.claimed["achievement"].value == 0.75 and row.claimed["status"].value == "Amber"


def test_descriptions_under_target_and_no_reference_column(tmp_path: Path) -> None:
    header = ["Target", "Expected", "Stretch target", "Outturn", "Reward available"]
    rows = [
        ["Cut domestic burglary by 10% by March 2006", 4200, 3800, 3700, 1000],
        ["Raise recycling to 40 per cent", 30, 40, 36, 1000],
    ]
    book = council_book(tmp_path / "desc.xlsx", rows, header=header)
    done = compute_book(read_return(book))
    assert [(ln.ref, ln.measure, ln.reward) for ln in done.result.lines] == [
        ("row 7", "Cut domestic burglary by 10% by March 2006", 1000),
        ("row 8", "Raise recycling to 40 per cent", 600),
    ]
    assert any("no reference column" in n for n in done.book.notes)


def test_an_output_folder_that_does_not_exist(tmp_path: Path) -> None:
    book = council_book(tmp_path / "r.xlsx", ROWS)
    code, out = run(str(book), "-o", str(tmp_path / "missing" / "out.xlsx"))
    assert code == 1 and "cannot write" in out and "missing/out.xlsx" in out
    assert not (tmp_path / "missing").exists()


def test_uk_dates_in_agreement_labels_and_one_message_per_uncalculated_cell(tmp_path: Path) -> None:
    title = {"Agreement end": "31/03/2006", "Potential reward": 1000}
    rows = [["1", "a", "N", "=5+5", 20, 16, None]]
    book = council_book(tmp_path / "d.xlsx", rows, title_rows=title)
    out = _problems(tmp_path, rows, title_rows=title)
    assert out.count("cell F7") == 1 and "never calculated" in out
    good = council_book(tmp_path / "g.xlsx", [["1", "a", "N", 10, 20, 16, None]], title_rows=title)
    done = compute_book(read_return(good))
    assert [p.year for p in done.result.payments] == ["2006/07", "2007/08"]
    assert book.exists()


def test_pump_priming_spend_is_summed_against_the_grant() -> None:
    from lpsa_xl.returns.templates import example_data

    path = Path(__file__).resolve().parents[1] / "workbooks" / "examples" / "westbury_lpsa2.xlsx"
    data = to_json(compute_book(read_return(path)))
    lines = example_data("westbury_lpsa2.json")["pump_priming_lines"]
    spent = sum(line["spend"] for line in lines)
    assert data["pump_priming"] == {
        "grant": "875000",
        "spent": str(spent),
        "remaining": str(875000 - spent),
        "overspent": False,
    }
