"""The checker's book rules, each on a ReturnBook built directly: the right
rule at the right cell, and no finding on a correct return."""

from __future__ import annotations

import copy

from lpsa_xl.check.checks import check_book
from lpsa_xl.check.registry import RULES
from tests.check_fixture import GOOD_AGREEMENT, GOOD_CLAIM, GOOD_PUMP, GOOD_ROWS, make_book


def run(agreement=None, rows=None, pump=None, claim=None):
    book = make_book(
        GOOD_AGREEMENT if agreement is None else agreement,
        GOOD_ROWS if rows is None else rows,
        GOOD_PUMP if pump is None else pump,
        GOOD_CLAIM if claim is None else claim,
    )
    return check_book(book)


def found(
    agreement=None, rows=None, pump=None, claim=None
) -> set[tuple[str, str | None, str | None]]:
    _, findings, _ = run(agreement, rows, pump, claim)
    return {(f.rule, f.sheet, f.cell) for f in findings}


def rows_with(ref: str, **changes) -> list[dict]:
    rows = copy.deepcopy(GOOD_ROWS)
    row = next(r for r in rows if r["ref"] == ref)
    for name, value in changes.items():
        if value is None:
            row.pop(name, None)
        else:
            row[name] = value
    return rows


def test_a_correct_return_has_no_finding() -> None:
    authority, findings, summary = run()
    assert authority == "Northshire County Council"
    assert findings == []
    assert summary.potential == 3_575_000 and summary.reward == 2_234_375
    assert summary.claimed_reward == 2_234_375 and summary.difference == 0
    health = summary.themes["Health"]
    assert (health.lines, health.green, health.amber, health.red) == (3, 1, 1, 1)


def test_every_rule_has_an_id_severity_and_text() -> None:
    assert all(r.id.startswith("LPSA") and r.severity in ("error", "warning", "info") and r.checks
               for r in RULES.values())  # fmt: skip


def test_required_fields() -> None:
    agreement = {k: v for k, v in GOOD_AGREEMENT.items() if k != "authority"}
    assert found(agreement=agreement) == {("LPSA001", None, None)}
    assert found(rows=rows_with("2", expected=None)) == {("LPSA001", "Targets", "F3")}
    no_potential = {k: v for k, v in GOOD_AGREEMENT.items() if k not in ("nbr", "stated_potential")}
    assert ("LPSA001", None, None) in found(agreement=no_potential)


def test_non_numeric_input_names_the_cell() -> None:
    _, findings, _ = run(rows=rows_with("3", actual="sixty-five"))
    [f] = findings
    assert (f.rule, f.sheet, f.cell) == ("LPSA002", "Targets", "H4")
    assert "target 3" in f.message and "sixty-five" in f.message
    _, findings, _ = run(rows=rows_with("1", expected="#DIV/0!"))
    assert [(f.rule, f.cell) for f in findings] == [("LPSA002", "F2")]
    assert "#DIV/0!" in findings[0].message


def test_non_numeric_claim_amount() -> None:
    claim = [{**GOOD_CLAIM[0], "capital": "half"}]
    _, findings, _ = run(claim=claim)
    assert [(f.rule, f.sheet, f.cell) for f in findings] == [("LPSA002", "Claim", "D2")]
    assert findings[0].message.startswith("claim 2006/07: capital amount must be a number")


def test_claimed_payment_against_the_schedule() -> None:
    # £2,234,375 in two instalments of £1,117,187.50, half capital and half revenue
    # (docs/rules.md#capital-and-revenue)
    wrong = [{**GOOD_CLAIM[0], "capital": 600_000, "revenue": 517_187.5}]
    assert found(claim=wrong) == {("LPSA020", "Claim", "D2"), ("LPSA020", "Claim", "E2")}
    assert found(claim=[{**GOOD_CLAIM[0], "year": "2005/06"}]) == set()  # no payment that year
    partial = rows_with("1", actual=None, achievement=None, payable=None, reward=None, status=None)
    claimed = {**GOOD_AGREEMENT, "total_reward": 2_234_375 - 715_000}
    assert found(rows=partial, agreement=claimed, claim=wrong) == {("LPSA015", "Targets", "H2")}


def test_direction_and_zero_stretch() -> None:
    assert found(rows=rows_with("1", target=1100)) == {("LPSA003", "Targets", "G2")}
    assert found(rows=rows_with("3", target=50)) == {("LPSA004", "Targets", "G4")}


def test_weights_not_summing_to_one() -> None:
    assert found(rows=rows_with("4b", weight=0.2)) == {("LPSA005", "Targets", "I6")}


def test_stated_potential_against_nbr() -> None:
    rounded = {**GOOD_AGREEMENT, "nbr": 142_993_000}  # 2.5% is £3,574,825: £3,575,000 is it rounded
    assert found(agreement=rounded) == set()
    wrong = {**GOOD_AGREEMENT, "nbr": 140_000_000}
    assert found(agreement=wrong) == {("LPSA006", "Agreement", "B5")}


