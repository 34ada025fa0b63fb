"""A coordinator matches the programme's waiting list to its vacant units from the
application: the instance read from the data, the plans, "pourquoi", proposals."""

import pytest
from django.urls import reverse

from seuil.matching import adapters, services
from seuil.matching.enums import RunStatus
from seuil.matching.models import MatchingRun
from seuil.orientation.enums import ProposalStatus
from seuil.orientation.models import Proposal
from tests.matching.scenario import admit, scene, vacant
from tests.orientation.flow import today

pytestmark = pytest.mark.usefixtures("today")  # the clock on the fixed day, TODAY


@pytest.fixture
def somme(db):
    s = scene()
    admit(s, "Awa", adults=2, children=2, bearable_rent=700, received_days_ago=400)
    admit(s, "Bilal", adults=1, bearable_rent=500, received_days_ago=100)
    admit(s, "Chen", adults=1, resources=1000, benefit=200, wishes=("60",))
    vacant(s, "L-T4", typology="T4", rent=550, charges=80)
    vacant(s, "L-T1", typology="T1", rent=320, charges=40)
    return s


def test_the_instance_is_read_from_the_waiting_list_and_the_vacancies(somme):
    instance, links, left_out = adapters.build_instance(somme.coordinator, somme.programme, today())
    households = {h["ref"]: h for h in instance["households"]}
    awa = households[somme.referrals["Awa"].ref]
    assert (awa["adults"], awa["children"], awa["head_sex"]) == (2, 2, "F")
    assert awa["max_rent"] == 700 and awa["wishes"] == ["80"] and awa["waiting_days"] == 400
    chen = households[somme.referrals["Chen"].ref]
    assert chen["max_rent"] == 500  # 30 % of 1,000 + 200 of housing benefit
    units = {u["ref"]: u for u in instance["units"]}
    t4 = units[somme.vacancies["L-T4"].ref]
    assert (t4["typology"], t4["territory"], t4["rent"], t4["charges"]) == ("T4", "80", 550, 80)
    assert left_out == []
    assert set(links["households"].values()) == {r.pk for r in somme.referrals.values()}


def test_a_run_shows_the_plan_why_and_who_is_left_out(client, somme):
    client.force_login(somme.coordinator)
    response = client.post(reverse("matching:runs"), {"programme": somme.programme.uuid})
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Pourquoi ce ménage pour ce logement" in page
    assert "TEST Awa" in page and "TEST Bilal" in page
    # Chen only wants the Oise, where the programme has no vacant unit.
    assert "Aucun logement possible dans les territoires qu&#x27;il a choisis" in page
    assert "Glouton" in page and "Sériel" in page


def test_accepted_pairs_become_proposals(client, somme):
    run = services.start_run(somme.programme, acting_user=somme.coordinator)
    assert run.status == RunStatus.DONE
    pairs = {(a["household"], a["unit"]) for a in run.results["optimal"]["assignments"]}
    assert (somme.referrals["Awa"].ref, somme.vacancies["L-T4"].ref) in pairs
    client.force_login(somme.coordinator)
    token = f"{somme.referrals['Awa'].ref}|{somme.vacancies['L-T4'].ref}"
    client.post(reverse("matching:accept_pairs", args=[run.uuid]), {"pair": token})
    proposal = Proposal.objects.get(referral=somme.referrals["Awa"])
    assert proposal.vacancy == somme.vacancies["L-T4"] and proposal.matching_run == run
    assert proposal.status == ProposalStatus.PROPOSED
    assert proposal.proposed_by == somme.coordinator
    # Proposed twice: refused with the reason, nothing else made.
    response = client.post(
        reverse("matching:accept_pairs", args=[run.uuid]), {"pair": token}, follow=True
    )
    assert "déjà une proposition en cours" in response.content.decode()
    assert Proposal.objects.count() == 1


def test_a_large_run_is_computed_in_the_background_with_progress(
    client, somme, settings, django_capture_on_commit_callbacks
):
    from django.utils.module_loading import import_string
    from django_tasks_db.models import DBTaskResult

    settings.SEUIL_MATCHING_INLINE_MAX = 1
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_run(somme.programme, acting_user=somme.coordinator)
    run.refresh_from_db()
    assert run.status == RunStatus.QUEUED
    client.force_login(somme.coordinator)
    page = client.get(reverse("matching:run_detail", args=[run.uuid])).content.decode()
    assert "<progress" in page and "Lecture des listes d&#x27;attente" in page
    # The queued task is what `seuil db_worker` runs: run it as the worker would.
    [queued] = DBTaskResult.objects.filter(task_path__endswith="run_matching")
    assert queued.args_kwargs["args"] == [str(run.uuid)]
    import_string(queued.task_path).call(*queued.args_kwargs["args"])
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and run.progress == 100
    response = client.get(
        reverse("matching:run_detail", args=[run.uuid]), headers={"HX-Request": "true"}
    )
    assert response.headers["HX-Refresh"] == "true"


