"""The support lists of the exchange file (EXCHANGE.md §1.1): contracts with their
amendments, contacts, objectives and the programmes' cap; optional, atomic, idempotent on
ref, every error with its path, round trip."""

import json
from datetime import date, timedelta
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seuil.core.models import Organisation
from seuil.exchange.exporter import dumps, export_organisation
from seuil.exchange.importer import import_exchange
from seuil.housing.models import Programme
from seuil.support.enums import ContactKind, ContactStatus, ObjectiveDomain, ObjectiveOutcome
from seuil.support.models import Amendment, Contact, Objective, SupportContract
from seuil.support.rules import last_possible_end
from tests.conftest import examples
from tests.exchange.conftest import all_uuids, import_errors, row_counts
from tests.exchange.samples import rich

pytestmark = pytest.mark.django_db


def apremis():
    return Organisation.objects.get(ref="apremis")


def test_the_lists_are_imported_with_their_amendments_and_the_cap():
    import_exchange(rich())
    assert Programme.objects.get(ref="iml-r").max_support_months == 18
    assert Programme.objects.get(ref="mobilite").max_support_months is None
    contract = SupportContract.objects.get(ref="C01")
    assert contract.stay.ref == "S01"
    assert [a.ref for a in contract.amendments.all()] == ["C01-1", "C01-2"]
    assert str(contract.current_end) == "2025-05-14"
    assert set(Contact.objects.values_list("status", flat=True)) == {ContactStatus.DONE}
    assert Objective.objects.get(ref="O02").outcome == "achieved"


def test_an_amendment_beyond_the_cap_is_refused_with_its_path_and_the_last_day():
    data = rich()
    data["support_contracts"][0]["amendments"][1]["ends_on"] = "2025-05-15"
    assert import_errors(data) == [
        "support_contracts[0].amendments[1].ends_on : l'accompagnement ne peut aller au-delà "
        "de 18 mois après l'entrée du 15/11/2023 : fin au plus tard le 14/05/2025"
    ]


def test_the_month_end_rule_of_the_cap():
    data = rich()
    data["stays"][0]["entered_on"] = "2023-08-31"
    data["support_contracts"][0]["amendments"][1]["ends_on"] = "2025-02-27"
    import_exchange(data)
    data["support_contracts"][0]["amendments"][1]["ends_on"] = "2025-02-28"
    (error,) = import_errors(data)
    assert error.startswith("support_contracts[0].amendments[1].ends_on :")
    assert error.endswith("fin au plus tard le 27/02/2025")


def test_a_contract_beyond_the_cap_and_one_ending_before_it_starts():
    data = rich()
    data["support_contracts"][0].update(ends_on="2026-01-01", amendments=[])
    data["support_contracts"][1].update(starts_on="2021-09-01")
    assert import_errors(data) == [
        "support_contracts[1].ends_on : la fin du contrat précède son début",
        "support_contracts[0].ends_on : l'accompagnement ne peut aller au-delà de 18 mois "
        "après l'entrée du 15/11/2023 : fin au plus tard le 14/05/2025",
    ]


def test_each_amendment_must_move_the_end_later():
    data = rich()
    data["support_contracts"][0]["amendments"][0]["ends_on"] = "2024-05-31"
    data["support_contracts"][0]["amendments"][1]["ends_on"] = "2024-05-30"
    assert import_errors(data) == [
        "support_contracts[0].amendments[0].ends_on : un avenant doit reporter la fin après "
        "le 31/05/2024, la fin d'avant",
        "support_contracts[0].amendments[1].ends_on : un avenant doit reporter la fin après "
        "le 31/05/2024, la fin d'avant",
    ]


def test_a_ref_given_twice_in_a_list_is_refused():
    data = rich()
    data["contacts"][2]["ref"] = "K01"
    data["objectives"][1]["ref"] = "O01"
    data["support_contracts"][1]["ref"] = "C01"
    errors = import_errors(data)
    assert "contacts[2].ref : référence « K01 » en double (déjà en contacts[0])" in errors
    assert "objectives[1].ref : référence « O01 » en double (déjà en objectives[0])" in errors
    assert (
        "support_contracts[1].ref : référence « C01 » en double (déjà en support_contracts[0])"
        in errors
    )


def test_lowering_a_programmes_cap_under_a_stored_contract_is_refused_at_the_programme():
    import_exchange(rich())
    data = rich()
    data["programmes"][0]["max_support_months"] = 12
    for name in ("support_contracts", "contacts", "objectives"):
        del data[name]
    (error,) = import_errors(data)
    assert error.startswith("programmes[0].max_support_months : contrat « C01 » :")
    assert "au plus tard le 14/11/2024" in error


