"""Writes and readings of the tenancy: each write a named action, atomic, audited.

- `account(sub_lease, day)`: the ledger of a sub-lease as of any day (calls, payments,
  running balance), its arrears settled oldest first with their age, its credit, its late
  calls, its repayment plans with their instalments kept or broken;
- `generate_rent_calls(organisation, month)`: the month's rent calls from the terms,
  idempotent (a call already there is left as it is), run every day by `seuil daily`;
- `late_rent_calls(organisation, day)`: the calls late at `day` (DOMAIN.md §4 item 6: due
  more than 15 days before and not covered), what an alert to the tenancy officer, the
  social worker and the manager is made of; `rent_calls_late_from(organisation, day)`: those
  that became late that very day;
- `save_sub_lease`, `save_rent_call`, `record_payment`, `save_repayment_plan`,
  `save_inspection`: the writes of the pages and the API.
"""

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q, Sum

from seuil.core import collector
from seuil.core.audit import audited_save
from seuil.core.history import BulkRecorder, record_change, snapshot
from seuil.core.refs import new_ref

from . import ledger
from .models import (
    ChargesRegularisation,
    Inspection,
    Instalment,
    Payment,
    RentCall,
    RentDocument,
    RepaymentPlan,
    SubLease,
    SubLeaseClosing,
    SubLeaseTerm,
    first_of_month,
    last_of_month,
)

CENT = ledger.CENT


def household_of(sub_lease):
    return sub_lease.stay.household


# ---------------------------------------------------------------- the account


@dataclass
class Line:
    """A line of the ledger: a call (debit) or a payment (credit), and the balance after."""

    day: datetime.date
    label: str
    debit: Decimal | None
    credit: Decimal | None
    balance: Decimal
    record: object

    @property
    def is_call(self):
        """A rent call (which a manager may correct), not a regularisation or a payment."""
        return isinstance(self.record, RentCall)


@dataclass
class PlanState:
    plan: RepaymentPlan
    instalments: list  # ledger.InstalmentState
    state: str  # "kept", "broken", "in_progress"

    @property
    def label(self):
        return {"kept": "Tenu", "broken": "Non tenu", "in_progress": "En cours"}[self.state]


@dataclass
class Account:
    sub_lease: SubLease
    day: datetime.date
    lines: list = field(default_factory=list)
    balance: Decimal = ledger.ZERO
    arrears: ledger.Arrears | None = None
    late: list = field(default_factory=list)  # ledger.Unpaid
    plans: list = field(default_factory=list)  # PlanState

    @property
    def credit(self):
        return -self.balance if self.balance < 0 else ledger.ZERO

    @property
    def debt(self):
        return self.balance if self.balance > 0 else ledger.ZERO


def account(sub_lease, day):
    """The account of `sub_lease` as of `day` (four queries)."""
    calls = list(sub_lease.rent_calls.order_by("due_on", "month"))
    payments = list(sub_lease.payments.order_by("paid_on", "pk"))
    regularisations = list(sub_lease.regularisations.order_by("on", "pk"))
    plans = list(sub_lease.repayment_plans.prefetch_related("instalments"))
    as_calls, as_paid = ledger.regularised(
        [c.as_call() for c in calls],
        [p.as_paid() for p in payments],
        [r.as_regularisation() for r in regularisations],
    )
    entries = [
        (c.due_on, 0, f"Loyer de {month_label(c.month)}", c.share, None, c)
        for c in calls
        if c.due_on <= day
    ] + [
        (
            p.paid_on,
            1,
            f"Paiement – {p.get_method_display() or 'moyen non précisé'}",
            None,
            p.amount,
            p,
        )
        for p in payments
        if p.paid_on <= day
    ]
    entries += [
        (
            r.on,
            0 if r.difference > 0 else 1,
            regularisation_label(r),
            r.difference if r.difference > 0 else None,
            -r.difference if r.difference < 0 else None,
            r,
        )
        for r in regularisations
        if r.on <= day and r.difference
    ]
    entries.sort(key=lambda e: (e[0], e[1]))
    running = ledger.ZERO
    lines = []
    for on, _, label, debit, credit, record in entries:
        running += (debit or 0) - (credit or 0)
        lines.append(Line(on, label, debit, credit, running, record))
    states = []
    for plan in plans:
        instalments = [i.as_instalment() for i in plan.instalments.all()]
        instalment_states = ledger.instalment_states(
            plan.agreed_on, instalments, as_calls, as_paid, day
        )
        states.append(PlanState(plan, instalment_states, ledger.plan_state(instalment_states)))
    return Account(
        sub_lease=sub_lease,
        day=day,
        lines=lines,
        balance=running,
        arrears=ledger.arrears(as_calls, as_paid, day),
        late=ledger.late(as_calls, as_paid, day),
        plans=states,
    )


