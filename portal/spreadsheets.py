"""CSV files people open in a spreadsheet."""

# Spreadsheets run a cell that starts with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def no_formula(text: str) -> str:
    """The text as a cell no spreadsheet runs: a leading quote makes it text."""
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text
