from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from koshiqon.jobs.models import Job, JobStatus
from koshiqon.jobs.services import job_start
from koshiqon.people.domain.iin import make_iin
from koshiqon.people.models import Person

HEADER = "last_name,first_name,last_name_latin,first_name_latin,birth_date,sex,citizenship,iin,region"


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["koshiqon_language"] = "en"
    with translation.override("en"):
        yield


def make_job(user, **fields):
    return Job.objects.create(kind="people.import_csv", title=f"job of {user.username}", created_by=user, **fields)


def upload(client, text: str, name="persons.csv", encoding="utf-8"):
    return client.post(reverse("jobs:person_import"),
                       {"file": SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")})


def test_a_regional_officer_sees_only_their_own_jobs(client, officer, other_officer):
    make_job(officer)
    make_job(other_officer)
    client.force_login(officer)
    page = client.get(reverse("jobs:job_list")).content.decode()
    assert "job of officer55" in page
    assert "job of officer75" not in page


def test_a_national_officer_sees_everyone_s_jobs_and_who_started_them(client, national, officer, other_officer):
    make_job(officer)
    make_job(other_officer)
    client.force_login(national)
    page = client.get(reverse("jobs:job_list")).content.decode()
    assert "job of officer55" in page and "job of officer75" in page
    assert "Started by" in page


def test_someone_else_s_job_answers_404(client, officer, other_officer):
    job = make_job(other_officer)
    client.force_login(officer)
    assert client.get(reverse("jobs:job_detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("jobs:job_progress", args=[job.pk])).status_code == 404


def test_a_role_without_the_right_to_see_jobs_is_refused(client, analyst, viewer):
    client.force_login(analyst)
    assert client.get(reverse("jobs:job_list")).status_code == 403
    client.force_login(viewer)
    assert client.get(reverse("jobs:job_list")).status_code == 403


def test_a_running_job_shows_a_progress_bar_that_htmx_refreshes_every_second(client, officer):
    job = make_job(officer, status=JobStatus.RUNNING, done=30, total=120, message="Checked 30 of 120 rows")
    client.force_login(officer)
    page = client.get(reverse("jobs:job_detail", args=[job.pk])).content.decode()
    assert '<progress' in page and 'max="100" value="25"' in page
    assert "25%" in page and "Checked 30 of 120 rows" in page
    assert f'hx-get="{reverse("jobs:job_progress", args=[job.pk])}"' in page
    assert 'hx-trigger="every 1s"' in page


def test_the_progress_fragment_stops_polling_once_the_job_has_finished(client, officer):
    job = make_job(officer, status=JobStatus.RUNNING, done=1, total=2)
    client.force_login(officer)
    fragment = client.get(reverse("jobs:job_progress", args=[job.pk]), headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in fragment and "<html" not in fragment
    Job.objects.filter(pk=job.pk).update(status=JobStatus.SUCCEEDED, done=2, message="All done",
                                         result={"saved": True, "summary": "2 persons were registered.", "errors": []})
    fragment = client.get(reverse("jobs:job_progress", args=[job.pk]), headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in fragment
    assert "100%" in fragment and "2 persons were registered." in fragment


def test_a_failed_job_shows_its_error(client, officer):
    job = make_job(officer, status=JobStatus.FAILED, done=1, total=4, error="RuntimeError: the disk is full")
    client.force_login(officer)
    page = client.get(reverse("jobs:job_detail", args=[job.pk])).content.decode()
    assert "The job failed." in page and "RuntimeError: the disk is full" in page
    assert "hx-trigger" not in page


def test_a_read_only_user_may_not_open_the_import_page(client, viewer):
    client.force_login(viewer)
    assert client.get(reverse("jobs:person_import")).status_code == 403


def test_uploading_a_good_file_registers_the_persons_as_a_job_and_shows_the_outcome(
        client, officer, django_capture_on_commit_callbacks):
    iin = make_iin(date(1990, 5, 17), "F", 3)
    text = f"{HEADER}\nСерікова,Жанар,SERIKOVA,ZHANAR,1990-05-17,F,KZ,{iin},KZ-55\n"
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, text)
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == reverse("jobs:job_detail", args=[job.pk])
    assert (job.kind, job.title, job.created_by) == ("people.import_csv", "Import of persons from persons.csv", officer)
    page = client.get(response.url).content.decode()
    assert "1 person was registered." in page
    assert Person.objects.get().iin == iin


def test_uploading_a_bad_file_saves_nothing_and_lists_each_problem_with_its_line(
        client, officer, django_capture_on_commit_callbacks):
    text = f"{HEADER}\nСерікова,Жанар,SERIKOVA,ZHANAR,1990-02-30,F,KZ,,KZ-55\nАхметов,Мұрат,AKHMETOV,MURAT,1980-01-01,M,KZ,,KZ-75\n"
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, text)
    page = client.get(response.url).content.decode()
    assert "Nothing was saved: 2 problems were found in the file." in page
    assert '<td class="mono">2</td><td class="mono">birth_date</td>' in page
    assert '<td class="mono">3</td><td class="mono">region</td>' in page
    assert not Person.objects.exists()


def test_a_file_written_by_russian_excel_in_windows_1251_is_read(client, officer, django_capture_on_commit_callbacks):
    text = f"{HEADER.replace(',', ';')}\nИванова;Ольга;IVANOVA;OLGA;1970-01-01;F;KZ;;KZ-55\n"
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, text, encoding="cp1251")
    assert Person.objects.get().last_name == "Иванова"


def test_an_upload_form_without_a_file_shows_the_error_and_starts_nothing(client, officer):
    client.force_login(officer)
    response = client.post(reverse("jobs:person_import"), {})
    assert response.status_code == 200
    assert "field--invalid" in response.content.decode()
    assert not Job.objects.exists()


def test_the_import_page_documents_every_column_the_import_reads(client, officer):
    from koshiqon.people.imports import COLUMNS, REQUIRED_COLUMNS

    client.force_login(officer)
    page = client.get(reverse("jobs:person_import")).content.decode()
    for column in COLUMNS:
        marked = f"{column} *" if column in REQUIRED_COLUMNS else column
        assert f'<td class="mono">{marked}</td>' in page, column


def test_an_administrator_sees_an_import_job_but_not_the_persons_its_result_names(
        client, officer, administrator, django_capture_on_commit_callbacks):
    from koshiqon.people.factories import PersonFactory
    from koshiqon.reference.models import Region

    PersonFactory(last_name="Серікова", first_name="Жанар", patronymic="", last_name_latin="SERIKOVA",
                  first_name_latin="ZHANAR", birth_date=date(1990, 5, 17), iin=None,
                  region=Region.objects.get(code="KZ-55"))
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, f"{HEADER}\nСерікова,Жанар,SERIKOVA,ZHANAR,1990-05-17,F,KZ,,KZ-55\n")
    assert "Серікова Жанар" in client.get(response.url).content.decode()  # the importer sees the candidate
    client.force_login(administrator)  # no right to see persons, though every job is listed for the role
    page = client.get(response.url)
    assert page.status_code == 200
    assert "Серікова" not in page.content.decode() and "1990-05-17" not in page.content.decode()


def test_centre_staff_follow_only_their_own_jobs_and_the_right_opens_nothing_else(client, centre_staff, officer):
    from koshiqon.accounts.factories import UserFactory

    make_job(centre_staff)
    make_job(UserFactory(username="centre75", role="centre_staff", region_codes=["KZ-75"]))
    make_job(officer)
    client.force_login(centre_staff)
    page = client.get(reverse("jobs:job_list")).content.decode()
    assert "job of centre55" in page
    assert "job of centre75" not in page and "job of officer55" not in page
    assert "Started by" not in page and reverse("jobs:person_import") not in page
    assert reverse("jobs:job_list") in client.get(reverse("web:home"), follow=True).content.decode()  # the menu
    assert client.get(reverse("jobs:person_import")).status_code == 403
    assert client.get(reverse("labour:exchange_import")).status_code == 403
    with pytest.raises(PermissionDenied):
        job_start(kind="people.import_csv", title="persons", by=centre_staff, text="")
