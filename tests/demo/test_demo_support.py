"""The demo shows support: contracts with amendments (a few signed late), objectives met and
not, referents, the social worker's full week with a joint visit of the tenancy officer,
what is due; and the report's support section has figures."""

import datetime

import pytest
from django.urls import reverse

from seuil.core.models import Organisation, User
from seuil.reports.facts import activity_report
from seuil.support import due
from seuil.support.models import Amendment, Contact, Objective, Referent, SupportContract
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
