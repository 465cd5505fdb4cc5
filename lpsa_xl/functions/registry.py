"""The one registry of Excel-facing functions (issue 4).

Each ``LPSA_*`` function is declared here once: its name, arguments with help text, what it
returns, its category and the core function behind it. From this registry come the classic
xlwings UDFs (:mod:`lpsa_xl.excel.udfs`), the xlwings Server custom functions
(:mod:`lpsa_xl.excel.server`) and the headless evaluator's bindings (:func:`excel_functions`).
Nothing about a function is written anywhere else.

Calling an :class:`ExcelFunction` takes Excel values, as Excel or a workbook file hands them over
(float, int, str, bool, None for a blank, :class:`~lpsa_xl.values.ExcelError`, and a range as
a list of row lists), and returns an Excel value: a float, a str, or a list of row lists for an
array result. Bad input never raises: it returns an Excel error value whose ``reason`` says why,
so ``IFERROR`` works and no traceback reaches a cell.
"""

from __future__ import annotations

import functools
import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from lpsa_xl import rules
from lpsa_xl.rules.errors import InputError, LpsaError, NotANumberError, OutOfRangeError
from lpsa_xl.rules.schemes import schemes_generation
from lpsa_xl.values import VALUE, ExcelError

__all__ = ["CATEGORY", "FUNCTIONS", "Arg", "ExcelFunction", "excel_functions", "to_excel"]

log = logging.getLogger(__name__)

CATEGORY = "LPSA"


@dataclass(frozen=True)
class Arg:
    """An argument of an Excel function, with the help text the function wizard shows.

    ``kind`` says how the Excel value is taken: ``"number"`` (a figure: blank is an error),
    ``"text"`` (a scheme name: blank means the default), ``"count"`` (a whole number),
    ``"table"`` (a range with its header row, passed on as rows) or ``"value"`` (as it comes).
    """

    name: str
    doc: str
    kind: str = "number"
    optional: bool = False


@dataclass(frozen=True)
class ExcelFunction:
    """One Excel function: declared once, served to every adapter."""

    name: str
    doc: str
    args: tuple[Arg, ...]
    impl: Callable[..., Any]
    returns: str = "number"  # "number", "text" or "array"
    category: str = CATEGORY

    @property
    def core_name(self) -> str:
        """The core's public name this function exposes (``LPSA_REWARD`` -> ``reward``)."""
        return self.name.removeprefix("LPSA_").lower()

    @property
    def required(self) -> int:
        return sum(1 for a in self.args if not a.optional)

    def __call__(self, *values: object) -> object:
        """Evaluate with Excel values; returns an Excel value, never raises for bad input.

        Every function is pure, so a call with plain scalar arguments is remembered: a workbook
        asks ``LPSA_INSTALMENTS(...)`` once per cell of the payment plan, and returns of one
        template ask the same questions. The memo is keyed by the arguments and their types
        and forgotten when the loaded schemes change."""
        key = None
        if all(type(v) in _MEMO_TYPES for v in values):  # ExcelError, a str subclass, is not
            key = (self.name, schemes_generation(), values, tuple(type(v) for v in values))
            hit = _MEMO.get(key, _MISS)
            if hit is not _MISS:
                return _fresh(hit)
        result = self._evaluate(values)
        if key is not None:
            if len(_MEMO) >= _MEMO_LIMIT:
                _MEMO.clear()
            _MEMO[key] = result
        return _fresh(result)

    def _evaluate(self, values: tuple[object, ...]) -> object:
        if len(values) > len(self.args):
            return VALUE.with_reason(f"{self.name} takes at most {len(self.args)} arguments")
        if len(values) < self.required:
            missing = self.args[len(values)].name
            return VALUE.with_reason(f"{self.name}: {missing} is missing")
        try:
            taken = [_take(arg, value) for arg, value in zip(self.args, values)]
        except _ErrorInput as passed:
            return passed.error
        except LpsaError as exc:
            return ExcelError(exc.excel_error, f"{self.name}: {exc}")
        try:
            return to_excel(self.impl(*taken))
        except _ErrorInput as passed:
            return passed.error
        except LpsaError as exc:
            return ExcelError(exc.excel_error, f"{self.name}: {exc}")
        except Exception as exc:  # a bug must not put a traceback in a cell
            log.exception("%s failed", self.name)
            return VALUE.with_reason(f"{self.name}: internal error ({type(exc).__name__})")


