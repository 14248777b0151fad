"""The kandas applications API: each role gets what the pages give it (200/201, 403, 404 outside its regions),
bad input answers 422 with the fields, and the procedure runs end to end."""

from datetime import datetime

import pytest

from koshiqon.core.models import AccessEvent
from koshiqon.kandas.models import Application
from koshiqon.kandas.tests.applications_setup import ALMATY, load_kandas_data, make_family, submit

URL = "/api/v1/kandas/applications"
pytestmark = pytest.mark.django_db


@pytest.fixture
def data(reference):
    load_kandas_data()


@pytest.fixture
def application(data, officer):
    return submit(officer, make_family())


def body(family, **changes):
    members = [
        {"person_id": m.person_id, "education": "6" if m.relation == "head" else None,
         "occupation": "221" if m.relation == "head" else None,
         "experience_years": "8" if m.relation == "head" else "0", "kazakh": "fluent"}
        for m in family.members.order_by("id")
    ]
    return {
        "family_id": family.pk, "region": "KZ-55", "channel": "egov", "applied_at": "2026-04-07T11:00:00+05:00",
        "members": members, "checklist": {"application": True}, "priority": "large_family",
    } | changes


# --- Reading -----------------------------------------------------------------------------------------------

def test_an_officer_lists_the_applications_of_their_region(api_client, officer, application):
    response = api_client(officer).get(URL)
    assert response.status_code == 200
    item = response.json()["items"][0]
    assert (item["number"], item["region"], item["status"], item["rules_version"]) == (
        "KQ-2026-000001", "KZ-55", "submitted", "rules-2026")
    assert item["is_overdue"] is True  # checked by 26 March 2026: long past


def test_a_viewer_reads_but_may_not_write(api_client, viewer, application):
    client = api_client(viewer)
    assert client.get(URL).json()["count"] == 1
    assert client.get(f"{URL}/{application.pk}").status_code == 200
    response = client.post(f"{URL}/{application.pk}/check", {"complete": True}, content_type="application/json")
    assert response.status_code == 403
    assert client.post(URL, body(make_family()), content_type="application/json").status_code == 403


def test_an_officer_of_another_region_gets_404_and_an_empty_list(api_client, other_officer, application):
    client = api_client(other_officer)
    assert client.get(URL).json()["count"] == 0
    assert client.get(f"{URL}/{application.pk}").status_code == 404
    response = client.post(f"{URL}/{application.pk}/check", {"complete": True}, content_type="application/json")
    assert response.status_code == 404


def test_an_analyst_may_not_see_applications(api_client, analyst, application):
    assert api_client(analyst).get(URL).status_code == 403
    assert api_client(analyst).get(f"{URL}/{application.pk}").status_code == 403


def test_reading_an_application_is_logged_against_its_head(api_client, officer, application):
    api_client(officer).get(f"{URL}/{application.pk}")
    event = AccessEvent.objects.get(object_type="people.person", object_id=str(application.head_id))
    assert (event.user, event.channel) == (officer, "api")


def test_the_detail_has_the_members_and_the_checklist(api_client, officer, application):
    detail = api_client(officer).get(f"{URL}/{application.pk}").json()
    head = next(m for m in detail["members"] if m["relation"] == "head")
    assert (head["education"], head["occupation"], head["kazakh"]) == ("6", "214", "fluent")
    assert detail["checklist"]["application"] is True and detail["checklist"]["photos"] is False


def test_filters_narrow_the_list(api_client, officer, application):
    client = api_client(officer)
    assert client.get(URL, {"status": "checked"}).json()["count"] == 0
    assert client.get(URL, {"q": "KQ-2026-000001"}).json()["count"] == 1
    assert client.get(URL, {"overdue": "true"}).json()["count"] == 1
    assert client.get(URL, {"status": "lost"}).status_code == 422


def test_the_api_needs_authentication(client, application):
    assert client.get(URL).status_code == 401


# --- Writing -----------------------------------------------------------------------------------------------