def regularisation_label(regularisation):
    period = f"{regularisation.period_start:%d/%m/%Y} au {regularisation.period_end:%d/%m/%Y}"
    if regularisation.difference > 0:
        return f"Régularisation des charges du {period} : complément appelé"
    return f"Régularisation des charges du {period} : trop-perçu remboursé (avoir)"


MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def month_label(month):
    return f"{MONTHS[month.month - 1]} {month.year}"


# ---------------------------------------------------------------- rent calls


def _prorata(amount, days, days_in_month):
    if days == days_in_month:
        return amount
    return (amount * days / days_in_month).quantize(CENT, rounding=ROUND_HALF_UP)


def month_amounts(month, *, signed_on, entered_on, exited_on, terms):
    """(rent, charges, housing benefit) called for `month` (its first day), None when
    nothing is to be called: the sub-lease signed after the month, the stay not present in
    it, or no term in force. `terms`: (starts_on, rent, charges, housing benefit) sorted by
    date; the term in force on the first day of presence in the month applies. A month the
    stay covers in part is called in proportion of its days (the exit day is not one)."""
    first, last = month, last_of_month(month)
    if signed_on > last or entered_on > last:
        return None
    if exited_on is not None and exited_on <= first:
        return None
    present_from = max(first, entered_on)
    term = None
    for candidate in terms:
        if candidate[0] <= present_from:
            term = candidate
    if term is None:
        return None
    after = last + datetime.timedelta(days=1)
    days = (min(after, exited_on or after) - present_from).days
    _, rent, charges, benefit = term
    rent = _prorata(rent, days, last.day)
    charges = _prorata(charges, days, last.day)
    return rent, charges, min(_prorata(benefit, days, last.day), rent + charges)


def call_of_month(sub_lease, month, terms):
    """The unsaved rent call of `month` of `sub_lease` (with its stay) from `terms`
    (`SubLeaseTerm`s), None when nothing is to be called (`month_amounts`)."""
    amounts = month_amounts(
        month,
        signed_on=sub_lease.signed_on,
        entered_on=sub_lease.stay.entered_on,
        exited_on=sub_lease.stay.exited_on,
        terms=sorted(
            ((t.starts_on, t.rent, t.charges, t.housing_benefit) for t in terms),
            key=lambda t: t[0],
        ),
    )
    if amounts is None:
        return None
    rent, charges, benefit = amounts
    return RentCall(
        sub_lease=sub_lease,
        month=month,
        due_on=sub_lease.due_on(month),
        rent=rent,
        charges=charges,
        housing_benefit=benefit,
    )