_MEMO_TYPES = frozenset({float, int, str, bool, type(None)})
_MEMO: dict[tuple[object, ...], object] = {}
_MEMO_LIMIT = 20_000
_MISS = object()


def _fresh(result: object) -> object:
    """An array result copied, so a caller changing it cannot change the memo."""
    if isinstance(result, list):
        return [_fresh(item) for item in result]
    return result


class _ErrorInput(Exception):
    """An input cell already holds an error value: it passes through, as in Excel."""

    def __init__(self, error: ExcelError) -> None:
        self.error = error


def _scalar(value: object) -> object:
    """A single-cell range arrives as ``[[x]]`` or ``[x]`` from some runtimes."""
    while isinstance(value, (list, tuple)) and len(value) == 1:
        value = value[0]
    return value


def _take(arg: Arg, value: object) -> object:
    if type(value) is float and arg.kind != "text":  # the common case: a number from a cell
        return value
    if arg.kind == "table":
        return value
    value = _scalar(value)
    if isinstance(value, ExcelError):
        raise _ErrorInput(value)
    if isinstance(value, (list, tuple)):
        raise NotANumberError("expected a single cell, got a range", field=arg.name)
    blank = value is None or (isinstance(value, str) and not value.strip())
    if arg.kind == "text":
        return None if blank else str(value).strip()
    if blank and arg.optional:
        return None
    if blank:
        raise NotANumberError("is blank", field=arg.name)
    return value  # the core converts it, naming the field if it is not a number


def to_excel(result: object) -> object:
    """A core result as an Excel value: Decimal -> float, rows of values likewise. A figure
    beyond what a double holds is an :class:`OutOfRangeError` (``#NUM!``), never infinity."""
    if isinstance(result, Decimal):
        number = float(result)
        if math.isinf(number):
            raise OutOfRangeError(f"{result:.3E} is beyond what Excel can hold", field="result")
        return number
    if isinstance(result, (list, tuple)):
        return [to_excel(item) for item in result]
    return result


# ---------------------------------------------------------------------------------------------
# Array functions: the whole reward schedule of a table, and the payment plan.

SCHEDULE_HEADER = [
    "ref",
    "potential",
    "stretch",
    "achievement",
    "payable",
    "reward",
    "status",
    "trigger",
]
INSTALMENTS_HEADER = ["year", "kind", "paid", "capital", "revenue"]


def schedule_table(
    table: object, potential_total: object = None, scheme: object = None
) -> list[list[object]]:
    """``LPSA_SCHEDULE``: the reward schedule of a targets table that has its header row.

    Headers name the fields (``ref``, ``expected``, ``target``, ``actual`` and optionally
    ``potential``, ``weight``, ``parent``, ``direction``; case and spaces ignored). Without a
    potential column the ``potential_total`` is split equally among the targets (§3).
    """
    rows = _rows(table)
    if len(rows) < 2:
        raise InputError("needs a header row and at least one target row", field="table")
    header = [str(h or "").strip() for h in rows[0]]
    keys = [rules.table.column_key(h) for h in header if h]
    doubled = sorted({k for k in keys if keys.count(k) > 1})
    if doubled:
        raise InputError(f"the header row names {', '.join(doubled)} more than once", field="table")
    records = []
    for row in rows[1:]:
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
            continue  # blank rows at the foot of a selected range
        for value in row:
            if isinstance(value, ExcelError):
                raise _ErrorInput(value)
        records.append(dict(zip(header, row)))
    agreement = rules.Agreement(
        authority="",
        scheme=scheme or rules.schemes.DEFAULT_SCHEME,
        stated_potential=potential_total,
        targets=rules.targets_from_rows(records),
    )
    result = rules.assess(agreement)
    out: list[list[object]] = [list(SCHEDULE_HEADER)]
    for line in result.lines:
        out.append(
            [
                line.ref,
                line.potential,
                line.stretch,
                line.achievement,
                line.payable,
                line.reward,
                line.status,
                line.trigger,
            ]
        )
    return [[("" if v is None else v) for v in row] for row in out]


