"""A status changes only through `core.transitions.transition`: the code writes no status by
hand, every model with a status declares its state machine, an illegal move is refused in
French with nothing written, and a move leaves its transition-log row, its change-history
record and its access-log row (none for a task)."""

import ast
import datetime
import pathlib

import pytest
from django.core.exceptions import ValidationError

from seuil.core.models import AccessLog, ChangeRecord
from seuil.core.transitions import StateMachine
from seuil.orientation.enums import ProposalStatus, ReferralStatus, RequestStatus
from seuil.orientation.models import Proposal, ProposalTransition, Referral, Request
from seuil.orientation.services.proposals import (
    answer_proposal,
    expire_proposals,
    make_proposal,
    withdraw_proposal,
)
from seuil.orientation.services.requests import record_request, withdraw_request
from seuil.orientation.services.vacancies import declare_vacancy
from seuil.tenancy.models import Repair
from tests.orientation.flow import admitted, today

DAY = datetime.timedelta(days=1)
SOURCE = pathlib.Path(__file__).resolve().parents[2] / "src" / "seuil"
DOOR = SOURCE / "core" / "transitions.py"

# Status writes that are not moves of a state machine, and why.
NOT_STATE_MACHINES = {
    SOURCE / "matching" / "services.py": "a matching run's progress (a background job)",
    SOURCE / "exchange" / "services.py": "a spreadsheet import's progress (a background job)",
    SOURCE / "matching" / "tasks.py": "a matching run failed when its worker stopped",
    SOURCE / "core" / "workers.py": "a task of the background queue taken back from a "
    "stopped worker",
    SOURCE / "tenancy" / "bank.py": "a bank statement line's reconciliation: booked once, "
    "with the payment it made (in the payment's history), or set aside",
    SOURCE / "reports" / "stored.py": "a stored activity report's computation (a background job)",
    SOURCE / "core" / "downloads.py": "a file prepared in the background (a background job)",
}


def _writes_status(target):
    if isinstance(target, ast.Attribute):
        return target.attr == "status"
    if isinstance(target, ast.Tuple | ast.List):
        return any(_writes_status(t) for t in target.elts)
    if isinstance(target, ast.Starred):
        return _writes_status(target.value)
    return False


def _is_status_string(node):
    return isinstance(node, ast.Constant) and node.value == "status"


