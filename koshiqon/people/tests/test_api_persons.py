"""The persons API: each role gets what the pages give it (200/201, 403, or 404 outside its regions)."""

from datetime import date

import pytest

from koshiqon.core.models import AuditEvent
from koshiqon.people.domain.iin import make_iin
from koshiqon.people.factories import PersonFactory
from koshiqon.people.models import Person
from koshiqon.reference.models import Country, Region

URL = "/api/v1/persons"


def new_person(**overrides):
    body = {
        "last_name": "Сейітқали", "first_name": "Нұрлан", "patronymic": "Серікұлы",
        "last_name_latin": "SEIITKALI", "first_name_latin": "NURLAN",
        "birth_date": "1984-03-02", "sex": "M", "citizenship": "CN", "region": "KZ-55",
        "iin": make_iin(date(1984, 3, 2), "M", 4711),
    }
    return body | overrides


# --- list -----------------------------------------------------------------------------------------------

def test_an_officer_lists_the_persons_of_their_region(api_client, officer, person):
    response = api_client(officer).get(URL)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert [p["id"] for p in body["items"]] == [person.pk]
    assert body["items"][0]["region"] == "KZ-55"
    assert body["items"][0]["citizenship"] == "KZ"


def test_a_viewer_of_the_region_may_list_persons(api_client, viewer, person):
    response = api_client(viewer).get(URL)

    assert response.status_code == 200
    assert [p["id"] for p in response.json()["items"]] == [person.pk]


def test_an_officer_of_another_region_does_not_see_the_person_in_the_list(api_client, other_officer, person):
    almaty = PersonFactory(iin=None, region=Region.objects.get(code="KZ-75"))
    client = api_client(other_officer)

    response = client.get(URL)

    assert response.status_code == 200
    assert [p["id"] for p in response.json()["items"]] == [almaty.pk]
    assert response.json()["count"] == 1
    assert client.get(URL, {"q": person.iin}).json()["count"] == 0


def test_an_analyst_may_not_list_persons(api_client, analyst, person):
    assert api_client(analyst).get(URL).status_code == 403


def test_the_list_is_paginated_with_the_total_count(api_client, national):
    people = [PersonFactory(last_name=name, first_name="Айгүл", sex="F") for name in ("Ахметова", "Бекова", "Жанова")]

    body = api_client(national).get(URL, {"limit": 2, "offset": 2}).json()

    assert body["count"] == 3
    assert (body["limit"], body["offset"]) == (2, 2)
    assert [p["id"] for p in body["items"]] == [people[2].pk]


@pytest.mark.parametrize(
    "filters, expected",
    [
        ({"region": "KZ-75"}, ["almaty"]),
        ({"region": "kz-55"}, ["pavlodar"]),
        ({"citizenship": "CN"}, ["almaty"]),
        ({"sex": "F"}, ["almaty"]),
        ({"born_from": "1990-01-01"}, ["pavlodar"]),
        ({"born_to": "1989-12-31"}, ["almaty"]),
        ({"q": "ZHANAR"}, ["pavlodar"]),
        ({"q": "Гүлназ"}, ["almaty"]),
    ],
)
def test_the_list_filters_persons(api_client, national, filters, expected):
    PersonFactory()  # Әбдіқадыров Жанар, Pavlodar, Kazakhstan, M, 1990
    PersonFactory(
        last_name="Омарова", first_name="Гүлназ", last_name_latin="OMAROVA", first_name_latin="GULNAZ", sex="F",
        birth_date=date(1975, 1, 9), iin=make_iin(date(1975, 1, 9), "F", 12),
        region=Region.objects.get(code="KZ-75"), citizenship=Country.objects.get(alpha2="CN"),
    )

    items = api_client(national).get(URL, filters).json()["items"]

    assert ["pavlodar" if p["region"] == "KZ-55" else "almaty" for p in items] == expected


def test_a_page_larger_than_a_hundred_is_refused_with_a_field_error(api_client, officer):
    response = api_client(officer).get(URL, {"limit": 500})

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["limit"]


