"""The labour API lists name foreign workers (and, for household permits, the private employers): each person
on the page is logged as read, as the pages and exports already do. The household permit form that names the
private employer found by the IIN logs that read too."""

from datetime import date

import pytest
from django.urls import reverse

from koshiqon.core.models import AccessEvent
from koshiqon.labour.models import Permit
from koshiqon.labour.services.household import household_permit_issue
from koshiqon.labour.services.permit_decision import permit_application_decide
from koshiqon.labour.tests.factories import (
    load_mci,
    make_allocation,
    make_application,
    make_employer,
    make_worker,
    occupation,
    region,
)
from koshiqon.people.factories import PersonFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/labour"


def logged(user, channel: str) -> list[str]:
    return sorted(AccessEvent.objects.filter(user=user, object_type="people.person", channel=channel)
                  .values_list("object_id", flat=True))


def ids(*pks) -> list[str]:
    return sorted(str(pk) for pk in pks)


@pytest.fixture
def company(reference):
    load_mci()
    occupation()
    make_allocation(year=2025, category="3", places=5)
    return make_employer(name="ЖШС Ертіс Құрылыс")


def test_the_api_list_of_applications_logs_each_worker_on_the_page(api_client, company, officer):
    mine = make_application(company, applied_on=date(2025, 8, 29))
    make_application(company, applied_on=date(2025, 8, 28), region_code="KZ-75")

    assert api_client(officer).get(f"{BASE}/permit-applications").status_code == 200

    assert logged(officer, "api") == ids(mine.worker_id)


def test_the_api_list_of_permits_logs_each_worker_on_the_page(api_client, company, officer, national):
    application = make_application(company, applied_on=date(2025, 6, 2), employment_body_notified=True)
    permit_application_decide(application=application, by=national)
    permit = Permit.objects.get()

    assert api_client(officer).get(f"{BASE}/permits").status_code == 200

    assert logged(officer, "api") == ids(permit.worker_id)


@pytest.fixture
def private_employer(reference):
    load_mci()
    return PersonFactory(last_name="Омарова", first_name="Гүлнар", sex="F")


def test_the_api_list_of_household_permits_logs_each_worker_and_private_employer(api_client, private_employer,
                                                                                officer):
    permit = household_permit_issue(employer_person=private_employer, worker=make_worker(), region=region(),
                                    months=6, by=officer)

    assert api_client(officer).get(f"{BASE}/household-permits").status_code == 200

    assert logged(officer, "api") == ids(permit.worker_id, private_employer.pk)


def test_the_household_form_that_names_the_private_employer_logs_that_read(client, private_employer, officer):
    for c in "ABCDE":  # the sixth is refused, and the form is shown again with the employer's name
        household_permit_issue(employer_person=private_employer, worker=make_worker(last_name=f"KARIMOV{c}"),
                               region=region(), months=6, by=officer)
    client.force_login(officer)
    data = {"employer_iin": private_employer.iin, "region": "KZ-55", "months": 3,
            "valid_from": date.today().isoformat(), "worker_last_name_latin": "Nazarova",
            "worker_first_name_latin": "Dilnoza", "worker_birth_date": "1990-03-04", "worker_sex": "F",
            "worker_citizenship": "UZ", "worker_passport_number": "FB1112223"}

    response = client.post(reverse("labour:household_new"), data)

    assert response.status_code == 422 and response.context["employer"] == private_employer
    assert logged(officer, "page") == ids(private_employer.pk)
