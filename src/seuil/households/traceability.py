"""The two traceability pages of a household file.

"Historique des modifications" (who changed what, the values before and after: the
`ChangeRecord` rows of the household) needs VIEW_HISTORY; "Qui a consulté ce dossier"
(the access-log rows of the household, of its past and present members, of its stays,
consents and referrals) needs VIEW_ACCESS_LOG. Both find the household through
`visible_to(request.user)` (another organisation → 404) and write an access-log row, since
they show who the members are.
"""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import render
from django.views.decorators.http import require_GET

from seuil.core.audit import record_access
from seuil.core.history import field_changes, role_label
from seuil.core.models import AccessLog, ChangeRecord
from seuil.core.pages import object_or_404
from seuil.core.policy import Action
from seuil.core.views_policy import policy
from seuil.core.wording import of_name

from .enums import ResourceType
from .languages import Language
from .merging import merged_uuids
from .models import (
    ClinicalReferral,
    Consent,
    ContactDetails,
    FileMerge,
    Handover,
    Household,
    HouseholdDocument,
    LegalStatusRecord,
    Membership,
    Person,
    ResourceRecord,
)

PAGE_SIZE = 50

# object_type (model name) → model, and how much of each to load to name it.
MODELS = {
    "household": (Household, ()),
    "person": (Person, ()),
    "membership": (Membership, ("person",)),
    "legalstatusrecord": (LegalStatusRecord, ("person",)),
    "resourcerecord": (ResourceRecord, ()),
    "consent": (Consent, ("recipient",)),
    "clinicalreferral": (ClinicalReferral, ("psychologist",)),
    "handover": (Handover, ("to_organisation",)),
    "filemerge": (FileMerge, ()),
    "contactdetails": (ContactDetails, ("person",)),
    "householddocument": (HouseholdDocument, ()),
}
# Records of other apps that follow a household (registered in their AppConfig.ready() with
# `register_traced`): object_type → (how to name one, its model, its path to the household).
TRACED = {}
# Those of them that belong to the organisation and name several households (a meeting's
# agenda): on the household's access log, but their own log stays when it is anonymised.
SHARED_OBJECT_TYPES = set()
# The clinical sphere keeps its change history (who shared which clinical note with whom,
# when; never a note's text) but the household's history page, which the service manager
# reads, never shows it: that notes exist is for the psychologists alone.
CLINICAL_OBJECT_TYPES = ("clinicalnoteshare",)
# Attached documents (households' and those other apps register), whose downloads the
# access-log page lists even after their deletion.
DOCUMENT_OBJECT_TYPES = ["householddocument"]
# Lists of codes whose labels the history shows.
LIST_LABELS = {
    "resourcerecord": {"types": ResourceType.choices},
    "contactdetails": {"languages": Language.choices},
}


def register_traced(
    object_type, model, *, household, related=(), describe=str, document=False, shared=False
):
    """Name `model`'s records on both traceability pages: `describe(obj)` in French (with
    `related` loaded); `household` the lookup path from a record to its household (such as
    ``"sub_lease__stay__household"``); `document`: attached documents, whose downloads stay
    listed after their deletion; `shared`: records of the organisation that name several
    households (`SHARED_OBJECT_TYPES`)."""
    MODELS[object_type] = (model, tuple(related))
    TRACED[object_type] = (describe, model, household)
    if document and object_type not in DOCUMENT_OBJECT_TYPES:
        DOCUMENT_OBJECT_TYPES.append(object_type)
    if shared:
        SHARED_OBJECT_TYPES.add(object_type)


def traced_uuids(households, *, shared=True):
    """The uuids of the records other apps register as following `households` (a list or
    a queryset); without those of the organisation naming several (`shared=False`)."""
    return {
        uuid
        for object_type, (_, model, path) in TRACED.items()
        if shared or object_type not in SHARED_OBJECT_TYPES
        for uuid in model.objects.filter(**{f"{path}__in": households}).values_list(
            "uuid", flat=True
        )
    }


def short_name(person):
    """ "Awa D.": first name and initial, enough to tell the members apart."""
    if person.first_name and person.last_name:
        return f"{person.first_name} {person.last_name[0]}."
    return person.full_name


def _describe(object_type, obj):
    if object_type == "household":
        return f"Ménage {obj.ref}"
    if object_type == "person":
        return f"Personne : {short_name(obj)}"
    if object_type == "membership":
        return f"Appartenance au ménage : {short_name(obj.person)}"
    if object_type == "legalstatusrecord":
        whose = of_name(short_name(obj.person))
        return f"Statut administratif {whose} (depuis le {obj.since:%d/%m/%Y})"
    if object_type == "resourcerecord":
        return f"Ressources à partir du {obj.on:%d/%m/%Y}"
    if object_type == "consent":
        return f"Consentement : {obj}"
    if object_type == "clinicalreferral":
        psychologist = obj.psychologist.get_full_name() or obj.psychologist.username
        return f"Adressage à {psychologist} (psychologue)"
    if object_type == "handover":
        return f"Transmission du dossier à {obj.to_organisation.name}"
    if object_type == "filemerge":
        noun = "du ménage" if obj.kind == FileMerge.Kind.HOUSEHOLD else "de la personne"
        return f"Fusion {noun} {obj.absorbed_ref} dans {obj.kept_ref}"
    if object_type == "contactdetails":
        whose = of_name(short_name(obj.person))
        return f"Coordonnées {whose} (à partir du {obj.since:%d/%m/%Y})"
    if object_type == "householddocument":
        return f"Document : {obj.get_kind_display()} ({obj.original_name})"
    if object_type in TRACED:
        return TRACED[object_type][0](obj)
    return str(obj)


