"""Excel adapters: classic xlwings UDFs and macros, xlwings Server, the add-in workbook.

They take the LPSA functions from the one registry, :mod:`lpsa_xl.functions.registry`; the
xlwings modules import xlwings themselves."""
