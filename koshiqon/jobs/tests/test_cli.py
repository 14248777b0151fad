"""The `koshiqon` command (koshiqon/cli.py)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import transaction
from django.test import override_settings

from koshiqon.cli import main, serve_commands, supervise
from koshiqon.core.audit import audit_record
from koshiqon.core.models import AuditEvent
from koshiqon.jobs.models import Job, JobStatus
from koshiqon.jobs.watch import job_watch
from koshiqon.people.models import Person

PYTHON = sys.executable


def record_events(n: int) -> None:
    for i in range(n):
        with transaction.atomic():
            audit_record(by="test", action="test.event", object_type="test", object_id=str(i))


def test_audit_verify_reports_an_intact_chain(db, capsys):
    record_events(3)
    assert main(["audit", "verify"]) == 0
    assert "audit chain intact: 3 events" in capsys.readouterr().out


def test_audit_verify_reports_the_first_edited_event_and_exits_1(db, capsys):
    record_events(3)
    AuditEvent.objects.filter(seq=2).update(reason="edited behind the system's back")
    assert main(["audit", "verify"]) == 1
    assert "BROKEN at event 2" in capsys.readouterr().err


def test_jobs_watch_follows_a_running_job_until_it_ends(officer):
    job = Job.objects.create(kind="people.import_csv", title="import", created_by=officer,
                             status=JobStatus.RUNNING, total=10)
    steps = iter([(4, "Checked 4"), (10, "Checked 10")])
    seen = []

    def sleep(seconds):
        done, message = next(steps, (10, "Saved"))
        update = {"done": done, "message": message}
        if message == "Saved":
            update["status"] = JobStatus.SUCCEEDED
        Job.objects.filter(pk=job.pk).update(**update)
        seen.append(done)

    class Out:
        text = ""

        def write(self, s):
            Out.text += s

        def flush(self):
            pass

    finished = job_watch(job.pk, out=Out(), sleep=sleep)
    assert finished.status == JobStatus.SUCCEEDED
    assert seen == [4, 10, 10]
    assert "10/10" in Out.text and "Saved" in Out.text


def test_jobs_watch_exits_0_for_a_finished_job_and_1_for_a_failed_or_unknown_one(officer, capsys):
    done = Job.objects.create(kind="k", title="t", created_by=officer, status=JobStatus.SUCCEEDED, message="All saved")
    failed = Job.objects.create(kind="k", title="t", created_by=officer, status=JobStatus.FAILED, error="disk full")
    assert main(["jobs", "watch", str(done.pk)]) == 0
    assert f"job {done.pk} finished: All saved" in capsys.readouterr().out
    assert main(["jobs", "watch", str(failed.pk)]) == 1
    assert "disk full" in capsys.readouterr().err
    assert main(["jobs", "watch", "999999"]) == 1


def test_demo_generates_once_and_says_so_the_second_time(reference, capsys):
    assert main(["demo", "--size", "60", "--seed", "4"]) == 0
    assert "generated 60 persons" in capsys.readouterr().out
    assert main(["demo", "--size", "60", "--seed", "4"]) == 0
    assert "already loaded" in capsys.readouterr().out
    assert Person.objects.count() == 60


def test_demo_without_reference_data_fails_with_a_message(db, capsys):
    assert main(["demo", "--size", "5"]) == 1
    assert "koshiqon setup" in capsys.readouterr().err


def test_any_other_word_is_a_django_management_command(db, capsys):
    assert main(["showmigrations", "jobs"]) == 0
    assert "0001_initial" in capsys.readouterr().out


def test_serve_runs_the_task_worker_only_when_tasks_go_through_the_database():
    assert len(serve_commands(host="127.0.0.1", port=8001, workers=2, threads=4)) == 1  # in-process tasks in tests
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        web, worker = serve_commands(host="192.0.2.1", port=8001, workers=3, threads=4)
    assert web[1:4] == ["-m", "gunicorn", "config.wsgi:application"]
    assert web[web.index("--bind") + 1] == "192.0.2.1:8001" and web[web.index("--workers") + 1] == "3"
    assert web[web.index("--worker-class") + 1] == "gthread"
    assert worker[1:4] == ["-m", "django", "db_worker"]


def test_when_one_process_stops_the_others_are_stopped_and_its_exit_code_returned():
    started = time.monotonic()
    code = supervise([[PYTHON, "-c", "import sys; sys.exit(3)"], [PYTHON, "-c", "import time; time.sleep(60)"]],
                     poll=0.05)
    assert code == 3
    assert time.monotonic() - started < 30


def wait_for(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)


def test_ctrl_c_stops_the_web_server_and_the_worker_together(tmp_path: Path):
    pids = [tmp_path / "a.pid", tmp_path / "b.pid"]
    child = "import os, sys, time; open(sys.argv[1], 'w').write(str(os.getpid())); time.sleep(60)"
    script = (
        "import sys; from koshiqon.cli import supervise; "
        f"sys.exit(supervise([[sys.executable, '-c', {child!r}, {str(pids[0])!r}], "
        f"[sys.executable, '-c', {child!r}, {str(pids[1])!r}]], poll=0.05))"
    )
    supervisor = subprocess.Popen([PYTHON, "-c", script], cwd=Path(__file__).resolve().parents[3])
    try:
        wait_for(lambda: all(p.exists() and p.read_text() for p in pids))
        children = [int(p.read_text()) for p in pids]
        supervisor.send_signal(signal.SIGINT)
        assert supervisor.wait(timeout=30) == 0
        for pid in children:
            with pytest.raises(ProcessLookupError):
                os.kill(pid, 0)
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
