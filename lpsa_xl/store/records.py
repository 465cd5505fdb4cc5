"""What the store holds, as plain values: an agreement as agreed (:class:`Agreed`, one version),
its lines (:class:`AgreedLine`), and a returns round (:class:`Round`).

An :class:`Agreed` is made from the rules core's :class:`~lpsa_xl.rules.Agreement` (so every
figure was validated by the same code that computes rewards) and turns back into one
(:meth:`Agreed.to_agreement`). Figures are :class:`~decimal.Decimal` throughout; JSON gives them
as decimal strings, as ``lpsa-xl compute --json`` does.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from lpsa_xl.rules import Agreement, targets_from_rows

__all__ = [
    "LINE_FIGURES",
    "Agreed",
    "AgreedLine",
    "Round",
    "authority_key",
    "file_hash",
]

#: The agreed figures of a line.
LINE_FIGURES = ("expected", "target", "weight", "potential", "interim_target", "baseline")
_LINE_TEXTS = ("measure", "unit", "baseline_year")


def file_hash(path: str | Path) -> str:
    """The SHA-256 of a file's bytes (a round and a registered agreement name their file)."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def authority_key(name: object) -> str:
    """How an authority is looked up: case and runs of spaces ignored."""
    return " ".join(str(name or "").split()).casefold()


def _s(value: object) -> object:
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    return value


@dataclass(frozen=True)
class AgreedLine:
    """A target (``parent`` ``""``) or sub-target (``parent`` its target's ref) as agreed."""

    ref: str
    parent: str = ""
    measure: str = ""
    unit: str = ""
    direction: str | None = None
    expected: Decimal | None = None
    target: Decimal | None = None
    weight: Decimal | None = None
    potential: Decimal | None = None
    interim_target: Decimal | None = None
    baseline: Decimal | None = None
    baseline_year: str = ""

    @property
    def label(self) -> str:
        return f"{self.parent}/{self.ref}" if self.parent else self.ref

    def as_json(self) -> dict[str, object]:
        return {f.name: _s(getattr(self, f.name)) for f in fields(self)}


