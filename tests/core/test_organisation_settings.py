"""« Paramètres de l'organisation »: reached from the menu by the administrator, its
partners and the SIAO and platform it works with, each change in the history, every page of
the user's own organisation only."""

import pytest
from django.urls import reverse

from seuil.core.enums import OrganisationKind, Role
from seuil.core.models import ChangeRecord, Partner
from tests.core.factories import OrganisationFactory, UserFactory


@pytest.fixture
def admin_a(org_a):
    return UserFactory(username="admin-a", organisation=org_a, role=Role.ADMINISTRATOR)


@pytest.fixture
def admin_client(client, admin_a):
    client.force_login(admin_a)
    return client


def test_the_administrator_finds_the_settings_in_the_menu(admin_client):
    home = admin_client.get(reverse("home")).content.decode()
    assert f'href="{reverse("organisation_settings")}"' in home
    page = admin_client.get(reverse("organisation_settings")).content.decode()
    assert "<h1>Paramètres de l'organisation</h1>" in page
    for name in ("housing:programmes", "housing:sectors", "housing:landlords", "partners"):
        assert f'href="{reverse(name)}"' in page
    assert f'href="{reverse("organisation_chain")}"' in page


def test_a_social_worker_has_no_settings(client, org_a):
    client.force_login(UserFactory(organisation=org_a, role=Role.SOCIAL_WORKER))
    assert reverse("organisation_settings") not in client.get(reverse("home")).content.decode()
    assert client.get(reverse("organisation_settings")).status_code == 403
    assert client.get(reverse("partners")).status_code == 403


def test_a_partner_is_added_changed_and_deactivated_with_its_history(admin_client, admin_a):
    response = admin_client.post(
        reverse("partner_create"),
        {
            "name": "CAF de la Somme",
            "kind": "caf",
            "commune": "amiens",
            "phone": "03 22 11 22 33",
            "email": "accueil@caf80.example",
        },
    )
    assert response.status_code == 302
    partner = Partner.objects.get()
    assert (partner.organisation, partner.commune, partner.active) == (
        admin_a.organisation,
        "80021",
        True,
    )
    page = admin_client.get(reverse("partners")).content.decode()
    assert "CAF de la Somme" in page and "Amiens (80021)" in page and "En activité" in page

    edit = admin_client.get(reverse("partner_edit", args=[partner.uuid])).content.decode()
    assert 'value="Amiens (80021)"' in edit  # the commune by its name, not its code alone
    admin_client.post(
        reverse("partner_edit", args=[partner.uuid]),
        {"name": "CAF de la Somme", "kind": "caf", "commune": "Amiens (80021)", "phone": ""},
    )
    admin_client.post(reverse("partner_active", args=[partner.uuid]), {"active": "0"})
    partner.refresh_from_db()
    assert (partner.phone, partner.active) == ("", False)
    assert "Désactivé" in admin_client.get(reverse("partners")).content.decode()

    records = ChangeRecord.objects.filter(object_uuid=partner.uuid).order_by("at", "pk")
    assert [r.action for r in records] == ["create", "change", "change"]
    assert records[0].user == admin_a and records[0].changes["commune"] == [None, "80021"]
    assert records[1].changes["phone"] == ["03 22 11 22 33", ""]
    assert records[2].changes == {"active": [True, False]}


def test_a_partner_form_says_what_is_wrong_in_french(admin_client):
    response = admin_client.post(
        reverse("partner_create"),
        {"name": "École", "kind": "school", "commune": "Amienz", "phone": "appelez-moi"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and not Partner.objects.exists()
    assert "Aucune commune ne s&#x27;appelle « Amienz »" in page
    assert "Saisissez un numéro de téléphone" in page


def test_another_organisation_s_partner_is_out_of_reach(client, org_a, org_b):
    partner = Partner.objects.create(organisation=org_a, name="PMI Nord", kind="pmi")
    client.force_login(UserFactory(organisation=org_b, role=Role.ADMINISTRATOR))
    assert client.get(reverse("partner_edit", args=[partner.uuid])).status_code == 404
    assert client.post(reverse("partner_active", args=[partner.uuid]), {}).status_code == 404
    assert "PMI Nord" not in client.get(reverse("partners")).content.decode()
    partner.refresh_from_db()
    assert partner.active


def test_the_siao_chosen_is_the_default_of_a_new_request(admin_client, admin_a, client, org_a):
    siao = OrganisationFactory(ref="siao-80", name="SIAO de la Somme", kind=OrganisationKind.SIAO)
    platform = OrganisationFactory(
        ref="plateforme", name="Plateforme nationale", kind=OrganisationKind.NATIONAL_PLATFORM
    )
    OrganisationFactory(ref="siao-60", name="SIAO de l'Oise", kind=OrganisationKind.SIAO)
    page = admin_client.get(reverse("organisation_chain")).content.decode()
    assert "SIAO de l&#x27;Oise" in page and "Association A" not in page.split("<form")[1]
    response = admin_client.post(
        reverse("organisation_chain"), {"siao": siao.uuid, "platform": platform.uuid}
    )
    assert response.status_code == 302
    org_a.refresh_from_db()
    assert (org_a.siao, org_a.platform) == (siao, platform)
    [record] = ChangeRecord.objects.filter(object_uuid=org_a.uuid)
    assert record.changes == {"siao": [None, "siao-80"], "platform": [None, "plateforme"]}
    hub = admin_client.get(reverse("organisation_settings")).content.decode()
    assert "SIAO de la Somme" in hub and "Plateforme nationale" in hub

    client.force_login(UserFactory(organisation=org_a, role=Role.SOCIAL_WORKER))
    form = client.get(reverse("orientation:request_create")).content.decode()
    assert f'<option value="{siao.uuid}" selected>' in form


def test_the_chain_refuses_what_is_not_a_siao(admin_client, org_b):
    response = admin_client.post(reverse("organisation_chain"), {"siao": org_b.uuid})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()


def test_the_service_manager_keeps_partners_but_not_the_chain(client_a):
    assert client_a.get(reverse("partners")).status_code == 200
    assert client_a.get(reverse("organisation_chain")).status_code == 403
