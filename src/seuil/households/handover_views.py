"""Handing a household's file over to another organisation (`links.hand_over`).

The holder's service manager or SIAO coordinator chooses one of the organisations linked
to the household today; the page says what goes and what stays.
"""

from django.utils import timezone

from seuil.core.forms import run_service
from seuil.core.pages import form_page, object_or_404
from seuil.core.policy import Action
from seuil.core.views_policy import policy

from .forms import HandoverForm
from .links import RETENTION, hand_over, linked_organisations
from .models import Household, LinkReason
from .pages import household_crumbs, to_file


@policy(Action.HAND_OVER)
def handover(request, uuid):
    household = object_or_404(request, Household, uuid)
    today = timezone.localdate()
    form = HandoverForm(
        request.POST or None,
        initial={"on": today},
        recipients=linked_organisations(household, today),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if run_service(
            form,
            lambda: hand_over(
                household,
                to=data["to_organisation"],
                on=data["on"],
                by=request.user,
                reason=data["reason"],
                social_note_transferred=data["social_note_transferred"],
            ),
        ):
            return to_file(
                request,
                household,
                f"Le dossier a été transmis à {data['to_organisation'].name}.",
            )
    return form_page(
        request,
        form,
        title="Transmettre le dossier",
        crumbs=household_crumbs(household),
        intro="L'organisation choisie devient détentrice du dossier : elle en reprend "
        "l'identité, la composition, les statuts, les ressources, les séjours et "
        "l'orientation. Les informations sensibles restent à votre organisation, comme la "
        "note sociale sauf accord du ménage ; les suivis psychologiques de votre "
        "organisation prennent fin. Votre organisation garde un accès en lecture pendant "
        f"{RETENTION[LinkReason.HANDOVER].days} jours.",
        submit="Transmettre le dossier",
    )
