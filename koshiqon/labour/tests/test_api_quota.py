"""/api/v1/labour/quota and /labour-force: each role gets what the pages give it, bad input answers 422."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from koshiqon.labour.models import QuotaAllocation, QuotaRedistribution
from koshiqon.labour.tests.setup_quota_exchange import load_quotas, load_reference

pytestmark = pytest.mark.django_db
URL = "/api/v1/labour"


@pytest.fixture
def shipped(reference):
    load_reference()
    load_quotas()


def move_body(**changes):
    return {"category": "3", "from_region": "KZ-55", "to_region": "KZ-75", "places": 4,
            "legal_act": "Order No. 17", "act_date": "2026-05-04", "reason": "Demand moved to Almaty"} | changes


def test_reading_the_quota_needs_authentication(client, shipped):
    response = client.get(f"{URL}/quota/2026")
    assert response.status_code == 401 and "detail" in response.json()


def test_a_regional_officer_reads_the_quota_with_the_utilisation_of_their_regions(api_client, officer, shipped):
    body = api_client(officer).get(f"{URL}/quota/2026").json()
    assert body["categories"] == ["1", "2", "3", "4", "seasonal"]
    assert {row["region"] for row in body["utilisation"]} == {"KZ-55"}
    assert [t["category"] for t in body["totals"]] == body["categories"]
    years = [q["year"] for q in api_client(officer).get(f"{URL}/quota").json()]
    assert years == [2026, 2009]


def test_a_national_officer_and_an_analyst_read_all_regions_an_employer_may_not(api_client, national, analyst,
                                                                               employer, shipped):
    assert len(api_client(national).get(f"{URL}/quota/2026").json()["utilisation"]) == 100
    assert len(api_client(analyst).get(f"{URL}/quota/2009").json()["utilisation"]) == 48
    assert api_client(employer).get(f"{URL}/quota/2026").status_code == 403


def test_a_year_without_a_quota_is_404_and_a_year_out_of_range_422(api_client, officer, shipped):
    assert api_client(officer).get(f"{URL}/quota/2015").status_code == 404
    assert api_client(officer).get(f"{URL}/quota/1990").status_code == 422


def test_a_national_officer_moves_places_and_a_regional_one_may_not(api_client, national, officer, shipped):
    response = api_client(officer).post(f"{URL}/quota/2026/redistributions", move_body(),
                                        content_type="application/json")
    assert response.status_code == 403
    response = api_client(national).post(f"{URL}/quota/2026/redistributions", move_body(),
                                         content_type="application/json")
    assert response.status_code == 201
    assert (response.json()["from_region"], response.json()["places"]) == ("KZ-55", 4)
    listed = api_client(officer).get(f"{URL}/quota/2026/redistributions").json()
    assert [m["to_region"] for m in listed] == ["KZ-75"]


def test_a_move_beyond_the_unused_places_answers_422_with_the_field(api_client, national, shipped):
    places = QuotaAllocation.objects.get(quota__year=2026, region__code="KZ-55", category="3").places
    response = api_client(national).post(f"{URL}/quota/2026/redistributions", move_body(places=places + 1),
                                         content_type="application/json")
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["places"]
    bad = api_client(national).post(f"{URL}/quota/2026/redistributions", move_body(places=0, extra=1),
                                    content_type="application/json")
    assert bad.status_code == 422 and {e["field"] for e in bad.json()["errors"]} == {"places", "extra"}
    assert not QuotaRedistribution.objects.exists()


def test_setting_the_labour_force_and_then_a_quota_through_the_api(api_client, national, shipped):
    client = api_client(national)
    response = client.put(f"{URL}/labour-force/2027", {"persons": {"KZ-55": 400000, "KZ-75": 1200000}},
                          content_type="application/json")
    assert response.status_code == 200 and {r["region"] for r in response.json()} == {"KZ-55", "KZ-75"}
    body = {"year": 2027, "share": "0.0025", "legal_act": "Order of the Minister", "confidence": "M",
            "components": {"1": 700, "2": "3400", "3": "0.06%", "4": "3100", "seasonal": "5000"}}
    response = client.post(f"{URL}/quota", body, content_type="application/json")
    assert response.status_code == 201
    assert {t["category"]: t["places"] for t in response.json()["totals"]}["3"] == 960
    again = client.post(f"{URL}/quota", body, content_type="application/json")
    assert again.status_code == 422 and again.json()["errors"][0]["field"] == "year"


def test_a_quota_with_an_unreadable_component_answers_422_naming_it(api_client, national, shipped):
    api_client(national).put(f"{URL}/labour-force/2027", {"persons": {"KZ-55": 400000}},
                             content_type="application/json")
    body = {"year": 2027, "legal_act": "Order", "components": {"1": "many", "2": "1", "3": "1", "4": "1",
                                                               "seasonal": "1"}}
    response = api_client(national).post(f"{URL}/quota", body, content_type="application/json")
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["components.1"]


def test_the_utilisation_table_downloads_as_xlsx(api_client, viewer, shipped):
    response = api_client(viewer).get(f"{URL}/quota/2026/utilisation.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(BytesIO(response.content), read_only=True).worksheets[0].iter_rows(values_only=True))
    assert rows[3][1:3] == ("Облыс", "Санат")  # Kazakh by default: "Region", "Category"
    assert {r[0] for r in rows[4:9]} == {"KZ-55"}
