"""The household file as a PDF (`core.pdf`, tagged): the same parts as
the page, each shown only to who may see it (`views.file_context`), without the actions.
Its download is an export in the access log."""

from django.db import transaction
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from seuil.core.audit import record_access
from seuil.core.documents import as_attachment
from seuil.core.models import AccessLog
from seuil.core.pdf import print_pdf
from seuil.core.policy import Action
from seuil.core.views_policy import policy

from .views import file_context, file_household


def render_file_pdf(html):
    """The PDF (bytes) of the file's HTML, tagged as every PDF of Seuil (`core.pdf`)."""
    css = render_to_string("households/file_print.css")
    return print_pdf(html, stylesheets=[css], name="le dossier imprimé")


@policy(read=Action.VIEW_HOUSEHOLDS)
@require_GET
def household_pdf(request, uuid):
    """Télécharger le dossier du ménage en PDF."""
    household = file_household(request, uuid)
    now = timezone.localtime()
    with transaction.atomic():
        record_access(request.user, AccessLog.Action.EXPORT, household)
    context = {
        **file_context(request, household, now.date()),
        "printing": True,
        "printed_at": now,
        # The printed file shows the file, not what can be done with it.
        "can_edit": False,
        "can_merge": False,
        "can_hand_over": False,
        "can_change_social_note": False,
        "undoable_merges": [],
    }
    html = render_to_string("households/file_print.html", context, request=request)
    response = HttpResponse(render_file_pdf(html), content_type="application/pdf")
    name = f"dossier-{slugify(household.ref) or 'menage'}-{now:%Y%m%d}.pdf"
    return as_attachment(response, name)
