"""What a return holds, as read from a workbook, with the cell every value came from.

The readers (template layout and council layouts found by their headers) produce a
:class:`ReturnBook`; the compute command, the checker and the Excel macros consume it. Values are
raw, as read: converting them to figures (and saying which cell was wrong) is the consumer's job,
through :func:`lpsa_xl.rules.to_decimal`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lpsa_xl.files.errors import CellError

__all__ = [
    "AGREEMENT_FIELDS",
    "CLAIMED_FIELDS",
    "FIGURE_FIELDS",
    "TARGET_FIELDS",
    "Cell",
    "ReturnBook",
    "TargetRow",
]

#: Canonical agreement fields a reader may fill.
AGREEMENT_FIELDS = (
    "authority",
    "scheme",
    "nbr",
    "nbr_year",
    "stated_potential",
    "period_start",
    "period_end",
    "pump_priming_grant",
)
#: Canonical input fields of a target row.
TARGET_FIELDS = (
    "ref",
    "parent",
    "theme",
    "measure",
    "unit",
    "direction",
    "baseline",
    "baseline_year",
    "expected",
    "target",
    "interim_target",
    "interim_actual",
    "actual",
    "weight",
    "potential",
    "value_per_unit",
)
#: Input fields of a target row that hold figures (weights, fractions, are apart).
FIGURE_FIELDS = (
    "baseline",
    "expected",
    "target",
    "interim_target",
    "interim_actual",
    "actual",
    "potential",
    "value_per_unit",
)
#: Figures a return states (claims) that the checker recomputes.
CLAIMED_FIELDS = ("stretch", "achievement", "payable", "reward", "status", "trigger", "vfm_cost")


@dataclass(frozen=True)
class Cell:
    """A value read from a workbook and where it came from (``coord`` like ``"D7"``), with its
    number format (``"0%"`` says a figure is shown as a percentage)."""

    sheet: str
    coord: str
    value: object
    number_format: str = "General"


@dataclass
class TargetRow:
    """One target or sub-target row: canonical field name -> the cell it was read from.
    ``claimed`` holds the figures the return states (keys from :data:`CLAIMED_FIELDS`)."""

    sheet: str
    row: int
    fields: dict[str, Cell] = field(default_factory=dict)
    claimed: dict[str, Cell] = field(default_factory=dict)

    def value(self, name: str) -> object:
        cell = self.fields.get(name)
        return None if cell is None else cell.value


@dataclass
class ReturnBook:
    """A return as read: where it came from, its agreement cells, target rows and extras."""

    path: Path
    layout: str  # "template" (lpsa-xl's own) or "council" (found by headers)
    agreement: dict[str, Cell] = field(default_factory=dict)
    targets: list[TargetRow] = field(default_factory=list)
    #: Pump-priming lines: ref, year, budget, spend -> cells.
    pump_priming: list[dict[str, Cell]] = field(default_factory=list)
    #: Claim lines (financial year, kind, amount, capital, revenue) -> cells.
    claim: list[dict[str, Cell]] = field(default_factory=list)
    #: Claimed totals: total_potential, total_reward -> cells.
    totals: dict[str, Cell] = field(default_factory=dict)
    #: Partner shares of the reward: partner, share -> cells.
    partners: list[dict[str, Cell]] = field(default_factory=list)
    #: What the reader found and assumed, for users to see (e.g. which header matched what).
    notes: list[str] = field(default_factory=list)
    #: What the layout promised but the reader could not place (an outturn for a reference
    #: the targets table lacks...), each naming its cell: errors, never silently dropped.
    problems: list[CellError] = field(default_factory=list)
    #: What the reader could not find and the user should know (a target without an outturn).
    warnings: list[CellError] = field(default_factory=list)
    #: Where the authority and the scheme were read from ("the title ... in 'Targets'!A1").
    sources: dict[str, str] = field(default_factory=dict)
    #: Each target's monitoring series: ref -> (period label, the cell of its figure), in the
    #: order read (a column per year, or a Monitoring table of ref, period and value).
    series: dict[str, list[tuple[str, Cell]]] = field(default_factory=dict)
    #: The agreement's final period where the layout shows it (the last year column).
    final_period: str | None = None
