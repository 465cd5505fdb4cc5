"""The returns checker (issue 5): findings to the cell for a folder of returns.

``registry`` names every rule once (id, severity, what it checks); ``checks`` holds the logic of
each, reading a :class:`~lpsa_xl.workbook.model.ReturnBook` and recomputing every figure through
the rules core only; ``run`` checks files (package inspection first, both cores); ``report_xlsx``,
``report_html`` and ``annotate`` write the outputs; ``command`` is ``lpsa-xl check``.
"""
