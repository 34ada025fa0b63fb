"""The activity report as a standalone, printable HTML page (also the source of the PDF).

`reports/document.html` wraps the page's own `reports/_report_body.html` (same tables and
SVG charts, `presentation.report_context`) with a title, the scope and print styles.
"""

from django.template.loader import render_to_string
from django.utils import timezone

from ..presentation import report_context
from . import labels as L


def document_context(report, *, facts=None, charts=None):
    name = L.organisation_name(report)
    return report_context(report, facts, charts) | {
        "organisation_name": name,
        "document_title": L.document_title(report, name),
        "period_label": L.period_label(report),
        "scope_label": L.scope_label(report),
        "generated_on": timezone.localdate(),
    }


def render_html(report, *, facts=None, charts=None):
    """The HTML document (text)."""
    return render_to_string(
        "reports/document.html", document_context(report, facts=facts, charts=charts)
    )
