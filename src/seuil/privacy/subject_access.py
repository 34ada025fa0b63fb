"""Right of access (RGPD art. 15): everything Seuil holds about one person, as JSON and PDF.

`build(person)` gathers, in a plain dict with stable keys (`seuil-subject-access/1`,
JSON-ready values: dates as ISO strings, codes as in the exchange format):

- the person: identity, sex, birth date, legal-status records, contact details and
  languages (every dated record);
- each membership of a household of the person's organisation (dates, role, reason);
- for each of these households, what concerns the person: the household's reference and
  prior situation, its social note (it is about the household, so about them), its
  consents, the resource records in force during the membership, the stays that overlap
  the membership (unit reference and address, programme, dates, exit, destination) with
  their eviction procedures; the documents of the household's file that concern the person
  (the household's own, the person's, those of these stays), described — kind, file name,
  format, size, end of validity, date —, the files themselves handed over on request by
  download from the household's file (`DOCUMENTS_NOTICE`);
- the household's support by the organisation during the membership: contracts of those
  stays with their amendments, objectives (with their text and the household's words),
  contacts that took place or were planned (with their notes);
- for each of those stays, the tenancy (sub-lease, terms, deposit, rent calls, payments,
  charges regularisations, housing benefit received, repayment plans with their
  instalments, prevention cases with their stages, inspections) and the outcomes (exit
  preparation, follow-ups after exit with their answers): `subject_access_stays`;
- the referrals of those households to partners while the person was a member, and the
  person's own path: employment, trainings, French level (`support_path_access.py`);
- the change history rows about the person (the person, their memberships, their legal
  statuses);
- the access log of their file (the person and their households): which organisation,
  which role, what, when — the "recipients" of RGPD art. 15.1.c. User names are not given:
  the recipients are organisations and roles.

Not included, each with a sentence saying why and who communicates them:

- clinical notes: read by the psychologist who wrote them, and by those she or he shares
  them with, alone (DOMAIN.md §2), they are communicated by their author;
- the sensitive details of the household (violence, health): they may concern another
  member (art. 15.4: the right of access must not harm others' rights, e.g. a victim's
  disclosures read by the partner), so the service manager communicates them after review.

Another member's data (their identity, their legal status) is never included.

`export_person(person, fmt, acting_user=...)` is the action pages and the command call: it
builds the document and writes one access-log row (action export) in the same transaction.
"""

import datetime
import json

from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import override

from seuil.core import history
from seuil.core.audit import record_access
from seuil.core.documents import DocumentKind
from seuil.core.enums import Role
from seuil.core.models import AccessLog, ChangeRecord
from seuil.core.pdf import print_pdf
from seuil.core.phones import display_phone
from seuil.households.enums import (
    ConsentScope,
    JoinedReason,
    LegalStatus,
    MemberRole,
    PriorSituation,
    ResourceType,
    Sex,
)
from seuil.households.languages import language_labels
from seuil.households.models import (
    ContactDetails,
    HouseholdDocument,
    LegalStatusRecord,
    Membership,
    Person,
    ResourceRecord,
)
from seuil.housing.enums import ExitDestination, SupportIntensity
from seuil.housing.models import HousingDocument, Stay
from seuil.support.enums import ContactKind, ContactStatus, ObjectiveDomain, ObjectiveOutcome
from seuil.support.models import Contact, Objective, SupportContract

from . import subject_access_stays
from .support_path_access import path_section, presented_path

FORMAT = "seuil-subject-access/1"
FORMATS = ("json", "pdf")
CLINICAL_NOTES_NOTICE = (
    "Les notes cliniques sont communiquées par la ou le psychologue qui les a rédigées."
)
SENSITIVE_DETAILS_NOTICE = (
    "Les informations sensibles du ménage (santé, violences) ne figurent pas dans cet "
    "export : elles peuvent concerner d'autres personnes. La ou le responsable du service "
    "les communique après examen (RGPD, article 15, paragraphe 4)."
)


class SubjectAccessError(ValueError):
    """A request the export cannot answer (message in French)."""