@transaction.atomic
def generate_rent_calls(organisation, month, *, by=None, dry_run=False):
    """Create the rent calls of `month` (any day of it) of the organisation's sub-leases,
    from their terms; a call already there is left as it is. Returns how many were
    created (or would be, with `dry_run`). Plain rows, no model instance per sub-lease:
    a month of 30,000 sub-leases is a few queries."""
    month = first_of_month(month)
    last = last_of_month(month)
    sub_leases = (
        SubLease.objects.filter(organisation=organisation, signed_on__lte=last)
        .filter(stay__entered_on__lte=last)
        .filter(Q(stay__exited_on__isnull=True) | Q(stay__exited_on__gt=month))
        .exclude(rent_calls__month=month)
    )
    terms = defaultdict(list)
    for sub_lease_id, *term in (
        SubLeaseTerm.objects.filter(sub_lease__in=sub_leases.values("pk"))
        .order_by("sub_lease_id", "starts_on")
        .values_list("sub_lease_id", "starts_on", "rent", "charges", "housing_benefit")
        .iterator(chunk_size=10_000)
    ):
        terms[sub_lease_id].append(tuple(term))
    calls, history = [], []
    rows = sub_leases.values_list(
        "pk",
        "ref",
        "signed_on",
        "due_day",
        "stay__entered_on",
        "stay__exited_on",
        "stay__household__uuid",
    )
    for pk, ref, signed_on, due_day, entered_on, exited_on, household in rows.iterator(
        chunk_size=10_000
    ):
        amounts = month_amounts(
            month,
            signed_on=signed_on,
            entered_on=entered_on,
            exited_on=exited_on,
            terms=terms.get(pk, ()),
        )
        if amounts is None:
            continue
        rent, charges, benefit = amounts
        call = RentCall(
            sub_lease_id=pk,
            month=month,
            due_on=month.replace(day=due_day or 1),
            rent=rent,
            charges=charges,
            housing_benefit=benefit,
        )
        calls.append(call)
        history.append((call, ref, household))
    if dry_run:
        return len(calls)
    RentCall.objects.bulk_create(calls, batch_size=2000)
    recorder = BulkRecorder(by, organisation=organisation)
    for call, ref, household in history:
        recorder.created(
            RentCall,
            call.uuid,
            {
                "sub_lease_id": ref,
                "month": call.month,
                "due_on": call.due_on,
                "rent": call.rent,
                "charges": call.charges,
                "housing_benefit": call.housing_benefit,
            },
            household=household,
        )
    recorder.write()
    return len(calls)


def rent_calls_task(now, *, dry_run=False):
    """Every day: the rent calls of the current month, for every organisation (a call
    already there is left as it is)."""
    from django.utils import timezone

    from seuil.core.models import Organisation

    today = timezone.localdate(now)
    organisations = Organisation.objects.filter(pk__in=SubLease.objects.values("organisation_id"))
    created = sum(generate_rent_calls(o, today, dry_run=dry_run) for o in organisations)
    noun = "appel de loyer créé" if created <= 1 else "appels de loyer créés"
    line = f"{created} {noun} pour {month_label(first_of_month(today))}"
    return f"{line} (simulation)." if dry_run else f"{line}."


# ---------------------------------------------------------------- late calls


@dataclass(frozen=True)
class LateCall:
    """A rent call late at `day`: what is left unpaid on it and since when it is late."""

    sub_lease: SubLease
    call: ledger.Call  # month, due date, share
    unpaid: Decimal
    days_overdue: int  # days since its due date
    first: bool  # the oldest late call of its sub-lease (the first unpaid rent)

    @property
    def late_since(self):
        return ledger.became_late_on(self.call)


@dataclass
class Standing:
    """Where a sub-lease stands at a day: its balance and its arrears (None: none)."""

    balance: Decimal
    arrears: ledger.Arrears | None

    @property
    def debt(self):
        return max(self.balance, ledger.ZERO)

    @property
    def credit(self):
        return max(-self.balance, ledger.ZERO)

    @property
    def has_late_calls(self):
        """A call left unpaid more than 15 days after its due date."""
        return self.arrears is not None and self.arrears.oldest_age > ledger.LATE_AFTER_DAYS

    def late(self, day):
        calls = self.arrears.calls if self.arrears else ()
        return [u for u in calls if u.age > ledger.LATE_AFTER_DAYS]


def _day(value):
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


