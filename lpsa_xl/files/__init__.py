"""Opening a workbook file safely, and writing one.

One inspection of the package before anything parses it (:mod:`.inspect`: zip and entity bombs,
encryption, legacy formats, external links), one scan of its cells (:mod:`.scan`: values, styles
and formulas, read once and shared by the return reader and the evaluator), the quick view of
that scan the template reader uses (:mod:`.fastread`), A1 references and number formats
(:mod:`.a1`, :mod:`.numformat`), the formula text the scan records (:mod:`.formulatext`) and
the one atomic writer (:mod:`.safe`). Knows nothing of returns or rules; may import
:mod:`lpsa_xl.values` and :mod:`lpsa_xl.rules.errors`.
"""