def status_writes(tree):
    """(line, what) of each status written by hand in a module's syntax tree."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            if any(_writes_status(t) for t in node.targets):
                yield node.lineno, "`.status =`"
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            if _writes_status(node.target):
                yield node.lineno, "`.status =`"
        elif isinstance(node, ast.Call):
            function = node.func
            name = function.attr if isinstance(function, ast.Attribute) else None
            if isinstance(function, ast.Name) and function.id == "setattr":
                if len(node.args) > 1 and _is_status_string(node.args[1]):
                    yield node.lineno, '`setattr(…, "status", …)`'
            elif name == "update" and any(k.arg == "status" for k in node.keywords):
                yield node.lineno, "`.update(status=…)`"
            elif name == "bulk_update" and any(
                _is_status_string(element)
                for argument in node.args[1:]
                if isinstance(argument, ast.List | ast.Tuple)
                for element in argument.elts
            ):
                yield node.lineno, '`.bulk_update(…, ["status"])`'


def test_no_status_is_written_outside_the_transitions():
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        if path == DOOR or path in NOT_STATE_MACHINES or "migrations" in path.parts:
            continue
        for line, what in status_writes(ast.parse(path.read_text(), str(path))):
            found.append(f"{path.relative_to(SOURCE.parent)}:{line}: {what}")
    assert not found, "A status changes through core.transitions.transition:\n" + "\n".join(found)


def test_the_scan_sees_every_way_of_writing_a_status():
    tree = ast.parse(
        "a.status = 'x'\n"
        "a.status, a.closed_on = 'x', day\n"
        "setattr(a, 'status', 'x')\n"
        "A.objects.filter(pk=1).update(status='x')\n"
        "A.objects.bulk_update(rows, ['status'])\n"
        "A.objects.create(status='x')\n"  # a creation in its first status is allowed
        "A(status='x')\n"
        "if a.status == 'x': pass\n"
    )
    assert [line for line, _ in status_writes(tree)] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("model", [Request, Referral, Proposal, Repair])
def test_each_status_declares_its_table_and_its_log(model):
    machine = model.state_machine
    assert isinstance(machine, StateMachine) and machine.model is model
    statuses = {value for value, _ in model._meta.get_field("status").choices}
    assert set(machine.table) == statuses
    assert all(targets <= statuses for targets in machine.table.values())
    assert (
        model._meta.get_field(machine.log).related_model.__name__ == f"{model.__name__}Transition"
    )


@pytest.fixture
def referral(household, siao, programme, coordinator):
    return admitted(
        household,
        siao=siao,
        programme=programme,
        coordinator=coordinator,
        received_on=today() - 60 * DAY,
        on=today() - 30 * DAY,
    )


@pytest.fixture
def proposal(unit, manager, referral, coordinator):
    vacancy = declare_vacancy(unit, opened_on=today() - 20 * DAY, acting_user=manager)
    return make_proposal(vacancy, referral, proposed_on=today() - 3 * DAY, acting_user=coordinator)


def counts():
    return (AccessLog.objects.count(), ChangeRecord.objects.count())


def test_an_illegal_move_is_refused_in_french_and_writes_nothing(referral, coordinator):
    request = referral.request
    withdraw_request(request, on=today(), reason="household_withdrew", acting_user=coordinator)
    before = counts(), request.transitions.count()
    with pytest.raises(ValidationError) as refused:
        withdraw_request(request, on=today(), reason="other", acting_user=coordinator)
    assert refused.value.messages == ["Une demande « Retirée » ne peut pas passer à « Retirée »."]
    assert (counts(), request.transitions.count()) == before


def test_a_request_starts_received_with_its_log_history_and_access(household, siao, coordinator):
    request = record_request(
        household, siao=siao, received_on=today(), origin="shelter", acting_user=coordinator
    )
    (log,) = request.transitions.all()
    assert (log.from_status, log.to_status, log.on, log.by) == (
        "",
        RequestStatus.RECEIVED,
        today(),
        coordinator,
    )
    access = AccessLog.objects.get(object_uuid=request.uuid)
    assert (access.action, access.user) == ("create", coordinator)
    record = ChangeRecord.objects.get(object_uuid=request.uuid)
    assert (record.action, record.household_uuid) == ("create", household.uuid)
    assert record.changes["status"] == [None, "received"]


def test_one_party_answering_logs_a_move_to_the_same_status(proposal, landlord_user):
    answer_proposal(
        proposal, party="landlord", accepted=True, on=today(), acting_user=landlord_user
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED
    last = proposal.transitions.last()
    assert (last.from_status, last.to_status, last.party, last.answer) == (
        "proposed",
        "proposed",
        "landlord",
        "accepted",
    )
    record = ChangeRecord.objects.filter(object_uuid=proposal.uuid).latest("pk")
    assert record.changes == {
        "landlord_answer": ["pending", "accepted"],
        "landlord_answered_on": [None, today().isoformat()],
    }
    access = AccessLog.objects.filter(object_uuid=proposal.uuid).latest("pk")
    assert (access.action, access.user) == ("change", landlord_user)


def test_a_refusal_closes_the_proposal_with_its_party_and_reason(proposal, coordinator):
    answer_proposal(
        proposal,
        party="household",
        accepted=False,
        reason="location",
        on=today(),
        acting_user=coordinator,
    )
    last = ProposalTransition.objects.filter(proposal=proposal).last()
    assert (last.to_status, last.reason, last.party, last.answer) == (
        "refused",
        "location",
        "household",
        "refused",
    )
    record = ChangeRecord.objects.filter(object_uuid=proposal.uuid).latest("pk")
    assert record.changes["status"] == ["proposed", "refused"]
    assert record.changes["refused_by"] == ["", "household"]
    assert record.changes["closed_on"] == [None, today().isoformat()]


def test_an_expiry_is_a_move_by_nobody_without_an_access_row(proposal):
    accesses = AccessLog.objects.count()
    assert expire_proposals(proposal.expires_on + 2 * DAY) == 1
    proposal.refresh_from_db()
    assert (proposal.status, proposal.closed_on) == (
        ProposalStatus.EXPIRED,
        proposal.expires_on + DAY,
    )
    last = proposal.transitions.last()
    assert (last.from_status, last.to_status, last.by, last.on) == (
        "proposed",
        "expired",
        None,
        proposal.expires_on + DAY,
    )
    record = ChangeRecord.objects.filter(object_uuid=proposal.uuid).latest("pk")
    assert (record.user, record.changes["status"]) == (None, ["proposed", "expired"])
    assert AccessLog.objects.count() == accesses


def test_an_expired_proposal_is_not_withdrawn(proposal, coordinator):
    expire_proposals(proposal.expires_on + 2 * DAY)
    with pytest.raises(ValidationError) as refused:
        withdraw_proposal(proposal, on=today(), acting_user=coordinator)
    assert refused.value.messages == [
        "Une proposition « Expirée (sans réponse dans le délai) » ne peut pas passer à « Retirée »."
    ]


def test_withdrawing_a_request_moves_the_referral_and_its_proposal(proposal, referral, coordinator):
    withdraw_request(
        referral.request, on=today(), reason="housed_elsewhere", acting_user=coordinator
    )
    referral.refresh_from_db()
    assert (referral.status, referral.withdrawal_reason, referral.closed_on) == (
        ReferralStatus.WITHDRAWN,
        "housed_elsewhere",
        today(),
    )
    assert [t.to_status for t in referral.transitions.all()] == ["waiting", "withdrawn"]
    assert proposal.transitions.last().to_status == "withdrawn"
