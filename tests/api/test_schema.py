"""The OpenAPI document of the API v1."""

import json

import pytest
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


def test_the_schema_is_a_valid_openapi_document(api_a):
    response = api_a.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "API Seuil"
    for path in (
        "/api/v1/households/{uuid}/members/",
        "/api/v1/households/{uuid}/resources/",
        "/api/v1/persons/{uuid}/legal-status/",
        "/api/v1/memberships/{uuid}/",
        "/api/v1/housing-units/",
        "/api/v1/stays/{uuid}/exit/",
    ):
        assert path in schema["paths"], path
    assert "jeton" in schema["components"]["securitySchemes"]
    assert "delete" not in schema["paths"]["/api/v1/households/{uuid}/"]
    # The household list's filters, the ones housing registers included.
    parameters = {
        p["name"]: p["schema"] for p in schema["paths"]["/api/v1/households/"]["get"]["parameters"]
    }
    assert {"q", "programme", "presence", "legal_status"} <= set(parameters)
    assert parameters["programme"]["format"] == "uuid"
    assert set(parameters["presence"]["enum"]) == {"present", "left", "never"}


def test_no_schema_property_exposes_an_integer_id_or_the_organisation(api_a):
    response = api_a.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    schemas = json.loads(response.content)["components"]["schemas"]
    for name, component in schemas.items():
        properties = component.get("properties", {})
        assert "id" not in properties, name
        assert "organisation" not in properties, name


def test_the_schema_is_not_public(anonymous):
    assert anonymous.get("/api/v1/schema/").status_code == 401


def schema_of(api_a):
    response = api_a.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    return json.loads(response.content)


def test_every_operation_documents_its_error_answers(api_a):
    schema = schema_of(api_a)
    paths = schema["paths"]
    for path, methods in paths.items():
        for method, operation in methods.items():
            answers = operation["responses"]
            assert {"401", "429"} <= set(answers), (method, path)
            if "{uuid}" in path:
                assert "404" in answers, (method, path)
            if "requestBody" in operation:
                assert {"400", "403", "415"} <= set(answers), (method, path)
                assert list(operation["requestBody"]["content"]) == ["application/json"]
    detail = paths["/api/v1/households/{uuid}/"]["get"]["responses"]["404"]
    assert detail["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    assert "400" in paths["/api/v1/stays/"]["get"]["responses"]  # its query filters
    assert schema["components"]["schemas"]["Error"]["required"] == ["detail"]


def test_the_schema_documents_the_bounds_the_api_enforces(api_a):
    components = schema_of(api_a)["components"]["schemas"]
    member = components["NewMemberRequest"]["properties"]
    assert member["first_name"]["maxLength"] == 150
    assert member["first_name"]["pattern"] == "^[^\\u0000-\\u001f\\u007f-\\u009f]*$"
    assert "du 01/01/1900 à aujourd'hui" in member["birth_date"]["description"]
    assert "un an après aujourd'hui" in member["joined_on"]["description"]
    assert member["version"]["minimum"] == 1
    unit = components["HousingUnitRequest"]["properties"]
    assert unit["address"]["maxLength"] == 300 and "pattern" in unit["address"]
    assert "du 01/01/1900" in unit["captured_on"]["description"]
    assert unit["rent"]["minimum"] == 0 and unit["rent"]["maximum"] == 10**7


def test_the_schema_is_served_in_the_language_asked(api_a):
    """Built once per language (the document is cached): each language keeps its own."""

    def limit_description(query=""):
        response = api_a.get(
            f"/api/v1/schema/{query}", HTTP_ACCEPT="application/vnd.oai.openapi+json"
        )
        parameters = json.loads(response.content)["paths"]["/api/v1/households/"]["get"]
        return next(p for p in parameters["parameters"] if p["name"] == "limit")["description"]

    assert limit_description() == "Nombre de résultats à retourner par page."
    assert limit_description("?lang=en") == "Number of results to return per page."
    assert limit_description() == "Nombre de résultats à retourner par page."
