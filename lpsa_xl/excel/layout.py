"""Where the macros find things in a return workbook: sheet names, defined names and the headers
of the targets and claim tables, in ONE place.

It follows the layout of lpsa-xl's return template (the workbook templates of issue 3: an
Agreement sheet with named input cells, a Targets sheet holding the ``Targets`` Excel table, a
Claim sheet with the payment plan). Columns are matched by their header text (case, spaces and
aside), never by position, so a council that moved or added columns is
still read correctly; canonical field names (``expected``, ``reward`` ...) are accepted as headers
too.
"""

from __future__ import annotations

__all__ = [
    "AGREEMENT_NAMES",
    "AGREEMENT_SHEET",
    "CLAIM_COLUMNS",
    "CLAIM_HEADERS",
    "CLAIM_SHEET",
    "COMPUTED_COLUMNS",
    "COMPUTED_HEADERS",
    "FINDINGS_HEADER",
    "FINDINGS_SHEET",
    "INPUT_COLUMNS",
    "INPUT_HEADERS",
    "TARGETS_SHEET",
    "TOTAL_NAMES",
    "header_key",
]

AGREEMENT_SHEET = "Agreement"
TARGETS_SHEET = "Targets"
CLAIM_SHEET = "Claim"
FINDINGS_SHEET = "Findings"

#: Defined name (also accepted as the label in column A of the Agreement sheet) -> field.
AGREEMENT_NAMES = {
    "Authority": "authority",
    "Scheme": "scheme",
    "NBR_Year": "nbr_year",
    "NBR": "nbr",
    "Stated_Potential": "stated_potential",
    "Period_Start": "period_start",
    "Period_End": "period_end",
    "Pump_Priming_Grant": "pump_priming_grant",
}
#: Defined names of the agreement totals Calculate fills -> figure of the core's Result.
TOTAL_NAMES = {
    "Total_Potential": "total_potential",
    "Total_Reward": "total_reward",
    "On_Account": "on_account",
}


def header_key(text: object) -> str:
    """A header as looked up: lower case, single spaces ("_" counts as a space)."""
    return " ".join(str(text or "").replace("_", " ").lower().split())


def _keys(mapping: dict[str, str]) -> dict[str, str]:
    out = {header_key(h): f for h, f in mapping.items()}
    out.update({header_key(f): f for f in mapping.values() if header_key(f) not in out})
    return out


#: Input columns of the targets table, in the template's order: header, canonical field (§9).
INPUT_COLUMNS = (
    ("Ref", "ref"), ("Parent", "parent"), ("Theme", "theme"), ("Measure", "measure"),
    ("Unit", "unit"), ("Direction", "direction"), ("Baseline", "baseline"),
    ("Baseline year", "baseline_year"), ("Expected", "expected"), ("Target", "target"),
    ("Interim target", "interim_target"), ("Interim actual", "interim_actual"),
    ("Actual", "actual"), ("Weight", "weight"), ("Stated potential £", "potential"),
    ("Value per unit £", "value_per_unit"),
)  # fmt: skip
#: Computed columns Calculate fills and Validate checks: header, field of the core's Line.
COMPUTED_COLUMNS = (
    ("Potential £", "potential"), ("Stretch", "stretch"), ("% of stretch", "achievement"),
    ("Payable %", "payable"), ("Reward £", "reward"), ("Status", "status"),
    ("60% trigger", "trigger"), ("£ per unit of stretch", "vfm_cost"),
    ("Benefit-cost ratio", "vfm_ratio"), ("On account £", "on_account"),
)  # fmt: skip
#: Header as looked up -> field (canonical field names are accepted as headers too).
INPUT_HEADERS = _keys(dict(INPUT_COLUMNS))
#: The same for computed columns; a bare "potential" is the stated-potential input.
COMPUTED_HEADERS = {k: v for k, v in _keys(dict(COMPUTED_COLUMNS)).items() if k != "potential"}
#: The claim's payment plan, in order: header, field of the core's Payment.
CLAIM_COLUMNS = (
    ("Financial year", "year"),
    ("Payment", "kind"),
    ("Paid £", "paid"),
    ("Capital £", "capital"),
    ("Revenue £", "revenue"),
)
CLAIM_HEADERS = _keys(dict(CLAIM_COLUMNS))
#: Columns of the findings sheet Validate writes.
FINDINGS_HEADER = ["Sheet", "Cell", "Ref", "Field", "Severity", "Finding"]