def test_every_other_error_with_its_path_all_at_once_nothing_written():
    data = rich()
    data["programmes"][0]["max_support_months"] = 0
    data["support_contracts"][1]["stay"] = "S99"
    data["support_contracts"][0]["amendments"][1]["ref"] = "C01-1"
    data["support_contracts"][0]["amendments"][0]["signed_on"] = "2024-13-01"
    data["contacts"][0]["kind"] = "visit"
    data["contacts"][1]["household"] = "M99"
    data["contacts"][2]["on"] = None
    data["objectives"][0]["outcome"] = "achieved"
    data["objectives"][1]["outcome"] = None
    data["objectives"][1]["domain"] = "french"
    data["objectives"].append({"ref": "O03", "household": "M01", "domain": "cooking"})
    data["support_contracts"].append({"ref": "C04", "stay": "S02", "reason": "x"})
    errors = import_errors(data)
    assert errors == [
        "programmes[0].max_support_months : nombre de mois entre 1 et 1200 attendu (ou null)",
        "support_contracts[2].reason : champ inconnu",
        "support_contracts[2].signed_on : champ obligatoire",
        "support_contracts[2].starts_on : champ obligatoire",
        "support_contracts[2].ends_on : champ obligatoire",
        "support_contracts[0].amendments[0].signed_on : date inexistante « 2024-13-01 »",
        "contacts[0].kind : code inconnu « visit » (attendu : office_appointment, home_visit, "
        "joint_home_visit, phone, partner_meeting, other)",
        "contacts[2].on : champ obligatoire",
        "objectives[2].domain : code inconnu « cooking » (attendu : housing, budget, employment, "
        "training, french, health, parenting, family_reunification, administrative, mobility, "
        "other)",
        "objectives[2].set_on : champ obligatoire",
        "support_contracts[0].amendments[1].ref : référence « C01-1 » en double "
        "(déjà en support_contracts[0].amendments[0])",
        "contacts[1].household : ménage « M99 » inconnu (ni dans le fichier ni en base)",
        "objectives[0].outcome : résultat donné pour un objectif qui n'est pas clos "
        "(closed_on manquant)",
        "objectives[1].outcome : résultat obligatoire pour un objectif clos",
        "support_contracts[1].stay : séjour « S99 » inconnu (ni dans le fichier ni en base)",
    ]


def test_importing_twice_changes_nothing_and_a_changed_file_updates_by_ref():
    import_exchange(rich())
    counts, uuids = row_counts(), all_uuids()
    assert not import_exchange(rich()).changed
    assert (row_counts(), all_uuids()) == (counts, uuids)
    data = rich()
    data["support_contracts"][0]["amendments"].pop()  # the whole list: C01-2 goes
    data["contacts"][0]["kind"] = "phone"
    data["objectives"][0].update(closed_on="2024-06-30", outcome="partly_achieved")
    summary = import_exchange(data)
    assert summary.counts["amendments"].deleted == 1
    assert summary.counts["contacts"].updated == 1
    assert summary.counts["objectives"].updated == 1
    assert Contact.objects.get(ref="K01").kind == ContactKind.PHONE
    assert not Amendment.objects.filter(ref="C01-2").exists()
    assert all_uuids()["Contact"] == uuids["Contact"]


def test_a_file_without_the_lists_leaves_the_records_and_the_cap_alone():
    import_exchange(rich())
    counts = row_counts()
    data = rich()
    for name in ("support_contracts", "contacts", "objectives"):
        del data[name]
    for programme in data["programmes"]:
        del programme["max_support_months"]
    assert not import_exchange(data).changed
    assert row_counts() == counts
    assert Programme.objects.get(ref="iml-r").max_support_months == 18
    # A contract listed without its amendments keeps them.
    data = rich()
    del data["support_contracts"][0]["amendments"]
    assert not import_exchange(data).changed
    assert SupportContract.objects.get(ref="C01").amendments.count() == 2


def test_an_explicit_null_lifts_the_cap():
    import_exchange(rich())
    data = rich()
    data["programmes"][0]["max_support_months"] = None
    import_exchange(data)
    assert Programme.objects.get(ref="iml-r").max_support_months is None


