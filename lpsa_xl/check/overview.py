"""What both reports show about each return, computed once: its status by the worst severity of
its findings, the counts, the reason an unusable file could not be read, and its figures; and
the totals over a folder. Pure: findings in, rows out (no I/O, no report library)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from lpsa_xl.check.findings import ERROR, INFO, SEVERITIES, WARNING, FileResult, Finding

__all__ = ["STATUSES", "Overview", "Totals", "overview", "sorted_findings", "status", "totals"]

#: Statuses of a return, the most serious first: errors red, warnings amber, ok green,
#: unusable grey.
STATUSES = ("errors", "warnings", "ok", "unusable")


def status(result: FileResult) -> str:
    """``unusable``, or by the worst finding: ``errors``, ``warnings``, ``ok`` (info only)."""
    if result.unusable:
        return "unusable"
    if result.count(ERROR):
        return "errors"
    if result.count(WARNING):
        return "warnings"
    return "ok"


def sorted_findings(findings: Sequence[Finding]) -> list[Finding]:
    """The most serious first; within a severity, in the order they were found."""
    return sorted(findings, key=lambda f: SEVERITIES.index(f.severity))


@dataclass
class Overview:
    """One return as the reports list it."""

    result: FileResult
    name: str
    status: str
    errors: int
    warnings: int
    infos: int
    #: Why an unusable file could not be read (its first LPSA100 finding).
    reason: str = ""
    potential: Decimal | None = None
    reward: Decimal | None = None
    claimed: Decimal | None = None
    difference: Decimal | None = None
    #: Whether any actual was read: without one the reward is not yet assessed, not £0.
    assessed: bool = False
    earned: Decimal | None = None


def overview(results: Sequence[FileResult]) -> list[Overview]:
    """One row per return, in the order given; names made unique by adding the file name."""
    names = [r.authority or r.path.name for r in results]
    rows = []
    for name, r in zip(names, results, strict=True):
        if names.count(name) > 1 and name != r.path.name:
            name = f"{name} ({r.path.name})"
        row = Overview(r, name, status(r), r.count(ERROR), r.count(WARNING), r.count(INFO))
        if r.unusable:
            row.reason = next((f.message for f in r.findings if f.rule == "LPSA100"), "")
        s = r.summary
        if s is not None:
            row.potential, row.claimed = s.potential, s.claimed_reward
            row.assessed = s.achievement is not None
            row.reward = s.reward if row.assessed else None
            row.difference = s.difference if row.assessed else None
            if row.reward is not None and s.potential:
                row.earned = row.reward / s.potential
        rows.append(row)
    return rows


@dataclass
class Totals:
    """The counts and sums over a folder, for the first line of a report."""

    returns: int = 0
    by_status: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    potential: Decimal = Decimal(0)
    reward: Decimal = Decimal(0)
    claimed: Decimal = Decimal(0)
    errors: int = 0
    warnings: int = 0


def totals(rows: Sequence[Overview]) -> Totals:
    out = Totals(returns=len(rows))
    for row in rows:
        out.by_status[row.status] += 1
        out.potential += row.potential or 0
        out.reward += row.reward or 0
        out.claimed += row.claimed or 0
        out.errors += row.errors
        out.warnings += row.warnings
    return out