def test_claimed_reward_percent_status_and_others() -> None:
    assert found(rows=rows_with("2", reward=536_000)) == {("LPSA007", "Targets", "N3")}
    assert found(rows=rows_with("2", reward=536_250.4)) == set()  # to the penny, within rounding
    assert found(rows=rows_with("1", achievement="75%")) == {("LPSA008", "Targets", "L2")}
    assert found(rows=rows_with("1", achievement=80)) == set()  # typed as a percentage
    assert found(rows=rows_with("1", status="Green")) == {("LPSA009", "Targets", "O2")}
    assert found(rows=rows_with("1", trigger=950)) == {("LPSA010", "Targets", "P2")}
    assert found(rows=rows_with("1", stretch=100)) == set()  # stretch stated as a size
    totals = {**GOOD_AGREEMENT, "total_reward": 2_300_000}
    assert found(agreement=totals) == {("LPSA010", "Agreement", "B10")}


def test_claimed_reward_of_a_split_target_is_the_sum_of_its_sub_targets() -> None:
    assert found(rows=rows_with("4", reward=89_375)) == set()
    assert found(rows=rows_with("4", reward=98_375)) == {("LPSA007", "Targets", "N5")}


def test_claimed_error_value_is_a_finding() -> None:
    _, findings, _ = run(rows=rows_with("1", reward="#VALUE!"))
    [f] = findings
    assert (f.rule, f.cell) == ("LPSA007", "N2") and "£715,000" in f.message
    # without an actual the return's own formula cannot compute either: no second finding
    no_actual = rows_with("1", actual=None, reward="#N/A", status=None, achievement=None)
    claimed = {**GOOD_AGREEMENT, "total_reward": 2_234_375 - 715_000}
    assert found(rows=no_actual, agreement=claimed) == {("LPSA015", "Targets", "H2")}


def test_reward_above_potential() -> None:
    _, findings, _ = run(rows=rows_with("3", reward=900_000))
    [f] = findings
    assert (f.rule, f.cell) == ("LPSA011", "N4") and "£893,750" in f.message


def test_more_than_35_designated_targets_in_laa2008() -> None:
    rows = [{"ref": f"NI{i}", "direction": "higher", "expected": 10, "target": 12, "actual": 11}
            for i in range(1, 38)]  # fmt: skip
    agreement = {"authority": "Eastborough", "scheme": "LAA2008"}
    assert found(agreement=agreement, rows=rows, pump=[], claim=[]) == {
        ("LPSA012", "Targets", "A37")
    }  # the 36th target, on row 37
    assert found(agreement=agreement, rows=rows[:35], pump=[], claim=[]) == set()


def test_duplicate_references_keep_the_other_rewards_right() -> None:
    rows = copy.deepcopy(GOOD_ROWS)
    rows[2]["ref"] = "2"  # target 3 now reuses ref 2: the split over four targets stands
    assert found(rows=rows) == {("LPSA013", "Targets", "A4")}


def test_pump_priming_over_budget() -> None:
    pump = [{"ref": "1", "year": "2003/04", "budget": 100_000, "spend": 120_000}]
    assert found(pump=pump) == {("LPSA014", "Pump priming", "D2")}
    over_grant = [{"ref": "1", "year": "2003/04", "budget": 900_000, "spend": 900_000},
                  {"ref": "2", "year": "2004/05", "budget": 200_000, "spend": 200_000}]  # fmt: skip
    assert found(pump=over_grant) == {("LPSA014", "Agreement", "B8")}


def test_actual_missing_in_a_claim() -> None:
    rows = rows_with("4a", actual=None, achievement=None, reward=None, status=None)
    assert found(rows=rows, agreement={**GOOD_AGREEMENT, "total_reward": None}) == {
        ("LPSA015", "Targets", "H6")
    }
    monitoring = {k: v for k, v in GOOD_AGREEMENT.items() if k != "total_reward"}
    assert found(rows=rows, agreement=monitoring, claim=[]) == set()


def test_unknown_and_assumed_scheme() -> None:
    assert found(agreement={**GOOD_AGREEMENT, "scheme": "LPSA9"}) == {
        ("LPSA017", "Agreement", "B2")
    }
    assumed = {k: v for k, v in GOOD_AGREEMENT.items() if k != "scheme"}
    _, findings, _ = run(agreement=assumed)
    assert [(f.rule, f.severity) for f in findings] == [("LPSA018", "info")]


def test_invalid_input_out_of_range() -> None:
    assert found(rows=rows_with("1", direction="sideways")) == {("LPSA019", "Targets", "E2")}
    late = {**GOOD_AGREEMENT, "period_end": "2003-01-01"}
    assert found(agreement=late) == {("LPSA019", "Agreement", "B7")}


def test_one_bad_row_does_not_make_the_others_wrong() -> None:
    # target 3's input is bad; targets 1, 2 and 4 keep their £893,750 shares and claims
    rows = rows_with("3", target="n/a")
    assert found(rows=rows) == {("LPSA002", "Targets", "G4")}
