"""Payment: capital/revenue split, instalments by financial year, payment on account,
partner shares (docs/rules.md#instalments and the sections after it)."""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from lpsa_xl.rules.convert import exact, round_money, to_decimal
from lpsa_xl.rules.errors import OutOfRangeError
from lpsa_xl.rules.potential import allocate
from lpsa_xl.rules.schemes import Scheme, get_scheme

__all__ = [
    "Payment",
    "capital",
    "financial_year",
    "instalments",
    "parse_financial_year",
    "partner_shares",
    "payment_on_account",
    "revenue",
]


def financial_year(start_year: int) -> str:
    """The label of the financial year from 1 April ``start_year``: ``2009`` -> ``"2009/10"``."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


_EXCEL_EPOCH = _dt.date(1899, 12, 30)  # day 0 of Excel's 1900 date system, as serials count
_FY = re.compile(r"^\s*(\d{4})\s*[/-]\s*(\d{2}|\d{4})\s*$")


def parse_financial_year(value: object, field: str = "end_year") -> int:
    """The start year of the financial year in which an agreement ends.

    Accepts a financial year label (``"2008/09"``, ``"2008-2009"``), a date or an Excel date
    serial (the financial year containing it), or a calendar year: an agreement "ending in 2009"
    ends on 31 March 2009, in financial year 2008/09.
    """
    if isinstance(value, _dt.date):
        return value.year if value.month >= 4 else value.year - 1
    if isinstance(value, str) and (match := _FY.match(value)):
        start, end = int(match[1]), match[2]
        if int(end) % 100 != (start + 1) % 100:
            raise OutOfRangeError(f"{value!r} is not a financial year", field=field)
        return start
    year = to_decimal(value, field)
    if year == year.to_integral_value() and 20_000 <= year <= 120_000:  # an Excel date serial
        return parse_financial_year(_EXCEL_EPOCH + _dt.timedelta(days=int(year)), field)
    if year != year.to_integral_value() or not 1900 <= year <= 2200:
        raise OutOfRangeError(
            f"expected a year such as 2009 or '2008/09', got {value!r}", field=field
        )
    return int(year) - 1


@exact
def capital(amount: object, scheme: str | Scheme | None = "LPSA2") -> Decimal:
    """The capital part of a payment: the scheme's capital share, rounded to the penny
    (docs/rules.md#capital-and-revenue).

    Half for LPSA and LAA payments; 30% for the final 2010/11 payment (``"PRG2010"``).
    """
    sch = get_scheme(scheme)
    return _capital(to_decimal(amount, "amount"), sch.capital_share, sch)


@exact
def revenue(amount: object, scheme: str | Scheme | None = "LPSA2") -> Decimal:
    """The revenue part of a payment: the amount less its :func:`capital` part."""
    money = to_decimal(amount, "amount")
    return money - capital(money, scheme)


def _capital(amount: Decimal, capital_share: Decimal, sch: Scheme) -> Decimal:
    return round_money(amount * capital_share, sch.payment_unit, sch.rounding)


@exact
def payment_on_account(potential: object, scheme: str | Scheme | None = "LPSA1") -> Decimal:
    """The payment on account for a target whose interim target was agreed and met (LPSA1,
    docs/rules.md#payment-on-account):
    one-fifth of that target's potential, to the penny; 0 for schemes without one."""
    sch = get_scheme(scheme)
    pot = to_decimal(potential, "potential")
    if pot < 0:
        raise OutOfRangeError(f"must not be negative, got {pot}", field="potential")
    return round_money(pot * sch.on_account_share, sch.payment_unit, sch.rounding)


@dataclass(frozen=True)
class Payment:
    """One line of a payment plan. ``due`` is before any reduction, ``paid`` after it;
    ``capital + revenue == paid``. A recovery has negative amounts."""

    year: str
    kind: str  # "on account", "instalment 1", "instalment 2", ..., "recovery"
    due: Decimal
    reduction: Decimal
    paid: Decimal
    capital: Decimal
    revenue: Decimal


@exact
def instalments(
    total: object,
    end_year: object,
    scheme: str | Scheme | None = "LPSA1",
    on_account: object = 0,
) -> list[Payment]:
    """The payment plan of a final reward ``total`` by financial year (docs/rules.md#instalments).

    Equal instalments in the financial years after the one the agreement ends in (``end_year``:
    ``2009`` or ``"2008/09"`` for an agreement ending 31 March 2009 gives 2009/10 and 2010/11).
    A payment on account already made (LPSA1) is shown in the year before the first instalment
    and the instalments pay the balance; if the final entitlement is below it, the excess is owed
    back in the year of the first instalment. A cut decided for a financial year (2010/11: half,
    split 30/70) applies to the payment in that year: ``due`` keeps the entitlement and ``paid``
    the cut amount. Each payment splits into capital (to the penny) and revenue (the rest).
    Instalments add up to the balance exactly, to the penny.
    """
    sch = get_scheme(scheme)
    amount = to_decimal(total, "total")
    advance = to_decimal(0 if on_account is None else on_account, "on_account")
    if amount < 0:
        raise OutOfRangeError(f"must not be negative, got {amount}", field="total")
    if advance < 0:
        raise OutOfRangeError(f"must not be negative, got {advance}", field="on_account")
    final_year = parse_financial_year(end_year)
    if advance and not sch.on_account_share:
        raise OutOfRangeError(f"{sch.name} has no payment on account", field="on_account")
    if not sch.pays_reward or not sch.instalments:
        return []
    plan: list[Payment] = []
    first = final_year + min(i.year_offset for i in sch.instalments)
    if advance:
        plan.append(_payment(first - 1, "on account", advance, sch))
    balance = amount - advance
    if balance < 0:
        if sch.recover_excess:
            plan.append(_payment(first, "recovery", balance, sch))
        return plan
    parts = allocate(balance, [i.share for i in sch.instalments], sch.payment_unit, sch.rounding)
    for number, (inst, due) in enumerate(zip(sch.instalments, parts), start=1):
        plan.append(_payment(final_year + inst.year_offset, f"instalment {number}", due, sch))
    return plan


def _payment(year: int, kind: str, due: Decimal, sch: Scheme) -> Payment:
    """A payment in the financial year starting in ``year``, after that year's adjustment
    (a recovery is owed back in full)."""
    adj = sch.adjustment(year)
    reduction = adj.reduction if due > 0 else Decimal(0)
    due = round_money(due, sch.payment_unit, sch.rounding)
    paid = round_money(due * (1 - reduction), sch.payment_unit, sch.rounding)
    cap = _capital(paid, adj.capital_share, sch)
    return Payment(financial_year(year), kind, due, reduction, paid, cap, paid - cap)


@exact
def partner_shares(
    amount: object, shares: Mapping[str, object], scheme: str | Scheme | None = "LPSA1"
) -> dict[str, Decimal]:
    """Share a reward among partners: districts, police, primary care trusts
    (docs/rules.md#partners).

    How a council shared its reward was local policy, so ``shares`` (fractions adding up to 1)
    are inputs. The parts add back to the amount exactly, to the penny.
    """
    sch = get_scheme(scheme)
    if not isinstance(shares, Mapping):
        raise OutOfRangeError("expected partner names mapped to fractions", field="shares")
    names = list(shares)
    parts = allocate(amount, [shares[n] for n in names], sch.payment_unit, sch.rounding)
    return dict(zip(names, parts))