def _rows(table: object) -> list[list[object]]:
    """A range as rows: Excel hands over a list of row lists (or tuples); a single row may
    come flat, and a single cell as itself."""
    if not isinstance(table, (list, tuple)):
        return [[table]]
    if table and not any(isinstance(r, (list, tuple)) for r in table):
        return [list(table)]  # one flat row
    return [list(r) if isinstance(r, (list, tuple)) else [r] for r in table]


def line_potential(
    ref: object,
    refs: object,
    parents: object,
    weights: object,
    stated: object,
    total: object = None,
    scheme: object = None,
) -> object:
    """``LPSA_LINE_POTENTIAL``: one line's potential from the whole targets table's columns,
    split exactly as the core splits it (stated potentials win, parts add back exactly)."""
    columns = [
        _column(c, name)
        for c, name in (
            (refs, "refs"),
            (parents, "parents"),
            (weights, "weights"),
            (stated, "stated"),
        )
    ]
    if len({len(c) for c in columns}) != 1:
        raise InputError(
            "refs, parents, weights and stated must be columns of one table", field="refs"
        )
    key = (rules.convert.to_ref(ref),)  # one-tuple: compared with line refs below
    split = _split_table(tuple(tuple(c) for c in columns), total, scheme)
    for _, line_ref, pot in split:
        if line_ref == key[0]:
            return pot
    parts = [pot for parent, _, pot in split if parent == key[0]]
    if parts:  # a target split into sub-targets: the sum of its parts
        return sum(parts, Decimal(0))
    raise InputError(f"{key[0]!r} is not in the refs column", field="ref")


def _column(values: object, name: str) -> list[object]:
    rows = _rows(values)
    if len(rows) > 1 and any(len(r) != 1 for r in rows):
        raise InputError("expected a single column", field=name)
    flat = rows[0] if len(rows) == 1 else [r[0] for r in rows]
    for value in flat:
        if isinstance(value, ExcelError):
            raise _ErrorInput(value)
    return flat


@functools.lru_cache(maxsize=64)
def _split_table(
    columns: tuple[tuple[object, ...], ...], total: object, scheme: object
) -> list[tuple[str, str, Decimal]]:
    """The split of one table, cached: every row of a table asks for the same split."""
    refs, parents, weights, stated = columns
    tops: dict[str, dict[str, object]] = {}
    subs: dict[str, list[rules.Portion]] = {}
    order: list[str] = []
    for ref, parent, weight, pot in zip(refs, parents, weights, stated):
        r, p = rules.convert.to_ref(ref), rules.convert.to_ref(parent)
        if not r:
            continue
        amount = rules.convert.to_decimal_or_none(pot, "stated")
        if p:
            subs.setdefault(p, []).append(
                rules.Portion(r, amount, None if weight == "" else weight)
            )
            if p not in tops and p not in order:
                order.append(p)
        else:
            tops[r] = {"stated": amount}
            if r not in order:
                order.append(r)
    portions = [
        rules.Portion(
            r,
            tops.get(r, {}).get("stated"),
            None,  # type: ignore[arg-type]
            tuple(subs.get(r, ())),
        )
        for r in order
    ]
    blank = total is None or total == ""
    return rules.split_potentials(
        None if blank else total, portions, scheme or rules.schemes.DEFAULT_SCHEME
    )


