"""Bank statements: reading them (CAMT.053, CSV with a saved mapping), keeping their credit
lines once, proposing the sub-lease each line pays, booking it as a payment.

- `read_camt053(data)` reads an ISO 20022 `camt.053` statement safely: no DTD, no entity,
  no network (a document that declares a DOCTYPE is refused), only booked credit entries;
- `read_csv(data, mapping)` reads a CSV export with the organisation's column mapping;
- `import_statement(organisation, lines, …)` keeps the lines not seen before: each line has
  a fingerprint (the bank's own reference of the entry when it has one, else its date,
  amount, payer, label and reference with its rank among identical lines of the file), so
  that importing the same statement again adds nothing and books nothing twice;
- `propose(organisation, lines)` proposes for each line the sub-lease it pays: the reference
  of the sub-lease printed on the avis d'échéance found in the label or the reference, else
  the name of the household's head in the payer, the amount of the share breaking ties;
- `book(line, sub_lease, by)` records the payment and marks the line booked (once).
"""

import csv
import datetime
import hashlib
import io
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from seuil.core.audit import record_uuids
from seuil.core.history import BulkRecorder
from seuil.core.models import AccessLog
from seuil.households.models import Membership

from .enums import PaymentMethod
from .models import BankLine, BankStatement, Payment, RentCall, SubLease

MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Line:
    """A credit line as read from a statement."""

    booked_on: datetime.date
    amount: Decimal
    payer: str = ""
    label: str = ""
    reference: str = ""
    bank_ref: str = ""  # the bank's own reference of the entry, when it gives one


class StatementError(ValueError):
    """A statement that cannot be read; the message is in French."""


# ---------------------------------------------------------------- CAMT.053


def _xml(data):
    from lxml import etree

    if len(data) > MAX_BYTES:
        raise StatementError("Relevé trop volumineux (20 Mo au plus).")
    if b"<!DOCTYPE" in data[:4096].upper() or b"<!ENTITY" in data.upper():
        raise StatementError("Relevé refusé : une déclaration DOCTYPE ou ENTITY n'est pas admise.")
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
    )
    try:
        return etree.fromstring(data, parser=parser)  # noqa: S320  # nosec B320: no DTD, no entity
    except etree.XMLSyntaxError as error:
        raise StatementError(f"Le fichier n'est pas un XML valide ({error.msg}).") from None


def _first(node, path):
    found = node.xpath(path)
    if not found:
        return ""
    value = found[0]
    return (value if isinstance(value, str) else value.text or "").strip()


def _local(name):
    return f"*[local-name()='{name}']"


def _path(*names):
    return "/".join(_local(n) for n in names)


def read_camt053(data):
    """The booked credit lines of a camt.053 statement (bytes)."""
    root = _xml(data)
    if not root.xpath(f"//{_local('BkToCstmrStmt')}"):
        raise StatementError("Ce fichier n'est pas un relevé CAMT.053 (BkToCstmrStmt absent).")
    lines = []
    for entry in root.xpath(f"//{_local('Ntry')}"):
        if _first(entry, _local("CdtDbtInd")) != "CRDT":
            continue
        status = _first(entry, _local("Sts")) or _first(entry, _path("Sts", "Cd"))
        if status and status not in ("BOOK", "Booked"):
            continue
        amount = _amount(_first(entry, _local("Amt")))
        day = _first(entry, _path("BookgDt", "Dt")) or _first(entry, _path("BookgDt", "DtTm"))
        day = day or _first(entry, _path("ValDt", "Dt"))
        try:
            booked_on = datetime.date.fromisoformat(day[:10])
        except ValueError:
            raise StatementError(f"Date d'opération illisible « {day} ».") from None
        details = entry.xpath(f".//{_local('TxDtls')}")
        detail = details[0] if details else entry
        payer = _first(detail, f".//{_path('RltdPties', 'Dbtr')}//{_local('Nm')}")
        label = " ".join(
            (u.text or "").strip() for u in detail.xpath(f".//{_path('RmtInf', 'Ustrd')}")
        ).strip()
        label = label or _first(entry, _local("AddtlNtryInf"))
        reference = _first(detail, f".//{_path('Refs', 'EndToEndId')}")
        reference = "" if reference == "NOTPROVIDED" else reference
        bank_ref = _first(entry, _local("AcctSvcrRef")) or _first(entry, _local("NtryRef"))
        lines.append(
            Line(booked_on, amount, payer[:200], label[:500], reference[:200], bank_ref[:100])
        )
    return lines


def _amount(text):
    cleaned = text.replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    if "," in cleaned and "." in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    else:
        cleaned = cleaned.replace(",", ".")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise StatementError(f"Montant illisible « {text} ».") from None
    if not amount.is_finite():
        raise StatementError(f"Montant illisible « {text} ».")
    return amount.quantize(Decimal("0.01"))


