"""The permit operations of /api/v1/labour/: wiring, who may do what (403 for a role that never may, 404 for
another region's or another employer's record), field errors (422), the decision's steps in the language of
the request, the permit's life and the ministry's figures."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook

from koshiqon.accounts.factories import UserFactory
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
BASE = "/api/v1/labour"


@pytest.fixture
def scene(reference, employer):
    load_mci()
    occupation()
    make_allocation(year=2025, category="3", places=5)
    make_allocation(year=timezone_year(), category="3", places=5)
    company = make_employer(users=[employer], name="ЖШС Павлодар Құрылыс")
    return company


def timezone_year() -> int:
    from django.utils import timezone

    return timezone.localdate().year


def passport_json(**overrides) -> dict:
    return {"last_name_latin": "RAKHIMOV", "first_name_latin": "SARDOR", "birth_date": "1993-02-03", "sex": "M",
            "citizenship": "UZ", "passport_number": "FA7654321", "passport_expires_on": "2031-05-01"} | overrides


def filing(company, **overrides) -> dict:
    return {"employer": company.bin, "region": "KZ-55", "kind": "standard", "category": "3", "occupation": "2142",
            "months": 12, "applied_on": "2025-08-29", "employment_body_notified": True,
            "worker": passport_json()} | overrides


def test_an_employer_files_and_follows_its_application_but_never_sees_another_employers(api_client, scene, employer):
    client = api_client(employer)
    response = client.post(f"{BASE}/permit-applications", filing(scene), content_type="application/json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"].startswith("WPA-2025-") and body["status"] == "submitted"
    # Friday 29 Aug; Constitution Day (Sat 30 Aug) moves the day off to Mon 1 Sep: 7 working days end 10 Sep.
    assert body["worker_name"] == "RAKHIMOV SARDOR" and body["decision_due"] == "2025-09-10"
    other = make_application(make_employer(), applied_on=date(2025, 8, 1))
    listed = client.get(f"{BASE}/permit-applications").json()
    assert [a["number"] for a in listed["items"]] == [body["number"]]
    assert client.get(f"{BASE}/permit-applications/{other.pk}").status_code == 404
    assert client.post(f"{BASE}/permit-applications/{other.pk}/decide").status_code == 403
    assert client.get(f"{BASE}/permit-applications/{body['id']}").status_code == 200


def test_filing_for_an_employer_one_does_not_act_for_is_a_field_error(api_client, scene, employer):
    stranger = make_employer()
    response = api_client(employer).post(f"{BASE}/permit-applications",
                                         filing(stranger, region="KZ-99", occupation="0000"),
                                         content_type="application/json")
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"employer", "region", "occupation"}


def test_a_bad_passport_is_reported_field_by_field_in_russian(api_client, scene, employer):
    response = api_client(employer).post(
        f"{BASE}/permit-applications", filing(scene, worker=passport_json(citizenship="KZ", first_name_latin="Сардор")),
        content_type="application/json", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 422
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert set(errors) == {"worker.citizenship", "worker.first_name_latin"}
    assert PermitApplication.objects.count() == 0


def test_an_officer_decides_and_reads_every_step_in_kazakh(api_client, scene, officer):
    application = make_application(scene, applied_on=date(2025, 8, 29), employment_body_notified=True)
    response = api_client(officer).post(f"{BASE}/permit-applications/{application.pk}/decide",
                                        HTTP_ACCEPT_LANGUAGE="kk")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "granted" and body["regime"] == "notify" and body["permit"].startswith("WP-55-")
    assert [s["code"] for s in body["steps"]] == [
        "category", "lmt_notify", "staff_share", "quota", "local_jobseekers", "fee"]
    assert body["steps"][1]["text"] == "Жұмыспен қамту органы бос жұмыс орны туралы хабардар етілді."
    assert body["fee_mci"] == "122.00" and body["fee_tenge"] > 0
    again = api_client(officer).post(f"{BASE}/permit-applications/{application.pk}/decide")
    assert again.status_code == 422


def test_a_viewer_may_not_decide_and_an_officer_of_another_region_does_not_find_it(api_client, scene, viewer,
                                                                                   other_officer):
    application = make_application(scene, applied_on=date(2025, 8, 29), employment_body_notified=True)
    assert api_client(viewer).post(f"{BASE}/permit-applications/{application.pk}/decide").status_code == 403
    assert api_client(other_officer).post(f"{BASE}/permit-applications/{application.pk}/decide").status_code == 404
    assert api_client(other_officer).get(f"{BASE}/permit-applications/{application.pk}").status_code == 404
    assert api_client(viewer).get(f"{BASE}/permit-applications/{application.pk}").status_code == 200


def test_the_quota_exhausted_refusal_is_a_decision_with_the_reason_quota(api_client, scene, officer):
    make_allocation(year=2025, category="3", places=1, used=1)
    application = make_application(scene, applied_on=date(2025, 8, 29), employment_body_notified=True)
    body = api_client(officer).post(f"{BASE}/permit-applications/{application.pk}/decide").json()
    assert body["status"] == "refused" and body["reasons"] == ["quota"] and body["permit"] is None


def test_a_permit_is_suspended_revoked_and_extended_through_the_api(api_client, scene, officer, employer):
    application = make_application(scene, applied_on=date(2025, 8, 29), employment_body_notified=True)
    permit_number = api_client(officer).post(f"{BASE}/permit-applications/{application.pk}/decide").json()["permit"]
    permit = Permit.objects.get(number=permit_number)
    today = date.today()
    Permit.objects.filter(pk=permit.pk).update(valid_until=today + timedelta(days=45))
    client = api_client(employer)
    assert client.get(f"{BASE}/permits").json()["count"] == 1
    assert client.post(f"{BASE}/permits/{permit.pk}/suspend", {"reason": "x"},
                       content_type="application/json").status_code == 403
    extension = client.post(f"{BASE}/permits/{permit.pk}/extensions", {}, content_type="application/json")
    assert extension.status_code == 201 and extension.json()["months"] == 12
    officer_client = api_client(officer)
    decided = officer_client.post(f"{BASE}/permit-extensions/{extension.json()['id']}/decide",
                                  {"grant": True}, content_type="application/json")
    assert decided.status_code == 200 and decided.json()["status"] == "granted"
    suspended = officer_client.post(f"{BASE}/permits/{permit.pk}/suspend", {"reason": "Тексеру"},
                                    content_type="application/json")
    assert suspended.json()["status"] == "suspended"
    assert officer_client.post(f"{BASE}/permits/{permit.pk}/revoke", {"reason": ""},
                               content_type="application/json").status_code == 422
    revoked = officer_client.post(f"{BASE}/permits/{permit.pk}/revoke", {"reason": "Сот шешімі"},
                                  content_type="application/json").json()
    assert revoked["status"] == "revoked" and revoked["extension_requests"][0]["status"] == "granted"


def test_the_export_is_the_filtered_list_and_logs_each_worker_read(api_client, scene, officer):
    make_application(scene, applied_on=date(2025, 8, 29))
    make_application(scene, applied_on=date(2025, 7, 1), region_code="KZ-75")
    response = api_client(officer).get(f"{BASE}/permit-applications.xlsx?status=submitted")
    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2  # the header and the one application of the officer's region
    assert AccessEvent.objects.filter(channel="api", object_type="people.person").count() == 1


def test_the_ministry_figures_are_for_national_roles_and_analysts(api_client, scene, national, officer, analyst):
    application = make_application(scene, applied_on=date(2025, 8, 29))
    api_client(national).post(f"{BASE}/permit-applications/{application.pk}/decide")
    body = api_client(national).get(f"{BASE}/permit-statistics/2025").json()
    assert body["refusals"] == [{"reason": "lmt_notify", "label": "жұмыспен қамту органы хабардар етілмеген (2012-2025)",
                                 "count": 1}]
    assert body["outcomes"][0]["refused"] == 1 and body["quota"][0]["places"] == 5
    assert api_client(analyst).get(f"{BASE}/permit-statistics/2025").status_code == 200
    refused = api_client(national).get(f"{BASE}/permit-applications?reason=lmt_notify").json()
    assert [a["number"] for a in refused["items"]] == [application.number]
    assert api_client(national).get(f"{BASE}/permit-applications?reason=quota").json()["count"] == 0
    assert api_client(officer).get(f"{BASE}/permit-statistics/2025").status_code == 403


def test_employer_accounts_have_no_household_permits_and_unknown_users_nothing(api_client, scene, employer):
    assert api_client(employer).get(f"{BASE}/household-permits").status_code == 403
    newcomer = UserFactory(username="nobody", role="")
    assert api_client(newcomer).get(f"{BASE}/permit-applications").status_code == 403
