"""What housing adds to the household pages (registered in `HousingConfig.ready`).

- the current unit in the summary of the household file (slot ``household_summary``), the
  link to house it when it is not (``household_actions``), its "Séjours" and "Procédures
  d'expulsion" sections (``household_sections``);
- the "Dispositif" and "Situation" filters of the household list (`register_list_filter`),
  and its rows' stays with their unit and programme (`register_list_prefetch`);
- the stays on the household's traceability pages (`register_traced`).
"""

from django import forms
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Sum, prefetch_related_objects
from django.utils import timezone

from seuil.core.permissions import can_change_stays
from seuil.households.list_state import PRESENT, holds_on, narrow, stale_on
from seuil.households.models import Membership

from .document_views import stay_documents
from .models import Programme, Stay

PRESENCE_CHOICES = [
    ("", "Tous"),
    ("present", "Logé aujourd'hui"),
    ("left", "Sorti"),
    ("never", "Jamais entré dans un logement"),
]


# ---- the household file ------------------------------------------------------------------


def _current_stay(household, today):
    return next((s for s in household.stays.all() if s.is_present_on(today)), None)


def household_summary(request, household):
    """The unit the household lives in today, if any."""
    return {"current_stay": _current_stay(household, timezone.localdate())}


def household_actions(request, household):
    """The link to the vacant units, for a household not housed today and a user who may
    make it enter one; nothing otherwise."""
    if _current_stay(household, timezone.localdate()) or not can_change_stays(request.user):
        return None
    return {}


def household_stays(request, household):
    """The stays of the household, newest first, and their eviction procedures."""
    today = timezone.localdate()
    # The stays the file loaded with their unit and programme (`STAYS_OF_THE_ROWS`).
    stays = list(household.stays.all())
    prefetch_related_objects(stays, "eviction_procedures")
    stays.sort(key=lambda s: (s.entered_on, s.pk), reverse=True)
    user = request.user
    may_change = can_change_stays(user)
    changeable = [s for s in stays if may_change and s.organisation_id == user.organisation_id]
    return {
        "stays": stays,
        "can_correct": {s.pk for s in changeable},
        "stay_documents": stay_documents(user, stays),
        "stays_to_document": changeable,
        "current_stay": next((s for s in stays if s.is_present_on(today)), None),
        "evictions": [
            (stay, procedure) for stay in stays for procedure in stay.eviction_procedures.all()
        ],
    }


# ---- the household list ------------------------------------------------------------------

# The current and last stay of each row (and of the file's summary), in one query a page.
STAYS_OF_THE_ROWS = Prefetch("stays", queryset=Stay.objects.select_related("unit", "programme"))


def programme_field(user):
    """The programmes `user` sees, to filter the households by the one of their last stay."""
    programmes = Programme.objects.visible_to(user)
    return forms.ChoiceField(
        label="Dispositif",
        required=False,
        choices=[("", "Tous")] + [(str(p.uuid), p.name) for p in programmes],
    )


def _last_stay_in(programme_uuid, day):
    """The condition: the household's last stay entered on or before `day` (by entry, then
    id) is in this programme."""
    entered = Stay.objects.filter(entered_on__lte=day)
    later = entered.filter(household=OuterRef("household")).filter(
        Q(entered_on__gt=OuterRef("entered_on"))
        | Q(entered_on=OuterRef("entered_on"), pk__gt=OuterRef("pk"))
    )
    return Exists(
        entered.filter(household=OuterRef("pk"), programme__uuid=programme_uuid).exclude(
            Exists(later)
        )
    )


def by_programme(households, programme_uuid, day):
    """Households whose last stay entered on or before `day` is in this programme: stored
    (`households.list_state`), the definition read for the stale households only."""
    return narrow(
        households,
        day,
        Q(list_programme=programme_uuid),
        _last_stay_in(programme_uuid, day),
    )


PROGRAMME_API_SCHEMA = {
    "type": "string",
    "format": "uuid",
    "description": "Identifiant du dispositif du dernier séjour du ménage.",
}


def presence_field(user):
    return forms.ChoiceField(label="Situation", required=False, choices=PRESENCE_CHOICES)


def _presence_is(presence, day):
    """The condition: the household is housed on `day`, gone (housed before, not on
    `day`) or never housed."""
    mine = Stay.objects.filter(household=OuterRef("pk"))
    if presence == "present":
        return Exists(mine.present_on(day))
    if presence == "left":
        return ~Exists(mine.present_on(day)) & Exists(mine.filter(exited_on__lte=day))
    return ~Exists(mine.filter(entered_on__lte=day))


def by_presence(households, presence, day):
    """Households housed on `day`, gone (housed before, not on `day`) or never housed:
    stored (`households.list_state`), the definition read for the stale households only."""
    if presence not in ("present", "left", "never"):
        return households
    return narrow(
        households,
        day,
        Q(list_presence=presence),
        _presence_is(presence, day),
    )


def present_counts(households, day):
    """(households, persons) housed on `day` among `households`: their stored list state
    (`list_presence`, `list_members`) where it holds, their stays and memberships for the
    stale ones only. None of the queries reads the memberships of every household."""
    held = households.filter(holds_on(day), list_presence=PRESENT).aggregate(
        households=Count("pk"), persons=Sum("list_members", default=0)
    )
    stale = households.filter(stale_on(day)).present_on(day)
    persons = Membership.objects.on(day).filter(household__in=stale.values("pk")).count()
    return held["households"] + stale.count(), held["persons"] + persons


PRESENCE_API_SCHEMA = {
    "type": "string",
    "enum": [value for value, _ in PRESENCE_CHOICES if value],
    "description": "Situation du ménage aujourd'hui : "
    + ", ".join(f"`{value}` ({label})" for value, label in PRESENCE_CHOICES if value)
    + ".",
}


# ---- traceability ------------------------------------------------------------------------


def describe_stay(stay):
    return f"Séjour au logement {stay.unit.ref}"


def describe_stay_document(document):
    where = f"séjour {document.stay.ref}" if document.stay_id else "logement"
    return f"Document du {where} : {document.get_kind_display()} ({document.original_name})"
