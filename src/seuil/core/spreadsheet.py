"""Text cells a spreadsheet will not run: every CSV or XLSX download goes through `safe_text`;
a styled cell of a sheet written row by row (`styled_cell`)."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value):
    """Text that a spreadsheet will never read as a formula: `=`, `+`, `-`, `@` (and tab,
    carriage return) at the start get a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def read_text(value):
    """The text `safe_text` was given: the apostrophe it put before a formula start goes
    (a workbook Seuil exported reads back as it was)."""
    if isinstance(value, str) and value[:1] == "'" and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def styled_cell(sheet, value, **style):
    """A cell of openpyxl's write-only `sheet` holding `value`, with `style` (font, fill,
    alignment, number_format…): such a sheet takes rows of values or of these cells."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value)
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell
