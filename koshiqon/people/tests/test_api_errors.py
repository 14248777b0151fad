"""Errors in one shape: 422 with field-level messages in the caller's language, 409 for possible duplicates."""

from datetime import date

import pytest

from koshiqon.people.domain.iin import make_iin
from koshiqon.people.factories import PersonFactory
from koshiqon.people.models import Person
from koshiqon.reference.models import Region

URL = "/api/v1/persons"


def new_person(**overrides):
    body = {
        "last_name": "Әбдіқадыров", "first_name": "Жанар", "birth_date": "1990-05-17", "sex": "M",
        "region": "KZ-55",
    }
    return body | overrides


def post(client, body, language="en"):
    return client.post(URL, body, content_type="application/json", headers={"Accept-Language": language})


def fields(response):
    return [e["field"] for e in response.json()["errors"]]


# --- 422 ------------------------------------------------------------------------------------------------

def test_a_wrong_iin_check_digit_answers_422_on_the_iin_field(api_client, officer):
    iin = make_iin(date(1990, 5, 17), "M", 42)
    wrong = iin[:11] + str((int(iin[11]) + 1) % 10)

    response = post(api_client(officer), new_person(iin=wrong))

    assert response.status_code == 422
    body = response.json()
    assert fields(response) == ["iin"]
    assert isinstance(body["detail"], str) and body["detail"]
    assert isinstance(body["errors"][0]["message"], str) and body["errors"][0]["message"]
    assert not Person.objects.exists()


def test_the_api_answers_in_the_language_the_caller_asks_for(api_client, officer):
    response = post(api_client(officer), new_person(iin="12345"), language="ru")

    assert response.status_code == 422
    assert response["Content-Language"] == "ru"
    assert fields(response) == ["iin"]
    message = response.json()["errors"][0]["message"]
    assert isinstance(message, str) and message


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_schema_errors_are_translated_into_the_caller_s_language(api_client, officer, language):
    body = {k: v for k, v in new_person().items() if k not in ("last_name", "region")}

    response = post(api_client(officer), body, language=language)

    assert response.status_code == 422
    assert response["Content-Language"] == language
    messages = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert set(messages) == {"last_name", "region"}
    # "This field is required." is Django's own msgid, so its Russian and Kazakh catalogues already carry it.
    for message in messages.values():
        assert message != "This field is required."
        assert any("\u0400" <= ch <= "\u04ff" for ch in message)


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"last_name": None}, "last_name", "Enter text."),
        ({"birth_date": "17.05.1990"}, "birth_date", "Enter a valid date as YYYY-MM-DD."),
        ({"sex": "X"}, "sex", "Choose one of: 'M', 'F'."),
        ({"first_name": "Ж" * 101}, "first_name", "Ensure this value has at most 100 characters."),
        ({"confirmed_new": "perhaps"}, "confirmed_new", "Enter true or false."),
        ({"nickname": "Жака"}, "nickname", "This field is not accepted here."),
    ],
)
def test_schema_errors_name_the_field_with_our_own_message(api_client, officer, change, field, message):
    response = post(api_client(officer), new_person(**change))

    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": field, "message": message}]


def test_every_missing_field_is_reported_at_once(api_client, officer):
    response = post(api_client(officer), {"first_name": "Жанар"})

    assert response.status_code == 422
    errors = response.json()["errors"]
    assert sorted(e["field"] for e in errors) == ["birth_date", "last_name", "region", "sex"]
    assert {e["message"] for e in errors} == {"This field is required."}


def test_a_body_that_is_not_an_object_is_an_error_of_the_whole_input(api_client, officer):
    response = post(api_client(officer), [new_person()])

    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "__all__", "message": "Send a JSON object."}]


def test_a_query_parameter_that_is_not_a_number_is_a_field_error(api_client, officer):
    response = api_client(officer).get(URL, {"offset": "ten"}, headers={"Accept-Language": "en"})

    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "offset", "message": "Enter a whole number."}]


def test_a_service_rule_answers_in_the_same_shape(api_client, officer):
    response = post(api_client(officer), new_person(birth_date="2999-01-01"))

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "birth_date", "message": "The date of birth cannot be in the future."}
    ]


def test_a_body_that_is_not_json_answers_400(api_client, officer):
    response = api_client(officer).post(URL, "{not json", content_type="application/json")

    assert response.status_code == 400
    assert isinstance(response.json()["detail"], str)


# --- 409 ------------------------------------------------------------------------------------------------

def test_a_possible_duplicate_answers_409_then_registers_when_confirmed_new(api_client, officer):
    existing = PersonFactory(iin=None)
    client = api_client(officer)

    first = post(client, new_person(last_name="Абдикадыров"))

    assert first.status_code == 409
    body = first.json()
    assert body["hidden"] == 0
    assert [(c["id"], c["reasons"], c["birth_date"]) for c in body["candidates"]] == [
        (existing.pk, ["name_and_birth_date"], "1990-05-17")
    ]
    assert body["candidates"][0]["score"] >= 85
    assert Person.objects.count() == 1

    second = post(client, new_person(last_name="Абдикадыров", confirmed_new=True))

    assert second.status_code == 201
    assert Person.objects.count() == 2


def test_candidates_in_regions_the_officer_may_not_see_are_only_counted(api_client, other_officer):
    PersonFactory(iin=None)  # Pavlodar

    response = post(api_client(other_officer), new_person(region="KZ-75"))

    assert response.status_code == 409
    assert response.json()["candidates"] == []
    assert response.json()["hidden"] == 1


def test_the_same_iin_stays_a_field_error_even_when_confirmed_new(api_client, officer, person):
    response = post(api_client(officer), new_person(iin=person.iin, confirmed_new=True))

    assert response.status_code == 422
    assert fields(response) == ["iin"]
    assert Person.objects.count() == 1


def test_the_same_iin_in_another_region_is_refused_without_showing_the_record(api_client, other_officer, person):
    response = post(api_client(other_officer), new_person(iin=person.iin, region="KZ-75", confirmed_new=True))

    assert response.status_code == 422
    assert fields(response) == ["iin"]
    assert str(person.pk) not in response.content.decode()
    assert not Person.objects.filter(region=Region.objects.get(code="KZ-75")).exists()