# The SQL of `standings`: the sub-leases of a queryset (`{ids}`), from the last closing
# of each on or before the day (its balance and the calls it left unpaid), or from the
# start. {…} are names and dialect fragments, %(…)s the values. Each table is read once:
# the calls of the last `RECENT_DAYS` (`recent`) and those before them since the closing
# (`older`) are summed with the payments into the balances; the window then runs over
# the recent calls of the sub-leases in debt only, and over the older calls and the calls
# a closing left unpaid only of those whose recent calls do not cover the debt.
STANDINGS_SQL = """
    WITH s (id) AS ({ids}),
    since (sub_lease_id, since, horizon, balance, unpaid) AS {materialized} (
        SELECT s.id, COALESCE(k.closed_on, {start}),
               {greatest}(COALESCE(k.closed_on, {start}), %(horizon)s), k.balance, k.unpaid
        FROM s {last_closing}
    ), bounds (since, low, high) AS (
        SELECT MIN(since), MIN(horizon), MAX(horizon) FROM since
    ), recent (sub_lease_id, month, day, kind, id, share) AS {materialized} (
        SELECT c.sub_lease_id, c.month, c.due_on, 0, c.id,
               c.rent + c.charges - c.housing_benefit
        FROM {calls} c JOIN since d ON d.sub_lease_id = c.sub_lease_id
        WHERE c.due_on <= %(day)s AND c.due_on > d.horizon
            AND c.due_on > (SELECT low FROM bounds)
        UNION ALL
        SELECT r.sub_lease_id, {month_of}, r.{on}, 1, r.id, r.difference
        FROM {regularisations} r JOIN since d ON d.sub_lease_id = r.sub_lease_id
        WHERE r.difference > 0 AND r.{on} <= %(day)s AND r.{on} > d.horizon
    ), older (sub_lease_id, month, day, kind, id, share) AS {materialized} (
        SELECT c.sub_lease_id, c.month, c.due_on, 0, c.id,
               c.rent + c.charges - c.housing_benefit
        FROM {calls} c JOIN since d ON d.sub_lease_id = c.sub_lease_id
        WHERE c.due_on <= d.horizon AND c.due_on > d.since
            AND c.due_on <= (SELECT high FROM bounds) AND c.due_on > (SELECT since FROM bounds)
        UNION ALL
        SELECT r.sub_lease_id, {month_of}, r.{on}, 1, r.id, r.difference
        FROM {regularisations} r JOIN since d ON d.sub_lease_id = r.sub_lease_id
        WHERE r.difference > 0 AND r.{on} <= d.horizon AND r.{on} > d.since
    ), balance (sub_lease_id, balance, recent, called) AS (
        SELECT sub_lease_id, SUM(amount), SUM(recent), SUM(called) FROM (
            SELECT sub_lease_id, share AS amount, share AS recent, share AS called FROM recent
            UNION ALL
            SELECT sub_lease_id, share, 0, share FROM older
            UNION ALL
            SELECT p.sub_lease_id, -p.amount, 0, 0
            FROM {payments} p JOIN since d ON d.sub_lease_id = p.sub_lease_id
            WHERE p.paid_on <= %(day)s AND p.paid_on > d.since
                AND p.paid_on > (SELECT since FROM bounds)
            UNION ALL
            SELECT r.sub_lease_id, r.difference, 0, 0
            FROM {regularisations} r JOIN since d ON d.sub_lease_id = r.sub_lease_id
            WHERE r.difference <= 0 AND r.{on} <= %(day)s AND r.{on} > d.since
            UNION ALL
            SELECT sub_lease_id, balance, 0, 0 FROM since WHERE balance IS NOT NULL
        ) x GROUP BY sub_lease_id
    ), charge (sub_lease_id, balance, month, day, kind, id, share) AS (
        SELECT sub_lease_id, balance, NULL, {end}, 2, 0, 0 FROM balance
        UNION ALL
        SELECT r.sub_lease_id, b.balance, r.month, r.day, r.kind, r.id, r.share
        FROM recent r JOIN balance b ON b.sub_lease_id = r.sub_lease_id
        WHERE b.balance > 0.005
        UNION ALL
        SELECT o.sub_lease_id, b.balance, o.month, o.day, o.kind, o.id, o.share
        FROM older o JOIN balance b ON b.sub_lease_id = o.sub_lease_id
        WHERE b.balance - b.recent > 0.005
        UNION ALL
        SELECT k.sub_lease_id, b.balance, {closed_month}, {closed_day}, -1, {closed_position},
               {closed_share}
        FROM balance b JOIN since k ON k.sub_lease_id = b.sub_lease_id {closed_calls}
        WHERE b.balance - b.called > 0.005
    ), from_end AS (
        SELECT sub_lease_id, balance, month, day, kind, id, share,
               SUM(share) OVER (
                   PARTITION BY sub_lease_id ORDER BY day DESC, month DESC, kind DESC, id DESC
                   ROWS UNBOUNDED PRECEDING
               ) - share AS after
        FROM charge
    )
    SELECT sub_lease_id, CASE WHEN kind = 2 THEN balance END, month, day, share,
           CASE WHEN balance - after < share THEN balance - after END, {age}
    FROM from_end
    WHERE kind = 2 OR (share > 0.005 AND after < balance - 0.005)
    ORDER BY sub_lease_id, day DESC, month DESC, kind DESC, id DESC
"""
# The days before the day whose calls the window reads for every sub-lease in debt
# (older ones only for the debts they do not cover): a month and a half, the call of the
# month and the one before, what most debts are made of.
RECENT_DAYS = 45
# The calls a closing left unpaid ([month, due date, share, unpaid], oldest first), as
# rows of the database, each with its position in the list.
DIALECTS = {
    "postgresql": {
        "closed_calls": (
            "CROSS JOIN LATERAL jsonb_array_elements(k.unpaid) WITH ORDINALITY e(item, n)"
        ),
        "closed_month": "CAST(e.item ->> 0 AS date)",
        "closed_day": "CAST(e.item ->> 1 AS date)",
        "closed_position": "e.n",
        "closed_share": "CAST(e.item ->> 2 AS numeric)",
        "start": "CAST('0001-01-01' AS date)",
        "materialized": "MATERIALIZED",
        # The last closing of each sub-lease, one index probe each.
        "last_closing": """
            LEFT JOIN LATERAL (
                SELECT * FROM {closings} k
                WHERE k.sub_lease_id = s.id AND k.closed_on <= %(day)s AND {use_closings}
                ORDER BY k.closed_on DESC LIMIT 1
            ) k ON TRUE
        """,
        "end": "CAST('9999-12-31' AS date)",
        "greatest": "GREATEST",
        "age": "%(day)s - day",
    },
    "sqlite": {
        "closed_calls": "JOIN json_each(k.unpaid) e",
        "closed_month": "json_extract(e.value, '$[0]')",
        "closed_day": "json_extract(e.value, '$[1]')",
        "closed_position": "e.key",
        "closed_share": "CAST(json_extract(e.value, '$[2]') AS REAL)",
        "start": "'0001-01-01'",
        "materialized": "",
        "last_closing": """
            LEFT JOIN {closings} k ON k.id = (
                SELECT last.id FROM {closings} last
                WHERE last.sub_lease_id = s.id AND last.closed_on <= %(day)s AND {use_closings}
                ORDER BY last.closed_on DESC LIMIT 1
            )
        """,
        "end": "'9999-12-31'",
        "greatest": "MAX",
        "age": "CAST(julianday(%(day)s) - julianday(day) AS INTEGER)",
    },
}


