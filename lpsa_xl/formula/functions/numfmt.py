"""Excel number formats for TEXT(): sections (positive;negative;zero;text), ``0 # ? , . %``,
thousands separators and scaling, ``E+`` exponents, quoted and escaped literals, ``[Red]`` and
``[$£-809]`` brackets, and date/time codes (``yyyy mm dd hh:mm:ss AM/PM``). Rounds half away
from zero on the displayed decimal value, as Excel does."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

from lpsa_xl.formula.values import num_text

__all__ = ["LAST_SERIAL", "DateOutOfRange", "format_value", "serial_to_datetime", "unsupported"]

_BRACKET = re.compile(r"\[(\$([^\]-]*)(-[^\]]*)?|[^\]]*)\]")


def _sections(fmt: str) -> list[str]:
    out, cur, i, q = [], "", 0, False
    while i < len(fmt):
        ch = fmt[i]
        if ch == '"':
            q = not q
        elif ch == "\\" and not q and i + 1 < len(fmt):
            cur += fmt[i : i + 2]
            i += 2
            continue
        elif ch == ";" and not q:
            out.append(cur)
            cur = ""
            i += 1
            continue
        cur += ch
        i += 1
    out.append(cur)
    return out


def _tokens(section: str) -> list[tuple[str, str]]:
    """(kind, text): kind "lit" for literal text, "code" for format characters."""
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(section):
        ch = section[i]
        if ch == '"':
            j = section.find('"', i + 1)
            j = len(section) if j < 0 else j
            out.append(("lit", section[i + 1 : j]))
            i = j + 1
        elif ch == "\\" and i + 1 < len(section):
            out.append(("lit", section[i + 1]))
            i += 2
        elif ch == "[":
            m = _BRACKET.match(section, i)
            if m and m.group(2) is not None:
                out.append(("lit", m.group(2)))
            i = m.end() if m else i + 1
        elif ch == "_" and i + 1 < len(section):
            out.append(("lit", " "))
            i += 2
        elif ch == "*" and i + 1 < len(section):
            i += 2
        else:
            out.append(("code", ch))
            i += 1
    return out


_DATE_CODES = set("ymdhsYMDHS")


#: The last serial Excel shows as a date: 31 December 9999.
LAST_SERIAL = 2_958_465


class DateOutOfRange(ValueError):
    """A serial Excel cannot show as a date (before 0 or after 31 December 9999)."""


def serial_to_datetime(x: float) -> dt.datetime:
    """Excel's 1900 date system (with its fictional 29 February 1900). Raises
    :class:`DateOutOfRange` for a serial outside Excel's dates."""
    if not 0 <= x < LAST_SERIAL + 1:
        raise DateOutOfRange(f"{x} is not a date Excel can show")
    days = int(x)
    frac = x - days
    if days >= 61:
        base = dt.datetime(1899, 12, 30) + dt.timedelta(days=days)
    elif days == 60:
        base = dt.datetime(1900, 2, 28)  # Excel's 29 February 1900 does not exist
    else:
        base = dt.datetime(1899, 12, 31) + dt.timedelta(days=days)
    secs = round(frac * 86400)
    return base + dt.timedelta(seconds=secs)


def _format_date(x: float, toks: list[tuple[str, str]]) -> str:
    d = serial_to_datetime(x)
    code = "".join(t if k == "code" else "\x00" for k, t in toks)
    lits = [t for k, t in toks if k == "lit"]
    ampm = "AM/PM" in code.upper() or "A/P" in code.upper()
    out = []
    i = 0
    li = 0
    last_h = False
    upper = code.upper()
    while i < len(code):
        ch = upper[i]
        if code[i] == "\x00":
            out.append(lits[li])
            li += 1
            i += 1
            continue
        if upper.startswith("AM/PM", i):
            out.append("AM" if d.hour < 12 else "PM")
            i += 5
            continue
        if ch in "YMDHS":
            j = i
            while j < len(code) and upper[j] == ch:
                j += 1
            n = j - i
            if ch == "Y":
                out.append(f"{d.year:04d}" if n > 2 else f"{d.year % 100:02d}")
            elif ch == "M":
                rest = upper[j:].lstrip(" :")
                if last_h or rest.startswith("S"):
                    out.append(f"{d.minute:0{min(n, 2)}d}")
                elif n == 1:
                    out.append(str(d.month))
                elif n == 2:
                    out.append(f"{d.month:02d}")
                elif n == 3:
                    out.append(d.strftime("%b"))
                else:
                    out.append(d.strftime("%B"))
            elif ch == "D":
                out.append(
                    str(d.day)
                    if n == 1
                    else f"{d.day:02d}"
                    if n == 2
                    else d.strftime("%a")
                    if n == 3
                    else d.strftime("%A")
                )
            elif ch == "H":
                h = d.hour % 12 or 12 if ampm else d.hour
                out.append(str(h) if n == 1 else f"{h:02d}")
            else:
                out.append(str(d.second) if n == 1 else f"{d.second:02d}")
            last_h = ch == "H"
            i = j
            continue
        out.append(code[i])
        i += 1
    return "".join(out)


