"""Support's part of the programme form (`housing.programme_parts`): the target caseload
and the yearly budget, which live on `SupportSettings`, edited on the programme's page of
the organisation's settings; the cap on contracts (`max_support_months`, a field of the
programme) is checked here too, where its rule lives (`services.set_programme_support`)."""

import copy

from . import rules, services
from .forms import SettingsForm
from .models import SupportSettings

FIELDS = ("households_per_worker", "annual_budget")


def part_fields():
    fields = {name: copy.deepcopy(SettingsForm.base_fields[name]) for name in FIELDS}
    fields["annual_budget"].label = "Budget annuel (€)"
    fields["annual_budget"].help_text = (
        "Le budget du dispositif pour une année ; il donne le coût par ménage et par an du "
        "tableau de bord de l'accompagnement."
    )
    return fields


def part_initial(programme):
    current = SupportSettings.objects.filter(programme=programme).first() if programme else None
    if current is None:
        return {}
    return {name: getattr(current, name) for name in FIELDS}


def save_part(programme, values, by):
    current = SupportSettings.objects.filter(programme=programme).first()
    services.set_programme_support(
        programme,
        max_support_months=programme.max_support_months,
        households_per_worker=values["households_per_worker"],
        annual_budget=values["annual_budget"],
        reinforced_weight=current.reinforced_weight if current else 1,
        no_contact_days=current.no_contact_days if current else rules.DEFAULT_NO_CONTACT_DAYS,
        by=by,
    )
