"""Printed documents from templates the operator can edit.

A document is a Django template (HTML) and its style sheet (CSS), rendered with a context
and printed by WeasyPrint. Each app ships its documents' templates (`support/contract.html`,
`tenancy/documents/receipt.html`…); the operator adapts one by putting a file of the same
name in the **document templates folder** (`SEUIL_DOCUMENT_TEMPLATES`, by default
`modeles/` in the data folder), either for every organisation of the instance
(`modeles/tenancy/documents/receipt.html`) or for one organisation, under its reference
(`modeles/<organisation ref>/tenancy/documents/receipt.html`). The organisation's copy comes
first, then the instance's, then Seuil's. A copy may start with
`{% extends "tenancy/documents/receipt.html" %}` and change only the blocks it needs.

`render_pdf(template, context, …)` prints such a document through `core.pdf.print_pdf`, as
every PDF of Seuil (tagged, PDF/UA-1; a document fetches nothing: no network, no file).
"""

from pathlib import Path

from django.conf import settings
from django.template import Context, Engine, TemplateDoesNotExist, engines
from django.template.loader import get_template

from .pdf import print_pdf


def templates_folder():
    """The folder of the operator's document templates (it may not exist)."""
    return Path(settings.SEUIL_DOCUMENT_TEMPLATES)


def _operator_engine():
    folder = templates_folder()
    if not folder.is_dir():
        return None
    # The operator's copies may extend Seuil's templates and load the same tag libraries:
    # the project's engine, with the folder first.
    base = engines["django"].engine
    return Engine(
        dirs=[str(folder), *base.dirs],
        app_dirs=base.app_dirs,
        libraries=base.libraries,
        autoescape=True,
    )


def candidates(name, organisation=None):
    """The names tried in the operator's folder, the organisation's copy first."""
    names = [name]
    if organisation is not None and organisation.ref:
        names.insert(0, f"{organisation.ref}/{name}")
    return names


def render_text(name, context, *, organisation=None):
    """The text of the template `name` with `context`: the operator's copy (the
    organisation's, then the instance's) when there is one, else Seuil's."""
    engine = _operator_engine()
    if engine is not None:
        for candidate in candidates(name, organisation):
            if not (templates_folder() / candidate).is_file():
                continue
            try:
                template = engine.get_template(candidate)
            except TemplateDoesNotExist:  # pragma: no cover - checked just above
                continue
            return template.render(Context(context, autoescape=True))
    return get_template(name).render(context)


def which(name, organisation=None):
    """Where the template `name` comes from, in French (for the documents' page)."""
    for candidate in candidates(name, organisation):
        if (templates_folder() / candidate).is_file():
            return f"modèle adapté ({candidate})"
    return "modèle de Seuil"


def render_pdf(name, context, *, stylesheet=None, organisation=None):
    """The PDF (bytes) of the document template `name` rendered with `context`, with the
    style sheet template `stylesheet` (rendered too), the operator's copies first."""
    html = render_text(name, context, organisation=organisation)
    css = render_text(stylesheet, context, organisation=organisation) if stylesheet else None
    return print_pdf(html, stylesheets=[css] if css else [], name=name)
