"""An operator's export when a household whose file the SIAO holds lives in one of its
units: the document stays valid and round-trips, and says what it leaves out."""

import io
import json

import pytest
from django.core.management import call_command

from seuil.core.enums import Role
from seuil.exchange.exporter import dumps, export_organisation
from seuil.exchange.importer import import_exchange
from seuil.orientation.services.proposals import answer_proposal, enter_from_proposal, make_proposal
from tests.core.factories import UserFactory
from tests.matching.scenario import admit, scene, vacant
from tests.orientation.flow import today

pytestmark = pytest.mark.usefixtures("today")  # the clock on the fixed day, TODAY


def housed_by_the_operator(s):
    referral = admit(s, "Awa")
    proposal = make_proposal(
        vacant(s, "L-T2"), referral, proposed_on=today(), acting_user=s.coordinator
    )
    answer_proposal(
        proposal, party="household", accepted=True, on=today(), acting_user=s.coordinator
    )
    manager = UserFactory(organisation=s.operator, role=Role.SERVICE_MANAGER)
    return enter_from_proposal(proposal, entered_on=today(), acting_user=manager)


def test_the_export_leaves_out_the_stay_of_a_household_held_by_the_siao(db):
    s = scene()
    stay = housed_by_the_operator(s)
    assert stay.organisation == s.operator and stay.household.organisation == s.siao
    document = export_organisation(s.operator)
    assert [u["ref"] for u in document["housing_units"]] == ["L-T2"]
    assert document["stays"] == [] and document["households"] == []
    # The document is valid: importing it again changes nothing.
    assert not import_exchange(json.loads(dumps(document))).changed


def test_the_command_says_what_it_left_out(db, tmp_path):
    s = scene()
    housed_by_the_operator(s)
    out, err = io.StringIO(), io.StringIO()
    target = tmp_path / "export.json"
    call_command(
        "export", "--organisation", s.operator.ref, "--output", str(target), stdout=out, stderr=err
    )
    assert json.loads(target.read_text())["stays"] == []
    assert "1 séjour d'un ménage dont le dossier est tenu par une autre organisation" in (
        err.getvalue()
    )
