"""/api/v1/labour/vacancies, /jobseekers and /exchange/imports: the labour exchange for other systems."""

from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from koshiqon.jobs.models import Job
from koshiqon.labour.models import Vacancy
from koshiqon.labour.tests.setup_quota_exchange import a_bin, employer_in, jobseeker, load_reference, vacancy

pytestmark = pytest.mark.django_db
URL = "/api/v1/labour"
HEADER = "exchange_id,employer_bin,title,occupation,region,wage,posted_on,status"


@pytest.fixture
def scene(reference):
    load_reference()


def body(**changes):
    return {"exchange_id": "ENBEK-7", "employer_bin": a_bin(1), "title": "Инженер", "occupation": "214",
            "region": "KZ-55", "wage": 450000, "posted_on": "2026-02-10"} | changes


def test_the_exchange_needs_authentication(client, scene):
    for path in ("/vacancies", "/jobseekers", "/jobseekers/count?region=KZ-55&occupation=214&on=2026-03-01"):
        assert client.get(f"{URL}{path}").status_code == 401


def test_an_officer_registers_a_vacancy_and_another_region_cannot_see_it(api_client, officer, other_officer, scene):
    response = api_client(officer).post(f"{URL}/vacancies", body(), content_type="application/json")
    assert response.status_code == 201
    pk = response.json()["id"]
    assert api_client(other_officer).get(f"{URL}/vacancies/{pk}").status_code == 404
    assert api_client(other_officer).post(f"{URL}/vacancies/{pk}/status", {"status": "filled"},
                                          content_type="application/json").status_code == 404


def test_a_bad_vacancy_answers_422_naming_the_fields(api_client, officer, scene):
    response = api_client(officer).post(f"{URL}/vacancies", body(occupation="21", region="KZ-99"),
                                        content_type="application/json")
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"occupation", "region"}
    assert api_client(officer).post(f"{URL}/vacancies", body(wage=0), content_type="application/json").status_code == 422


def test_a_viewer_reads_and_an_employer_sees_only_its_own_vacancies(api_client, viewer, employer, employer_org, scene):
    own = vacancy(exchange_id="E-OWN", employer=employer_org)
    vacancy(exchange_id="E-OTHER")
    assert api_client(viewer).get(f"{URL}/vacancies").json()["count"] == 2
    assert api_client(viewer).post(f"{URL}/vacancies", body(), content_type="application/json").status_code == 403
    items = api_client(employer).get(f"{URL}/vacancies").json()["items"]
    assert [v["id"] for v in items] == [own.pk]
    assert api_client(employer).get(f"{URL}/jobseekers").status_code == 403


def test_the_status_of_a_vacancy_changes_through_the_api(api_client, officer, scene):
    posted = vacancy()
    response = api_client(officer).post(f"{URL}/vacancies/{posted.pk}/status", {"status": "closed"},
                                        content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "closed"


def test_jobseekers_are_registered_counted_and_deregistered(api_client, officer, scene):
    client = api_client(officer)
    response = client.post(f"{URL}/jobseekers", {"registration": "JS-1", "occupation": "214", "region": "KZ-55",
                                                 "registered_on": "2025-06-01"}, content_type="application/json")
    assert response.status_code == 201
    count = client.get(f"{URL}/jobseekers/count?region=KZ-55&occupation=21&on=2026-03-01").json()
    assert count == {"region": "KZ-55", "occupation": "21", "on": "2026-03-01", "jobseekers": 1}
    pk = response.json()["id"]
    done = client.post(f"{URL}/jobseekers/{pk}/deregister", {"on": "2026-01-10"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["deregistered_on"] == "2026-01-10"
    assert client.get(f"{URL}/jobseekers/count?region=KZ-55&occupation=214&on=2026-03-01").json()["jobseekers"] == 0
    assert client.get(f"{URL}/jobseekers?active_on=2025-12-01").json()["count"] == 1


def test_the_lists_download_as_xlsx(api_client, officer, scene):
    vacancy(exchange_id="E-1")
    jobseeker("JS-1")
    book = load_workbook(BytesIO(api_client(officer).get(f"{URL}/vacancies/export.xlsx").content), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0] == "E-1"
    book = load_workbook(BytesIO(api_client(officer).get(f"{URL}/jobseekers/export.xlsx").content), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[1][:2] == ("JS-1", "214") and rows[1][5].date() == date(2025, 6, 1)


def test_an_import_starts_a_job_whose_report_is_read_back(api_client, officer, scene,
                                                          django_capture_on_commit_callbacks):
    employer_in("KZ-55", serial=1)
    text = f"{HEADER}\nE-1,{a_bin(1)},Инженер,214,KZ-55,450000,2026-02-10,\nE-2,{a_bin(1)},,214,KZ-55,1,2026-02-10,\n"
    upload = SimpleUploadedFile("enbek.csv", text.encode(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client(officer).post(f"{URL}/exchange/imports", {"kind": "vacancies", "file": upload})
    assert response.status_code == 202
    job_id = response.json()["job_id"]
    report = api_client(officer).get(f"{URL}/exchange/imports/{job_id}").json()
    assert report["status"] == "succeeded" and report["result"]["saved"] is False
    assert report["result"]["errors"] == [[3, "title", "Бұл өрісті толтыру міндетті."]]
    assert not Vacancy.objects.exists()
    assert Job.objects.get(pk=job_id).created_by == officer


def test_an_import_by_a_viewer_is_403_and_a_wrong_kind_422(api_client, viewer, officer, scene):
    upload = SimpleUploadedFile("x.csv", b"a,b\n", content_type="text/csv")
    assert api_client(viewer).post(f"{URL}/exchange/imports", {"kind": "vacancies", "file": upload}).status_code == 403
    upload = SimpleUploadedFile("x.csv", b"a,b\n", content_type="text/csv")
    assert api_client(officer).post(f"{URL}/exchange/imports", {"kind": "people", "file": upload}).status_code == 422
    assert api_client(officer).get(f"{URL}/exchange/imports/999999").status_code == 404
