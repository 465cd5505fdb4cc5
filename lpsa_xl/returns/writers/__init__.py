"""Writers of lpsa-xl's returns workbooks (see :mod:`lpsa_xl.returns.templates`)."""
