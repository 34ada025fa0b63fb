"""The activity report as PDF: WeasyPrint prints the standalone HTML document (tagged
PDF/UA through `core.pdf.print_pdf`)."""

from seuil.core.pdf import print_pdf

from .html import render_html


def render_pdf(report, *, facts=None, charts=None):
    """The PDF document (bytes); no network access (the document has no external resource)."""
    return print_pdf(render_html(report, facts=facts, charts=charts), name="le rapport")
