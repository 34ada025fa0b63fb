"""Programmes, sectors and landlords kept in the interface (« Paramètres de l'organisation »),
each change in the history; a landlord's space opened from Seuil, end to end: the first
account's one-time link, its password, its proposals."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse

from seuil.core.enums import OrganisationKind, Role
from seuil.core.models import ChangeRecord, Organisation, User
from seuil.housing.models import Landlord, Programme, Sector
from seuil.support.models import SupportContract, SupportSettings
from tests.core.factories import OrganisationFactory, UserFactory
from tests.households.factories import HouseholdFactory
from tests.housing.factories import HousingUnitFactory, ProgrammeFactory, StayFactory
from tests.notifications.conftest import run_worker
from tests.orientation.factories import orientation_data_of


@pytest.fixture
def admin_a(org_a):
    return UserFactory(username="admin-a", organisation=org_a, role=Role.ADMINISTRATOR)


@pytest.fixture
def admin_client(client, admin_a):
    client.force_login(admin_a)
    return client


PROGRAMME = {
    "name": "IML Réfugiés",
    "ref": "iml-r",
    "kind": "iml",
    "capacity_places": "60",
    "capacity_units": "20",
    "funder": "DDETS de la Somme (BOP 177)",
    "max_support_months": "18",
    "households_per_worker": "10",
    "annual_budget": "250000",
}


def test_a_programme_is_created_with_its_support_target_and_budget(admin_client, admin_a):
    form = admin_client.get(reverse("housing:programme_create")).content.decode()
    for label in ("Capacité en places", "Financeur", "Ménages par travailleur social (cible)"):
        assert label in form
    response = admin_client.post(reverse("housing:programme_create"), PROGRAMME)
    assert response.status_code == 302
    programme = Programme.objects.get()
    assert (programme.organisation, programme.capacity_places, programme.capacity_units) == (
        admin_a.organisation,
        60,
        20,
    )
    assert (programme.funder, programme.max_support_months) == ("DDETS de la Somme (BOP 177)", 18)
    settings = SupportSettings.objects.get(programme=programme)
    assert (settings.households_per_worker, settings.annual_budget) == (10, 250000)
    page = admin_client.get(reverse("housing:programmes")).content.decode()
    assert "IML Réfugiés" in page and "60 places, 20 logements" in page and "18 mois" in page
    # The programme and its support settings, in the history, by the administrator.
    records = ChangeRecord.objects.filter(object_uuid=programme.uuid)
    assert sorted(r.object_type for r in records) == ["programme", "supportsettings"]
    assert all(r.user == admin_a and r.household_uuid is None for r in records)
    assert records.get(object_type="programme").changes["capacity_places"] == [None, 60]

    edit = admin_client.get(reverse("housing:programme_edit", args=[programme.uuid]))
    assert 'name="households_per_worker" value="10"' in edit.content.decode()
    admin_client.post(
        reverse("housing:programme_edit", args=[programme.uuid]),
        {**PROGRAMME, "households_per_worker": "12", "capacity_places": "64"},
    )
    settings.refresh_from_db()
    programme.refresh_from_db()
    assert (settings.households_per_worker, programme.capacity_places) == (12, 64)
    change = ChangeRecord.objects.filter(object_type="supportsettings").order_by("-pk").first()
    assert change.changes == {"households_per_worker": [10, 12]}


def test_a_cap_below_a_signed_contract_is_refused_on_its_field(admin_client, org_a):
    programme = ProgrammeFactory(organisation=org_a, ref="iml-r", max_support_months=18)
    stay = StayFactory(household=HouseholdFactory(organisation=org_a), programme=programme)
    SupportContract.objects.create(
        organisation=org_a,
        ref="C-1",
        stay=stay,
        signed_on=stay.entered_on,
        starts_on=stay.entered_on,
        ends_on=stay.entered_on + datetime.timedelta(days=300),
    )
    response = admin_client.post(
        reverse("housing:programme_edit", args=[programme.uuid]),
        {**PROGRAMME, "max_support_months": "6", "capacity_places": "99"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "1 contrat va déjà au-delà de 6 mois après l&#x27;entrée (C-1)" in page
    programme.refresh_from_db()
    assert (programme.max_support_months, programme.capacity_places) == (18, None)


def test_a_programme_in_use_is_not_deleted_and_the_page_says_why(admin_client, org_a):
    used = ProgrammeFactory(organisation=org_a, name="IML", ref="iml")
    HousingUnitFactory(organisation=org_a, programme=used)
    HousingUnitFactory(organisation=org_a, programme=used)
    response = admin_client.post(reverse("housing:programme_delete", args=[used.uuid]), follow=True)
    assert "Le dispositif « IML » ne peut pas être supprimé : il sert encore (2 logements)" in (
        response.content.decode()
    )
    assert Programme.objects.filter(pk=used.pk).exists()
    assert not ChangeRecord.objects.filter(object_uuid=used.uuid, action="delete").exists()

    unused = ProgrammeFactory(organisation=org_a, name="ASG", ref="asg")
    admin_client.post(reverse("housing:programme_delete", args=[unused.uuid]))
    assert not Programme.objects.filter(pk=unused.pk).exists()
    [record] = ChangeRecord.objects.filter(object_uuid=unused.uuid)
    assert record.action == "delete" and record.changes["name"] == ["ASG", None]


def test_a_sector_is_made_of_communes_chosen_by_name(admin_client):
    response = admin_client.post(
        reverse("housing:sector_create"),
        {"name": "Grand Amiénois", "ref": "grand-amienois", "communes": "Amiens\nSaint-Sauveur"},
    )
    assert response.status_code == 302
    sector = Sector.objects.get()
    assert sector.communes == ["80021", "80718"]  # Saint-Sauveur of the Somme, the org's
    page = admin_client.get(reverse("housing:sectors")).content.decode()
    assert "Amiens (80021), Saint-Sauveur (80718)" in page
    refused = admin_client.post(
        reverse("housing:sector_edit", args=[sector.uuid]),
        {"name": "Grand Amiénois", "ref": "grand-amienois", "communes": "Amiens\n80999"},
    )
    assert "« 80999 » n&#x27;est le code INSEE d&#x27;aucune commune" in refused.content.decode()
    sector.refresh_from_db()
    assert sector.communes == ["80021", "80718"]
    [record] = ChangeRecord.objects.filter(object_uuid=sector.uuid)
    assert record.changes["communes"] == [None, ["80021", "80718"]]


def test_a_reference_is_unique_in_the_organisation(admin_client, org_a, org_b):
    ProgrammeFactory(organisation=org_a, ref="iml-r")
    ProgrammeFactory(organisation=org_b, ref="asg")
    refused = admin_client.post(reverse("housing:programme_create"), PROGRAMME)
    assert "Cette référence existe déjà dans votre organisation." in refused.content.decode()
    # Another organisation's reference is no hindrance.
    admin_client.post(reverse("housing:programme_create"), {**PROGRAMME, "ref": "asg"})
    assert Programme.objects.filter(organisation=org_a, ref="asg").exists()


def test_every_settings_page_is_of_the_user_s_organisation(client, org_a, org_b):
    programme = ProgrammeFactory(organisation=org_a, name="Programme de A")
    sector = Sector.objects.create(organisation=org_a, ref="s", name="Secteur de A")
    landlord = Landlord.objects.create(organisation=org_a, ref="b", name="Bailleur de A")
    client.force_login(UserFactory(organisation=org_b, role=Role.ADMINISTRATOR))
    for name, obj in (
        ("housing:programme_edit", programme),
        ("housing:programme_delete", programme),
        ("housing:sector_edit", sector),
        ("housing:landlord_edit", landlord),
        ("housing:landlord_space", landlord),
        ("housing:landlord_link", landlord),
    ):
        assert client.get(reverse(name, args=[obj.uuid])).status_code == 404, name
        assert client.post(reverse(name, args=[obj.uuid]), {}).status_code == 404, name
    for name, text in (
        ("housing:programmes", "Programme de A"),
        ("housing:sectors", "Secteur de A"),
        ("housing:landlords", "Bailleur de A"),
    ):
        assert text not in client.get(reverse(name)).content.decode()
    assert Programme.objects.filter(pk=programme.pk).exists()


def test_the_service_manager_keeps_programmes_but_opens_no_landlord_space(client_a, org_a):
    landlord = Landlord.objects.create(organisation=org_a, ref="opac", name="OPAC")
    assert client_a.get(reverse("housing:programme_create")).status_code == 200
    assert client_a.get(reverse("housing:landlords")).status_code == 200
    assert client_a.get(reverse("housing:landlord_space", args=[landlord.uuid])).status_code == 403
    assert client_a.get(reverse("housing:landlord_link", args=[landlord.uuid])).status_code == 403


def test_a_landlord_space_opened_in_seuil_sees_its_units_proposals(
    admin_client, admin_a, client, org_a, django_capture_on_commit_callbacks
):
    admin_client.post(
        reverse("housing:landlord_create"), {"name": "OPAC de la Somme", "ref": "opac80"}
    )
    landlord = Landlord.objects.get(ref="opac80")
    programme = ProgrammeFactory(organisation=org_a)
    household = HouseholdFactory(organisation=org_a)
    proposal = orientation_data_of(
        org_a, household=household, programme=programme, landlord=landlord
    )["proposal"]

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("housing:landlord_space", args=[landlord.uuid]),
            {
                "organisation_name": "OPAC de la Somme",
                "department": "80",
                "first_name": "Inès",
                "last_name": "Carpentier",
                "email": "Ines.Carpentier@opac80.example",
            },
            follow=True,
        )
    assert "Inès Carpentier reçoit à Ines.Carpentier@opac80.example un lien" in (
        response.content.decode()
    )
    landlord.refresh_from_db()
    space = landlord.account
    assert (space.kind, space.name, space.department) == (
        OrganisationKind.LANDLORD,
        "OPAC de la Somme",
        "80",
    )
    user = User.objects.get(organisation=space)
    assert (user.role, user.username, user.has_usable_password(), user.is_active) == (
        Role.LANDLORD,
        "ines.carpentier@opac80.example",
        False,
        False,
    )
    assert mail.outbox == []  # the e-mail leaves from the worker, not the web request
    history = {
        r.object_type: r for r in ChangeRecord.objects.filter(user=admin_a).order_by("at", "pk")
    }
    assert history["organisation"].changes["kind"] == [None, "landlord"]
    assert history["user"].changes["role"] == [None, "landlord"]
    assert not any("password" in r.changes for r in history.values())
    assert history["landlord"].changes == {"account": [None, space.ref]}

    # The landlord's first account is invited as every account is.
    run_worker()
    [message] = mail.outbox
    assert message.to == ["Ines.Carpentier@opac80.example"]
    assert "Bonjour Inès" in message.body and "ines.carpentier@opac80.example" in message.body
    link = re.search(r"https?://\S+/invitation/\S+/", message.body).group()
    path = link.split("://", 1)[1].split("/", 1)[1]

    client.logout()
    assert "Activer votre compte Seuil" in client.get("/" + path).content.decode()
    password = "une phrase longue pour le bailleur"
    client.post("/" + path, {"new_password1": password, "new_password2": password})
    user.refresh_from_db()
    assert user.is_active and user.check_password(password)
    # The link served once: it no longer opens.
    assert client.get("/" + path).status_code == 410
    client.logout()

    # Signing in with it asks for the second factor, then the landlord sees its proposal.
    signed_in = client.post(
        reverse("login"), {"username": user.username, "password": password}, follow=True
    )
    assert signed_in.redirect_chain[-1][0].startswith(reverse("two_factor_setup"))
    client.force_login(user)
    proposals = client.get(reverse("orientation:proposals")).content.decode()
    assert proposal.ref in proposals and proposal.vacancy.unit.ref in proposals
    assert (
        client.get(reverse("orientation:proposal_detail", args=[proposal.uuid])).status_code == 200
    )


def test_a_landlord_record_is_linked_to_an_existing_landlord_organisation(admin_client, org_a):
    landlord = Landlord.objects.create(organisation=org_a, ref="opac", name="OPAC")
    space = OrganisationFactory(ref="opac-seuil", name="OPAC (espace)", kind="landlord")
    OrganisationFactory(ref="asso-c", name="Association C")  # not a landlord: not offered
    page = admin_client.get(reverse("housing:landlord_link", args=[landlord.uuid])).content
    assert "OPAC (espace)" in page.decode() and "Association C" not in page.decode()
    admin_client.post(
        reverse("housing:landlord_link", args=[landlord.uuid]), {"account": space.uuid}
    )
    landlord.refresh_from_db()
    assert landlord.account == space
    refused = admin_client.post(
        reverse("housing:landlord_space", args=[landlord.uuid]), follow=True
    ).content.decode()
    assert "a déjà un espace dans Seuil" in refused
    assert Organisation.objects.filter(kind="landlord").count() == 1


def test_an_address_that_already_has_an_account_is_refused(admin_client, org_a):
    UserFactory(organisation=org_a, email="deja@exemple.example")
    landlord = Landlord.objects.create(organisation=org_a, ref="opac", name="OPAC")
    response = admin_client.post(
        reverse("housing:landlord_space", args=[landlord.uuid]),
        {
            "organisation_name": "OPAC",
            "first_name": "Inès",
            "last_name": "Carpentier",
            "email": "DEJA@exemple.example",
        },
    )
    assert "Un compte utilise déjà cette adresse électronique" in response.content.decode()
    assert not Organisation.objects.filter(kind="landlord").exists()
    landlord.refresh_from_db()
    assert landlord.account is None
