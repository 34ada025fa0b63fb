"""A psychologist to whom a household is referred reads the frame of its support, read
only, while the referral lasts: contracts and amendments, referents, objectives by domain
and status; never their free text, the household's words, contacts or partners, and
nothing of a household not referred to them (pages and API)."""

import datetime

import pytest
from django.urls import reverse

from seuil.core.enums import Role
from seuil.core.models import AccessLog
from seuil.households.services import end_clinical_referral
from seuil.support.services import (
    amend_contract,
    assign_referent,
    close_objective,
    record_contact,
    set_objective,
    sign_contract,
)
from tests.api.conftest import token_client
from tests.core.factories import UserFactory
from tests.households.factories import (
    ClinicalReferralFactory,
    HouseholdFactory,
    MembershipFactory,
)
from tests.housing.factories import HousingUnitFactory, ProgrammeFactory, StayFactory
from tests.support.factories import partner_referral_of

D = datetime.date


def supported(org, ref, worker, manager):
    """A household of `org` in a stay, with a signed and amended contract, a referent, an
    objective closed and one in progress (each with its free text), a contact and a
    referral to a partner."""
    household = HouseholdFactory(organisation=org, ref=ref)
    MembershipFactory(household=household, role="head", person__first_name="Awa")
    stay = StayFactory(
        household=household,
        unit=HousingUnitFactory(organisation=org, ref=f"L-{ref}"),
        programme=ProgrammeFactory(organisation=org, max_support_months=18),
        entered_on=D(2024, 11, 15),
    )
    contract = sign_contract(
        stay,
        signed_on=D(2024, 12, 2),
        starts_on=D(2024, 12, 2),
        ends_on=D(2025, 6, 1),
        by=manager,
    )
    amend_contract(contract, signed_on=D(2025, 5, 20), ends_on=D(2025, 12, 1), by=manager)
    assign_referent(household, worker, since=D(2024, 11, 15), by=manager)
    french = set_objective(
        household,
        domain="french",
        set_on=D(2024, 12, 2),
        actions=f"Cours du soir {ref}",
        own_words=f"Parler avec l'école {ref}",
        by=manager,
    )
    close_objective(french, closed_on=D(2025, 5, 2), outcome="achieved", by=manager)
    set_objective(
        household, domain="budget", set_on=D(2025, 1, 6), actions=f"Budget {ref}", by=manager
    )
    record_contact(
        household, on=D(2025, 6, 2), kind="phone", notes=f"Appel {ref}", worker=worker, by=manager
    )
    partner_referral_of(household, on=D(2025, 2, 3))
    return household, contract


@pytest.fixture
def world(org_a, today):
    worker = UserFactory(
        organisation=org_a, role=Role.SOCIAL_WORKER, first_name="Inès", last_name="Morel"
    )
    manager = UserFactory(organisation=org_a, role=Role.SERVICE_MANAGER)
    a, contract_a = supported(org_a, "M-ADRESSE", worker, manager)
    b, contract_b = supported(org_a, "M-AUTRE", worker, manager)
    referral = ClinicalReferralFactory(household=a)
    return {
        "a": a,
        "b": b,
        "contract_a": contract_a,
        "contract_b": contract_b,
        "referral": referral,
        "psychologist": referral.psychologist,
        "manager": manager,
    }


def file_of(client, household):
    return client.get(reverse("households:detail", args=[household.uuid]))


FREE_TEXT = ("Cours du soir", "Parler avec l", "Budget M-", "Appel M-")


def test_the_psychologist_reads_the_referred_households_support_read_only(client, world):
    client.force_login(world["psychologist"])
    a, contract = world["a"], world["contract_a"]
    response = file_of(client, a)
    assert response.status_code == 200
    html = response.content.decode()
    section = html[html.index('id="accompagnement"') :]
    # The contract, its amendment, the referent, the objectives by domain and status.
    assert contract.ref in section and "02/12/2024" in section
    assert "fin au 01/12/2025" in section and "01/06/2025" in section
    assert "Inès Morel" in section
    assert "Apprentissage du français" in section and "Clos le 02/05/2025 : atteint" in section
    assert "Budget" in section and "En cours" in section
    # Not their free text, nor the household's words, contacts or partners.
    for text in FREE_TEXT:
        assert text not in html, text
    for part in ("Actions prévues", "Les mots du ménage", "Rendez-vous, visites", "Parcours des"):
        assert part not in section, part
    assert "Orientations vers des partenaires" not in section
    # Read only: no link to change anything, and a change is refused.
    for label in (
        "Désigner un référent",
        "Enregistrer un contrat",
        "Ajouter un avenant",
        "Fixer un objectif",
        "Changer l'intensité",
        "clore",
        "Imprimer le contrat",
    ):
        assert label not in section, label
    for url in (
        reverse("support:amendment_add", args=[contract.uuid]),
        reverse("support:objective_add", args=[a.uuid]),
        reverse("support:contract_print", args=[contract.uuid]),
    ):
        assert client.get(url).status_code in (403, 404), url
    # Each record read is in the access log, under the psychologist's name.
    assert AccessLog.objects.filter(
        user=world["psychologist"], action="view", object_uuid=contract.uuid
    ).exists()
    # Nothing of the organisation's other households, nor its caseloads or what is due.
    assert file_of(client, world["b"]).status_code == 404
    for name in ("support:caseloads", "support:due", "support:week"):
        assert client.get(reverse(name)).status_code == 403, name
    assert reverse("support:caseloads") not in html


def test_the_api_gives_the_psychologist_the_same(world):
    api = token_client(world["psychologist"])
    a, b = world["a"], world["b"]
    contracts = api.get("/api/v1/support-contracts/").json()["results"]
    assert [c["uuid"] for c in contracts] == [str(world["contract_a"].uuid)]
    assert contracts[0]["amendments"][0]["ends_on"] == "2025-12-01"
    objectives = api.get("/api/v1/objectives/").json()["results"]
    assert {(o["domain"], o["outcome"]) for o in objectives} == {
        ("french", "achieved"),
        ("budget", None),
    }
    assert {o["household"] for o in objectives} == {str(a.uuid)}
    assert all(o["actions"] is None and o["own_words"] is None for o in objectives)
    for endpoint in ("contacts", "partner-referrals", "reviews"):
        assert api.get(f"/api/v1/{endpoint}/").json()["results"] == [], endpoint
    contract_b = world["contract_b"]
    assert api.get(f"/api/v1/support-contracts/{contract_b.uuid}/").status_code == 404
    assert api.get("/api/v1/objectives/", {"household": str(b.uuid)}).json()["results"] == []
    # Read only.
    url = f"/api/v1/support-contracts/{world['contract_a'].uuid}/amendments/"
    assert api.post(url, {"signed_on": "2025-06-10", "ends_on": "2026-01-05"}).status_code == 403
    assert api.post("/api/v1/objectives/", {"household": str(a.uuid)}).status_code == 403


def test_when_the_referral_ends_the_psychologist_sees_nothing(client, world, today):
    end_clinical_referral(world["referral"], acting_user=world["manager"], ended_on=today)
    client.force_login(world["psychologist"])
    assert file_of(client, world["a"]).status_code == 404
    api = token_client(world["psychologist"])
    assert api.get("/api/v1/support-contracts/").json()["results"] == []
    assert api.get("/api/v1/objectives/").json()["results"] == []
    contract = world["contract_a"]
    assert api.get(f"/api/v1/support-contracts/{contract.uuid}/").status_code == 404
