"""The claim rules: every figure a return states against what the core recomputes (rewards, % of
stretch, status, trigger, totals, the payment plan), and the summary for the reports
(docs/rules.md#reward, #instalments)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from lpsa_xl.check.book import (
    LABELS,
    BookState,
    Row,
    blank,
    nonzero,
    number_or_none,
    shown,
    year_cell,
)
from lpsa_xl.check.compare import as_fractions, error_value, half_unit, within
from lpsa_xl.check.findings import Summary, ThemeCount
from lpsa_xl.display import exact_money as money
from lpsa_xl.display import exact_percent as pct
from lpsa_xl.returns.forecasts import outlook
from lpsa_xl.returns.model import Cell
from lpsa_xl.rules import (
    Line,
    LpsaError,
    NotANumberError,
    financial_year,
    parse_financial_year,
    to_decimal,
)

__all__ = ["ClaimChecks"]


class ClaimChecks(BookState):
    """Compare what the return claims with the recomputed figures."""

    def check_payments(self) -> None:
        """LPSA020: claim lines against the core's payment plan (only once the reward is final:
        every actual in, every row good)."""
        result = self.result
        final = result is not None and result.complete
        if result is None or not final or any(r.bad for r in self.rows) or self.untrusted:
            return
        plan = {p.year: p for p in result.payments}
        for line in self.book.claim:
            label = _financial_year(year_cell(line))
            payment = plan.get(label or "")
            if payment is None:
                continue
            for name, exact in (("amount", payment.paid), ("capital", payment.capital),
                                ("revenue", payment.revenue)):  # fmt: skip
                cell = line.get(name)
                claimed = None if blank(cell) else number_or_none(cell.value)  # type: ignore[union-attr]
                if claimed is None or within(claimed, exact, self.scheme.payment_unit / 2):
                    continue
                self.add(
                    "LPSA020",
                    cell,
                    f"claim {label}: the {LABELS[name]} {money(claimed)} differs from the "
                    f"{payment.kind} of {money(exact)} that the reward of "
                    f"{money(result.total_reward)} gives under {self.scheme.name}",
                )

    def is_claim(self) -> bool:
        for line in self.book.claim:
            for name in ("amount", "capital", "revenue"):
                cell = line.get(name)
                if not blank(cell) and nonzero(cell.value):  # type: ignore[union-attr]
                    return True
        total = self.book.totals.get("total_reward")
        return not blank(total) and nonzero(total.value)  # type: ignore[union-attr]

    def check_lines(self) -> None:
        if self.result is None:
            return
        claim = self.is_claim()
        for r, line in zip(self.line_rows, self.result.lines, strict=True):
            if r is None:
                continue
            if line.actual is None and not r.bad:
                claimed_reward = r.row.claimed.get("reward")
                if claim or (not blank(claimed_reward) and nonzero(claimed_reward.value)):  # type: ignore[union-attr]
                    self.add(
                        "LPSA015",
                        r.cell("actual"),
                        f"{r.where()}: the actual is missing, but the return claims a reward",
                    )
            if r.bad or (r.parent and r.parent in self.untrusted):
                continue
            for name, cell in r.row.claimed.items():
                if not blank(cell):
                    self.check_claim(r, line, name, cell)

    def check_claim(self, r: Row, line: Line, name: str, cell: Cell) -> None:
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

    def claim_reward(self, r: Row, line: Line, name: str, cell: Cell) -> None:
        if line.reward is None:
            return
        detail = f"{pct(line.payable)} of {money(line.potential)} payable"
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
                f"{where}: the claimed reward must be a number, but holds {shown(cell.value)}",
            )
            return
        tolerance = max(half_unit(claimed), self.scheme.reward_unit / 2)
        if within(claimed, reward, tolerance):
            return
        if claimed > potential + tolerance:
            self.add(
                "LPSA011",
                cell,
                f"{where}: the claimed reward {money(claimed)} is above the "
                f"potential {money(potential)}; recomputed it is {money(reward)}",
            )
        else:
            self.add(
                "LPSA007",
                cell,
                f"{where}: the claimed reward {money(claimed)} differs from "
                f"the recomputed {money(reward)} ({detail})",
            )

    def check_split_targets(self) -> None:
        """A claimed reward on the row of a target split into sub-targets: their sum."""
        if self.result is None:
            return
        subs: dict[str, list[tuple[Row, Line]]] = {}
        for r, line in zip(self.line_rows, self.result.lines, strict=True):
            if r is not None and r.parent:
                subs.setdefault(r.parent, []).append((r, line))
        for head in self.rows:
            cell = head.row.claimed.get("reward")
            parts = subs.get(head.ref, [])
            if head.parent or not parts or blank(cell) or head.ref in self.untrusted:
                continue
            assert cell is not None
            if any(r.bad or line.reward is None for r, line in parts):
                continue
            reward = sum((line.reward or Decimal(0) for _, line in parts), Decimal(0))
            pot = sum((line.potential for _, line in parts), Decimal(0))
            detail = f"the sum of its {len(parts)} sub-targets' rewards"
            self.compare_reward(head.where(), cell, reward, pot, detail)

    def claim_fraction(self, r: Row, line: Line, name: str, cell: Cell) -> None:
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
                f"but holds {shown(cell.value)}",
            )
            return
        if not any(within(value, exact, tol) for value, tol in readings):
            self.add(
                "LPSA008",
                cell,
                f"{r.where()}: the {_CLAIM_LABELS[name]} {shown(cell.value)} differs "
                f"from the recomputed {pct(exact)}",
            )

    def claim_status(self, r: Row, line: Line, name: str, cell: Cell) -> None:
        if line.status is None:
            return
        claimed = str(cell.value).strip()
        if claimed[:1].lower() != line.status[:1].lower():
            self.add(
                "LPSA009",
                cell,
                f"{r.where()}: the status {claimed!r} differs from the recomputed "
                f"{line.status} ({pct(line.achievement)} of the stretch achieved)",
            )

    def claim_figure(self, r: Row, line: Line, name: str, cell: Cell) -> None:
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
                f"but holds {shown(cell.value)}",
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
            if blank(cell):
                continue
            assert cell is not None
            label = name.replace("_", " ")
            try:
                claimed = to_decimal(cell.value, name)
            except NotANumberError:
                self.add(
                    "LPSA002", cell, f"the {label} must be a number, but holds {shown(cell.value)}"
                )
                continue
            if not within(claimed, exact, max(half_unit(claimed), self.scheme.reward_unit / 2)):
                self.add(
                    "LPSA010",
                    cell,
                    f"the {label} {money(claimed)} differs from the recomputed {money(exact)}",
                )

    def summary(self, values: dict[str, object]) -> Summary:
        out = Summary(scheme=self.scheme.name)
        total = self.book.totals.get("total_reward")
        claimed = number_or_none(total.value) if total is not None else None
        if claimed is None:
            rewards = [
                number_or_none(r.row.claimed["reward"].value)
                for r in self.rows
                if "reward" in r.row.claimed
            ]
            given = [x for x in rewards if x is not None]
            claimed = sum(given, Decimal(0)) if given else None
        out.claimed_reward = claimed
        if self.result is None:
            return out
        out.potential = self.result.total_potential
        # the recomputed reward only where every row was read and used, as compute gives it:
        # a total over the rows that could be read would be a silently wrong figure
        trusted = bool(self.rows) and not self.untrusted and not any(r.bad for r in self.rows)
        out.reward = self.result.total_reward if trusted and not self.book.problems else None
        if out.reward is not None:
            ahead = outlook(self.book, self.result)
            out.rollup = ahead.rollup
            out.forecast_reward = ahead.rollup.reward if ahead.forecasts and ahead.rollup else None
        achieved = [line.achievement for line in self.result.lines if line.achievement is not None]
        out.achievement = sum(achieved, Decimal(0)) / len(achieved) if achieved else None
        for line in self.result.lines:
            if line.status is None:
                continue
            count = out.themes.setdefault(line.theme or "(no theme)", ThemeCount())
            count.lines += 1
            setattr(count, line.status.lower(), getattr(count, line.status.lower()) + 1)
        return out


_CLAIMS: dict[str, Callable[[ClaimChecks, Row, Line, str, Cell], None]] = {
    "reward": ClaimChecks.claim_reward,
    "achievement": ClaimChecks.claim_fraction,
    "payable": ClaimChecks.claim_fraction,
    "status": ClaimChecks.claim_status,
    "stretch": ClaimChecks.claim_figure,
    "trigger": ClaimChecks.claim_figure,
    "vfm_cost": ClaimChecks.claim_figure,
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
        return pct(value)  # type: ignore[arg-type]
    if name == "reward":
        return money(value)  # type: ignore[arg-type]
    return str(value)


def _financial_year(cell: Cell | None) -> str | None:
    """A claim line's financial year as the core labels it (``2009/10``), or None."""
    if blank(cell) or not isinstance(cell.value, str):  # type: ignore[union-attr]
        return None
    try:
        return financial_year(parse_financial_year(cell.value, "year"))  # type: ignore[union-attr]
    except LpsaError:
        return None
