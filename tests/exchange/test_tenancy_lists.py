"""The tenancy lists of the exchange file (EXCHANGE.md §1.1): optional, atomic, idempotent
on ref and on (sub-lease, month), every error with its path, round trip."""

import copy
import json
from decimal import Decimal
from unittest import mock

import pytest

from seuil.core.models import ChangeRecord, Organisation
from seuil.exchange.exporter import dumps, export_organisation
from seuil.exchange.importer import ExchangeValidationError, import_exchange
from seuil.housing.models import HousingUnit
from seuil.tenancy.models import (
    Inspection,
    Instalment,
    Payment,
    RentCall,
    RepaymentPlan,
    SubLease,
    SubLeaseTerm,
)
from tests.exchange.conftest import row_counts
from tests.exchange.samples import TENANCY, rich, rich_with_tenancy

pytestmark = pytest.mark.django_db

TENANCY_MODELS = [SubLease, SubLeaseTerm, RentCall, Payment, RepaymentPlan, Instalment, Inspection]


def tenancy_rows():
    return {
        model.__name__: sorted(map(str, model.objects.values_list("uuid", flat=True)))
        for model in TENANCY_MODELS
    }


def export():
    return export_organisation(Organisation.objects.get(ref="apremis"))


def refused(data):
    """The (path, message) errors of a file that must be refused, nothing written."""
    before = (row_counts(), tenancy_rows())
    with pytest.raises(ExchangeValidationError) as caught:
        import_exchange(data)
    assert (row_counts(), tenancy_rows()) == before
    return dict(caught.value.items)


@pytest.mark.parametrize("batch", [1, 1000])
def test_the_tenancy_comes_back_identical_and_imports_again_without_change(batch):
    """Whatever the batch the export reads its rows by (one row, or all of them)."""
    import_exchange(rich_with_tenancy())
    with mock.patch("seuil.exchange.batches.BATCH_SIZE", batch):
        exported = export()
    assert exported == rich_with_tenancy()
    assert exported["rent_calls"][0]["month"] == "2023-12"
    assert exported["sub_leases"][0]["terms"][0]["rent"] == 420.5
    rows = tenancy_rows()
    summary = import_exchange(json.loads(dumps(exported)))
    assert not summary.changed
    assert tenancy_rows() == rows


def test_amounts_and_dates_are_stored_as_given():
    import_exchange(rich_with_tenancy())
    sub_lease = SubLease.objects.get(ref="B01")
    assert sub_lease.stay.ref == "S01"
    assert (sub_lease.tripartite, sub_lease.due_day, sub_lease.deposit) == (True, 5, 420)
    assert [t.rent for t in sub_lease.terms.all()] == [Decimal("420.50"), Decimal("430.50")]
    call = RentCall.objects.get(sub_lease=sub_lease, month__month=12)
    assert call.share == Decimal("170.50")
    plan = RepaymentPlan.objects.get(ref="E01")
    assert [i.amount for i in plan.instalments.all()] == [200, 200]
    assert Inspection.objects.get(ref="I02").stay is None


def test_a_file_without_the_lists_leaves_the_tenancy_alone():
    import_exchange(rich_with_tenancy())
    rows = tenancy_rows()
    data = rich()
    for name in TENANCY:
        del data[name]
    assert not import_exchange(data).changed
    assert tenancy_rows() == rows


def test_a_changed_file_updates_by_ref_without_duplicates():
    import_exchange(rich_with_tenancy())
    payment = Payment.objects.get(ref="R01")
    data = rich_with_tenancy()
    data["payments"][0]["amount"] = 180
    data["rent_calls"][0]["housing_benefit"] = 300
    data["sub_leases"][0]["terms"] = data["sub_leases"][0]["terms"][:1]
    data["repayment_plans"][0]["instalments"].append({"due_on": "2024-04-25", "amount": 50})
    summary = import_exchange(data)
    assert summary.counts["payments"].updated == 1
    assert summary.counts["rent_calls"].updated == 1
    assert summary.counts["sub_lease_terms"].deleted == 1
    assert summary.counts["instalments"].created == 1
    assert Payment.objects.get(ref="R01").pk == payment.pk
    assert Payment.objects.get(ref="R01").amount == 180
    assert Payment.objects.count() == 2
    assert export() == data


def test_rent_calls_listed_replace_those_of_the_sub_leases_the_file_names():
    import_exchange(rich_with_tenancy())
    data = rich_with_tenancy()
    data["rent_calls"] = [c for c in data["rent_calls"] if c["month"] != "2023-12"]
    import_exchange(data)
    assert RentCall.objects.count() == 2
    assert not RentCall.objects.filter(month__year=2023).exists()


def test_a_rent_call_is_identified_by_its_sub_lease_and_month():
    import_exchange(rich_with_tenancy())
    data = rich_with_tenancy()
    data["rent_calls"][0]["due_on"] = "2023-12-06"
    import_exchange(data)
    assert RentCall.objects.filter(sub_lease__ref="B01").count() == 2
    assert RentCall.objects.get(sub_lease__ref="B01", month__year=2023).due_on.day == 6


