"""A corpus of council-style LPSA returns, built at test time, each with the answer a person
works out by hand: the total reward (and any cell that must carry a warning), or the cell at
which the return must be refused because nothing in it says what was meant.

Where the layout ideas come from (councils' published LPSA papers):

* the agreements' Schedule 1 tables, one row per target with "performance expected without
  the Local PSA" and "performance target with the Local PSA" (Herefordshire Council's Local
  PSA 2005-2008, Appendix A; the Government's LPSA2 model agreement "Building on Success");
* committee performance reports with one row per stretch target, a RAG status, notes and the
  reward available per target (Bath and North East Somerset's PSA performance report to the
  Executive, February 2004: 12 targets, the reward divided equally);
* cabinet reports laying targets out as columns with labels down the side, and outturn sent
  on a separate sheet or annex (Salford's LPSA-2 report to the Leader, October 2005: 13
  targets, annexes for targets and pump priming);
* year-by-year monitoring tables and sub-targets under a parent target (York's updates on
  its first and second LPSAs to the Executive, 2006-2007: 16 sub-targets, "up to 60% of the
  available grant").

The figures are invented. Each case's answer follows docs/rules.md: achievement is (actual -
expected) / (target - expected), nothing below 60%, capped at 100%, reward = achievement x
reward available, rounded to the pound.

``python tests/council_corpus.py`` prints the corpus table for tests/README.md (read right,
refused with a reason, silently wrong) from the real reader, compute and check.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook

Rows = Sequence[Sequence[object]]

TITLE = "Fictional Clean Borough \u2013 Local PSA final outturn"
HEAD = ("Ref", "Measure", "Performance expected without the Local PSA",
        "Performance target with the Local PSA", "Outturn",
        "Reward available (\u00a3)")  # fmt: skip
#: Two targets most cases use: 1 at 60% of £100,000, 2 beaten (lower is better), capped.
TWO = (("1", "Household waste recycled (%)", 30, 40, 36, 100000),
       ("2", "Domestic burglaries", 4200, 3800, 3700, 100000))  # fmt: skip


@dataclass(frozen=True)
class Sheet:
    """One worksheet: its rows from ``top`` (None for a blank cell), and its dressing."""

    name: str
    rows: Rows
    top: int = 1
    formats: dict[str, str] = field(default_factory=dict)
    merges: Sequence[str] = ()
    hidden_rows: Sequence[int] = ()


@dataclass(frozen=True)
class Case:
    """A council-style return and the answer worked out by hand: ``reward`` the total reward
    (None: the return must be refused at ``refuse_at``), ``warn_at`` cells that must carry a
    warning, ``scheme``/``authority`` where the return names them."""

    name: str
    idea: str
    sheets: Sequence[Sheet]
    reward: str | None
    refuse_at: tuple[str, str] | None = None
    warn_at: Sequence[tuple[str, str]] = ()
    scheme: str | None = None
    authority: str | None = None
    properties: dict[str, str] = field(default_factory=dict)

    def build(self, folder: Path) -> Path:
        wb = Workbook()
        wb.remove(wb.active)
        for spec in self.sheets:
            ws = wb.create_sheet(spec.name)
            for i, values in enumerate(spec.rows):
                for j, value in enumerate(values):
                    if value is not None:
                        ws.cell(row=spec.top + i, column=1 + j, value=value)
            for coord, fmt in spec.formats.items():
                ws[coord].number_format = fmt
            for span in spec.merges:
                ws.merge_cells(span)
            for r in spec.hidden_rows:
                ws.row_dimensions[r].hidden = True
        for name, value in self.properties.items():
            setattr(wb.properties, name, value)
        path = folder / f"{self.name}.xlsx"
        wb.save(path)
        return path


def _rows(*targets: Sequence[object], head: Sequence[str] = HEAD, title: str | None = TITLE,
          **kw: Any) -> Sheet:  # fmt: skip
    """The plain layout: a title in A1, the header in row 3, one row per target below."""
    top: list[Sequence[object]] = [[title] if title else [], []]
    return Sheet(kw.pop("name", "Targets"), [*top, list(head), *targets], **kw)


def _columns(labels: Sequence[str], targets: Rows, title: str = TITLE, extra: Rows = ()) -> Sheet:
    """Targets as columns: ``labels`` down column A from row 3, one target per column."""
    rows: list[list[object]] = [[title], []]
    for i, label in enumerate(labels):
        rows.append([label, *(t[i] for t in targets)])
    rows += [list(r) for r in extra]
    return Sheet("LPSA summary", rows)


def _cases() -> list[Case]:
    t1, t2 = TWO
    c: list[Case] = []
    add = c.append
    add(Case("01_rows_plain", "Schedule 1 table", [_rows(t1, t2)], "160000",
             authority="Fictional Clean Borough"))  # fmt: skip
    add(Case("02_fractions_percent_text", "rates as fractions, outturn typed \"49%\"",
             [_rows(("1", "Recycling rate", 0.40, 0.55, "49%", 29816))], "17890"))  # fmt: skip
    add(Case("03_percent_formatted", "rates as %-formatted fractions",
             [_rows(("1", "Recycling rate", 0.40, 0.55, 0.49, 29816),
                    formats={"C4": "0%", "D4": "0%", "E4": "0.0%"})], "17890"))  # fmt: skip
    add(Case("04_points_percent_text_money_text", "points beside \"49 %\", reward \"£29,816\"",
             [_rows(("1", "Recycling rate", 40, 55, "49 %", "\u00a329,816"))],
             "17890"))  # fmt: skip
    add(Case("05_thousands_as_text", "counts typed with thousands separators",
             [_rows(("1", "Burglaries", "4,200", "3,800", "3,920", "\u00a3100,000"))],
             "70000"))  # fmt: skip
    add(Case("06_pound_formatted_money", "reward cells in a £ number format",
             [_rows(t1, t2, formats={"F4": '"\u00a3"#,##0', "F5": '"\u00a3"#,##0'})],
             "160000"))  # fmt: skip
    add(Case("07_negative_in_brackets", "a net cost typed \"(1,400)\"",
             [_rows(("1", "Net cost per client (\u00a3)", -1000, -1500, "(1,400)", 50000))],
             "40000"))  # fmt: skip
    labels = ["Target ref", "Measure", "Expected without the Local PSA", "Stretch target",
              "Outturn 2005/06", "Reward available (\u00a3)"]  # fmt: skip
    add(Case("08_columns", "cabinet summary, targets as columns",
             [_columns(labels, TWO, "Fictional Clean Borough \u2013 LPSA2 stretch targets")],
             "160000", scheme="LPSA2"))  # fmt: skip
    add(Case("09_columns_with_rag_and_notes", "columns with RAG and commentary rows",
             [_columns([*labels, "RAG status", "Commentary"],
                       [(*t1, "Amber", "On track after a slow start"),
                        (*t2, "Green", "Beaten in both years")])], "160000"))  # fmt: skip
    agreed = Sheet("Agreed targets", [["Fictional Clean Borough \u2013 targets as agreed"], [],
        ["Target ref", "Indicator", "Expected without PSA", "Stretch target",
         "Reward available (\u00a3)"], [*t1[:4], t1[5]], [*t2[:4], t2[5]]])  # fmt: skip
    outturn = Sheet(
        "Outturn 2005-06",
        [
            ["Outturn reported to Cabinet"],
            [],
            ["Target ref", "Final outturn"],
            ["2", 3700],
            ["1", 36],
        ],
    )
    add(Case("10_split_agreed_first", "outturn on its own sheet, joined by ref",
             [agreed, outturn], "160000"))  # fmt: skip
    add(Case("11_split_outturn_first", "outturn sheet first, refs in another order",
             [outturn, agreed], "160000"))  # fmt: skip
    partial = Sheet("Outturn 2005-06", [["Target ref", "Final outturn"], ["1", 36]])
    add(Case("12_split_missing_ref", "an outturn sheet lacking one target",
             [agreed, partial], "60000", warn_at=[("Agreed targets", "A5")]))  # fmt: skip
    head4 = list(HEAD[:4])
    add(Case("13_two_tables_one_sheet", "committee report: a table per theme",
             [Sheet("Monitoring", [[TITLE], ["Children and young people"],
                                   [*head4, "Outturn", "Reward available"], t1, [],
                                   ["Safer communities"],
                                   [*head4, "Outturn", "Reward available"], t2])],
             "160000"))  # fmt: skip
    add(Case("14_totals_and_subtotals", "subtotal and total rows in the table",
             [_rows(t1, ("Subtotal", None, None, None, None, 100000), t2,
                    ("Total", None, None, None, None, 200000))], "160000"))  # fmt: skip
    add(Case("15_notes_and_rag_columns", "RAG and notes columns beside the figures",
             [_rows((*t1, "Amber", "Provisional: audited figure due in June"),
                    (*t2, "Green", "Police recorded crime, year to March"),
                    head=[*HEAD, "RAG", "Notes"])], "160000"))  # fmt: skip
    add(Case("16_two_row_merged_header", "a merged \"Performance\" header over three",
             [Sheet("Targets", [[TITLE], [],
                                ["Ref", "Measure", "Performance", None, None, "Reward"],
                                [None, None, "Expected without the Local PSA",
                                 "Target with the Local PSA", "Actual", "available (\u00a3)"],
                                t1, t2],
                    merges=["C3:E3", "A3:A4", "B3:B4"])], "160000"))  # fmt: skip
    add(Case("17_title_names_lpsa2", "title row naming the authority and LPSA2",
             [_rows(t1, title="Fictional Clean Borough \u2013 LPSA2 final outturn")], "60000",
             scheme="LPSA2", authority="Fictional Clean Borough"))  # fmt: skip
    add(Case("18_document_properties", "authority only in the document properties",
             [_rows(t1, title="Stretch targets")], "60000",
             properties={"title": "Fictional Clean Borough Council LPSA2 claim"},
             scheme="LPSA2", authority="Fictional Clean Borough Council"))  # fmt: skip
    add(Case("19_labelled_cells", "Authority: and Scheme: labels above the table",
             [Sheet("Claim", [["Authority", "Fictional Clean Borough"], ["Scheme", "LPSA2"], [],
                              list(HEAD), t1, t2])], "160000", scheme="LPSA2",
             authority="Fictional Clean Borough"))  # fmt: skip
    add(Case("20_year_by_year", "monitoring by year, the latest year filled taken",
             [Sheet("Monitoring", [[TITLE], [], [*head4, "2003/04", "2004/05", "2005/06",
                                                 "Reward available"],
                                   ["1", "Recycling %", 30, 40, 31, 33, 36, 100000],
                                   ["2", "Burglaries", 4200, 3800, 4100, 3700, None, 100000]])],
             "160000"))  # fmt: skip
    add(Case("21_sub_targets", "sub-targets lettered under their parent",
             [_rows(t1, ("2", "Smoking quitters", None, None, None, 100000),
                    ("a", "Deprived wards", 900, 1100, 1100, None),
                    ("b", "Pregnant women", 40, 60, 45, None))], "110000"))  # fmt: skip
    add(Case("22_blank_rows", "blank spacer rows between targets",
             [_rows(t1, (), (), t2)], "160000"))  # fmt: skip
    add(Case("23_hidden_row", "a hidden row still holds a target (Excel's SUM counts it)",
             [_rows(t1, t2, ("3", "Fly-tipping cleared (days)", 10, 5, 7, 50000),
                    hidden_rows=[6])], "190000"))  # fmt: skip
    add(Case("24_dates_column", "a column of reporting dates beside the figures",
             [_rows((*t1, dt.date(2006, 3, 31)), (*t2, dt.date(2006, 3, 31)),
                    head=[*HEAD, "Date reported"])], "160000"))  # fmt: skip
    add(Case("25_na_outturn", "an outturn typed n/a: refused at the cell",
             [_rows(t1, ("2", "Burglaries", 4200, 3800, "n/a", 100000))], None,
             refuse_at=("Targets", "E5")))  # fmt: skip
    add(Case("26_date_as_outturn", "a date typed where the outturn goes",
             [_rows(("1", "Recycling %", 30, 40, dt.date(2006, 3, 31), 100000))], None,
             refuse_at=("Targets", "E4")))  # fmt: skip
    add(Case("27_undecidable_scale", "0.3 beside 30 and \"32%\": no scale decides",
             [_rows(("1", "Rate", 0.3, 30, "32%", 29816))], None,
             refuse_at=("Targets", "E4")))  # fmt: skip
    add(Case("28_typing_slip", "4,900 typed for 49: paid capped, questioned at the cell",
             [_rows(("1", "Recycling %", 40, 55, 4900, 29816))], "29816",
             warn_at=[("Targets", "E4")]))  # fmt: skip
    add(Case("29_cover_sheet_first", "an instructions sheet before the targets",
             [Sheet("Instructions", [["Complete the yellow cells."], ["Return by 30 June."]]),
              _rows(t1, t2)], "160000"))  # fmt: skip
    add(Case("30_claimed_column", "reward claimed beside reward available",
             [_rows((*t1, 60000), (*t2, 100000), head=[*HEAD, "Reward claimed (\u00a3)"])],
             "160000"))  # fmt: skip
    add(Case("31_unknown_headers", "headers nothing matches: refused, remedy printed",
             [_rows(t1, head=["Ref", "Measure", "Business plan figure", "Stretch target",
                               "Outturn", "Reward available"])], None,
             refuse_at=("Targets", "")))  # fmt: skip
    add(Case("32_merged_title_over_table", "a title merged across the table's width",
             [_rows(t1, t2, merges=["A1:F1"])], "160000"))  # fmt: skip
    return c


CASES: tuple[Case, ...] = tuple(_cases())


# --- judging what the reader made of a case ------------------------------------------------


@dataclass
class Outcome:
    """What compute and check made of a case: ``kind`` is "right", "refused" (at the cell the
    case names) or "wrong" (a figure or a refusal other than the known answer, or compute and
    check disagreeing), and ``detail`` says why."""

    kind: str
    detail: str


def _cells(findings: list[dict[str, Any]], severity: str) -> set[tuple[str, str]]:
    return {(f["sheet"] or "", f["cell"] or "") for f in findings if f["severity"] == severity}


def judge(case: Case, path: Path) -> Outcome:
    """Run ``path`` through compute (the reader and the rules) and check, and judge the result
    against the case's known answer."""
    from lpsa_xl.check.run import check_file
    from lpsa_xl.check.wiring import READER
    from lpsa_xl.files.errors import WorkbookError
    from lpsa_xl.returns.compute import compute_book
    from lpsa_xl.returns.read import read_return
    from lpsa_xl.returns.results import to_json

    checked = check_file(path, READER).as_json()
    errors = _cells(checked["findings"], "error")
    try:
        done = compute_book(read_return(path))
    except WorkbookError as exc:
        named = {(p.sheet or "", p.cell or "") for p in getattr(exc, "problems", [exc])}
        if case.reward is not None:
            return Outcome("wrong", f"refused, known answer {case.reward}: {exc}")
        if checked["total_reward"] is not None or not errors:
            return Outcome("wrong", f"compute refuses, check pays {checked['total_reward']}")
        want = case.refuse_at or ("", "")
        at = {n for n in named if n[0] == want[0] and (not want[1] or n[1] == want[1])}
        if not at:
            return Outcome("wrong", f"refused at {sorted(named)}, not at {want}")
        first = getattr(exc, "problems", [exc])[0]
        reason = str(getattr(first, "reason", first)).splitlines()[0]
        return Outcome("refused", f"{first.sheet}!{first.cell}: {reason}")
    got = str(done.result.total_reward)
    if case.reward is None:
        return Outcome("wrong", f"paid {got}; must be refused at {case.refuse_at}")
    if got != case.reward:
        return Outcome("wrong", f"total reward {got}, known answer {case.reward}")
    if (checked["total_potential"], checked["total_reward"]) != (
        str(done.result.total_potential),
        got,
    ):
        return Outcome("wrong", f"check's totals {checked['total_reward']} differ from {got}")
    warned = {(w.sheet or "", w.cell or "") for w in done.warnings}
    for cell in case.warn_at:
        if cell not in warned or cell not in _cells(checked["findings"], "warning"):
            return Outcome("wrong", f"no warning at {cell[0]}!{cell[1]}")
    scheme = to_json(done)["scheme"]
    if case.scheme and scheme != case.scheme:
        return Outcome("wrong", f"scheme {scheme}, not {case.scheme}")
    if case.authority and checked["authority"] != case.authority:
        return Outcome("wrong", f"authority {checked['authority']!r}, not {case.authority!r}")
    return Outcome("right", f"total reward \u00a3{int(got):,}")


def run_corpus(folder: Path, cases: Sequence[Case] = CASES) -> list[tuple[Case, Outcome]]:
    """Build every case in ``folder`` and judge it."""
    folder.mkdir(parents=True, exist_ok=True)
    return [(case, judge(case, case.build(folder))) for case in cases]


def table(results: Sequence[tuple[Case, Outcome]]) -> str:
    """The corpus table (markdown): the counts, then one line per case."""
    count: Callable[[str], int] = lambda kind: sum(o.kind == kind for _c, o in results)  # noqa: E731
    lines = [
        "| read right | refused with a reason | silently wrong | workbooks |",
        "| --- | --- | --- | --- |",
        f"| {count('right')} | {count('refused')} | {count('wrong')} | {len(results)} |",
        "",
        "| workbook | layout | outcome |",
        "| --- | --- | --- |",
    ]
    for case, outcome in results:
        detail = outcome.detail.replace("|", "\\|")
        lines.append(f"| {case.name} | {case.idea} | {outcome.kind}: {detail} |")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover - the README table's source
    import tempfile

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

    with tempfile.TemporaryDirectory() as tmp:
        print(table(run_corpus(Path(tmp))))
    sys.exit(0)