# ---- the document --------------------------------------------------------------------


DOCUMENTS_NOTICE = (
    "Les fichiers des documents ne sont pas joints : ils sont décrits ici, et l'organisation "
    "en remet une copie sur demande (téléchargement depuis le dossier du ménage)."
)


def _date(value):
    return value.isoformat() if value is not None else None


def _moment(value):
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _during(membership, start, end):
    """Does [start, end) (end None = open) share a day with the membership?"""
    joined, left = membership.joined_on, membership.left_on
    return (left is None or start < left) and (joined is None or end is None or end > joined)


def _resources_during(membership, records):
    """The household's resource records in force at some point of the membership."""
    records = sorted(records, key=lambda r: r.on)
    following = [r.on for r in records[1:]] + [None] if records else []
    return [r for r, end in zip(records, following, strict=True) if _during(membership, r.on, end)]


def _stay(stay):
    unit = stay.unit
    return {
        "ref": stay.ref,
        "unit": {
            "ref": unit.ref,
            "address": unit.address or None,
            "commune": unit.commune or None,
        },
        "programme": stay.programme.name if stay.programme else None,
        "entered_on": _date(stay.entered_on),
        "exited_on": _date(stay.exited_on),
        "exit_destination": stay.exit_destination or None,
        "lease_transferred": stay.lease_transferred if stay.exited_on else None,
        "support_intensity": stay.support_intensity,
        "eviction_procedures": [
            {"started_on": _date(p.started_on), "ended_on": _date(p.ended_on)}
            for p in sorted(stay.eviction_procedures.all(), key=lambda p: p.started_on)
        ],
    }


def _consent(consent):
    return {
        "scope": consent.scope,
        "recipient": consent.recipient.name,
        "given_on": _date(consent.given_on),
        "expires_on": _date(consent.expires_on),
        "revoked_on": _date(consent.revoked_on),
        "comment": consent.comment or None,
    }


def _support(membership, stays, support):
    """The household's support during the membership (contracts of its stays then)."""
    contracts, objectives, contacts = support
    stay_ids = {s.pk for s in stays if _during(membership, s.entered_on, s.exited_on)}
    return {
        "contracts": [
            {
                "ref": c.ref,
                "stay": c.stay.ref,
                "signed_on": _date(c.signed_on),
                "starts_on": _date(c.starts_on),
                "ends_on": _date(c.ends_on),
                "amendments": [
                    {
                        "signed_on": _date(a.signed_on),
                        "ends_on": _date(a.ends_on),
                        "reason": a.reason or None,
                    }
                    for a in c.amendments.all()
                ],
            }
            for c in contracts
            if c.stay_id in stay_ids
        ],
        "objectives": [
            {
                "domain": o.domain,
                "set_on": _date(o.set_on),
                "due_on": _date(o.due_on),
                "closed_on": _date(o.closed_on),
                "outcome": o.outcome or None,
                "actions": o.actions or None,
                "own_words": o.own_words or None,
            }
            for o in objectives
            if _during(membership, o.set_on, o.closed_on)
        ],
        "contacts": [
            {
                "on": _date(c.on),
                "kind": c.kind,
                "status": c.status,
                "notes": c.notes or None,
            }
            for c in contacts
            if _during(membership, c.on, c.on)
        ],
    }


def _document(document, about):
    return {
        "kind": document.kind,
        "about": about,
        "name": document.original_name,
        "format": document.file_type,
        "size": document.size,
        "expires_on": _date(document.expires_on),
        "uploaded_at": _moment(document.uploaded_at),
    }


def _documents(membership, stays, documents):
    """The documents of the household's file that concern the member: the household's
    own and the member's (never another member's), and those of the stays of the
    membership."""
    own, of_stays = documents
    person_id = membership.person_id
    found = [
        _document(d, "person" if d.person_id else "household")
        for d in own.get(membership.household_id, [])
        if d.person_id in (None, person_id)
    ]
    stay_ids = {s.pk for s in stays if _during(membership, s.entered_on, s.exited_on)}
    found += [_document(d, "stay") for d in of_stays if d.stay_id in stay_ids]
    return sorted(found, key=lambda d: d["uploaded_at"] or "")