def describe_objects(items):
    """{(object_type, object_uuid): "Personne : Awa D."} for the rows of a page: one query
    per kind of object. An object deleted since is named by its kind only."""
    wanted = {}
    for object_type, object_uuid in items:
        wanted.setdefault(object_type, set()).add(object_uuid)
    names = {}
    for object_type, uuids in wanted.items():
        model, related = MODELS.get(object_type, (None, ()))
        found = {}
        if model is not None:
            found = {
                o.uuid: o for o in model.objects.select_related(*related).filter(uuid__in=uuids)
            }
        for object_uuid in uuids:
            obj = found.get(object_uuid)
            if obj is not None:
                names[object_type, object_uuid] = _describe(object_type, obj)
            elif model is not None:
                label = str(model._meta.verbose_name).capitalize()
                names[object_type, object_uuid] = f"{label} (élément supprimé)"
            else:
                names[object_type, object_uuid] = object_type
    return names


def _who(user, role):
    if user is None:
        return "Compte supprimé" if role else "Import ou traitement automatique"
    return user.get_full_name() or user.username


@dataclass
class HistoryRow:
    at: object
    who: str
    role: str
    action: str
    what: str
    changes: list
    kind: str  # create, change or delete
    reason: str = ""


@dataclass
class AccessRow:
    at: object
    who: str
    role: str
    organisation: str
    action: str
    what: str


def history_rows(records):
    names = describe_objects((r.object_type, r.object_uuid) for r in records)
    rows = []
    for record in records:
        model = MODELS.get(record.object_type, (None,))[0]
        changes = field_changes(record, model, LIST_LABELS.get(record.object_type)) if model else []
        rows.append(
            HistoryRow(
                at=record.at,
                who=_who(record.user, record.role),
                role=role_label(record.role),
                action=record.get_action_display(),
                what=names[record.object_type, record.object_uuid],
                changes=changes,
                kind=record.action,
                reason=record.reason,
            )
        )
    return rows


def file_object_uuids(household):
    """The uuids an access-log row about this household's file may name: the household,
    its memberships and their persons (past and present members), its consents, its
    referrals to a psychologist and the records other apps register (`register_traced`:
    its stays, its orientation requests…).
    Not the clinical notes: how often a psychologist reads them is health information, for
    the psychologist alone."""
    memberships = list(
        Membership.objects.filter(household=household).values_list("uuid", "person__uuid")
    )
    # Documents, deleted ones included (their downloads stay on the page): those the
    # household's history names.
    documents = ChangeRecord.objects.filter(
        household_uuid=household.uuid, object_type__in=DOCUMENT_OBJECT_TYPES
    ).values_list("object_uuid", flat=True)
    return [
        *documents,
        *ContactDetails.objects.filter(person__memberships__household=household).values_list(
            "uuid", flat=True
        ),
        household.uuid,
        *merged_uuids(household),
        *FileMerge.objects.filter(household=household).values_list("uuid", flat=True),
        *(m for m, _ in memberships),
        *(p for _, p in memberships),
        *Consent.objects.filter(household=household).values_list("uuid", flat=True),
        *ClinicalReferral.objects.filter(household=household).values_list("uuid", flat=True),
        *Handover.objects.filter(household=household).values_list("uuid", flat=True),
        *traced_uuids([household]),
    ]


def access_rows(entries):
    names = describe_objects((e.object_type, e.object_uuid) for e in entries)
    return [
        AccessRow(
            at=entry.at,
            who=_who(entry.user, entry.role),
            role=role_label(entry.role),
            organisation=entry.organisation.name if entry.organisation else "",
            action=entry.get_action_display(),
            what=names[entry.object_type, entry.object_uuid],
        )
        for entry in entries
    ]


def _household(request, uuid):
    with transaction.atomic():
        household = object_or_404(request, Household, uuid)
        record_access(request.user, AccessLog.Action.VIEW, household)
    return household


@policy(read=Action.VIEW_HISTORY)
@require_GET
def household_history(request, uuid):
    """Historique des modifications d'un ménage, de la plus récente à la plus ancienne."""
    household = _household(request, uuid)
    # The files merged into this one keep their history, read with its own.
    records = (
        ChangeRecord.objects.of_household(household.uuid, *merged_uuids(household))
        .exclude(object_type__in=CLINICAL_OBJECT_TYPES)
        .select_related("user")
    )
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "households/history.html",
        {"household": household, "page_obj": page, "rows": history_rows(page.object_list)},
    )


@policy(read=Action.VIEW_ACCESS_LOG)
@require_GET
def household_access_log(request, uuid):
    """Qui a consulté ce dossier : les traces d'accès au ménage, à ses membres, à ses séjours."""
    household = _household(request, uuid)
    entries = (
        AccessLog.objects.filter(object_uuid__in=file_object_uuids(household))
        .select_related("user", "organisation")
        .order_by("-at", "-pk")
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "households/access_log.html",
        {"household": household, "page_obj": page, "rows": access_rows(page.object_list)},
    )
