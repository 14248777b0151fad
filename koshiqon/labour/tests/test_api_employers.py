"""/api/v1/labour/employers: officers keep the registry of their regions, viewers read it, an employer account
reads only its own employer (404 for another) and updates its staff."""

import pytest

from koshiqon.labour.models import EmployerStaff
from koshiqon.labour.selectors.employers import employers_for
from koshiqon.labour.tests.setup_quota_exchange import a_bin, employer_in, load_reference

pytestmark = pytest.mark.django_db
URL = "/api/v1/labour/employers"


@pytest.fixture
def scene(reference):
    load_reference()


def test_the_registry_needs_authentication(client, scene):
    assert client.get(URL).status_code == 401
    assert client.post(URL, {}, content_type="application/json").status_code == 401


def test_an_officer_registers_an_employer_and_reads_it_back(api_client, officer, scene):
    body = {"bin": a_bin(1), "name": "«Ертіс» ЖШС", "region": "KZ-55", "sector": "F"}
    response = api_client(officer).post(URL, body, content_type="application/json")
    assert response.status_code == 201
    created = response.json()
    assert (created["bin"], created["region"], created["sector_name"], created["staff"]) == (a_bin(1), "KZ-55",
                                                                                             "Құрылыс", [])
    assert api_client(officer).get(URL).json()["count"] == 1


def test_a_wrong_bin_answers_422_with_the_field_in_kazakh(api_client, officer, scene):
    bad = a_bin(1)[:-1] + str((int(a_bin(1)[-1]) + 1) % 10)
    response = api_client(officer).post(URL, {"bin": bad, "name": "X", "region": "KZ-55", "sector": "F"},
                                        content_type="application/json", HTTP_ACCEPT_LANGUAGE="kk")
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "bin" and error["message"].startswith("БСН-нің тексеру цифры қате")


def test_an_employer_account_reads_its_own_employer_and_gets_404_for_another(api_client, employer, employer_org,
                                                                           scene):
    other = employer_in("KZ-55", serial=7)
    client = api_client(employer)
    assert [e["id"] for e in client.get(URL).json()["items"]] == [employer_org.pk]
    assert client.get(f"{URL}/{employer_org.pk}").status_code == 200
    assert client.get(f"{URL}/{other.pk}").status_code == 404
    assert client.get(f"{URL}/{employer_org.pk}").json()["accounts"] == []


def test_an_employer_account_updates_its_own_staff_but_not_its_registration(api_client, employer, employer_org,
                                                                          scene):
    client = api_client(employer)
    response = client.put(f"{URL}/{employer_org.pk}/staff/3", {"citizens": 95, "foreigners": 9},
                          content_type="application/json")
    assert response.status_code == 200 and response.json()["citizens"] == 95
    assert EmployerStaff.objects.get(employer=employer_org, category="3").foreigners == 9
    assert client.patch(f"{URL}/{employer_org.pk}", {"name": "Mine"}, content_type="application/json").status_code == 403
    assert client.post(URL, {"bin": a_bin(2), "name": "X", "region": "KZ-55", "sector": "F"},
                       content_type="application/json").status_code == 403


def test_staff_of_an_unknown_category_or_inconsistent_counts_answer_422(api_client, officer, employer_org, scene):
    client = api_client(officer)
    assert client.put(f"{URL}/{employer_org.pk}/staff/5", {"citizens": 1, "foreigners": 0},
                      content_type="application/json").status_code == 422
    response = client.put(f"{URL}/{employer_org.pk}/staff/1", {"citizens": 1, "foreigners": 0, "ict_transferees": 2},
                          content_type="application/json")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "ict_transferees"


def test_a_viewer_reads_but_may_not_write_and_another_region_gets_404(api_client, viewer, other_officer,
                                                                     employer_org, scene):
    assert api_client(viewer).get(f"{URL}/{employer_org.pk}").status_code == 200
    assert api_client(viewer).put(f"{URL}/{employer_org.pk}/staff/3", {"citizens": 1, "foreigners": 0},
                                  content_type="application/json").status_code == 403
    assert api_client(other_officer).get(f"{URL}/{employer_org.pk}").status_code == 404
    assert api_client(other_officer).patch(f"{URL}/{employer_org.pk}", {"name": "X"},
                                           content_type="application/json").status_code == 404


def test_an_officer_links_and_unlinks_an_employer_account(api_client, officer, employer, scene):
    org = employer_in("KZ-55", serial=8)
    client = api_client(officer)
    response = client.post(f"{URL}/{org.pk}/accounts", {"username": "employer"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["accounts"] == ["employer"]
    assert employers_for(employer).filter(pk=org.pk).exists()
    assert client.delete(f"{URL}/{org.pk}/accounts/employer").json()["accounts"] == []
    assert client.post(f"{URL}/{org.pk}/accounts", {"username": "officer55"},
                       content_type="application/json").status_code == 422


def test_an_analyst_may_not_read_the_registry(api_client, analyst, employer_org, scene):
    assert api_client(analyst).get(URL).status_code == 403
    assert api_client(analyst).get(f"{URL}/{employer_org.pk}").status_code == 403
