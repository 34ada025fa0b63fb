"""The demo's tenancy: a sub-lease for every stay in a sub-let unit, five years of rent calls
and payments, with the stories of the field.

Most households pay on the due date (direct debit, transfer, at the counter); some pay late
or in part; one pays a little more (a credit); the CAF suspends one household's housing
benefit for three months and the FSL clears the debt; one repayment plan is kept to the end,
another broken (a rent left unpaid today, late); one household leaves with a debt. Entries
and exits have their inspections, the lease transfers a pre-exit inspection.

The CAF pays the housing benefit of most months early in the next one; it did not pay
the last two months of one household (its file under review) nor one month of another,
and paid a third household's last month at another amount. Three households have the
charges of a year regularised: two pay the difference, one gets a refund that it takes off
its next payment.

Drawn from a generator of its own (the demo's seed and a salt), so that the rest of the
demo stays as it was; written in a few bulk inserts.
"""

import datetime
import random
from decimal import ROUND_HALF_UP, Decimal

from seuil.core.refs import seeded_ref
from seuil.housing.enums import ManagementMode
from seuil.housing.models import Stay
from seuil.tenancy import closings
from seuil.tenancy.benefit import expected_by
from seuil.tenancy.models import (
    BenefitReceipt,
    ChargesRegularisation,
    CsvMapping,
    Inspection,
    Instalment,
    Payment,
    RentCall,
    RepaymentPlan,
    SubLease,
    SubLeaseTerm,
    first_of_month,
    next_month,
)
from seuil.tenancy.services import call_of_month

from .plan import DEMO_SEED

CENT = Decimal("0.01")
DAY = datetime.timedelta(days=1)
DUE_DAY = 5
METHODS = ["direct_debit", "direct_debit", "transfer", "transfer", "cash", "cheque", "card"]


