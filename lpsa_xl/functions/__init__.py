"""The one registry of LPSA Excel functions (:mod:`.registry`): each ``LPSA_*`` name, its
arguments, help text and the rules-core function behind it. Classic xlwings, xlwings Server and
the headless evaluator are all served from it. May import :mod:`lpsa_xl.rules` and
:mod:`lpsa_xl.values` only."""
