"""Workbook adapters: reading returns (templates and council layouts), headless recalculation,
templates and safe writing. Nothing here holds a rule: figures come from :mod:`lpsa_xl.rules`."""
