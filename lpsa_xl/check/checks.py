"""The book rules: a :class:`~lpsa_xl.workbook.model.ReturnBook` in, findings and summary out.

Every input is validated by building the core's own objects (:class:`~lpsa_xl.rules.SubTarget`,
:class:`~lpsa_xl.rules.Agreement`...), so a figure the core refuses is a finding at its cell;
every figure a return claims is compared with what :func:`lpsa_xl.rules.assess` recomputes.
A row with bad input keeps its place in the split of the potential (as a placeholder) so that one
mistake does not make every other reward look wrong; its own claims are not compared.
Rule ids and severities are in :mod:`lpsa_xl.check.registry`.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from ..rules import (
    Agreement,
    DirectionError,
    InputError,
    Line,
    LpsaError,
    NotANumberError,
    PumpPrimingItem,
    Result,
    Scheme,
    SubTarget,
    Target,
    UnknownSchemeError,
    WeightsError,
    ZeroStretchError,
    assess,
    financial_year,
    get_scheme,
    parse_financial_year,
    potential,
    pump_priming,
    to_decimal,
)
from ..rules.potential import weights_for
from ..workbook.model import Cell, ReturnBook, TargetRow
from .compare import as_fractions, error_value, half_unit, within
from .findings import Finding, Summary, ThemeCount
from .registry import RULES

__all__ = ["check_book"]

#: Figures of a target row.
NUMERIC_FIELDS = (
    "baseline",
    "expected",
    "target",
    "interim_target",
    "interim_actual",
    "actual",
    "weight",
    "potential",
    "value_per_unit",
)
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


def _rule_for(exc: LpsaError) -> str:
    return next((rule for kind, rule in _RULE_OF_ERROR if isinstance(exc, kind)), "LPSA019")


def _blank(cell: Cell | None) -> bool:
    return (
        cell is None
        or cell.value is None
        or (isinstance(cell.value, str) and not cell.value.strip())
    )


def _money(value: Decimal | None) -> str:
    return "-" if value is None else f"£{value:,}"


def _pct(value: Decimal | None) -> str:
    return "-" if value is None else f"{(value * 100).normalize():f}%"


@dataclass
class _Row:
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


class _BookCheck:
    def __init__(self, book: ReturnBook) -> None:
        self.book = book
        self.findings: list[Finding] = []
        self.scheme: Scheme = get_scheme(None)
        self.rows: list[_Row] = []
        self.untrusted: set[str] = set()  # parents whose split of the potential is unknown
        self.line_rows: list[_Row | None] = []
        self.target_rows: list[_Row | None] = []  # the first row of each target, in order
        self.result: Result | None = None

    def add(
        self, rule: str, cell: Cell | tuple[str | None, str | None] | None, message: str
    ) -> None:
        self.findings.append(RULES[rule].at(cell, message))

    def agreement_cell(self, name: str) -> Cell | None:
        return self.book.agreement.get(name)

    # -- conversions -------------------------------------------------------------------------

    def number(self, cell: Cell | None, name: str, where: str = "") -> Decimal | None:
        """The figure in ``cell``, or None when blank; a finding (and None) when not a number."""
        if _blank(cell):
            return None
        assert cell is not None
        label = (
            f"{where}: {LABELS.get(name, name)}" if where else LABELS.get(name, name).capitalize()
        )
        code = error_value(cell.value)
        if code is not None:
            self.add("LPSA002", cell, f"{label} holds the Excel error {code}, not a number")
            raise _Bad
        try:
            return to_decimal(cell.value, name)
        except NotANumberError:
            self.add(
                "LPSA002",
                cell,
                f"{label} must be a number, but the cell holds {_shown(cell.value)}",
            )
            raise _Bad from None

    # -- the agreement -----------------------------------------------------------------------

    def check_agreement(self) -> dict[str, object]:
        book = self.book
        values: dict[str, object] = {}
        authority = self.agreement_cell("authority")
        if _blank(authority):
            self.add("LPSA001", authority, "the authority's name is missing")
        values["authority"] = (
            "" if authority is None or authority.value is None else str(authority.value).strip()
        )
        scheme_cell = self.agreement_cell("scheme")
        if _blank(scheme_cell):
            self.add("LPSA018", scheme_cell, "no scheme is given: LPSA1 is assumed")
        else:
            assert scheme_cell is not None
            try:
                self.scheme = get_scheme(str(scheme_cell.value))
            except UnknownSchemeError as exc:
                self.add("LPSA017", scheme_cell, exc.reason)
        for name in AGREEMENT_FIGURES:
            try:
                values[name] = self.number(book.agreement.get(name), name)
            except _Bad:
                values[name] = None
        for name in ("nbr_year", "period_start", "period_end"):
            cell = self.agreement_cell(name)
            values[name] = None if _blank(cell) else cell.value  # type: ignore[union-attr]
        self.check_stated_potential(values)
        return values

    def check_stated_potential(self, values: dict[str, object]) -> None:
        stated, nbr = values.get("stated_potential"), values.get("nbr")
        if (
            not isinstance(stated, Decimal)
            or not isinstance(nbr, Decimal)
            or not self.scheme.pays_reward
        ):
            return
        try:
            computed = potential(nbr, self.scheme)
        except LpsaError:
            return  # a negative NBR: reported when the agreement is built
        if not within(stated, computed, half_unit(stated, whole_zeros=True)):
            self.add(
                "LPSA006",
                self.agreement_cell("stated_potential"),
                f"the stated potential {_money(stated)} differs from "
                f"{self.scheme.nbr_rate * 100:g}% "
                f"of the NBR {_money(nbr)}, which is {_money(computed)}, by more than the "
                f"rounding of the stated figure; the stated figure is used (RULES.md §3)",
            )

    # -- target rows -------------------------------------------------------------------------

    def read_rows(self) -> None:
        columns: dict[str, dict[str, str]] = {}
        for row in self.book.targets:
            for name, cell in (*row.fields.items(), *row.claimed.items()):
                letters = cell.coord.rstrip("0123456789").replace("$", "")
                columns.setdefault(row.sheet, {}).setdefault(name, letters)
        for row in self.book.targets:
            ref_cell, parent_cell = row.fields.get("ref"), row.fields.get("parent")
            ref, parent = _text(ref_cell), _text(parent_cell)
            checked = _Row(row, ref, parent, columns=columns.get(row.sheet, {}))
            if not ref:
                self.add(
                    "LPSA001",
                    ref_cell or (row.sheet, None),
                    f"row {row.row} has figures but no target reference",
                )
                checked.bad = True
            for name in NUMERIC_FIELDS:
                try:
                    checked.values[name] = self.number(row.fields.get(name), name, checked.where())
                except _Bad:
                    checked.values[name] = None
                    checked.bad = True
            for name in TEXT_FIELDS:
                value = row.value(name)
                checked.values[name] = None if value is None else str(value).strip()
            self.rows.append(checked)

    def check_duplicates(self) -> None:
        seen: dict[tuple[str, str], _Row] = {}
        for r in self.rows:
            if not r.ref:
                continue
            key = (r.parent, r.ref)
            first = seen.get(key)
            if first is None:
                seen[key] = r
                continue
            what = (
                f"sub-target reference {r.ref} of target {r.parent}"
                if r.parent
                else f"target reference {r.ref}"
            )
            self.add(
                "LPSA013",
                r.row.fields.get("ref"),
                f"{what} is used again (first on row {first.row.row}); each must be unique",
            )
            r.bad = True
            r.ref = (
                f"{r.ref} (row {r.row.row})"  # kept apart so the potential split stays as returned
            )

    def parents(self) -> set[str]:
        return {r.parent for r in self.rows if r.parent}

    def measured(self, r: _Row, parent: _Row | None) -> SubTarget:
        """The core's sub-target for a row (validating it), or a placeholder if the row is bad."""
        v = dict(r.values)
        if parent is not None:
            v["direction"] = v.get("direction") or parent.values.get("direction")
            v["theme"] = v.get("theme") or parent.values.get("theme")
        if not r.bad:
            missing = [n for n in ("expected", "target") if v.get(n) is None]
            for name in missing:
                self.add("LPSA001", r.cell(name), f"{r.where()}: the {LABELS[name]} is missing")
            r.bad = bool(missing)
        kind = SubTarget if r.parent else Target
        if not r.bad:
            try:
                return kind(ref=r.ref, **{k: v.get(k) for k in NUMERIC_FIELDS + TEXT_FIELDS})
            except LpsaError as exc:
                name = exc.field or "ref"
                self.add(_rule_for(exc), r.cell(name), f"{r.where()}: {exc.reason}")
                r.bad = True
        return self.placeholder(kind, r)

    def placeholder(self, kind: type[SubTarget], r: _Row) -> SubTarget:
        """A line that only keeps a bad row's place (and share) in the split of the potential."""
        share = {k: r.values.get(k) for k in ("weight", "potential")}
        try:
            return kind(
                ref=r.ref or f"row {r.row.row}",
                expected=0,
                target=1,
                theme=r.values.get("theme"),
                **share,
            )
        except LpsaError:
            if r.parent:
                self.untrusted.add(r.parent)
            return kind(
                ref=r.ref or f"row {r.row.row}", expected=0, target=1, theme=r.values.get("theme")
            )

    def build_targets(self) -> list[Target]:
        parents = self.parents()
        own = {r.ref: r for r in self.rows if not r.parent}
        order: list[str] = []
        subs: dict[str, list[_Row]] = {}
        for r in self.rows:
            key = r.parent or r.ref or f"row {r.row.row}"
            if key not in order:
                order.append(key)
            if r.parent:
                subs.setdefault(r.parent, []).append(r)
        targets: list[Target] = []
        for key in order:
            if key not in parents:
                row = own.get(key) or next(
                    r for r in self.rows if not r.parent and (r.ref or f"row {r.row.row}") == key
                )
                line = self.measured(row, None)
                assert isinstance(line, Target)
                targets.append(line)
                self.line_rows.append(row)
                self.target_rows.append(row)
                continue
            head = own.get(key)
            lines = [self.measured(r, head) for r in subs[key]]
            lines = self.check_weights(key, subs[key], lines)
            target = self.parent_target(key, head, lines)
            targets.append(target)
            self.line_rows.extend(subs[key])
            self.target_rows.append(head or subs[key][0])
        return targets

    def check_weights(
        self, parent: str, rows: list[_Row], lines: list[SubTarget]
    ) -> list[SubTarget]:
        weights = [line.weight for line in lines]
        try:
            weights_for(weights)
            return lines
        except WeightsError as exc:
            cell = next((r.row.fields["weight"] for r in rows if "weight" in r.row.fields), None)
            self.add("LPSA005", cell, f"target {parent}: sub-target {exc.reason}")
        except LpsaError as exc:
            self.add(_rule_for(exc), rows[0].cell("weight"), f"target {parent}: {exc.reason}")
        self.untrusted.add(parent)
        return [dataclasses.replace(line, weight=None) for line in lines]

    def parent_target(self, ref: str, head: _Row | None, lines: list[SubTarget]) -> Target:
        pot = head.values.get("potential") if head is not None else None
        theme = head.values.get("theme") if head is not None else None
        try:
            return Target(ref=ref, potential=pot, theme=theme, subtargets=tuple(lines))
        except LpsaError as exc:  # a bad potential on the head row
            assert head is not None
            self.add(
                _rule_for(exc), head.cell(exc.field or "potential"), f"target {ref}: {exc.reason}"
            )
            self.untrusted.add(ref)
            return Target(ref=ref, theme=theme, subtargets=tuple(lines))

    def check_count(self, targets: list[Target]) -> Scheme:
        """LPSA012: the scheme's limit on designated targets; the scheme without it to go on."""
        limit = self.scheme.max_designated_targets
        if not limit or len(targets) <= limit:
            return self.scheme
        first_over = self.target_rows[limit]
        cell = first_over.cell("ref") if first_over is not None else None
        self.add(
            "LPSA012",
            cell,
            f"{len(targets)} designated targets; {self.scheme.name} allows at "
            f"most {limit} (target {targets[limit].ref} is the first beyond)",
        )
        return dataclasses.replace(self.scheme, max_designated_targets=0)

    # -- pump priming and the agreement -------------------------------------------------------

    def pump_items(self) -> list[PumpPrimingItem]:
        items = []
        for line in self.book.pump_priming:
            ref = _text(line.get("ref"))
            year = _text(_year_cell(line))
            where = f"pump priming {ref or 'agreement'} {year}".strip()
            try:
                budget = self.number(line.get("budget"), "budget", where)
                spend = self.number(line.get("spend"), "spend", where)
            except _Bad:
                continue
            if budget is None:
                continue
            try:
                items.append(PumpPrimingItem(ref, year, budget, spend or Decimal(0)))
            except LpsaError as exc:
                self.add(_rule_for(exc), line.get(exc.field or "budget"), f"{where}: {exc.reason}")
                continue
            if pump_priming(budget, spend).overspent:
                self.add(
                    "LPSA014",
                    line.get("spend"),
                    f"{where}: spend {_money(spend)} is above its budget {_money(budget)}",
                )
        return items

    def agreement(
        self, values: dict[str, object], targets: list[Target], scheme: Scheme
    ) -> Agreement | None:
        items = self.pump_items()
        data = {**values, "scheme": scheme, "targets": targets, "pump_priming": items}
        for _ in range(len(data)):
            try:
                return Agreement.from_mapping(data)
            except LpsaError as exc:
                name = exc.field or ""
                self.add(
                    _rule_for(exc),
                    self.agreement_cell(name),
                    f"{LABELS.get(name, name) or 'agreement'}: {exc.reason}",
                )
                if name not in data or data[name] is None:
                    return None
                data[name] = None
        return None

    # -- recomputation and claims -------------------------------------------------------------

    def recompute(self, agreement: Agreement) -> None:
        try:
            self.result = assess(agreement)
        except InputError as exc:
            if exc.field == "potential":
                self.add(
                    "LPSA001",
                    self.agreement_cell("nbr") or self.agreement_cell("stated_potential"),
                    "no potential reward: give the agreement's NBR or its stated potential, "
                    "or a potential for every target",
                )
            else:
                self.add(_rule_for(exc), None, str(exc))
            return
        spend = self.result.pump_priming
        if spend is not None and spend.overspent:
            self.add(
                "LPSA014",
                self.agreement_cell("pump_priming_grant"),
                f"pump-priming spend {_money(spend.spend)} in all is above the grant "
                f"{_money(spend.budget)}",
            )

    def check_claim_lines(self) -> None:
        """LPSA002 for claim amounts that are not numbers."""
        for line in self.book.claim:
            year = _text(_year_cell(line))
            for name in ("amount", "capital", "revenue"):
                with contextlib.suppress(_Bad):  # reported; nothing else depends on it
                    self.number(line.get(name), name, f"claim {year}".strip())

    def check_payments(self) -> None:
        """LPSA020: claim lines against the core's payment plan (only once the reward is final:
        every actual in, every row good)."""
        result = self.result
        final = result is not None and result.complete
        if result is None or not final or any(r.bad for r in self.rows) or self.untrusted:
            return
        plan = {p.year: p for p in result.payments}
        for line in self.book.claim:
            label = _financial_year(_year_cell(line))
            payment = plan.get(label or "")
            if payment is None:
                continue
            for name, exact in (("amount", payment.paid), ("capital", payment.capital),
                                ("revenue", payment.revenue)):  # fmt: skip
                cell = line.get(name)
                claimed = None if _blank(cell) else _number_or_none(cell.value)  # type: ignore[union-attr]
                if claimed is None or within(claimed, exact, self.scheme.payment_unit / 2):
                    continue
                self.add(
                    "LPSA020",
                    cell,
                    f"claim {label}: the {LABELS[name]} {_money(claimed)} differs from the "
                    f"{payment.kind} of {_money(exact)} that the reward of "
                    f"{_money(result.total_reward)} gives under {self.scheme.name}",
                )

    def is_claim(self) -> bool:
        for line in self.book.claim:
            for name in ("amount", "capital", "revenue"):
                cell = line.get(name)
                if not _blank(cell) and _nonzero(cell.value):  # type: ignore[union-attr]
                    return True
        total = self.book.totals.get("total_reward")
        return not _blank(total) and _nonzero(total.value)  # type: ignore[union-attr]

    def check_lines(self) -> None:
        if self.result is None:
            return
        claim = self.is_claim()
        for r, line in zip(self.line_rows, self.result.lines, strict=True):
            if r is None:
                continue
            if line.actual is None and not r.bad:
                claimed_reward = r.row.claimed.get("reward")
                if claim or (not _blank(claimed_reward) and _nonzero(claimed_reward.value)):  # type: ignore[union-attr]
                    self.add(
                        "LPSA015",
                        r.cell("actual"),
                        f"{r.where()}: the actual is missing, but the return claims a reward",
                    )
            if r.bad or (r.parent and r.parent in self.untrusted):
                continue
            for name, cell in r.row.claimed.items():
                if not _blank(cell):
                    self.check_claim(r, line, name, cell)

    def check_claim(self, r: _Row, line: Line, name: str, cell: Cell) -> None:
        checker = _CLAIMS.get(name)
        if checker is None:
            return
        code = error_value(cell.value)
        if code is not None:
            rule = _CLAIM_RULES[name]
            shown = getattr(line, name)
            if shown is None:  # no actual yet: the return's formula cannot compute it either
                return
            self.add(
                rule,
                cell,
                f"{r.where()}: the {_CLAIM_LABELS[name]} shows {code}; "
                f"recomputed it is {_fmt(name, shown)}",
            )
            return
        checker(self, r, line, name, cell)

    def claim_reward(self, r: _Row, line: Line, name: str, cell: Cell) -> None:
        if line.reward is None:
            return
        detail = f"{_pct(line.payable)} of {_money(line.potential)} payable"
        self.compare_reward(r.where(), cell, line.reward, line.potential, detail)

    def compare_reward(
        self, where: str, cell: Cell, reward: Decimal, potential: Decimal, detail: str
    ) -> None:
        """LPSA007 (or LPSA011 when above the potential) for a claimed reward."""
        try:
            claimed = to_decimal(cell.value, "reward")
        except NotANumberError:
            self.add(
                "LPSA002",
                cell,
                f"{where}: the claimed reward must be a number, but holds {_shown(cell.value)}",
            )
            return
        tolerance = max(half_unit(claimed), self.scheme.reward_unit / 2)
        if within(claimed, reward, tolerance):
            return
        if claimed > potential + tolerance:
            self.add(
                "LPSA011",
                cell,
                f"{where}: the claimed reward {_money(claimed)} is above the "
                f"potential {_money(potential)}; recomputed it is {_money(reward)}",
            )
        else:
            self.add(
                "LPSA007",
                cell,
                f"{where}: the claimed reward {_money(claimed)} differs from "
                f"the recomputed {_money(reward)} ({detail})",
            )

    def check_split_targets(self) -> None:
        """A claimed reward on the row of a target split into sub-targets: their sum."""
        if self.result is None:
            return
        subs: dict[str, list[tuple[_Row, Line]]] = {}
        for r, line in zip(self.line_rows, self.result.lines, strict=True):
            if r is not None and r.parent:
                subs.setdefault(r.parent, []).append((r, line))
        for head in self.rows:
            cell = head.row.claimed.get("reward")
            parts = subs.get(head.ref, [])
            if head.parent or not parts or _blank(cell) or head.ref in self.untrusted:
                continue
            assert cell is not None
            if any(r.bad or line.reward is None for r, line in parts):
                continue
            reward = sum((line.reward or Decimal(0) for _, line in parts), Decimal(0))
            pot = sum((line.potential for _, line in parts), Decimal(0))
            detail = f"the sum of its {len(parts)} sub-targets' rewards"
            self.compare_reward(head.where(), cell, reward, pot, detail)

    def claim_fraction(self, r: _Row, line: Line, name: str, cell: Cell) -> None:
        exact = getattr(line, name)
        if exact is None:
            return
        try:
            readings = as_fractions(cell.value)
        except NotANumberError:
            self.add(
                "LPSA002",
                cell,
                f"{r.where()}: the {_CLAIM_LABELS[name]} must be a number or percentage, "
                f"but holds {_shown(cell.value)}",
            )
            return
        if not any(within(value, exact, tol) for value, tol in readings):
            self.add(
                "LPSA008",
                cell,
                f"{r.where()}: the {_CLAIM_LABELS[name]} {_shown(cell.value)} differs "
                f"from the recomputed {_pct(exact)}",
            )

    def claim_status(self, r: _Row, line: Line, name: str, cell: Cell) -> None:
        if line.status is None:
            return
        claimed = str(cell.value).strip()
        if claimed[:1].lower() != line.status[:1].lower():
            self.add(
                "LPSA009",
                cell,
                f"{r.where()}: the status {claimed!r} differs from the recomputed "
                f"{line.status} ({_pct(line.achievement)} of the stretch achieved)",
            )

    def claim_figure(self, r: _Row, line: Line, name: str, cell: Cell) -> None:
        exact = getattr(line, name)
        if exact is None:
            return
        try:
            claimed = to_decimal(cell.value, name)
        except NotANumberError:
            self.add(
                "LPSA002",
                cell,
                f"{r.where()}: the {_CLAIM_LABELS[name]} must be a number, "
                f"but holds {_shown(cell.value)}",
            )
            return
        tolerance = half_unit(claimed)
        candidates = (exact, abs(exact)) if name == "stretch" else (exact,)
        if not any(within(claimed, c, tolerance) for c in candidates):
            self.add(
                "LPSA010",
                cell,
                f"{r.where()}: the {_CLAIM_LABELS[name]} {claimed:f} differs from "
                f"the recomputed {exact:f}",
            )

    def check_totals(self) -> None:
        if self.result is None:
            return
        trusted = not self.untrusted and not any(r.bad for r in self.rows)
        figures = {"total_potential": self.result.total_potential}
        if trusted:
            figures["total_reward"] = self.result.total_reward
        for name, exact in figures.items():
            cell = self.book.totals.get(name)
            if _blank(cell):
                continue
            assert cell is not None
            label = name.replace("_", " ")
            try:
                claimed = to_decimal(cell.value, name)
            except NotANumberError:
                self.add(
                    "LPSA002", cell, f"the {label} must be a number, but holds {_shown(cell.value)}"
                )
                continue
            if not within(claimed, exact, max(half_unit(claimed), self.scheme.reward_unit / 2)):
                self.add(
                    "LPSA010",
                    cell,
                    f"the {label} {_money(claimed)} differs from the recomputed {_money(exact)}",
                )

    def summary(self, values: dict[str, object]) -> Summary:
        out = Summary(scheme=self.scheme.name)
        total = self.book.totals.get("total_reward")
        claimed = _number_or_none(total.value) if total is not None else None
        if claimed is None:
            rewards = [
                _number_or_none(r.row.claimed["reward"].value)
                for r in self.rows
                if "reward" in r.row.claimed
            ]
            given = [x for x in rewards if x is not None]
            claimed = sum(given, Decimal(0)) if given else None
        out.claimed_reward = claimed
        if self.result is None:
            return out
        out.potential, out.reward = self.result.total_potential, self.result.total_reward
        achieved = [line.achievement for line in self.result.lines if line.achievement is not None]
        out.achievement = sum(achieved, Decimal(0)) / len(achieved) if achieved else None
        for line in self.result.lines:
            if line.status is None:
                continue
            count = out.themes.setdefault(line.theme or "(no theme)", ThemeCount())
            count.lines += 1
            setattr(count, line.status.lower(), getattr(count, line.status.lower()) + 1)
        return out


