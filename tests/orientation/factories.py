"""Factories of orientation records, and `orientation_data_of(...)`: one of each for the
URL batteries. Records are built directly (no service), in any state a test needs."""

import datetime

import factory

from seuil.core.enums import OrganisationKind, Role
from seuil.orientation.enums import (
    Answer,
    DecisionOutcome,
    ProposalStatus,
    ReferralStatus,
    RequestStatus,
    VacancyOpening,
)
from seuil.orientation.models import (
    AgendaItem,
    Assessment,
    CommissionMeeting,
    Proposal,
    Referral,
    ReferralDecision,
    Request,
    Vacancy,
)
from tests.core.factories import OrganisationFactory, UserFactory
from tests.households.factories import HouseholdFactory
from tests.housing.factories import HousingUnitFactory, ProgrammeFactory

DAY = datetime.timedelta(days=1)


class SiaoFactory(OrganisationFactory):
    kind = OrganisationKind.SIAO
    name = factory.Sequence(lambda n: f"SIAO {n}")


class CoordinatorFactory(UserFactory):
    role = Role.SIAO_COORDINATOR
    organisation = factory.SubFactory(SiaoFactory)


class RequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Request

    ref = factory.Sequence(lambda n: f"D-{n:06d}")
    household = factory.SubFactory(HouseholdFactory)
    siao = factory.SubFactory(SiaoFactory)
    received_on = datetime.date(2024, 1, 10)
    origin = "shelter"
    prescriber = "CADA d'Amiens"
    status = RequestStatus.RECEIVED
    status_since = factory.SelfAttribute("received_on")

    class Params:
        assessed = factory.Trait(status=RequestStatus.ASSESSED)
        admitted = factory.Trait(status=RequestStatus.ADMITTED)


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    request = factory.SubFactory(RequestFactory, status=RequestStatus.ASSESSED)
    assessed_on = factory.LazyAttribute(lambda o: o.request.received_on + 5 * DAY)
    support_level = "standard"
    needs = ["rights", "french"]
    wished_territories = ["80"]
    wished_typologies = ["T2", "T3"]
    monthly_resources = 900
    housing_benefit = 250
    bearable_rent = 520
    priority_criteria = []


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommissionMeeting

    siao = factory.SubFactory(SiaoFactory)
    held_on = datetime.date(2024, 2, 1)
    members_present = "Mme Froment (SIAO)\nM. Lecomte (SIAO)"


class ReferralFactory(factory.django.DjangoModelFactory):
    """A household admitted to a programme by a commission, waiting on its list."""

    class Meta:
        model = Referral

    request = factory.SubFactory(RequestFactory, status=RequestStatus.ADMITTED)
    household = factory.SelfAttribute("request.household")
    siao = factory.SelfAttribute("request.siao")
    programme = factory.SubFactory(ProgrammeFactory)
    admitted_on = datetime.date(2024, 2, 1)
    ref = factory.Sequence(lambda n: f"O-{n:06d}")
    status = ReferralStatus.WAITING
    decision = factory.LazyAttribute(
        lambda o: ReferralDecision.objects.create(
            meeting=MeetingFactory(siao=o.siao, held_on=o.admitted_on),
            request=o.request,
            outcome=DecisionOutcome.ADMITTED,
            programme=o.programme,
            decided_on=o.admitted_on,
        )
    )


class VacancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vacancy

    ref = factory.Sequence(lambda n: f"V-{n:06d}")
    unit = factory.SubFactory(HousingUnitFactory)
    opened_on = datetime.date(2024, 3, 1)
    opening_reason = VacancyOpening.EXIT


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal

    ref = factory.Sequence(lambda n: f"P-{n:06d}")
    vacancy = factory.SubFactory(VacancyFactory)
    referral = factory.SubFactory(ReferralFactory)
    proposed_on = datetime.date(2024, 3, 5)
    expires_on = factory.LazyAttribute(lambda o: o.proposed_on + 10 * DAY)
    status = ProposalStatus.PROPOSED
    landlord_answer = Answer.NOT_REQUIRED


def orientation_data_of(organisation, *, household, programme, landlord=None):
    """One record of each orientation kind, all of `organisation` (used as SIAO and as
    operator alike, as the batteries need): {kind: object}."""
    request = RequestFactory(household=household, siao=organisation, status=RequestStatus.ADMITTED)
    AssessmentFactory(request=request)
    meeting = MeetingFactory(siao=organisation, held_on=request.received_on + 20 * DAY)
    AgendaItem.objects.create(meeting=meeting, request=request)
    decision = ReferralDecision.objects.create(
        meeting=meeting,
        request=request,
        outcome=DecisionOutcome.ADMITTED,
        programme=programme,
        decided_on=meeting.held_on,
    )
    referral = Referral.objects.create(
        ref="O-SECRET",
        request=request,
        decision=decision,
        household=household,
        programme=programme,
        siao=organisation,
        admitted_on=meeting.held_on,
    )
    unit = HousingUnitFactory(
        organisation=organisation, ref="L-SECRET-2", programme=programme, landlord=landlord
    )
    vacancy = VacancyFactory(unit=unit, opened_on=meeting.held_on + 10 * DAY)
    proposal = ProposalFactory(
        vacancy=vacancy, referral=referral, proposed_on=vacancy.opened_on + DAY
    )
    return {
        "request": request,
        "meeting": meeting,
        "referral": referral,
        "vacancy": vacancy,
        "proposal": proposal,
    }
