"""What the checker says about a return: findings, and each file's result and summary figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from lpsa_xl.check.stated import ReturnFigures
    from lpsa_xl.rules import Rollup

__all__ = [
    "ERROR",
    "INFO",
    "SEVERITIES",
    "WARNING",
    "FileResult",
    "Finding",
    "Summary",
    "ThemeCount",
]

ERROR, WARNING, INFO = "error", "warning", "info"
#: Severities, the most serious first.
SEVERITIES = (ERROR, WARNING, INFO)


@dataclass(frozen=True)
class Finding:
    """One thing wrong (or worth knowing) in a return, at a sheet and cell where there is one."""

    severity: str
    rule: str
    message: str
    sheet: str | None = None
    cell: str | None = None

    @property
    def place(self) -> str:
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet or ""

    def as_json(self) -> dict[str, str | None]:
        return {
            "severity": self.severity,
            "sheet": self.sheet,
            "cell": self.cell,
            "rule": self.rule,
            "message": self.message,
        }


@dataclass
class ThemeCount:
    """Lines of one theme with an actual, by status colour."""

    lines: int = 0
    green: int = 0
    amber: int = 0
    red: int = 0


@dataclass
class Summary:
    """The figures of one return for the reports: recomputed through the core, and as claimed."""

    scheme: str = ""
    potential: Decimal | None = None
    reward: Decimal | None = None
    claimed_reward: Decimal | None = None
    #: Mean fraction of stretch achieved over the lines with an actual (not capped).
    achievement: Decimal | None = None
    themes: dict[str, ThemeCount] = field(default_factory=dict)
    #: The final reward of the lines that are in plus the forecast reward of the rest (None
    #: when no target is forecast), and the roll-up by class (docs/rules.md#roll-up).
    forecast_reward: Decimal | None = None
    rollup: Rollup | None = None

    @property
    def difference(self) -> Decimal | None:
        """Claimed minus recomputed reward."""
        if self.claimed_reward is None or self.reward is None:
            return None
        return self.claimed_reward - self.reward


@dataclass
class FileResult:
    """A checked file: its status (``ok``, ``findings`` or ``unusable``) and findings."""

    path: Path
    authority: str = ""
    unusable: bool = False
    findings: list[Finding] = field(default_factory=list)
    summary: Summary | None = None
    #: Package features an openpyxl save would drop (the annotator refuses them without --force).
    lossy: list[str] = field(default_factory=list)
    #: What the return states, for the register rules and the history (None: unusable).
    figures: ReturnFigures | None = None
    #: SHA-256 of the file's bytes.
    file_hash: str = ""
    #: With a register: the agreement version compared with, and the figures changed since
    #: the authority's last recorded round (``"1 target: 40.2 -> 40.18"``).
    agreement_version: int | None = None
    changes: list[str] | None = None

    @property
    def status(self) -> str:
        if self.unusable:
            return "unusable"
        if any(f.severity in (ERROR, WARNING) for f in self.findings):
            return "findings"
        return "ok"

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def as_json(self) -> dict[str, object]:
        summary = self.summary or Summary()
        out: dict[str, object] = {
            "path": str(self.path),
            "authority": self.authority,
            "status": self.status,
            # decimal strings, as compute --json gives them; null where not recomputed
            "total_potential": _text(summary.potential),
            "total_reward": _text(summary.reward),
            "claimed_reward": _text(summary.claimed_reward),
            "forecast_reward": _text(summary.forecast_reward),
            "rollup": rollup_json(summary.rollup),
            "findings": [f.as_json() for f in self.findings],
        }
        if self.changes is not None:
            out["agreement_version"] = self.agreement_version
            out["changes"] = self.changes
        return out


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def rollup_json(rollup: Rollup | None) -> dict[str, dict[str, object]] | None:
    """A roll-up as JSON: each class's number of targets, potential and reward (strings)."""
    if rollup is None:
        return None
    return {
        c.name: {"targets": c.count, "potential": str(c.potential), "reward": str(c.reward)}
        for c in rollup.classes
    }


def folder_rollup(results: list[FileResult]) -> dict[str, dict[str, object]]:
    """The roll-up across a folder: each class summed over the returns that were recomputed."""
    from lpsa_xl.rules.rollup import CLASSES

    out: dict[str, dict[str, object]] = {}
    for name in CLASSES:
        parts = [r.summary.rollup[name] for r in results if r.summary and r.summary.rollup]
        out[name] = {
            "targets": sum(c.count for c in parts),
            "potential": str(sum((c.potential for c in parts), Decimal(0))),
            "reward": str(sum((c.reward for c in parts), Decimal(0))),
        }
    return out