def _household(membership, stays, resources, support=((), (), ()), documents=({}, ()), extras=None):
    household = membership.household
    extras = extras or {}
    return {
        "uuid": str(household.uuid),
        "ref": household.ref,
        "prior_situation": household.prior_situation or None,
        "social_note": household.social_note or None,
        "resources": [
            {"on": _date(r.on), "types": sorted(r.types)}
            for r in _resources_during(membership, resources)
        ],
        "stays": [
            _stay(s) | extras.get(s.pk, {})
            for s in stays
            if _during(membership, s.entered_on, s.exited_on)
        ],
        "consents": [
            _consent(c) for c in sorted(household.consents.all(), key=lambda c: (c.given_on, c.pk))
        ],
        "support": _support(membership, stays, support),
        "documents": _documents(membership, stays, documents),
    }


def _change_history(object_uuids):
    """The change-history rows about these objects, oldest first (encrypted fields are
    markers there, never text)."""
    rows = (
        ChangeRecord.objects.filter(object_uuid__in=object_uuids)
        .select_related("organisation")
        .order_by("at", "pk")
    )
    return [
        {
            "at": _moment(row.at),
            "organisation": row.organisation.name if row.organisation else None,
            "role": row.role or None,
            "action": row.action,
            "object_type": row.object_type,
            "changes": row.changes,
            "reason": row.reason or None,  # why a record was corrected, deleted, merged
        }
        for row in rows
    ]


def _access_log(object_uuids):
    rows = (
        AccessLog.objects.filter(object_uuid__in=object_uuids)
        .select_related("organisation")
        .order_by("at", "pk")
    )
    return [
        {
            "at": _moment(row.at),
            "organisation": row.organisation.name if row.organisation else None,
            "role": row.role or None,
            "action": row.action,
            "object_type": row.object_type,
        }
        for row in rows
    ]


def _support_records(organisation, household_ids):
    """({household id: contracts}, {…: objectives}, {…: contacts}) the organisation keeps."""
    contracts, objectives, contacts = {}, {}, {}
    for contract in (
        SupportContract.objects.filter(organisation=organisation, stay__household__in=household_ids)
        .select_related("stay")
        .prefetch_related("amendments")
        .order_by("signed_on", "pk")
    ):
        contracts.setdefault(contract.stay.household_id, []).append(contract)
    for objective in Objective.objects.filter(
        organisation=organisation, household__in=household_ids
    ).order_by("set_on", "pk"):
        objectives.setdefault(objective.household_id, []).append(objective)
    for contact in Contact.objects.filter(
        organisation=organisation, household__in=household_ids
    ).order_by("on", "pk"):
        contacts.setdefault(contact.household_id, []).append(contact)
    return contracts, objectives, contacts