# ---------------------------------------------------------------- CSV


def read_csv(data, mapping):
    """The credit lines of a CSV export read with `mapping` (a `CsvMapping`)."""
    if len(data) > MAX_BYTES:
        raise StatementError("Relevé trop volumineux (20 Mo au plus).")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    reader = csv.DictReader(io.StringIO(text), delimiter=mapping.delimiter or ";")
    columns = [mapping.date_column, mapping.credit_column or mapping.amount_column]
    missing = [c for c in columns if c and c not in (reader.fieldnames or [])]
    if missing:
        found = ", ".join(reader.fieldnames or []) or "aucune"
        raise StatementError(
            f"Colonne(s) absente(s) du fichier : {', '.join(missing)} (colonnes lues : {found})."
        )
    lines = []
    for number, row in enumerate(reader, start=2):
        raw = (row.get(mapping.credit_column or mapping.amount_column) or "").strip()
        if not raw:
            continue
        try:
            amount = _amount(raw)
        except StatementError as error:
            raise StatementError(f"Ligne {number} : {error}") from None
        if amount <= 0:
            continue  # a debit
        day = (row.get(mapping.date_column) or "").strip()
        try:
            booked_on = datetime.datetime.strptime(day, mapping.date_format).date()
        except ValueError:
            raise StatementError(
                f"Ligne {number} : date « {day} » illisible (format attendu {mapping.date_format})."
            ) from None

        lines.append(
            Line(
                booked_on,
                amount,
                _cell(row, mapping.payer_column, 200),
                _cell(row, mapping.label_column, 500),
                _cell(row, mapping.reference_column, 200),
            )
        )
    return lines


def _cell(row, column, size):
    return (row.get(column) or "").strip()[:size] if column else ""


# ---------------------------------------------------------------- import


def fingerprints(lines):
    """The identity of each line: the bank's reference when given, else its content and
    its rank among identical lines of the same file."""
    seen = Counter()
    found = []
    for line in lines:
        if line.bank_ref:
            key = f"ref|{line.bank_ref}"
        else:
            content = "|".join(
                [
                    line.booked_on.isoformat(),
                    str(line.amount),
                    line.payer,
                    line.label,
                    line.reference,
                ]
            )
            seen[content] += 1
            key = f"line|{content}|{seen[content]}"
        found.append(hashlib.sha256(key.encode()).hexdigest())
    return found


@transaction.atomic
def import_statement(organisation, lines, *, kind, filename="", by=None):
    """Keep the lines not imported before; returns the statement (`lines_new` of
    `lines_found` are new)."""
    keys = fingerprints(lines)
    known = set(
        BankLine.objects.filter(organisation=organisation, fingerprint__in=keys).values_list(
            "fingerprint", flat=True
        )
    )
    statement = BankStatement.objects.create(
        organisation=organisation,
        kind=kind,
        filename=filename[:200],
        imported_by=by if by is not None and by.is_authenticated else None,
        lines_found=len(lines),
    )
    new = []
    for key, line in zip(keys, lines, strict=True):
        if key in known:
            continue
        known.add(key)
        new.append(
            BankLine(
                organisation=organisation,
                statement=statement,
                fingerprint=key,
                booked_on=line.booked_on,
                amount=line.amount,
                payer=line.payer,
                label=line.label,
                reference=line.reference,
            )
        )
    BankLine.objects.bulk_create(new, batch_size=1000)
    statement.lines_new = len(new)
    statement.save(update_fields=["lines_new"])
    return statement


# ---------------------------------------------------------------- proposals


def _plain(text):
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Z0-9]+", " ", text.upper()).strip()


@dataclass
class Proposal:
    line: BankLine
    sub_lease: SubLease | None
    why: str  # French: what the proposal rests on


def _candidates(organisation):
    """The organisation's sub-leases with the words that name them and their last share."""
    sub_leases = list(
        SubLease.objects.filter(organisation=organisation).select_related("stay__household")
    )
    heads = {}
    for membership in (
        Membership.objects.current_heads()
        .filter(household__in=[s.stay.household_id for s in sub_leases])
        .select_related("person")
    ):
        heads.setdefault(membership.household_id, membership.person)
    shares = {}
    for sub_lease_id, rent, charges, benefit in (
        RentCall.objects.filter(sub_lease__in=sub_leases)
        .order_by("sub_lease_id", "month")
        .values_list("sub_lease_id", "rent", "charges", "housing_benefit")
    ):
        shares[sub_lease_id] = rent + charges - benefit
    return sub_leases, heads, shares


def _phrases(text, longest):
    """Every run of 1 to `longest` consecutive words of `text` (already plain)."""
    words = text.split()
    return {
        " ".join(words[start : start + size])
        for size in range(1, longest + 1)
        for start in range(len(words) - size + 1)
    }