STANDINGS_WORK_MEM = "256MB"
IDS = "__sub_leases__"  # where the queryset's statement goes, once the values are numbered
VALUE = re.compile(r"%\((\w+)\)s")


def _standing_rows(sub_leases, day, use_closings):
    """(sub-lease, balance, month, due date, share, unpaid, age in days) at `day`: for
    each sub-lease of the queryset `sub_leases` with a row of account (or a closing) on or
    before `day`, a first row with its balance (no call: None), then its calls left
    (partly) unpaid, newest first (the order of the window: no sort again), without the
    balance (None) and with the unpaid part only when it is not the whole share (None):
    fewer values to read.

    One statement. Each sub-lease starts from its last closing on or before `day` (unless
    `use_closings` is false): its balance, and the calls it left unpaid counted as calls
    of their day; then the calls, payments and regularisations after it give the balance
    B. Payments settle the calls oldest first: the calls left unpaid by B are the newest
    ones whose shares add up to B. So the database sums the shares from the newest call
    back (a window), and a call is (partly) unpaid while the sum S of those after it is
    below B: unpaid = min(share, B − S) — the same as settling oldest first, where the
    call i of cumulated shares C_i keeps min(share, C_i − paid) unpaid, since
    C_i − paid = B − S. A regularisation called (> 0) is a call of its day (after a rent
    call of the same day and month, as in `ledger.regularised`; two of the same day in the
    order they were recorded, as the ledger reads them); a refund is a credit in B.
    Amounts compared with half a cent of margin (SQLite sums in floating point).

    The window reads few rows: of the sub-leases in debt, the calls of the last
    `RECENT_DAYS` (most debts are the last call or two); the calls before them (and those
    a closing left unpaid) only for the sub-leases whose debt B exceeds what these recent
    calls add up to, since a call is unpaid only while S < B. So a sub-lease without a
    closing (none built yet, or `use_closings` false) has its whole history summed but
    sorted only when it owes more than its recent calls."""
    quote = connection.ops.quote_name
    vendor = "sqlite" if connection.vendor == "sqlite" else "postgresql"
    on = quote("on")
    ids, ids_params = sub_leases.order_by().values("pk").query.sql_with_params()
    names = {
        "calls": quote(RentCall._meta.db_table),
        "payments": quote(Payment._meta.db_table),
        "regularisations": quote(ChargesRegularisation._meta.db_table),
        "closings": quote(SubLeaseClosing._meta.db_table),
        "on": on,
        "use_closings": "1 = 1" if use_closings else "1 = 0",
    }
    fragments = dict(DIALECTS[vendor])
    fragments["last_closing"] = fragments["last_closing"].format(**names)
    month_of = {
        "sqlite": f"date(r.{on}, 'start of month')",
        "postgresql": f"CAST(date_trunc('month', r.{on}) AS date)",
    }
    sql = STANDINGS_SQL.format(ids=IDS, month_of=month_of[vendor], **names, **fragments)
    values = {"day": day, "horizon": day - datetime.timedelta(days=RECENT_DAYS)}
    if vendor == "sqlite":
        values = {name: value.isoformat() for name, value in values.items()}
    # The values by name in the order they appear, after those of the queryset (first).
    head, sql = sql.split(IDS)
    params = [*ids_params, *(values[name] for name in VALUE.findall(sql))]
    sql = head + ids + VALUE.sub("%s", sql)
    with transaction.atomic(), connection.cursor() as cursor:
        if vendor == "postgresql":
            # Its sorts and hash tables in memory (a few tens of MB for 100,000 sub-leases,
            # where the default spills them to disk); for this statement only, then back
            # as it was (in the transaction, if any).
            cursor.execute(
                "SELECT current_setting('work_mem'), set_config('work_mem', %s, true)",
                [STANDINGS_WORK_MEM],
            )
            work_mem = cursor.fetchone()[0]
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        if vendor == "postgresql":
            cursor.execute("SELECT set_config('work_mem', %s, true)", [work_mem])
        return rows


