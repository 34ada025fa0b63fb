"""The household's history and "qui a consulté ce dossier" name its orientation records
in words, and show who read them through a waiting list or a matching run."""

from django.urls import reverse

from seuil.matching import services as matching_services
from tests.matching.scenario import admit, scene, vacant


def test_the_history_names_the_request_and_the_referral(client, db):
    s = scene()
    referral = admit(s, "Awa")
    client.force_login(s.coordinator)
    url = reverse("households:history", args=[referral.household.uuid])
    page = client.get(url).content.decode()
    assert f"Demande d&#x27;orientation {referral.request.ref} (SIAO de la Somme)" in page
    assert f"Orientation {referral.ref} vers IML Somme (liste d&#x27;attente)" in page
    assert "Évaluation sociale du" in page


def test_who_read_the_file_through_a_matching_run_is_shown(client, db):
    s = scene()
    referral = admit(s, "Awa")
    vacant(s, "L-T2")
    matching_services.start_run(s.programme, acting_user=s.coordinator)
    client.force_login(s.coordinator)
    page = client.get(reverse("households:access_log", args=[referral.household.uuid]))
    body = page.content.decode()
    assert f"Orientation {referral.ref} vers IML Somme (liste d&#x27;attente)" in body
    assert s.coordinator.get_full_name() in body


def test_the_household_page_lists_its_requests_and_offers_a_new_one(client, db):
    s = scene()
    referral = admit(s, "Awa")
    client.force_login(s.coordinator)
    page = client.get(reverse("households:detail", args=[referral.household.uuid]))
    body = page.content.decode()
    detail = reverse("orientation:request_detail", args=[referral.request.uuid])
    assert f'href="{detail}"' in body and "IML Somme : en liste d&#x27;attente" in body
    assert f"?menage={referral.household.uuid}" in body
