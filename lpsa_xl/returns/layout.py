"""The layout of lpsa-xl's own returns workbooks, as data shared by the builder and the reader.

See :mod:`lpsa_xl.returns.templates` for the layout described in prose. Everything a reader,
the checker or the Excel add-in needs to find a figure is named here: sheet names, defined names
of the agreement cells, the targets table's name and its columns in order, and which column holds
which canonical field of :mod:`lpsa_xl.returns.model`.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "AGREEMENT_NAMES",
    "AGREEMENT_SHEET",
    "CLAIM_COLUMNS",
    "CLAIM_SHEET",
    "COMPUTED_NAMES",
    "FUNDING_TABLE",
    "LAA_BLOCKS",
    "LAA_EXTRA_COLUMNS",
    "MONITORING_COLUMNS",
    "MONITORING_SHEET",
    "MONITORING_TABLE",
    "PARTNER_TABLE",
    "PUMP_SHEET",
    "PUMP_TABLE",
    "TABLE_HEADER_ROW",
    "TARGETS_SHEET",
    "TARGETS_TABLE",
    "TARGET_COLUMNS",
    "Column",
]

AGREEMENT_SHEET = "Agreement"
TARGETS_SHEET = "Targets"
CLAIM_SHEET = "Claim"
PUMP_SHEET = "Pump priming"
FUNDING_SHEET = "Funding"
DESIGNATED_SHEET = "Designated"

TARGETS_TABLE = "Targets"
PUMP_TABLE = "PumpPriming"
PARTNER_TABLE = "Partners"
FUNDING_TABLE = "Funding"
DESIGNATED_TABLE = "Designated"

#: The row of the targets table's header on the Targets sheet (the table starts in column A).
TABLE_HEADER_ROW = 4

#: Defined names of the Agreement sheet's input cells -> canonical agreement field, with label.
AGREEMENT_NAMES: tuple[tuple[str, str, str], ...] = (
    ("Authority", "authority", "Authority"),
    ("Scheme", "scheme", "Scheme"),
    ("NBR_Year", "nbr_year", "Net budget requirement: financial year"),
    ("NBR", "nbr", "Net budget requirement (£)"),
    ("Stated_Potential", "stated_potential", "Potential reward stated in the agreement (£)"),
    ("Period_Start", "period_start", "Period start"),
    ("Period_End", "period_end", "Period end"),
    ("Pump_Priming_Grant", "pump_priming_grant", "Pump-priming grant (£)"),
)

#: Defined names of the Agreement sheet's computed cells -> what they hold, with label.
COMPUTED_NAMES: tuple[tuple[str, str, str], ...] = (
    ("Total_Potential", "total_potential", "Potential reward (£): stated figure, else 2.5% of NBR"),
    ("N_Targets", "n_targets", "Number of targets"),
    ("Total_Reward", "total_reward", "Reward (£)"),
    ("On_Account", "on_account", "Payment on account (£)"),
    ("End_Year", "end_year", "Agreement ends 31 March of"),
)


@dataclass(frozen=True)
class Column:
    """A column of the targets table: its header (the table column name), the canonical field
    it holds (``model.TARGET_FIELDS`` for inputs, ``model.CLAIMED_FIELDS`` or another name for
    computed columns), whether it is an input, and its number format."""

    header: str
    field: str
    input: bool
    number_format: str = "General"
    width: float = 12


_PCT = "0.0%"
_MONEY = "#,##0"
_NUM = "#,##0.###"

#: The targets table's columns, in order (LPSA and LAA returns alike; LAA inserts
#: :data:`LAA_EXTRA_COLUMNS` after "Parent").
TARGET_COLUMNS: tuple[Column, ...] = (
    Column("Ref", "ref", True, "@", 7),
    Column("Parent", "parent", True, "@", 7),
    Column("Theme", "theme", True, "@", 16),
    Column("Measure", "measure", True, "@", 34),
    Column("Unit", "unit", True, "@", 8),
    Column("Direction", "direction", True, "@", 9),
    Column("Baseline", "baseline", True, _NUM),
    Column("Baseline year", "baseline_year", True, "@", 9),
    Column("Expected", "expected", True, _NUM),
    Column("Target", "target", True, _NUM),
    Column("Interim target", "interim_target", True, _NUM),
    Column("Interim actual", "interim_actual", True, _NUM),
    Column("Actual", "actual", True, _NUM),
    Column("Weight", "weight", True, "0.00"),
    Column("Stated potential £", "potential", True, _MONEY, 13),
    Column("Value per unit £", "value_per_unit", True, _MONEY),
    Column("Sub-targets", "n_subtargets", False, "0", 9),
    Column("Potential £", "line_potential", False, _MONEY, 13),
    Column("Stretch", "stretch", False, _NUM),
    Column("% of stretch", "achievement", False, _PCT),
    Column("Payable %", "payable", False, _PCT),
    Column("Reward £", "reward", False, _MONEY, 13),
    Column("Status", "status", False, "@", 9),
    Column("60% trigger", "trigger", False, _NUM),
    Column("£ per unit of stretch", "vfm_cost", False, _MONEY, 13),
    Column("Benefit-cost ratio", "vfm_ratio", False, "0.00"),
    Column("On account £", "on_account", False, "#,##0.00", 13),
)

#: LAA stretch-target returns: the block, and per-year un-stretched and stretched figures for
#: the first two years (the final year's are Expected and Target).
LAA_EXTRA_COLUMNS: tuple[Column, ...] = (
    Column("Block", "block", True, "@", 12),
    Column("Un-stretched 2006/07", "unstretched_1", True, _NUM),
    Column("Stretched 2006/07", "stretched_1", True, _NUM),
    Column("Un-stretched 2007/08", "unstretched_2", True, _NUM),
    Column("Stretched 2007/08", "stretched_2", True, _NUM),
)

#: The four LAA blocks (docs/rules.md#laa), with short codes.
LAA_BLOCKS: tuple[tuple[str, str], ...] = (
    ("CYP", "Children and Young People"),
    ("SSC", "Safer and Stronger Communities"),
    ("HCOP", "Healthier Communities and Older People"),
    ("EDE", "Economic Development and Enterprise"),
)

#: Pump priming table columns: header -> field.
PUMP_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Ref", "ref"),
    ("Year", "year"),
    ("Budget £", "budget"),
    ("Spend £", "spend"),
    ("Remaining £", "remaining"),
)

#: The monitoring series, a long table of one row per target and period (optional sheet).
MONITORING_SHEET = "Monitoring"
MONITORING_TABLE = "Monitoring"
MONITORING_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Ref", "ref"),
    ("Period", "period"),
    ("Value", "value"),
)

#: Partner shares table columns (on the Agreement sheet).
PARTNER_COLUMNS: tuple[tuple[str, str], ...] = (("Partner", "partner"), ("Share", "share"))

#: Claim sheet: payment plan columns, one row per payment, first payment on row 6.
CLAIM_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Financial year", "year"),
    ("Payment", "kind"),
    ("Paid £", "amount"),
    ("Capital £", "capital"),
    ("Revenue £", "revenue"),
)
CLAIM_FIRST_ROW = 6
CLAIM_ROWS = 4

#: LAA funding streams table columns.
FUNDING_COLUMNS: tuple[str, ...] = (
    "Block",
    "Funding stream",
    "2006/07 £",
    "2007/08 £",
    "2008/09 £",
    "Pooled or aligned",
)
#: LAA designated targets table columns.
DESIGNATED_COLUMNS: tuple[str, ...] = (
    "Block",
    "Ref",
    "Indicator",
    "Baseline",
    "Baseline year",
    "Target 2006/07",
    "Target 2007/08",
    "Target 2008/09",
    "Statutory",
)
