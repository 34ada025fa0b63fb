"""What the workbook tests share: open a workbook Seuil wrote, change cells as a person
would in a spreadsheet, and give back its bytes."""

import io

from openpyxl import load_workbook

from seuil.exchange.workbook import FIRST_ROW, NAMES_ROW


class Book:
    """An XLSX workbook to edit: `set(sheet, field, row_ref, value)` finds the column by
    its exchange field name (hidden row 2) and the row by the value of its first column."""

    def __init__(self, data):
        self.book = load_workbook(io.BytesIO(data))

    def column(self, title, field):
        ws = self.book[title]
        for cell in ws[NAMES_ROW]:
            if cell.value == field:
                return cell.column
        raise KeyError(field)

    def row(self, title, key, *, column=1):
        ws = self.book[title]
        for row in range(FIRST_ROW, ws.max_row + 1):
            if ws.cell(row, column).value == key:
                return row
        raise KeyError(key)

    def set(self, title, field, key, value, *, key_field=None):
        column = 1 if key_field is None else self.column(title, key_field)
        row = self.row(title, key, column=column)
        self.book[title].cell(row, self.column(title, field), value)
        return row

    def get(self, title, field, key):
        return self.book[title].cell(self.row(title, key), self.column(title, field)).value

    def append(self, title, values):
        """A new row at the end: {field: value}."""
        ws = self.book[title]
        row = ws.max_row + 1
        for field, value in values.items():
            ws.cell(row, self.column(title, field), value)
        return row

    def delete_rows(self, title, key):
        ws = self.book[title]
        while True:
            try:
                ws.delete_rows(self.row(title, key))
            except KeyError:
                return

    def remove(self, title):
        del self.book[title]

    def bytes(self):
        out = io.BytesIO()
        self.book.save(out)
        return out.getvalue()
