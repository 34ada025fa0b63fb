"""Matching runs: start one (at once when small, in the background when large), compute its
plans with progress, turn the pairs a person accepts into proposals, delete old runs."""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from seuil.core.audit import record_selected
from seuil.orientation.models import Referral, Vacancy
from seuil.orientation.services.proposals import make_proposal

from . import adapters, plan
from .engine import METHODS, WarmStart, solve_methods
from .enums import RunStatus
from .models import RUN_RETENTION_DAYS, MatchingRun

logger = logging.getLogger(__name__)


def runs_in_background(instance):
    households, units = len(instance["households"]), len(instance["units"])
    return households * units > settings.SEUIL_MATCHING_INLINE_MAX


def start_run(programme, *, acting_user, constraints=None):
    """Lancer un appariement des ménages en attente sur la liste d'un dispositif avec ses
    logements vacants (avec, si on le demande, une part minimale pour les ménages
    prioritaires ou des plafonds par département) : calculé aussitôt s'il est petit, en
    arrière-plan sinon."""
    day = timezone.localdate()
    with transaction.atomic():
        instance, links, left_out = adapters.build_instance(acting_user, programme, day)
        if constraints:
            instance["constraints"] = constraints
        run = MatchingRun.objects.create(
            organisation_id=acting_user.organisation_id,
            programme=programme,
            day=day,
            created_by=acting_user,
            instance=instance,
            links=links,
            left_out=left_out,
            step="instance",
        )
        referral_ids = list(links["households"].values())
        referral_ids += [item["id"] for item in left_out if item["kind"] == "household"]
        # One access-log row per household the run reads, written by one INSERT … SELECT.
        record_selected(acting_user, Referral.objects.filter(pk__in=referral_ids))
        if runs_in_background(instance):
            from .tasks import run_matching

            transaction.on_commit(lambda: run_matching.enqueue(str(run.uuid)))
            return run
    return execute_run(run)


def _report(run):
    def progress(step, done, total):
        MatchingRun.objects.filter(pk=run.pk).update(
            status=RunStatus.RUNNING, step=step, progress=min(100, 100 * done // total)
        )

    return progress


def warm_start(run):
    """The `WarmStart` of `run`: the optimal plan and prices of the programme's last run
    finished before it (the day before, usually), or none to start from (the plan is then
    solved from scratch). The engine repairs that plan and proves the result optimal."""
    previous = (
        MatchingRun.objects.filter(
            organisation_id=run.organisation_id,
            programme_id=run.programme_id,
            status=RunStatus.DONE,
            created_at__lte=run.created_at,
        )
        .exclude(pk=run.pk)
        .exclude(prices={})
        .order_by("-created_at", "-id")
        .values_list("results__optimal__assignments", "prices")
        .first()
    )
    if previous is None or not previous[0]:
        return WarmStart()
    assignments, prices = previous
    return WarmStart(
        assignments={pair["household"]: pair["unit"] for pair in assignments}, prices=prices
    )


def execute_run(run):
    """Compute the run's three plans, saving its progress as it goes, and what its page
    shows; the optimal plan repaired from the programme's previous run when it can be
    (`warm_start`), and the prices that prove it kept for the next one."""
    MatchingRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, step="eligibility")
    try:
        warm = warm_start(run)
        results = solve_methods(run.instance, METHODS, progress=_report(run), warm=warm)
    except Exception as exc:  # noqa: BLE001 — the run says it failed; nothing is half-written
        logger.exception("matching run %s failed", run.uuid)
        run.status, run.error = RunStatus.FAILED, f"Le calcul a échoué ({type(exc).__name__})."
    else:
        run.status, run.results, run.progress, run.step = RunStatus.DONE, results, 100, "done"
        run.prices = warm.next_prices
    run.finished_at = timezone.now()
    with transaction.atomic():
        if run.status == RunStatus.DONE:
            plan.store_page(run)  # what its page shows, written once
        run.save(
            update_fields=[
                "status",
                "results",
                "prices",
                "shown",
                "progress",
                "step",
                "error",
                "finished_at",
            ]
        )
    return run


def plan_pairs(run):
    """{(household ref, unit ref)} of every plan of the run."""
    return {
        (pair["household"], pair["unit"])
        for result in run.results.values()
        for pair in result["assignments"]
    }


def accept_pairs(run, pairs, *, acting_user):
    """Faire des paires retenues d'un appariement des propositions de logement (une par
    paire, chacune vérifiée comme une proposition faite à la main).

    Returns (proposals made, {(household ref, unit ref): [French messages]})."""
    today = timezone.localdate()
    known = plan_pairs(run)
    matchable = set(
        adapters.matchable_referrals(acting_user, run.programme, today).values_list("pk", flat=True)
    )
    made, errors = [], {}
    for pair in sorted(set(pairs)):
        household_ref, unit_ref = pair
        referral_id = run.links.get("households", {}).get(household_ref)
        vacancy_id = run.links.get("units", {}).get(unit_ref)
        if pair not in known or referral_id is None or vacancy_id is None:
            errors[pair] = ["Cette paire ne fait partie d'aucun plan de cet appariement."]
            continue
        if referral_id not in matchable:
            errors[pair] = ["Ce ménage n'est plus sur une liste d'attente que vous appariez."]
            continue
        try:
            with transaction.atomic():
                made.append(
                    make_proposal(
                        Vacancy.objects.get(pk=vacancy_id),
                        Referral.objects.get(pk=referral_id),
                        proposed_on=today,
                        acting_user=acting_user,
                        matching_run=run,
                    )
                )
        except ValidationError as exc:
            errors[pair] = exc.messages
    return made, errors


def purge_runs(now, *, dry_run=False):
    """Delete the runs started more than `RUN_RETENTION_DAYS` days ago (their proposals stay)."""
    old = MatchingRun.objects.filter(
        created_at__lt=now - datetime.timedelta(days=RUN_RETENTION_DAYS)
    )
    count = old.count()
    if not dry_run:
        old.delete()
    return count
