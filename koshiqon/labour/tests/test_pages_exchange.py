"""The labour-exchange pages, in Kazakh: vacancies, jobseekers, their forms and exports, and the import page
whose job shows the row-level report."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from koshiqon.jobs.models import Job
from koshiqon.labour.models import Jobseeker, Vacancy
from koshiqon.labour.tests.setup_quota_exchange import a_bin, jobseeker, load_reference, vacancy

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(reference):
    load_reference()


def signed_in(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_the_vacancy_list_renders_in_kazakh_with_filters_and_an_export(client, officer, scene):
    vacancy(exchange_id="ENBEK-55")
    vacancy(exchange_id="ENBEK-75", region="KZ-75")
    client = signed_in(client, officer)
    page = client.get(reverse("labour:vacancy_list"))
    html = page.content.decode()
    assert page.status_code == 200 and '<html lang="kk">' in html
    assert "ENBEK-55" in html and "ENBEK-75" not in html
    assert "ENBEK-55" not in client.get(reverse("labour:vacancy_list") + "?occupation=215").content.decode()
    export = client.get(reverse("labour:vacancy_export") + "?occupation=214")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_an_officer_registers_a_vacancy_with_errors_shown_next_to_the_fields(client, officer, scene):
    client = signed_in(client, officer)
    form = {"exchange_id": "ENBEK-1", "employer_bin": a_bin(1), "title": "Инженер", "occupation": "214",
            "region": "KZ-55", "wage": "450000", "posted_on": "2026-02-10", "status": "open"}
    bad = client.post(reverse("labour:vacancy_create"), form | {"wage": "", "occupation": "2"})
    assert bad.status_code == 422 and set(bad.context["form"].errors) == {"wage", "occupation"}
    assert client.post(reverse("labour:vacancy_create"), form).status_code == 302
    posted = Vacancy.objects.get()
    assert client.post(reverse("labour:vacancy_status", args=[posted.pk]), {"status": "filled"}).status_code == 302
    assert Vacancy.objects.get().status == "filled"


def test_the_jobseeker_list_registers_and_deregisters(client, officer, scene):
    jobseeker("JS-1")
    client = signed_in(client, officer)
    page = client.get(reverse("labour:jobseeker_list"))
    assert page.status_code == 200 and b"JS-1" in page.content
    form = {"registration": "JS-2", "occupation": "711", "region": "KZ-55", "education": "3",
            "registered_on": "2025-10-01", "deregistered_on": ""}
    assert client.post(reverse("labour:jobseeker_create"), form).status_code == 302
    seeker = Jobseeker.objects.get(registration="JS-2")
    assert client.post(reverse("labour:jobseeker_deregister", args=[seeker.pk])).status_code == 302
    assert Jobseeker.objects.get(pk=seeker.pk).deregistered_on is not None
    export = client.get(reverse("labour:jobseeker_export"))
    assert export.status_code == 200


def test_a_viewer_reads_the_lists_without_the_buttons_and_an_employer_has_no_jobseekers(client, viewer, employer,
                                                                                       scene):
    vacancy()
    page = signed_in(client, viewer).get(reverse("labour:vacancy_list"))
    assert page.status_code == 200 and reverse("labour:vacancy_create").encode() not in page.content
    assert signed_in(client, viewer).get(reverse("labour:exchange_import")).status_code == 403
    assert signed_in(client, employer).get(reverse("labour:jobseeker_list")).status_code == 403
    assert signed_in(client, employer).get(reverse("labour:vacancy_list")).status_code == 200


def test_an_xlsx_import_from_the_page_shows_its_report_on_the_job_page(client, officer, scene,
                                                                      django_capture_on_commit_callbacks):
    book = Workbook()
    book.active.append(["registration", "occupation", "region", "registered_on"])
    book.active.append(["JS-1", "214", "KZ-55", "2025-04-01"])
    book.active.append(["JS-2", "214", "KZ-75", "2025-04-01"])
    buffer = BytesIO()
    book.save(buffer)
    client = signed_in(client, officer)
    assert client.get(reverse("labour:exchange_import")).status_code == 200
    upload = SimpleUploadedFile("jobseekers.xlsx", buffer.getvalue())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("labour:exchange_import"), {"what": "jobseekers", "file": upload})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("jobs:job_detail", args=[job.pk])
    page = client.get(reverse("jobs:job_detail", args=[job.pk])).content.decode()
    assert "Ештеңе сақталмады: файлдан 1 қате табылды." in page
    assert job.result["errors"][0][:2] == [3, "region"]
    assert not Jobseeker.objects.exists()
