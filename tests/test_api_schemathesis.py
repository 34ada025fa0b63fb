"""Property-based API tests: every operation of /api/v1/schema/, fuzzed by Schemathesis.

Requests go through the WSGI application with a real personal token of organisation A's
manager, on real data of A: every `{uuid}` in a path points to an object of A of the
right kind, so reads and writes reach the serializers and services rather than a 404.

Both generation modes run, in the fuzzing and the coverage phases: positive data (what the
schema allows) and negative data (what it forbids: a wrong type, a text too long or with a
control character, an integer out of bounds, a missing field, an empty query parameter…).
Every check of Schemathesis applies: no server error; status codes, content types, headers
and bodies as the schema documents them (the errors too); negative data refused (4xx);
positive data accepted, where 400 remains possible, as the schema cannot say which uuids
the organisation holds, nor the rules across fields and records the services keep (a stay
exits after it enters, one head per household, one resources record a day); the same
request without the token refused (401); a method the path does not take answers 405.
"""

import re

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.config import PositiveDataAcceptanceConfig

from seuil.core.api_errors import UserRateThrottle
from seuil.core.models import ApiToken
from seuil.wsgi import application
from tests.conftest import examples
from tests.test_every_url_is_scoped import data_of_a  # noqa: F401 (a fixture)

# A uuid as the schema's format says (what a negative case breaks).
WELL_FORMED_UUID = re.compile(r"[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")
MODES = [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]

# The schema /api/v1/schema/ serves (it needs authentication, so it is built directly).
schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
schema.app = application
schema.config.generation.modes = MODES
# Every check but the response time: speed is measured by the benchmarks, not by a test
# that fails on a loaded machine.
schema.config.checks.update(
    included_check_names=["all"], excluded_check_names=["max_response_time"]
)
schema.config.checks.positive_data_acceptance = PositiveDataAcceptanceConfig(
    expected_statuses=[*PositiveDataAcceptanceConfig().expected_statuses, "400"]
)
# Both phases in both modes: fuzzing draws `examples(6)` cases per operation (Hypothesis
# profiles, tests/conftest.py); the coverage phase sends each boundary case the schema
# defines once, valid and invalid (some 3,500 requests in all, a dozen seconds).
schema.config.phases.coverage.generation.modes = MODES


@pytest.fixture
def token_header(member_a, monkeypatch):
    # Calling the WSGI application directly fires request_started/finished, whose
    # close_old_connections would close the test's own transaction (PostgreSQL): Django's
    # test client disconnects it the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    # Hundreds of requests a minute: the account's rate does not apply here.
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": None})
    _, key = ApiToken.issue(member_a, name="schemathesis")
    yield {"Authorization": f"Token {key}"}
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# First path segment after /api/v1/ → the kind of object of `data_of_a` it names.
OBJECT_OF_PATH = {
    "households": "household",
    "persons": "person",
    "memberships": "membership",
    "housing-units": "unit",
    "stays": "stay",
    "programmes": "programme",
    "sectors": "sector",
    "landlords": "landlord",
    "sub-leases": "sub_lease",
    "rent-calls": "rent_call",
    "payments": "payment",
    "repayment-plans": "repayment_plan",
    "support-contracts": "support_contract",
    "contacts": "contact",
    "objectives": "objective",
    "partner-referrals": "partner_referral",
    "employment-records": "employmentrecord",
    "training-records": "trainingrecord",
    "french-level-records": "frenchlevelrecord",
    "reviews": "monthly_review",
    "meetings": "support_meeting",
    "follow-ups": "follow_up",
    "mobility-files": "mobility_file",
}


@pytest.mark.django_db(transaction=False)
@schema.parametrize()
@settings(
    max_examples=examples(6),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_schema(case, token_header, data_of_a):  # noqa: F811
    if case.path_parameters and WELL_FORMED_UUID.fullmatch(str(case.path_parameters.get("uuid"))):
        # A well-formed uuid is swapped for an object of A of the right kind; a malformed
        # one (negative data) is left for the server to refuse.
        kind = OBJECT_OF_PATH[case.path.split("/")[3]]
        case.path_parameters["uuid"] = str(data_of_a[kind].uuid)
    case.call_and_validate(headers=token_header)