def propose(organisation, lines):
    """A `Proposal` for each line (a sub-lease or None), in a few queries; each line is
    looked up by the words it holds, whatever the number of sub-leases."""
    sub_leases, heads, shares = _candidates(organisation)
    by_ref = defaultdict(list)
    for sub_lease in sub_leases:
        by_ref[_plain(sub_lease.ref)].append(sub_lease)
    by_name = defaultdict(list)
    for sub_lease in sub_leases:
        person = heads.get(sub_lease.stay.household_id)
        if person is not None and _plain(person.last_name):
            by_name[_plain(person.last_name)].append(sub_lease)
    by_amount = defaultdict(list)
    for sub_lease in sub_leases:
        if sub_lease.stay.exited_on is None and sub_lease.pk in shares:
            by_amount[shares[sub_lease.pk]].append(sub_lease)
    longest_ref = max((len(ref.split()) for ref in by_ref), default=1)
    longest_name = max((len(name.split()) for name in by_name), default=1)
    proposals = []
    for line in lines:
        words = _phrases(f"{_plain(line.label)} {_plain(line.reference)}", longest_ref)
        found = [s for phrase in words for s in by_ref.get(phrase, ())]
        if len(found) == 1:
            proposals.append(Proposal(line, found[0], "référence de l'avis d'échéance"))
            continue
        payer = _phrases(f"{_plain(line.payer)} {_plain(line.label)}", longest_name)
        named = list({s.pk: s for phrase in payer for s in by_name.get(phrase, ())}.values())
        if len(named) > 1:
            exact = [s for s in named if shares.get(s.pk) == line.amount]
            named = exact or named
        if len(named) == 1:
            why = "nom du ménage"
            if shares.get(named[0].pk) == line.amount:
                why += " et montant du loyer"
            proposals.append(Proposal(line, named[0], why))
            continue
        same_amount = by_amount.get(line.amount, ())
        if len(same_amount) == 1:
            proposals.append(Proposal(line, same_amount[0], "montant du loyer seulement"))
            continue
        proposals.append(Proposal(line, None, ""))
    return proposals


@transaction.atomic
def book_many(pairs, *, by, method=PaymentMethod.TRANSFER):
    """Record the payments of (line, sub-lease) pairs and mark their lines booked, in a
    few bulk writes (with their change history and access-log rows). A line already
    booked or set aside is left out: nothing is booked twice. Returns the payments."""
    wanted = {line.pk: sub_lease for line, sub_lease in pairs}
    lines = list(
        BankLine.objects.select_for_update()
        .filter(pk__in=list(wanted), status=BankLine.Status.TO_RECONCILE)
        .order_by("pk")
    )
    households = dict(
        SubLease.objects.filter(pk__in=[s.pk for s in wanted.values()]).values_list(
            "pk", "stay__household__uuid"
        )
    )
    payments = []
    for line in lines:
        sub_lease = wanted[line.pk]
        if sub_lease.organisation_id != line.organisation_id:
            raise ValidationError("Cette sous-location relève d'une autre organisation.")
        payments.append(
            Payment(
                organisation_id=sub_lease.organisation_id,
                sub_lease=sub_lease,
                paid_on=line.booked_on,
                amount=line.amount,
                method=method,
                ref=f"BQ-{line.fingerprint[:12].upper()}",
                bank_line=line,
            )
        )
    Payment.objects.bulk_create(payments, batch_size=1000)
    recorder = BulkRecorder(by)
    for payment in payments:
        recorder.created(
            Payment,
            payment.uuid,
            {
                "ref": payment.ref,
                "sub_lease_id": payment.sub_lease.ref,
                "paid_on": payment.paid_on,
                "amount": payment.amount,
                "method": payment.method,
            },
            household=households.get(payment.sub_lease_id),
        )
    recorder.write()
    record_uuids(
        by, Payment, [payment.uuid for payment in payments], action=AccessLog.Action.CREATE
    )
    BankLine.objects.filter(pk__in=[line.pk for line in lines]).update(
        status=BankLine.Status.BOOKED
    )
    return payments


def book(line, sub_lease, *, by, method=PaymentMethod.TRANSFER):
    """Record the payment of `line` for `sub_lease` and mark the line booked; refused when
    the line is booked already (nothing booked twice)."""
    booked = book_many([(line, sub_lease)], by=by, method=method)
    if not booked:
        raise ValidationError("Cette ligne du relevé est déjà traitée.")
    return booked[0]


def ignore(line):
    """Set a line aside (not a rent: a grant, a refund…)."""
    BankLine.objects.filter(pk=line.pk, status=BankLine.Status.TO_RECONCILE).update(
        status=BankLine.Status.IGNORED
    )