@dataclass(frozen=True)
class Agreed:
    """One version of an authority's agreement, as agreed.

    ``version`` (from 1), ``in_force_from``, ``recorded_at`` and ``id`` are set by the store;
    ``source`` names the file it was registered from and ``source_hash`` is that file's SHA-256.
    """

    authority: str
    scheme: str
    lines: tuple[AgreedLine, ...] = ()
    period_start: _dt.date | None = None
    period_end: _dt.date | None = None
    nbr: Decimal | None = None
    nbr_year: str = ""
    stated_potential: Decimal | None = None
    pump_priming_grant: Decimal | None = None
    partners: tuple[tuple[str, Decimal], ...] = ()
    version: int = 0
    in_force_from: _dt.date | None = None
    source: str = ""
    source_hash: str = ""
    recorded_at: _dt.datetime | None = None
    id: int | None = field(default=None, compare=False)

    @property
    def key(self) -> str:
        return authority_key(self.authority)

    def lines_by_ref(self) -> dict[tuple[str, str], AgreedLine]:
        """Lines by ``(parent, ref)``."""
        return {(line.parent, line.ref): line for line in self.lines}

    def content(self) -> dict[str, object]:
        """What was agreed, without where and when it was recorded."""
        return {
            "authority": self.authority,
            "scheme": self.scheme,
            "period_start": _s(self.period_start),
            "period_end": _s(self.period_end),
            "nbr": _s(self.nbr),
            "nbr_year": self.nbr_year,
            "stated_potential": _s(self.stated_potential),
            "pump_priming_grant": _s(self.pump_priming_grant),
            "partners": [[name, _s(share)] for name, share in self.partners],
            "lines": [line.as_json() for line in self.lines],
        }

    def content_hash(self) -> str:
        """SHA-256 of :meth:`content`: two registrations of the same agreement share it."""
        text = json.dumps(self.content(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()

    def as_json(self) -> dict[str, object]:
        return {
            **self.content(),
            "version": self.version,
            "in_force_from": _s(self.in_force_from),
            "source": self.source,
            "source_hash": self.source_hash,
            "recorded_at": _s(self.recorded_at),
        }

    def stored(self, **changes: Any) -> Agreed:
        return replace(self, **changes)

    @classmethod
    def from_agreement(
        cls, agreement: Agreement, *, source: str = "", source_hash: str = ""
    ) -> Agreed:
        """The agreement as the register keeps it."""
        lines: list[AgreedLine] = []
        for t in agreement.targets:
            lines.append(_line(t, ""))
            lines.extend(_line(s, t.ref) for s in t.subtargets)
        return cls(
            authority=agreement.authority,
            scheme=agreement.scheme_obj.name,
            lines=tuple(lines),
            period_start=agreement.period_start,
            period_end=agreement.period_end,
            nbr=agreement.nbr,
            nbr_year=agreement.nbr_year,
            stated_potential=agreement.stated_potential,
            pump_priming_grant=agreement.pump_priming_grant,
            partners=tuple(agreement.partner_shares.items()),
            source=source,
            source_hash=source_hash,
        )

    def to_agreement(self) -> Agreement:
        """The rules core's agreement (no actuals): what a return is computed against."""
        rows = []
        for line in self.lines:
            row: dict[str, Any] = {"ref": line.ref, "parent": line.parent or None}
            row.update({k: getattr(line, k) for k in (*LINE_FIGURES, *_LINE_TEXTS, "direction")})
            if not line.parent and any(o.parent == line.ref for o in self.lines):
                row = {k: row[k] for k in ("ref", "parent", "potential", *_LINE_TEXTS)}
            rows.append(row)
        return Agreement(
            authority=self.authority,
            scheme=self.scheme,
            targets=tuple(targets_from_rows(rows)),
            nbr=self.nbr,
            nbr_year=self.nbr_year,
            stated_potential=self.stated_potential,
            period_start=self.period_start,
            period_end=self.period_end,
            pump_priming_grant=self.pump_priming_grant,
            partner_shares=dict(self.partners),
        )


def _line(sub: Any, parent: str) -> AgreedLine:
    measured = sub.has_measure
    return AgreedLine(
        ref=sub.ref,
        parent=parent,
        measure=sub.measure,
        unit=sub.unit,
        direction=sub.direction if measured else None,
        expected=sub.expected if measured else None,
        target=sub.target if measured else None,
        weight=sub.weight,
        potential=sub.potential,
        interim_target=sub.interim_target,
        baseline=sub.baseline,
        baseline_year=sub.baseline_year,
    )


@dataclass(frozen=True)
class Round:
    """One checked return, as recorded: its file, totals, figures and findings.

    ``figures`` maps ``(ref, field)`` to a figure (``ref`` ``""`` for the agreement's own, such
    as ``nbr``); ``findings`` holds ``(severity, rule, sheet, cell, message)``.
    """

    authority: str
    file_name: str
    file_hash: str
    status: str
    scheme: str = ""
    total_potential: Decimal | None = None
    total_reward: Decimal | None = None
    claimed_reward: Decimal | None = None
    errors: int = 0
    warnings: int = 0
    figures: dict[tuple[str, str], Decimal | None] = field(default_factory=dict)
    findings: tuple[tuple[str, str, str | None, str | None, str], ...] = ()
    checked_at: _dt.datetime | None = None
    agreement_version: int | None = None
    id: int | None = field(default=None, compare=False)

    @property
    def key(self) -> str:
        return authority_key(self.authority)

    def as_json(self) -> dict[str, object]:
        return {
            "authority": self.authority,
            "file_name": self.file_name,
            "file_hash": self.file_hash,
            "checked_at": _s(self.checked_at),
            "status": self.status,
            "scheme": self.scheme,
            "total_potential": _s(self.total_potential),
            "total_reward": _s(self.total_reward),
            "claimed_reward": _s(self.claimed_reward),
            "errors": self.errors,
            "warnings": self.warnings,
            "agreement_version": self.agreement_version,
        }
