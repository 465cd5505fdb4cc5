"""How figures are shown to people: money, percentages, plain numbers and cell values, as a
finance officer reads them in Excel (``£1,008,250.60``, ``-£75,000``, ``35.56%``, never
``1.788973E+7``), and the plain-text reward schedule ``lpsa-xl demo`` and ``lpsa-xl compute``
print. One formatter for every message, report and printed schedule. Pure: imports only the
standard library and :mod:`lpsa_xl.rules`."""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

from lpsa_xl.rules import NotANumberError, Result
from lpsa_xl.rules.convert import read_number_text

__all__ = [
    "as_decimal",
    "cell_value",
    "exact",
    "exact_money",
    "exact_percent",
    "format_schedule",
    "money",
    "number",
    "percent",
]

_PENNY = Decimal("0.01")
#: Decimal places of a plain number beyond which digits are noise to a reader.
_PLACES = 6


def as_decimal(value: object) -> Decimal | None:
    """``value`` as a Decimal (floats by their shortest repr, as Excel shows them), or None.

    Text is read by the one conversion of typed text (:func:`lpsa_xl.rules.read_number_text`);
    text carrying a £ or % sign is shown as it was typed, not as another figure."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value)) if value == value and abs(value) != float("inf") else None
    if isinstance(value, str):
        try:
            typed = read_number_text(value)
        except NotANumberError:
            return None
        return None if typed.percent or typed.money else typed.value
    try:
        found = Decimal(str(value))
    except InvalidOperation:
        return None
    return found if found.is_finite() else None


def _grouped(value: Decimal, places: int) -> str:
    """``value`` with thousands separators and exactly ``places`` decimals, no sign."""
    return f"{abs(value):,.{places}f}"


def money(value: object, *, blank: str = "-") -> str:
    """Pounds as Excel shows them with a £ format: whole pounds without pence
    (``-£75,000``), anything else to the penny (``£1,008,250.60``); ``blank`` for None."""
    amount = as_decimal(value)
    if amount is None:
        return blank if value is None else str(value)
    rounded = amount.quantize(_PENNY, ROUND_HALF_UP)
    places = 0 if rounded == rounded.to_integral_value() else 2
    sign = "-" if rounded < 0 else ""
    return f"{sign}£{_grouped(rounded, places)}"


def percent(fraction: object, *, blank: str = "-") -> str:
    """A fraction as a percentage to at most two decimal places, trailing zeros dropped
    (``0.6`` is ``60%``, ``-0.3555...`` is ``-35.56%``). A value just short of a whole
    percentage is never rounded up onto it (``0.59999`` is ``59.99%``, not ``60%``), so a
    threshold that was missed never reads as met."""
    share = as_decimal(fraction)
    if share is None:
        return blank if fraction is None else str(fraction)
    pct = share * 100
    shown = pct.quantize(_PENNY, ROUND_HALF_UP)
    if shown != pct and shown == shown.to_integral_value():
        shown = pct.quantize(_PENNY, ROUND_DOWN)
    return f"{_plain(shown)}%"


def number(value: object, *, blank: str = "-") -> str:
    """A plain figure: thousands separators, at most six decimal places, no exponent
    (``17,889,730``, ``40.16``, ``-0.5``)."""
    found = as_decimal(value)
    if found is None:
        return blank if value is None else str(value)
    return _plain(found.quantize(Decimal(1).scaleb(-_PLACES), ROUND_HALF_UP))


def _plain(value: Decimal) -> str:
    text = _grouped(value, max(0, -int(value.as_tuple().exponent)))  # type: ignore[arg-type]
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    sign = "-" if value < 0 and text.strip("0.,") else ""
    return sign + text


def exact_money(value: Decimal | None) -> str:
    """Pounds to every digit the figure has (``£1,008,250.605``), for a finding that sets a
    claimed figure beside the recomputed one: rounded to the penny two figures that differ
    could read alike."""
    return "-" if value is None else f"£{value:,}"


def exact_percent(value: Decimal | None) -> str:
    """A fraction as a percentage to every digit it has (``35.555%``), for the same reason."""
    return "-" if value is None else f"{(value * 100).normalize():f}%"


def exact(value: Decimal) -> str:
    """A figure as a person writes it, every digit kept: 4,900; 0.4; 1,234.5."""
    text = f"{value.normalize():f}"
    whole, _, part = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    return f"{sign}{int(whole.lstrip('-') or 0):,}" + (f".{part}" if part else "")


def cell_value(value: object) -> str:
    """What a cell holds, as a sentence fragment: ``the text "n/a"``, ``17,889,730``, ``TRUE``,
    ``the Excel error #DIV/0!``, ``nothing`` for a blank."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return "nothing"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        code = value.strip()
        if code.startswith("#") and type(value) is not str:  # an Excel error value
            return f"the Excel error {code}"
        return f'the text "{value}"'
    if isinstance(value, (int, float, Decimal)):
        return number(value)
    return str(value)

def _fig(value: object) -> str:
    """A schedule figure: a number as :func:`number` shows it, or the text as it is."""
    return number(value) if isinstance(value, (Decimal, int, float)) else str(value or "-")


def format_schedule(result: Result) -> str:
    """A plain-text reward schedule, as printed by ``lpsa-xl demo``."""
    a = result.agreement
    out = [
        f"{a.authority}: {a.scheme_obj.name} ({a.scheme_obj.title})",
        f"Potential reward {money(result.total_potential)}",
        "",
    ]
    header = (
        f"{'ref':<4} {'expected':>10} {'target':>10} {'actual':>10} {'stretch %':>9} "
        f"{'payable':>8} {'potential £':>12} {'reward £':>10}  status"
    )
    out += [header, "-" * len(header)]
    for ln in result.lines:
        out.append(
            f"{ln.ref:<4} {_fig(ln.expected):>10} {_fig(ln.target):>10} {_fig(ln.actual):>10} "
            f"{percent(ln.achievement):>9} {percent(ln.payable):>8} {_fig(ln.potential):>12} "
            f"{_fig(ln.reward):>10}  {ln.status or '-'}"
        )
    out += ["-" * len(header), f"Total reward {money(result.total_reward)}", ""]
    for p in result.payments:
        out.append(
            f"{p.year} {p.kind:<13} paid {money(p.paid):>13}  "
            f"capital {money(p.capital):>13}  revenue {money(p.revenue):>13}"
        )
    return "\n".join(out)
