"""Cells of the CSV files the consoles hand out."""


def cell_safe(value) -> str:
    """A value that came from a person (an upload, a target name, a browser) must not become a
    formula when the file is opened in a spreadsheet program."""
    value = str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
