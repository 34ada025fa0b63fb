"""The right of access (RGPD art. 15) from a household file: a person's download."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from seuil.core.permissions import can_export_person, require
from seuil.core.policy import Action
from seuil.households.models import Person

from . import subject_access


@require_GET
def person_subject_access(request, uuid, fmt):
    """Everything Seuil holds about a person, as a JSON or PDF download (one access-log row)."""
    require(can_export_person, request.user)
    person = get_object_or_404(
        Person.objects.visible_to(request.user, Action.EXPORT_PERSON).select_related(
            "organisation"
        ),
        uuid=uuid,
    )
    content, content_type, name = subject_access.export_person(
        person, fmt, acting_user=request.user
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
