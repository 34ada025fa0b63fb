"""Every PDF Seuil prints goes through `print_pdf`: a tagged PDF/UA-1 document (structure
tree, headings, table headers, the alternative text of charts), its title taken from the
HTML `<title>` and shown by readers, its language from `<html lang="fr">`.

WeasyPrint is imported inside the function: loading it (and its system libraries) takes
half a second that every command and every process would otherwise pay. The document may
fetch nothing from the network or the disk: its style sheets are passed as strings.
"""

import re

PDF_VARIANT = "pdf/ua-1"
TITLE_RE = re.compile(r"<title>\s*[^<\s]", re.IGNORECASE)
LANG_RE = re.compile(r"<html[^>]*\slang=\"fr\"", re.IGNORECASE)


class PdfDocumentError(ValueError):
    """The HTML of a document lacks what an accessible PDF needs (a programming error)."""


def print_pdf(html, *, stylesheets=(), name="le document"):
    """The PDF (bytes) of the standalone HTML document `html`, styled by `stylesheets`
    (CSS texts). `name` says, in French, which document refused an external resource."""
    if not LANG_RE.search(html):
        raise PdfDocumentError(f'{name} : <html lang="fr"> manquant')
    if not TITLE_RE.search(html):
        raise PdfDocumentError(f"{name} : <title> manquant ou vide")
    return _lay_out(html, stylesheets, name)


def _lay_out(html, stylesheets, name):
    """WeasyPrint's layout of the checked document (looked up at each call: the permission
    batteries replace it by the HTML itself, whose text they can search)."""
    from weasyprint import CSS, HTML

    def refuse(url, *args, **kwargs):
        raise ValueError(f"Ressource externe refusée dans {name} : {url}")

    return HTML(string=html, url_fetcher=refuse).write_pdf(
        stylesheets=[CSS(string=css) for css in stylesheets],
        pdf_variant=PDF_VARIANT,
        pdf_tags=True,
    )
