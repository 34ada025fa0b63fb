"""Loading the demo: a realistic IML operator of the Somme over five years, and one user
per role.

`load_demo()` plans everything in plain Python (`plan.plan_demo`), checks the plan, then
writes it in one transaction, part by part: the housing stock, the households, their stays,
their sensitive parts, the change history, then orientation, matching, support, the
follow-ups after exit and the national mobility paths (through their services, as a user
would). It loads once: when the demo operator (ref `apremis`) already exists, only the
missing organisations and users are added.
"""

import datetime

from django.db import transaction
from django.db.models import Prefetch

from seuil.core.history import BulkRecorder
from seuil.core.models import Organisation
from seuil.households.models import Household
from seuil.housing.models import HousingUnit, Stay
from seuil.housing.services import evictions_written
from seuil.notifications.services import without_email

from . import households, housing
from .matching import write_matching_demo
from .mobility import write_mobility_demo
from .notifications import write_notifications_demo
from .organisations import (
    DEMO_ORGANISATION_REF,
    ensure_demo_organisations,
    ensure_demo_users,
)
from .orientation import write_orientation_demo
from .outcomes import write_outcomes_demo
from .plan import DEMO_SEED, check_plan, plan_demo
from .support import write_support_demo
from .tenancy import write_tenancy_demo
from .tenancy_upkeep import write_upkeep_demo


@transaction.atomic
def load_demo(today=None, seed=DEMO_SEED):
    """Load the demo once; return its counts, or None when it was already loaded.

    The organisations and the demo users are created when missing, in both cases.
    """
    today = today or datetime.date.today()
    already_loaded = Organisation.objects.filter(ref=DEMO_ORGANISATION_REF).exists()
    organisations = ensure_demo_organisations()
    ensure_demo_users(organisations)
    if already_loaded:
        return None
    plan = plan_demo(today, seed)
    errors = check_plan(plan)
    if errors:
        raise RuntimeError("Plan de démonstration incohérent : " + "; ".join(errors))
    return _write(plan, organisations)


def _write(plan, organisations):
    operator = organisations[DEMO_ORGANISATION_REF]
    programmes, units = housing.write_stock(plan, operator, organisations)
    written, persons = households.write_households(plan, operator)
    stays = housing.write_stays(plan, operator, written, programmes, units)
    households.write_sensitive_parts(plan.today, organisations)
    _record_demo_history(operator)
    # Orientation: requests at every stage, a commission, the waiting list, vacancies and
    # proposals (through the orientation services); then matching. The notifications these
    # steps write are the past: no e-mail leaves.
    with without_email():
        write_orientation_demo(plan.today, organisations)
        write_matching_demo(plan.today, organisations)
    write_notifications_demo()
    # Tenancy: sub-leases, five years of rent calls and payments, plans, housing benefit
    # received, charges regularised, inspections.
    write_tenancy_demo(plan.today, operator)
    # The dwellings: inspections room by room, repairs, home insurance certificates.
    write_upkeep_demo(plan.today, operator)
    # The eviction procedures of the stays become prevention cases (as after an import).
    evictions_written(Stay.objects.filter(organisation=operator).values("pk"))
    # Support last: contracts and amendments, objectives, referents, contacts, the week.
    write_support_demo(plan.today, organisations)
    # Outcomes: follow-ups after the exits to housing, exit checklists.
    write_outcomes_demo(plan.today, organisations)
    # National mobility: paths from a shelter in Île-de-France to the Somme, step by step,
    # the households that went the whole way followed after their exit.
    write_mobility_demo(plan.today, organisations)
    return {
        "units": len(units),
        "households": len(plan.households),
        "persons": persons,
        "stays": stays,
        "present": Stay.objects.filter(organisation=operator).present_on(plan.today).count(),
        "vacant": HousingUnit.objects.filter(organisation=operator).vacant_on(plan.today).count(),
    }


def _record_demo_history(operator):
    """The demo's household files were written by this command: their creation goes in the
    change history (no user: a command), as an import's would."""
    recorder = BulkRecorder(organisation=operator)
    files = Household.objects.filter(organisation=operator).prefetch_related(
        "memberships__person__legal_status_records",
        "resource_records",
        Prefetch("stays", queryset=Stay.objects.select_related("unit", "programme")),
    )
    for household in files:
        parts = [household, *household.resource_records.all(), *household.stays.all()]
        for membership in household.memberships.all():
            parts += [membership.person, membership, *membership.person.legal_status_records.all()]
        for part in parts:
            recorder.add(part, household=household)
    recorder.write()
