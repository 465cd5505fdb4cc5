"""Every error lpsa-xl raises for bad input derives from :class:`LpsaError`.

The tree::

    LpsaError                      base of everything lpsa-xl raises on purpose
    ├── InputError (ValueError)    an input that the rules cannot use
    │   ├── NotANumberError        text, a blank, a bool, NaN or infinity where a number is needed
    │   ├── ZeroStretchError       target equal to expected: no stretch
    │   ├── DirectionError         target not better than expected for the declared direction
    │   ├── OutOfRangeError        a negative amount, a count below 1, a share outside 0..1, ...
    │   ├── WeightsError           sub-target weights or partner shares that do not sum to 1
    │   └── SeriesError            a monitoring series that cannot be forecast (too few points,
    │                              a label that is no period, the final period already in)
    └── SchemeError                a scheme that cannot be used
        ├── UnknownSchemeError     no scheme of that name is loaded
        └── SchemeFileError        a scheme file that cannot be read or is inconsistent

Each error carries what a person needs to fix the input: ``field`` (the argument or column),
``ref`` (the target reference, where there is one) and ``excel_error`` (the Excel error value the
Excel adapters show for it, so ``IFERROR`` works). The message already names ref and field.

Callers catch :class:`LpsaError` for everything, or :class:`InputError` for bad figures only.
Nothing in the rules raises a bare ``ZeroDivisionError``, ``TypeError`` or ``decimal`` signal.
"""

from __future__ import annotations

__all__ = [
    "DirectionError",
    "InputError",
    "LpsaError",
    "NotANumberError",
    "OutOfRangeError",
    "SchemeError",
    "SchemeFileError",
    "SeriesError",
    "UnknownSchemeError",
    "WeightsError",
    "ZeroStretchError",
]


class LpsaError(Exception):
    """Base of every error lpsa-xl raises on purpose."""

    #: The Excel error value this error becomes in a cell.
    excel_error = "#VALUE!"

    def __init__(self, message: str, *, field: str | None = None, ref: str | None = None) -> None:
        self.reason = message
        self.field = field
        self.ref = ref
        super().__init__(self._compose())

    def _compose(self) -> str:
        where = []
        if self.ref is not None:
            where.append(f"target {self.ref}")
        if self.field is not None:
            where.append(self.field)
        return f"{', '.join(where)}: {self.reason}" if where else self.reason

    def located(self, *, ref: str | None = None, field: str | None = None) -> LpsaError:
        """The same error with the target reference and/or field filled in where missing."""
        err = type(self).__new__(type(self))
        err.__dict__.update(self.__dict__)
        err.ref = self.ref if self.ref is not None else ref
        err.field = self.field if self.field is not None else field
        Exception.__init__(err, err._compose())
        return err


class InputError(LpsaError, ValueError):
    """An input the rules cannot use."""


class NotANumberError(InputError):
    """Text, a blank, a bool, NaN or infinity where a number is needed."""


class ZeroStretchError(InputError):
    """Target equal to expected: there is no stretch to achieve (docs/rules.md#stretch)."""

    excel_error = "#DIV/0!"


class DirectionError(InputError):
    """Target not better than expected for the declared direction (docs/rules.md#stretch)."""

    excel_error = "#NUM!"


class OutOfRangeError(InputError):
    """A figure outside what the rule allows: negative money, a count below 1, ..."""

    excel_error = "#NUM!"


class WeightsError(InputError):
    """Weights or shares that do not add up to 1 (docs/rules.md#split, docs/rules.md#partners)."""

    excel_error = "#NUM!"


class SeriesError(InputError):
    """A monitoring series that cannot be forecast: fewer points than the method needs, periods
    and values of different lengths, a label that names no period, a period given twice, or a
    final period already reported (its figure is the actual, not a forecast). ``#N/A`` in a
    cell, as Excel's own FORECAST answers for series it cannot use."""

    excel_error = "#N/A"


class SchemeError(LpsaError):
    """A scheme that cannot be used."""


class UnknownSchemeError(SchemeError, KeyError):
    """No scheme of that name is loaded."""

    excel_error = "#N/A"

    def __str__(self) -> str:  # KeyError would quote the message
        return self._compose()


class SchemeFileError(SchemeError):
    """A scheme file that cannot be read, or whose figures are inconsistent."""
