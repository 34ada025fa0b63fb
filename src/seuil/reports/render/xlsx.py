"""The activity report as an XLSX workbook (openpyxl): one sheet per table.

Each sheet starts with the title (organisation and period) and the scope, then its tables:
caption, bold header row (frozen), one row per code with its French label, bold total row.
Figures are numbers (percentages and means too), never text, so the funder can compute.
Every text cell goes through `safe_text` (no formula injection from a name typed in Seuil).
"""

import io
import re

from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from seuil.core.spreadsheet import safe_text
from seuil.core.xlsx import Workbook

from ..presentation import orientation_tables, outcomes_tables, support_tables
from . import labels as L

INTEGER = "#,##0"
DECIMAL_1 = "0.0"
DECIMAL_2 = "0.00"
PERCENT = "0.0 %"
SIGNED = "+#,##0;-#,##0;0"
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
THIN = Side(style="thin", color="A6A6A6")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
# Sheets that also get a native bar chart of their first value column.
CHARTED = {
    "Présents – composition",
    "Présents – âges",
    "Sorties – destinations",
}


_FRENCH_NUMBER = re.compile(r"^([+−-]?)([\d\u202f\u00a0 ]+)(?:,(\d+))?(\u00a0?%)?$")


def cell_value(value):
    """(value, number format) of a table cell: French formatted figures become numbers."""
    if value is None:
        return "—", None
    if isinstance(value, bool):
        return ("Oui" if value else "Non"), None
    if isinstance(value, int):
        return value, INTEGER
    if isinstance(value, float):
        return value, DECIMAL_1
    text = str(value)
    match = _FRENCH_NUMBER.match(text.strip())
    if not match:
        return safe_text(text), None
    sign, whole, decimals, percent = match.groups()
    digits = re.sub(r"\D", "", whole)
    number = float(f"{digits}.{decimals}") if decimals else int(digits)
    if sign in ("−", "-"):
        number = -number
    if percent:
        return number / 100, PERCENT
    if sign == "+" or (sign and not decimals):
        return number, SIGNED
    return number, DECIMAL_2 if decimals and len(decimals) == 2 else INTEGER


def _exact_values(report):
    """Figures the page shows rounded, written here with their full precision."""
    housing = report["housing"]
    exact = {
        ("parc-synthese", "Taux d'occupation"): (housing["occupancy_rate"], PERCENT),
        ("parc-synthese", "Nombre moyen"): (housing["average_units"], DECIMAL_2),
    }
    if report.get("tenancy") is not None:
        rate = report["tenancy"]["collection_rate"]
        exact[("gestion-locative-synthese", "Taux d'encaissement")] = (rate, PERCENT)
    return exact


def _mean_row(report, table):
    """The mean length of stay, as a number, under the length-of-stay tables."""
    section = {"presents-duree": "present", "sorties-duree": "exits"}.get(table.id)
    if section is None:
        return None
    return ("Durée moyenne de séjour (mois)", report[section]["length_of_stay"]["mean_months"])


