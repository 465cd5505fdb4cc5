"""The shared state of the book rules: the return being checked, its rows as read and converted,
and how a finding is added. :mod:`lpsa_xl.check.inputs` and :mod:`lpsa_xl.check.claims` hold the
rules; :mod:`lpsa_xl.check.checks` runs them in order."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from lpsa_xl.check.compare import error_value
from lpsa_xl.check.findings import Finding
from lpsa_xl.check.registry import RULES
from lpsa_xl.returns.model import FIGURE_FIELDS, Cell, ReturnBook, TargetRow
from lpsa_xl.returns.scale import FigureProblem, money_figure
from lpsa_xl.rules import (
    DirectionError,
    LpsaError,
    NotANumberError,
    Result,
    Scheme,
    UnknownSchemeError,
    WeightsError,
    ZeroStretchError,
    get_scheme,
    to_decimal,
)

__all__ = [
    "AGREEMENT_FIGURES",
    "LABELS",
    "NUMERIC_FIELDS",
    "TEXT_FIELDS",
    "Bad",
    "BookState",
    "Row",
    "blank",
    "nonzero",
    "number_or_none",
    "rule_for",
    "shown",
    "text",
    "year_cell",
]

#: Figures of a target row.
NUMERIC_FIELDS = (*FIGURE_FIELDS, "weight")
TEXT_FIELDS = ("measure", "theme", "unit", "baseline_year", "direction")
AGREEMENT_FIGURES = ("nbr", "stated_potential", "pump_priming_grant")

#: Field names as a person reads them in a message.
LABELS = {
    "expected": "expected performance (without)",
    "target": "target (with)",
    "actual": "actual",
    "weight": "sub-target weight",
    "potential": "potential reward",
    "value_per_unit": "value per unit",
    "interim_target": "interim target",
    "interim_actual": "interim actual",
    "baseline": "baseline",
    "nbr": "net budget requirement (NBR)",
    "stated_potential": "stated potential reward",
    "pump_priming_grant": "pump-priming grant",
    "authority": "authority",
    "scheme": "scheme",
    "period_start": "period start",
    "period_end": "period end",
    "direction": "direction",
    "ref": "target reference",
    "budget": "pump-priming budget",
    "spend": "pump-priming spend",
    "amount": "claimed amount",
    "capital": "capital amount",
    "revenue": "revenue amount",
}

_RULE_OF_ERROR: tuple[tuple[type[LpsaError], str], ...] = (
    (NotANumberError, "LPSA002"),
    (DirectionError, "LPSA003"),
    (ZeroStretchError, "LPSA004"),
    (WeightsError, "LPSA005"),
    (UnknownSchemeError, "LPSA017"),
)


def rule_for(exc: LpsaError) -> str:
    return next((rule for kind, rule in _RULE_OF_ERROR if isinstance(exc, kind)), "LPSA019")


def blank(cell: Cell | None) -> bool:
    return (
        cell is None
        or cell.value is None
        or (isinstance(cell.value, str) and not cell.value.strip())
    )


@dataclass
class Row:
    """A target row as checked: its figures, and whether its input was good."""

    row: TargetRow
    ref: str
    parent: str
    values: dict[str, object] = field(default_factory=dict)
    bad: bool = False
    #: The column of each field in this row's sheet, as other rows show it.
    columns: dict[str, str] = field(default_factory=dict)

    def cell(self, name: str) -> Cell | tuple[str, str | None]:
        """Where field ``name`` of this row is: its cell, or the cell in the column other rows
        hold it in (a blank cell is not always read), or the reference cell."""
        found = self.row.fields.get(name) or self.row.claimed.get(name)
        if found is None and name in self.columns:
            return (self.row.sheet, f"{self.columns[name]}{self.row.row}")
        found = found or self.row.fields.get("ref")
        return found if found is not None else (self.row.sheet, None)

    def where(self) -> str:
        return f"target {self.ref}" if self.ref else f"row {self.row.row}"


class BookState:
    """A return being checked: what was read, what was found, what was recomputed."""

    def __init__(self, book: ReturnBook) -> None:
        self.book = book
        self.findings: list[Finding] = []
        self.scheme: Scheme = get_scheme(None)
        self.rows: list[Row] = []
        self.untrusted: set[str] = set()  # parents whose split of the potential is unknown
        self.line_rows: list[Row | None] = []
        self.target_rows: list[Row | None] = []  # the first row of each target, in order
        self.result: Result | None = None

    def add(
        self, rule: str, cell: Cell | tuple[str | None, str | None] | None, message: str
    ) -> None:
        self.findings.append(RULES[rule].at(cell, message))

    def agreement_cell(self, name: str) -> Cell | None:
        return self.book.agreement.get(name)

    # -- conversions -------------------------------------------------------------------------

    def number(self, cell: Cell | None, name: str, where: str = "") -> Decimal | None:
        """The figure in ``cell`` as stored (text such as "£29,816", "(1,200)" or "£3.3m" read
        as compute reads it, :func:`lpsa_xl.returns.scale.money_figure`), or None when blank;
        a finding (and :class:`Bad`) when not a number."""
        if blank(cell):
            return None
        assert cell is not None
        code = error_value(cell.value)
        if code is not None:
            self.add("LPSA002", cell, f"{self.label(name, where)} holds the Excel error {code}, "
                     "not a number")  # fmt: skip
            raise Bad
        try:
            return money_figure(cell, name)
        except FigureProblem:
            self.add(
                "LPSA002",
                cell,
                f"{self.label(name, where)} must be a number, but the cell holds "
                f"{shown(cell.value)}",
            )
            raise Bad from None

    @staticmethod
    def label(name: str, where: str = "") -> str:
        """A field as a message names it: "target 3: expected performance (without)"."""
        return (
            f"{where}: {LABELS.get(name, name)}" if where else LABELS.get(name, name).capitalize()
        )

    # -- the agreement -----------------------------------------------------------------------


class Bad(Exception):
    """An input already reported; the row is not recomputed."""


def shown(value: object) -> str:
    if isinstance(value, str):
        return f"the text {value!r}"
    return (
        f"{type(value).__name__} {value!r}" if not isinstance(value, (int, float)) else repr(value)
    )


def text(cell: Cell | None) -> str:
    return "" if cell is None or blank(cell) else str(cell.value).strip()


def year_cell(line: dict[str, Cell]) -> Cell | None:
    """The financial year of a pump-priming or claim line (``year`` or ``financial_year``)."""
    return line.get("year") or line.get("financial_year")


def nonzero(value: object) -> bool:
    number = number_or_none(value)
    return number is None or number != 0  # text in an amount cell still says "claimed"


def number_or_none(value: object) -> Decimal | None:
    try:
        return to_decimal(value)
    except NotANumberError:
        return None