# --- detail ---------------------------------------------------------------------------------------------

def test_an_officer_reads_a_person_of_their_region_with_documents(api_client, officer, person):
    response = api_client(officer).get(f"{URL}/{person.pk}")

    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["iin"], body["birth_date"], body["documents"]) == (person.pk, person.iin, "1990-05-17", [])


def test_a_viewer_of_the_region_may_read_a_person(api_client, viewer, person):
    assert api_client(viewer).get(f"{URL}/{person.pk}").status_code == 200


def test_an_officer_of_another_region_gets_404_for_the_person(api_client, other_officer, person):
    response = api_client(other_officer).get(f"{URL}/{person.pk}")

    assert response.status_code == 404
    assert response.json() == {"detail": "Табылмады."}  # Kazakh unless the caller asks for another language
    in_english = api_client(other_officer).get(f"{URL}/{person.pk}", headers={"Accept-Language": "en"})
    assert in_english.json() == {"detail": "Not found."}


def test_an_analyst_may_not_read_a_person(api_client, analyst, person):
    assert api_client(analyst).get(f"{URL}/{person.pk}").status_code == 403


# --- create ---------------------------------------------------------------------------------------------

def test_an_officer_registers_a_person_in_their_region(api_client, officer):
    response = api_client(officer).post(URL, new_person(), content_type="application/json")

    assert response.status_code == 201
    body = response.json()
    saved = Person.objects.get(pk=body["id"])
    assert (saved.last_name, saved.region.code, saved.citizenship.alpha2) == ("Сейітқали", "KZ-55", "CN")
    assert (body["region"], body["citizenship"], body["last_name_latin"]) == ("KZ-55", "CN", "SEIITKALI")
    assert AuditEvent.objects.filter(action="people.person.create", object_id=str(saved.pk), actor=officer).exists()


def test_a_viewer_may_not_register_a_person(api_client, viewer):
    response = api_client(viewer).post(URL, new_person(), content_type="application/json")

    assert response.status_code == 403
    assert not Person.objects.exists()


def test_an_officer_of_another_region_may_not_register_a_person_in_this_region(api_client, other_officer):
    response = api_client(other_officer).post(URL, new_person(), content_type="application/json")

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["region"]
    assert not Person.objects.exists()


def test_an_analyst_may_not_register_a_person(api_client, analyst):
    assert api_client(analyst).post(URL, new_person(), content_type="application/json").status_code == 403


def test_an_unknown_region_code_is_a_field_error(api_client, officer):
    response = api_client(officer).post(URL, new_person(region="KZ-99"), content_type="application/json")

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["region"]


# --- update ---------------------------------------------------------------------------------------------

def test_an_officer_changes_only_the_fields_sent_and_the_reason_is_audited(api_client, officer, person):
    response = api_client(officer).patch(
        f"{URL}/{person.pk}", {"first_name": "Жанат", "citizenship": "UZ", "reason": "typo in the application"},
        content_type="application/json",
    )

    assert response.status_code == 200
    person.refresh_from_db()
    assert (person.first_name, person.citizenship.alpha2, person.last_name) == ("Жанат", "UZ", "Әбдіқадыров")
    event = AuditEvent.objects.get(action="people.person.update", object_id=str(person.pk))
    assert event.reason == "typo in the application"
    assert event.after["first_name"] == "Жанат"


def test_a_viewer_may_not_change_a_person(api_client, viewer, person):
    response = api_client(viewer).patch(f"{URL}/{person.pk}", {"first_name": "Жанат"}, content_type="application/json")

    assert response.status_code == 403
    person.refresh_from_db()
    assert person.first_name == "Жанар"


def test_an_officer_of_another_region_gets_404_when_changing_the_person(api_client, other_officer, person):
    response = api_client(other_officer).patch(
        f"{URL}/{person.pk}", {"first_name": "Жанат"}, content_type="application/json"
    )

    assert response.status_code == 404


def test_an_analyst_may_not_change_a_person(api_client, analyst, person):
    response = api_client(analyst).patch(f"{URL}/{person.pk}", {"first_name": "Жанат"}, content_type="application/json")

    assert response.status_code == 403


