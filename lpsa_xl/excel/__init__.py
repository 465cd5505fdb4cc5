"""Excel adapters: the function registry, classic xlwings UDFs and macros, xlwings Server.

Only :mod:`lpsa_xl.excel.registry` is imported eagerly by other adapters; the xlwings modules
import xlwings themselves."""
