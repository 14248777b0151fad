"""Household permits through the pages and the API: issuing with the limit of 5 shown as a field error, the
advance tax in MCI and tenge, revoking, and who may open what."""

from datetime import date

import pytest
from django.urls import reverse

from koshiqon.labour.models import HouseholdPermit
from koshiqon.labour.services.household import household_permit_issue
from koshiqon.labour.tests.factories import load_mci, make_worker, region
from koshiqon.people.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(reference):
    load_mci()
    return PersonFactory(last_name="Омарова", first_name="Гүлнар", sex="F")


def form(**overrides) -> dict:
    return {"region": "KZ-55", "months": 3, "valid_from": date.today().isoformat(),
            "worker_last_name_latin": "Nazarova", "worker_first_name_latin": "Dilnoza", "worker_birth_date": "1990-03-04",
            "worker_sex": "F", "worker_citizenship": "UZ", "worker_passport_number": "FB1112223"} | overrides


def test_an_officer_issues_a_household_permit_with_its_tax_from_the_page(client, household, officer):
    client.force_login(officer)
    response = client.post(reverse("labour:household_new"), form(employer_iin=household.iin))
    assert response.status_code == 302
    permit = HouseholdPermit.objects.get()
    assert permit.months == 3 and permit.advance_tax_mci == 12
    page = client.get(response["Location"]).content.decode()
    assert permit.number in page and "12 " in page


def test_the_sixth_household_worker_is_refused_next_to_the_employers_iin(client, household, officer):
    for c in "ABCDE":
        household_permit_issue(employer_person=household, worker=make_worker(last_name=f"KARIMOV{c}"),
                               region=region(), months=6, by=officer)
    client.force_login(officer)
    response = client.post(reverse("labour:household_new"), form(employer_iin=household.iin))
    assert response.status_code == 422
    assert "employer_iin" in response.context["form"].errors
    assert HouseholdPermit.objects.count() == 5


def test_the_household_api_issues_refuses_the_sixth_and_revokes(api_client, household, officer):
    client = api_client(officer)
    body = {"employer_iin": household.iin, "region": "KZ-55", "months": 2,
            "worker": {"last_name_latin": "NAZAROVA", "first_name_latin": "DILNOZA", "birth_date": "1990-03-04",
                       "sex": "F", "citizenship": "UZ", "passport_number": "FB1112223"}}
    created = client.post("/api/v1/labour/household-permits", body, content_type="application/json")
    assert created.status_code == 201 and created.json()["advance_tax_mci"] == 8
    for c in "ABCD":
        household_permit_issue(employer_person=household, worker=make_worker(last_name=f"KARIMOV{c}"),
                               region=region(), months=6, by=officer)
    sixth = client.post("/api/v1/labour/household-permits",
                        body | {"worker": body["worker"] | {"passport_number": "FB9999999"}},
                        content_type="application/json")
    assert sixth.status_code == 422 and sixth.json()["errors"][0]["field"] == "employer_iin"
    revoked = client.post(f"/api/v1/labour/household-permits/{created.json()['id']}/revoke", {"reason": "Кетті"},
                          content_type="application/json")
    assert revoked.json()["status"] == "revoked"


def test_viewers_read_household_permits_but_do_not_issue_and_other_regions_do_not_see_them(client, household,
                                                                                          officer, viewer,
                                                                                          other_officer):
    permit = household_permit_issue(employer_person=household, worker=make_worker(), region=region(), months=6,
                                    by=officer)
    client.force_login(viewer)
    assert client.get(reverse("labour:household_detail", args=[permit.pk])).status_code == 200
    assert client.get(reverse("labour:household_new")).status_code == 403
    client.force_login(other_officer)
    assert client.get(reverse("labour:household_detail", args=[permit.pk])).status_code == 404
    assert permit.number not in client.get(reverse("labour:household_list")).content.decode()
