"""The household's one-time link, tried as an attacker would: it needs no account, shows
nothing of the household, serves once, expires, and a guessed or altered token reaches
nothing (the same answer for every bad link)."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from seuil.core.models import AccessLog, ChangeRecord
from seuil.outcomes import services
from seuil.outcomes.models import FollowUp, FollowUpLink
from tests.conftest import TODAY

ANSWERS = {
    "housed": "true",
    "same_home": "false",
    "same_commune": "true",
    "employed": "true",
    "in_training": "",
    "satisfaction": "note-4",
    "support_satisfaction": "note-5",
    "reason_for_leaving": "too_small",
    "returned_to_shelter_or_street": "false",
}
UNUSABLE = "Ce lien ne fonctionne plus"


@pytest.fixture
def token(exited, org_a):
    from tests.core.factories import UserFactory

    worker = UserFactory(organisation=org_a, social_worker=True)
    return services.issue_link(exited, by=worker)[1]


def url(token):
    return reverse("outcomes:answer", args=[token])


def test_a_worker_gives_the_link_once_and_seuil_keeps_only_its_hash(client, org_a, exited):
    from tests.core.factories import UserFactory

    client.force_login(UserFactory(organisation=org_a, social_worker=True))
    page = reverse("outcomes:issue_link", args=[exited.uuid])
    assert "Créer le lien" in client.get(page).content.decode()
    body = client.post(page).content.decode()
    start = body.index("/suivi/reponse/")
    token = body[start + len("/suivi/reponse/") :].split("/")[0]
    assert len(token) >= 40
    link = FollowUpLink.objects.get()
    assert link.token_hash != token and token not in link.token_hash
    for record in ChangeRecord.objects.all():
        assert token not in str(record.changes)
    assert link.expires_at == link.created_at + datetime.timedelta(days=30)
    # Shown once: the stay's page lists the link, never its address.
    listing = client.get(reverse("outcomes:stay", args=[exited.uuid])).content.decode()
    assert "En attente de réponse" in listing and token not in listing


def test_the_household_answers_without_an_account_once(client, token, exited):
    page = client.get(url(token))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Comment allez-vous depuis votre départ ?" in body
    assert 'name="viewport"' in body and 'lang="fr"' in body
    assert "Diallo" not in body and "M-SUIVI" not in body and "L-SUIVI" not in body
    assert page["Referrer-Policy"] == "no-referrer"
    assert "no-store" in page["Cache-Control"]
    done = client.post(url(token), ANSWERS)
    assert "Merci" in done.content.decode()
    follow_up = FollowUp.objects.get()
    assert (follow_up.stay, follow_up.on, follow_up.answered_by) == (exited, TODAY, "household")
    assert (follow_up.housed, follow_up.same_home, follow_up.in_training) == (True, False, None)
    assert (follow_up.satisfaction, follow_up.reason_for_leaving) == (4, "too_small")
    assert follow_up.recorded_by is None
    link = FollowUpLink.objects.get()
    assert link.used_at is not None and link.follow_up == follow_up
    assert AccessLog.objects.filter(object_uuid=follow_up.uuid, action="create").exists()


def test_a_used_link_serves_no_more(client, token):
    client.post(url(token), ANSWERS)
    again = client.get(url(token))
    assert again.status_code == 404 and UNUSABLE in again.content.decode()
    replay = client.post(url(token), dict(ANSWERS, housed="false"))
    assert replay.status_code == 404
    assert FollowUp.objects.count() == 1 and FollowUp.objects.get().housed is True
    with pytest.raises(services.LinkUnusable):
        services.answer_link(token, {})


def test_an_expired_link_serves_no_more(client, token):
    with time_machine.travel(FollowUpLink.objects.get().expires_at, tick=False):
        response = client.get(url(token))
        assert response.status_code == 404 and UNUSABLE in response.content.decode()
        assert client.post(url(token), ANSWERS).status_code == 404
    with time_machine.travel(
        FollowUpLink.objects.get().expires_at - datetime.timedelta(seconds=5), tick=False
    ):
        assert client.get(url(token)).status_code == 200
    assert FollowUp.objects.count() == 0


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),
        lambda t: t[:-2],
        lambda t: t + "x",
        lambda t: t.upper(),
        lambda t: "A" * len(t),
        lambda t: "a" * 500,
        lambda t: "x",
    ],
    ids=["one-character", "shorter", "longer", "case", "guess", "very-long", "tiny"],
)
def test_an_altered_or_guessed_token_reaches_nothing(client, token, tamper):
    forged = tamper(token)
    response = client.get(url(forged))
    assert response.status_code == 404 and UNUSABLE in response.content.decode()
    assert client.post(url(forged), ANSWERS).status_code == 404
    assert FollowUp.objects.count() == 0
    assert FollowUpLink.objects.get().used_at is None


def test_the_plain_language_page_says_what_is_kept_and_why(client):
    body = client.get(reverse("outcomes:what_we_keep")).content.decode()
    for words in ("Ce que nous gardons", "Pourquoi", "Qui voit vos réponses", "Vos droits"):
        assert words in body


def test_no_link_for_a_stay_not_ended(org_a, household):
    from django.core.exceptions import ValidationError

    from tests.housing.factories import StayFactory

    stay = StayFactory(household=household, entered_on=datetime.date(2024, 1, 1))
    with pytest.raises(ValidationError):
        services.issue_link(stay, by=None)
