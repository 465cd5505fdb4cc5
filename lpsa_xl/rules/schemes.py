"""Reward schemes as data: LPSA1, LPSA2, LAA2006, LAA2008, PRG2010 (docs/rules.md#schemes).

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

from lpsa_xl.rules.convert import to_decimal, to_rounding_mode
from lpsa_xl.rules.errors import InputError, SchemeFileError, UnknownSchemeError

if sys.version_info >= (3, 11):  # pragma: no cover - depends on the interpreter
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = [
    "DEFAULT_SCHEME",
    "Adjustment",
    "Instalment",
    "Scheme",
    "get_scheme",
    "load_schemes",
    "scheme_names",
    "schemes_generation",
]

DEFAULT_SCHEME = "LPSA1"


@dataclass(frozen=True)
class Instalment:
    """One payment of a scheme's reward (docs/rules.md#instalments)."""

    year_offset: int  # financial years after the one in which the agreement ends (1 or more)
    share: Decimal  # of the final reward


@dataclass(frozen=True)
class Adjustment:
    """A cut and capital split decided for every payment in one financial year: the 2010/11
    determination halved the payment and split it 30% capital, 70% revenue
    (docs/rules.md#cut-2010-11)."""

    year: int  # start year of the financial year: 2010 for 2010/11
    reduction: Decimal
    capital_share: Decimal


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
    reward_unit: Decimal
    payment_unit: Decimal
    rounding: str  # a decimal module rounding constant
    on_account_share: Decimal
    recover_excess: bool
    max_designated_targets: int
    small_stretch_units: Decimal
    instalments: tuple[Instalment, ...] = ()
    adjustments: tuple[Adjustment, ...] = ()
    evidence: str = field(default="", compare=False)

    def adjustment(self, year: int) -> Adjustment:
        """The cut and capital share of a payment in the financial year starting in ``year``."""
        for adj in self.adjustments:
            if adj.year == year:
                return adj
        return Adjustment(year, Decimal(0), self.capital_share)

    def __post_init__(self) -> None:
        fractions = {
            "floor": self.floor,
            "cap": self.cap,
            "nbr_rate": self.nbr_rate,
            "capital_share": self.capital_share,
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
            if inst.share <= 0 or inst.year_offset < 1:
                raise SchemeFileError(
                    f"instalment in year +{inst.year_offset}: share must be positive and "
                    "year_offset 1 or more",
                    field=self.name,
                )
        for adj in self.adjustments:
            if not (0 <= adj.capital_share <= 1 and 0 <= adj.reduction <= 1):
                raise SchemeFileError(
                    f"adjustment for {adj.year}: reduction and capital_share must be between "
                    "0 and 1",
                    field=self.name,
                )
        if self.pays_reward and sum((i.share for i in self.instalments), Decimal(0)) != 1:
            raise SchemeFileError("instalment shares must add up to 1", field=self.name)


_REQUIRED = (
    "title",
    "period",
    "pays_reward",
    "floor",
    "cap",
    "nbr_rate",
    "capital_share",
    "reward_unit",
    "payment_unit",
    "rounding",
    "on_account_share",
    "recover_excess",
    "max_designated_targets",
    "small_stretch_units",
)


def _typed(table: Mapping[str, Any], key: str, kind: type, what: str) -> Any:
    value = table[key]
    if (kind is int and isinstance(value, bool)) or not isinstance(value, kind):
        raise SchemeFileError(f"{key} must be {what}, got {value!r}")
    return value


def _scheme_from_table(name: str, table: Mapping[str, Any]) -> Scheme:
    missing = [key for key in _REQUIRED if key not in table]
    if missing:
        raise SchemeFileError(f"missing {', '.join(missing)}", field=name)
    try:
        instalments = tuple(
            Instalment(
                year_offset=_typed(item, "year_offset", int, "a whole number"),
                share=to_decimal(item["share"], "share"),
            )
            for item in table.get("instalments", [])
        )
        adjustments = tuple(
            Adjustment(
                year=parse_year_label(
                    _typed(item, "year", str, "a financial year such as '2010/11'")
                ),
                reduction=to_decimal(item["reduction"], "reduction"),
                capital_share=to_decimal(item["capital_share"], "capital_share"),
            )
            for item in table.get("adjustments", [])
        )
        return Scheme(
            name=name,
            title=str(table["title"]),
            period=str(table["period"]),
            pays_reward=_typed(table, "pays_reward", bool, "true or false"),
            floor=to_decimal(table["floor"], "floor"),
            cap=to_decimal(table["cap"], "cap"),
            nbr_rate=to_decimal(table["nbr_rate"], "nbr_rate"),
            capital_share=to_decimal(table["capital_share"], "capital_share"),
            reward_unit=to_decimal(table["reward_unit"], "reward_unit"),
            payment_unit=to_decimal(table["payment_unit"], "payment_unit"),
            rounding=to_rounding_mode(table["rounding"]),
            on_account_share=to_decimal(table["on_account_share"], "on_account_share"),
            recover_excess=_typed(table, "recover_excess", bool, "true or false"),
            max_designated_targets=_typed(table, "max_designated_targets", int, "a whole number"),
            small_stretch_units=to_decimal(table["small_stretch_units"], "small_stretch_units"),
            instalments=instalments,
            adjustments=adjustments,
            evidence=str(table.get("evidence", "")).strip(),
        )
    except SchemeFileError as exc:
        raise SchemeFileError(exc.reason, field=name) from None
    except InputError as exc:
        raise SchemeFileError(f"{exc.field}: {exc.reason}", field=name) from None
    except (KeyError, TypeError, ValueError) as exc:
        raise SchemeFileError(f"malformed entry ({exc})", field=name) from None


def parse_year_label(label: str) -> int:
    """The start year of a financial year label such as ``"2010/11"``."""
    parts = label.replace("-", "/").split("/")
    if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
        raise SchemeFileError(f"year must be a financial year such as '2010/11', got {label!r}")
    start, end = int(parts[0]), int(parts[1])
    if end % 100 != (start + 1) % 100:
        raise SchemeFileError(f"{label!r} is not a financial year")
    return start


def scheme_key(name: str) -> str:
    """How scheme names are compared: case, spaces, dashes and underscores ignored."""
    return name.strip().upper().replace(" ", "").replace("-", "").replace("_", "")


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
        key = scheme_key(name)
        if not key:
            raise SchemeFileError(f"{source}: a scheme needs a name")
        schemes[key] = _scheme_from_table(key, table)
    return schemes


def _builtin() -> dict[str, Scheme]:
    text = resources.files(__package__).joinpath("schemes.toml").read_text(encoding="utf-8")
    return parse_schemes(text, "built-in schemes.toml")


_SCHEMES: dict[str, Scheme] = _builtin()
_GENERATION = [0]  # bumped whenever the loaded schemes change


def schemes_generation() -> int:
    """A number that changes whenever the loaded schemes change (for caches of results)."""
    return _GENERATION[0]


def load_schemes(path: str | Path) -> list[str]:
    """Load a scheme file of your own; its schemes add to or replace those of the same name.

    Returns the names loaded. The file has the layout of the built-in ``schemes.toml``.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise SchemeFileError(f"cannot read scheme file {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise SchemeFileError(f"scheme file {path} is not UTF-8 text") from None
    loaded = parse_schemes(text, str(path))
    _SCHEMES.update(loaded)
    _GENERATION[0] += 1
    return sorted(loaded)


def reset_schemes() -> None:
    """Forget schemes loaded from files; only the built-in ones remain."""
    _SCHEMES.clear()
    _SCHEMES.update(_builtin())
    _GENERATION[0] += 1


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
    key = scheme_key(scheme)
    if not key:
        return _SCHEMES[DEFAULT_SCHEME]
    try:
        return _SCHEMES[key]
    except KeyError:
        raise UnknownSchemeError(
            f"unknown scheme {scheme!r} (known: {', '.join(scheme_names())})", field="scheme"
        ) from None
