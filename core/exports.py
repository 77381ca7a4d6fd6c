"""What every spreadsheet export (CSV, XLSX) shares.

SECURITY: a cell starting with =, +, -, @, tab or carriage return is read as
a formula by spreadsheet programs (CSV/formula injection); such text gets a
leading single quote. Every export passes its text cells through `neutralise`.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Text that a spreadsheet would run as a formula gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
