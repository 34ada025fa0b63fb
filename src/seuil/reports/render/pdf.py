"""The activity report as PDF: WeasyPrint prints the standalone HTML document."""

from .html import render_html


def render_pdf(report, *, facts=None):
    """The PDF document (bytes); no network access (the document has no external resource).
    WeasyPrint is imported here: loading it takes half a second every command would pay."""
    from weasyprint import HTML

    html = render_html(report, facts=facts)
    return HTML(string=html, url_fetcher=_no_fetch).write_pdf()


def _no_fetch(url, *args, **kwargs):
    raise ValueError(f"Ressource externe refusée dans le rapport : {url}")
