"""The demo shows support: contracts with amendments (a few signed late), objectives met and
not, referents, the social worker's full week with a joint visit of the tenancy officer,
what is due, the partners with referrals and each adult's path, the monthly reviews and the
meetings; and the report's support section has figures."""

import datetime

import pytest
from django.urls import reverse

from seuil.core.models import Organisation, Partner, User
from seuil.housing.models import Stay
from seuil.reports.facts import activity_report
from seuil.support import due
from seuil.support.models import (
    AgendaItem,
    Amendment,
    Contact,
    EmploymentRecord,
    FrenchLevelRecord,
    Meeting,
    Objective,
    PartnerReferral,
    Referent,
    Review,
    SupportContract,
    TrainingRecord,
)
from tests.conftest import TODAY

pytestmark = pytest.mark.usefixtures("demo_loaded")


def test_contracts_amendments_and_objectives():
    assert SupportContract.objects.count() >= 20
    assert Amendment.objects.count() >= 10
    assert any(c.signed_late for c in SupportContract.objects.select_related("stay"))
    outcomes = set(Objective.objects.exclude(outcome="").values_list("outcome", flat=True))
    assert {"achieved", "not_achieved"} <= outcomes
    assert Objective.objects.filter(closed_on__isnull=True).exists()
    # Every contract keeps within the cap of its programme.
    for contract in SupportContract.objects.select_related("stay__programme"):
        last = contract.last_possible_end
        assert last is None or contract.current_end <= last


def test_the_social_workers_week_and_referents(client):
    worker = User.objects.get(username="travailleur-social")
    monday = TODAY - datetime.timedelta(days=TODAY.weekday())
    week = Contact.objects.filter(worker=worker, on__range=(monday, monday + datetime.timedelta(6)))
    assert week.count() == 10
    assert week.filter(kind="joint_home_visit", tenancy_officer__username="regisseur").exists()
    assert Referent.objects.on(TODAY).filter(worker=worker).count() >= 5
    client.force_login(worker)
    html = client.get(reverse("support:week")).content.decode()
    assert "10 rendez-vous" in html
    client.force_login(User.objects.get(username="responsable"))
    assert "1 pour 12" in client.get(reverse("support:caseloads")).content.decode()


def test_what_is_due_and_the_report():
    operator = Organisation.objects.get(ref="apremis")
    assert due.contracts_to_sign(operator, TODAY)
    support = activity_report("apremis", [], datetime.date(2024, 6, 1), datetime.date(2025, 5, 31))[
        "support"
    ]
    assert support["contracts_signed"] > 0 and support["amendments_signed"] > 0
    assert sum(support["contacts"].values()) > 50
    assert sum(support["objectives"]["closed"].values()) > 0


def test_the_managers_dashboard(client):
    client.force_login(User.objects.get(username="responsable"))
    html = client.get(reverse("support:dashboard")).content.decode()
    assert "Accompagnement social global" in html  # its budget is set: a cost per household
    assert "Objectifs clos par domaine et par résultat" in html
    client.force_login(User.objects.get(username="travailleur-social"))
    assert client.get(reverse("support:dashboard")).status_code == 403


def test_partners_referrals_and_the_path_of_each_adult(client):
    operator = Organisation.objects.get(ref="apremis")
    kinds = set(Partner.objects.filter(organisation=operator).values_list("kind", flat=True))
    assert {"caf", "cpam", "pmi", "france_travail", "department", "school", "training"} <= kinds
    results = set(PartnerReferral.objects.values_list("result", flat=True))
    assert {"pending", "done", "refused"} <= results
    assert PartnerReferral.objects.filter(purpose="french", partner__kind="training").exists()
    # Each adult of a household present today has a path: employment and French level (the
    # national mobility paths come after support in the demo, with their own story).
    present = (
        Stay.objects.filter(organisation=operator)
        .exclude(programme__kind="mobility")
        .present_on(TODAY)
    )
    for stay in present.select_related("household"):
        adults = [
            m.person
            for m in stay.household.memberships.select_related("person")
            if m.is_member_on(TODAY) and m.person.is_adult_on(TODAY)
        ]
        for person in adults:
            assert EmploymentRecord.objects.filter(person=person).exists()
            assert FrenchLevelRecord.objects.filter(person=person).exists()
    assert TrainingRecord.objects.exists()
    assert EmploymentRecord.objects.filter(situation__in=["fixed_term", "permanent"]).exists()
    assert FrenchLevelRecord.objects.values("person").distinct().count() < (
        FrenchLevelRecord.objects.count()
    )  # some adults were assessed again a year later
    record = TrainingRecord.objects.select_related("household").first()
    client.force_login(User.objects.get(username="travailleur-social"))
    html = client.get(reverse("households:detail", args=[record.household.uuid])).content.decode()
    assert record.name in html and "Parcours des adultes" in html
    assert reverse("support:training_correct", args=[record.uuid]) in html


def test_monthly_reviews_and_meetings(client):
    operator = Organisation.objects.get(ref="apremis")
    officer = User.objects.get(username="regisseur")
    first = TODAY.replace(day=1)
    assert Review.objects.filter(held_on__lt=first).count() >= 30
    assert Review.objects.filter(held_on__gte=first).exists()
    assert due.households_without_review(operator, TODAY)  # some are still to do
    assert not Review.objects.exclude(tenancy_officer=officer).exists()
    client.force_login(officer)
    html = client.get(reverse("support:reviews")).content.decode()
    # The tenancy officer's month: households still to review, and those reviewed with it.
    assert "Aucune revue ce mois-ci" not in html
    assert "Tous les ménages logés ont eu leur revue" not in html

    cells = Meeting.objects.filter(kind="coordination_cell")
    committees = Meeting.objects.filter(kind="steering_committee")
    assert cells.count() >= 8 and committees.count() == 2
    dates = sorted(cells.values_list("held_on", flat=True))
    assert all((b - a).days == 42 for a, b in zip(dates, dates[1:], strict=False))
    assert AgendaItem.objects.filter(meeting__kind="coordination_cell").count() >= 8
    meeting = cells.first()
    client.force_login(User.objects.get(username="responsable"))
    response = client.get(reverse("support:minutes", args=[meeting.uuid]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
