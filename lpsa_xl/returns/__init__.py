"""Returns: reading a return in lpsa-xl's template layout or a council's own layout
(:mod:`.read`, :mod:`.headers`, :mod:`.figures`, :mod:`.model`, :mod:`.layout`), computing its
reward schedule (:mod:`.compute`, :mod:`.results`), building the templates (:mod:`.templates`,
:mod:`.writers`) and recalculating a book with the LPSA functions bound (:mod:`.recalc`).
Nothing here holds a rule: figures come from :mod:`lpsa_xl.rules`. May import the layers below:
formula, functions, files, values, display, rules."""