def standings(sub_leases, day, *, use_closings=True):
    """sub_lease pk → `Standing` at `day`, for a queryset of sub-leases (those with a call,
    a payment or a regularisation on or before `day`): one statement (`_standing_rows`)
    gives the balances and, of the sub-leases in debt, the calls left unpaid with the
    payments settled oldest first. The same rule as `ledger` (checked against it in the
    tests), for many sub-leases at once: each sub-lease starts from its last closing
    before `day` (`closings`: its balance and what it left unpaid at the end of a year),
    so only the months since are read. `use_closings=False`: from the whole history (what
    the closings are built from and checked against)."""
    sqlite = connection.vendor == "sqlite"
    found, left, current = {}, [], None

    def close():
        pk, balance = current
        left.reverse()  # read newest first
        arrears = ledger.Arrears(balance, tuple(left), left[0].age) if left else None
        found[pk] = Standing(balance, arrears)
        left.clear()

    Call, Unpaid = ledger.Call, ledger.Unpaid
    with collector.paused():
        rows = _standing_rows(sub_leases, day, use_closings)
        for pk, balance, month, due_on, share, unpaid, age in rows:
            if month is None:  # the first row of a sub-lease: its balance
                if current is not None:
                    close()
                current = (pk, ledger.cents(balance) if sqlite else balance)
                continue
            if sqlite:
                month, due_on, share = _day(month), _day(due_on), ledger.cents(share)
                unpaid = None if unpaid is None else ledger.cents(unpaid)
            left.append(
                Unpaid(Call(month, due_on, share), share if unpaid is None else unpaid, age)
            )
        if current is not None:
            close()
    return found


