"""The identity documents API: MRZ parsing on input, region scoping on every read and write."""

from datetime import date

from koshiqon.core.models import AccessEvent, AuditEvent
from koshiqon.people.domain.mrz import make_td3
from koshiqon.people.models import IdentityDocument
from koshiqon.reference.models import Country


def passport_mrz(person, number="E12345678"):
    return make_td3(
        surname="ABDIKADYROV", given_names="ZHANAR", document_number=number, nationality="CHN",
        birth_date=person.birth_date, sex="M", expiry_date=date(2031, 4, 1),
    )


def add_document(person, number="N1234567"):
    return IdentityDocument.objects.create(
        person=person, kind="passport", number=number, issuing_country=Country.objects.get(alpha2="KZ"),
        issued_on=date(2020, 1, 10), expires_on=date(2030, 1, 9),
    )


def test_an_officer_adds_a_passport_whose_machine_readable_zone_fills_the_fields(api_client, officer, person):
    response = api_client(officer).post(
        f"/api/v1/persons/{person.pk}/documents", {"kind": "passport", "mrz": passport_mrz(person)},
        content_type="application/json",
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["number"], body["issuing_country"], body["expires_on"]) == ("E12345678", "CN", "2031-04-01")
    assert body["person_id"] == person.pk
    assert AuditEvent.objects.filter(action="people.document.add", object_id=str(body["id"])).exists()


def test_a_wrong_check_digit_in_the_machine_readable_zone_is_a_field_error(api_client, officer, person):
    lines = passport_mrz(person).split("\n")
    broken = lines[0] + "\n" + lines[1][:9] + str((int(lines[1][9]) + 1) % 10) + lines[1][10:]

    response = api_client(officer).post(
        f"/api/v1/persons/{person.pk}/documents", {"kind": "passport", "mrz": broken}, content_type="application/json"
    )

    assert response.status_code == 422
    assert "mrz" in {e["field"] for e in response.json()["errors"]}
    assert not IdentityDocument.objects.exists()


def test_an_unknown_kind_of_document_is_a_field_error(api_client, officer, person):
    response = api_client(officer).post(
        f"/api/v1/persons/{person.pk}/documents", {"kind": "visa", "number": "X1234567", "issuing_country": "KZ"},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["kind"]


def test_a_viewer_may_not_add_a_document(api_client, viewer, person):
    response = api_client(viewer).post(
        f"/api/v1/persons/{person.pk}/documents",
        {"kind": "passport", "number": "N7654321", "issuing_country": "KZ"}, content_type="application/json",
    )

    assert response.status_code == 403
    assert not IdentityDocument.objects.exists()


def test_an_officer_of_another_region_gets_404_when_adding_a_document(api_client, other_officer, person):
    response = api_client(other_officer).post(
        f"/api/v1/persons/{person.pk}/documents",
        {"kind": "passport", "number": "N7654321", "issuing_country": "KZ"}, content_type="application/json",
    )

    assert response.status_code == 404


def test_documents_are_found_by_number_in_any_spacing_and_case(api_client, viewer, person):
    document = add_document(person)
    add_document(person, number="N7777777")

    body = api_client(viewer).get("/api/v1/documents", {"number": "n 1234567"}).json()

    assert body["count"] == 1
    assert body["items"][0]["id"] == document.pk
    assert body["items"][0]["issuing_country"] == "KZ"


def test_documents_are_listed_by_person(api_client, officer, person):
    first, second = add_document(person), add_document(person, number="N7777777")

    body = api_client(officer).get("/api/v1/documents", {"person_id": person.pk}).json()

    assert [d["id"] for d in body["items"]] == [first.pk, second.pk]


def test_an_officer_of_another_region_finds_none_of_its_documents(api_client, other_officer, person):
    document = add_document(person)

    client = api_client(other_officer)

    assert client.get("/api/v1/documents", {"number": document.number}).json()["count"] == 0
    assert client.get(f"/api/v1/documents/{document.pk}").status_code == 404


def test_an_officer_reads_one_document(api_client, officer, person):
    document = add_document(person)

    response = api_client(officer).get(f"/api/v1/documents/{document.pk}")

    assert response.status_code == 200
    assert (response.json()["number"], response.json()["issued_on"]) == ("N1234567", "2020-01-10")
    read = AccessEvent.objects.get()
    assert (read.user, read.object_id, read.channel) == (officer, str(person.pk), "api")


def test_an_officer_archives_a_document_with_a_reason(api_client, officer, person):
    document = add_document(person)

    response = api_client(officer).delete(f"/api/v1/documents/{document.pk}?reason=reported+lost")

    assert response.status_code == 204
    assert IdentityDocument.all_objects.get(pk=document.pk).deletion_reason == "reported lost"
    assert AuditEvent.objects.filter(action="people.document.archive", object_id=str(document.pk)).exists()


def test_a_viewer_may_not_archive_a_document(api_client, viewer, person):
    document = add_document(person)

    assert api_client(viewer).delete(f"/api/v1/documents/{document.pk}?reason=lost").status_code == 403
    assert IdentityDocument.objects.filter(pk=document.pk).exists()


def test_a_viewer_is_refused_archiving_a_document_with_403_in_another_region_too(api_client, viewer):
    from koshiqon.people.factories import PersonFactory
    from koshiqon.reference.models import Region

    document = add_document(PersonFactory(iin=None, region=Region.objects.get(code="KZ-75")))

    assert api_client(viewer).delete(f"/api/v1/documents/{document.pk}?reason=lost").status_code == 403
    assert IdentityDocument.objects.filter(pk=document.pk).exists()
