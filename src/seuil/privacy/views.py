"""The right of access (RGPD art. 15): everything Seuil holds about a person."""

from django.http import HttpResponse
from django.views.decorators.http import require_GET

from seuil.core.documents import as_attachment
from seuil.core.pages import object_or_404
from seuil.core.policy import Action
from seuil.core.views_policy import policy
from seuil.households.models import Person

from . import subject_access


@policy(Action.EXPORT_PERSON)
@require_GET
def person_subject_access(request, uuid, fmt):
    """Everything Seuil holds about a person, as a JSON or PDF download (one access-log row)."""
    person = object_or_404(
        request, Person.objects.select_related("organisation"), uuid, Action.EXPORT_PERSON
    )
    content, content_type, name = subject_access.export_person(
        person, fmt, acting_user=request.user
    )
    response = HttpResponse(content, content_type=content_type)
    return as_attachment(response, name)