def test_an_officer_submits_and_walks_an_application_through_the_procedure(api_client, officer):
    load_kandas_data()
    client = api_client(officer)
    family = make_family()

    created = client.post(URL, body(family), content_type="application/json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["priority"] == "large_family"
    assert created.json()["check_due"] == "2026-04-08"
    assert created.json()["language"] == "kk"  # letters go out in Kazakh unless the family asks otherwise
    in_russian = client.post(URL, {**body(make_family()), "language": "ru"}, content_type="application/json")
    assert in_russian.status_code == 201 and in_russian.json()["language"] == "ru"
    assert client.post(URL, {**body(make_family()), "language": "de"},
                       content_type="application/json").status_code == 422

    returned = client.post(f"{URL}/{pk}/check", {"complete": False, "missing": ["photos"]},
                           content_type="application/json")
    assert returned.json()["status"] == "returned"
    again = client.post(f"{URL}/{pk}/resubmit", {"received": ["photos"]}, content_type="application/json")
    assert again.json()["status"] == "submitted"
    checked = client.post(f"{URL}/{pk}/check", {"complete": True}, content_type="application/json")
    assert checked.json()["status"] == "checked"
    recommended = client.post(f"{URL}/{pk}/commission", {"recommend": True}, content_type="application/json")
    assert recommended.json()["status"] == "recommended"
    withdrawn = client.post(f"{URL}/{pk}/withdraw", {"reason": "Moving later"}, content_type="application/json")
    assert withdrawn.json()["status"] == "withdrawn"


def test_bad_input_answers_422_with_the_fields(api_client, officer, data):
    family = make_family()
    members = body(family)["members"]
    members[0]["education"] = "99"
    response = api_client(officer).post(URL, body(family, region="KZ-75", members=members, channel="fax"),
                                        content_type="application/json")
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"channel"}

    response = api_client(officer).post(URL, body(family, region="KZ-75", members=members),
                                        content_type="application/json")
    assert response.status_code == 422
    assert {"region", "members.0.education"} <= {e["field"] for e in response.json()["errors"]}


def test_a_family_outside_the_officers_regions_is_a_field_error(api_client, officer, data):
    family = make_family(region="KZ-75")
    response = api_client(officer).post(URL, body(family), content_type="application/json")
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["family_id"]
    assert not Application.objects.exists()


def test_a_person_who_is_not_in_the_family_is_named_by_its_field(api_client, officer, data):
    family, other = make_family(), make_family()
    members = body(family)["members"]
    members[1]["person_id"] = other.members.first().person_id
    response = api_client(officer).post(URL, body(family, members=members), content_type="application/json")
    assert "members.1.person_id" in {e["field"] for e in response.json()["errors"]}


def test_a_step_out_of_order_answers_422(api_client, officer, application):
    response = api_client(officer).post(f"{URL}/{application.pk}/commission", {"recommend": True},
                                        content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "status"


# --- Quota plans -------------------------------------------------------------------------------------------

def test_quota_plans_list_the_real_figures(api_client, viewer, data):
    plans = api_client(viewer).get("/api/v1/kandas/quota-plans").json()
    plan_2007 = next(p for p in plans if (p["year"], p["category"]) == (2007, "kandas"))
    assert plan_2007["unit"] == "families" and plan_2007["legal_number"] == "1198"
    assert sum(r["amount"] for r in plan_2007["regional"]) == 15000


def test_quota_utilisation_per_region(api_client, officer, national, data):
    submit(officer, make_family(), applied_at=datetime(2026, 5, 4, 10, 0, tzinfo=ALMATY))
    response = api_client(national).get("/api/v1/kandas/quota-plans/2026/kandas")
    assert response.status_code == 200
    pavlodar = next(r for r in response.json()["regions"] if r["region"] == "KZ-55")
    assert pavlodar == {"region": "KZ-55", "quota": 977, "granted": 0, "pending": 4, "free": 977}
    assert response.json()["total"]["quota"] == 2281


def test_an_unknown_plan_answers_404_and_the_analyst_403(api_client, national, analyst, data):
    assert api_client(national).get("/api/v1/kandas/quota-plans/2019/kandas").status_code == 404
    assert api_client(analyst).get("/api/v1/kandas/quota-plans").status_code == 403
