"""Referrals of a household to the organisation's partners, and the dated path of each
adult (employment, training, French level), as a social worker, a manager, a tenancy
officer and a psychologist meet them on the household's file."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from seuil.core.enums import Role
from seuil.core.models import AccessLog, ChangeRecord, Partner
from seuil.support.enums import ReferralResult
from seuil.support.models import (
    EmploymentRecord,
    FrenchLevelRecord,
    PartnerReferral,
    TrainingRecord,
)
from tests.core.factories import UserFactory
from tests.households.factories import (
    ClinicalReferralFactory,
    HouseholdFactory,
    MembershipFactory,
)
from tests.support.factories import partner_referral_of, path_records_of

D = datetime.date


@pytest.fixture
def world(org_a, today):
    household = HouseholdFactory(organisation=org_a, ref="M-PARC")
    head = MembershipFactory(
        household=household,
        role="head",
        person__first_name="Awa",
        person__last_name="Diallo",
        person__birth_date=D(1990, 3, 1),
    ).person
    child = MembershipFactory(
        household=household,
        role="child",
        person__first_name="Moussa",
        person__last_name="Diallo",
        person__birth_date=D(2015, 5, 1),
    ).person
    caf = Partner.objects.create(organisation=org_a, name="CAF de la Somme", kind="caf")
    closed = Partner.objects.create(
        organisation=org_a, name="Ancien centre fermé", kind="training", active=False
    )
    course = Partner.objects.create(organisation=org_a, name="Alpha Amiens", kind="training")
    worker = UserFactory(organisation=org_a, role=Role.SOCIAL_WORKER)
    return {
        "household": household,
        "head": head,
        "child": child,
        "caf": caf,
        "closed": closed,
        "course": course,
        "worker": worker,
    }


def file_of(client, household):
    return client.get(reverse("households:detail", args=[household.uuid])).content.decode()


def test_a_social_worker_refers_the_household_and_notes_the_result(client, world, today):
    client.force_login(world["worker"])
    household = world["household"]
    url = reverse("support:partner_referral_add", args=[household.uuid])
    page = client.get(url).content.decode()
    # Only the organisation's active partners are offered, after « Choisir… ».
    assert "CAF de la Somme" in page and "Alpha Amiens" in page
    assert "Ancien centre fermé" not in page
    assert page.index("Choisir…") < page.index("Alpha Amiens")
    # An inactive partner sent anyway is refused.
    response = client.post(
        url, {"on": "2025-06-02", "partner": world["closed"].uuid, "purpose": "training"}
    )
    assert response.status_code == 200 and not PartnerReferral.objects.exists()
    # A date far in the future is refused by the plausibility rule.
    response = client.post(
        url, {"on": "2030-01-01", "partner": world["caf"].uuid, "purpose": "rights"}
    )
    assert "plus d&#x27;un an après aujourd&#x27;hui" in response.content.decode()
    response = client.post(
        url,
        {
            "on": "2025-06-02",
            "partner": world["caf"].uuid,
            "purpose": "rights",
            "details": "Dossier APL à compléter",
        },
    )
    assert response.status_code == 302
    referral = PartnerReferral.objects.get()
    assert referral.result == ReferralResult.PENDING and referral.result_on is None
    html = file_of(client, household)
    assert "CAF de la Somme" in html
    assert "Ouverture ou mise à jour de droits" in html
    assert "En attente" in html and "Dossier APL à compléter" in html

    result_url = reverse("support:partner_referral_result", args=[referral.uuid])
    # A result known before the referral is refused, on the date's field.
    response = client.post(result_url, {"result": "done", "result_on": "2025-05-01"})
    assert "ne peut précéder l&#x27;orientation du 02/06/2025" in response.content.decode()
    response = client.post(result_url, {"result": "done", "result_on": ""})
    assert "Indiquez quand le résultat a été connu" in response.content.decode()
    response = client.post(result_url, {"result": "done", "result_on": "2025-06-10"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.result, referral.result_on) == ("done", D(2025, 6, 10))
    assert "Réalisée le 10/06/2025" in file_of(client, household)

    actions = set(
        AccessLog.objects.filter(user=world["worker"], object_type="partnerreferral").values_list(
            "action", flat=True
        )
    )
    assert {"create", "change", "view"} <= actions
    changes = ChangeRecord.objects.of_household(household.uuid).filter(
        object_type="partnerreferral"
    )
    assert changes.count() == 2
    # The free text is stored encrypted, and its text never reaches the history.
    with connection.cursor() as cursor:
        cursor.execute("SELECT details FROM support_partnerreferral")
        assert "APL" not in cursor.fetchone()[0]
    assert "APL" not in str(list(changes.values_list("changes", flat=True)))


def test_the_dated_path_of_each_adult(client, world, today):
    client.force_login(world["worker"])
    household, head = world["household"], world["head"]
    html = file_of(client, household)
    # Awa is an adult; her son of ten has no path of his own.
    assert "Parcours des adultes" in html
    assert reverse("support:employment_add", args=[household.uuid, head.uuid]) in html
    assert reverse("support:employment_add", args=[household.uuid, world["child"].uuid]) not in html
    assert "situation d'emploi non renseignée" in html

    base = [household.uuid, head.uuid]
    employment = reverse("support:employment_add", args=base)
    assert client.get(employment).content.decode().count("Choisir…") >= 1
    assert (
        client.post(employment, {"since": "2024-09-01", "situation": "job_seeker"}).status_code
        == 302
    )
    assert (
        client.post(
            employment,
            {"since": "2025-03-01", "situation": "fixed_term", "employer": "Boulangerie Martin"},
        ).status_code
        == 302
    )
    training = reverse("support:training_add", args=base)
    response = client.post(
        training, {"name": "Aide à domicile", "starts_on": "2025-01-10", "ends_on": "2024-12-01"}
    )
    assert "La fin de la formation précède son début" in response.content.decode()
    response = client.post(
        training,
        {
            "name": "Aide à domicile",
            "body": world["course"].uuid,
            "starts_on": "2024-10-01",
            "ends_on": "2025-01-31",
        },
    )
    assert response.status_code == 302
    french = reverse("support:french_level_add", args=base)
    for day, level in (("2024-09-15", "A1"), ("2025-05-20", "A2")):
        response = client.post(french, {"assessed_on": day, "level": level, "assessed_by": "OFII"})
        assert response.status_code == 302

    html = file_of(client, household)
    assert "Aujourd'hui : en emploi, cdd (depuis le 01/03/2025)" in html
    assert "A2 (intermédiaire) (évalué le 20/05/2025)" in html
    # The path reads oldest first: job seeker, then French A1, training, then the job.
    order = [
        html.index(text)
        for text in (
            "En recherche d&#x27;emploi",
            "Niveau A1 (introductif)",
            "Alpha Amiens",
            "En emploi, CDD",
            "Niveau A2 (intermédiaire)",
        )
    ]
    assert order == sorted(order)
    assert "Employeur : Boulangerie Martin" in html and "Aide à domicile" in html
    assert EmploymentRecord.objects.filter(person=head).count() == 2
    assert TrainingRecord.objects.get().body == world["course"]
    assert FrenchLevelRecord.objects.filter(person=head).count() == 2
    logged = set(
        AccessLog.objects.filter(user=world["worker"], action="create").values_list(
            "object_type", flat=True
        )
    )
    assert {"employmentrecord", "trainingrecord", "frenchlevelrecord"} <= logged


def test_a_path_record_entered_wrongly_is_corrected_or_deleted_with_its_reason(
    client, world, org_a
):
    household, head = world["household"], world["head"]
    records = path_records_of(household, head)
    employment, training, french = (
        records[EmploymentRecord],
        records[TrainingRecord],
        records[FrenchLevelRecord],
    )
    # The body of the training has closed since: a correction keeps it.
    training.body = world["closed"]
    training.save()
    worker = world["worker"]
    client.force_login(worker)
    html = file_of(client, household)
    for name, record in (
        ("employment", employment),
        ("training", training),
        ("french_level", french),
    ):
        assert reverse(f"support:{name}_correct", args=[record.uuid]) in html
        assert reverse(f"support:{name}_delete", args=[record.uuid]) in html

    url = reverse("support:employment_correct", args=[employment.uuid])
    page = client.get(url).content.decode()
    assert "Boulangerie Martin" in page and 'value="2024-05-02"' in page
    # Without a reason, nothing changes.
    response = client.post(url, {"since": "2024-06-03", "situation": "permanent", "reason": ""})
    assert response.status_code == 200
    employment.refresh_from_db()
    assert employment.situation == "fixed_term"
    response = client.post(
        url,
        {
            "since": "2024-06-03",
            "situation": "permanent",
            "employer": "Boulangerie Martin",
            "reason": "CDI, pas CDD",
        },
    )
    assert response.status_code == 302
    employment.refresh_from_db()
    assert (employment.since, employment.situation) == (D(2024, 6, 3), "permanent")

    url = reverse("support:training_correct", args=[training.uuid])
    assert "Ancien centre fermé" in client.get(url).content.decode()
    data = {
        "name": "Aide à domicile",
        "body": world["closed"].uuid,
        "starts_on": "2024-05-02",
        "ends_on": "2024-04-01",
        "reason": "Dates inversées",
    }
    assert "La fin de la formation précède son début" in client.post(url, data).content.decode()
    assert client.post(url, {**data, "ends_on": "2024-09-30"}).status_code == 302
    training.refresh_from_db()
    assert training.ends_on == D(2024, 9, 30) and training.body == world["closed"]

    url = reverse("support:french_level_delete", args=[french.uuid])
    assert client.post(url, {"reason": ""}).status_code == 200
    assert FrenchLevelRecord.objects.filter(pk=french.pk).exists()
    assert client.post(url, {"reason": "Personne confondue"}).status_code == 302
    assert not FrenchLevelRecord.objects.filter(pk=french.pk).exists()

    # The history keeps what was corrected or deleted, with the reason, in the file.
    changes = ChangeRecord.objects.filter(household_uuid=household.uuid)
    reasons = set(changes.values_list("reason", flat=True))
    assert {"CDI, pas CDD", "Dates inversées", "Personne confondue"} <= reasons
    deleted = changes.get(object_uuid=french.uuid, action="delete")
    assert deleted.changes["level"][0] == "A2"
    assert AccessLog.objects.filter(
        user=worker, action="change", object_uuid=employment.uuid
    ).exists()


def test_only_who_writes_support_corrects_a_path(client, world, org_a):
    records = path_records_of(world["household"], world["head"])
    employment = records[EmploymentRecord]
    for role in (Role.TENANCY_OFFICER, Role.PSYCHOLOGIST):
        client.force_login(UserFactory(organisation=org_a, role=role))
        correct = reverse("support:employment_correct", args=[employment.uuid])
        assert correct not in file_of(client, world["household"])
        for name in ("employment_correct", "employment_delete"):
            url = reverse(f"support:{name}", args=[employment.uuid])
            assert client.post(url, {"reason": "x"}).status_code == 403
    assert EmploymentRecord.objects.filter(pk=employment.pk).exists()


def test_a_person_of_another_household_cannot_be_given_a_path_here(client, world, org_a):
    client.force_login(world["worker"])
    stranger = MembershipFactory(household=HouseholdFactory(organisation=org_a)).person
    url = reverse("support:employment_add", args=[world["household"].uuid, stranger.uuid])
    assert client.get(url).status_code == 404


def test_the_tenancy_officer_sees_that_referrals_exist_not_their_text(client, world, org_a):
    household = world["household"]
    referral = partner_referral_of(household, partner=world["caf"])
    path_records_of(household, world["head"])
    client.force_login(UserFactory(organisation=org_a, role=Role.TENANCY_OFFICER))
    html = file_of(client, household)
    assert "CAF de la Somme" in html and "Emploi" in html
    assert "Inscription, rendez-vous le 3" not in html
    assert "Boulangerie Martin" not in html and "OFII" not in html
    assert "Orienter vers un partenaire" not in html
    assert (
        client.post(
            reverse("support:partner_referral_result", args=[referral.uuid]),
            {"result": "refused", "result_on": "2025-06-01"},
        ).status_code
        == 403
    )


def test_a_referred_psychologist_sees_nothing_of_it(client, world, org_a):
    household = world["household"]
    partner_referral_of(household, partner=world["caf"])
    path_records_of(household, world["head"])
    referral = ClinicalReferralFactory(household=household)
    client.force_login(referral.psychologist)
    response = client.get(reverse("households:detail", args=[household.uuid]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "CAF de la Somme" not in html and "Parcours des adultes" not in html
    url = reverse("support:partner_referral_add", args=[household.uuid])
    assert client.get(url).status_code == 403
