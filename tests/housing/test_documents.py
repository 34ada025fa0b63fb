"""Documents of a unit and of a stay: the organisation managing them alone reads them (a
landlord's account, another organisation → 404); a stay's documents show on the household's
file."""

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from seuil.core.models import AccessLog
from seuil.housing.models import HousingDocument
from tests.core.factories import UserFactory
from tests.households.factories import MembershipFactory
from tests.housing.factories import HousingUnitFactory, StayFactory

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\x00" * 64


@pytest.fixture
def stay(org_a):
    head = MembershipFactory(household__organisation=org_a)
    return StayFactory(household=head.household, unit=HousingUnitFactory(organisation=org_a))


def post(client, url, data=JPEG, name="cuisine.jpg", kind="inspection_photos"):
    return client.post(url, {"kind": kind, "file": SimpleUploadedFile(name, data)})


def test_a_unit_document_is_read_by_its_organisation_only(
    client, stay, member_a, member_b, org_a, document_storage
):
    unit = stay.unit
    client.force_login(member_a)
    response = post(client, reverse("housing:add_unit_document", args=[unit.uuid]))
    assert response.status_code == 302
    document = HousingDocument.objects.get()
    assert (document.unit, document.stay, document.organisation) == (unit, None, org_a)
    page = html.unescape(client.get(unit.get_absolute_url()).content.decode())
    assert "cuisine.jpg" in page and "Photos d'état des lieux" in page
    response = client.get(document.get_download_url())
    assert response.content == JPEG and response["Content-Type"] == "image/jpeg"
    assert AccessLog.objects.filter(action="download", object_uuid=document.uuid).count() == 1

    landlord = UserFactory(organisation=org_a, landlord=True)
    for user in (member_b, landlord):
        client.force_login(user)
        assert client.get(document.get_download_url()).status_code in (403, 404)
        assert client.post(document.get_delete_url()).status_code in (403, 404)
    assert HousingDocument.objects.count() == 1
    assert AccessLog.objects.filter(action="download", object_uuid=document.uuid).count() == 1


def test_a_stay_document_shows_on_the_household_file(client_a, stay, document_storage):
    url = reverse("housing:add_stay_document", args=[stay.uuid])
    response = post(client_a, url, data=b"%PDF-1.5\n%%EOF", name="bail.pdf", kind="lease")
    assert response.status_code == 302
    document = HousingDocument.objects.get()
    assert document.stay == stay
    page = client_a.get(stay.household.get_absolute_url()).content.decode()
    assert "Documents des séjours" in page and "bail.pdf" in page
    assert document.get_download_url() in page


def test_a_wrong_type_is_refused_on_a_unit_too(client_a, stay, document_storage):
    url = reverse("housing:add_unit_document", args=[stay.unit.uuid])
    response = post(client_a, url, data=b"MZ\x90\x00" + b"\x00" * 100, name="photo.jpg")
    assert "« photo.jpg » n'est pas d'un type accepté" in html.unescape(response.content.decode())
    assert not HousingDocument.objects.exists()


def test_a_social_worker_files_stay_documents_but_not_unit_ones(
    client, stay, org_a, document_storage
):
    client.force_login(UserFactory(organisation=org_a, social_worker=True))
    assert post(client, reverse("housing:add_stay_document", args=[stay.uuid])).status_code == 302
    unit_url = reverse("housing:add_unit_document", args=[stay.unit.uuid])
    assert post(client, unit_url).status_code == 403
