"""The returns checker: findings to the cell for a folder of returns.

``registry`` names every rule once (id, severity, what it checks); ``inputs`` and ``claims`` hold
the logic of the book rules over a :class:`~lpsa_xl.returns.model.ReturnBook` (state shared in
``book``), recomputing every figure through the rules core only, and ``checks`` runs them;
``run`` checks files (package inspection first, every core); ``report_xlsx``, ``report_html`` and
``annotate`` write the outputs; ``wiring`` names the reader and the headless evaluator it uses.
The command is :mod:`lpsa_xl.cli.check`. May import returns and the layers below it.
"""