class _Bad(Exception):
    """An input already reported; the row is not recomputed."""


_CLAIMS: dict[str, Callable[[_BookCheck, _Row, Line, str, Cell], None]] = {
    "reward": _BookCheck.claim_reward,
    "achievement": _BookCheck.claim_fraction,
    "payable": _BookCheck.claim_fraction,
    "status": _BookCheck.claim_status,
    "stretch": _BookCheck.claim_figure,
    "trigger": _BookCheck.claim_figure,
    "vfm_cost": _BookCheck.claim_figure,
}
_CLAIM_RULES = {
    "reward": "LPSA007",
    "achievement": "LPSA008",
    "payable": "LPSA008",
    "status": "LPSA009",
    "stretch": "LPSA010",
    "trigger": "LPSA010",
    "vfm_cost": "LPSA010",
}
_CLAIM_LABELS = {
    "reward": "claimed reward",
    "achievement": "% of stretch achieved",
    "payable": "payable %",
    "status": "status",
    "stretch": "stretch",
    "trigger": "60% trigger",
    "vfm_cost": "£ per unit of stretch",
}


def _fmt(name: str, value: object) -> str:
    if value is None:
        return "-"
    if name in ("achievement", "payable"):
        return _pct(value)  # type: ignore[arg-type]
    if name == "reward":
        return _money(value)  # type: ignore[arg-type]
    return str(value)


