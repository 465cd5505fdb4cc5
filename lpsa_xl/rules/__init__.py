"""The pure rules core of lpsa-xl: exact reward arithmetic (docs/rules.md), and the forecast during
the agreement (a projection, docs/forecast.md).

Imports nothing from xlwings, openpyxl or any CLI library (``tests/test_core_imports.py``
enforces it), and pandas only inside :func:`reward_schedule`.
"""

from lpsa_xl.rules.convert import Number, round_money, to_decimal
from lpsa_xl.rules.errors import (
    DirectionError,
    InputError,
    LpsaError,
    NotANumberError,
    OutOfRangeError,
    SchemeError,
    SchemeFileError,
    SeriesError,
    UnknownSchemeError,
    WeightsError,
    ZeroStretchError,
)
from lpsa_xl.rules.forecast import (
    AT_RISK,
    LIKELY_MISSED,
    ON_TRACK,
    Forecast,
    Projection,
    forecast,
    forecast_outturn,
)
from lpsa_xl.rules.model import Agreement, SubTarget, Target
from lpsa_xl.rules.payment import (
    Payment,
    capital,
    financial_year,
    instalments,
    parse_financial_year,
    partner_shares,
    payment_on_account,
    revenue,
)
from lpsa_xl.rules.potential import Portion, allocate, potential, share, split_potentials
from lpsa_xl.rules.pump import PumpPriming, PumpPrimingItem, pump_priming
from lpsa_xl.rules.reward import AMBER, GREEN, RED, Rounding, payable_fraction, reward, status
from lpsa_xl.rules.rollup import (
    MET,
    MISSED,
    NOT_MEASURABLE,
    PARTLY_MET,
    Rollup,
    RollupClass,
    rollup,
    rollup_result,
)
from lpsa_xl.rules.schedule import Line, Result, assess
from lpsa_xl.rules.schemes import Scheme, get_scheme, load_schemes, reset_schemes, scheme_names
from lpsa_xl.rules.stretch import achievement, interim_met, stretch, trigger
from lpsa_xl.rules.table import reward_schedule, targets_from_rows
from lpsa_xl.rules.vfm import small_stretch, vfm_cost, vfm_ratio

__all__ = [
    "AMBER",
    "AT_RISK",
    "GREEN",
    "LIKELY_MISSED",
    "MET",
    "MISSED",
    "NOT_MEASURABLE",
    "ON_TRACK",
    "PARTLY_MET",
    "RED",
    "Agreement",
    "DirectionError",
    "Forecast",
    "InputError",
    "Line",
    "LpsaError",
    "NotANumberError",
    "Number",
    "OutOfRangeError",
    "Payment",
    "Portion",
    "Projection",
    "PumpPriming",
    "PumpPrimingItem",
    "Result",
    "Rollup",
    "RollupClass",
    "Rounding",
    "Scheme",
    "SchemeError",
    "SchemeFileError",
    "SeriesError",
    "SubTarget",
    "Target",
    "UnknownSchemeError",
    "WeightsError",
    "ZeroStretchError",
    "achievement",
    "allocate",
    "assess",
    "capital",
    "financial_year",
    "forecast",
    "forecast_outturn",
    "get_scheme",
    "instalments",
    "interim_met",
    "load_schemes",
    "parse_financial_year",
    "partner_shares",
    "payable_fraction",
    "payment_on_account",
    "potential",
    "pump_priming",
    "reset_schemes",
    "revenue",
    "reward",
    "reward_schedule",
    "rollup",
    "rollup_result",
    "round_money",
    "scheme_names",
    "share",
    "small_stretch",
    "split_potentials",
    "status",
    "stretch",
    "targets_from_rows",
    "to_decimal",
    "trigger",
    "vfm_cost",
    "vfm_ratio",
]
