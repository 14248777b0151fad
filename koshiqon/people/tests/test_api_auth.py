"""Who may call the API: a signed-in person (session, CSRF on writes) or a system with a live token.
Reads of a person's record through the API are logged."""

from datetime import date

from django.test import Client

from koshiqon.accounts.models import ApiToken
from koshiqon.accounts.services import api_token_revoke
from koshiqon.core.models import AccessEvent
from koshiqon.people.domain.iin import make_iin
from koshiqon.people.models import Person

CSRF = "k" * 32  # a well-formed CSRF secret, as the pages' cookie carries
NEW_PERSON = {
    "last_name": "Тоқтарова", "first_name": "Әсел", "birth_date": "2001-11-30", "sex": "F", "region": "KZ-55",
    "iin": make_iin(date(2001, 11, 30), "F", 3),
}


def bearer(raw):
    return {"Authorization": f"Bearer {raw}"}


def strict_client(user=None):
    """A client that checks CSRF tokens as a browser's requests are checked."""
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_a_system_reads_persons_with_its_token(client, officer, person, api_token):
    response = client.get("/api/v1/persons", headers=bearer(api_token(officer)))

    assert response.status_code == 200
    assert [p["id"] for p in response.json()["items"]] == [person.pk]


def test_a_token_sees_only_the_regions_of_its_user(client, other_officer, person, api_token):
    response = client.get(f"/api/v1/persons/{person.pk}", headers=bearer(api_token(other_officer)))

    assert response.status_code == 404


def test_a_revoked_token_answers_401(client, officer, person, api_token):
    raw = api_token(officer)
    api_token_revoke(token=ApiToken.objects.get(user=officer), by=officer, reason="system retired")

    response = client.get("/api/v1/persons", headers=bearer(raw))

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert isinstance(response.json()["detail"], str)


def test_a_token_that_was_never_issued_answers_401(client, officer):
    assert client.get("/api/v1/persons", headers=bearer("kq_made-up")).status_code == 401


def test_the_token_of_a_deactivated_user_answers_401(client, officer, api_token):
    raw = api_token(officer)
    officer.is_active = False
    officer.save(update_fields=["is_active"])

    assert client.get("/api/v1/persons", headers=bearer(raw)).status_code == 401


def test_a_system_writes_with_its_token_without_a_csrf_token(officer, api_token):
    response = strict_client().post("/api/v1/persons", NEW_PERSON, content_type="application/json",
                                    headers=bearer(api_token(officer)))

    assert response.status_code == 201


def test_a_session_write_without_the_csrf_token_is_refused(officer):
    response = strict_client(officer).post("/api/v1/persons", NEW_PERSON, content_type="application/json")

    assert response.status_code == 403
    assert not Person.objects.exists()


def test_a_session_write_with_the_csrf_token_is_accepted(officer):
    client = strict_client(officer)
    client.cookies["csrftoken"] = CSRF

    response = client.post("/api/v1/persons", NEW_PERSON, content_type="application/json",
                           headers={"X-CSRFToken": CSRF})

    assert response.status_code == 201


def test_a_write_with_no_credentials_answers_401_not_a_csrf_error(reference):
    response = strict_client().post("/api/v1/persons", NEW_PERSON, content_type="application/json")

    assert response.status_code == 401


def test_reading_a_person_through_the_api_is_logged(client, officer, person, api_token):
    client.get(f"/api/v1/persons/{person.pk}", headers=bearer(api_token(officer)))

    event = AccessEvent.objects.get()
    assert (event.user, event.object_type, event.object_id) == (officer, "people.person", str(person.pk))
    assert (event.channel, event.path) == ("api", f"/api/v1/persons/{person.pk}")


def test_a_refused_read_is_not_logged_as_a_read(client, other_officer, person, api_token):
    client.get(f"/api/v1/persons/{person.pk}", headers=bearer(api_token(other_officer)))

    assert not AccessEvent.objects.exists()


def test_me_tells_the_caller_their_role_regions_and_rights(api_client, officer):
    response = api_client(officer).get("/api/v1/me", headers={"Accept-Language": "en"})

    assert response.status_code == 200
    body = response.json()
    assert (body["username"], body["role"], body["regions"], body["national"]) == (
        "officer55", "regional_officer", ["KZ-55"], False
    )
    assert body["role_label"] == "Regional officer"
    assert "people.change" in body["permissions"]
    assert "people.delete" not in body["permissions"]


def test_me_works_with_a_token_too(client, national, api_token):
    body = client.get("/api/v1/me", headers=bearer(api_token(national))).json()

    assert (body["username"], body["national"], body["regions"]) == ("national", True, [])


def test_the_openapi_document_needs_authentication_too(client, national, api_token):
    anonymous = client.get("/api/v1/openapi.json")
    with_token = client.get("/api/v1/openapi.json", headers=bearer(api_token(national)))

    assert anonymous.status_code == 401
    assert with_token.status_code == 200
    assert "/api/v1/persons" in with_token.json()["paths"]