def _shown(value: object) -> str:
    if isinstance(value, str):
        return f"the text {value!r}"
    return (
        f"{type(value).__name__} {value!r}" if not isinstance(value, (int, float)) else repr(value)
    )


def _text(cell: Cell | None) -> str:
    return "" if cell is None or _blank(cell) else str(cell.value).strip()


def _year_cell(line: dict[str, Cell]) -> Cell | None:
    """The financial year of a pump-priming or claim line (``year`` or ``financial_year``)."""
    return line.get("year") or line.get("financial_year")


def _financial_year(cell: Cell | None) -> str | None:
    """A claim line's financial year as the core labels it (``2009/10``), or None."""
    if _blank(cell) or not isinstance(cell.value, str):  # type: ignore[union-attr]
        return None
    try:
        return financial_year(parse_financial_year(cell.value, "year"))  # type: ignore[union-attr]
    except LpsaError:
        return None


def _nonzero(value: object) -> bool:
    number = _number_or_none(value)
    return number is None or number != 0  # text in an amount cell still says "claimed"


def _number_or_none(value: object) -> Decimal | None:
    try:
        return to_decimal(value)
    except NotANumberError:
        return None


def check_book(book: ReturnBook) -> tuple[str, list[Finding], Summary]:
    """Check one return as read: ``(authority, findings, summary)``. Never raises for bad
    content: every problem is a finding."""
    check = _BookCheck(book)
    values = check.check_agreement()
    check.read_rows()
    check.check_duplicates()
    targets = check.build_targets()
    scheme = check.check_count(targets)
    agreement = check.agreement(values, targets, scheme)
    if agreement is not None:
        check.recompute(agreement)
    check.check_claim_lines()
    check.check_lines()
    check.check_split_targets()
    check.check_totals()
    check.check_payments()
    return str(values.get("authority") or ""), check.findings, check.summary(values)
