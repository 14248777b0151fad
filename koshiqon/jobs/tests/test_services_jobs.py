import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from koshiqon.core.models import AuditEvent
from koshiqon.jobs import services
from koshiqon.jobs.models import Job, JobStatus
from koshiqon.jobs.services import job_progress, job_reconcile, job_start

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def start(user, kind="test.count", **params):
    return job_start(kind=kind, title="A test job", by=user, **params)


def test_starting_a_job_records_it_audits_it_and_runs_its_task(officer, job_kinds, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = start(officer, n=3)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert (job.done, job.total, job.percent) == (3, 3, 100)
    assert job.result["summary"] == "counted to 3"
    assert job.message == "counted to 3"
    assert job.task_result_id
    assert job.started_at and job.finished_at and job.created_by == officer
    event = AuditEvent.objects.get(action="jobs.job.start")
    assert (event.object_type, event.object_id) == ("jobs.job", str(job.pk))
    assert event.after == {"kind": "test.count", "title": "A test job", "params": {"n": 3}}
    assert event.actor == officer


def test_the_task_is_queued_only_once_the_job_record_is_committed(officer, job_kinds, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = start(officer, n=2)
    assert len(callbacks) == 1
    assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED


def test_progress_written_by_the_task_is_readable_while_the_task_runs(officer, job_kinds, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = start(officer, n=5)
    job.refresh_from_db()
    seen = job.result["seen"]
    # The first report is written at once and read back inside the task; the last one always is.
    assert seen[0] == 1
    assert seen[-1] == 5


def test_a_job_whose_task_raises_is_closed_as_failed_with_the_error(officer, job_kinds, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = start(officer, kind="test.explode")
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "RuntimeError: the disk is full"
    assert job.message == "about to fail"
    assert job.finished_at is not None
    assert job.percent == 25


def test_the_task_speaks_the_language_of_the_person_who_started_it(officer, job_kinds, django_capture_on_commit_callbacks):
    with translation.override("ru"), django_capture_on_commit_callbacks(execute=True):
        job = start(officer, n=1)
    job.refresh_from_db()
    assert job.result["language"] == "ru"


def test_starting_a_job_needs_the_right_its_kind_asks_for(viewer, analyst):
    with pytest.raises(PermissionDenied):
        job_start(kind="people.import_csv", title="import", by=viewer, text="")
    with pytest.raises(PermissionDenied):
        job_start(kind="people.import_csv", title="import", by=analyst, text="")
    assert not Job.objects.exists()


def test_an_unknown_kind_of_job_is_refused(officer):
    with pytest.raises(ValueError):
        job_start(kind="no.such.kind", title="x", by=officer)


def test_parameters_that_cannot_travel_through_the_queue_are_refused_at_once(officer, job_kinds):
    with pytest.raises(TypeError):
        start(officer, n=object())
    assert not Job.objects.exists()


def test_a_long_parameter_is_summarised_in_the_audit_event_not_copied(officer, django_capture_on_commit_callbacks):
    text = "last_name,first_name\n" + "Иванов,Иван\n" * 100
    with django_capture_on_commit_callbacks(execute=False):
        job_start(kind="people.import_csv", title="import", by=officer, text=text)
    event = AuditEvent.objects.get(action="jobs.job.start")
    assert event.after["params"] == {"text": f"<{len(text)} characters>"}


def test_progress_writes_are_throttled_to_a_few_a_second(officer, monkeypatch):
    job = Job.objects.create(kind="test.count", title="t", created_by=officer, status=JobStatus.RUNNING)
    clock = iter([100.0, 100.1, 100.2, 100.3, 100.35, 100.6])
    monkeypatch.setattr(services, "_clock", lambda: next(clock))
    written = [job_progress(job.pk, done, 100, f"row {done}") for done in (1, 2, 3, 4, 5, 6)]
    assert written == [True, False, False, True, False, True]
    job.refresh_from_db()
    assert (job.done, job.message) == (6, "row 6")


def test_the_report_that_reaches_the_total_is_always_written(officer, monkeypatch):
    job = Job.objects.create(kind="test.count", title="t", created_by=officer, status=JobStatus.RUNNING)
    monkeypatch.setattr(services, "_clock", lambda: 50.0)
    assert job_progress(job.pk, 1, 10) is True
    assert job_progress(job.pk, 5, 10) is False
    assert job_progress(job.pk, 10, 10, "done") is True
    job.refresh_from_db()
    assert (job.done, job.total, job.message) == (10, 10, "done")


def test_a_new_stage_announced_at_the_same_count_is_written_at_once(officer, monkeypatch):
    job = Job.objects.create(kind="test.count", title="t", created_by=officer, status=JobStatus.RUNNING)
    monkeypatch.setattr(services, "_clock", lambda: 7.0)
    assert job_progress(job.pk, 40, 100, "Checked 40 of 50 rows") is True
    assert job_progress(job.pk, 50, 100, "Checked 50 of 50 rows") is False
    assert job_progress(job.pk, 50, 100, "Saving 50 persons") is True
    job.refresh_from_db()
    assert (job.done, job.message) == (50, "Saving 50 persons")


def test_progress_never_rewrites_a_finished_job(officer):
    job = Job.objects.create(kind="test.count", title="t", created_by=officer, status=JobStatus.SUCCEEDED, done=3, total=3)
    job_progress(job.pk, 1, 3, "late", force=True)
    job.refresh_from_db()
    assert (job.done, job.message) == (3, "")


# The worker checks its connection between tasks as in production, which needs real commits (no test transaction).
@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
def test_the_database_worker_runs_a_queued_job_to_the_end(officer, job_kinds, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = start(officer, n=4)
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.task_result_id
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert job.result["summary"] == "counted to 4"


@override_settings(TASKS=DB_TASKS)
def test_a_job_whose_worker_died_is_closed_as_failed_when_looked_at(officer, job_kinds, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        job = start(officer, n=4)
    job.refresh_from_db()
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    DBTaskResult.objects.filter(id=job.task_result_id).update(status="FAILED")
    job = job_reconcile(Job.objects.get(pk=job.pk))
    assert job.status == JobStatus.FAILED
    assert job.error
