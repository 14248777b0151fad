"""The outcomes import as a long job: the page checks the upload and starts the job; the job runs as the staff
member who started it (their centres only), saves every row or none, reports its progress row by row, and its
page, which only they (and the ministry) may open, shows the rows saved or every problem."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from koshiqon.adaptation.models import Outcome
from koshiqon.adaptation.services import imports
from koshiqon.adaptation.tests.plans_setup import make_centre, make_plan, members, other_staff
from koshiqon.core.models import AuditEvent
from koshiqon.jobs.models import Job, JobStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["koshiqon_language"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def plan(centre, centre_staff):
    return make_plan(centre_staff, centre, arrival=date(2025, 5, 10), today=date(2025, 5, 10))


def upload(client, user, text: str, capture, name="outcomes.csv"):
    client.force_login(user)
    with capture(execute=True):
        return client.post(reverse("adaptation:outcomes_import"),
                           {"file": SimpleUploadedFile(name, text.encode(), "text/csv")})


def test_a_centre_staff_member_starts_the_import_and_the_job_page_shows_the_rows_saved(
        client, centre_staff, plan, django_capture_on_commit_callbacks):
    head, spouse, _child = members(plan.family)
    text = f"plan;person;months;employed;sector\n{plan.number};{head.pk};3;yes;F\n{plan.number};{spouse.pk};6;no;\n"
    response = upload(client, centre_staff, text, django_capture_on_commit_callbacks)
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("jobs:job_detail", args=[job.pk])
    assert (job.kind, job.created_by, job.status) == ("adaptation.import_outcomes", centre_staff, JobStatus.SUCCEEDED)
    assert job.title == "Import of outcomes from outcomes.csv" and job.done == job.total == 4
    assert Outcome.objects.filter(plan=plan, source="import").count() == 2
    assert AuditEvent.objects.filter(action="adaptation.outcome.record", actor=centre_staff).count() == 2
    page = client.get(response["Location"]).content.decode()
    assert "Saved. Recorded: 2; corrected: 0; already as in the file: 0." in page
    assert reverse("adaptation:plan_list") in page


def test_a_bad_file_saves_nothing_and_the_job_lists_each_problem_by_line_column_and_reason(
        client, centre_staff, plan, django_capture_on_commit_callbacks):
    head = members(plan.family)[0]
    text = (f"plan,person,months,employed,sector\n{plan.number},{head.pk},3,yes,F\n{plan.number},{head.pk},5,yes,\n"
            f"{plan.number},{head.pk},6,no,G\n")
    response = upload(client, centre_staff, text, django_capture_on_commit_callbacks)
    job = Job.objects.get()
    assert job.status == JobStatus.SUCCEEDED and job.result["saved"] is False
    assert job.result["errors"] == [[3, "months", "Choose 3, 6 or 12 months after arrival."],
                                    [4, "sector", "A sector is given only for a person who is employed."]]
    assert not Outcome.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="adaptation.outcome").exists()
    page = client.get(response["Location"]).content.decode()
    assert "Nothing was saved: 2 problems were found in the file." in page
    assert '<td class="num">3</td><td class="mono">months</td><td>Choose 3, 6 or 12 months after arrival.</td>' in page
    assert '<td class="num">4</td><td class="mono">sector</td>' in page
    assert reverse("adaptation:outcomes_import") in page


def test_the_job_runs_as_its_starter_so_a_plan_of_another_centre_is_not_found(
        client, centre_staff, plan, django_capture_on_commit_callbacks):
    stranger = other_staff()
    elsewhere = make_plan(stranger, make_centre(region="KZ-75", staff=stranger), arrival=date(2025, 5, 10),
                          today=date(2025, 5, 10))
    text = f"plan,person,months,employed\n{elsewhere.number},{members(elsewhere.family)[0].pk},3,yes\n"
    upload(client, centre_staff, text, django_capture_on_commit_callbacks)
    assert Job.objects.get().result["errors"] == [[2, "plan", "There is no such plan at your centres."]]
    assert not Outcome.objects.exists()


def test_staff_of_another_centre_cannot_see_the_job(client, centre_staff, plan, django_capture_on_commit_callbacks):
    head = members(plan.family)[0]
    upload(client, centre_staff, f"plan,person,months,employed\n{plan.number},{head.pk},3,yes\n",
           django_capture_on_commit_callbacks)
    job = Job.objects.get()
    client.force_login(other_staff())
    assert client.get(reverse("jobs:job_detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("jobs:job_progress", args=[job.pk])).status_code == 404
    assert job.title not in client.get(reverse("jobs:job_list")).content.decode()


def test_a_national_officer_follows_the_job_but_not_its_rows(client, national, centre_staff, plan,
                                                             django_capture_on_commit_callbacks):
    head = members(plan.family)[0]
    upload(client, centre_staff, f"plan,person,months,employed\n{plan.number},{head.pk},5,yes\n",
           django_capture_on_commit_callbacks)
    client.force_login(national)
    page = client.get(reverse("jobs:job_detail", args=[Job.objects.get().pk])).content.decode()
    assert "Nothing was saved: 1 problem was found in the file." in page and 'id="import-problems"' not in page


@pytest.mark.parametrize(("name", "content"), [
    ("outcomes.xlsx", b"plan,person,months,employed\n"),  # named a workbook, but text
    ("outcomes.csv", b"plan\x00person\x00"),  # a binary file
])
def test_an_upload_that_is_not_a_table_is_refused_on_the_page_and_starts_no_job(
        client, centre_staff, centre, name, content):
    client.force_login(centre_staff)
    response = client.post(reverse("adaptation:outcomes_import"), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 422 and "field--invalid" in response.content.decode()
    assert "The file cannot be read: send a CSV file or an XLSX workbook." in response.content.decode()
    assert not Job.objects.exists()


def test_an_upload_larger_than_the_limit_is_refused_on_the_page(client, centre_staff, centre, monkeypatch):
    monkeypatch.setattr(imports, "MAX_BYTES", 10)
    client.force_login(centre_staff)
    response = client.post(reverse("adaptation:outcomes_import"),
                           {"file": SimpleUploadedFile("outcomes.csv", b"plan,person,months,employed\n")})
    assert response.status_code == 422 and "larger than" in response.content.decode()
    assert not Job.objects.exists()


def test_a_regional_officer_may_not_start_the_import(client, officer):
    client.force_login(officer)
    response = client.post(reverse("adaptation:outcomes_import"),
                           {"file": SimpleUploadedFile("outcomes.csv", b"plan,person,months,employed\n")})
    assert response.status_code == 403 and not Job.objects.exists()


def test_the_import_reports_its_progress_row_by_row(centre_staff, plan):
    head, spouse, _child = members(plan.family)
    text = f"plan,person,months,employed\n{plan.number},{head.pk},3,yes\n{plan.number},{spouse.pk},3,no\n"
    calls = []
    imports.outcomes_import(name="a.csv", content=text.encode(), by=centre_staff,
                            progress=lambda done, total, message="": calls.append((done, total)),
                            today=date(2026, 6, 15))
    assert calls == [(0, 4), (1, 4), (2, 4), (2, 4), (4, 4)]  # checked row by row, saving, saved
