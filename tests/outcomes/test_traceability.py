"""The household's history and access log name the follow-ups, checklists and links."""

from django.urls import reverse

from seuil.outcomes import services
from tests.conftest import TODAY
from tests.core.factories import UserFactory


def test_the_history_and_the_access_log_show_the_outcomes_records(client, org_a, exited):
    manager = UserFactory(organisation=org_a)
    services.record_follow_up(exited, on=TODAY, answers={"housed": True}, by=manager)
    checklist = services.checklist_of(exited)
    services.save_checklist(checklist, {"insurance_on": TODAY}, by=manager)
    services.issue_link(exited, by=manager)
    client.force_login(manager)
    household = exited.household
    history = client.get(reverse("households:history", args=[household.uuid]))
    assert history.status_code == 200
    body = history.content.decode()
    for name in ("Suivi après la sortie du", "Préparation de la sortie", "Lien de suivi envoyé"):
        assert name in body
    log = client.get(reverse("households:access_log", args=[household.uuid]))
    assert log.status_code == 200
    assert "Suivi après la sortie du" in log.content.decode()
