"""lpsa-xl: exact LPSA and LAA stretch-target reward arithmetic for council Excel workbooks.

The public API is the rules core (docs/rules.md): every figure is a :class:`decimal.Decimal`;
inputs may be int, float (taken through its shortest repr), text or Decimal.

    >>> import lpsa_xl
    >>> lpsa_xl.achievement(40.1, 40.2, 40.16)      # binary floats would say 0.5999...
    Decimal('0.6')
    >>> lpsa_xl.reward(40.1, 40.2, 40.16, 275227)   # exactly 60% pays 60%
    Decimal('165136')
"""

from lpsa_xl.rules import *  # noqa: F403 - the rules package defines the public names
from lpsa_xl.rules import __all__ as _rules_all

__version__ = "0.1.0"
__all__ = [*_rules_all, "__version__"]