def late_calls_of(sub_leases, found, day):
    """The `LateCall`s at `day` of `found` (`standings` of the sub-leases `sub_leases`,
    a queryset), by sub-lease ref then due date."""
    late = {pk: standing.late(day) for pk, standing in found.items() if standing.has_late_calls}
    by_pk = {
        s.pk: s
        for s in sub_leases.filter(pk__in=list(late)).select_related(
            "stay__household", "stay__unit"
        )
    }
    calls = [
        LateCall(by_pk[pk], unpaid.call, unpaid.amount, unpaid.age, position == 0)
        for pk, unpaid_calls in late.items()
        if pk in by_pk
        for position, unpaid in enumerate(unpaid_calls)
    ]
    calls.sort(key=lambda item: (item.sub_lease.ref, item.call.due_on, item.call.month))
    return calls


def late_rent_calls(organisation, day):
    """The organisation's rent calls late at `day`, by sub-lease, oldest first: due more
    than 15 days before `day` and not covered by the payments made up to `day` (settled
    oldest first). A few queries, whatever the number of sub-leases; what an alert to the
    tenancy officer, the social worker and the manager is made of."""
    sub_leases = SubLease.objects.filter(organisation=organisation)
    return late_calls_of(sub_leases, standings(sub_leases, day), day)


def rent_calls_late_from(organisation, day):
    """The calls that became late on `day` itself (the day an alert is due)."""
    return [late for late in late_rent_calls(organisation, day) if late.late_since == day]


# ---------------------------------------------------------------- writes


def _check_terms(terms):
    errors = []
    days = [t.starts_on for t in terms]
    if len(set(days)) != len(days):
        errors.append("Deux conditions commencent le même jour.")
    for term in terms:
        if term.housing_benefit > term.rent + term.charges:
            errors.append(
                f"Conditions du {term.starts_on:%d/%m/%Y} : l'APL dépasse loyer + charges."
            )
    return errors


@transaction.atomic
def save_sub_lease(sub_lease, terms, *, by):
    """Create or change a sub-lease and replace its terms (a list of unsaved
    `SubLeaseTerm`, or None to leave them as they are)."""
    creating = sub_lease.pk is None
    stay = sub_lease.stay
    sub_lease.organisation_id = stay.organisation_id
    if creating:
        sub_lease.ref = sub_lease.ref or new_ref(SubLease)
        if SubLease.objects.filter(stay=stay).exists():
            raise ValidationError({"stay": "Ce séjour a déjà une sous-location."})
    errors = _check_terms(terms or [])
    if errors:
        raise ValidationError(errors)
    before = None if creating else snapshot(SubLease.objects.get(pk=sub_lease.pk))
    if not creating:
        sub_lease.version += 1
    audited_save(sub_lease, before, by=by, household=household_of(sub_lease))
    if terms is not None:
        kept = []
        for term in terms:
            term.sub_lease = sub_lease
            existing = sub_lease.terms.filter(starts_on=term.starts_on).first()
            if existing is not None:
                term.pk, term.uuid = existing.pk, existing.uuid
                term_before = snapshot(existing)
            else:
                term_before = None
            term.full_clean()
            term.save()
            record_change(by, term, term_before, household=household_of(sub_lease))
            kept.append(term.pk)
        for gone in sub_lease.terms.exclude(pk__in=kept):
            record_change(
                by, gone, snapshot(gone), household=household_of(sub_lease), action="delete"
            )
            gone.delete()
    if creating:
        # The stay's eviction procedures (imported before) become its cases now.
        from .prevention import cases_from_evictions

        cases_from_evictions([stay.pk], by=by)
    return sub_lease


@transaction.atomic
def save_rent_call(call, *, by):
    """Create or correct a rent call by hand."""
    before = None if call.pk is None else snapshot(RentCall.objects.get(pk=call.pk))
    call.month = first_of_month(call.month)
    return audited_save(call, before, by=by, household=household_of(call.sub_lease))


@transaction.atomic
def record_payment(payment, *, by):
    """Record a payment received from or for the household."""
    sub_lease = payment.sub_lease
    payment.organisation_id = sub_lease.organisation_id
    payment.ref = payment.ref or new_ref(Payment)
    before = None if payment.pk is None else snapshot(Payment.objects.get(pk=payment.pk))
    return audited_save(payment, before, by=by, household=household_of(sub_lease))