def instalment_table(
    total: object, end_year: object, scheme: object = None, on_account: object = None
) -> list[list[object]]:
    """``LPSA_INSTALMENTS``: the payment plan by financial year, with capital and revenue."""
    plan = rules.instalments(total, end_year, scheme or rules.schemes.DEFAULT_SCHEME, on_account)
    out: list[list[object]] = [list(INSTALMENTS_HEADER)]
    out += [[p.year, p.kind, p.paid, p.capital, p.revenue] for p in plan]
    return out


# ---------------------------------------------------------------------------------------------
# The declarations.

_E = Arg("expected", "Performance expected without the agreement (E)")
_T = Arg("target", "Performance target with the agreement (T)")
_A = Arg("actual", "Actual (final or latest) performance (A)")
_POT = Arg("potential", "Potential reward of this target or sub-target, £")


def _scheme_arg(default: str = "LPSA1") -> Arg:
    return Arg(
        "scheme",
        f"Scheme: LPSA1, LPSA2, LAA2006, LAA2008 or PRG2010 (default {default})",
        kind="text",
        optional=True,
    )


def _f(
    name: str, doc: str, args: Sequence[Arg], impl: Callable[..., Any], returns: str = "number"
) -> ExcelFunction:
    return ExcelFunction(name, doc, tuple(args), impl, returns)


_DECLARED = [
    _f(
        "LPSA_STRETCH",
        "Stretch T - E: how far the target is beyond the performance expected "
        "without the agreement (RULES.md §2)",
        [_E, _T],
        rules.stretch,
    ),
    _f(
        "LPSA_ACHIEVEMENT",
        "Fraction of the stretch achieved, (A - E) / (T - E), computed exactly (RULES.md §2)",
        [_E, _T, _A],
        rules.achievement,
    ),
    _f(
        "LPSA_PAYABLE",
        "Fraction of the potential payable: 0 below 60% of the stretch, capped at "
        "100% (RULES.md §4)",
        [_E, _T, _A, _scheme_arg()],
        rules.payable_fraction,
    ),
    _f(
        "LPSA_REWARD",
        "Reward payable for a target or sub-target, rounded as the scheme says (RULES.md §4)",
        [
            _E,
            _T,
            _A,
            _POT,
            _scheme_arg(),
            Arg(
                "rounding",
                "Rounding unit, e.g. 0.01 for pennies (default the scheme's: whole pounds)",
                kind="value",
                optional=True,
            ),
        ],
        rules.reward,
    ),
    _f(
        "LPSA_TRIGGER",
        "The 60% trigger: the outturn that secures the first reward (RULES.md §4)",
        [_E, _T, _scheme_arg()],
        rules.trigger,
    ),
    _f(
        "LPSA_STATUS",
        "Monitoring colour: Green (stretch achieved), Amber (at least 60%) or Red (RULES.md §4)",
        [_E, _T, _A, _scheme_arg()],
        rules.status,
        "text",
    ),
    _f(
        "LPSA_POTENTIAL",
        "Potential reward: 2.5% of the net budget requirement of the year before "
        "the start, to the penny (RULES.md §3)",
        [Arg("nbr", "Net budget requirement, £"), _scheme_arg()],
        rules.potential,
    ),
    _f(
        "LPSA_SHARE",
        "One target's or sub-target's share of the potential reward (RULES.md §3)",
        [
            Arg("total", "Total potential reward, £"),
            Arg("n_targets", "Number of targets", kind="count"),
            Arg(
                "n_subtargets",
                "Number of sub-targets of this target (default 1)",
                kind="count",
                optional=True,
            ),
            Arg(
                "weight", "This sub-target's fraction of its target (default equal)", optional=True
            ),
        ],
        lambda total, n, n_sub=None, weight=None: rules.share(
            total, n, 1 if n_sub is None else n_sub, weight
        ),
    ),
    _f(
        "LPSA_CAPITAL",
        "Capital part of a payment, to the penny (RULES.md §5)",
        [Arg("amount", "Payment, £"), _scheme_arg("LPSA2")],
        lambda amount, scheme=None: rules.capital(amount, scheme or "LPSA2"),
    ),
    _f(
        "LPSA_REVENUE",
        "Revenue part of a payment: the payment less its capital part (RULES.md §5)",
        [Arg("amount", "Payment, £"), _scheme_arg("LPSA2")],
        lambda amount, scheme=None: rules.revenue(amount, scheme or "LPSA2"),
    ),
    _f(
        "LPSA_VFM_COST",
        "Cost per unit of stretch: potential / |T - E|, £ per extra unit (RULES.md §6)",
        [_E, _T, _POT],
        rules.vfm_cost,
    ),
    _f(
        "LPSA_VFM_RATIO",
        "Benefit-cost ratio: |T - E| x value per unit / potential (RULES.md §6)",
        [_E, _T, Arg("value_per_unit", "Value of one unit of outcome, £ (give its source)"), _POT],
        rules.vfm_ratio,
    ),
    _f(
        "LPSA_SCHEDULE",
        "Spills the reward schedule of a targets table (with its header row): "
        "ref, potential, stretch, achievement, payable, reward, status, trigger",
        [
            Arg(
                "table",
                "Targets table including its header row: ref, expected, target, actual, "
                "[potential], [weight], [parent]",
                kind="table",
            ),
            Arg(
                "potential_total",
                "Total potential reward, split equally where the table has no potential column",
                optional=True,
            ),
            _scheme_arg(),
        ],
        schedule_table,
        "array",
    ),
    _f(
        "LPSA_INSTALMENTS",
        "Spills the payment plan by financial year: year, kind, paid, capital, "
        "revenue (RULES.md §5)",
        [
            Arg("total", "Final reward, £"),
            Arg(
                "end_year",
                "Year the agreement ends (2009, or '2008/09' for 31 March 2009)",
                kind="value",
            ),
            _scheme_arg(),
            Arg("on_account", "Payment on account already made, £", optional=True),
        ],
        instalment_table,
        "array",
    ),
]