def test_a_job_offer_in_a_departement_counts_as_the_best_employment_prospects(client, somme):
    from seuil.matching.models import TerritoryEmployment
    from seuil.orientation.models import Assessment

    TerritoryEmployment.objects.create(
        organisation=somme.siao, territory="80", employment_score=0.25, effective_from=today()
    )
    bilal = somme.referrals["Bilal"]
    Assessment.objects.filter(request__referral=bilal).update(job_territory="80")
    run = services.start_run(somme.programme, acting_user=somme.coordinator)
    households = {h["ref"]: h for h in run.instance["households"]}
    assert households[bilal.ref]["employment"] == {"80": 1.0}
    assert "employment" not in households[somme.referrals["Awa"].ref]
    components = {
        a["household"]: a["components"]["employment"] for a in run.results["optimal"]["assignments"]
    }
    assert components[bilal.ref] == 400 and components[somme.referrals["Awa"].ref] == 100
    client.force_login(somme.coordinator)
    page = client.get(reverse("matching:run_detail", args=[run.uuid])).content.decode()
    assert "Emploi ou promesse d&#x27;embauche du ménage dans le 80" in page


def test_the_assessment_form_checks_the_departement_of_a_job_offer():
    from seuil.orientation.forms.requests import AssessmentForm

    form = AssessmentForm({"job_territory": "99"})
    form.is_valid()
    assert form.errors["job_territory"] == [
        "« 99 » n'est pas un code de département : indiquez son numéro, par exemple 80 pour "
        "la Somme."
    ]


def test_a_run_can_cap_a_departement_and_compares_the_baselines_to_the_cap(client, somme):
    client.force_login(somme.coordinator)
    response = client.post(
        reverse("matching:runs"),
        {"programme": somme.programme.uuid, "territory_quotas": "80 : 1"},
        follow=True,
    )
    page = response.content.decode()
    run = response.context["run"]
    assert run.instance["constraints"] == {"territory_quotas": {"80": {"max": 1}}}
    assert len(run.results["optimal"]["assignments"]) == 1
    assert len(run.results["greedy"]["assignments"]) == 2  # the baselines ignore the cap
    assert "Au plus 1 ménage logé dans le 80" in page
    assert "respecté : 1 ménage logé" in page and "non respecté : 2 ménages logés" in page


def test_the_run_form_explains_what_is_wrong_with_the_rules(client, somme):
    client.force_login(somme.coordinator)
    url = reverse("matching:runs")
    page = client.post(url, {"programme": somme.programme.uuid, "priority_points": 10}).content
    assert "donnez à la fois le nombre de points et la part" in page.decode()
    page = client.post(url, {"programme": somme.programme.uuid, "territory_quotas": "Somme 3"})
    assert "n&#x27;est pas de la forme « département : nombre »" in page.content.decode()
    assert not MatchingRun.objects.exists()


def test_a_priority_share_is_kept_by_the_optimal_plan(somme):
    plain = services.start_run(somme.programme, acting_user=somme.coordinator)
    top = max(h["priority_points"] for h in plain.instance["households"])
    assert len(plain.results["optimal"]["assignments"]) == 2
    # Every placement for the households with the most points: only Awa may be housed.
    run = services.start_run(
        somme.programme,
        acting_user=somme.coordinator,
        constraints={"min_priority_share": {"min_points": top, "share": 1.0}},
    )
    report = run.results["optimal"]["constraints"]["min_priority_share"]
    assert report["satisfied"] and (report["band_placements"], report["placements"]) == (1, 1)
    [pair] = run.results["optimal"]["assignments"]
    assert pair["household"] == somme.referrals["Awa"].ref


def test_a_run_says_it_was_interrupted_once_no_worker_gives_a_sign_of_life(
    client, somme, frozen_now
):
    import datetime

    from seuil.core.workers import beat

    run = services.start_run(somme.programme, acting_user=somme.coordinator)
    MatchingRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, created_at=frozen_now - datetime.timedelta(hours=2)
    )
    client.force_login(somme.coordinator)
    beat("worker-1", started_at=frozen_now, now=frozen_now - datetime.timedelta(seconds=20))
    page = client.get(reverse("matching:run_detail", args=[run.uuid])).content.decode()
    assert "Calcul en cours" in page  # a long run, its worker alive: no alarm
    assert "ne donne plus signe de vie" not in page
    beat("worker-1", started_at=frozen_now, now=frozen_now - datetime.timedelta(minutes=2))
    page = client.get(reverse("matching:run_detail", args=[run.uuid])).content.decode()
    assert "ne donne plus signe de vie : ce calcul est interrompu" in page
