"""A failed import of persons names the registered persons each bad row may duplicate. The import ran in
transactions that were rolled back, so the reads are logged when a user is shown them: on the job's page and
on its progress fragment, for a user who may see the result."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from koshiqon.core.models import AccessEvent
from koshiqon.jobs.models import Job
from koshiqon.people.factories import PersonFactory
from koshiqon.reference.models import Region

HEADER = "last_name,first_name,last_name_latin,first_name_latin,birth_date,sex,citizenship,iin,region"
LOOK_ALIKE = "Серікова,Жанар,SERIKOVA,ZHANAR,1990-05-17,F,KZ,,KZ-55"

pytestmark = pytest.mark.django_db


def logged(user) -> list[str]:
    return sorted(AccessEvent.objects.filter(user=user, object_type="people.person", channel="page")
                  .values_list("object_id", flat=True))


@pytest.fixture
def registered(reference):
    return PersonFactory(last_name="Серікова", first_name="Жанар", patronymic="", last_name_latin="SERIKOVA",
                         first_name_latin="ZHANAR", birth_date=date(1990, 5, 17), iin=None, sex="F",
                         region=Region.objects.get(code="KZ-55"))


@pytest.fixture
def failed_import(client, officer, registered, django_capture_on_commit_callbacks) -> Job:
    client.force_login(officer)
    upload = SimpleUploadedFile("persons.csv", f"{HEADER}\n{LOOK_ALIKE}\n".encode(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("jobs:person_import"), {"file": upload})
    job = Job.objects.get()
    assert job.result["saved"] is False
    return job


def test_the_import_itself_logs_no_read_and_keeps_the_persons_its_result_names(failed_import, officer, registered):
    assert failed_import.result["named_persons"] == [registered.pk]
    assert logged(officer) == []


@pytest.mark.parametrize("page", ["jobs:job_detail", "jobs:job_progress"])
def test_showing_the_result_logs_a_read_of_each_registered_person_it_names(client, failed_import, officer,
                                                                           registered, page):
    response = client.get(reverse(page, args=[failed_import.pk]))

    assert response.status_code == 200 and "Серікова Жанар" in response.content.decode()
    assert logged(officer) == [str(registered.pk)]


def test_a_user_shown_only_the_progress_logs_no_read(client, failed_import, administrator):
    client.force_login(administrator)

    assert client.get(reverse("jobs:job_detail", args=[failed_import.pk])).status_code == 200

    assert logged(administrator) == []
