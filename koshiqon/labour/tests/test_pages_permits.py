"""The permit pages: the officer's queue by deadline with overdue ones flagged, deciding from the application page
with every step in Kazakh, the employer's own applications and filing form, a permit's life actions, the XLSX
export as filtered, and who may open what."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from koshiqon.core.models import AccessEvent
from koshiqon.labour.models import Permit, PermitApplication
from koshiqon.labour.tests.factories import (
    load_mci,
    make_allocation,
    make_application,
    make_employer,
    occupation,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def company(reference, employer):
    load_mci()
    occupation()
    make_allocation(year=2025, category="3", places=5)
    return make_employer(users=[employer], name="ЖШС Ертіс Құрылыс")


def get(client, user, name, *args, **query):
    client.force_login(user)
    return client.get(reverse(name, args=args), query)


def post(client, user, name, *args, data=None):
    client.force_login(user)
    return client.post(reverse(name, args=args), data or {})


def test_the_queue_lists_what_waits_in_my_regions_by_deadline_and_flags_the_overdue(client, company, officer):
    late = make_application(company, applied_on=date(2025, 7, 1), employment_body_notified=True)
    recent = make_application(company, applied_on=date.today() - timedelta(days=1))
    decided = make_application(company, applied_on=date(2025, 6, 2), employment_body_notified=True)
    post(client, officer, "labour:application_decide", decided.pk)
    elsewhere = make_application(company, applied_on=date(2025, 6, 1), region_code="KZ-75")
    html = get(client, officer, "labour:application_list").content.decode()
    assert html.index(late.number) < html.index(recent.number)
    assert elsewhere.number not in html and decided.number not in html  # the queue: what waits
    assert html.count('<tr class="overdue">') == 1
    assert html.index('<tr class="overdue">') < html.index(late.number) < html.index(recent.number)


def test_deciding_from_the_page_shows_every_step_in_kazakh_and_the_permit(client, company, officer):
    application = make_application(company, applied_on=date(2025, 8, 29), employment_body_notified=True)
    response = post(client, officer, "labour:application_decide", application.pk)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    permit = Permit.objects.get(application=application)
    assert permit.number in page
    assert "Жұмыспен қамту органы бос жұмыс орны туралы хабардар етілді." in page
    assert "Осы өңір мен санаттағы квота қалдығы: 5." in page
    assert 'id="decide"' not in page


def test_the_decide_button_is_for_officers_only_and_the_decision_is_a_post(client, company, officer, viewer):
    application = make_application(company, applied_on=date(2025, 8, 29))
    assert 'id="decide"' in get(client, officer, "labour:application_detail", application.pk).content.decode()
    assert 'id="decide"' not in get(client, viewer, "labour:application_detail", application.pk).content.decode()
    assert get(client, officer, "labour:application_decide", application.pk).status_code == 405
    assert post(client, viewer, "labour:application_decide", application.pk).status_code == 403


def test_an_employer_sees_its_own_applications_only(client, company, employer):
    own = make_application(company, applied_on=date(2025, 8, 29))
    other = make_application(make_employer(), applied_on=date(2025, 8, 28))
    html = get(client, employer, "labour:application_list").content.decode()
    assert own.number in html and other.number not in html
    assert get(client, employer, "labour:application_detail", other.pk).status_code == 404
    assert get(client, employer, "labour:application_detail", own.pk).status_code == 200
    assert AccessEvent.objects.filter(user=employer, object_id=str(own.worker_id)).exists()


def test_an_employer_files_an_application_from_the_form(client, company, employer):
    data = {
        "employer": company.pk, "region": "KZ-55", "kind": "standard", "category": "3", "occupation": "2142",
        "months": 12, "applied_on": "2025-08-29", "employment_body_notified": "on",
        "worker_last_name_latin": "Rakhimov", "worker_first_name_latin": "Sardor", "worker_birth_date": "1993-02-03",
        "worker_sex": "M", "worker_citizenship": "UZ", "worker_passport_number": "FA7654321",
    }
    response = post(client, employer, "labour:application_new", data=data)
    assert response.status_code == 302, response.content.decode()[:3000]
    application = PermitApplication.objects.get()
    assert response["Location"] == reverse("labour:application_detail", args=[application.pk])
    assert application.worker.last_name_latin == "RAKHIMOV"


def test_the_filing_form_puts_each_error_next_to_its_field_in_kazakh(client, company, employer):
    data = {"employer": company.pk, "region": "KZ-55", "kind": "standard", "category": "3", "occupation": "2142",
            "months": 12, "applied_on": "2025-09-02", "worker_last_name_latin": "Rakhimov",
            "worker_first_name_latin": "Sardor", "worker_birth_date": "1993-02-03", "worker_sex": "M",
            "worker_citizenship": "UZ"}
    response = post(client, employer, "labour:application_new", data=data)
    assert response.status_code == 422
    form = response.context["form"]
    assert set(form.errors) == {"vacancy"}
    assert not PermitApplication.objects.exists()


def test_a_permit_is_suspended_from_its_page_and_the_employer_sees_no_action(client, company, officer, employer):
    application = make_application(company, applied_on=date(2025, 8, 29), employment_body_notified=True)
    post(client, officer, "labour:application_decide", application.pk)
    permit = Permit.objects.get()
    employer_page = get(client, employer, "labour:permit_detail", permit.pk).content.decode()
    assert f"permits/{permit.pk}/suspend/" not in employer_page
    assert get(client, employer, "labour:permit_action", permit.pk, "suspend").status_code == 403
    response = post(client, officer, "labour:permit_action", permit.pk, "suspend", data={"reason": "Тексеру"})
    assert response.status_code == 302
    permit.refresh_from_db()
    assert permit.status == "suspended" and permit.status_reason == "Тексеру"
    refused = post(client, officer, "labour:permit_action", permit.pk, "revoke", data={"reason": ""})
    assert refused.status_code == 422


def test_an_extension_is_asked_and_decided_from_the_pages(client, company, officer, employer):
    application = make_application(company, applied_on=date(2025, 8, 29), employment_body_notified=True)
    post(client, officer, "labour:application_decide", application.pk)
    permit = Permit.objects.get()
    Permit.objects.filter(pk=permit.pk).update(valid_until=date.today() + timedelta(days=40))
    assert post(client, employer, "labour:permit_extend", permit.pk, data={"months": 12}).status_code == 302
    extension = permit.extension_requests.get()
    response = post(client, officer, "labour:extension_decide", extension.pk, data={"grant": "yes"})
    assert response.status_code == 302
    permit.refresh_from_db()
    assert permit.extensions == 1


def test_the_export_is_the_list_as_filtered(client, company, officer):
    make_application(company, applied_on=date(2025, 8, 29))
    decided = make_application(company, applied_on=date(2025, 8, 28), employment_body_notified=True)
    post(client, officer, "labour:application_decide", decided.pk)
    response = get(client, officer, "labour:application_export", status="granted")
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0] == decided.number


def test_the_foreign_labour_area_is_in_the_menu_of_officers_and_employers(client, company, officer, employer,
                                                                         centre_staff):
    for user in (officer, employer):
        html = get(client, user, "labour:home").content.decode()
        assert 'href="/labour/"' in html
    assert 'href="/labour/"' not in get(client, centre_staff, "web:home").content.decode()
    assert get(client, centre_staff, "labour:home").status_code == 403