def test_contacts_planned_in_seuil_are_not_exported_nor_touched_by_an_import(django_user_model):
    import_exchange(rich())
    contact = Contact.objects.get(ref="K01")
    Contact.objects.create(
        organisation=contact.organisation,
        ref="K-PLANNED",
        household=contact.household,
        on=contact.on,
        kind=ContactKind.PHONE,
        status=ContactStatus.PLANNED,
    )
    exported = export_organisation(apremis())
    assert [c["ref"] for c in exported["contacts"]] == ["K01", "K02", "K03"]
    assert not import_exchange(json.loads(dumps(exported))).changed
    assert Contact.objects.get(ref="K-PLANNED").status == ContactStatus.PLANNED


# ---------------------------------------------------------------- random valid files

DAYS = st.integers(0, 700)


@st.composite
def support_files(draw):
    """The rich file with random support lists that follow every rule."""
    data = rich()
    data["programmes"][0]["max_support_months"] = draw(st.sampled_from([None, 6, 12, 18]))
    entries = {s["ref"]: s for s in data["stays"]}
    caps = {p["ref"]: p["max_support_months"] for p in data["programmes"]}
    contracts, contacts, objectives = [], [], []
    for n in range(draw(st.integers(0, 4))):
        stay = entries[draw(st.sampled_from(sorted(entries)))]
        entered = date.fromisoformat(stay["entered_on"])
        last = last_possible_end(entered, caps.get(stay["programme"]))
        starts = entered + timedelta(days=draw(st.integers(0, 60)))
        end = starts + timedelta(days=draw(st.integers(0, 200)))
        if last is not None and end > last:
            end = max(starts, last) if starts <= last else None
        if end is None:
            continue
        amendments = []
        signed = starts
        for k in range(draw(st.integers(0, 3))):
            new_end = end + timedelta(days=draw(st.integers(1, 200)))
            if last is not None and new_end > last:
                break
            signed = signed + timedelta(days=draw(st.integers(0, 90)))
            amendments.append(
                {
                    "ref": f"A{n}-{k}",
                    "signed_on": signed.isoformat(),
                    "ends_on": new_end.isoformat(),
                }
            )
            end = new_end
        contracts.append(
            {
                "ref": f"C{n}",
                "stay": stay["ref"],
                "signed_on": (entered + timedelta(days=draw(st.integers(0, 90)))).isoformat(),
                "starts_on": starts.isoformat(),
                "ends_on": contracts_end(amendments, end, starts, draw),
                "amendments": amendments,
            }
        )
    households = [h["ref"] for h in data["households"]]
    base = date(2021, 1, 1)
    for n in range(draw(st.integers(0, 6))):
        contacts.append(
            {
                "ref": f"K{n}",
                "household": draw(st.sampled_from(households)),
                "on": (base + timedelta(days=draw(DAYS))).isoformat(),
                "kind": draw(st.sampled_from(ContactKind.values)),
            }
        )
    for n in range(draw(st.integers(0, 5))):
        set_on = base + timedelta(days=draw(DAYS))
        closed = draw(st.booleans())
        objectives.append(
            {
                "ref": f"O{n}",
                "household": draw(st.sampled_from(households)),
                "domain": draw(st.sampled_from(ObjectiveDomain.values)),
                "set_on": set_on.isoformat(),
                "closed_on": (set_on + timedelta(days=draw(DAYS))).isoformat() if closed else None,
                "outcome": draw(st.sampled_from(ObjectiveOutcome.values)) if closed else None,
            }
        )
    data.update(support_contracts=contracts, contacts=contacts, objectives=objectives)
    return data


def contracts_end(amendments, end, starts, draw):
    """The contract's own end: before the first amendment's, on or after its start."""
    if not amendments:
        return end.isoformat()
    first = date.fromisoformat(amendments[0]["ends_on"])
    span = (first - starts).days - 1
    return (starts + timedelta(days=draw(st.integers(0, max(span, 0))))).isoformat()


@settings(
    max_examples=examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(support_files())
def test_random_valid_files_come_back_identical(data):
    from django.db import transaction

    with transaction.atomic():
        import_exchange(data)
        with mock.patch("seuil.exchange.batches.BATCH_SIZE", 2):  # rows read two at a time
            exported = export_organisation(apremis())
        for contract in data["support_contracts"]:
            contract["amendments"].sort(key=lambda a: (a["signed_on"], a["ends_on"], a["ref"]))
        for name in ("programmes", "support_contracts", "contacts", "objectives"):
            assert exported[name] == sorted(data[name], key=lambda r: r["ref"])
        assert not import_exchange(json.loads(dumps(exported))).changed
        transaction.set_rollback(True)