class SheetWriter:
    def __init__(self, sheet, report, title, scope):
        self.sheet = sheet
        self.report = report
        self.exact = _exact_values(report)
        self.widths = {}
        self.row = 1
        self.frozen = False
        self.write(1, title, font=Font(bold=True, size=14), measure=False)
        self.row = 2
        self.write(1, scope, font=Font(italic=True), measure=False)
        self.row = 4

    def write(
        self, column, value, *, number_format=None, font=None, fill=None, border=None, measure=True
    ):
        cell = self.sheet.cell(row=self.row, column=column, value=value)
        if number_format:
            cell.number_format = number_format
        if font:
            cell.font = font
        if fill:
            cell.fill = fill
        if border:
            cell.border = border
        if measure:
            shown = len(str(value)) if value is not None else 0
            self.widths[column] = max(self.widths.get(column, 0), shown)
        return cell

    def table(self, table):
        # Long captions overflow to the right: they do not widen the label column.
        self.write(1, safe_text(table.caption), font=Font(bold=True, size=12), measure=False)
        self.row += 1
        header_row = self.row
        for column, header in enumerate([table.first_column, *table.columns], start=1):
            cell = self.write(
                column, safe_text(header), font=Font(bold=True), fill=HEADER_FILL, border=BORDER
            )
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        if not self.frozen:
            self.sheet.freeze_panes = self.sheet.cell(row=header_row + 1, column=2)
            self.frozen = True
        first_data = self.row + 1
        for row in table.rows:
            self.row += 1
            self.write(1, safe_text(row.label), border=BORDER)
            for column, value in enumerate(row.values, start=2):
                number, number_format = self.exact.get(
                    (table.id, _label_key(row.label)), cell_value(value)
                )
                if number is None:
                    number, number_format = "non calculable", None
                self.write(column, number, number_format=number_format, border=BORDER)
        last_data = self.row
        if table.total is not None:
            self.row += 1
            bold = Font(bold=True)
            self.write(1, "Total", font=bold, fill=TOTAL_FILL, border=BORDER)
            for column, value in enumerate(table.total, start=2):
                number, number_format = cell_value(value)
                self.write(
                    column,
                    number,
                    number_format=number_format,
                    font=bold,
                    fill=TOTAL_FILL,
                    border=BORDER,
                )
        mean = _mean_row(self.report, table)
        if mean is not None:
            self.row += 1
            label, value = mean
            self.write(1, label, font=Font(italic=True))
            if value is None:
                self.write(2, "non calculable")
            else:
                self.write(2, value, number_format=DECIMAL_1)
        self.row += 2
        return header_row, first_data, last_data

    def chart(self, table, header_row, first_data, last_data):
        if last_data < first_data or not table.columns:
            return
        chart = BarChart()
        chart.type = "bar"
        chart.style = 10
        chart.title = table.caption
        chart.legend = None
        chart.y_axis.title = table.columns[0]
        chart.y_axis.majorGridlines = None
        data = Reference(self.sheet, min_col=2, min_row=header_row, max_row=last_data)
        categories = Reference(self.sheet, min_col=1, min_row=first_data, max_row=last_data)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(categories)
        chart.height = max(7.5, 0.8 * (last_data - first_data + 1) + 3)
        chart.width = 18
        anchor = get_column_letter(len(table.columns) + 3)
        self.sheet.add_chart(chart, f"{anchor}{header_row}")

    def finish(self):
        for column, width in self.widths.items():
            limit = 60 if column == 1 else 28
            self.sheet.column_dimensions[get_column_letter(column)].width = min(
                max(width + 2, 12), limit
            )
        self.sheet.sheet_view.showGridLines = False
        # Printed on A4 landscape, one page wide.
        self.sheet.page_setup.orientation = "landscape"
        self.sheet.page_setup.paperSize = self.sheet.PAPERSIZE_A4
        self.sheet.page_setup.fitToWidth = 1
        self.sheet.page_setup.fitToHeight = 0
        self.sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _label_key(label):
    return "Nombre moyen" if label.startswith("Nombre moyen") else label


def _checks_sheet(workbook, report, title, scope):
    sheet = workbook.create_sheet("Contrôles")
    writer = SheetWriter(sheet, report, title, scope)
    writer.write(
        1, "Contrôles de cohérence du rapport", font=Font(bold=True, size=12), measure=False
    )
    writer.row += 1
    header_row = writer.row
    for column, header in enumerate(["Contrôle", "Résultat"], start=1):
        writer.write(column, header, font=Font(bold=True), fill=HEADER_FILL, border=BORDER)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=2)
    for check in report["checks"]:
        writer.row += 1
        writer.write(1, safe_text(L.check_label(check["name"])), border=BORDER)
        writer.write(
            2,
            L.CHECK_STATUS[bool(check["ok"])],
            border=BORDER,
            font=None if check["ok"] else Font(bold=True, color="C00000"),
        )
    writer.finish()


def _orientation_sheet(workbook, report, title, scope):
    """One sheet with the `orientation` section: its figures and the refusals by reason."""
    section = report["orientation"]
    sheet = workbook.create_sheet("Orientation")
    writer = SheetWriter(sheet, report, title, scope)
    figures, refusals = orientation_tables(section)
    writer.table(figures)
    writer.table(refusals)
    writer.finish()


def _support_sheet(workbook, report, title, scope):
    """One sheet with the `support` section: its figures, contacts and objectives."""
    sheet = workbook.create_sheet("Accompagnement")
    writer = SheetWriter(sheet, report, title, scope)
    for table in support_tables(report["support"]):
        writer.table(table)
    writer.finish()


def _outcomes_sheet(workbook, report, title, scope):
    """One sheet with the `outcomes` section: the 12-month cohort and what became of it."""
    sheet = workbook.create_sheet("Après la sortie")
    writer = SheetWriter(sheet, report, title, scope)
    for table in outcomes_tables(report["outcomes"]):
        writer.table(table)
    writer.finish()


def render_xlsx(report):
    """The workbook of the report, as bytes."""
    labels = L.build_labels(report)
    tables = L.build_tables(report, labels)
    title = safe_text(L.document_title(report))
    scope = safe_text(L.scope_label(report))
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet_name, keys in L.SHEETS:
        present = [tables[key] for key in keys if key in tables]
        if not present:
            continue
        sheet = workbook.create_sheet(sheet_name)
        writer = SheetWriter(sheet, report, title, scope)
        for number, table in enumerate(present):
            placed = writer.table(table)
            if number == 0 and sheet_name in CHARTED:
                writer.chart(table, *placed)
        writer.finish()
    if report.get("orientation") is not None:
        _orientation_sheet(workbook, report, title, scope)
    if report.get("support") is not None:
        _support_sheet(workbook, report, title, scope)
    if report.get("outcomes") is not None:
        _outcomes_sheet(workbook, report, title, scope)
    _checks_sheet(workbook, report, title, scope)
    workbook.properties.title = L.document_title(report)
    workbook.properties.creator = "Seuil"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