def test_a_misspelt_field_in_a_change_is_refused_not_ignored(api_client, officer, person):
    response = api_client(officer).patch(f"{URL}/{person.pk}", {"firstname": "Жанат"}, content_type="application/json")

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["firstname"]


def test_clearing_a_required_name_is_a_field_error(api_client, officer, person):
    response = api_client(officer).patch(f"{URL}/{person.pk}", {"last_name": None}, content_type="application/json")

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["last_name"]


# --- archive, audit trail, merge ------------------------------------------------------------------------

def test_a_national_officer_archives_a_person_with_a_reason(api_client, national, person):
    client = api_client(national)

    response = client.delete(f"{URL}/{person.pk}?reason=registered+twice")

    assert response.status_code == 204
    assert Person.all_objects.get(pk=person.pk).deletion_reason == "registered twice"
    assert client.get(f"{URL}/{person.pk}").status_code == 404


def test_archiving_without_a_reason_is_a_field_error(api_client, national, person):
    response = api_client(national).delete(f"{URL}/{person.pk}")

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["reason"]
    assert Person.objects.filter(pk=person.pk).exists()


def test_a_regional_officer_may_not_archive_a_person(api_client, officer, person):
    assert api_client(officer).delete(f"{URL}/{person.pk}?reason=x").status_code == 403
    assert Person.objects.filter(pk=person.pk).exists()


def test_the_audit_trail_lists_the_person_s_events(api_client, officer, viewer, person):
    api_client(officer).patch(f"{URL}/{person.pk}", {"first_name": "Жанат", "reason": "typo"},
                              content_type="application/json")

    response = api_client(viewer).get(f"{URL}/{person.pk}/audit")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    event = body["items"][0]
    assert (event["action"], event["actor"], event["reason"]) == ("people.person.update", "officer55", "typo")
    assert event["before"] == {"first_name": "Жанар"}


def test_the_audit_trail_of_a_person_in_another_region_is_404(api_client, other_officer, person):
    assert api_client(other_officer).get(f"{URL}/{person.pk}/audit").status_code == 404


def test_an_officer_merges_a_duplicate_into_the_record_kept(api_client, officer, person):
    duplicate = PersonFactory(iin=None, patronymic="Серікұлы")

    response = api_client(officer).post(
        f"{URL}/{person.pk}/merge", {"duplicate_id": duplicate.pk, "reason": "same passport"},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json()["patronymic"] == "Серікұлы"
    assert Person.all_objects.get(pk=duplicate.pk).merged_into_id == person.pk


def test_merging_a_person_outside_the_officer_s_regions_is_a_field_error(api_client, officer, person):
    elsewhere = PersonFactory(iin=None, region=Region.objects.get(code="KZ-75"))

    response = api_client(officer).post(
        f"{URL}/{person.pk}/merge", {"duplicate_id": elsewhere.pk, "reason": "same"}, content_type="application/json"
    )

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["duplicate_id"]
    assert Person.objects.filter(pk=elsewhere.pk).exists()


def test_merging_a_record_into_itself_is_a_field_error_on_the_duplicate(api_client, officer, person):
    response = api_client(officer).post(
        f"{URL}/{person.pk}/merge", {"duplicate_id": person.pk, "reason": "same"}, content_type="application/json"
    )

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["duplicate_id"]


def test_a_viewer_may_not_merge(api_client, viewer, person):
    duplicate = PersonFactory(iin=None)

    response = api_client(viewer).post(
        f"{URL}/{person.pk}/merge", {"duplicate_id": duplicate.pk, "reason": "same"}, content_type="application/json"
    )

    assert response.status_code == 403


def test_a_regional_officer_is_refused_archiving_with_403_in_another_region_too(api_client, officer):
    elsewhere = PersonFactory(iin=None, region=Region.objects.get(code="KZ-75"))
    assert api_client(officer).delete(f"{URL}/{elsewhere.pk}?reason=x").status_code == 403
    assert Person.objects.filter(pk=elsewhere.pk).exists()
