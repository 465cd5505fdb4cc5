"""Reward schemes as data: LPSA1, LPSA2, LAA2006, LAA2008, PRG2010 (RULES.md §3-§8).

The figures live in ``schemes.toml`` beside this module, never in code. A user loads a file of
their own with :func:`load_schemes` (it adds to or replaces the built-in schemes by name) or
builds a :class:`Scheme` directly.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from .convert import to_decimal, to_rounding_mode
from .errors import InputError, SchemeFileError, UnknownSchemeError

if sys.version_info >= (3, 11):  # pragma: no cover - depends on the interpreter
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = [
    "DEFAULT_SCHEME",
    "Instalment",
    "Scheme",
    "get_scheme",
    "load_schemes",
    "scheme_names",
]

DEFAULT_SCHEME = "LPSA1"


@dataclass(frozen=True)
class Instalment:
    """One payment of a scheme's reward (RULES.md §5)."""

    year_offset: int  # financial years after the one in which the agreement ends
    share: Decimal  # of the final reward
    capital_share: Decimal
    reduction: Decimal  # fraction cut from this payment


@dataclass(frozen=True)
class Scheme:
    """The parameters of one reward scheme; see ``schemes.toml`` for what each means."""

    name: str
    title: str
    period: str
    pays_reward: bool
    floor: Decimal
    cap: Decimal
    nbr_rate: Decimal
    capital_share: Decimal
    reduction: Decimal
    reward_unit: Decimal
    payment_unit: Decimal
    rounding: str  # a decimal module rounding constant
    on_account_share: Decimal
    recover_excess: bool
    max_designated_targets: int
    small_stretch_units: Decimal
    instalments: tuple[Instalment, ...] = ()
    evidence: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        fractions = {
            "floor": self.floor,
            "cap": self.cap,
            "nbr_rate": self.nbr_rate,
            "capital_share": self.capital_share,
            "reduction": self.reduction,
            "on_account_share": self.on_account_share,
        }
        for name, value in fractions.items():
            if not 0 <= value <= 1:
                raise SchemeFileError(
                    f"{name} must be between 0 and 1, got {value}", field=self.name
                )
        if self.floor > self.cap:
            raise SchemeFileError(f"floor {self.floor} is above cap {self.cap}", field=self.name)
        if self.reward_unit <= 0 or self.payment_unit <= 0:
            raise SchemeFileError("rounding units must be positive", field=self.name)
        if self.max_designated_targets < 0 or self.small_stretch_units < 0:
            raise SchemeFileError("limits must not be negative", field=self.name)
        for inst in self.instalments:
            if not (0 <= inst.capital_share <= 1 and 0 <= inst.reduction <= 1 and inst.share > 0):
                raise SchemeFileError(
                    f"instalment in year +{inst.year_offset}: share must be positive and "
                    "capital_share and reduction between 0 and 1",
                    field=self.name,
                )
        if self.pays_reward and sum((i.share for i in self.instalments), Decimal(0)) != 1:
            raise SchemeFileError("instalment shares must add up to 1", field=self.name)


_REQUIRED = (
    "title", "period", "pays_reward", "floor", "cap", "nbr_rate", "capital_share", "reduction",
    "reward_unit", "payment_unit", "rounding", "on_account_share", "recover_excess",
    "max_designated_targets", "small_stretch_units",
)  # fmt: skip


def _scheme_from_table(name: str, table: Mapping[str, Any]) -> Scheme:
    missing = [key for key in _REQUIRED if key not in table]
    if missing:
        raise SchemeFileError(f"missing {', '.join(missing)}", field=name)
    try:
        capital = to_decimal(table["capital_share"], "capital_share")
        reduction = to_decimal(table["reduction"], "reduction")
        instalments = tuple(
            Instalment(
                year_offset=int(item["year_offset"]),
                share=to_decimal(item["share"], "share"),
                capital_share=to_decimal(item.get("capital_share", capital), "capital_share"),
                reduction=to_decimal(item.get("reduction", reduction), "reduction"),
            )
            for item in table.get("instalments", [])
        )
        return Scheme(
            name=name,
            title=str(table["title"]),
            period=str(table["period"]),
            pays_reward=bool(table["pays_reward"]),
            floor=to_decimal(table["floor"], "floor"),
            cap=to_decimal(table["cap"], "cap"),
            nbr_rate=to_decimal(table["nbr_rate"], "nbr_rate"),
            capital_share=capital,
            reduction=reduction,
            reward_unit=to_decimal(table["reward_unit"], "reward_unit"),
            payment_unit=to_decimal(table["payment_unit"], "payment_unit"),
            rounding=to_rounding_mode(str(table["rounding"])),
            on_account_share=to_decimal(table["on_account_share"], "on_account_share"),
            recover_excess=bool(table["recover_excess"]),
            max_designated_targets=int(table["max_designated_targets"]),
            small_stretch_units=to_decimal(table["small_stretch_units"], "small_stretch_units"),
            instalments=instalments,
            evidence=str(table.get("evidence", "")).strip(),
        )
    except SchemeFileError:
        raise
    except InputError as exc:
        raise SchemeFileError(f"{exc.field}: {exc.reason}", field=name) from None
    except (KeyError, TypeError, ValueError) as exc:
        raise SchemeFileError(f"malformed entry ({exc})", field=name) from None


def parse_schemes(text: str, source: str = "scheme file") -> dict[str, Scheme]:
    """Parse the TOML text of a scheme file into schemes by name."""
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise SchemeFileError(f"{source} is not valid TOML: {exc}") from None
    schemes = {}
    for name, table in data.items():
        if not isinstance(table, dict):
            raise SchemeFileError(f"{source}: {name!r} must be a table of scheme figures")
        schemes[name.upper()] = _scheme_from_table(name.upper(), table)
    return schemes


def _builtin() -> dict[str, Scheme]:
    text = resources.files(__package__).joinpath("schemes.toml").read_text(encoding="utf-8")
    return parse_schemes(text, "built-in schemes.toml")


_SCHEMES: dict[str, Scheme] = _builtin()


def load_schemes(path: str | Path) -> list[str]:
    """Load a scheme file of your own; its schemes add to or replace those of the same name.

    Returns the names loaded. The file has the layout of the built-in ``schemes.toml``.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise SchemeFileError(f"cannot read scheme file {path}: {exc.strerror}") from None
    loaded = parse_schemes(text, str(path))
    _SCHEMES.update(loaded)
    return sorted(loaded)


def reset_schemes() -> None:
    """Forget schemes loaded from files; only the built-in ones remain."""
    _SCHEMES.clear()
    _SCHEMES.update(_builtin())


def scheme_names() -> list[str]:
    """The names of the schemes loaded now."""
    return sorted(_SCHEMES)


def get_scheme(scheme: str | Scheme | None = None) -> Scheme:
    """The scheme of that name (case and spaces ignored: ``"laa 2006"`` is LAA2006)."""
    if isinstance(scheme, Scheme):
        return scheme
    if scheme is None:
        return _SCHEMES[DEFAULT_SCHEME]
    if not isinstance(scheme, str):
        raise UnknownSchemeError(f"expected a scheme name, got {scheme!r}", field="scheme")
    key = scheme.strip().upper().replace(" ", "").replace("-", "").replace("_", "")
    if not key:
        return _SCHEMES[DEFAULT_SCHEME]
    try:
        return _SCHEMES[key]
    except KeyError:
        raise UnknownSchemeError(
            f"unknown scheme {scheme!r} (known: {', '.join(scheme_names())})", field="scheme"
        ) from None
