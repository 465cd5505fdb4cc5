"""Council layouts beyond one plain row per target: year-by-year outturns, several tables on a
sheet, subtotals and notes, sub-targets under a parent, the authority and scheme from the
document properties; and what is said when a layout cannot be read."""

from __future__ import annotations

from pathlib import Path

from _council_layouts import rows_book, sheet_book
from test_council_reading import check, compute, messages, run

HEAD = ["Ref", "Measure", "Expected without the Local PSA", "Stretch target"]


def test_year_by_year_outturn_takes_the_latest_year_filled(tmp_path: Path) -> None:
    path = sheet_book(
        tmp_path / "years.xlsx",
        [
            ["Fictional Clean Borough Council \u2013 LPSA2 monitoring"],
            [],
            [*HEAD, "Outturn 2003/04", "Outturn 2004/05", "Outturn 2005/06", "Reward available"],
            ["1", "Recycling %", 30, 40, 31, 33, 36, 100000],  # 2005/06: 60%
            ["2", "Burglaries", 4200, 3800, 4100, 3700, None, 100000],  # 2004/05 only: 100%
        ],
    )
    code, data = compute(path)
    assert code == 0, data
    assert [(t["actual"], t["reward"]) for t in data["targets"]] == [
        ("36", "60000"),
        ("3700", "100000"),
    ]
    notes = "\n".join(data["notes"])
    assert "2005/06" in notes and "2004/05 for 2" in notes, notes
    assert check(path)["total_reward"] == "160000"


def test_two_tables_on_one_sheet_subtotals_and_notes(tmp_path: Path) -> None:
    path = sheet_book(
        tmp_path / "blocks.xlsx",
        [
            ["Fictional Clean Borough Council \u2013 LPSA2 final outturn"],
            ["Children and young people"],
            [*HEAD, "Outturn", "Reward available"],
            ["1", "Recycling %", 30, 40, 36, 100000],
            ["Subtotal", None, None, None, None, 100000],
            [],
            ["Safer communities"],
            [*HEAD, "Outturn", "Reward available"],
            ["2", "Burglaries", 4200, 3800, 3700, 100000],
            ["Total", None, None, None, None, 200000],
            ["Note: outturn figures are provisional"],
        ],
    )
    code, data = compute(path)
    assert code == 0, data
    assert [t["ref"] for t in data["targets"]] == ["1", "2"]
    assert data["total_reward"] == "160000"
    assert check(path)["total_reward"] == "160000"


def test_sub_targets_lettered_under_their_parent_row(tmp_path: Path) -> None:
    path = sheet_book(
        tmp_path / "subs.xlsx",
        [
            ["Fictional Clean Borough Council \u2013 LPSA2"],
            [],
            [*HEAD, "Outturn", "Reward available"],
            ["1", "Recycling %", 30, 40, 36, 100000],
            ["2", "Smoking quitters", None, None, None, 100000],
            ["a", "Deprived wards", 900, 1100, 1100, None],
            ["b", "Pregnant women", 40, 60, 45, None],
        ],
    )
    code, data = compute(path)
    assert code == 0, data
    got = [(t["ref"], t["parent"], t["reward"]) for t in data["targets"]]
    # 2a met in full (£50,000 of 2's £100,000), 2b at 25% pays nothing
    assert got == [("1", None, "60000"), ("2a", "2", "50000"), ("2b", "2", "0")], got


def test_authority_and_scheme_from_the_document_properties(tmp_path: Path) -> None:
    path = sheet_book(
        tmp_path / "props.xlsx",
        [
            ["Targets"],
            [],
            [*HEAD, "Outturn", "Reward available"],
            ["1", "Recycling %", 30, 40, 36, 100000],
        ],
        title="Fictional Clean Borough Council LPSA2 claim",
    )
    file = check(path)
    assert file["authority"] == "Fictional Clean Borough Council" or (
        "Fictional Clean Borough Council" in file["authority"]
    )
    found = messages(file)
    assert any("document" in m and "authority" in m for m in found), found
    _code, data = compute(path)
    assert data["scheme"] == "LPSA2"


def test_no_outturn_anywhere_is_named_not_a_silent_zero(tmp_path: Path) -> None:
    path = rows_book(
        tmp_path / "no_outturn.xlsx",
        [["1", "Recycling %", 30, 40, 100000]],
        header=["Ref", "Measure", "Expected without PSA", "Stretch target", "Reward available"],
    )
    found = messages(check(path))
    assert any("no outturn found" in m for m in found), found
    _code, data = compute(path)
    assert any("no outturn found" in w for w in data["warnings"]), data


def test_a_layout_not_read_says_what_was_found_and_prints_a_headers_entry(
    tmp_path: Path,
) -> None:
    path = rows_book(
        tmp_path / "unknown.xlsx",
        [["1", "Recycling %", 30, 40, 36, 100000]],
        header=[
            "Ref",
            "Measure",
            "Business plan figure",
            "Stretch target",
            "Outturn",
            "Reward available",
        ],
    )
    code, out = run("compute", str(path), "--json")
    assert code != 0
    assert "Targets" in out and "row 4" in out, out
    assert "matched" in out and "'Stretch target'" in out, out
    assert "[fields]" in out and 'expected = ["Business plan figure"]' in out, out
    extra = tmp_path / "mine.toml"
    extra.write_text('[fields]\nexpected = ["Business plan figure"]\n', encoding="utf-8")
    code, data = run("compute", str(path), "--json", "--headers", str(extra))
    assert code == 0 and data["total_reward"] is not None, data


def test_headers_file_with_an_unknown_field_or_bad_encoding_is_refused(tmp_path: Path) -> None:
    path = rows_book(tmp_path / "r.xlsx", [["1", "Recycling %", 30, 40, 36, 100000]])
    bad = tmp_path / "bad.toml"
    bad.write_text('[fields]\nexpectd = ["Business plan figure"]\n', encoding="utf-8")
    for command in ("compute", "check"):
        code, out = run(command, str(path), "--headers", str(bad))
        assert code != 0 and "expectd" in out and "Traceback" not in out, out
    latin = tmp_path / "latin.toml"
    latin.write_bytes('[fields]\nexpected = ["Pr\u00e9vu"]\n'.encode("latin-1"))
    code, out = run("compute", str(path), "--headers", str(latin))
    assert code != 0 and "UTF-8" in out and len(out.strip().splitlines()) == 1, out
