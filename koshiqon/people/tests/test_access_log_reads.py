"""Every page and API operation of the registry that shows persons logs a read of each person shown: the
search (page and API), the documents found, the relatives and possible duplicates on a person's page, the
candidates of a registration (page and 409), the merge page, and the pages that name the person they change."""

from datetime import date

import pytest
from django.urls import reverse

from koshiqon.core.models import AccessEvent
from koshiqon.people.factories import PersonFactory
from koshiqon.people.models import Family, FamilyMember, IdentityDocument
from koshiqon.reference.models import Country

pytestmark = pytest.mark.django_db


def logged(user, channel: str = "page") -> list[str]:
    """The persons whose reads were logged for the user, sorted, one entry per event."""
    return sorted(AccessEvent.objects.filter(user=user, object_type="people.person", channel=channel)
                  .values_list("object_id", flat=True))


def ids(*persons) -> list[str]:
    return sorted(str(p.pk) for p in persons)


def open_page(client, user, url, **query):
    client.force_login(user)
    response = client.get(url, query)
    assert response.status_code == 200
    return response


def family_of(head, *relatives) -> Family:
    family = Family.objects.create(region=head.region, name=f"{head.last_name}тар")
    FamilyMember.objects.create(family=family, person=head, relation="head")
    for relative in relatives:
        FamilyMember.objects.create(family=family, person=relative, relation="child")
    return family


def look_alike(person):
    """A second record with the same name and date of birth: a possible duplicate of `person`."""
    return PersonFactory(birth_date=person.birth_date, iin=None)


# --- Lists ---------------------------------------------------------------------------------------------------

def test_the_registry_search_logs_each_person_on_the_page(client, officer, other_officer):
    mine = [PersonFactory(), PersonFactory()]
    PersonFactory(region=other_officer.regions.get())

    open_page(client, officer, reverse("people:person_list"))

    assert logged(officer) == ids(*mine)


def test_the_api_search_logs_each_person_on_the_page(api_client, officer):
    found = [PersonFactory(), PersonFactory()]

    assert api_client(officer).get("/api/v1/persons?limit=1").status_code == 200

    assert logged(officer, "api") == ids(found[0])


def test_the_api_document_search_logs_the_holder_of_each_document_found(api_client, officer, person):
    IdentityDocument.objects.create(person=person, kind="passport", number="N1234567",
                                    issuing_country=Country.objects.get(alpha2="KZ"), issued_on=date(2020, 1, 10))

    assert api_client(officer).get("/api/v1/documents?number=N1234567").status_code == 200

    assert logged(officer, "api") == ids(person)


# --- A person's page -------------------------------------------------------------------------------------------

def test_the_person_page_logs_the_relatives_its_family_list_names(client, officer, person):
    spouse = PersonFactory(last_name="Серікова", first_name="Айгүл", last_name_latin="SERIKOVA",
                           first_name_latin="AIGUL")
    child = PersonFactory(last_name="Серіков", first_name="Ерлан", last_name_latin="SERIKOV",
                          first_name_latin="YERLAN")
    family_of(person, spouse, child)

    response = open_page(client, officer, reverse("people:person_detail", args=[person.pk]))

    assert not response.context.get("possible_duplicates")  # the relatives are named by the family list only
    assert logged(officer) == ids(person, spouse, child)  # the person once, by the selector


def test_the_person_page_logs_the_possible_duplicates_it_names(client, officer, person):
    twin = look_alike(person)

    open_page(client, officer, reverse("people:person_detail", args=[person.pk]))

    assert logged(officer) == ids(person, twin)


def test_the_merge_page_logs_the_candidates_and_the_records_found(client, officer, person):
    twin = look_alike(person)
    other = PersonFactory(last_name="Серікбаев", first_name="Ерлан", last_name_latin="SERIKBAYEV",
                          first_name_latin="YERLAN")

    open_page(client, officer, reverse("people:person_merge", args=[person.pk]), q="Серікбаев")

    assert logged(officer) == ids(person, twin, other)


@pytest.mark.parametrize("name", ["people:person_edit", "people:person_archive", "people:document_create"])
def test_a_page_that_changes_a_record_logs_the_read_of_the_person_it_shows(client, national, person, name):
    open_page(client, national, reverse(name, args=[person.pk]))

    assert logged(national) == ids(person)


def test_the_document_archive_page_logs_the_read_of_the_holder(client, officer, person):
    document = IdentityDocument.objects.create(person=person, kind="passport", number="N1234567",
                                               issuing_country=Country.objects.get(alpha2="KZ"))

    open_page(client, officer, reverse("people:document_archive", args=[person.pk, document.pk]))

    assert logged(officer) == ids(person)


def test_the_family_member_page_logs_the_read_of_the_person_it_names(client, officer, person):
    family = family_of(person)

    open_page(client, officer, reverse("people:family_member_add", args=[person.pk, family.pk]))

    assert logged(officer) == ids(person)


# --- Possible duplicates of a registration ----------------------------------------------------------------------

def _look_alike_of(person) -> dict:
    return {"last_name": "Абдикадыров", "first_name": "Жанар", "birth_date": person.birth_date.isoformat(),
            "sex": "M", "region": "KZ-55"}


def test_the_duplicates_page_of_a_registration_logs_each_candidate_once(client, officer, person):
    client.force_login(officer)
    data = _look_alike_of(person) | {"patronymic": "", "last_name_latin": "", "first_name_latin": "", "iin": "",
                                      "citizenship": "KZ"}

    response = client.post(reverse("people:person_create"), data)

    assert response.status_code == 200 and 'name="confirmed_new"' in response.content.decode()
    assert logged(officer) == ids(person)


def test_a_409_answer_logs_each_candidate_it_shows(api_client, officer, person):
    response = api_client(officer).post("/api/v1/persons", _look_alike_of(person), content_type="application/json")

    assert response.status_code == 409
    assert [c["id"] for c in response.json()["candidates"]] == [person.pk]
    assert logged(officer, "api") == ids(person)


# --- An import's report ------------------------------------------------------------------------------------------

def test_an_import_report_names_the_registered_look_alikes_but_not_the_rows_of_its_own_file(officer):
    from koshiqon.people.imports import person_import_csv

    registered = PersonFactory(last_name="Серікова", first_name="Жанар", last_name_latin="SERIKOVA",
                               first_name_latin="ZHANAR", birth_date=date(1990, 5, 17), sex="F", iin=None)
    row = "Серікова,Жанар,SERIKOVA,ZHANAR,1990-05-17,F,KZ,,KZ-55"
    twins = "Оспанов,Дархан,OSPANOV,DARKHAN,1970-01-01,M,KZ,,KZ-55"
    header = "last_name,first_name,last_name_latin,first_name_latin,birth_date,sex,citizenship,iin,region"

    report = person_import_csv(text="\n".join([header, row, twins, twins]) + "\n", by=officer)

    assert [line for line, *_ in report.errors] == [2, 4]
    assert report.named == [registered.pk]  # the reader of the report is logged, not the import (rolled back)
    assert not AccessEvent.objects.exists()