def _money(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _terms(rng, stay, today):
    """The dated terms of a stay's sub-lease: the unit's rent and charges, housing benefit
    paid to the operator for most, revised each 1 January by 1.5 %."""
    unit = stay.unit
    rent, charges = Decimal(unit.rent), Decimal(unit.charges or 0)
    benefit = _money(rent * Decimal(rng.choice(["0", "0.45", "0.55", "0.6", "0.65", "0.7"])))
    terms = [(stay.entered_on, rent, charges, benefit)]
    year = stay.entered_on.year + 1
    end = min(stay.exited_on or today, today)
    while datetime.date(year, 1, 1) <= end:
        rent = _money(rent * Decimal("1.015"))
        terms.append((datetime.date(year, 1, 1), rent, charges, benefit))
        year += 1
    return terms


class _Payer:
    """Payments of one household, month by month, by its profile."""

    def __init__(self, rng, sub_lease, today):
        self.rng = rng
        self.sub_lease = sub_lease
        self.today = today
        self.method = rng.choice(METHODS)
        self.payments = []

    def pay(self, day, amount, method=None):
        if amount > 0 and day <= self.today:
            self.payments.append((day, _money(amount), method or self.method))


def _profiles(rng, sub_leases, terms, today):
    """sub_lease ref → profile: a few stories, the rest pay on time. Present households of
    eight months or more live the present stories (the CAF suspends one that receives
    housing benefit); households that stayed fifteen months or more the past ones."""
    present = [
        s
        for s in sub_leases
        if s.stay.exited_on is None and (today - s.stay.entered_on).days >= 240
    ]
    exited = [
        s
        for s in sub_leases
        if s.stay.exited_on and (s.stay.exited_on - s.stay.entered_on).days >= 450
    ]
    rng.shuffle(present)
    rng.shuffle(exited)
    profiles = {}
    helped = [s for s in present if terms[s.ref][0].housing_benefit > 0]
    if helped:
        profiles[helped[0].ref] = "caf_suspension"
    others = [s for s in present if s.ref not in profiles]
    for story, sub_lease in zip(["plan_broken", "late", "late", "overpays"], others, strict=False):
        profiles[sub_lease.ref] = story
    for story, sub_lease in zip(["plan_kept", "leaves_a_debt"], exited, strict=False):
        profiles[sub_lease.ref] = story
    return profiles


def write_tenancy_demo(today, operator):
    """Write the demo's tenancy for the operator's stays; returns the number of sub-leases."""
    rng = random.Random(f"{DEMO_SEED}-tenancy")  # nosec B311: demo data
    stays = [
        s
        for s in Stay.objects.filter(organisation=operator)
        .select_related("unit")
        .order_by("entered_on", "pk")
        if s.unit.management_mode != ManagementMode.MANDATE and s.unit.rent is not None
    ]
    sub_leases, terms = [], {}
    for number, stay in enumerate(stays, start=1):
        sub_lease = SubLease(
            organisation=operator,
            ref=seeded_ref(SubLease, number),
            stay=stay,
            signed_on=stay.entered_on,
            tripartite=rng.random() < 0.4,
            due_day=DUE_DAY,
            deposit=Decimal(stay.unit.rent),
            deposit_received_on=stay.entered_on,
        )
        sub_leases.append(sub_lease)
        terms[sub_lease.ref] = [
            SubLeaseTerm(starts_on=on, rent=r, charges=c, housing_benefit=b)
            for on, r, c, b in _terms(rng, stay, today)
        ]
    profiles = _profiles(rng, sub_leases, terms, today)
    _caf_suspension(today, sub_leases, terms, profiles)
    SubLease.objects.bulk_create(sub_leases)
    regularised = _regularised(sub_leases, profiles, today)
    all_terms, calls, payments, plans, instalments = [], [], [], [], []
    regularisations = []
    for sub_lease in sub_leases:
        for term in terms[sub_lease.ref]:
            term.sub_lease = sub_lease
            all_terms.append(term)
        own_calls = _calls(sub_lease, terms[sub_lease.ref], today)
        calls += own_calls
        payer = _Payer(rng, sub_lease, today)
        plan = _pay(payer, own_calls, profiles.get(sub_lease.ref, "on_time"))
        if plan is not None:
            plans.append(plan[0])
            instalments += plan[1]
        if sub_lease.ref in regularised:
            year, factor = regularised[sub_lease.ref]
            regularisations.append(_regularise(payer, own_calls, year, factor))
        payments += [
            Payment(
                organisation=operator,
                ref=seeded_ref(Payment, f"{sub_lease.ref}-{i}"),
                sub_lease=sub_lease,
                paid_on=day,
                amount=amount,
                method=method,
            )
            for i, (day, amount, method) in enumerate(payer.payments, start=1)
        ]
    SubLeaseTerm.objects.bulk_create(all_terms)
    RentCall.objects.bulk_create(calls)
    Payment.objects.bulk_create(payments)
    RepaymentPlan.objects.bulk_create(plans)
    Instalment.objects.bulk_create(instalments)
    ChargesRegularisation.objects.bulk_create(regularisations)
    BenefitReceipt.objects.bulk_create(_benefit_receipts(sub_leases, calls, profiles, today))
    Inspection.objects.bulk_create(_inspections(operator, stays))
    _bank_statement(operator, today, sub_leases, profiles, calls)
    _prevention(operator, today, sub_leases, profiles)
    # What `seuil daily` keeps: the closings of the accounts at the past years' ends.
    closings.build(today)
    return len(sub_leases)


# ---------------------------------------------------------------- charges regularisation

# How the real charges compare with the provisions called, for the three regularisations:
# more (called), less (refunded), a little more.
REGULARISATION_FACTORS = (Decimal("1.12"), Decimal("0.85"), Decimal("1.05"))
REGULARISED_ON = (2, 15)  # the charges of a year are regularised on 15 February after it


def _regularised(sub_leases, profiles, today):
    """sub_lease ref → (year, factor of the real charges): the three latest regularisations
    of a calendar year (the household there from 30 September at the latest, still there
    when it is done) among the households paying on time, with charges."""
    candidates = []
    for s in sub_leases:
        stay = s.stay
        if s.ref in profiles or not (stay.unit.charges or 0) > 0:
            continue
        for year in range(stay.entered_on.year, today.year):
            on = datetime.date(year + 1, *REGULARISED_ON)
            present = stay.exited_on is None or stay.exited_on > on
            if stay.entered_on <= datetime.date(year, 9, 30) and present and on <= today:
                candidates.append((on, s.ref, year))
    candidates.sort(key=lambda c: (-c[0].toordinal(), c[1]))
    chosen = {}
    for _, ref, year in candidates:
        if ref not in chosen and len(chosen) < len(REGULARISATION_FACTORS):
            chosen[ref] = (year, REGULARISATION_FACTORS[len(chosen)])
    return chosen


def _regularise(payer, calls, year, factor):
    """The regularisation of the charges of `year` of `payer`'s sub-lease (from its entry
    when it came that year): a difference called is paid ten days later; a refund is taken
    off the next payment."""
    start = max(datetime.date(year, 1, 1), payer.sub_lease.stay.entered_on)
    end = datetime.date(year, 12, 31)
    provisions = sum(
        (c.charges for c in calls if first_of_month(start) <= c.month <= end), Decimal(0)
    )
    actual = _money(provisions * factor)
    on = datetime.date(year + 1, *REGULARISED_ON)
    difference = actual - provisions
    if difference > 0:
        payer.pay(on + DAY * 10, difference)
    elif difference < 0:
        payments = payer.payments
        for i, (day, amount, method) in enumerate(payments):
            if day >= on and amount > -difference:
                payments[i] = (day, amount + difference, method)
                break
    return ChargesRegularisation(
        organisation=payer.sub_lease.organisation,
        ref=seeded_ref(ChargesRegularisation, f"{payer.sub_lease.ref}-{year}"),
        sub_lease=payer.sub_lease,
        period_start=start,
        period_end=end,
        provisions=provisions,
        actual=actual,
        difference=difference,
        on=on,
    )


# ---------------------------------------------------------------- housing benefit received

BENEFIT_PAID_ON_DAY = 5  # the CAF pays a month's benefit early in the next one
BENEFIT_RECALCULATED = Decimal("35.00")  # less paid on one household's last month


def _benefit_stories(sub_leases, profiles, calls_of, today):
    """sub_lease ref → the CAF's story: the last two months due not paid (`review`), one
    month five months ago not paid (`gap`), the last month due paid at another amount
    (`recalculated`); for households present, helped for six months or more (the
    household whose benefit was suspended aside)."""
    helped = [
        s
        for s in sub_leases
        if profiles.get(s.ref) != "caf_suspension"
        and s.stay.exited_on is None
        and len(_benefit_due(calls_of.get(s.ref, []), today)) >= 6
    ]
    rng = random.Random(f"{DEMO_SEED}-tenancy-benefit")  # nosec B311: demo data
    rng.shuffle(helped)
    return {
        s.ref: story for s, story in zip(helped, ("review", "gap", "recalculated"), strict=False)
    }


def _benefit_due(calls, today):
    """The calls expecting housing benefit whose benefit is due by `today`."""
    return [c for c in calls if c.housing_benefit > 0 and today > expected_by(c.month)]


def _benefit_receipts(sub_leases, calls, profiles, today):
    """What the CAF paid the operator, month by month, up to `today`."""
    calls_of = {}
    for call in calls:
        calls_of.setdefault(call.sub_lease.ref, []).append(call)
    stories = _benefit_stories(sub_leases, profiles, calls_of, today)
    receipts = []
    for sub_lease in sub_leases:
        own = calls_of.get(sub_lease.ref, [])
        due = _benefit_due(own, today)
        story = stories.get(sub_lease.ref)
        unpaid = {
            "review": {c.month for c in due[-2:]},
            "gap": {c.month for c in due[-5:-4]},
        }.get(story, set())
        for call in own:
            received_on = next_month(call.month).replace(day=BENEFIT_PAID_ON_DAY)
            if call.housing_benefit <= 0 or received_on > today or call.month in unpaid:
                continue
            amount = call.housing_benefit
            if story == "recalculated" and call.month == due[-1].month:
                amount = max(amount - BENEFIT_RECALCULATED, amount / 2)
            receipts.append(
                BenefitReceipt(
                    organisation=sub_lease.organisation,
                    sub_lease=sub_lease,
                    month=call.month,
                    received_on=received_on,
                    amount=amount,
                )
            )
    return receipts


def _prevention(operator, today, sub_leases, profiles):
    """The cases the late rents open; the household whose plan broke goes through a
    reminder, an FSL request and the CCAPEX."""
    from seuil.tenancy import prevention
    from seuil.tenancy.models import PreventionCase

    prevention.open_cases(operator, today)
    broken = [s for s in sub_leases if profiles.get(s.ref) == "plan_broken"]
    case = PreventionCase.objects.filter(sub_lease__in=broken).first()
    if case is None:
        return
    for stage, after in (("reminder", 7), ("fsl_request", 20), ("ccapex_referral", 45)):
        on = case.opened_on + DAY * after
        if on <= today:
            prevention.add_step(case, stage, on, by=None)


def _bank_statement(operator, today, sub_leases, profiles, calls):
    """Yesterday's bank statement, imported and left to reconcile: the transfers of the
    households that pay late (their rent of the month, not booked yet) and a grant that is
    no rent; and the column mapping of the bank's CSV exports."""
    from seuil.tenancy import bank

    yesterday = today - DAY
    lines = []
    for sub_lease in sub_leases:
        if profiles.get(sub_lease.ref) != "late":
            continue
        current = [
            c for c in calls if c.sub_lease is sub_lease and c.month == first_of_month(today)
        ]
        if current:
            lines.append(
                bank.Line(
                    yesterday,
                    current[0].share,
                    payer=f"MENAGE {sub_lease.stay.household.ref}",
                    label=f"LOYER {today:%m/%Y} {sub_lease.ref}",
                    bank_ref=f"DEMO-{sub_lease.ref}-{today:%Y%m}",
                )
            )
    lines.append(
        bank.Line(
            yesterday,
            Decimal("1500.00"),
            payer="DDETS DE LA SOMME",
            label="SUBVENTION IML",
            bank_ref=f"DEMO-SUBVENTION-{today:%Y%m}",
        )
    )
    bank.import_statement(operator, lines, kind="camt053", filename="releve-demo.xml")
    CsvMapping.objects.get_or_create(organisation=operator)


def _caf_suspension(today, sub_leases, terms, profiles):
    """The CAF stops paying one household's housing benefit for three months."""
    for sub_lease in sub_leases:
        if profiles.get(sub_lease.ref) != "caf_suspension":
            continue
        start = first_of_month(today - datetime.timedelta(days=240))
        back = next_month(next_month(next_month(start)))
        own = terms[sub_lease.ref]
        before = [t for t in own if t.starts_on <= start][-1]
        own.append(
            SubLeaseTerm(
                starts_on=start, rent=before.rent, charges=before.charges, housing_benefit=0
            )
        )
        after = [t for t in own if t.starts_on <= back and t.housing_benefit][-1]
        own.append(
            SubLeaseTerm(
                starts_on=back,
                rent=after.rent,
                charges=after.charges,
                housing_benefit=before.housing_benefit,
            )
        )
        # A revision inside the suspension keeps the benefit suspended.
        for term in own:
            if start < term.starts_on < back:
                term.housing_benefit = Decimal(0)
        own.sort(key=lambda t: t.starts_on)
        terms[sub_lease.ref] = _one_per_day(own)


def _one_per_day(terms):
    by_day = {}
    for term in terms:
        by_day[term.starts_on] = term
    return [by_day[day] for day in sorted(by_day)]


def _calls(sub_lease, terms, today):
    """The calls of every month of the stay up to the current one."""
    calls = []
    month = first_of_month(sub_lease.stay.entered_on)
    last = first_of_month(min(sub_lease.stay.exited_on or today, today))
    while month <= last:
        call = call_of_month(sub_lease, month, terms)
        if call is not None:
            calls.append(call)
        month = next_month(month)
    return calls


def _pay(payer, calls, profile):
    """The payments of one household; returns (plan, instalments) when it has a plan."""
    rng = payer.rng
    n = len(calls)
    if profile == "on_time":
        for call in calls:
            payer.pay(call.due_on + DAY * rng.choice([-3, -1, 0, 0, 0, 1, 2]), call.share)
        return None
    if profile == "late":
        for call in calls:
            payer.pay(call.due_on + DAY * rng.randint(20, 45), call.share)
        return None
    if profile == "overpays":
        for i, call in enumerate(calls):
            extra = Decimal(20) if i % 6 == 0 else Decimal(0)
            payer.pay(call.due_on, call.share + extra)
        return None
    if profile == "caf_suspension":
        # The household goes on paying its usual share: the suspended benefit becomes a
        # debt, which the FSL clears three months after the benefit is back.
        benefit = max(c.housing_benefit for c in calls)
        suspended = [c for c in calls[-12:] if c.housing_benefit == 0]
        for call in calls:
            payer.pay(call.due_on, call.share - (benefit if call in suspended else 0))
        if suspended:
            payer.pay(suspended[-1].due_on + DAY * 95, benefit * len(suspended), "fsl")
        return None
    if profile == "leaves_a_debt":
        for i, call in enumerate(calls):
            if i < n - 4:
                payer.pay(call.due_on, call.share)
            elif i < n - 1:
                payer.pay(call.due_on + DAY * 20, call.share / 2)
        return None
    # A repayment plan: three months unpaid, then the plan; kept to the end, or broken
    # after two instalments (and nothing paid since: late today).
    start = n - 8 if profile == "plan_broken" else n // 2 - 6
    start = max(start, 1)
    for call in calls[:start]:
        payer.pay(call.due_on, call.share)
    unpaid = calls[start : start + 3]
    debt = sum((c.share for c in unpaid), Decimal(0))
    agreed_on = unpaid[-1].due_on + DAY * 20
    count = 6
    each = _money(debt / count)
    amounts = [each] * (count - 1) + [debt - each * (count - 1)]
    plan = RepaymentPlan(
        organisation=payer.sub_lease.organisation,
        ref=seeded_ref(RepaymentPlan, payer.sub_lease.ref),
        sub_lease=payer.sub_lease,
        agreed_on=agreed_on,
        debt=debt,
    )
    following = [c for c in calls[start + 3 :]]
    instalments = []
    for k, amount in enumerate(amounts):
        due_on = following[k].due_on if k < len(following) else agreed_on + DAY * 30 * (k + 1)
        instalments.append(Instalment(plan=plan, due_on=due_on + DAY * 5, amount=amount))
    kept = count if profile == "plan_kept" else 2
    for k, call in enumerate(following):
        if k < kept:
            payer.pay(call.due_on, call.share + amounts[k])
        elif profile == "plan_kept":
            payer.pay(call.due_on, call.share)
        elif k < len(following) - 2:
            payer.pay(call.due_on + DAY * 10, call.share)
    return plan, instalments


def _inspections(operator, stays):
    inspections = []
    for stay in stays:
        inspections.append(
            Inspection(
                organisation=operator,
                ref=seeded_ref(Inspection, f"{stay.ref}-E"),
                unit=stay.unit,
                stay=stay,
                kind="entry",
                done_on=stay.entered_on,
            )
        )
        if stay.exited_on is None:
            continue
        if stay.lease_transferred:
            inspections.append(
                Inspection(
                    organisation=operator,
                    ref=seeded_ref(Inspection, f"{stay.ref}-P"),
                    unit=stay.unit,
                    stay=stay,
                    kind="pre_exit",
                    done_on=max(stay.entered_on, stay.exited_on - DAY * 30),
                )
            )
        inspections.append(
            Inspection(
                organisation=operator,
                ref=seeded_ref(Inspection, f"{stay.ref}-S"),
                unit=stay.unit,
                stay=stay,
                kind="exit",
                done_on=stay.exited_on,
            )
        )
    return inspections
