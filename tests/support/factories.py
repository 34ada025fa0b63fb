"""Support records for the tests."""

import datetime
from types import SimpleNamespace

from seuil.core.enums import Role
from seuil.core.models import ApiToken, Partner
from seuil.support.enums import ContactKind, ContactStatus
from seuil.support.models import (
    AgendaItem,
    CalendarFeed,
    Contact,
    EmploymentRecord,
    FrenchLevelRecord,
    Meeting,
    MeetingKind,
    Objective,
    PartnerReferral,
    Review,
    SupportContract,
    TrainingRecord,
)
from tests.core.factories import UserFactory


def support_data_of(stay):
    """A contract of `stay`, an objective, a planned contact, a monthly review of its
    household and a meeting with the household on its agenda, a referral to a partner and
    a record of each kind of the path of its first member; the calendar feed of a social
    worker of its organisation, whose key stands for the "uuid" of its address."""
    household = stay.household
    organisation = stay.organisation
    start = stay.entered_on + datetime.timedelta(days=10)
    meeting = Meeting.objects.create(
        organisation=organisation,
        ref="RE-SECRET",
        kind=MeetingKind.COORDINATION_CELL,
        held_on=start,
        participants="Mme Secret, CAF",
        minutes="Situation Secret examinée.",
    )
    AgendaItem.objects.create(meeting=meeting, household=household)
    return {
        "monthly_review": Review.objects.create(
            organisation=organisation,
            ref="RV-SECRET",
            household=household,
            held_on=start,
            risks="Risque Secret",
        ),
        "support_meeting": meeting,
        "support_contract": SupportContract.objects.create(
            organisation=organisation,
            ref="C-SECRET",
            stay=stay,
            signed_on=start,
            starts_on=start,
            ends_on=start + datetime.timedelta(days=180),
        ),
        "objective": Objective.objects.create(
            organisation=organisation,
            ref="O-SECRET",
            household=household,
            domain="budget",
            set_on=start,
        ),
        "contact": Contact.objects.create(
            organisation=organisation,
            ref="K-SECRET",
            household=household,
            on=start,
            kind=ContactKind.HOME_VISIT,
            status=ContactStatus.PLANNED,
        ),
        "partner_referral": partner_referral_of(household, on=start),
        **{
            f"{model._meta.model_name}": record
            for model, record in path_records_of(
                household, household.memberships.first().person, on=start
            ).items()
        },
        "calendar_feed_link": calendar_feed_link(
            UserFactory(organisation=organisation, role=Role.SOCIAL_WORKER)
        ),
    }


def calendar_feed_link(user, key="cle-agenda-secrete-0123456789abcdefghijkl"):
    """`user`'s calendar feed, with the key `key` (as `uuid`, for the URL map)."""
    CalendarFeed.objects.create(user=user, digest=ApiToken.digest_of(key))
    return SimpleNamespace(uuid=key)


def partner_referral_of(household, *, on=datetime.date(2024, 5, 2), partner=None):
    """A referral of `household` to a partner of its organisation (created if not given)."""
    organisation = household.organisation
    partner = partner or Partner.objects.create(
        organisation=organisation, name=f"France Travail {household.ref}", kind="france_travail"
    )
    return PartnerReferral.objects.create(
        organisation=organisation,
        ref=f"OP-{household.ref}",
        household=household,
        on=on,
        partner=partner,
        purpose="employment",
        details="Inscription, rendez-vous le 3",
    )


def path_records_of(household, person, *, on=datetime.date(2024, 5, 2)):
    """One record of each kind of `person`'s path in `household`: {model: row}."""
    common = {"organisation": household.organisation, "household": household, "person": person}
    return {
        EmploymentRecord: EmploymentRecord.objects.create(
            **common, since=on, situation="fixed_term", employer="Boulangerie Martin"
        ),
        TrainingRecord: TrainingRecord.objects.create(
            **common, name="Aide à domicile", starts_on=on, ends_on=on + datetime.timedelta(90)
        ),
        FrenchLevelRecord: FrenchLevelRecord.objects.create(
            **common, assessed_on=on, level="A2", assessed_by="OFII"
        ),
    }
