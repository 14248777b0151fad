"""Every write on jobs: starting one, and the progress and outcome its task records while it runs.

Progress is written in short transactions of its own (autocommit), never inside the task's work, so that
the page and the CLI see it while the task runs; it is throttled so a task reporting every row costs a few
writes a second, not one per row.
"""

import base64
import binascii
import json
import logging
import time
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from koshiqon.core.audit import audit_record
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import require
from koshiqon.jobs.kinds import job_kind
from koshiqon.jobs.models import Job, JobStatus

logger = logging.getLogger(__name__)

# At most this many progress writes a second per job (the last one of a job is always written).
PROGRESS_WRITES_PER_SECOND = 4
# Parameters longer than this (an uploaded file) are summarised in the audit event, not copied into it.
AUDIT_PARAM_LIMIT = 200
LANGUAGE_PARAM = "_language"

_last_write: dict[int, float] = {}
_last_done: dict[int, int] = {}
_clock = time.monotonic


def file_param(data: bytes) -> str:
    """A file as a job parameter: parameters travel through the task queue as JSON, so its bytes go as base64."""
    return base64.b64encode(data).decode("ascii")


def file_from_param(content: str) -> bytes:
    """The file that `file_param` carried; empty when the parameter is not valid base64 (nothing to read)."""
    try:
        return base64.b64decode(content.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        return b""


def _audit_params(params: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for name, value in params.items():
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        out[name] = value if len(text) <= AUDIT_PARAM_LIMIT else f"<{len(text)} characters>"
    return out


def job_start(*, kind: str, title: str, by, **params: Any) -> Job:
    """Record a job and queue its task once the record is committed.

    The user needs the right to see jobs and the right the kind asks for (an import of persons asks for
    `people.import`). The parameters must be JSON values: they travel through the task queue. The task
    runs in the user's current language, so its messages and report read as the page that started it.
    """
    spec = job_kind(kind)
    require(by, Perm.JOBS_VIEW)
    require(by, spec.perm)
    json.dumps(params)  # fail here, not in the worker, when a parameter cannot travel
    with transaction.atomic():
        job = Job.objects.create(kind=kind, title=title[:300], created_by=by)
        audit_record(by=by, action="jobs.job.start", obj=job,
                     after={"kind": kind, "title": job.title, "params": _audit_params(params)})
        transaction.on_commit(partial(_enqueue, job.pk, {**params, LANGUAGE_PARAM: get_language()}))
    return Job.objects.get(pk=job.pk)


def _enqueue(job_id: int, params: dict[str, Any]) -> None:
    from koshiqon.jobs.tasks import run_job

    try:
        result = run_job.enqueue(job_id=job_id, params=params)
    except Exception as exc:
        logger.exception("job %s could not be queued", job_id)
        job_fail(job_id, _("The job could not be queued: %(error)s") % {"error": exc})
        return
    Job.objects.filter(pk=job_id).update(task_result_id=str(result.id))


def _forget(job_id: int) -> None:
    _last_write.pop(job_id, None)
    _last_done.pop(job_id, None)


def job_mark_running(job_id: int) -> bool:
    """Move a job to running; False when it has already finished (a second delivery of its task)."""
    _forget(job_id)
    return bool(
        Job.objects.filter(pk=job_id, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).update(
            status=JobStatus.RUNNING, started_at=timezone.now()
        )
    )


def job_progress(job_id: int, done: int, total: int, message: str = "", *, force: bool = False) -> bool:
    """Record how far a running job got. Returns False when the write was skipped by the throttle.

    Called by tasks as often as they like: a write happens at most PROGRESS_WRITES_PER_SECOND times a
    second, plus the one that reaches the total and any that does not move the count forward (a new stage
    announced at the same count, such as "Saving", is shown at once however soon it follows). Call it
    outside the task's own transactions; inside one the page sees the figures only when that transaction
    commits.
    """
    now = _clock()
    last = _last_write.get(job_id)
    new_stage = job_id in _last_done and done <= _last_done[job_id]
    _last_done[job_id] = done
    reached_end = total > 0 and done >= total
    if not (force or reached_end or new_stage or last is None or now - last >= 1 / PROGRESS_WRITES_PER_SECOND):
        return False
    _last_write[job_id] = now
    Job.objects.filter(pk=job_id, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).update(
        done=max(0, done), total=max(0, total), message=str(message)[:500]
    )
    return True


class JobProgress:
    """The `progress(done, total, message)` callable handed to a job's handler."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id

    def __call__(self, done: int, total: int, message: str = "") -> None:
        job_progress(self.job_id, done, total, message)


def job_succeed(job_id: int, result: dict[str, Any] | None) -> None:
    """Close a job with its result; its summary (if the handler gave one) becomes the message."""
    _forget(job_id)
    job = Job.objects.get(pk=job_id)
    job.status, job.finished_at, job.result = JobStatus.SUCCEEDED, timezone.now(), result
    job.done = max(job.done, job.total)
    if isinstance(result, dict) and result.get("summary"):
        job.message = str(result["summary"])[:500]
    job.save(update_fields=["status", "finished_at", "result", "done", "message"])


def job_fail(job_id: int, error: str) -> None:
    _forget(job_id)
    Job.objects.filter(pk=job_id).exclude(status__in=[JobStatus.SUCCEEDED, JobStatus.FAILED]).update(
        status=JobStatus.FAILED, finished_at=timezone.now(), error=error
    )


def job_reconcile(job: Job) -> Job:
    """Catch a job whose worker died: when the task queue says the task failed but the job still looks
    unfinished, the job is closed as failed. Backends that keep no results (in-process) are trusted."""
    if job.is_finished or not job.task_result_id:
        return job
    from koshiqon.jobs.tasks import run_job

    backend = run_job.get_backend()
    if not backend.supports_get_result:
        return job
    try:
        task_result = backend.get_result(job.task_result_id)
    except Exception:  # the result row was pruned or never written
        return job
    if task_result.status == "FAILED":
        last_line = (task_result.errors[-1].traceback.strip().splitlines() or [""])[-1] if task_result.errors else ""
        job_fail(job.pk, last_line or _("The task stopped without saying why."))
        job.refresh_from_db()
    return job
