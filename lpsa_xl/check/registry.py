"""Every rule of the checker, once: its id, severity and what it checks.

The logic of each rule lives in :mod:`lpsa_xl.check.checks` (book rules) or
:mod:`lpsa_xl.check.run` (package and stale-cache rules); any figure they compare is recomputed
by the rules core (:mod:`lpsa_xl.rules`), never here. ``lpsa-xl check --rules`` prints this table.
"""

from __future__ import annotations

from dataclasses import dataclass

from lpsa_xl.check.findings import ERROR, INFO, WARNING, Finding
from lpsa_xl.returns.model import Cell

__all__ = ["RULES", "Rule"]


@dataclass(frozen=True)
class Rule:
    """A rule of the checker: ``id`` such as ``LPSA003``, its severity and what it checks."""

    id: str
    severity: str
    title: str
    checks: str

    def at(self, cell: Cell | tuple[str | None, str | None] | None, message: str) -> Finding:
        """A finding of this rule at ``cell`` (a read :class:`Cell`, ``(sheet, coord)`` or None)."""
        sheet: str | None
        coord: str | None
        if isinstance(cell, Cell):
            sheet, coord = cell.sheet, cell.coord
        elif cell is None:
            sheet = coord = None
        else:
            sheet, coord = cell
        return Finding(self.severity, self.id, message, sheet, coord)


def _rules(*rules: Rule) -> dict[str, Rule]:
    return {r.id: r for r in rules}


