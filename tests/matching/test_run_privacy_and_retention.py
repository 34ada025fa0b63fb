"""A run shows households' files: only its organisation opens it, every reading is traced, it
is deleted after 90 days, and what goes wrong is said in French, never as a traceback."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from seuil.core.enums import OrganisationKind, Role
from seuil.core.models import AccessLog
from seuil.matching import services
from seuil.matching.enums import RunStatus
from seuil.matching.models import MatchingRun
from seuil.matching.tasks import purge_runs_task
from seuil.orientation.models import Proposal
from seuil.orientation.services.proposals import make_proposal
from tests.core.factories import OrganisationFactory, UserFactory
from tests.matching.scenario import admit, scene, vacant
from tests.orientation.flow import today

DAY = datetime.timedelta(days=1)

pytestmark = pytest.mark.usefixtures("today")  # the clock on the fixed day, TODAY


@pytest.fixture
def somme(db):
    s = scene()
    admit(s, "Awa", adults=2, children=1, received_days_ago=400)
    admit(s, "Bilal", received_days_ago=100)
    admit(s, "Chen", wishes=("60",))  # no unit in the Oise: unassigned
    vacant(s, "L-T3", typology="T3", rent=450)
    vacant(s, "L-T1", typology="T1", rent=300)
    return s


def referral_views(user):
    return AccessLog.objects.filter(user=user, action=AccessLog.Action.VIEW, object_type="referral")


def other_siao_coordinator():
    siao = OrganisationFactory(kind=OrganisationKind.SIAO, name="SIAO de l'Oise", department="60")
    return UserFactory(organisation=siao, role=Role.SIAO_COORDINATOR)


def test_the_coordinator_of_another_siao_cannot_open_or_use_a_run(client, somme):
    run = services.start_run(somme.programme, acting_user=somme.coordinator)
    awa, unit = somme.referrals["Awa"], somme.vacancies["L-T3"]
    client.force_login(other_siao_coordinator())

    assert client.get(reverse("matching:run_detail", args=[run.uuid])).status_code == 404
    response = client.post(
        reverse("matching:accept_pairs", args=[run.uuid]), {"pair": f"{awa.ref}|{unit.ref}"}
    )
    assert response.status_code == 404
    assert not Proposal.objects.exists()
    page = client.get(reverse("matching:runs")).content.decode()
    assert "Aucun appariement pour l'instant." in page


def test_a_social_worker_does_not_match(client, somme):
    client.force_login(UserFactory(organisation=somme.operator, role=Role.SOCIAL_WORKER))

    assert client.get(reverse("matching:runs")).status_code == 403
    assert client.post(
        reverse("matching:runs"), {"programme": somme.programme.uuid}
    ).status_code == (403)
    assert not MatchingRun.objects.exists()


def test_starting_a_run_traces_the_reading_of_every_household_waiting(somme):
    # Dina has a proposal in progress: left out of the instance, but her file was read.
    dina = admit(somme, "Dina")
    held = vacant(somme, "L-held")
    make_proposal(
        held,
        dina,
        proposed_on=today(),
        acting_user=somme.coordinator,
        skip_reason="Ordre de la liste non suivi pour ce test.",
    )
    before = set(referral_views(somme.coordinator).values_list("pk", flat=True))

    services.start_run(somme.programme, acting_user=somme.coordinator)

    read = referral_views(somme.coordinator).exclude(pk__in=before)
    assert sorted(read.values_list("object_uuid", flat=True)) == sorted(
        r.uuid for r in somme.referrals.values()
    )
    assert {(row.role, row.organisation_id) for row in read} == {
        (Role.SIAO_COORDINATOR, somme.siao.pk)
    }


def test_opening_a_finished_run_traces_each_household_shown_once(client, somme):
    run = services.start_run(somme.programme, acting_user=somme.coordinator)
    shown = {a["household"] for a in run.results["optimal"]["assignments"]}
    assert len(shown) == 2  # Awa and Bilal housed, in all three plans; Chen unassigned
    client.force_login(somme.coordinator)
    before = set(referral_views(somme.coordinator).values_list("pk", flat=True))

    page = client.get(reverse("matching:run_detail", args=[run.uuid])).content.decode()

    assert "TEST Awa" in page and "TEST Bilal" in page and "TEST Chen" in page
    read = referral_views(somme.coordinator).exclude(pk__in=before)
    assert sorted(read.values_list("object_uuid", flat=True)) == sorted(
        r.uuid for r in somme.referrals.values()
    )


def test_a_household_shown_as_left_out_is_traced_too(client, somme):
    dina = admit(somme, "Dina")
    held = vacant(somme, "L-held")
    make_proposal(
        held,
        dina,
        proposed_on=today(),
        acting_user=somme.coordinator,
        skip_reason="Ordre de la liste non suivi pour ce test.",
    )
    run = services.start_run(somme.programme, acting_user=somme.coordinator)
    client.force_login(somme.coordinator)
    before = set(referral_views(somme.coordinator).values_list("pk", flat=True))

    page = client.get(reverse("matching:run_detail", args=[run.uuid])).content.decode()

    assert "TEST Dina" in page and "Une proposition est déjà en cours" in page
    read = referral_views(somme.coordinator).exclude(pk__in=before)
    assert dina.uuid in set(read.values_list("object_uuid", flat=True))


def test_runs_are_deleted_after_90_days_their_proposals_stay(somme, frozen_now):
    old = services.start_run(somme.programme, acting_user=somme.coordinator)
    awa, unit = somme.referrals["Awa"], somme.vacancies["L-T3"]
    made, errors = services.accept_pairs(old, [(awa.ref, unit.ref)], acting_user=somme.coordinator)
    assert errors == {} and len(made) == 1
    young = services.start_run(somme.programme, acting_user=somme.coordinator)
    now = frozen_now
    MatchingRun.objects.filter(pk=old.pk).update(
        created_at=now - 90 * DAY - datetime.timedelta(minutes=1)
    )
    MatchingRun.objects.filter(pk=young.pk).update(created_at=now - 89 * DAY)

    assert purge_runs_task(now, dry_run=True) == (
        "1 appariement de plus de 90 jours serait supprimé (simulation)."
    )
    out = io.StringIO()
    call_command("daily", "--dry-run", stdout=out)  # `seuil daily` runs it too
    assert "1 appariement de plus de 90 jours serait supprimé (simulation)." in (out.getvalue())
    assert MatchingRun.objects.count() == 2

    line = purge_runs_task(now)

    assert line == "1 appariement de plus de 90 jours supprimé."
    assert list(MatchingRun.objects.all()) == [young]
    proposal = Proposal.objects.get()
    assert (proposal.referral, proposal.vacancy, proposal.matching_run) == (awa, unit, None)


def test_a_pair_that_no_plan_made_is_refused(client, somme):
    run = services.start_run(somme.programme, acting_user=somme.coordinator)
    chen, unit = somme.referrals["Chen"], somme.vacancies["L-T3"]
    planned = {(a["household"], a["unit"]) for r in run.results.values() for a in r["assignments"]}
    assert (chen.ref, unit.ref) not in planned
    client.force_login(somme.coordinator)

    response = client.post(
        reverse("matching:accept_pairs", args=[run.uuid]),
        {"pair": f"{chen.ref}|{unit.ref}"},
        follow=True,
    )

    page = response.content.decode()
    assert f"Ménage {chen.ref}, logement {unit.ref}" in page
    assert "Cette paire ne fait partie d&#x27;aucun plan de cet appariement." in page
    assert not Proposal.objects.exists()


def test_a_failed_computation_is_said_in_french_without_its_traceback(client, somme, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("solver exploded at line 42 with secret internals")

    monkeypatch.setattr(services, "solve_methods", broken)
    client.force_login(somme.coordinator)

    response = client.post(
        reverse("matching:runs"), {"programme": somme.programme.uuid}, follow=True
    )

    run = MatchingRun.objects.get()
    assert run.status == RunStatus.FAILED and run.results == {}
    page = response.content.decode()
    assert "Le calcul a échoué (RuntimeError)." in page
    assert "Relancez l'appariement" in page
    assert "Traceback" not in page and "secret internals" not in page
    assert "Pourquoi ce ménage pour ce logement" not in page