def build(person, *, now=None):
    """The `seuil-subject-access/1` document of `person` (a dict of JSON-ready values)."""
    now = now or timezone.now()
    organisation = person.organisation
    memberships = list(
        person.memberships.filter(household__organisation=person.organisation_id)
        .select_related("household")
        .prefetch_related("household__consents__recipient")
        .order_by(F("joined_on").asc(nulls_first=True), "pk")
    )
    household_ids = [m.household_id for m in memberships]
    stays = {}
    for stay in (
        Stay.objects.filter(household_id__in=household_ids)
        .select_related("unit", "programme")
        .prefetch_related("eviction_procedures")
        .order_by("entered_on", "pk")
    ):
        stays.setdefault(stay.household_id, []).append(stay)
    resources = {}
    for record in ResourceRecord.objects.filter(household_id__in=household_ids):
        resources.setdefault(record.household_id, []).append(record)
    statuses = list(person.legal_status_records.order_by("since"))
    contacts = list(ContactDetails.objects.filter(person=person).order_by("since"))
    support = _support_records(organisation, household_ids)
    own_documents = {}
    for document in HouseholdDocument.objects.filter(household_id__in=household_ids).order_by(
        "uploaded_at", "pk"
    ):
        own_documents.setdefault(document.household_id, []).append(document)
    stay_documents = list(
        HousingDocument.objects.filter(stay__household_id__in=household_ids).order_by(
            "uploaded_at", "pk"
        )
    )
    documents = (own_documents, stay_documents)
    document_uuids = [
        d.uuid for docs in own_documents.values() for d in docs if d.person_id in (None, person.pk)
    ]
    extras = subject_access_stays.stay_records(
        organisation, [s for rows in stays.values() for s in rows]
    )

    person_uuids = [
        person.uuid,
        *(m.uuid for m in memberships),
        *(r.uuid for r in statuses),
        *(c.uuid for c in contacts),
    ]
    file_uuids = [person.uuid, *(m.household.uuid for m in memberships), *document_uuids]
    return {
        "format": FORMAT,
        "generated_at": _moment(now),
        "organisation": {"ref": organisation.ref, "name": organisation.name},
        "person": {
            "uuid": str(person.uuid),
            "ref": person.ref,
            "first_name": person.first_name or None,
            "last_name": person.last_name or None,
            "sex": person.sex or None,
            "birth_date": _date(person.birth_date),
        },
        "legal_status": [{"since": _date(r.since), "status": r.status} for r in statuses],
        "contact_details": [
            {
                "since": _date(c.since),
                "phones": list(c.phones),
                "email": c.email or None,
                "postal_address": c.postal_address or None,
                "languages": list(c.languages),
                "interpreter_needed": c.interpreter_needed,
            }
            for c in contacts
        ],
        "memberships": [
            {
                "household": {"uuid": str(m.household.uuid), "ref": m.household.ref},
                "role": m.role,
                "joined_on": _date(m.joined_on),
                "joined_reason": m.joined_reason or None,
                "left_on": _date(m.left_on),
            }
            for m in memberships
        ],
        "households": [
            _household(
                m,
                stays.get(m.household_id, []),
                resources.get(m.household_id, []),
                tuple(rows.get(m.household_id, []) for rows in support),
                documents,
                extras,
            )
            for m in memberships
        ],
        "support_path": path_section(person, memberships),
        "change_history": _change_history(person_uuids),
        "access_log": _access_log(file_uuids),
        "clinical_notes": CLINICAL_NOTES_NOTICE,
        "sensitive_details": SENSITIVE_DETAILS_NOTICE,
        "documents": DOCUMENTS_NOTICE,
    }


# ---- renderings ----------------------------------------------------------------------


def render_json(document):
    """The document as UTF-8 JSON bytes (keys in the document's order)."""
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()


def _label(choices, code, empty="Non renseigné"):
    if not code:
        return empty
    return dict(choices).get(code, code)


def _day(iso):
    return datetime.date.fromisoformat(iso).strftime("%d/%m/%Y") if iso else ""


def _when(iso):
    if not iso:
        return ""
    moment = datetime.datetime.fromisoformat(iso)
    return date_format(moment, "j F Y à H:i")


ACTION_LABELS = dict(AccessLog.Action.choices)
OBJECT_LABELS = {
    "person": "Personne",
    "household": "Ménage",
    "membership": "Appartenance au ménage",
    "legalstatusrecord": "Statut administratif",
    "stay": "Séjour",
    "contactdetails": "Coordonnées et langues",
    "householddocument": "Document",
}


HISTORY_MODELS = {
    "person": Person,
    "membership": Membership,
    "legalstatusrecord": LegalStatusRecord,
    "contactdetails": ContactDetails,
}


def _change_lines(object_type, changes):
    """["Label : before → after"] of a change-history row, in French."""
    model = HISTORY_MODELS.get(object_type)
    lines = []
    for name, (before, after) in sorted(changes.items()):
        try:
            field = model._meta.get_field(name) if model else None
        except FieldDoesNotExist:
            field = None
        label = history.field_label(model, name) if model else name
        before = history.display_value(field, before)
        after = history.display_value(field, after)
        lines.append(f"{label} : {before} → {after}")
    return lines


