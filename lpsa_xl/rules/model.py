"""The domain objects: an agreement, its targets and their sub-targets (docs/rules.md#agreement).

They are immutable and validated on construction: a bad figure raises an
:class:`~lpsa_xl.rules.errors.InputError` whose message names the target reference and field.
Figures are converted to :class:`~decimal.Decimal` on the way in (int, float through its shortest
repr, text or Decimal are accepted).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from lpsa_xl.rules.convert import exact, to_decimal, to_decimal_or_none, to_ref
from lpsa_xl.rules.errors import InputError, OutOfRangeError
from lpsa_xl.rules.potential import potential, weights_for
from lpsa_xl.rules.pump import PumpPrimingItem
from lpsa_xl.rules.schemes import Scheme, get_scheme
from lpsa_xl.rules.stretch import interim_met, normalise_direction, stretch

__all__ = ["Agreement", "SubTarget", "Target"]

_OPTIONAL_FIGURES = (
    "actual",
    "potential",
    "weight",
    "baseline",
    "interim_target",
    "interim_actual",
    "value_per_unit",
)


@dataclass(frozen=True)
class SubTarget:
    """A measure with its expected (E), target (T) and actual (A) performance
    (docs/rules.md#agreement).

    ``potential`` is a stated potential reward for this line (otherwise its share of the
    agreement's total); ``weight`` is a sub-target's fraction of its target's potential.
    """

    ref: str
    expected: Decimal | None = None
    target: Decimal | None = None
    actual: Decimal | None = None
    direction: str | None = None
    potential: Decimal | None = None
    weight: Decimal | None = None
    measure: str = ""
    theme: str = ""
    unit: str = ""
    baseline: Decimal | None = None
    baseline_year: str = ""
    interim_target: Decimal | None = None
    interim_actual: Decimal | None = None
    value_per_unit: Decimal | None = None

    def __post_init__(self) -> None:
        ref = to_ref(self.ref)
        if not ref:
            raise InputError("every target needs a reference", field="ref")
        object.__setattr__(self, "ref", ref)
        try:
            self._convert()
        except InputError as exc:
            raise exc.located(ref=ref) from None

    def _convert(self) -> None:
        setattr_ = object.__setattr__
        setattr_(self, "direction", normalise_direction(self.direction))
        for name in (*_OPTIONAL_FIGURES, *(() if self.has_measure else ("expected", "target"))):
            setattr_(self, name, to_decimal_or_none(getattr(self, name), name))
        for name in ("measure", "theme", "unit", "baseline_year"):
            value = getattr(self, name)
            setattr_(self, name, "" if value is None else str(value).strip())
        if self.potential is not None and self.potential < 0:
            raise OutOfRangeError(f"must not be negative, got {self.potential}", field="potential")
        if self.weight is not None and not 0 < self.weight <= 1:
            raise OutOfRangeError(
                f"must be above 0 and at most 1, got {self.weight}", field="weight"
            )
        if self.value_per_unit is not None and self.value_per_unit < 0:
            raise OutOfRangeError("must not be negative", field="value_per_unit")
        if self.has_measure:
            setattr_(self, "expected", to_decimal(self.expected, "expected"))
            setattr_(self, "target", to_decimal(self.target, "target"))
            stretch(self.expected, self.target, direction=self.direction)

    @property
    def has_measure(self) -> bool:
        return True

    @property
    def interim_met(self) -> bool:
        """Whether an agreed interim target was met (docs/rules.md#payment-on-account)."""
        if self.interim_target is None or self.interim_actual is None or not self.has_measure:
            return False
        return interim_met(self.expected, self.target, self.interim_target, self.interim_actual)


@dataclass(frozen=True)
class Target(SubTarget):
    """A target of an agreement; either a measure itself, or split into ``subtargets`` whose
    potentials are its potential sub-divided, equally unless weights are given
    (docs/rules.md#split)."""

    subtargets: tuple[SubTarget, ...] = ()
    #: False for targets outside the designated set (LAA 2008: the statutory education
    #: targets, which do not count towards the 35), docs/rules.md#laa-2008.
    designated: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "subtargets", tuple(self.subtargets))
        super().__post_init__()
        if not all(isinstance(s, SubTarget) for s in self.subtargets):
            raise InputError(
                "sub-targets must be SubTarget objects", field="subtargets", ref=self.ref
            )
        if self.weight is not None:
            raise InputError(
                "a weight divides a target among its sub-targets; targets share "
                "the potential equally (docs/rules.md#split)",
                field="weight",
                ref=self.ref,
            )
        if not self.subtargets:
            return
        for name in ("expected", "target", "actual"):
            if getattr(self, name) is not None:
                raise InputError(
                    f"a target with sub-targets has no {name} of its own: give it "
                    "on the sub-targets",
                    field=name,
                    ref=self.ref,
                )
        refs = [s.ref for s in self.subtargets]
        duplicates = sorted({r for r in refs if refs.count(r) > 1})
        if duplicates:
            raise InputError(
                f"duplicate sub-target reference {', '.join(duplicates)}", field="ref", ref=self.ref
            )
        try:
            weights_for([s.weight for s in self.subtargets], "sub-target weights")
        except InputError as exc:
            raise exc.located(ref=self.ref) from None

    @property
    def has_measure(self) -> bool:
        return not self.subtargets

    def lines(self) -> tuple[SubTarget, ...]:
        """The measured lines of this target: itself, or its sub-targets."""
        return self.subtargets or (self,)


def _date(value: object, name: str) -> _dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    try:
        return _dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise InputError(f"expected a date such as 2006-03-31, got {value!r}", field=name) from None


@dataclass(frozen=True)
class Agreement:
    """An LPSA or LAA: its scheme, targets and money (docs/rules.md#agreement).

    The potential reward is ``stated_potential`` where the agreement states one (it wins:
    docs/rules.md#potential),
    otherwise the scheme's rate of ``nbr``, the net budget requirement of the year before the
    start. ``partner_shares`` maps partner names to fractions of the reward adding up to 1.
    """

    authority: str
    scheme: Scheme | str = "LPSA1"
    targets: tuple[Target, ...] = ()
    nbr: Decimal | None = None
    nbr_year: str = ""
    stated_potential: Decimal | None = None
    period_start: _dt.date | None = None
    period_end: _dt.date | None = None
    pump_priming_grant: Decimal | None = None
    partner_shares: Mapping[str, Decimal] = field(default_factory=dict, hash=False)
    pump_priming: tuple[PumpPrimingItem, ...] = ()

    def __post_init__(self) -> None:
        setattr_ = object.__setattr__
        setattr_(self, "authority", str(self.authority or "").strip())
        setattr_(self, "scheme", get_scheme(self.scheme))
        setattr_(self, "targets", tuple(self.targets))
        setattr_(self, "pump_priming", tuple(self.pump_priming))
        if not all(isinstance(t, Target) for t in self.targets):
            raise InputError(
                "targets must be Target objects (see targets_from_rows for rows)", field="targets"
            )
        if not all(isinstance(p, PumpPrimingItem) for p in self.pump_priming):
            raise InputError(
                "pump priming lines must be PumpPrimingItem objects", field="pump_priming"
            )
        setattr_(self, "nbr_year", "" if self.nbr_year is None else str(self.nbr_year).strip())
        for name in ("nbr", "stated_potential", "pump_priming_grant"):
            value = to_decimal_or_none(getattr(self, name), name)
            if value is not None and value < 0:
                raise OutOfRangeError(f"must not be negative, got {value}", field=name)
            setattr_(self, name, value)
        setattr_(self, "period_start", _date(self.period_start, "period_start"))
        setattr_(self, "period_end", _date(self.period_end, "period_end"))
        if self.period_start and self.period_end and self.period_end <= self.period_start:
            raise InputError("the agreement must end after it starts", field="period_end")
        if not isinstance(self.partner_shares, Mapping):
            raise InputError("expected partner names mapped to fractions", field="partner_shares")
        shares = {str(k): to_decimal(v, "partner_shares") for k, v in self.partner_shares.items()}
        if shares:
            weights_for(list(shares.values()), "partner_shares")
        setattr_(self, "partner_shares", MappingProxyType(shares))
        refs = [t.ref for t in self.targets]
        duplicates = sorted({r for r in refs if refs.count(r) > 1})
        if duplicates:
            raise InputError(f"duplicate target reference {', '.join(duplicates)}", field="ref")
        limit = self.scheme_obj.max_designated_targets
        designated = sum(1 for t in self.targets if t.designated)
        if limit and designated > limit:
            raise OutOfRangeError(
                f"{designated} designated targets; {self.scheme_obj.name} allows at most {limit}",
                field="targets",
            )

    @property
    def scheme_obj(self) -> Scheme:
        assert isinstance(self.scheme, Scheme)
        return self.scheme

    @property
    @exact
    def total_potential(self) -> Decimal | None:
        """The stated potential if there is one (it wins: docs/rules.md#potential), else the
        scheme's rate of the NBR; 0 for a scheme that paid no reward; None when neither figure
        is known."""
        if not self.scheme_obj.pays_reward:
            return Decimal(0)
        if self.stated_potential is not None:
            return self.stated_potential
        if self.nbr is not None:
            return potential(self.nbr, self.scheme_obj)
        return None

    def with_targets(self, targets: Iterable[Target]) -> Agreement:
        """A copy of this agreement holding ``targets`` instead."""
        return replace(self, targets=tuple(targets))

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Agreement:
        """An agreement from a mapping of field names (unknown keys are ignored)."""
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})
