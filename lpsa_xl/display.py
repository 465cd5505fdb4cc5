"""How figures are shown to people: the plain-text reward schedule that ``lpsa-xl demo`` and
``lpsa-xl compute`` print. Pure: imports only :mod:`lpsa_xl.rules`."""

from __future__ import annotations

from decimal import Decimal

from lpsa_xl.rules import Result

__all__ = ["format_schedule"]


def _fmt(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, Decimal):
        return f"{value:,}"
    return str(value)


def _pct(value: Decimal | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


def format_schedule(result: Result) -> str:
    """A plain-text reward schedule, as printed by ``lpsa-xl demo``."""
    a = result.agreement
    out = [
        f"{a.authority}: {a.scheme_obj.name} ({a.scheme_obj.title})",
        f"Potential reward £{_fmt(result.total_potential)}",
        "",
    ]
    header = (
        f"{'ref':<4} {'expected':>10} {'target':>10} {'actual':>10} {'stretch %':>9} "
        f"{'payable':>8} {'potential £':>12} {'reward £':>10}  status"
    )
    out += [header, "-" * len(header)]
    for ln in result.lines:
        out.append(
            f"{ln.ref:<4} {_fmt(ln.expected):>10} {_fmt(ln.target):>10} {_fmt(ln.actual):>10} "
            f"{_pct(ln.achievement):>9} {_pct(ln.payable):>8} {_fmt(ln.potential):>12} "
            f"{_fmt(ln.reward):>10}  {ln.status or '-'}"
        )
    out += ["-" * len(header), f"Total reward £{_fmt(result.total_reward)}", ""]
    for p in result.payments:
        out.append(
            f"{p.year} {p.kind:<13} paid £{_fmt(p.paid):>12}  "
            f"capital £{_fmt(p.capital):>12}  revenue £{_fmt(p.revenue):>12}"
        )
    return "\n".join(out)