def test_every_error_comes_with_its_path_and_nothing_is_written():
    import_exchange(rich())
    data = rich_with_tenancy()
    data["sub_leases"][0]["due_day"] = 29
    data["sub_leases"][0]["terms"][1]["housing_benefit"] = 600
    data["sub_leases"][1]["stay"] = "S01"  # a second sub-lease on S01
    data["sub_leases"].append(
        {"ref": "B09", "stay": "S99", "signed_on": "2024-01-01", "due_day": 0, "terms": []}
    )
    data["rent_calls"][1]["month"] = "2023-12"  # the month of rent_calls[0] again
    data["rent_calls"][2]["housing_benefit"] = 501
    data["rent_calls"].append(
        {"sub_lease": "B77", "month": "2024-13", "due_on": "2024-01-05", "rent": 1}
    )
    data["payments"][0]["amount"] = 0
    data["payments"][1]["amount"] = -5
    data["payments"].append(
        {
            "ref": "R01",
            "sub_lease": "B01",
            "paid_on": "2024-01-02",
            "amount": 1,
            "method": "bitcoin",
        }
    )
    data["repayment_plans"][0]["instalments"] = []
    data["repayment_plans"].append(
        {
            "ref": "E02",
            "sub_lease": "B01",
            "agreed_on": "2024-06-10",
            "debt": 600,
            "instalments": [
                {"due_on": "2024-07-10", "amount": 50},
                {"due_on": "2024-07-10", "amount": 50},
            ],
        }
    )
    data["inspections"][0]["kind"] = "final"
    data["inspections"][1]["stay"] = "S01"  # S01 is in L01, not L03
    errors = refused(data)
    assert set(errors) >= {
        "sub_leases[0].due_day",
        "sub_leases[0].terms[1].housing_benefit",
        "sub_leases[1].stay",
        "sub_leases[2].stay",
        "sub_leases[2].due_day",
        "rent_calls[1].month",
        "rent_calls[2].housing_benefit",
        "rent_calls[3].sub_lease",
        "rent_calls[3].month",
        "payments[0].amount",
        "payments[1].amount",
        "payments[2].ref",
        "payments[2].method",
        "repayment_plans[0].instalments",
        "repayment_plans[1].instalments[1].due_on",
        "inspections[0].kind",
        "inspections[1].stay",
    }, errors
    assert "une seule par séjour" in errors["sub_leases[1].stay"]
    assert "inconnu" in errors["sub_leases[2].stay"]


def test_a_plan_without_its_instalments_is_refused():
    import_exchange(rich())
    data = rich_with_tenancy()
    del data["repayment_plans"][0]["instalments"]
    assert "repayment_plans[0].instalments" in refused(data)


def test_no_sub_lease_in_a_unit_under_a_management_mandate():
    import_exchange(rich())
    HousingUnit.objects.filter(ref="L01").update(management_mode="mandate")
    errors = refused(rich_with_tenancy())
    assert "mandat de gestion" in errors["sub_leases[0].stay"]


def test_a_second_sub_lease_on_a_stay_that_has_one_in_the_database_is_refused():
    import_exchange(rich_with_tenancy())
    data = rich()
    data["sub_leases"] = [
        {"ref": "B02", "stay": "S01", "signed_on": "2024-01-01", "terms": []},
    ]
    assert "sub_leases[0].stay" in refused(data)


def test_a_sub_lease_may_move_to_a_free_stay():
    import_exchange(rich_with_tenancy())
    data = rich_with_tenancy()
    data["sub_leases"][1]["stay"] = "S02"
    data["sub_leases"].append({"ref": "B04", "stay": "S03", "signed_on": "2021-02-01", "terms": []})
    import_exchange(data)
    assert SubLease.objects.get(ref="B03").stay.ref == "S02"
    assert SubLease.objects.get(ref="B04").stay.ref == "S03"


def test_the_import_writes_the_history_of_the_household_files():
    import_exchange(rich_with_tenancy())
    sub_lease = SubLease.objects.select_related("stay__household").get(ref="B01")
    record = ChangeRecord.objects.get(object_uuid=sub_lease.uuid)
    assert record.household_uuid == sub_lease.stay.household.uuid
    assert record.changes["stay"] == [None, "S01"]
    payment = Payment.objects.get(ref="R01")
    assert ChangeRecord.objects.get(object_uuid=payment.uuid).household_uuid == (
        sub_lease.stay.household.uuid
    )


def test_not_a_list_and_not_an_object_are_errors():
    import_exchange(rich())
    data = rich()
    data["sub_leases"] = {"ref": "B01"}
    data["payments"] = [3]
    data["rent_calls"] = [{"sub_lease": "B01", "month": 202312, "due_on": "2023-12-05"}]
    errors = refused(data)
    assert errors["sub_leases"] == "liste attendue"
    assert errors["payments[0]"] == "objet attendu"
    assert "mois invalide" in errors["rent_calls[0].month"]
    assert errors["rent_calls[0].rent"] == "champ obligatoire"
    assert "rent_calls[0].sub_lease" in errors  # unknown


def test_an_exported_file_of_the_tenancy_is_the_same_after_a_round_trip_through_json():
    data = rich_with_tenancy()
    import_exchange(copy.deepcopy(data))
    text = dumps(export())
    assert json.loads(text) == data
