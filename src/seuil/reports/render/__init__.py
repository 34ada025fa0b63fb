"""The activity report as a document: `render(report, fmt)` → (content, content type, file name).

Formats: `html` (standalone printable page), `pdf` (WeasyPrint from that page), `xlsx` (one
sheet per table), `docx` (editable report with charts and blank narrative sections).
The tables and French labels are those of the page (`reports.presentation`); the database
is read only for names (organisation, sectors) and, for the monthly occupancy chart, the
facts when neither they nor the monthly figures computed with the report are given.
"""

from . import labels

FORMATS = ("html", "xlsx", "docx", "pdf")
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def render(report, fmt, *, facts=None, charts=None):
    """(content bytes, content type, file name) of the report in `fmt`.

    `facts`: the plain facts already loaded for this report (`facts.load_facts`), to spare
    loading them again for the monthly charts (html, pdf, docx); `charts`: those monthly
    figures themselves (`presentation.chart_data`), kept with a stored report.
    """
    if fmt == "xlsx":
        from .xlsx import render_xlsx

        content = render_xlsx(report)
    elif fmt == "docx":
        from .docx import render_docx

        content = render_docx(report, facts=facts, charts=charts)
    elif fmt == "html":
        from .html import render_html

        content = render_html(report, facts=facts, charts=charts).encode("utf-8")
    elif fmt == "pdf":
        from .pdf import render_pdf

        content = render_pdf(report, facts=facts, charts=charts)
    else:
        raise ValueError(f"Format de rapport inconnu : « {fmt} ».")
    return content, CONTENT_TYPES[fmt], labels.filename(report, fmt)