@transaction.atomic
def save_repayment_plan(plan, instalments, *, by):
    """Create a repayment plan with its instalments (at least one, one per day)."""
    if not instalments:
        raise ValidationError("Un échéancier a au moins une échéance.")
    days = [i.due_on for i in instalments]
    if len(set(days)) != len(days):
        raise ValidationError("Deux échéances tombent le même jour.")
    plan.organisation_id = plan.sub_lease.organisation_id
    plan.ref = plan.ref or new_ref(RepaymentPlan)
    household = household_of(plan.sub_lease)
    creating = plan.pk is None
    before = None if creating else snapshot(RepaymentPlan.objects.get(pk=plan.pk))
    audited_save(plan, before, by=by, household=household)
    if not creating:
        plan.instalments.all().delete()
    for instalment in instalments:
        instalment.plan = plan
        instalment.full_clean()
    Instalment.objects.bulk_create(instalments)
    return plan


@transaction.atomic
def save_inspection(inspection, *, by):
    """Record an inspection (état des lieux) of a unit, for its stay when there is one."""
    inspection.organisation_id = inspection.unit.organisation_id
    inspection.ref = inspection.ref or new_ref(Inspection)
    household = inspection.stay.household if inspection.stay_id else None
    before = None
    if inspection.pk is not None:
        before = snapshot(type(inspection).objects.get(pk=inspection.pk))
    return audited_save(inspection, before, by=by, household=household)


# ---------------------------------------------------------------- charges regularisation

REGULARISATION_MAX_DAYS = 366


def provisions_called(sub_lease, start, end):
    """The charges provisions of the calls of the months from `start` to `end`."""
    total = sub_lease.rent_calls.filter(month__gte=first_of_month(start), month__lte=end).aggregate(
        total=Sum("charges")
    )["total"]
    return ledger.cents(total)


@transaction.atomic
def regularise_charges(sub_lease, *, period_start, period_end, actual, on, by):
    """Once a year: compare the provisions called over the period with the real charges;
    the difference is called from the household (> 0) or refunded to it as a credit
    (< 0) on `on`. Periods of a sub-lease do not overlap and last a year at most."""
    errors = {}
    if period_end < period_start:
        errors["period_end"] = "La fin de la période ne peut précéder son début."
    elif (period_end - period_start).days >= REGULARISATION_MAX_DAYS:
        errors["period_end"] = "Une régularisation porte sur un an au plus."
    if on < period_end:
        errors["on"] = "La régularisation se fait après la fin de sa période."
    overlapping = sub_lease.regularisations.filter(
        period_start__lte=period_end, period_end__gte=period_start
    ).first()
    if overlapping is not None:
        errors["period_start"] = (
            f"Cette période recouvre celle d'une régularisation déjà faite ({overlapping})."
        )
    if errors:
        raise ValidationError(errors)
    provisions = provisions_called(sub_lease, period_start, period_end)
    regularisation = ChargesRegularisation(
        organisation_id=sub_lease.organisation_id,
        ref=new_ref(ChargesRegularisation),
        sub_lease=sub_lease,
        period_start=period_start,
        period_end=period_end,
        provisions=provisions,
        actual=actual,
        difference=actual - provisions,
        on=on,
    )
    return audited_save(regularisation, None, by=by, household=household_of(sub_lease))


# ---------------------------------------------------------------- housing benefit received


@transaction.atomic
def record_benefit_receipt(receipt, *, by):
    """Record housing benefit the CAF (or MSA) paid to the operator for a month."""
    receipt.organisation_id = receipt.sub_lease.organisation_id
    receipt.month = first_of_month(receipt.month)
    return audited_save(receipt, None, by=by, household=household_of(receipt.sub_lease))


# ---------------------------------------------------------------- documents of a month


@transaction.atomic
def record_delivery(call, kind, delivery, on, *, by):
    """Note that the avis or the quittance of a month was sent or printed."""
    document = RentDocument(rent_call=call, kind=kind, delivery=delivery, on=on, by=by)
    return audited_save(document, None, by=by, household=household_of(call.sub_lease))


__all__ = [
    "SubLeaseTerm",
    "account",
    "generate_rent_calls",
    "late_rent_calls",
    "record_benefit_receipt",
    "record_delivery",
    "record_payment",
    "regularise_charges",
    "rent_calls_late_from",
    "save_inspection",
    "save_rent_call",
    "save_repayment_plan",
    "save_sub_lease",
]
