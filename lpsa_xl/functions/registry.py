"""The one registry of Excel-facing functions.

Each ``LPSA_*`` function is declared here once: its name, arguments with help text, what it
returns, its category and the core function behind it. From this registry come the classic
xlwings UDFs (:mod:`lpsa_xl.excel.udfs`), the xlwings Server custom functions
(:mod:`lpsa_xl.excel.server`, named ``LPSA.REWARD`` and so on under the add-in's namespace:
:mod:`lpsa_xl.functions.spelling`) and the headless evaluator's bindings
(:func:`excel_functions`). Nothing about a function is written anywhere else. What a function
is and how it is called: :mod:`lpsa_xl.functions.base`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from lpsa_xl import rules
from lpsa_xl.functions.base import CATEGORY, Arg, ExcelFunction, to_excel
from lpsa_xl.functions.monitoring import (
    forecast_outturn,
    forecast_reward,
    forecast_status,
    rollup_table,
)
from lpsa_xl.functions.tables import instalment_table, line_potential, schedule_table

__all__ = ["CATEGORY", "FUNCTIONS", "Arg", "ExcelFunction", "excel_functions", "to_excel"]

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
        "without the agreement (docs/rules.md#stretch)",
        [_E, _T],
        rules.stretch,
    ),
    _f(
        "LPSA_ACHIEVEMENT",
        "Fraction of the stretch achieved, (A - E) / (T - E), computed exactly "
        "(docs/rules.md#achievement)",
        [_E, _T, _A],
        rules.achievement,
    ),
    _f(
        "LPSA_PAYABLE",
        "Fraction of the potential payable: 0 below 60% of the stretch, capped at "
        "100% (docs/rules.md#floor, docs/rules.md#cap)",
        [_E, _T, _A, _scheme_arg()],
        rules.payable_fraction,
    ),
    _f(
        "LPSA_REWARD",
        "Reward payable for a target or sub-target, rounded as the scheme says "
        "(docs/rules.md#reward)",
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
        "The 60% trigger: the outturn that secures the first reward (docs/rules.md#trigger)",
        [_E, _T, _scheme_arg()],
        rules.trigger,
    ),
    _f(
        "LPSA_STATUS",
        "Monitoring colour: Green (stretch achieved), Amber (at least 60%) or Red "
        "(docs/rules.md#status)",
        [_E, _T, _A, _scheme_arg()],
        rules.status,
        "text",
    ),
    _f(
        "LPSA_POTENTIAL",
        "Potential reward: 2.5% of the net budget requirement of the year before "
        "the start, to the penny (docs/rules.md#potential)",
        [Arg("nbr", "Net budget requirement, £"), _scheme_arg()],
        rules.potential,
    ),
    _f(
        "LPSA_SHARE",
        "One target's or sub-target's share of the potential reward (docs/rules.md#split)",
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
        "Capital part of a payment, to the penny (docs/rules.md#capital-and-revenue)",
        [Arg("amount", "Payment, £"), _scheme_arg("LPSA2")],
        lambda amount, scheme=None: rules.capital(amount, scheme or "LPSA2"),
    ),
    _f(
        "LPSA_REVENUE",
        "Revenue part of a payment: the payment less its capital part "
        "(docs/rules.md#capital-and-revenue)",
        [Arg("amount", "Payment, £"), _scheme_arg("LPSA2")],
        lambda amount, scheme=None: rules.revenue(amount, scheme or "LPSA2"),
    ),
    _f(
        "LPSA_VFM_COST",
        "Cost per unit of stretch: potential / |T - E|, £ per extra unit "
        "(docs/rules.md#value-for-money)",
        [_E, _T, _POT],
        rules.vfm_cost,
    ),
    _f(
        "LPSA_VFM_RATIO",
        "Benefit-cost ratio: |T - E| x value per unit / potential (docs/rules.md#value-for-money)",
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
        "revenue (docs/rules.md#instalments)",
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
        "schedule splits it: stated potentials win, parts add back to the total "
        "(docs/rules.md#split)",
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
        "(docs/rules.md#payment-on-account)",
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
        "potential under LPSA1, to the penny (docs/rules.md#payment-on-account)",
        [_POT, _scheme_arg()],
        rules.payment_on_account,
    ),
]

_PERIODS = Arg(
    "periods",
    "Monitoring periods, as text: '2003/04', '2004/05 Q3' or '2004 Q3' (a row or a column)",
    kind="table",
)
_VALUES = Arg(
    "values", "The figure reported for each period (blank: not reported yet)", kind="table"
)
_FINAL = Arg("final_period", "The agreement's final period, e.g. '2005/06'", kind="value")
_METHOD = Arg(
    "method",
    "trend (least-squares line, the default) or last (the latest figure carries on)",
    kind="text",
    optional=True,
)

_DECLARED += [
    _f(
        "LPSA_FORECAST",
        "Forecast reward: what the final outturn forecast from the monitoring series would "
        "earn, with the floor, cap and rounding of the reward (a projection: docs/forecast.md)",
        [_PERIODS, _VALUES, _FINAL, _E, _T, _POT, _scheme_arg(), _METHOD],
        forecast_reward,
    ),
    _f(
        "LPSA_FORECAST_OUTTURN",
        "Forecast final outturn of a monitoring series at the final period "
        "(a projection: docs/forecast.md)",
        [_PERIODS, _VALUES, _FINAL, _METHOD],
        forecast_outturn,
    ),
    _f(
        "LPSA_FORECAST_STATUS",
        "Forecast status: on track (at least 100% of the stretch), at risk (at least the "
        "floor) or likely missed (a projection: docs/forecast.md)",
        [_PERIODS, _VALUES, _FINAL, _E, _T, _scheme_arg(), _METHOD],
        forecast_status,
        "text",
    ),
    _f(
        "LPSA_ROLLUP",
        "Roll-up of a targets table: how many targets are met, partly met, missed, on track, "
        "at risk, likely missed or not yet measurable, with the potential and reward in each "
        "and the total (docs/rules.md#roll-up)",
        [
            Arg(
                "statuses",
                "Each target's status: Green, Amber or Red for a final outturn, on track, at "
                "risk or likely missed for a forecast, blank when not yet measurable",
                kind="table",
            ),
            Arg("potentials", "Each target's potential reward, £", kind="table"),
            Arg(
                "rewards",
                "Each target's reward or forecast reward, £ (blank counts as 0)",
                kind="table",
                optional=True,
            ),
        ],
        rollup_table,
        "array",
    ),
]

#: Every Excel function by name, in declaration order.
FUNCTIONS: dict[str, ExcelFunction] = {f.name: f for f in _DECLARED}


def excel_functions() -> dict[str, Callable[..., object]]:
    """The bindings for an evaluator: upper-case name -> callable on Excel values."""
    return dict(FUNCTIONS)
