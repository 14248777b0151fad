"""The adaptation API: the same rights and scope as the pages (403 for a role that may never write, 404
outside the caller's centres or regions), 422 with the fields, reads of persons logged."""

from datetime import date

import pytest

from koshiqon.adaptation.models import Outcome, Plan, Referral, Stay
from koshiqon.adaptation.tests.plans_setup import make_centre, make_family, make_plan, members, other_staff
from koshiqon.core.models import AccessEvent

URL = "/api/v1/adaptation"
pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(centre, centre_staff):
    return make_plan(centre_staff, centre, arrival=date(2025, 5, 10), today=date(2025, 5, 10))


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_staff_list_their_centre_and_its_plans(api_client, centre_staff, plan):
    client = api_client(centre_staff)
    centres = client.get(f"{URL}/centres").json()
    assert [(c["name"], c["region"], c["beds"], c["free"]) for c in centres] == [(plan.centre.name, "KZ-55", 20, 20)]
    detail = client.get(f"{URL}/centres/{plan.centre_id}").json()
    assert {"service": "state_language", "places": 20} in detail["services"]
    page = client.get(f"{URL}/plans").json()
    assert page["count"] == 1 and page["items"][0]["number"] == plan.number
    assert page["items"][0]["referred"] == 3 and page["items"][0]["progress_percent"] == 0
    assert len(client.get(f"{URL}/services").json()) >= 20


def test_reading_a_plan_is_logged_against_each_member(api_client, centre_staff, plan):
    detail = api_client(centre_staff).get(f"{URL}/plans/{plan.pk}").json()
    assert [r["state"] for r in detail["referrals"]] == ["overdue"] * 3  # due in 2025, never delivered
    logged = set(AccessEvent.objects.filter(channel="api").values_list("object_id", flat=True))
    assert logged == {str(p.pk) for p in members(plan.family)}


def test_staff_walk_a_plan_through_the_api(api_client, centre_staff, centre):
    client = api_client(centre_staff)
    family = make_family()
    response = post(client, f"{URL}/plans", {
        "family_id": family.pk, "centre_id": centre.pk, "arrival_date": "2025-05-10", "transport": "air",
        "work": "job", "housing": "centre", "services": ["information"]})
    assert response.status_code == 201, response.json()
    plan = response.json()
    assert plan["family_size"] == 3 and [r["service"] for r in plan["referrals"]] == ["information"]
    head, spouse, _child = members(family)
    referral = post(client, f"{URL}/plans/{plan['id']}/referrals", {"service": "psychologist", "person_id": spouse.pk})
    assert referral.status_code == 201 and referral.json()["person_id"] == spouse.pk
    delivered = post(client, f"{URL}/referrals/{referral.json()['id']}/delivery", {"note": "Кеңес"})
    assert delivered.status_code == 200 and delivered.json()["state"] == "delivered"
    stays = post(client, f"{URL}/plans/{plan['id']}/stays", {"person_ids": [head.pk, spouse.pk], "on": "2025-05-10"})
    assert stays.status_code == 201 and len(stays.json()) == 2
    out = post(client, f"{URL}/stays/{stays.json()[0]['id']}/check-out", {"on": "2025-06-01"})
    assert out.status_code == 200 and out.json()["check_out"] == "2025-06-01"
    outcomes = post(client, f"{URL}/plans/{plan['id']}/outcomes", {"rows": [
        {"person_id": head.pk, "months": 12, "employed": "yes", "sector": "f", "stayed_in_region": "yes"}]})
    assert outcomes.status_code == 200 and outcomes.json() == {"created": 1, "updated": 0, "unchanged": 0}
    assert Outcome.objects.get().source == "api"
    assert client.get(f"{URL}/plans/{plan['id']}").json()["delivered"] == 1


def test_bad_input_answers_422_with_the_fields(api_client, centre_staff, plan):
    client = api_client(centre_staff)
    response = post(client, f"{URL}/plans", {"family_id": 999999, "centre_id": plan.centre_id,
                                             "arrival_date": "2025-05-10", "transport": "horse", "work": "job",
                                             "housing": "centre"})
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"transport"}
    response = post(client, f"{URL}/plans", {"family_id": 999999, "centre_id": plan.centre_id,
                                             "arrival_date": "2025-05-10", "transport": "air", "work": "job",
                                             "housing": "centre"})
    assert [e["field"] for e in response.json()["errors"]] == ["family_id"]
    child = members(plan.family)[2]
    response = post(client, f"{URL}/plans/{plan.pk}/outcomes", {"rows": [
        {"person_id": child.pk, "months": 3, "employed": "yes"}]})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "rows.0.person_id"


def test_a_full_centre_answers_422_on_the_persons(api_client, centre_staff, reference):
    from koshiqon.adaptation.services.catalogue import adaptation_catalogue_load

    adaptation_catalogue_load(by="test")
    small = make_centre(beds=2, staff=centre_staff)
    plan = make_plan(centre_staff, small)
    response = post(api_client(centre_staff), f"{URL}/plans/{plan.pk}/stays",
                    {"person_ids": [p.pk for p in members(plan.family)]})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "person_ids"
    assert "Орталықта орын жоқ" in response.json()["errors"][0]["message"]  # "The centre is full", in Kazakh
    assert not Stay.objects.exists()


def test_staff_of_another_centre_get_404_and_nothing_listed(api_client, centre_staff, plan, reference):
    stranger = other_staff()
    make_centre(region="KZ-75", staff=stranger)
    client = api_client(stranger)
    assert client.get(f"{URL}/plans").json()["count"] == 0
    assert client.get(f"{URL}/plans/{plan.pk}").status_code == 404
    assert client.get(f"{URL}/centres/{plan.centre_id}").status_code == 404
    referral = plan.referrals.first()
    assert post(client, f"{URL}/referrals/{referral.pk}/delivery", {}).status_code == 404
    assert post(client, f"{URL}/plans/{plan.pk}/stays", {"person_ids": [members(plan.family)[0].pk]}).status_code == 404
    assert Referral.objects.get(pk=referral.pk).delivered_on is None


def test_a_regional_officer_reads_but_may_not_write(api_client, officer, viewer, plan):
    for user in (officer, viewer):
        client = api_client(user)
        assert client.get(f"{URL}/plans/{plan.pk}").status_code == 200
        assert post(client, f"{URL}/plans/{plan.pk}/referrals", {"service": "psychologist"}).status_code == 403
        assert post(client, f"{URL}/referrals/{plan.referrals.first().pk}/delivery", {}).status_code == 403
    assert Plan.objects.get().referrals.count() == 3


def test_an_officer_of_another_region_sees_no_plan_and_an_analyst_no_person(api_client, other_officer, analyst, plan):
    assert api_client(other_officer).get(f"{URL}/plans").json()["count"] == 0
    assert api_client(other_officer).get(f"{URL}/plans/{plan.pk}").status_code == 404
    assert api_client(analyst).get(f"{URL}/plans").status_code == 403
    assert api_client(analyst).get(f"{URL}/centres").status_code == 403


def test_every_operation_needs_authentication(client, plan):
    assert client.get(f"{URL}/plans").status_code == 401
    assert client.post(f"{URL}/plans/{plan.pk}/stays", {}, content_type="application/json").status_code == 401