#: The rules by id, in the order they are listed.
RULES = _rules(
    Rule(
        "LPSA001",
        ERROR,
        "required field missing",
        "an authority; a reference, expected (without) and target (with) for every measured "
        "target; an NBR, stated potential or line potentials for a scheme that pays a reward",
    ),
    Rule(
        "LPSA002",
        ERROR,
        "non-numeric input",
        "every figure (NBR, potentials, expected, target, actual, weights, pump priming, claim "
        "amounts) is a number: not text, not an Excel error value",
    ),
    Rule(
        "LPSA003",
        ERROR,
        "target not better than expected",
        "the target is better than expected for the declared direction (docs/rules.md#stretch)",
    ),
    Rule(
        "LPSA004",
        ERROR,
        "target equal to expected",
        "the target differs from the expected performance: no stretch is invalid "
        "(docs/rules.md#stretch)",
    ),
    Rule(
        "LPSA005",
        ERROR,
        "sub-target weights do not sum to 1",
        "a target's sub-target weights are all given and add up to 1, or all blank "
        "(docs/rules.md#split)",
    ),
    Rule(
        "LPSA006",
        WARNING,
        "stated potential differs from the NBR",
        "a stated potential equals the scheme's 2.5% of the NBR within the rounding the stated "
        "figure shows; the stated figure wins (docs/rules.md#potential)",
    ),
    Rule(
        "LPSA007",
        ERROR,
        "claimed reward differs",
        "each claimed reward equals the reward recomputed by the core (docs/rules.md#reward)",
    ),
    Rule(
        "LPSA008",
        ERROR,
        "claimed % of stretch differs",
        "each claimed % of stretch achieved (and payable %) equals the recomputed one",
    ),
    Rule(
        "LPSA009",
        ERROR,
        "claimed status differs",
        "each claimed status colour (Green, Amber, Red) equals the recomputed one "
        "(docs/rules.md#status)",
    ),
    Rule(
        "LPSA010",
        ERROR,
        "claimed figure differs",
        "other claimed figures (stretch, 60% trigger, £ per unit of stretch, total potential, "
        "total reward) equal the recomputed ones",
    ),
    Rule(
        "LPSA011",
        ERROR,
        "reward above potential",
        "no claimed reward is above the potential of its target or sub-target (docs/rules.md#cap)",
    ),
    Rule(
        "LPSA012",
        ERROR,
        "too many designated targets",
        "an LAA 2008 return holds at most 35 designated targets (docs/rules.md#laa-2008)",
    ),
    Rule(
        "LPSA013",
        ERROR,
        "duplicate target reference",
        "every target reference is used once (and every sub-target reference once per target)",
    ),
    Rule(
        "LPSA014",
        WARNING,
        "pump-priming spend above budget",
        "pump-priming spend is within each line's budget and within the grant "
        "(docs/rules.md#pump-priming)",
    ),
    Rule(
        "LPSA015",
        ERROR,
        "actual missing in a claim",
        "a return that claims a reward gives the actual of every measured target",
    ),
    Rule(
        "LPSA016",
        ERROR,
        "cached value stale",
        "each formula's cached value (what viewers show) equals a headless recalculation",
    ),
    Rule("LPSA017", ERROR, "unknown scheme", "the scheme is one lpsa-xl knows"),
    Rule("LPSA018", INFO, "scheme assumed", "no scheme is given, so LPSA1 is assumed"),
    Rule(
        "LPSA019",
        ERROR,
        "invalid input",
        "other figures within range: no negative money, weights in (0, 1], a known direction, "
        "dates in order",
    ),
    Rule(
        "LPSA020",
        ERROR,
        "claimed payment differs",
        "each claim line (financial year, amount, capital, revenue) equals the payment the core "
        "schedules for that year, once every actual is in (docs/rules.md#instalments)",
    ),
    Rule(
        "LPSA021",
        ERROR,
        "figure not placed",
        "every figure the layout gives belongs to a target: an outturn joined by reference "
        "names a target of the targets table, and is given once",
    ),
    Rule(
        "LPSA022",
        WARNING,
        "figure not found",
        "each target's outturn is found: in its row, the latest year of a year-by-year table, "
        "or an outturn table joined by reference (what was looked for is named)",
    ),
    Rule(
        "LPSA023",
        WARNING,
        "implausible figure",
        "an outturn within 10 times the stretch either way, an expected and a target within 10 "
        "times of each other (thresholds in lpsa_xl/returns/plausibility.toml)",
    ),
    Rule(
        "LPSA024",
        INFO,
        "read from a title",
        "where the authority and the scheme were read from, when no labelled cell gives them "
        "(the title rows, then the document properties)",
    ),
    Rule(
        "LPSA025",
        ERROR,
        "differs from the agreement",
        "with --register: the scheme, NBR, stated potential and each line's expected, target, "
        "weight and potential equal the agreed figures of the version in force",
    ),
    Rule(
        "LPSA026",
        ERROR,
        "target not in the agreement",
        "with --register: every target and sub-target of the return is in the agreement",
    ),
    Rule(
        "LPSA027",
        ERROR,
        "agreed target missing",
        "with --register: every agreed target and sub-target is in the return",
    ),
    Rule(
        "LPSA028",
        WARNING,
        "authority not in the register",
        "with --register: the return's authority has an agreement in the register",
    ),
    Rule(
        "LPSA029",
        WARNING,
        "register unavailable",
        "Validate in Excel with a register configured: the register's database can be opened "
        "(otherwise the return is checked without it, and this says why)",
    ),
    Rule(
        "LPSA100",
        ERROR,
        "unusable file",
        "the file can be opened: not corrupt, encrypted, an old .xls, a zip or XML bomb, or "
        "missing its layout (the file is named and skipped; exit code 2)",
    ),
    Rule(
        "LPSA101",
        WARNING,
        "package warning",
        "no VBA project (noted, never run), external links, or sheets claiming a million rows",
    ),
    Rule(
        "LPSA102",
        INFO,
        "content an openpyxl copy would lose",
        "charts, images, shapes, form controls, pivot caches... (the annotated copy needs --force)",
    ),
    Rule(
        "LPSA103",
        WARNING,
        "annotated copy not written",
        "--annotate writes a copy only when nothing would be lost, unless --force",
    ),
    Rule(
        "LPSA104",
        WARNING,
        "recalculation failed",
        "the headless recalculation behind LPSA016 ran; when it fails the file is not checked "
        "for stale values, and this says why",
    ),
    Rule(
        "LPSA105",
        ERROR,
        "functions not loaded",
        "Excel has loaded the LPSA functions: in a live book every cell using them shows "
        "#NAME? when the add-in is not started (Validate, Calculate and Build claim say how to "
        "load them)",
    ),
    Rule(
        "LPSA106",
        INFO,
        "cached values not compared",
        "formula cells that depend on the clock or chance (TODAY, NOW, RAND) or on Excel's "
        "surroundings (CELL, INFO) are named, and their cached values not compared by LPSA016",
    ),
)
