"""The API's contract as other systems read it: every operation needs authentication, names itself with a
stable operation id, documents its errors with their shapes, and answers as its OpenAPI document says."""

import re
from datetime import date

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from config.api import api
from koshiqon.people.factories import PersonFactory
from koshiqon.people.models import IdentityDocument
from koshiqon.reference.models import Country

PREFIX = "/api/v1/"
WRITE_METHODS = {"post", "patch", "put", "delete"}
EVERY_ROLE = {"me_get"}  # the only reads that need no right beyond being signed in
ERROR_SHAPES = {422: "ValidationErrorOut", 409: "DuplicatesOut"}


def operations():
    schema = api.get_openapi_schema(path_prefix=PREFIX)
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_the_api_has_the_operations_of_the_person_registry():
    ids = {operation["operationId"] for _, _, operation in operations()}

    assert {
        "me_get", "person_list", "person_create", "person_get", "person_update", "person_archive", "person_audit",
        "person_merge", "document_list", "document_create", "document_get", "document_archive",
    } <= ids


@pytest.mark.django_db
def test_no_operation_answers_without_authentication(client):
    checked = 0
    for path, method, _ in operations():
        url = re.sub(r"\{[^}]+\}", "1", path)

        response = client.generic(method.upper(), url, "{}", content_type="application/json")

        assert response.status_code == 401, f"{method.upper()} {path} answered {response.status_code}"
        assert "detail" in response.json()
        checked += 1
    assert checked >= 12


def test_operation_ids_are_readable_and_unique():
    ids = [operation["operationId"] for _, _, operation in operations()]

    assert len(ids) == len(set(ids))
    for operation_id in ids:
        assert re.fullmatch(r"[a-z]+(_[a-z]+)+", operation_id), operation_id


def test_every_operation_lists_its_error_responses_with_their_shapes():
    for path, method, operation in operations():
        name = f"{method.upper()} {path}"
        responses = operation["responses"]
        has_input = bool(operation.get("parameters")) or "requestBody" in operation
        expected = {"401"}
        expected |= {"404"} if "{" in path else set()
        expected |= {"422"} if has_input else set()
        expected |= {"403"} if method in WRITE_METHODS or operation["operationId"] not in EVERY_ROLE else set()
        assert expected <= {str(code) for code in responses}, name
        for code, response in responses.items():
            if int(code) >= 400:
                schema = response["content"]["application/json"]["schema"]
                assert schema["$ref"].endswith("/" + ERROR_SHAPES.get(int(code), "ErrorOut")), f"{name} {code}"
        assert {next(iter(s)) for s in operation["security"]} == {"BearerToken", "SessionCookie"}, name


def test_only_person_registration_can_answer_with_possible_duplicates():
    answering_409 = {operation["operationId"] for _, _, operation in operations() if "409" in {str(c) for c in operation["responses"]}}

    assert answering_409 == {"person_create"}


@pytest.fixture
def registry(national):
    """A little data for the generated requests to find: persons in two regions and a document."""
    person = PersonFactory()
    PersonFactory(iin=None, last_name="Омаров", first_name="Ерлан", birth_date=date(1969, 2, 3))
    IdentityDocument.objects.create(
        person=person, kind="passport", number="N1234567", issuing_country=Country.objects.get(alpha2="KZ"),
    )
    return person


@pytest.fixture
def wsgi_app():
    """The project's WSGI application, called in-process. As Django's own test client does, the per-request
    closing of database connections is switched off, so that the test's transaction survives each request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_every_operation_answers_as_the_openapi_document_says(national, registry, api_token, wsgi_app):
    """Schemathesis generates requests from the document and checks each answer: never a server error,
    only documented status codes and content types, bodies that match the documented schemas, and no answer
    without the credentials."""
    auth = {"Authorization": f"Bearer {api_token(national)}"}
    schema = schemathesis.openapi.from_wsgi(f"{PREFIX}openapi.json", wsgi_app, headers=auth)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12

    statuses: dict[str, list[int]] = {}
    for operation in operations:
        method = operation.method.upper()
        # A schema cannot say every business rule (an IIN's check digit, a region that exists), so a write may
        # refuse schema-valid input with 422; reads must accept it.
        excluded = [] if method == "GET" else [positive_data_acceptance]
        statuses.setdefault(method, []).extend(fuzz(operation, headers=auth, excluded_checks=excluded))
    assert 200 in statuses["GET"] and 404 in statuses["GET"]
    assert len(sum(statuses.values(), [])) >= 5 * len(operations)


def fuzz(operation, **call) -> list[int]:
    """Call one operation with a small, reproducible set of generated requests; the status codes seen."""
    seen = []

    @given(case=operation.as_strategy())
    @settings(max_examples=12, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate],
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    def answers_as_documented(case):
        seen.append(case.call_and_validate(**call).status_code)

    answers_as_documented()
    return seen
