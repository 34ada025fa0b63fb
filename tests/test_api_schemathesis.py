"""Property-based API tests: every operation of /api/v1/schema/, fuzzed by Schemathesis.

Requests go through the WSGI application with a real personal token of organisation A's
manager, on real data of A: every `{uuid}` in a path points to an object of A of the
right kind, so reads and writes reach the serializers and services rather than a 404.
Each response must not be a server error and must conform to the OpenAPI schema.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from seuil.core.models import ApiToken
from seuil.wsgi import application
from tests.conftest import ci_profile, examples
from tests.test_every_url_is_scoped import data_of_a  # noqa: F401 (a fixture)

# The schema /api/v1/schema/ serves (it needs authentication, so it is built directly).
schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
schema.app = application
if not ci_profile():
    # Schemathesis's coverage phase sends every boundary case the schema defines, some 3,500
    # requests: under the dev profile, only its valid ones (a third); all of them under ci.
    schema.config.phases.coverage.generation.modes = [schemathesis.GenerationMode.POSITIVE]


@pytest.fixture
def token_header(member_a):
    # Calling the WSGI application directly fires request_started/finished, whose
    # close_old_connections would close the test's own transaction (PostgreSQL): Django's
    # test client disconnects it the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
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
    if case.path_parameters and "uuid" in case.path_parameters:
        kind = OBJECT_OF_PATH[case.path.split("/")[3]]
        case.path_parameters["uuid"] = str(data_of_a[kind].uuid)
    case.call_and_validate(
        headers=token_header, checks=[not_a_server_error, response_schema_conformance]
    )