_DECLARED += [
    _f(
        "LPSA_LINE_POTENTIAL",
        "A target's or sub-target's potential reward, split from the total exactly as the "
        "schedule splits it: stated potentials win, parts add back to the total (RULES.md §3)",
        [
            Arg("ref", "This line's reference"),
            Arg("refs", "The Ref column of the targets table", kind="table"),
            Arg(
                "parents",
                "The Parent column (blank for a target, its target's ref for a sub-target)",
                kind="table",
            ),
            Arg(
                "weights", "The Weight column (a sub-target's fraction of its target)", kind="table"
            ),
            Arg("stated", "The stated potential column (blank where none is stated)", kind="table"),
            Arg("total", "Total potential reward, £", optional=True),
            _scheme_arg(),
        ],
        line_potential,
    ),
    _f(
        "LPSA_INTERIM_MET",
        "TRUE when the agreed interim target was met, in the direction of the stretch "
        "(RULES.md §5: the LPSA1 payment on account)",
        [
            _E,
            _T,
            Arg("interim_target", "The interim target agreed"),
            Arg("interim_actual", "The interim actual"),
        ],
        rules.interim_met,
        "logical",
    ),
    _f(
        "LPSA_PAYMENT_ON_ACCOUNT",
        "Payment on account for a target whose interim target was met: one-fifth of its "
        "potential under LPSA1, to the penny (RULES.md §5)",
        [_POT, _scheme_arg()],
        rules.payment_on_account,
    ),
]

#: Every Excel function by name, in declaration order.
FUNCTIONS: dict[str, ExcelFunction] = {f.name: f for f in _DECLARED}


def excel_functions() -> dict[str, Callable[..., object]]:
    """The bindings for an evaluator: upper-case name -> callable on Excel values."""
    return dict(FUNCTIONS)