def _yes_no(value):
    return "—" if value is None else ("Oui" if value else "Non")


def _presented_stay(stay):
    unit = stay["unit"]
    exited = stay["exited_on"]
    return {
        "unit": unit["ref"],
        "address": ", ".join(p for p in (unit["address"], unit["commune"]) if p)
        or "Non renseignée",
        "programme": stay["programme"] or "—",
        "entered_on": _day(stay["entered_on"]),
        "exited_on": _day(exited) or "En cours",
        "exit_destination": (
            _label(ExitDestination.choices, stay["exit_destination"], "—") if exited else "—"
        ),
        "lease_transferred": _yes_no(stay["lease_transferred"]),
        "support": _label(SupportIntensity.choices, stay["support_intensity"]),
        "evictions": [
            {"started_on": _day(p["started_on"]), "ended_on": _day(p["ended_on"]) or "En cours"}
            for p in stay["eviction_procedures"]
        ],
        **subject_access_stays.presented(stay),
    }


def _presented_resource(record):
    types = ", ".join(_label(ResourceType.choices, t) for t in record["types"])
    return {"on": _day(record["on"]), "types": types or "Aucun type indiqué"}


def _presented_consent(consent):
    return {
        "scope": _label(ConsentScope.choices, consent["scope"]),
        "recipient": consent["recipient"],
        "given_on": _day(consent["given_on"]),
        "expires_on": _day(consent["expires_on"]),
        "revoked_on": _day(consent["revoked_on"]) or "—",
        "comment": consent["comment"] or "—",
    }


def _presented_household(membership, household):
    return {
        "ref": household["ref"],
        "role": _label(MemberRole.choices, membership["role"]),
        "joined_on": _day(membership["joined_on"]) or "Dès l'entrée du ménage",
        "joined_reason": _label(JoinedReason.choices, membership["joined_reason"], ""),
        "left_on": _day(membership["left_on"]) or "—",
        "prior_situation": _label(
            PriorSituation.choices, household["prior_situation"], "Non renseignée"
        ),
        "social_note": household["social_note"],
        "resources": [_presented_resource(r) for r in household["resources"]],
        "stays": [_presented_stay(s) for s in household["stays"]],
        "consents": [_presented_consent(c) for c in household["consents"]],
        "support": _presented_support(household["support"]),
        "documents": [_presented_document(d) for d in household["documents"]],
    }


DOCUMENT_ABOUT = {"person": "la personne", "household": "le ménage", "stay": "le séjour"}


def _presented_document(document):
    return {
        "kind": _label(DocumentKind.choices, document["kind"]),
        "about": DOCUMENT_ABOUT.get(document["about"], document["about"]),
        "name": document["name"],
        "expires_on": _day(document["expires_on"]) or "—",
        "uploaded_at": _when(document["uploaded_at"]),
    }


def _presented_contact(record):
    return {
        "since": _day(record["since"]),
        "phones": ", ".join(display_phone(p) for p in record["phones"]) or "—",
        "email": record["email"] or "—",
        "postal_address": record["postal_address"] or "—",
        "languages": ", ".join(language_labels(record["languages"])) or "—",
        "interpreter_needed": _yes_no(record["interpreter_needed"]),
    }


def _presented_support(support):
    return {
        "contracts": [
            {
                "ref": c["ref"],
                "signed_on": _day(c["signed_on"]),
                "period": f"du {_day(c['starts_on'])} au {_day(c['ends_on'])}",
                "amendments": [
                    f"avenant signé le {_day(a['signed_on'])} : fin au {_day(a['ends_on'])}"
                    for a in c["amendments"]
                ],
            }
            for c in support["contracts"]
        ],
        "objectives": [
            {
                "domain": _label(ObjectiveDomain.choices, o["domain"]),
                "set_on": _day(o["set_on"]),
                "closed": (
                    f"clos le {_day(o['closed_on'])} : "
                    f"{_label(ObjectiveOutcome.choices, o['outcome']).lower()}"
                    if o["closed_on"]
                    else "en cours"
                ),
                "actions": o["actions"] or "—",
                "own_words": o["own_words"] or "—",
            }
            for o in support["objectives"]
        ],
        "contacts": [
            {
                "on": _day(c["on"]),
                "kind": _label(ContactKind.choices, c["kind"]),
                "status": _label(ContactStatus.choices, c["status"]),
                "notes": c["notes"] or "—",
            }
            for c in support["contacts"]
        ],
    }