def _format_number(x: float, toks: list[tuple[str, str]], signed: bool) -> str:
    codes = [t for k, t in toks if k == "code"]
    if not any(c in "0#?" for c in codes):
        text = "".join(t for _, t in toks)
        return ("-" if signed and x < 0 else "") + text
    percent = codes.count("%")
    value = abs(x) * (100**percent)
    # split the placeholder run into integer, fraction and exponent parts
    body = "".join(t if k == "code" else "\x00" for k, t in toks)
    first = min(body.index(c) for c in "0#?" if c in body)
    last = max(body.rindex(c) for c in "0#?" if c in body)
    num_part = body[first : last + 1]
    exp = re.search(r"[eE][+-]", num_part)
    int_spec, _, frac_spec = (num_part[: exp.start()] if exp else num_part).partition(".")
    # trailing commas scale by 1000 each
    after = body[last + 1 :]
    scale = len(after) - len(after.lstrip(","))
    value /= 1000**scale
    thousands = "," in int_spec
    decimals = sum(1 for c in frac_spec if c in "0#?")
    if exp:
        exp_digits = sum(1 for c in num_part[exp.end() :] if c in "0#?")
        if value == 0:
            e = 0
        else:
            e = Decimal(repr(value)).adjusted()
            int_digits = max(1, sum(1 for c in int_spec if c in "0#?"))
            e -= (int_digits - 1) if int_digits > 1 else 0
        mant = Decimal(repr(value)).scaleb(-e).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
        digits = f"{mant:f}"
        sign = "+" if e >= 0 or (num_part[exp.start() + 1] == "-" and e >= 0) else "-"
        if num_part[exp.start() + 1] == "-" and e >= 0:
            sign = ""
        number = f"{digits}E{sign}{abs(e):0{exp_digits}d}"
    else:
        with localcontext() as ctx:  # up to Excel's 127 decimals, beyond the default precision
            ctx.prec = 400
            q = Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
        s = f"{q:f}"
        ip, _, fp = s.partition(".")
        min_int = sum(1 for c in int_spec if c == "0")
        ip = ip.lstrip("0")
        ip = ip.rjust(min_int, "0")
        if thousands and ip:
            ip = f"{int(ip):,}"
        # optional fraction digits (#) drop trailing zeros
        keep = len(frac_spec.rstrip("#"))
        keep_n = sum(1 for c in frac_spec[:keep] if c in "0?")
        fp = fp[:decimals]
        while len(fp) > keep_n and fp.endswith("0"):
            fp = fp[:-1]
        number = ip + ("." + fp if fp or "." in num_part else "")
    lit_iter = iter(t for k, t in toks if k == "lit")
    pre = []
    for ch in body[:first]:
        pre.append(next(lit_iter) if ch == "\x00" else ch)
    inner_lits = [next(lit_iter) for ch in num_part if ch == "\x00"]
    post = []
    for ch in body[last + 1 :]:
        if ch == "\x00":
            post.append(next(lit_iter))
        elif ch != ",":
            post.append(ch)
    neg = "-" if signed and x < 0 else ""  # Excel writes TEXT(-0.4,"0") as "-0"
    return neg + "".join(pre) + number + "".join(inner_lits) + "".join(post)


def format_value(v: Any, fmt: str, date_offset: int = 0) -> str:
    """``v`` (number or text) formatted by Excel format ``fmt``; ``date_offset`` days are added
    to a serial shown as a date (1462 for a workbook in the 1904 date system)."""
    sections = _sections(fmt)
    if isinstance(v, str):
        if len(sections) >= 4:
            return "".join(v if (k, t) == ("code", "@") else t for k, t in _tokens(sections[3]))
        if "@" in fmt:
            return "".join(v if (k, t) == ("code", "@") else t for k, t in _tokens(sections[0]))
        return v
    x = float(v)
    signed = True
    if len(sections) == 1 or (x > 0) or (x == 0 and len(sections) < 3):
        section = sections[0]
    elif x < 0:
        section, signed = sections[1], False
    else:
        section = sections[2]
    if section.upper().strip() in ("GENERAL", ""):
        return num_text(x if signed else abs(x))
    toks = _tokens(section)
    if any(k == "code" and t in _DATE_CODES for k, t in toks) and not any(
        k == "code" and t in "0#?" for k, t in toks
    ):
        return _format_date(x + date_offset, toks)
    return _format_number(x, toks, signed)


_LITERALS = re.compile(r'"[^"]*"|\\.|_.|\*.')
_DATE_CODE = re.compile(r"[dmyhs]", re.IGNORECASE)
_KNOWN_WORDS = re.compile(r"General|AM/PM|A/P|E[-+]", re.IGNORECASE)


def unsupported(fmt: str, x: float = 1.0) -> str | None:
    """Why TEXT declines the format code ``fmt`` for the number ``x`` (a form
    :func:`format_value` does not render as Excel does), or ``None``: elapsed time (``[h]``),
    conditions (``[>100]``), fractions (``# ?/?``), an empty section for ``x`` (``;;;``), ``@``
    for a number, letters that are no date code (era and Buddhist years), fractions of a
    second."""
    raw = _sections(fmt)
    pick = 0 if x > 0 else (1 if x < 0 and len(raw) >= 2 else 2 if x == 0 and len(raw) >= 3 else 0)
    if pick < len(raw) and raw[pick] == "" and len(raw) > 1:
        return "TEXT with an empty format section"
    bare = _LITERALS.sub("", fmt)
    for b in re.findall(r"\[([^\]]*)\]", bare):
        low = b.lower()
        if low and set(low) <= set("hms"):
            return f"TEXT with elapsed time [{b}]"
        if low[:1] in ("<", ">", "="):
            return f"TEXT with the condition [{b}]"
    bare = re.sub(r"\[[^\]]*\]", "", bare)
    for sec in bare.split(";")[:3]:
        sec = _KNOWN_WORDS.sub("", sec)
        dated = _DATE_CODE.search(sec)
        if "/" in sec and not dated:
            return "TEXT with a fraction format"
        if "@" in sec:
            return "TEXT with @ in a number's format"
        letters = set(re.findall(r"[A-Za-z]", sec)) - set("dmyhsDMYHS")
        if letters:
            return f"TEXT with the format letters {''.join(sorted(letters))}"
        if dated and re.search(r"s+\.0", sec, re.IGNORECASE):
            return "TEXT with fractions of a second"
    return None