def _presented_person(person):
    return {
        "ref": person["ref"],
        "first_name": person["first_name"] or "Non renseigné",
        "last_name": person["last_name"] or "Non renseigné",
        "sex": _label(Sex.choices, person["sex"], "Non précisé"),
        "birth_date": _day(person["birth_date"]) or "Inconnue",
    }


def _presented_change(row):
    who = (row["organisation"], _label(Role.choices, row["role"], ""))
    return {
        "at": _when(row["at"]),
        "who": " · ".join(p for p in who if p) or "Non renseigné",
        "action": _label(ChangeRecord.Action.choices, row["action"]),
        "object": OBJECT_LABELS.get(row["object_type"], row["object_type"]),
        "changes": _change_lines(row["object_type"], row["changes"])
        + ([f"Motif : {row['reason']}"] if row.get("reason") else []),
    }


def _presented_access(row):
    return {
        "at": _when(row["at"]),
        "organisation": row["organisation"] or "Non renseignée (commande)",
        "role": _label(Role.choices, row["role"], "—"),
        "action": _label(AccessLog.Action.choices, row["action"]),
        "object": OBJECT_LABELS.get(row["object_type"], row["object_type"]),
    }


def _presented(document):
    """The document with French labels and dates, for the HTML/PDF template."""
    person = document["person"]
    pairs = zip(document["memberships"], document["households"], strict=True)
    return {
        "organisation": document["organisation"]["name"],
        "generated_at": _when(document["generated_at"]),
        "full_name": " ".join(p for p in (person["first_name"], person["last_name"]) if p)
        or person["ref"],
        "person": _presented_person(person),
        "legal_status": [
            {"since": _day(r["since"]), "status": _label(LegalStatus.choices, r["status"])}
            for r in document["legal_status"]
        ],
        "contact_details": [_presented_contact(r) for r in document["contact_details"]],
        "households": [_presented_household(m, h) for m, h in pairs],
        "support_path": presented_path(document["support_path"]),
        "change_history": [_presented_change(row) for row in document["change_history"]],
        "access_log": [_presented_access(row) for row in document["access_log"]],
        "clinical_notes": document["clinical_notes"],
        "sensitive_details": document["sensitive_details"],
        "documents": document["documents"],
    }


def render_html(document):
    """The printable HTML document (French), source of the PDF."""
    with override("fr"):
        return render_to_string(
            "privacy/subject_access/document.html", {"doc": _presented(document)}
        )


def render_pdf(document):
    """The PDF (bytes), printed from the HTML and its own style sheet, tagged
    (`core.pdf.print_pdf`)."""
    stylesheet = render_to_string("privacy/subject_access/print.css")
    return print_pdf(render_html(document), stylesheets=[stylesheet], name="l'export")


CONTENT_TYPES = {"json": "application/json", "pdf": "application/pdf"}


def filename(person, fmt, day):
    return f"droit-d-acces-{slugify(person.ref) or 'personne'}-{day:%Y%m%d}.{fmt}"


def export_person(person, fmt, *, acting_user=None):
    """Build the export of `person` in `fmt` and log it: (content bytes, content type, name).

    The access-log row (action export) is written in the transaction that reads the data.
    """
    if fmt not in FORMATS:
        raise SubjectAccessError(f"Format inconnu : « {fmt} » (json ou pdf).")
    with transaction.atomic():
        document = build(person)
        record_access(acting_user, AccessLog.Action.EXPORT, person)
    content = render_json(document) if fmt == "json" else render_pdf(document)
    return content, CONTENT_TYPES[fmt], filename(person, fmt, timezone.localdate())
